"""Benchmark of the inverse Kaplan–Meier solver (blina.inverse_km.km_risk_sets).

Run: ``.venv/bin/python bench/bench_inverse_km.py`` (also run by ``make bench``). Prints a table
and PASS/FAIL against the targets of issue 5:

1. every survival figure of the paper (rows ``km_estimate`` / ``km_ci`` of data/claims.csv,
   estimate paired with its CI, both rounding models) solved together in under 0.5 s;
2. ``n = 1000`` with 40 events before the time point (constructed censoring patterns: five shown,
   ``SWEEP`` more summarised) each answered in under 2 s — solutions up to the default
   ``limit`` or a proof that none exists;
   Reported only: the same patterns with each printed CI bound moved by one unit, figures that
   no censoring pattern need have made (answered, proved impossible, or not within 5 s).
3. brute force (``itertools`` over all ``2^n`` subsets, :func:`km_risk_sets_naive`) against the
   solver on small cases (meet in the middle, its default up to ``MITM_MAX_N`` patients) and
   against its branch and bound alone, with the speed ratios (all three answers must agree).

Exit status 1 when a target fails (the verdicts are printed); timings are wall clock, best of
``REPEAT`` runs for the paper and the small cases, one run each for ``n = 1000``.
"""

from __future__ import annotations

import csv
import itertools
import multiprocessing
import random
import sys
import time
from decimal import Decimal
from queue import Empty

from blina import data_path
from blina.inverse_km import km_risk_sets, km_risk_sets_naive
from blina.stats.km import km_estimate_and_ci
from blina.stats.rounding import decimals_of, fmt, parse_numbers

REPEAT = 3
TARGET_PAPER = 0.5
TARGET_LARGE = 2.0
CUTOFF = 20.0  # seconds after which a large case is stopped and counted as failed
SWEEP = 20  # further n = 1000 censoring patterns, reported as a distribution
PERTURB_SEEDS = 10  # patterns whose printed CI bounds are moved by one unit (9 figures each)
PERTURB_CUTOFF = 5.0  # seconds


