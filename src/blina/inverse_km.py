"""Inverse Kaplan–Meier: every sequence of risk sets that reproduces a printed estimate and CI.

A Kaplan–Meier estimate at time ``t`` is determined by the numbers at risk ``r_1 > r_2 > ...``
just before each event before ``t`` (Kaplan & Meier 1958):

    S = Π (1 − 1/r_i),        V = Σ 1/(r_i (r_i − 1))        (Greenwood 1926),

and the log(−log) 95% interval used by GraphPad Prism and lifelines (Kalbfleisch & Prentice
2002, §1.3; Collett 2015, §2.2.3) is, with ``x = −ln S`` and ``σ = √V / x``,

    lower = S^exp(+zσ),   upper = S^exp(−zσ),   i.e.  ln(−ln bound) = ln x ± zσ.

Tied events are expanded one at a time: ``d`` deaths at risk ``r`` give the same ``S`` and
``V`` as single deaths at ``r, r−1, ..., r−d+1`` because
``d/(r(r−d)) = Σ_{k<d} 1/((r−k)(r−k−1))``.  So a risk-set sequence is a strictly decreasing
tuple ``n ≥ r_1 > ... > r_k ≥ 1``, i.e. a subset of ``{1, ..., n}``.

:func:`km_risk_sets` inverts this: given the printed percentages (each standing for its
rounding interval) it returns every such tuple whose estimate and interval round to them, by a
depth-first branch and bound on ``x`` and ``V`` (both only grow as a sequence is extended).

Conventions at the edges: the empty sequence has ``S = 1`` and ``r_k = 1`` gives ``S = 0``;
there the log(−log) interval is undefined and is taken as degenerate, ``lower = upper = S``.
The estimate is checked exactly (``fractions.Fraction``); the interval bounds are
transcendental, computed in double precision and accepted within ``CI_TOLERANCE`` of the edges
of their rounding interval (the printing software's own doubles may land on either side of an
edge; no real value is that close to an edge, so this never changes a verdict in practice).
"""

from __future__ import annotations

import itertools
import math
import random
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import combinations
from numbers import Integral, Real

import numpy as np

__all__ = [
    "CI_TOLERANCE",
    "Z975",
    "RiskSetSolutions",
    "km_estimate_and_ci",
    "km_risk_sets",
    "km_risk_sets_naive",
    "max_estimate",
    "min_events",
    "printed_interval",
]

#: ``scipy.stats.norm.ppf(0.975)``, the quantile lifelines uses (Prism may use 1.96).
Z975 = 1.959963984540054
#: Tolerance (proportion units) on the edges of a CI bound's rounding interval.
CI_TOLERANCE = 1e-10
_ROUNDINGS = ("single", "double")
RESTART_STEPS = 256  # children planned per unit of a guided dive's budget
PIECES = 4  # slices of the estimate's x window, each with its own band of V ...
SLICE_FROM_N = 100  # ... from this many patients on (below, one band: cheaper per node)
WARMUP_STEPS = 4096  # children planned by the complete search before the dives start
STEER_STEPS = 2000  # moves of one local-search start before the next
TURN_STEPS = 64  # children planned per turn of each search
REFINE_TESTS = 4096  # interval tests spent, per number of events, on ruling it out
REFINE_LEVELS = 5  # halvings of each slice checked, for k ≥ 3, when the slice itself passes
MITM_MAX_N = 40  # up to this many patients, try meet in the middle before branch and bound
MITM_MAX_PAIRS = 400_000_000  # ... unless more pairs than this fall in the estimate's window
MITM_CHUNK = 2_000_000  # pairs checked per vectorised step (bounds the memory: ~200 MB)
NAIVE_MAX_N = 20  # km_risk_sets_naive tests 2^n subsets: 10^6 at n = 20 (seconds), 10^18 at 60
PAIR_REACH = 8  # the farthest apart (in rank) two risk sets moved together by the harvest
TRIM_CELLS = 64  # cells of x per round when trimming the window to where the CI band exists
_SLACK = 1e-9  # relative slack used only for pruning; final checks are exact / CI_TOLERANCE

Printed = int | float | str | Decimal


# ---------------------------------------------------------------------------------------------
# printed values and their rounding intervals


def _as_decimal(name: str, value: Printed) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Real | str | Decimal):
        raise ValueError(f"{name} must be a number or numeric string, got {value!r}")
    try:
        dec = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{name} must be a number or numeric string, got {value!r}") from None
    if not dec.is_finite():
        raise ValueError(f"{name} must be finite, got {value!r}")
    return dec


def _check_decimals(name: str, decimals: object) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"{name} must be a non-negative int, got {decimals!r}")
    return decimals


def printed_interval(value: Printed, decimals: int, rounding: str = "single") -> tuple[
        Fraction, Fraction]:
    """Half-open interval ``[lo, hi)`` of true percentages that are printed as ``value``.

    ``rounding="single"``: half-up rounding to ``d = decimals`` places, so ``p`` stands for
    ``[p − ½·10^−d, p + ½·10^−d)``.  ``rounding="double"``: the software displayed ``d + 1``
    decimals (half-up) and the authors rounded that display half-up to ``d``: the displays
    ``p − 0.5u, p − 0.4u, ..., p + 0.4u`` (``u = 10^−d``) round to ``p`` and each stands for
    ``[q − 0.05u, q + 0.05u)``; their union is ``[p − 0.55u, p + 0.45u)``.  E.g. ``"82.6"``
    single is ``[82.55, 82.65)``, double ``[82.545, 82.645)`` (82.645 displays as 82.65, which
    the authors would round to 82.7).  Exact ``Fraction`` bounds, in percent.
    """
    d = _check_decimals("decimals", decimals)
    p = Fraction(_as_decimal("value", value))
    u = Fraction(1, 10**d)
    if rounding == "single":
        return p - u / 2, p + u / 2
    if rounding == "double":
        step = u / 10
        displays = [p + k * step for k in range(-5, 5)]  # d+1-decimal values rounding to p
        pieces = [(q - step / 2, q + step / 2) for q in displays]
        for (_, hi), (lo, _) in zip(pieces, pieces[1:], strict=False):
            assert hi == lo  # contiguous: the union is one interval
        return pieces[0][0], pieces[-1][1]
    raise ValueError(f"rounding must be 'single' or 'double', got {rounding!r}")


# ---------------------------------------------------------------------------------------------
# the forward computation


def km_estimate_and_ci(risk_sets: Sequence[int], *, z: float = Z975) -> tuple[
        Fraction, float, float]:
    """Kaplan–Meier estimate (exact) and log(−log) CI (floats) from numbers at risk.

    ``S = Π (1 − 1/r_i)`` (Kaplan & Meier 1958), ``V = Σ 1/(r_i(r_i − 1))`` (Greenwood 1926),
    ``σ = √V/|ln S|``, ``lower = S^exp(zσ)``, ``upper = S^exp(−zσ)`` (Kalbfleisch & Prentice
    2002).  With no events (``S = 1``) or an event at risk 1 (``S = 0``) the interval is
    degenerate and returned as ``(S, S)``.  Proportions, not percent.
    """
    rs = tuple(risk_sets)
    for i, r in enumerate(rs):
        if isinstance(r, bool) or not isinstance(r, int) or r < 1:
            raise ValueError(f"risk_sets must hold integers >= 1, got {r!r}")
        if i and r >= rs[i - 1]:
            raise ValueError(f"risk_sets must be strictly decreasing, got {rs!r}")
    _check_z(z)
    if rs and rs[-1] == 1:
        return Fraction(0), 0.0, 0.0
    s = Fraction(math.prod(r - 1 for r in rs), math.prod(rs))
    if not rs:
        return s, 1.0, 1.0
    x = -math.fsum(math.log1p(-1.0 / r) for r in rs)
    v = math.fsum(1.0 / (r * (r - 1)) for r in rs)
    lower, upper = _loglog_bounds(x, v, z)
    return s, lower, upper


def _loglog_bounds(x: float, v: float, z: float) -> tuple[float, float]:
    sigma = math.sqrt(v) / x
    return math.exp(-x * math.exp(z * sigma)), math.exp(-x * math.exp(-z * sigma))


