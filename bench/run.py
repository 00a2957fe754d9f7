"""Run every benchmark: ``make bench`` runs this.

Each ``bench/bench_*.py`` runs in its own process (in name order) with this interpreter, its
output streamed as it comes; each prints its figures and PASS/FAIL per target and exits 1 when a
target fails. A summary line per benchmark follows, and the exit status is 1 if any failed.

Usage: python bench/run.py [NAME ...]   (e.g. ``build`` runs bench/bench_build.py only)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    if {"-h", "--help"} & set(names):
        print(__doc__.strip())
        print("benchmarks here:", ", ".join(s.stem.removeprefix("bench_")
                                            for s in sorted(HERE.glob("bench_*.py"))))
        return 0
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    if not scripts:
        print(f"no benchmark found in {HERE} matching {names or 'bench_*.py'}", file=sys.stderr)
        return 2
    summary = []
    for script in scripts:
        print(f"\n=== {script.relative_to(HERE.parent)} ===", flush=True)
        t0 = time.perf_counter()
        env = dict(os.environ)  # the tooling package tools/ is importable from the root
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent),
                                                          env.get("PYTHONPATH", "")]))
        status = subprocess.call([sys.executable, str(script)], cwd=HERE.parent, env=env)
        summary.append((script.name, status, time.perf_counter() - t0))
    print("\n=== summary ===")
    for name, status, seconds in summary:
        verdict = "all targets met" if status == 0 else f"FAILED (exit {status})"
        print(f"  {name:<28} {verdict:<24} {seconds:7.1f} s")
    return 1 if any(status for _, status, _ in summary) else 0


if __name__ == "__main__":
    sys.exit(main())