def best_time(fn, repeat: int = REPEAT):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def paper_figures() -> list[tuple[str, str, str | None, str | None, int]]:
    """(claim_id, estimate, lower, upper, n) for every printed KM estimate of the paper."""
    with open(data_path("claims.csv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ci = {r["claim_id"]: r for r in rows if r["kind"] == "km_ci"}
    out = []
    for r in rows:
        if r["kind"] != "km_estimate":
            continue
        ci_row = ci.get(r["claim_id"].removesuffix("-est") + "-ci")
        lower = upper = None
        if ci_row is not None:
            lower, upper = parse_numbers(ci_row["reported"])
        out.append((r["claim_id"], r["reported"], lower, upper, int(r["denominator"])))
    return out


def solve_paper(figures):
    results = {}
    for claim, est, lo, up, n in figures:
        decs = tuple(decimals_of(v) if v is not None else 2 for v in (est, lo, up))
        for rounding in ("single", "double"):
            results[claim, rounding] = km_risk_sets(est, lo, up, n, decimals=decs,
                                                    rounding=rounding)
    return results


def large_case(n: int = 1000, events: int = 40, seed: int = 2024) -> tuple[int, ...]:
    """Risk sets of a pattern with ``events`` deaths and random censoring among ``n``."""
    rng = random.Random(seed)
    order = ["event"] * events + ["censored"] * rng.randint(50, 300)
    rng.shuffle(order)
    at_risk, seq = n, []
    for kind in order:
        if kind == "event":
            seq.append(at_risk)
        at_risk -= 1
    return tuple(seq)


def _solve_timed(args, queue) -> None:
    t0 = time.perf_counter()
    res = km_risk_sets(*args)
    queue.put((time.perf_counter() - t0, len(res), res.exhaustive, res.event_counts))


def timed_in_subprocess(args, cutoff: float):
    """Time ``km_risk_sets(*args)`` in a child process; ``None`` if not done within cutoff."""
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_solve_timed, args=(args, queue))
    proc.start()
    try:
        return queue.get(timeout=cutoff)
    except Empty:
        return None
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join()


def printed(seq: tuple[int, ...]) -> tuple[str, str, str]:
    s, lo, hi = km_estimate_and_ci(seq)
    return fmt(float(s) * 100, 2), fmt(lo * 100, 2), fmt(hi * 100, 2)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def bench_paper() -> bool:
    """1. the paper's figures, both rounding models, together under TARGET_PAPER."""
    figures = paper_figures()
    t_paper, results = best_time(lambda: solve_paper(figures))
    print(f"{'figure':34} {'n':>4} {'single':>8} {'double':>8}")
    for claim, est, lo, up, n in figures:
        cells = []
        for rounding in ("single", "double"):
            res = results[claim, rounding]
            cells.append(f"{len(res)}{'' if res.exhaustive else '+'}")
        shown = f"{est}" + (f" ({lo}-{up})" if lo is not None else "")
        print(f"{claim:34} {n:>4} {cells[0]:>8} {cells[1]:>8}   {shown}")
    print(f"  (number of risk-set sequences; '+' = more than limit={1000})")
    ok = t_paper < TARGET_PAPER
    print(f"{len(figures)} figures x 2 rounding models: {t_paper:.3f} s "
          f"(target < {TARGET_PAPER} s) {verdict(ok)}")
    return ok


def bench_large() -> bool:
    """2. n = 1000 with 40 events: five patterns shown, SWEEP more summarised."""
    times = []
    for seed in range(2024, 2029):
        seq = large_case(seed=seed)
        est, lo, up = printed(seq)
        head = f"n=1000, 40 events (at risk {seq[0]}..{seq[-1]}): {est}% ({lo}-{up}): "
        answer = timed_in_subprocess((est, lo, up, 1000), CUTOFF)
        if answer is None:
            times.append(float("inf"))
            print(head + f"no answer within {CUTOFF:.0f} s (stopped)")
            continue
        t_large, held, exhaustive, counts = answer
        times.append(t_large)
        print(head + f"{held} sequences held, exhaustive={exhaustive}, events {counts}, "
              f"{t_large:.3f} s")
    sweep = []
    for seed in range(2029, 2029 + SWEEP):
        est, lo, up = printed(large_case(seed=seed))
        answer = timed_in_subprocess((est, lo, up, 1000), CUTOFF)
        sweep.append(float("inf") if answer is None else answer[0])
    sweep.sort()
    print(f"sweep of {SWEEP} more patterns (seeds 2029-{2028 + SWEEP}): median "
          f"{sweep[SWEEP // 2]:.3f} s, slowest {sweep[-1]:.3f} s, "
          f"{sum(t >= TARGET_LARGE for t in sweep)} at or over {TARGET_LARGE} s")
    times += sweep
    ok = max(times) < TARGET_LARGE
    print(f"slowest of {len(times)}: {max(times):.3f} s (target < {TARGET_LARGE} s) "
          f"{verdict(ok)}")
    return ok


def bench_perturbed() -> None:
    """2b. printed figures no censoring pattern made (reported, not a target)."""
    perturbed = []
    for seed in range(2024, 2024 + PERTURB_SEEDS):
        est, lo, up = printed(large_case(seed=seed))
        for d_lo, d_up in itertools.product((-1, 0, 1), repeat=2):
            moved = (str(Decimal(lo) + Decimal(d_lo) / 100), str(Decimal(up) + Decimal(d_up) / 100))
            perturbed.append(timed_in_subprocess((est, *moved, 1000), PERTURB_CUTOFF))
    answered = sorted(a[0] for a in perturbed if a is not None)
    impossible = sum(1 for a in perturbed if a is not None and a[1] == 0)
    print(f"perturbed figures (each CI bound of seeds 2024-{2023 + PERTURB_SEEDS} moved by "
          f"-0.01/0/+0.01): {len(answered)} of {len(perturbed)} answered within "
          f"{PERTURB_CUTOFF:.0f} s ({impossible} proved impossible), median "
          f"{answered[len(answered) // 2]:.3f} s, slowest {answered[-1]:.3f} s, "
          f"{sum(t >= TARGET_LARGE for t in answered)} answered at or over {TARGET_LARGE} s "
          "(reported only)")


def bench_few_patients() -> None:
    """2c. few patients, most of them dead: the branch and bound's weak spot (reported)."""
    for args in (("12.73", "0.83", "41.24", 23), ("8.25", "0.78", "27.73", 39)):
        answer = timed_in_subprocess(args, CUTOFF)
        shown = (f"{answer[1]} sequences held, exhaustive={answer[2]}, events {answer[3]}, "
                 f"{answer[0]:.3f} s") if answer else f"no answer within {CUTOFF:.0f} s"
        print(f"n={args[3]}, {args[0]}% ({args[1]}-{args[2]}): {shown} (reported only)")


def bench_small_cases() -> bool:
    """3. brute force against meet in the middle and the branch and bound alone."""
    print(f"{'small case':28} {'n':>3} {'naive s':>9} {'middle s':>9} {'ratio':>8} "
          f"{'b&b s':>9} {'ratio':>8} agree")
    ok = True
    rng = random.Random(7)
    for n in (10, 12, 14, 16):
        truth = tuple(sorted(rng.sample(range(2, n + 1), n // 3), reverse=True))
        e, lo_, up_ = printed(truth)
        t_naive, naive = best_time(lambda e=e, lo_=lo_, up_=up_, n=n:
                                   km_risk_sets_naive(e, lo_, up_, n), repeat=1)
        t_fast, fast = best_time(lambda e=e, lo_=lo_, up_=up_, n=n: km_risk_sets(e, lo_, up_, n))
        t_bb, bb = best_time(lambda e=e, lo_=lo_, up_=up_, n=n:  # the branch and bound alone
                             km_risk_sets(e, lo_, up_, n, strategy="branch"))
        agree = (list(fast) == naive == list(bb) and fast.exhaustive and bb.exhaustive
                 and truth in naive)
        ok &= agree
        print(f"{e + ' (' + lo_ + '-' + up_ + ')':28} {n:>3} {t_naive:>9.4f} {t_fast:>9.5f} "
              f"{t_naive / max(t_fast, 1e-9):>7.0f}x {t_bb:>9.5f} "
              f"{t_naive / max(t_bb, 1e-9):>7.0f}x {verdict(agree)}")
    return ok


def main() -> int:
    print(f"inverse Kaplan-Meier benchmark (best of {REPEAT} runs, wall clock)")
    print()
    ok_paper = bench_paper()
    print()
    ok_large = bench_large()
    print()
    bench_perturbed()
    print()
    bench_few_patients()
    print()
    ok_agree = bench_small_cases()
    print()
    print(f"summary: paper {verdict(ok_paper)}, n=1000 {verdict(ok_large)}, "
          f"naive agreement {verdict(ok_agree)}")
    return 0 if ok_paper and ok_large and ok_agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