def _check_z(z: object) -> float:
    if isinstance(z, bool) or not isinstance(z, Real) or not math.isfinite(z) or z <= 0:
        raise ValueError(f"z must be a positive finite number, got {z!r}")
    return float(z)


def max_estimate(n: int, d: int) -> Fraction:
    """Largest Kaplan–Meier estimate possible with ``d`` events among ``n`` patients.

    ``max S = (n − d)/n``: every factor ``1 − 1/r`` grows with ``r`` and the risk sets are
    distinct integers ``≤ n``, so the best is ``r = n, n − 1, ..., n − d + 1`` (all events
    first, nobody censored before them), a telescoping product (Kaplan & Meier 1958).
    """
    n = _check_count("n", n, minimum=1)
    d = _check_count("d", d, minimum=0)
    if d > n:
        raise ValueError(f"d must be at most n={n}, got {d}")
    return Fraction(n - d, n)


def _check_count(name: str, value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)  # NumPy integers too


# ---------------------------------------------------------------------------------------------
# the inverse problem


@dataclass(frozen=True, eq=False)
class RiskSetSolutions(Sequence):
    """The risk-set sequences matching a printed estimate and CI (a ``Sequence`` of tuples).

    ``exhaustive`` is False when more than ``limit`` sequences exist: then only the first
    ``limit`` (in search order, sorted) are held and ``count_at_least`` is a lower bound on how
    many there are.  ``*_interval`` are the exact rounding intervals used, in percent (``None``
    when the value was not printed).  Compares equal to a list/tuple of the same sequences.
    """

    solutions: tuple[tuple[int, ...], ...]
    exhaustive: bool
    count_at_least: int
    n: int
    estimate: Decimal
    lower: Decimal | None
    upper: Decimal | None
    decimals: tuple[int, int, int]
    rounding: str
    z: float
    limit: int
    estimate_interval: tuple[Fraction, Fraction]
    lower_interval: tuple[Fraction, Fraction] | None
    upper_interval: tuple[Fraction, Fraction] | None

    def __len__(self) -> int:
        return len(self.solutions)

    def __getitem__(self, index):  # type: ignore[override]
        return self.solutions[index]

    def __iter__(self) -> Iterator[tuple[int, ...]]:
        return iter(self.solutions)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RiskSetSolutions):
            return self.__dict__ == other.__dict__
        if isinstance(other, list | tuple):
            return list(self.solutions) == list(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.solutions, self.exhaustive, self.n, self.estimate, self.rounding))

    @property
    def event_counts(self) -> tuple[int, ...]:
        """Distinct numbers of events among the solutions held, ascending."""
        return tuple(sorted({len(s) for s in self.solutions}))


@dataclass(frozen=True)
class _Problem:
    n: int
    s_iv: tuple[Fraction, Fraction]  # proportions, half-open
    lo_iv: tuple[Fraction, Fraction] | None
    up_iv: tuple[Fraction, Fraction] | None
    z: float

    def ci_ok(self, lower: float, upper: float) -> bool:
        return _in_iv(lower, self.lo_iv) and _in_iv(upper, self.up_iv)

    def matches(self, seq: tuple[int, ...]) -> bool:
        s, lower, upper = km_estimate_and_ci(seq, z=self.z)
        return self.s_iv[0] <= s < self.s_iv[1] and self.ci_ok(lower, upper)


def _in_iv(value: float, iv: tuple[Fraction, Fraction] | None) -> bool:
    if iv is None:
        return True
    return float(iv[0]) - CI_TOLERANCE <= value < float(iv[1]) + CI_TOLERANCE


def _parse(estimate, lower, upper, n, decimals, rounding, limit, z):
    n = _check_count("n", n, minimum=1)
    limit = _check_count("limit", limit, minimum=1)
    z = _check_z(z)
    if rounding not in _ROUNDINGS:
        raise ValueError(f"rounding must be 'single' or 'double', got {rounding!r}")
    if isinstance(decimals, tuple | list):
        if len(decimals) != 3:
            raise ValueError(f"decimals must be an int or a 3-tuple of ints, got {decimals!r}")
        decs = tuple(_check_decimals("decimals", d) for d in decimals)
    else:
        decs = (_check_decimals("decimals", decimals),) * 3
    values: dict[str, Decimal | None] = {}
    for name, value, d in zip(("estimate", "lower", "upper"), (estimate, lower, upper), decs,
                              strict=True):
        if value is None and name != "estimate":
            values[name] = None
            continue
        dec = _as_decimal(name, value)
        if not 0 <= dec <= 100:
            raise ValueError(f"{name} must be a percentage between 0 and 100, got {value!r}")
        if -dec.as_tuple().exponent > d and dec != dec.quantize(Decimal(1).scaleb(-d)):
            raise ValueError(f"{name} {value!r} has more than decimals={d} decimals")
        values[name] = dec
    est, lo, up = values["estimate"], values["lower"], values["upper"]
    if lo is not None and lo > est:
        raise ValueError(f"lower must not exceed estimate={est}, got {lower!r}")
    if up is not None and up < est:
        raise ValueError(f"upper must not be below estimate={est}, got {upper!r}")

    def iv(value, d):
        if value is None:
            return None
        a, b = printed_interval(value, d, rounding)
        return a, b

    ivs = (iv(est, decs[0]), iv(lo, decs[1]), iv(up, decs[2]))
    prop = [None if v is None else (v[0] / 100, v[1] / 100) for v in ivs]
    problem = _Problem(n, prop[0], prop[1], prop[2], z)
    return problem, (est, lo, up), decs, ivs, limit, z


def km_risk_sets(estimate: Printed, lower: Printed | None, upper: Printed | None, n: int, *,
                 decimals: int | tuple[int, int, int] = 2, rounding: str = "single",
                 limit: int = 1000, z: float = Z975) -> RiskSetSolutions:
    """Every risk-set sequence whose KM estimate and log(−log) CI print as given.

    ``estimate``, ``lower``, ``upper`` are the printed percentages (``lower``/``upper`` may be
    ``None``: not printed), ``decimals`` their printed decimals (one int or a 3-tuple), each
    standing for its :func:`printed_interval` under ``rounding``.  Returns the tuples
    ``n ≥ r_1 > ... > r_k ≥ 1`` with ``S = Π(1 − 1/r_i)`` in the estimate's interval and
    ``S^exp(±zσ)``, ``σ = √(Σ 1/(r_i(r_i−1)))/|ln S|``, in the bounds' intervals (Kaplan &
    Meier 1958; Greenwood 1926; Kalbfleisch & Prentice 2002), sorted by number of events and
    then by descending risk sets.  More than ``limit`` solutions: ``exhaustive=False``.

    Up to ``MITM_MAX_N`` patients the answer comes from meet in the middle over the two
    halves of ``2..n`` (:func:`_meet_in_the_middle`), exhaustive and fast whatever the estimate.
    Above, or when too many pairs of halves fall in the estimate's window, the search is a
    depth-first branch and bound in ``x = −ln S`` and ``V``: a child adds
    ``a(r) = ln(r/(r−1))`` and ``b(r) = 1/(r(r−1))``.  It prunes when ``x`` would pass the
    estimate's upper edge, when ``x + ln r`` (taking every remaining risk set) cannot reach its
    lower edge, when ``V`` exceeds the largest variance the CI allows, when even the cheapest
    completion (``ΔV ≥ (e^Δx − 1)/m``, the telescoping top block ``m, m−1, ...``) does, and
    when the largest completion (``ΔV ≤ 4 sinh²(Δx/2)``, by convexity of ``b`` in ``a``)
    cannot reach the smallest variance allowed; completions by one or two more risk sets are
    solved exactly and longer ones bounded by majorisation (see ``_search``).

    When there are more than ``limit`` solutions the ones held are those found first (the
    complete search takes turns with guided dives and local steering, see ``_search``), then
    sorted as above; ``count`` is then a lower bound.

    Cost: the paper's figures take milliseconds together, ``n = 39`` with most patients dead
    (``8.25 (0.78–27.73)``) about a second, and ``n = 1000`` with 40 events under 0.6 s in
    every censoring pattern of bench/bench_inverse_km.py.  The branch and bound is still
    exponential in the worst case: a printed figure whose admissible region is a sliver holding
    a few hundred packed solutions among ``n = 1000`` takes about a second to prove complete,
    and worse ones can exist (of 90 figures made by moving each CI bound of real ones by
    ±0.01, 15 were proved impossible in milliseconds and all were answered within 1.9 s).
    """
    problem, (est, lo, up), decs, ivs, limit, z = _parse(estimate, lower, upper, n, decimals,
                                                          rounding, limit, z)
    cap = limit + 1
    found: list[tuple[int, ...]] = []
    extra = 0
    zero_ok = problem.s_iv[0] <= 0 < problem.s_iv[1] and problem.ci_ok(0.0, 0.0)
    if zero_ok:  # every subset of {2..n} followed by an event at risk 1
        for size in range(n):
            for combo in combinations(range(n, 1, -1), size):
                found.append((*combo, 1))
                if len(found) >= cap:
                    break
            if len(found) >= cap:
                break
        extra = 2 ** (n - 1)  # exact count of those sequences
    if len(found) < cap:
        _search(problem, found, cap)
    exhaustive = len(found) < cap
    kept = sorted(found[:limit], key=lambda s: (len(s), [-r for r in s]))
    count = len(found) if exhaustive else max(len(found), extra)
    return RiskSetSolutions(
        solutions=tuple(kept), exhaustive=exhaustive, count_at_least=count, n=problem.n,
        estimate=est, lower=lo, upper=up, decimals=decs, rounding=rounding, z=z, limit=limit,
        estimate_interval=ivs[0], lower_interval=ivs[1], upper_interval=ivs[2])


