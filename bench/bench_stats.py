"""Benchmark of the survival statistics on large inputs (issue "every failure says what failed").

Run: ``.venv/bin/python bench/bench_stats.py`` (also run by ``make bench``).  For ``n`` patients
with distinct exponential durations (70 % events, two groups), times ``km_estimate``,
``km_table`` and ``logrank`` (best of ``REPEAT``) at ``n = 10^4, 10^5, 10^6`` and prints
PASS/FAIL against the targets:

1. ``n = 10^5``: each call under ``TARGET_1E5`` seconds (before the fix, with the per-element
   checks and the per-row life table: km_estimate 13 s and logrank 24 s were reported);
2. growth: from ``10^5`` to ``10^6`` each call at most ``MAX_GROWTH`` times slower — ``O(n log n)``
   predicts about 12 (up to 30 once the arrays outgrow the CPU caches), a
   quadratic algorithm 100.

Exit status 1 when a target fails.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from blina.stats.km import km_estimate, km_table
from blina.stats.logrank import logrank

REPEAT = 3
SIZES = (10**4, 10**5, 10**6)
TARGET_1E5 = 1.0
MAX_GROWTH = 30.0


def best_time(fn, *args) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best


def timings() -> dict[str, dict[int, float]]:
    rng = np.random.default_rng(18)
    out: dict[str, dict[int, float]] = {"km_estimate": {}, "km_table": {}, "logrank": {}}
    for n in SIZES:
        t = rng.exponential(10.0, n)
        e = rng.random(n) < 0.7
        g = np.where(rng.random(n) < 0.5, "a", "b")
        out["km_estimate"][n] = best_time(km_estimate, t, e, float(np.median(t)))
        out["km_table"][n] = best_time(km_table, t, e)
        out["logrank"][n] = best_time(logrank, t, e, g)
    return out


def main() -> int:
    results = timings()
    print(f"{'function':<12}" + "".join(f"{f'n={n:.0e}':>12}" for n in SIZES) + "   growth")
    failed = False
    for name, by_n in results.items():
        growth = by_n[10**6] / by_n[10**5]
        print(f"{name:<12}" + "".join(f"{by_n[n]:>11.3f}s" for n in SIZES) + f"   x{growth:.1f}")
        for label, ok, detail in (
                (f"{name} n=1e5 <= {TARGET_1E5} s", by_n[10**5] <= TARGET_1E5,
                 f"{by_n[10**5]:.3f} s"),
                (f"{name} growth 1e5->1e6 <= x{MAX_GROWTH:g}", growth <= MAX_GROWTH,
                 f"x{growth:.1f}")):
            print(f"  {'PASS' if ok else 'FAIL'}  {label}: {detail}")
            failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
