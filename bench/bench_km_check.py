"""Benchmark of km_check (blina.inverse_km.km_check) against the targets of issue 15.

Run: ``.venv/bin/python bench/bench_km_check.py [--out FILE]`` (also run by ``make bench``).

1. the validation sweep on lifelines' datasets (blina.inverse_km.validation: every true
   figure in 12 print styles and the planted typos): the true number of events is among the
   counts of every true figure and the true sequence among the solutions whenever they are
   exhaustive (target: 100%), and every figure with ``n ≤ 1200`` is answered — every count
   settled — within 1 s;
2. constructed cohorts of 2000 and 5000 patients with 100 to 500 events (random censoring):
   every figure answered within 5 s.

Prints the solve times by band of ``n`` (median, maximum), the slowest figures, and PASS/FAIL
per target; exit status 1 when a target fails.  ``--out FILE`` also writes the sweep's rows
(the format of data/km_check_validation.csv).  Timings are wall clock on a shared machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import pandas as pd

from blina.inverse_km import km_check, validation

TARGET_SMALL = 1.0  # seconds per figure, n <= 1200
TARGET_LARGE = 5.0  # seconds per figure, n <= 5000 with <= 500 events
LARGE_CASES = [(2000, 100), (2000, 300), (5000, 100), (5000, 300), (5000, 500)]
SEEDS = 3


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def sweep(out: str | None) -> pd.DataFrame:
    started = time.perf_counter()
    rows = list(validation.validation_rows())
    df = pd.DataFrame(rows, columns=validation.COLUMNS)
    if out:
        validation.write_validation(out, rows)
    print(f"validation sweep: {len(df)} figures checked in {time.perf_counter() - started:.0f} s")
    return df


def times_by_band(df: pd.DataFrame) -> None:
    bands = df["n"].map(validation.n_band)
    table = df.groupby(bands, sort=False)["seconds"].agg(["count", "median", "max"])
    order = [b for b in validation.band_labels() if b in table.index]
    print(table.reindex(order).rename_axis("n band").to_string(float_format="%.3f"))
    slowest = df.sort_values("seconds").tail(3)
    for _, r in slowest.iterrows():
        print(f"  slow: {r['dataset']} / {r['group']} at {r['time']:g}, n={r['n']}, "
              f"{r['estimate']} ({r['lower']}-{r['upper']}) {r['ci']}, {r['kind']}: "
              f"{r['seconds']:.2f} s, decided={r['decided']}")


def check_sweep(df: pd.DataFrame) -> tuple[bool, bool]:
    summary = validation.recovery_summary(df)
    ok_recovery = summary["count_recovered"] == 1.0 and summary["sequence_recovered"] == 1.0
    count, seq = 100 * summary["count_recovered"], 100 * summary["sequence_recovered"]
    print(f"recovery: true count {count:.1f}% of {summary['figures']} true figures, true "
          f"sequence {seq:.1f}% of {summary['exhaustive']} exhaustive answers (target 100%) "
          f"{verdict(ok_recovery)}")
    small = df[df["n"] <= 1200]
    late = small[(small["seconds"] > TARGET_SMALL) | ~small["decided"].astype(bool)]
    ok_small = late.empty
    print(f"n <= 1200: {len(small) - len(late)} of {len(small)} figures settled within "
          f"{TARGET_SMALL:.0f} s {verdict(ok_small)}")
    times_by_band(df)
    return ok_recovery, ok_small


def constructed(n: int, events: int, seed: int) -> tuple[int, ...]:
    """Risk sets of ``events`` deaths among ``n`` with random censoring (a third of them)."""
    rng = random.Random(seed)
    order = ["event"] * events + ["censored"] * (n // 3)
    rng.shuffle(order)
    at_risk, seq = n, []
    for kind in order:
        if kind == "event":
            seq.append(at_risk)
        at_risk -= 1
    return tuple(seq)


def check_large() -> bool:
    worst, failures = 0.0, 0
    for n, events in LARGE_CASES:
        for seed in range(SEEDS):
            shown = validation.printed_figure(constructed(n, events, seed), "loglog", 2, "single")
            answer = km_check(n, *shown)
            worst = max(worst, answer.seconds)
            bad = answer.seconds > TARGET_LARGE or not answer.decided
            failures += bad
            print(f"n={n}, {events} events, seed {seed}: {shown[0]} ({shown[1]}-{shown[2]}): "
                  f"{len(answer.event_counts)} counts, {len(answer.undecided_counts)} undecided, "
                  f"{answer.seconds:.2f} s{'  <- over target' if bad else ''}")
    ok = failures == 0
    print(f"n <= 5000, <= 500 events: slowest {worst:.2f} s, {failures} over {TARGET_LARGE:.0f} s "
          f"or undecided {verdict(ok)}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="also write the sweep's rows to this CSV")
    args = parser.parse_args(argv)
    ok_recovery, ok_small = check_sweep(sweep(args.out))
    print()
    ok_large = check_large()
    print()
    print(f"summary: recovery {verdict(ok_recovery)}, n<=1200 in 1 s {verdict(ok_small)}, "
          f"n<=5000 in 5 s {verdict(ok_large)}")
    return 0 if ok_recovery and ok_small and ok_large else 1


if __name__ == "__main__":
    sys.exit(main())