def _x_window(s_iv: tuple[Fraction, Fraction]) -> tuple[float, float]:
    """``(x_lo, x_hi)`` for ``x = −ln S`` with ``S`` in the half-open interval, positive S."""
    s_lo, s_hi = s_iv
    x_lo = -math.log(s_hi) if s_hi < 1 else -math.inf
    x_hi = -math.log(s_lo) if s_lo > 0 else math.inf
    return x_lo, x_hi


def _extremes(c: float, sign: int, x1: float, x2: float, z: float) -> tuple[float, float]:
    """Min and max over ``[x1, x2]`` of ``h(x) = sign·x(c − ln x)/z`` (concave or convex)."""

    def h(x: float) -> float:
        return 0.0 if x == 0 else sign * x * (c - math.log(x)) / z

    points = [x1, x2]
    crit = math.exp(c - 1)  # h'(x) = 0
    if x1 < crit < x2:
        points.append(crit)
    values = [h(p) for p in points]
    return min(values), max(values)


def _g(t: float) -> float:
    """``ln(−ln t)``: +inf at ``t ≤ 0``, −inf at ``t ≥ 1``."""
    if t <= 0:
        return math.inf
    if t >= 1:
        return -math.inf
    return math.log(-math.log(t))


def _w_constraints(problem: _Problem) -> list[tuple[float, int, bool]] | None:
    """The CI intervals as bounds on ``w = √V``: ``(c, sign, is_lower)`` means
    ``w ≥ sign·x(c − ln x)/z`` (``is_lower``) or ``w ≤`` it; ``None`` if no positive ``w`` fits.

    ``ln(−ln lower) = ln x + zw/x`` and ``ln(−ln upper) = ln x − zw/x`` (Kalbfleisch & Prentice
    2002), so each printed bound's interval, widened by ``CI_TOLERANCE`` (the acceptance rule),
    gives one lower and one upper bound on ``w`` at every ``x``.
    """
    tol = CI_TOLERANCE
    raw = []
    if problem.lo_iv is not None:
        lo0, lo1 = float(problem.lo_iv[0]) - tol, float(problem.lo_iv[1]) + tol
        raw += [(_g(lo1), 1, True), (_g(lo0), 1, False)]
    if problem.up_iv is not None:
        up0, up1 = float(problem.up_iv[0]) - tol, float(problem.up_iv[1]) + tol
        raw += [(_g(up0), -1, True), (_g(up1), -1, False)]
    constraints = []
    for c, sign, is_lower in raw:
        if math.isinf(c):
            if (is_lower and sign * c < 0) or (not is_lower and sign * c > 0):
                continue  # no bound on this side
            return None  # e.g. an upper bound on w below 0: nothing positive fits
        constraints.append((c, sign, is_lower))
    return constraints


def _v_bounds(constraints: list[tuple[float, int, bool]], x1: float, x2: float,
              z: float) -> tuple[float, float]:
    """Bounds on ``V`` valid for every ``x`` in ``[x1, x2]`` (``0 < x1 ≤ x2``).

    Each constraint's end ``±x(c − ln x)/z`` is unimodal in ``x`` (critical point
    ``x = e^(c−1)``), so its extremes over the interval are at the ends or that point; the
    lower bound uses each lower constraint's minimum, the upper bound each upper constraint's
    maximum.  Empty (``vmin > vmax``) proves that no ``(x, V)`` there satisfies the CI.
    """
    if math.isinf(x2):
        return 0.0, math.inf
    lo_sqrt, hi_sqrt = 0.0, math.inf
    for c, sign, is_lower in constraints:
        lo_h, hi_h = _extremes(c, sign, x1, x2, z)
        if is_lower:
            lo_sqrt = max(lo_sqrt, lo_h)
        else:
            hi_sqrt = min(hi_sqrt, hi_h)
    if hi_sqrt < 0 or lo_sqrt > hi_sqrt * (1 + _SLACK):
        return math.inf, 0.0
    vmin = lo_sqrt**2 * (1 - _SLACK)
    vmax = hi_sqrt**2 * (1 + _SLACK) + 1e-300 if math.isfinite(hi_sqrt) else math.inf
    return vmin, vmax


def _f(dx: float) -> float:
    """``4 sinh²(Δx/2)``: the Greenwood term of one risk set whose ``−ln`` factor is ``Δx``.

    For ``a(r) = ln(r/(r−1))`` and ``b(r) = 1/(r(r−1))``, ``b(r) = 4 sinh²(a(r)/2)`` exactly;
    ``f`` is convex with ``f(0) = 0``, which gives the bounds of :func:`_search`.
    """
    return 4.0 * math.sinh(dx / 2.0) ** 2


def _min_v(dx: float, k: int, m: int, log_r: Sequence[float]) -> float:
    """Lower bound on ``ΔV`` for ``k`` risk sets from ``2..m`` adding ``Δx = dx`` (water filling).

    The ``i``-th largest of ``k`` distinct risk sets ``≤ m`` is at most ``m − i + 1``, so its
    ``a_i ≥ α_i = a(m − i + 1)``.  Minimising the convex ``Σ f(a_i)`` (``b = f(a)``,
    :func:`_f`) subject to ``a_i ≥ α_i`` and ``Σ a_i = Δx`` raises the smallest ``α_i`` to a
    common level ``λ`` (KKT): ``a_i = max(α_i, λ)``.  With ``T(j) = Σ_{i>j} α_i =
    ln((m − j)/(m − k))`` and ``V_top(j) = j/(m(m − j))`` (telescoping sums), ``j`` raised
    risk sets give ``λ = (Δx − T(j))/j`` and ``ΔV ≥ j·f(λ) + V_top(k) − V_top(j)``.  This is at
    least both the top-block bound ``(e^Δx − 1)/m`` and the equal-split bound ``k·f(Δx/k)``;
    it is ``inf`` when ``Δx`` is below the top block's ``ln(m/(m − k))``.
    """
    t_top = log_r[m] - log_r[m - k]
    if dx < t_top * (1 - _SLACK):
        return math.inf

    def level(j: int) -> float:
        return (dx - (log_r[m - j] - log_r[m - k])) / j

    def alpha(i: int) -> float:  # a(m − i + 1) = ln((m − i + 1)/(m − i))
        return log_r[m - i + 1] - log_r[m - i]

    lo, hi = 1, k  # smallest j whose level does not exceed alpha(j + 1); j = k always qualifies
    while lo < hi:
        mid = (lo + hi) // 2
        if level(mid) <= alpha(mid + 1):
            hi = mid
        else:
            lo = mid + 1
    lam = max(level(lo), 0.0)
    return lo * _f(lam) + k / (m * (m - k)) - lo / (m * (m - lo))


