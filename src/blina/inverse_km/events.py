"""Numbers of events a printed estimate allows: the largest estimate with ``d`` events, and the
fewest events that can give an estimate (Kaplan & Meier 1958)."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations

from blina.inverse_km.bounds import x_window
from blina.inverse_km.problem import Problem, check_count, parse_figure
from blina.stats.rounding import Printed

__all__ = ["max_estimate", "min_events", "zero_estimate_prints", "zero_estimate_sequences"]


def max_estimate(n: int, d: int) -> Fraction:
    """Largest Kaplan–Meier estimate possible with ``d`` events among ``n`` patients.

    ``max S = (n − d)/n``: every factor ``1 − 1/r`` grows with ``r`` and the risk sets are
    distinct integers ``≤ n``, so the best is ``r = n, n − 1, ..., n − d + 1`` (all events
    first, nobody censored before them), a telescoping product (Kaplan & Meier 1958).
    """
    n = check_count("n", n, minimum=1)
    d = check_count("d", d, minimum=0)
    if d > n:
        raise ValueError(f"d must be at most n={n}, got {d}")
    return Fraction(n - d, n)


def min_events(estimate: Printed, n: int, *, decimals: int = 2,
               rounding: str = "single") -> int | None:
    """Fewest events among ``n`` patients giving a KM estimate printed as ``estimate`` (%).

    The smallest ``d`` for which some ``n ≥ r_1 > ... > r_d ≥ 1`` has ``Π(1 − 1/r_i)`` (Kaplan
    & Meier 1958) in the printed interval; ``None`` if no ``d`` works.  With ``d`` events
    ``S ≤ (n − d)/n`` (:func:`max_estimate`) and, unless ``r_d = 1`` (``S = 0``),
    ``S ≥ 1/(d + 1)`` (risk sets ``d + 1, ..., 2``), which bound the search; e.g. 20% among 5
    patients needs 4 events (``4/5·3/4·2/3·1/2``).
    """
    problem = parse_figure(estimate, None, None, n, decimals, rounding).problem
    s_lo, s_hi = problem.s_iv
    if s_lo <= 1 < s_hi:
        return 0
    if s_lo <= 0:
        return 1  # one event at risk 1 (everyone else censored first) gives S = 0
    x_lo, x_hi = x_window(problem.s_iv)
    a = [math.inf, math.inf] + [-math.log1p(-1.0 / r) for r in range(2, n + 1)]
    tol = 1e-12 * max(1.0, x_hi)
    for d in range(1, n):
        if Fraction(n - d, n) < s_lo:
            return None  # max_estimate(n, d) is already below the interval, and decreasing
        if _some_estimate_with(problem, d, a, (x_lo - tol, x_hi + tol)):
            return d
    return None


def _some_estimate_with(problem: Problem, d: int, a: list[float],
                        window: tuple[float, float]) -> bool:
    """Whether ``d`` risk sets from ``2..n`` give an estimate in ``problem``'s interval.

    Depth first with an explicit stack, largest risk sets first: a frame holds ``x`` so far,
    the risk set it tries and how many are still to place.  After ``r`` with ``k`` still to
    place, the cheapest completion ``r − 1, ..., r − k + 1`` adds ``ln((r − 1)/(r − k))`` and
    the dearest ``k, ..., 2`` adds ``ln k``; they bound ``x`` (Kaplan & Meier 1958).
    """
    x_lo, x_hi = window
    prefix: list[int] = []
    stack = [(0.0, problem.n, d)]  # (x, next risk set to try, risk sets still to place)
    while stack:
        x, r, k = stack.pop()
        if r <= k:  # no room for r and k − 1 more in 2..r − 1: this level is done
            if prefix:
                prefix.pop()
            continue
        stack.append((x, r - 1, k))  # the next sibling, tried after this subtree
        x2 = x + a[r]
        if x2 + math.log((r - 1) / (r - k)) > x_hi:
            stack[-1] = (x, k, k)  # the cheapest completion overshoots; worse below
            continue
        if x2 + math.log(k) < x_lo:
            continue  # the dearest completion falls short
        if k == 1:
            if x_lo <= x2 <= x_hi and problem.matches((*prefix, r)):
                return True
            continue
        prefix.append(r)
        stack.append((x2, r - 1, k - 1))
    return False


def zero_estimate_prints(problem: Problem) -> bool:
    """``S = 0`` (the last patient at risk had the event) prints as the figure: its estimate
    interval holds 0 and the degenerate CI ``(0, 0)`` passes."""
    return problem.s_iv[0] <= 0 < problem.s_iv[1] and problem.ci_ok(0.0, 0.0)


def zero_estimate_sequences(problem: Problem, found: list[tuple[int, ...]], cap: int) -> int:
    """When ``S = 0`` prints as the figure (:func:`zero_estimate_prints`), append the sequences
    ending in an event at risk 1 (every subset of ``{2..n}`` before it, up to ``cap`` in all)
    and return their exact number ``2^(n−1)``; else 0."""
    n = problem.n
    if not zero_estimate_prints(problem):
        return 0
    for size in range(n):
        for combo in combinations(range(n, 1, -1), size):
            found.append((*combo, 1))
            if len(found) >= cap:
                return 2 ** (n - 1)
    return 2 ** (n - 1)
