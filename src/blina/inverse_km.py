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

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import combinations
from numbers import Real

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
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return value


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

    The search is a depth-first branch and bound in ``x = −ln S`` and ``V``: a child adds
    ``a(r) = ln(r/(r−1))`` and ``b(r) = 1/(r(r−1))``.  It prunes when ``x`` would pass the
    estimate's upper edge, when ``x + ln r`` (taking every remaining risk set) cannot reach its
    lower edge, when ``V`` exceeds the largest variance the CI allows, when even the cheapest
    completion (``ΔV ≥ (e^Δx − 1)/m``, the telescoping top block ``m, m−1, ...``) does, and
    when the largest completion (``ΔV ≤ 4 sinh²(Δx/2)``, by convexity of ``b`` in ``a``)
    cannot reach the smallest variance allowed; completions by one or two more risk sets are
    solved exactly and longer ones bounded by majorisation (see ``_search``).

    Cost: the paper's figures take milliseconds; the search is still exponential in the worst
    case: about 40 patients with many events (``S`` below ~20%), or ``n = 1000`` with 40 events
    packed at the top with little censoring, can take minutes (bench/bench_inverse_km.py).
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


def _v_window(problem: _Problem, x_lo: float, x_hi: float) -> tuple[float, float]:
    """Bounds on Greenwood's ``V`` for any positive-S solution, from the CI intervals.

    ``ln(−ln lower) = ln x + z√V/x`` and ``ln(−ln upper) = ln x − z√V/x``; each bound's interval
    turns into an interval for ``√V`` whose ends are ``±x(c − ln x)/z``; the extremes over the
    ``x`` window are at its ends or at the critical point ``x = e^(c−1)``.
    """
    x1, x2 = max(x_lo, 0.0), x_hi
    if math.isinf(x2):
        return 0.0, math.inf
    lo_sqrt, hi_sqrt = 0.0, math.inf

    def g(t: Fraction) -> float:  # ln(−ln t), +inf at 0, -inf at 1
        if t <= 0:
            return math.inf
        if t >= 1:
            return -math.inf
        return math.log(-math.log(t))

    constraints = []  # (c, sign, is_lower_bound_on_sqrtV)
    if problem.lo_iv is not None:
        constraints += [(g(problem.lo_iv[1]), 1, True), (g(problem.lo_iv[0]), 1, False)]
    if problem.up_iv is not None:
        constraints += [(g(problem.up_iv[0]), -1, True), (g(problem.up_iv[1]), -1, False)]
    for c, sign, is_lower in constraints:
        if math.isinf(c):
            if is_lower and sign * c < 0:
                continue  # no lower bound
            if not is_lower and sign * c > 0:
                continue  # no upper bound
            return math.inf, 0.0  # e.g. upper bound below 0: nothing positive fits
        lo_h, hi_h = _extremes(c, sign, x1, x2, problem.z)
        if is_lower:
            lo_sqrt = max(lo_sqrt, lo_h)
        else:
            hi_sqrt = min(hi_sqrt, hi_h)
    if hi_sqrt < 0:
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
      ``f⁻¹([ΔV_min, ΔV_max])``, an interval of ``r``.
    """
    n = problem.n
    if problem.matches(()):  # the empty sequence: S = 1, degenerate CI
        found.append(())
        if len(found) >= cap:
            return
    x_lo, x_hi = _x_window(problem.s_iv)
    vmin, vmax = _v_window(problem, x_lo, x_hi)
    if vmin > vmax:
        return
    tol = 1e-12
    x_lo_t = x_lo - tol * max(1.0, abs(x_lo)) if math.isfinite(x_lo) else x_lo
    x_hi_t = x_hi + tol * max(1.0, x_hi) if math.isfinite(x_hi) else x_hi
    a = [math.inf, math.inf] + [-math.log1p(-1.0 / r) for r in range(2, n + 1)]
    b = [math.inf, math.inf] + [1.0 / (r * (r - 1)) for r in range(2, n + 1)]
    log_r = [-math.inf] + [math.log(r) for r in range(1, n + 1)]
    log_k1 = [math.log(k + 1) for k in range(n + 1)]
    lo_slack, hi_slack = 1 - _SLACK, 1 + _SLACK
    lo_iv = None if problem.lo_iv is None else (float(problem.lo_iv[0]), float(problem.lo_iv[1]))
    up_iv = None if problem.up_iv is None else (float(problem.up_iv[0]), float(problem.up_iv[1]))
    prefix: list[int] = []

    pre = 1e-8  # a cheap float pre-check of the interval; problem.matches decides

    def ci_near(x: float, v: float) -> bool:
        if x <= 0 or math.isinf(x):
            return True
        lower, upper = _loglog_bounds(x, v, problem.z)
        return ((lo_iv is None or lo_iv[0] - pre <= lower < lo_iv[1] + pre)
                and (up_iv is None or up_iv[0] - pre <= upper < up_iv[1] + pre))

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

    def exact_one(x: float, v: float, rng: tuple[int, int]) -> tuple[int, int]:
        if rng == empty or rng[1] - rng[0] >= SHORT:
            return rng
        hits = [r for r in range(rng[0], rng[1] + 1)
                if x_lo_t <= x + a[r] <= x_hi_t and vmin <= v + b[r] <= vmax
                and ci_near(x + a[r], v + b[r])]
        return (min(hits), max(hits)) if hits else empty

    def r_range_one(x: float, v: float, m: int) -> tuple[int, int]:
        a1 = x_hi_t - x
        b1 = (vmax - v) * hi_slack
        if m < 2 or a1 <= 0 or b1 <= 0:
            return empty
        a0 = max(x_lo_t - x, 0.0)
        b0 = max(vmin - v, 0.0) * lo_slack
        return r_range(max(a0, f_inv(b0)), min(a1, f_inv(b1)), m)

    def f_inv(dv: float) -> float:  # the a with f(a) = dv
        return math.inf if math.isinf(dv) else 2 * math.asinh(math.sqrt(dv) / 2)

    def plan(x: float, v: float, m: int) -> tuple[tuple[int, int], tuple[int, int], bool]:
        """Where completions of ``(x, v)`` by risk sets in ``2..m`` can start.

        Returns the range of ``r`` completing with one risk set, the range of the first (larger)
        ``r`` of a completion with two, and whether three or more might work.  Necessary
        conditions only (``problem.matches`` decides).  Two risk sets ``a < a'``: with
        ``a + a' = A``, ``f(a) + f(a') = 4 cosh(A/2) cosh(A/2 − a) − 4`` falls as ``a`` rises to
        ``A/2``, which turns the windows into an interval of ``a``.
        """
        a1 = x_hi_t - x
        b1 = (vmax - v) * hi_slack
        if m < 2 or a1 <= 0 or b1 <= 0:
            return empty, empty, False
        a0 = max(x_lo_t - x, 0.0)
        b0 = max(vmin - v, 0.0) * lo_slack
        # k = 1: a(r) in [a0, a1] and f(a(r)) = b(r) in [b0, b1]; a short range is checked
        # risk set by risk set against the interval itself (the box is loose: the admissible
        # (x, V) form a thin slanted strip)
        one = exact_one(x, v, r_range(max(a0, f_inv(b0)), min(a1, f_inv(b1)), m))
        # k = 2: the larger risk set r has a = a(r) <= a1/2; need f(a) + f(a1 − a) >= b0 and
        # f(a) + f(max(a0 − a, a)) <= b1
        two = empty
        if m >= 3:
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
                lo = math.inf
            two = r_range(lo, hi, m, 3)
            if two != empty and two[1] - two[0] < SHORT:
                hits = [r for r in range(two[0], two[1] + 1) if exact_one(
                    x + a[r], v + b[r], r_range_one(x + a[r], v + b[r], r - 1)) != empty]
                two = (min(hits), max(hits)) if hits else empty
        # k >= 3
        more = False
        for k in range(3, m):
            x_top = log_r[m] - log_r[m - k]
            if x_top > a1:
                break  # k or more risk sets overshoot the estimate's window
            x_top1 = log_r[m] - log_r[m - k + 1]
            v_top1 = (k - 1) / (m * (m - k + 1))
            if (v_top1 + _f(a1 - x_top1)) * hi_slack < b0:
                break  # the largest ΔV with k risk sets is too small, and shrinks with k
            if log_k1[k] < a0:
                continue  # k risk sets cannot add enough to x
            dx = max(a0, x_top)
            if max(math.expm1(dx) / m, k * _f(dx / k)) * lo_slack <= b1:
                more = True
                break
        return one, two, more

    def children(node_plan, m: int, r_min: int):
        one, two, more = node_plan
        if more:
            return range(m, r_min - 1, -1)
        lo, hi = max(r_min, min(one[0], two[0])), min(m, max(one[1], two[1]))
        return [r for r in range(hi, lo - 1, -1)
                if one[0] <= r <= one[1] or two[0] <= r <= two[1]]

    def visit(x: float, v: float, m: int, node_plan) -> None:
        if prefix and x_lo_t <= x <= x_hi_t and vmin <= v <= vmax and ci_near(x, v):
            seq = tuple(prefix)
            if problem.matches(seq):
                found.append(seq)
                if len(found) >= cap:
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
        for r in children(node_plan, m, r_min):
            if x + log_r[r] < x_lo_t:
                break  # even every risk set r..2 leaves S above the estimate's interval
            v2 = v + b[r]
            if v2 > vmax:
                break  # b grows as r falls
            x2 = x + a[r]
            leaf = x_lo_t <= x2 <= x_hi_t and vmin <= v2 and ci_near(x2, v2)
            child_plan = plan(x2, v2, r - 1)
            if not leaf and child_plan == (empty, empty, False):
                continue
            prefix.append(r)
            visit(x2, v2, r - 1, child_plan)
            prefix.pop()
            if len(found) >= cap:
                return

    visit(0.0, 0.0, n, plan(0.0, 0.0, n))


def km_risk_sets_naive(estimate: Printed, lower: Printed | None, upper: Printed | None, n: int,
                       *, decimals: int | tuple[int, int, int] = 2, rounding: str = "single",
                       z: float = Z975) -> list[tuple[int, ...]]:
    """Reference answer by brute force: test all ``2^n`` subsets of ``{1..n}`` (small ``n``).

    Same acceptance rule as :func:`km_risk_sets` (``S = Π(1 − 1/r_i)`` exact, log(−log) CI
    within ``CI_TOLERANCE``; Kaplan & Meier 1958, Greenwood 1926, Kalbfleisch & Prentice 2002)
    but no pruning, for checking the branch and bound.  Same order as its solutions.
    """
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