def _trim(constraints: list[tuple[float, int, bool]], x1: float, x2: float,
          z: float) -> tuple[float, float]:
    """The part of ``[x1, x2]`` (finite, ``0 ≤ x1``) where the CI leaves some ``V``.

    Cuts the window into ``TRIM_CELLS`` cells, drops the cells whose band (:func:`_v_bounds`,
    a relaxation over the cell) is empty, keeps the span from the first to the last cell left,
    and repeats while that shrinks the window by more than half.  Sound: no ``x`` dropped has
    an admissible ``V``.  Returns ``(inf, -inf)`` when no cell is left.  Printed CIs often
    leave only a thin wedge at one end of the estimate's window; the bounds of the search and
    the strip's slices then work on the wedge rather than on the whole window.
    """
    for _ in range(8):
        step = (x2 - x1) / TRIM_CELLS
        if step <= 0:
            break
        edges = [x1 + i * step for i in range(TRIM_CELLS)] + [x2]
        kept = [(p, q) for p, q in zip(edges, edges[1:], strict=False)
                if (band := _v_bounds(constraints, p, q, z))[0] <= band[1]]
        if not kept:
            return math.inf, -math.inf
        new1, new2 = kept[0][0], kept[-1][1]
        shrunk = (new2 - new1) < (x2 - x1) / 2
        x1, x2 = new1, new2
        if not shrunk:
            break
    return x1, x2


