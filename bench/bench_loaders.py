"""Benchmark of the data loaders on oversized and badly broken files.

Run: ``.venv/bin/python bench/bench_loaders.py`` (also run by ``make bench``).  Writes, in a
temporary folder, copies of ``data/patients.csv`` whose every row has ``response = Cri``:

1. 10^6 rows (75 MB): refused before it is parsed — target under ``TARGET_HUGE`` seconds, a
   message under ``MAX_MESSAGE`` characters (before the fix: 116 s, 1.6 GB and an 88 MB
   message were reported);
2. as many rows as fit in ``MAX_FILE_BYTES`` (about 13 000): validated, its problems capped at
   ``MAX_PROBLEMS`` and counted — target under ``TARGET_LARGEST`` seconds and the same message
   bound.

Timings are wall clock, best of ``REPEAT``; the peak of Python allocations (``tracemalloc``)
is printed.  Exit status 1 when a target fails.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from blina.data import DataValidationError, data_path, load_cohort
from blina.data.validation import MAX_FILE_BYTES, MAX_PROBLEMS

REPEAT = 3
TARGET_HUGE = 1.0
TARGET_LARGEST = 10.0
MAX_MESSAGE = 4000


def broken_row() -> bytes:
    first = data_path("patients.csv").read_bytes().split(b"\n")[1]
    return first.replace(b",CR,", b",Cri,") + b"\n"


def broken_copy(folder: Path, rows: int) -> Path:
    header = data_path("patients.csv").read_bytes().split(b"\n")[0]
    path = folder / f"patients-{rows}.csv"
    path.write_bytes(header + b"\n" + broken_row() * rows)
    return path


def rejection(path: Path) -> tuple[float, int, DataValidationError]:
    best, peak, error = float("inf"), 0, None
    for _ in range(REPEAT):
        tracemalloc.start()
        t0 = time.perf_counter()
        try:
            load_cohort(path)
        except DataValidationError as err:
            error = err
        best = min(best, time.perf_counter() - t0)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    if error is None:
        raise SystemExit(f"{path} was loaded: the benchmark expects it refused")
    return best, peak, error


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        row_bytes = len(broken_row())
        cases = (("10^6 rows", 10**6, TARGET_HUGE),
                 ("largest allowed file", (MAX_FILE_BYTES - 200) // row_bytes, TARGET_LARGEST))
        for label, rows, target in cases:
            path = broken_copy(Path(tmp), rows)
            seconds, peak, err = rejection(path)
            size = path.stat().st_size / 1e6
            print(f"{label}: {rows} rows, {size:.1f} MB: refused in {seconds:.3f} s, peak "
                  f"{peak / 1e6:.1f} MB allocated, {err.count} problem(s) counted, "
                  f"{len(err.problems)} listed (cap {MAX_PROBLEMS}), message {len(str(err))} "
                  "characters")
            for name, ok, detail in (
                    (f"{label} refused in <= {target} s", seconds <= target, f"{seconds:.3f} s"),
                    (f"{label} message <= {MAX_MESSAGE} characters", len(str(err)) <= MAX_MESSAGE,
                     f"{len(str(err))}")):
                print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")
                failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