def _halves(risk_sets: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """``Σ a(r)`` and ``Σ b(r)`` over every subset of ``risk_sets``; bit ``j`` of an index
    says whether ``risk_sets[j]`` is in (``a(r) = −ln(1 − 1/r)``, ``b(r) = 1/(r(r − 1))``)."""
    xs, vs = np.zeros(1), np.zeros(1)
    for r in risk_sets:
        xs = np.concatenate([xs, xs - math.log1p(-1.0 / r)])
        vs = np.concatenate([vs, vs + 1.0 / (r * (r - 1))])
    return xs, vs


def _meet_in_the_middle(problem: _Problem, x_lo: float, x_hi: float, vmin: float, vmax: float,
                        found: list[tuple[int, ...]], cap: int) -> bool:
    """Every solution with ``S > 0`` by meet in the middle, exhaustively; False (nothing
    added) when more than ``MITM_MAX_PAIRS`` pairs of halves fall in the ``x`` window.

    The risk sets ``2..n`` are split into a low and a high half; all ``2^h`` subsets of each
    are summed (``x = Σ a``, ``V = Σ b``), the high half sorted by ``x``, and each low subset
    paired with the run of high subsets that puts ``x`` in ``[x_lo, x_hi]`` (binary search);
    pairs with ``V`` in ``[vmin, vmax]`` and a log(−log) CI near the printed one are checked
    exactly by ``problem.matches``.  ``O(2^(n/2) log n)`` plus the pairs, whatever the
    estimate: the branch and bound is slowest for few patients with most of them dead.
    """
    low = list(range(2, (problem.n + 3) // 2))
    high = list(range((problem.n + 3) // 2, problem.n + 1))
    x_l, v_l = _halves(low)
    x_h, v_h = _halves(high)
    order = np.argsort(x_h, kind="stable")
    x_h, v_h = x_h[order], v_h[order]
    start = np.searchsorted(x_h, x_lo - x_l, side="left")
    stop = np.searchsorted(x_h, x_hi - x_l, side="right")
    counts = np.maximum(stop - start, 0)
    ends = np.cumsum(counts)
    if ends[-1] > MITM_MAX_PAIRS:
        return False
    first = 0
    while first < len(x_l):  # low subsets in blocks of about MITM_CHUNK pairs
        last = max(first + 1, int(np.searchsorted(ends, ends[first] - counts[first]
                                                  + MITM_CHUNK, side="right")))
        block = np.arange(first, min(last, len(x_l)))
        first = last
        li = np.repeat(block, counts[block])
        offsets = np.arange(len(li)) - np.repeat(ends[block] - counts[block] - (
            ends[block[0]] - counts[block[0]]), counts[block])
        hi = start[li] + offsets
        x, v = x_l[li] + x_h[hi], v_l[li] + v_h[hi]
        keep = (x > 0) & (v >= vmin) & (v <= vmax)
        if problem.lo_iv is not None or problem.up_iv is not None:  # float pre-check of the CI
            pre = 1e-8
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                sigma = np.sqrt(v) / x
                lower = np.exp(-x * np.exp(problem.z * sigma))
                upper = np.exp(-x * np.exp(-problem.z * sigma))
            for iv, bound in ((problem.lo_iv, lower), (problem.up_iv, upper)):
                if iv is not None:
                    keep &= (float(iv[0]) - pre <= bound) & (bound < float(iv[1]) + pre)
        for i, j in zip(li[keep].tolist(), order[hi[keep]].tolist(), strict=True):
            seq = tuple([r for bit, r in enumerate(high) if j >> bit & 1][::-1]
                        + [r for bit, r in enumerate(low) if i >> bit & 1][::-1])
            if problem.matches(seq):
                found.append(seq)
                if len(found) >= cap:
                    return True
    return True


def _event_counts(constraints: list[tuple[float, int, bool]], n: int, x_lo: float,
                  x_hi: float, z: float, log_r: Sequence[float]) -> list[int]:
    """Numbers of events ``k`` (``1 ≤ k < n``, so ``S > 0``) not ruled out before the search.

    ``k`` distinct risk sets from ``2..n`` with ``x = Σ a(r_i)`` satisfy
    ``ln(n/(n − k)) ≤ x ≤ ln(k + 1)`` and ``L_k(x) ≤ V ≤ U_k(x)``, with ``L_k`` the water-filling
    bound (:func:`_min_v`) and ``U_k`` the top block of ``k − 1`` plus one risk set
    (:func:`_max_v`), both increasing in ``x``; the CI needs ``V``
    in a band that moves with ``x`` (:func:`_v_bounds`).  A piece ``[p, q]`` of ``x`` is ruled
    out when its band is empty, ``L_k(p)`` exceeds the band's top or ``U_k(q)`` falls short of
    its bottom.  Pieces that survive are halved, depth first, until every piece is ruled out
    (``k`` is impossible), or a midpoint passes all the tests at that very ``x`` (``k`` stays),
    or ``REFINE_TESTS`` tests are spent (``k`` stays: not proved impossible).  Comparing the
    bounds with the band point by point, rather than with its hull over the whole window,
    proves impossible the figures whose band is a thin wedge (e.g. ``95.85 (94.38–96.93)``,
    ``n = 1000``: 40 events need more ``V`` than allowed, 41 cannot reach it).
    """
    lo_slack, hi_slack = 1 - _SLACK, 1 + _SLACK
    counts = []
    for k in range(1, n):

        def out(p: float, q: float, k: int = k) -> bool:
            v_lo, v_hi = _v_bounds(constraints, p, q, z)
            return (v_lo > v_hi or _min_v(p, k, n, log_r) * lo_slack > v_hi
                    or _max_v(q, k, n, log_r) * hi_slack < v_lo)

        first, last = max(x_lo, log_r[n] - log_r[n - k]), min(x_hi, math.log(k + 1))
        if first > last:
            continue
        pieces, tests, possible = [(first, last)], 0, False
        while pieces and not possible:
            p, q = pieces.pop()
            tests += 1
            if out(p, q):
                continue
            mid = (p + q) / 2
            possible = tests >= REFINE_TESTS or q - p <= 1e-15 * q or not out(mid, mid)
            pieces += [(mid, q), (p, mid)]
        if possible:
            counts.append(k)
    return counts


def _max_v(dx: float, k: int, m: int, log_r: Sequence[float]) -> float:
    """Upper bound on ``ΔV`` for ``k`` risk sets from ``2..m`` adding ``Δx = dx``.

    The top block of ``k − 1`` (``X_top = ln(m/(m − k + 1))``, ``V_top = (k − 1)/(m(m − k +
    1))``) plus one risk set taking the rest majorises every feasible split, and ``b = f(a)``
    is convex (:func:`_f`): ``ΔV ≤ V_top + f(Δx − X_top)``; increasing in ``Δx``, decreasing
    in ``k``.
    """
    return (k - 1) / (m * (m - k + 1)) + _f(dx - (log_r[m] - log_r[m - k + 1]))


def _search(problem: _Problem, found: list[tuple[int, ...]], cap: int) -> None:
    """Depth-first branch and bound for the solutions with ``S > 0`` (appends to ``found``).

    A node is a prefix with ``x = Σ a(r_i)`` and ``V = Σ b(r_i)``, all later risk sets in
    ``2..m``.  A child is entered only if it is a solution candidate or ``_completable``: some
    ``k ≥ 1`` more risk sets could bring ``x`` into ``[x_lo, x_hi]`` and ``V`` into
    ``[v_min, v_max]``.  For ``k`` risk sets from ``2..m`` adding ``Δx``:

    - ``ln(m/(m−k)) ≤ Δx ≤ ln(k+1)`` (top block ``m..m−k+1``, bottom block ``k+1..2``);
    - ``ΔV ≥ max((e^Δx − 1)/m, k·f(Δx/k))``: the top block minimises ``ΔV`` (in ``u = ln r``
      each risk set is the interval ``[ln(r−1), ln r]`` of length ``a`` and
      ``b = ∫ e^−u du`` over it), and equal parts are majorised by every split (Karamata);
    - ``ΔV ≤ V_top(k−1) + f(Δx − X_top(k−1))``: the top block of ``k−1`` plus one large risk
      set majorises every feasible split; it decreases with ``k`` (``f`` superadditive);
    - ``k = 1`` is solved exactly: ``a(r)`` must lie in the ``x`` window and in
      ``f⁻¹([ΔV_min, ΔV_max])``, an interval of ``r``; ``k = 2`` is bounded by the range of
      the larger risk set that can still pair with a smaller one;
    - the lower bound on ``ΔV`` is sharpened by water filling (:func:`_min_v`), and from
      ``n = SLICE_FROM_N`` on the admissible ``(x, V)`` strip is cut into ``PIECES`` slices of
      ``x``, each with its own band of ``V``: a completion must land in one of them.

    Before the search, the ``x`` window is trimmed to where the CI leaves some ``V``
    (:func:`_trim`) and the numbers of events that cannot fit are ruled out
    (:func:`_event_counts`); a prefix is only extended towards a total still allowed.  For
    ``k ≥ 3`` each slice that passes is checked again half by half (``REFINE_LEVELS`` deep),
    and the first of three or more risk sets adding at most the budget has
    ``a(r) ≤ budget/k``, which bounds the children tried.

    Schedule: the complete search (largest risk sets first) runs alone for ``WARMUP_STEPS``
    children, which finishes most problems; then, from ``SLICE_FROM_N`` patients on, it takes
    turns of ``TURN_STEPS`` with randomised guided dives (restarted on Luby budgets,
    :func:`_luby`) and with a local search that steers ``k`` risk sets into the strip from a
    uniform or a two-block start and harvests the neighbours of every solution found.  The
    helpers only add solutions (each checked by ``problem.matches``); only the complete search
    can finish, and when it does every solution has been found.
    """
    n = problem.n
    if problem.matches(()):  # the empty sequence: S = 1, degenerate CI
        found.append(())
        if len(found) >= cap:
            return
    x_lo, x_hi = _x_window(problem.s_iv)
    constraints = _w_constraints(problem)
    vmin, vmax = ((math.inf, 0.0) if constraints is None
                  else _v_bounds(constraints, max(x_lo, 0.0), x_hi, problem.z))
    if vmin > vmax:
        return
    tol = 1e-12
    x_lo_t = x_lo - tol * max(1.0, abs(x_lo)) if math.isfinite(x_lo) else x_lo
    x_hi_t = x_hi + tol * max(1.0, x_hi) if math.isfinite(x_hi) else x_hi
    if constraints and math.isfinite(x_hi_t):  # only where the CI leaves some V
        x_lo_t, x_hi_t = _trim(constraints, max(x_lo_t, 0.0), x_hi_t, problem.z)
        if x_lo_t > x_hi_t:
            return
        vmin, vmax = _v_bounds(constraints, x_lo_t, x_hi_t, problem.z)
    if 2 <= n <= MITM_MAX_N and _meet_in_the_middle(problem, x_lo_t, x_hi_t, vmin, vmax,
                                                    found, cap):
        return
    a = [math.inf, math.inf] + [-math.log1p(-1.0 / r) for r in range(2, n + 1)]
    b = [math.inf, math.inf] + [1.0 / (r * (r - 1)) for r in range(2, n + 1)]
    log_r = [-math.inf] + [math.log(r) for r in range(1, n + 1)]
    log_k1 = [math.log(k + 1) for k in range(n + 1)]
    lo_slack, hi_slack = 1 - _SLACK, 1 + _SLACK
    lo_iv = None if problem.lo_iv is None else (float(problem.lo_iv[0]), float(problem.lo_iv[1]))
    up_iv = None if problem.up_iv is None else (float(problem.up_iv[0]), float(problem.up_iv[1]))

    pre = 1e-8  # a cheap float pre-check of the interval; problem.matches decides

    def ci_near(x: float, v: float) -> bool:
        if x <= 0 or math.isinf(x):
            return True
        lower, upper = _loglog_bounds(x, v, problem.z)
        return ((lo_iv is None or lo_iv[0] - pre <= lower < lo_iv[1] + pre)
                and (up_iv is None or up_iv[0] - pre <= upper < up_iv[1] + pre))

    def fits(x: float, v: float) -> bool:
        return x_lo_t <= x <= x_hi_t and vmin <= v <= vmax and ci_near(x, v)

    empty = (1, 0)

    def r_range(lo_a: float, hi_a: float, m: int, r_floor: int = 2) -> tuple[int, int]:
        """Risk sets ``r_floor <= r <= m`` with ``a(r)`` in ``[lo_a, hi_a]`` (slightly widened).

        ``a(r) <= α  <=>  r >= 1/(1 − e^−α)``.
        """
        if lo_a > hi_a * hi_slack:
            return empty
        r_lo = r_floor if math.isinf(hi_a) else max(r_floor, math.ceil(
            1.0 / -math.expm1(-hi_a * hi_slack) * lo_slack))
        r_hi = m if lo_a <= 0 else min(m, math.floor(
            1.0 / -math.expm1(-lo_a * lo_slack) * hi_slack))
        return (r_lo, r_hi) if r_lo <= r_hi else empty

    SHORT = 64  # noqa: N806  (ranges shorter than this are checked one risk set at a time)

    def f_inv(dv: float) -> float:  # the a with f(a) = dv
        return math.inf if math.isinf(dv) else 2 * math.asinh(math.sqrt(dv) / 2)

    # The admissible region, sliced once: a total x in [p, q] needs V in [v_lo, v_hi].  The
    # region is a thin slanted strip; per-slice bands are much tighter than the whole box.
    x_first = max(x_lo_t, 0.0)
    large = n >= SLICE_FROM_N
    if math.isfinite(x_hi_t):
        pieces = PIECES if large else 1
        step = (x_hi_t - x_first) / pieces
        edges = [x_first + i * step for i in range(pieces)] + [x_hi_t]
    else:
        edges = [x_first, x_hi_t]
    def piece(p: float, q: float, level: int):
        """``(p, q, v_lo, v_hi, halves)`` for ``x`` in ``[p, q]``, or None if no ``V`` fits;
        ``halves`` (down to ``level = 0``; None there) is the same for each half."""
        v_lo, v_hi = (_v_bounds(constraints, p, q, problem.z) if constraints is not None
                      else (math.inf, 0.0))
        if v_lo > v_hi:
            return None
        halves = None
        if level > 0 and math.isfinite(q):
            mid = (p + q) / 2
            halves = [h for h in (piece(p, mid, level - 1), piece(mid, q, level - 1)) if h]
        return p, q, v_lo, v_hi, halves

    levels = REFINE_LEVELS if large else 0
    strip = [sl for p, q in zip(edges, edges[1:], strict=False) if (sl := piece(p, q, levels))]
    counts = [] if constraints is None else _event_counts(constraints, n, x_first, x_hi_t,
                                                          problem.z, log_r)
    if not counts:
        return  # no number of events fits: proved before any search
    allowed = [False] * (n + 2)  # allowed[k]: k events in all may still fit
    for k in counts:
        allowed[k] = True
    next_allowed = [n + 1] * (n + 3)  # the smallest allowed total from t on
    for t in range(n, -1, -1):
        next_allowed[t] = t if allowed[t] else next_allowed[t + 1]

    def two_range(a0: float, a1: float, b0: float, b1: float, m: int) -> tuple[int, int]:
        """First (larger) ``r`` of two risk sets adding ``Δx ∈ [a0, a1]``, ``ΔV ∈ [b0, b1]``.

        For ``a < a'`` with ``a + a' = A``, ``f(a) + f(a') = 4 cosh(A/2) cosh(A/2 − a) − 4``
        falls as ``a`` rises to ``A/2``: need ``f(a) + f(a1 − a) ≥ b0`` and
        ``f(a) + f(max(a0 − a, a)) ≤ b1``, an interval of ``a``.
        """
        if math.isinf(a1):
            hi = math.inf
        else:
            c1 = 4 * math.cosh(a1 / 2)
            hi = a1 / 2 if c1 - 4 >= b0 else a1 / 2 - math.acosh((b0 + 4) / c1)
        c0 = 4 * math.cosh(a0 / 2)
        if math.isinf(b1):
            lo = 0.0
        elif (b1 + 4) / c0 >= 1:
            lo = max(0.0, a0 / 2 - math.acosh((b1 + 4) / c0))
        else:
            return empty
        return r_range(lo, hi, m, 3)

    def hull(ranges: list[tuple[int, int]]) -> tuple[int, int]:
        ranges = [rg for rg in ranges if rg != empty]
        if not ranges:
            return empty
        return min(rg[0] for rg in ranges), max(rg[1] for rg in ranges)

    def more_ok(parts, x: float, v: float, m: int, depth: int) -> bool:
        """Whether ``k ≥ 3`` risk sets from ``2..m`` might complete a prefix of ``depth`` risk
        sets at ``(x, v)`` (necessary conditions; ``parts = slices_of(x, v)``)."""
        a0, a1 = parts[0][0], parts[-1][1]
        b0, b1 = min(pt[2] for pt in parts), max(pt[3] for pt in parts)
        for k in range(3, m):
            x_top = log_r[m] - log_r[m - k]
            if x_top > a1:
                return False  # k or more risk sets overshoot the estimate's window
            if _max_v(a1, k, m, log_r) * hi_slack < b0:
                return False  # the largest ΔV with k risk sets is too small; shrinks with k
            if not allowed[depth + k]:
                continue
            if log_k1[k] < a0:
                continue  # k risk sets cannot add enough to x
            if _min_v(max(a0, x_top), k, m, log_r) * lo_slack > b1:
                continue

            def passes(sl, k=k, x_top=x_top) -> bool:
                """The same tests on one slice, then on its halves while it passes."""
                p, q, v_lo, v_hi, halves = sl
                if q <= x or v_hi <= v:
                    return False
                dx_lo, dx_hi = max(p - x, 0.0, x_top), min(q - x, log_k1[k])
                if not (dx_lo <= dx_hi and _max_v(dx_hi, k, m, log_r) * hi_slack
                        >= max(v_lo - v, 0.0) * lo_slack
                        and _min_v(dx_lo, k, m, log_r) * lo_slack <= (v_hi - v) * hi_slack):
                    return False
                return halves is None or any(passes(h) for h in halves)

            if any(passes(sl) for sl in strip):
                return True
        return False

    def slices_of(x: float, v: float):
        """The strip's slices seen from ``(x, v)``: ``(Δx_lo, Δx_hi, ΔV_lo, ΔV_hi)`` each."""
        return [(max(p - x, 0.0), q - x, max(v_lo - v, 0.0) * lo_slack, (v_hi - v) * hi_slack)
                for p, q, v_lo, v_hi, _ in strip if q > x and v_hi > v]

    def one(x: float, v: float, m: int, parts=None) -> tuple[int, int]:
        """Risk sets ``r ≤ m`` that complete ``(x, v)`` alone: ``a(r)`` and ``b(r) = f(a(r))``
        in one slice's windows; when fewer than ``SHORT`` remain, each is checked exactly and
        the smallest and largest hits are returned, otherwise the range."""
        if m < 2:
            return empty
        if parts is None:
            parts = slices_of(x, v)
        ranges = [rg for rg in (r_range(max(a0, f_inv(b0)), min(a1, f_inv(b1)), m)
                                for a0, a1, b0, b1 in parts) if rg != empty]
        if not ranges:
            return empty
        if sum(hi - lo + 1 for lo, hi in ranges) >= SHORT:
            return hull(ranges)
        hits = [r for r in sorted({r for lo, hi in ranges for r in range(lo, hi + 1)})
                if x_lo_t <= x + a[r] <= x_hi_t and vmin <= v + b[r] <= vmax
                and ci_near(x + a[r], v + b[r])]
        return (min(hits), max(hits)) if hits else empty

    def plan(x: float, v: float, m: int, depth: int) -> tuple[tuple[int, int], tuple[int, int],
                                                             int]:
        """Where completions of ``(x, v)`` (``depth`` risk sets) by risk sets in ``2..m`` can
        start, with a total number of events that is still ``allowed``.

        Returns the range of ``r`` completing with one risk set, the range of the first (larger)
        ``r`` of a completion with two, and the smallest first ``r`` of a completion with three
        or more (0: none might work).  Necessary
        conditions only (``problem.matches`` decides), slice by slice of the strip: adding
        ``Δx ∈ [p − x, q − x]`` needs ``ΔV ∈ [v_lo − v, v_hi − v]``.
        """
        if m < 2:
            return empty, empty, 0
        parts = slices_of(x, v)
        if not parts:
            return empty, empty, 0
        # k = 1: a(r) in [a0, a1] and f(a(r)) = b(r) in [b0, b1]; a short range is checked
        # risk set by risk set
        first = one(x, v, m, parts) if allowed[depth + 1] else empty
        two = empty
        if m >= 3 and allowed[depth + 2]:
            two = hull([two_range(*pt, m) for pt in parts])
            if two != empty and two[1] - two[0] < SHORT:
                hits = [r for r in range(two[0], two[1] + 1)
                        if one(x + a[r], v + b[r], r - 1) != empty]
                two = (min(hits), max(hits)) if hits else empty
        more = 0  # the smallest first risk set of a completion by three or more; 0: none
        if m >= 4 and more_ok(parts, x, v, m, depth):
            # the largest of k risk sets adding at most the budget has a(r) ≤ budget / k
            k3 = next_allowed[depth + 3] - depth
            budget = x_hi_t - x
            more = 2 if math.isinf(budget) else max(2, math.floor(
                1.0 / -math.expm1(-budget / k3) * lo_slack))
        return first, two, more

    def children(node_plan, m: int, r_min: int):
        """Risk sets to try next, largest first: all from ``m`` down to ``more`` (the first of
        three or more), then those that start a completion by one or two."""
        first, two, more = node_plan
        starts = [rg for rg in (first, two) if rg != empty]
        if not starts:
            return range(m, max(more, r_min) - 1, -1) if more else ()
        lo = max(r_min, min(rg[0] for rg in starts))
        hi = min(m, max(rg[1] for rg in starts), (more or m + 1) - 1)
        rest = (r for r in range(hi, lo - 1, -1)
                if first[0] <= r <= first[1] or two[0] <= r <= two[1])
        if more:
            return itertools.chain(range(m, max(more, r_min) - 1, -1), rest)
        return rest

    x_c = (x_lo_t + x_hi_t) / 2
    v_c = (vmin + vmax) / 2

    def spacing(x: float, v: float, m: int) -> float:
        """Spacing ``s`` of evenly spaced risk sets ``m, m − s, ...`` that would add the rest.

        With density ``1/s`` on ``[m − L, m]`` and ``u = L/m``: ``Δx ≈ −ln(1 − u)/s`` and
        ``ΔV ≈ u/((1 − u) m s)``, so ``ΔV·m/Δx = u/((1 − u)(−ln(1 − u)))`` (increasing in
        ``u``, 1 at ``u = 0``) fixes ``u`` and then ``s``.  Only orders the search.
        """
        dx, dv = x_c - x, v_c - v
        if not (0 < dx < math.inf and 0 < dv < math.inf):
            return 1.0
        ratio = dv * m / dx
        lo, hi = 0.0, 1.0
        for _ in range(40):
            u = (lo + hi) / 2
            if u / ((1 - u) * -math.log1p(-u)) < ratio:
                lo = u
            else:
                hi = u
        return max(1.0, -math.log1p(-(lo + hi) / 2) / dx)

    seen = set(found)

    def visit(prefix: list[int], x: float, v: float, m: int, node_plan,
              guide: random.Random | None) -> Iterator[None]:
        if prefix and x_lo_t <= x <= x_hi_t and vmin <= v <= vmax and ci_near(x, v):
            seq = tuple(prefix)
            if record(seq) and len(found) >= cap:
                return
        budget = x_hi_t - x
        if m < 2 or budget <= 0:
            return
        if math.isinf(budget):
            r_min = 2
        else:
            r_min = max(2, math.ceil(1.0 / -math.expm1(-budget)) - 1)
            while r_min <= m and a[r_min] > budget:
                r_min += 1
        rs = []
        for r in children(node_plan, m, r_min):
            if x + log_r[r] < x_lo_t:
                break  # even every risk set r..2 leaves S above the estimate's interval
            if v + b[r] > vmax:
                break  # b grows as r falls
            rs.append(r)
        if guide is not None:
            gap = (spacing(x, v, m) - 1) / 2 * guide.lognormvariate(0.0, 0.5)
            rs.sort(key=lambda r: abs(m - r - gap))
        for r in rs:
            x2, v2 = x + a[r], v + b[r]
            leaf = x_lo_t <= x2 <= x_hi_t and vmin <= v2 and ci_near(x2, v2)
            child_plan = plan(x2, v2, r - 1, len(prefix) + 1)
            yield  # one step per child planned: the two searches below take turns
            if not leaf and child_plan == (empty, empty, 0):
                continue
            prefix.append(r)
            yield from visit(prefix, x2, v2, r - 1, child_plan, guide)
            prefix.pop()
            if len(found) >= cap:
                return

    root = plan(0.0, 0.0, n, 0)

    def restarts() -> Iterator[None]:
        """Guided dives with random perturbations, restarted after Luby-sequence budgets; a
        dive that finds a new solution gets its full budget again (solutions cluster)."""
        rng = random.Random(0)
        for i in itertools.count(1):
            dive = visit([], 0.0, 0.0, n, root, rng)
            budget = RESTART_STEPS * _luby(i)
            left, seen_count = budget, len(found)
            for _ in dive:
                yield
                if len(found) > seen_count:
                    left, seen_count = budget, len(found)
                left -= 1
                if left <= 0:
                    break
            dive.close()

    def record(seq: tuple[int, ...]) -> bool:
        if seq in seen or not problem.matches(seq):
            return False
        seen.add(seq)
        found.append(seq)
        return True

    def steering() -> Iterator[None]:
        """Local search: steer ``k`` risk sets into the admissible region by moving one at a
        time, then collect the solutions around each one found (breadth first, moving one risk
        set within its gap).  Finds solutions, never proves their absence.
        """
        if not (math.isfinite(x_hi_t) and math.isfinite(vmax) and strip and n >= 3):
            return
        p, q, v_lo, v_hi, _ = max(strip, key=lambda sl: sl[3] - sl[2])  # aim at the widest band
        x_t, v_t = (p + q) / 2, (v_lo + v_hi) / 2
        wx, wv = max(x_hi_t - x_first, 1e-300), max(v_hi - v_lo, 1e-300)

        def cost(x: float, v: float) -> float:
            return ((x - x_t) / wx) ** 2 + ((v - v_t) / wv) ** 2

        def start(k: int, spread: float) -> list[int] | None:
            """``k`` risk sets ``n, n − s, ...`` (rounded) with ``Σ a ≈ x_t``, or None."""
            def spaced(sp: float) -> list[int]:
                return [math.floor(n - j * sp + 0.5) for j in range(k)]

            s_lo, s_hi = 1.0, (n - 2) / max(k - 1, 1)
            if sum(a[r] for r in spaced(s_lo)) > x_hi_t or sum(
                    a[r] for r in spaced(s_hi)) < x_first:
                return None
            for _ in range(50):
                mid = (s_lo + s_hi) / 2
                if sum(a[r] for r in spaced(mid)) < x_t:
                    s_lo = mid
                else:
                    s_hi = mid
            seq = spaced(s_lo * spread if k > 1 else s_lo)
            return seq if seq[-1] >= 2 and len(set(seq)) == k else None

        def two_blocks(k: int, jitter: int) -> list[int] | None:
            """A top block ``n, ..., n − j + 1`` and a second block of ``k − j`` risk sets
            placed so that ``Σ a ≈ x_t``.  ``j = 0`` is one block (least ``V`` for its ``x``),
            ``j = k − 1`` the top block and one risk set (most ``V``): ``j`` is chosen for
            ``V ≈ v_t``, then moved by ``jitter``.  Solutions of thin regions often look like
            this, which a uniform start cannot reach by single moves."""
            def second(j: int) -> int | None:  # top of the second block, or None
                size, need = k - j, x_t - (log_r[n] - log_r[n - j])
                lo, hi = size + 1, n - j  # the block c..c − size + 1 adds ln(c/(c − size))
                if hi < lo or log_r[hi] - log_r[hi - size] > need * hi_slack or (
                        log_r[lo] - log_r[lo - size] < need):
                    return None
                while lo < hi:  # the largest c adding at least `need`
                    mid = (lo + hi + 1) // 2
                    if log_r[mid] - log_r[mid - size] >= need:
                        lo = mid
                    else:
                        hi = mid - 1
                return lo

            options = []
            for j in range(k):
                c = second(j)
                if c is not None:
                    size = k - j
                    v = j / (n * (n - j)) + 1 / (c - size) - 1 / c  # telescoping sums of b
                    options.append((abs(v - v_t), j, c))
            if not options:
                return None
            options.sort()
            _, j, c = options[min(len(options) - 1, abs(jitter))]
            return list(range(n, n - j, -1)) + list(range(c, c - (k - j), -1))

        def moves(seq: list[int], i: int, reach: int) -> range:
            above = seq[i - 1] if i else n + 1
            below = seq[i + 1] if i + 1 < len(seq) else 1
            return range(max(below + 1, seq[i] - reach), min(above - 1, seq[i] + reach) + 1)

        def harvest(seq: list[int]) -> Iterator[None]:
            """Breadth first from a solution: move one risk set by up to 2 within its gap,
            alone or with the last (smallest) risk set re-chosen to put ``x`` back (every
            last risk set that completes, :func:`one`), or move two risk sets at most
            ``PAIR_REACH`` apart by one each in opposite directions (which changes ``x`` and
            ``V`` by third and fourth powers of ``1/r`` only).  Thin regions are lines or
            slivers of solutions that single moves leave at once."""
            queue = deque([seq])
            while queue and len(found) < cap:
                cur = queue.popleft()
                harvested.add(tuple(cur))
                x, v = sum(a[r] for r in cur), sum(b[r] for r in cur)
                last = len(cur) - 1
                for i, r in enumerate(cur):
                    for r2 in moves(cur, i, 2):
                        yield
                        if r2 == r:
                            continue
                        x2, v2 = x - a[r] + a[r2], v - b[r] + b[r2]
                        nexts = [cur[:i] + [r2] + cur[i + 1:]] if fits(x2, v2) else []
                        if i < last:  # re-choose the last risk set
                            x3, v3 = x2 - a[cur[last]], v2 - b[cur[last]]
                            lo, hi = one(x3, v3, (r2 if i == last - 1 else cur[last - 1]) - 1)
                            if hi - lo < SHORT:
                                nexts += [cur[:i] + [r2] + cur[i + 1:last] + [r3]
                                          for r3 in range(lo, hi + 1) if r3 != cur[last]
                                          and fits(x3 + a[r3], v3 + b[r3])]
                        for nxt in nexts:
                            if record(tuple(nxt)):
                                queue.append(nxt)
                                if len(found) >= cap:
                                    return
                pairs = [(i, j) for i in range(last)
                         for j in range(i + 1, min(last, i + PAIR_REACH) + 1)]
                for i, j in pairs:
                    yield
                    for d in (1, -1):  # cur[i] up and cur[j] down, or the reverse
                        ri, rj = cur[i] + d, cur[j] - d
                        if ri > n or rj < 2:
                            continue
                        x2 = x - a[cur[i]] - a[cur[j]] + a[ri] + a[rj]
                        v2 = v - b[cur[i]] - b[cur[j]] + b[ri] + b[rj]
                        if not fits(x2, v2):
                            continue
                        nxt = cur[:i] + [ri] + cur[i + 1:j] + [rj] + cur[j + 1:]
                        if all(nxt[t] > nxt[t + 1] for t in (i - 1, i, j - 1, j)
                               if 0 <= t < last):  # still strictly decreasing
                            if record(tuple(nxt)):
                                queue.append(nxt)
                                if len(found) >= cap:
                                    return

        ks = counts
        rng = random.Random(1)
        harvested: set[tuple[int, ...]] = set()
        done = 0  # solutions of `found` (from any search) looked at for harvesting
        while ks:
            while done < len(found):
                if found[done] and found[done] not in harvested:
                    yield from harvest(list(found[done]))
                done += 1
            k = ks[rng.randrange(len(ks))]
            seq = (start(k, rng.uniform(0.9, 1.1)) if rng.random() < 0.5
                   else two_blocks(k, int(rng.expovariate(0.5))))
            if seq is None:
                continue
            x, v = sum(a[r] for r in seq), sum(b[r] for r in seq)
            here, stuck = cost(x, v), 0
            for _ in range(STEER_STEPS):
                yield
                if fits(x, v) and record(tuple(seq)):
                    yield from harvest(seq)
                    break
                best = (here, -1, 0)
                for i, r in enumerate(seq):
                    for r2 in moves(seq, i, 8):
                        c = cost(x - a[r] + a[r2], v - b[r] + b[r2])
                        if c < best[0]:
                            best = (c, i, r2)
                if best[1] < 0:  # a local minimum outside the region: kick one risk set
                    stuck += 1
                    if stuck > 20:
                        break
                    i = rng.randrange(k)
                    best = (0.0, i, rng.choice(moves(seq, i, 8)))
                _, i, r2 = best
                x, v = x - a[seq[i]] + a[r2], v - b[seq[i]] + b[r2]
                seq[i] = r2
                here = cost(x, v)

    # The complete search (largest risk sets first: packed solutions come early) takes turns
    # with restarted guided dives and with local steering, which find spread solutions fast in
    # large problems.  Only the complete search can finish; when it does it has visited the
    # whole tree, so the solutions found are all of them.
    complete = visit([], 0.0, 0.0, n, root, None)
    for _ in range(WARMUP_STEPS):  # small problems finish here, before anything else starts
        if next(complete, StopIteration) is StopIteration or len(found) >= cap:
            return
    # Below SLICE_FROM_N patients the tree is small enough to finish: the helpers would only
    # slow the proof down (they cannot end the search).
    helpers = [restarts(), steering()] if large else []
    while True:
        for _ in range(TURN_STEPS):
            if next(complete, StopIteration) is StopIteration or len(found) >= cap:
                return
        for helper in helpers:
            for _ in range(TURN_STEPS):
                if next(helper, StopIteration) is StopIteration or len(found) >= cap:
                    break
            if len(found) >= cap:
                return


def _luby(i: int) -> int:
    """The ``i``-th term (``i ≥ 1``) of the Luby restart sequence 1, 1, 2, 1, 1, 2, 4, 1, ...

    (Luby, Sinclair & Zuckerman 1993: within a log factor of the best fixed restart budget.)
    """
    k = 1
    while (1 << k) - 1 < i:
        k += 1
    while True:
        if i == (1 << k) - 1:
            return 1 << (k - 1)
        i -= (1 << (k - 1)) - 1
        k = 1
        while (1 << k) - 1 < i:
            k += 1


def km_risk_sets_naive(estimate: Printed, lower: Printed | None, upper: Printed | None, n: int,
                       *, decimals: int | tuple[int, int, int] = 2, rounding: str = "single",
                       z: float = Z975) -> list[tuple[int, ...]]:
    """Reference answer by brute force: test all ``2^n`` subsets of ``{1..n}`` (small ``n``).

    Same acceptance rule as :func:`km_risk_sets` (``S = Π(1 − 1/r_i)`` exact, log(−log) CI
    within ``CI_TOLERANCE``; Kaplan & Meier 1958, Greenwood 1926, Kalbfleisch & Prentice 2002)
    but no pruning, for checking the branch and bound.  Same order as its solutions.  Refuses
    ``n > NAIVE_MAX_N`` (the ``2^n`` tests would not end).
    """
    if isinstance(n, Integral) and not isinstance(n, bool) and n > NAIVE_MAX_N:
        raise ValueError(f"km_risk_sets_naive tests all 2^n subsets: n={n} is too many (at most "
                         f"{NAIVE_MAX_N}); use km_risk_sets")
    problem = _parse(estimate, lower, upper, n, decimals, rounding, 1, z)[0]
    found = [combo for k in range(n + 1) for combo in combinations(range(n, 0, -1), k)
             if problem.matches(combo)]
    return sorted(found, key=lambda s: (len(s), [-r for r in s]))


def min_events(estimate: Printed, n: int, *, decimals: int = 2,
               rounding: str = "single") -> int | None:
    """Fewest events among ``n`` patients giving a KM estimate printed as ``estimate`` (%).

    The smallest ``d`` for which some ``n ≥ r_1 > ... > r_d ≥ 1`` has ``Π(1 − 1/r_i)`` (Kaplan
    & Meier 1958) in the printed interval; ``None`` if no ``d`` works.  With ``d`` events
    ``S ≤ (n − d)/n`` (:func:`max_estimate`) and, unless ``r_d = 1`` (``S = 0``),
    ``S ≥ 1/(d + 1)`` (risk sets ``d + 1, ..., 2``), which bound the search; e.g. 20% among 5
    patients needs 4 events (``4/5·3/4·2/3·1/2``).
    """
    problem = _parse(estimate, None, None, n, decimals, rounding, 1, Z975)[0]
    s_lo, s_hi = problem.s_iv
    if s_lo <= 1 < s_hi:
        return 0
    if s_lo <= 0:
        return 1  # one event at risk 1 (everyone else censored first) gives S = 0
    x_lo, x_hi = _x_window(problem.s_iv)
    a = [math.inf, math.inf] + [-math.log1p(-1.0 / r) for r in range(2, n + 1)]
    tol = 1e-12 * max(1.0, x_hi)

    def exists(x: float, m: int, k: int, prefix: list[int]) -> bool:
        if k == 0:
            return x_lo - tol <= x <= x_hi + tol and problem.matches(tuple(prefix))
        for r in range(m, k, -1):  # leave k−1 risk sets in 2..r−1
            x2 = x + a[r]
            if x2 + math.log((r - 1) / (r - k)) > x_hi + tol:
                break  # the cheapest completion r−1..r−k+1 already overshoots; worse below
            if x2 + math.log(k) < x_lo - tol:
                continue  # the dearest completion k..2 falls short
            prefix.append(r)
            ok = exists(x2, r - 1, k - 1, prefix)
            prefix.pop()
            if ok:
                return True
        return False

    for d in range(1, n):
        if Fraction(n - d, n) < s_lo:
            return None  # max_estimate(n, d) is already below the interval, and decreasing
        if exists(0.0, n, d, []):
            return d
    return None
