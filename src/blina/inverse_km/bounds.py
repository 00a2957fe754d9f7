"""Bounds that prune the search: what the printed CI allows, and what ``k`` risk sets can add.

Notation (as in :mod:`blina.stats.km`): an event at risk ``r`` adds ``a(r) = ln(r/(r − 1))`` to
``x = −ln S`` and ``b(r) = 1/(r(r − 1))`` to Greenwood's ``V`` (Greenwood 1926).  The two are
tied by ``b = f(a)`` with ``f(t) = 4 sinh²(t/2)`` (:func:`greenwood_of_log_factor`), convex
with ``f(0) = 0``; most bounds below follow from that convexity.

- :class:`CIBand` — the printed CI (log(−log), log or plain) as bounds on ``√V`` at each
  ``x``, and on ``V`` over a range of ``x``; :func:`trim_window` keeps the part of the
  estimate's window where some ``V`` fits;
- :func:`block_min_v` (a block) and :func:`max_v` (top block plus one) — the least and the
  most ``ΔV`` that ``k`` distinct risk sets ``≤ m`` adding ``Δx`` can have (:func:`min_v`,
  water filling, is a weaker least ``ΔV``, dominated by the block bound);
- :func:`allowed_event_counts` — the numbers of events those bounds do not rule out;
- :func:`risk_set_range` and :func:`first_of_two_range` — exact ranges of one risk set, and of
  the first of two, that complete a given ``(Δx, ΔV)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from blina.inverse_km.problem import CI_TOLERANCE, Problem

__all__ = [
    "EMPTY_RANGE",
    "HI_SLACK",
    "LO_SLACK",
    "REFINE_TESTS",
    "SLACK",
    "TRIM_CELLS",
    "CIBand",
    "Window",
    "admissible_window",
    "allowed_event_counts",
    "block_min_v",
    "first_of_two_range",
    "greedy_max_v",
    "greenwood_of_log_factor",
    "log_factor_of_greenwood",
    "log_minus_log",
    "max_v",
    "min_v",
    "risk_set_range",
    "trim_window",
    "x_window",
]

#: Relative slack used only for pruning; the final checks are exact or use ``CI_TOLERANCE``.
SLACK = 1e-9
LO_SLACK, HI_SLACK = 1 - SLACK, 1 + SLACK
#: Cells of ``x`` per round when trimming the window to where the CI band exists.
TRIM_CELLS = 64
#: Interval tests spent, per number of events, on ruling it out.
REFINE_TESTS = 4096
#: The empty range of risk sets ``(lo, hi)`` with ``lo > hi``.
EMPTY_RANGE = (1, 0)

Constraint = tuple[float, int, bool]


def greenwood_of_log_factor(dx: float) -> float:
    """``f(Δx) = 4 sinh²(Δx/2)``: the Greenwood term of one risk set whose ``−ln`` factor is Δx.

    For ``a(r) = ln(r/(r−1))`` and ``b(r) = 1/(r(r−1))``, ``b(r) = 4 sinh²(a(r)/2)`` exactly
    (``e^a = r/(r−1)``, so ``e^a + e^−a − 2 = 1/(r(r−1))``); ``f`` is convex with ``f(0) = 0``.
    """
    return 4.0 * math.sinh(dx / 2.0) ** 2


def log_factor_of_greenwood(dv: float) -> float:
    """The inverse of :func:`greenwood_of_log_factor`: ``2 asinh(√ΔV / 2)`` (``inf`` at inf)."""
    return math.inf if math.isinf(dv) else 2 * math.asinh(math.sqrt(dv) / 2)


def x_window(s_iv: tuple[Fraction, Fraction]) -> tuple[float, float]:
    """``(x_lo, x_hi)`` for ``x = −ln S`` with ``S`` in the half-open interval ``s_iv``."""
    s_lo, s_hi = s_iv
    x_lo = -math.log(s_hi) if s_hi < 1 else -math.inf
    x_hi = -math.log(s_lo) if s_lo > 0 else math.inf
    return x_lo, x_hi


def log_minus_log(t: float) -> float:
    """``ln(−ln t)``: ``+inf`` at ``t ≤ 0``, ``−inf`` at ``t ≥ 1``."""
    if t <= 0:
        return math.inf
    if t >= 1:
        return -math.inf
    return math.log(-math.log(t))


def _root_v_bound(form: str, c: float, sign: int, x: float, z: float) -> float:
    """The bound on ``w = √V`` that a constraint ``(form, c, sign)`` puts at ``x``:
    ``sign·x(c − ln x)/z`` (loglog), ``sign·(x − c)/z`` (log), ``sign·(c·e^x − 1)/z``
    (plain); see :class:`CIBand`."""
    if form == "loglog":
        return 0.0 if x == 0 else sign * x * (c - math.log(x)) / z
    if form == "log":
        return sign * (x - c) / z
    return sign * (c * math.exp(x) - 1) / z


def _extremes(form: str, c: float, sign: int, x1: float, x2: float,
              z: float) -> tuple[float, float]:
    """Min and max over ``[x1, x2]`` of a constraint's bound (:func:`_root_v_bound`).  The log
    and plain bounds are monotone in ``x``; the loglog one has one critical point,
    ``x = e^(c−1)`` (it is concave or convex), checked too when inside."""
    points = [x1, x2]
    if form == "loglog":
        crit = math.exp(c - 1)
        if x1 < crit < x2:
            points.append(crit)
    values = [_root_v_bound(form, c, sign, p, z) for p in points]
    return min(values), max(values)


def _loglog_constraints(lo: tuple[float, float] | None,
                        up: tuple[float, float] | None) -> list[tuple[float, int, bool]]:
    """``ln(−ln lower) = ln x + zw/x`` and ``ln(−ln upper) = ln x − zw/x`` (Kalbfleisch &
    Prentice 2002, §1.3): ``w ≷ sign·x(c − ln x)/z`` with ``c = ln(−ln edge)``."""
    raw = []
    if lo is not None:
        raw += [(log_minus_log(lo[1]), 1, True), (log_minus_log(lo[0]), 1, False)]
    if up is not None:
        raw += [(log_minus_log(up[0]), -1, True), (log_minus_log(up[1]), -1, False)]
    return raw


def _log_constraints(lo: tuple[float, float] | None,
                     up: tuple[float, float] | None) -> list[tuple[float, int, bool]]:
    """``lower = e^(−x − zw)``, ``upper = min(1, e^(−x + zw))``: ``w ≷ sign·(x − c)/z`` with
    ``c = −ln edge``; a lower edge at 0 or an upper interval holding 1 (the cap) bounds ``w``
    on one side only."""
    raw = []
    if lo is not None:
        raw.append((-math.log(lo[1]), -1, True))
        if lo[0] > 0:
            raw.append((-math.log(lo[0]), -1, False))
    if up is not None:
        if up[0] > 0:
            raw.append((-math.log(up[0]), 1, True))
        if up[1] <= 1:
            raw.append((-math.log(up[1]), 1, False))
    return raw


def _plain_constraints(lo: tuple[float, float] | None,
                       up: tuple[float, float] | None) -> list[tuple[float, int, bool]]:
    """``lower = max(0, S(1 − zw))``, ``upper = min(1, S(1 + zw))``, ``S = e^−x``:
    ``w ≷ sign·(c·e^x − 1)/z`` with ``c = edge``; a lower interval holding 0 or an upper one
    holding 1 (the clipping) bounds ``w`` on one side only."""
    raw = []
    if lo is not None:
        raw.append((lo[1], -1, True))
        if lo[0] > 0:
            raw.append((lo[0], -1, False))
    if up is not None:
        raw.append((up[0], 1, True))
        if up[1] <= 1:
            raw.append((up[1], 1, False))
    return raw


_CONSTRAINTS = {"loglog": _loglog_constraints, "log": _log_constraints,
                "plain": _plain_constraints}


@dataclass(frozen=True)
class CIBand:
    """The printed CI as bounds on ``w = √V`` at each ``x = −ln S``.

    Each printed bound's interval, widened by ``CI_TOLERANCE`` (the acceptance rule), gives a
    lower and an upper bound on ``w``.  A constraint ``(form, c, sign, is_lower)`` reads
    ``w ≥ h(x)`` (``is_lower``) or ``w ≤ h(x)``, with ``h`` of :func:`_root_v_bound`:

    - loglog: ``ln(−ln bound) = ln x ± zw/x`` (Kalbfleisch & Prentice 2002, §1.3), so
      ``h = sign·x(c − ln x)/z``, ``c = ln(−ln edge)``;
    - log: ``ln bound = −x ± zw`` (R ``survfit`` default), so ``h = sign·(x − c)/z``,
      ``c = −ln edge``;
    - plain: ``bound = e^−x (1 ± zw)`` (Collett 2015, §2.2), so ``h = sign·(c e^x − 1)/z``,
      ``c = edge``.

    Where the printed interval holds the value a bound is clipped or capped to (0 for a plain
    lower limit, 1 for a log or plain upper limit), every ``w`` beyond the clip prints the
    same: that side gives no constraint (sound, and exact).
    """

    constraints: tuple[tuple[str, float, int, bool], ...]
    z: float

    @classmethod
    def of(cls, problem: Problem) -> CIBand | None:
        """The band of ``problem``'s CI, or ``None`` if no positive ``w`` fits at any ``x``."""
        tol = CI_TOLERANCE

        def widened(iv):
            return None if iv is None else (float(iv[0]) - tol, float(iv[1]) + tol)

        raw = _CONSTRAINTS[problem.ci](widened(problem.lo_iv), widened(problem.up_iv))
        constraints = []
        for c, sign, is_lower in raw:
            if math.isinf(c):
                if (is_lower and sign * c < 0) or (not is_lower and sign * c > 0):
                    continue  # no bound on this side
                return None  # e.g. an upper bound on w below 0: nothing positive fits
            constraints.append((problem.ci, c, sign, is_lower))
        return cls(tuple(constraints), problem.z)

    def v_bounds(self, x1: float, x2: float) -> tuple[float, float]:
        """Bounds on ``V`` valid for every ``x`` in ``[x1, x2]`` (``0 ≤ x1 ≤ x2``).

        Each constraint's bound is monotone or unimodal in ``x`` (:func:`_extremes`), so its
        extremes over the interval are at the ends or the critical point; the lower bound uses
        each lower constraint's minimum, the upper bound each upper constraint's maximum.
        Empty (``vmin > vmax``) proves that no ``(x, V)`` there satisfies the CI.
        """
        if math.isinf(x2):
            return 0.0, math.inf
        lo_sqrt, hi_sqrt = 0.0, math.inf
        for form, c, sign, is_lower in self.constraints:
            lo_h, hi_h = _extremes(form, c, sign, x1, x2, self.z)
            if is_lower:
                lo_sqrt = max(lo_sqrt, lo_h)
            else:
                hi_sqrt = min(hi_sqrt, hi_h)
        if hi_sqrt < 0 or lo_sqrt > hi_sqrt * (1 + SLACK):
            return math.inf, 0.0
        vmin = lo_sqrt**2 * (1 - SLACK)
        vmax = hi_sqrt**2 * (1 + SLACK) + 1e-300 if math.isfinite(hi_sqrt) else math.inf
        return vmin, vmax

    def has_room(self, x1: float, x2: float) -> bool:
        """Some ``V`` satisfies the CI somewhere in ``[x1, x2]`` (a relaxation: may be True
        where no single ``x`` has room, never False where one has)."""
        v_lo, v_hi = self.v_bounds(x1, x2)
        return v_lo <= v_hi


def trim_window(band: CIBand, x1: float, x2: float) -> tuple[float, float]:
    """The part of ``[x1, x2]`` (finite, ``0 ≤ x1``) where the CI leaves some ``V``.

    Cuts the window into ``TRIM_CELLS`` cells, drops the cells whose band
    (:meth:`CIBand.v_bounds`, a relaxation over the cell) is empty, keeps the span from the
    first to the last cell left, and repeats while that shrinks the window by more than half.
    Sound: no ``x`` dropped has an admissible ``V``.  Returns ``(inf, -inf)`` when no cell is
    left.  Printed CIs often leave only a thin wedge at one end of the estimate's window.
    """
    for _ in range(8):
        step = (x2 - x1) / TRIM_CELLS
        if step <= 0:
            break
        edges = [x1 + i * step for i in range(TRIM_CELLS)] + [x2]
        kept = [(p, q) for p, q in zip(edges, edges[1:], strict=False) if band.has_room(p, q)]
        if not kept:
            return math.inf, -math.inf
        new1, new2 = kept[0][0], kept[-1][1]
        shrunk = (new2 - new1) < (x2 - x1) / 2
        x1, x2 = new1, new2
        if not shrunk:
            break
    return x1, x2


@dataclass(frozen=True)
class Window:
    """Where a solution's ``(x, V)`` must lie: ``x`` in ``[x_lo, x_hi]`` (the estimate's
    window, widened by a relative 1e-12 and trimmed to the CI's band) and ``V`` in
    ``[v_lo, v_hi]`` (the band over that window); ``band`` the CI's band itself."""

    x_lo: float
    x_hi: float
    v_lo: float
    v_hi: float
    band: CIBand


def admissible_window(problem: Problem) -> Window | None:
    """The :class:`Window` of ``problem``, or ``None`` when the printed values leave no room
    for any ``(x, V)`` (proved by the band alone, before any search)."""
    x_lo, x_hi = x_window(problem.s_iv)
    band = CIBand.of(problem)
    if band is None:
        return None
    vmin, vmax = band.v_bounds(max(x_lo, 0.0), x_hi)
    if vmin > vmax:
        return None
    tol = 1e-12
    x_lo_t = x_lo - tol * max(1.0, abs(x_lo)) if math.isfinite(x_lo) else x_lo
    x_hi_t = x_hi + tol * max(1.0, x_hi) if math.isfinite(x_hi) else x_hi
    if band.constraints and math.isfinite(x_hi_t):  # only where the CI leaves some V
        x_lo_t, x_hi_t = trim_window(band, max(x_lo_t, 0.0), x_hi_t)
        if x_lo_t > x_hi_t:
            return None
        vmin, vmax = band.v_bounds(x_lo_t, x_hi_t)
    return Window(x_lo_t, x_hi_t, vmin, vmax, band)


def min_v(dx: float, k: int, m: int, log_r: Sequence[float]) -> float:
    """Least ``ΔV`` of ``k`` distinct risk sets from ``2..m`` adding ``Δx = dx`` (water filling).

    The ``i``-th largest of ``k`` distinct risk sets ``≤ m`` is at most ``m − i + 1``, so its
    ``a_i ≥ α_i = a(m − i + 1)``.  Minimising the convex ``Σ f(a_i)`` (``b = f(a)``) subject to
    ``a_i ≥ α_i`` and ``Σ a_i = Δx`` raises the smallest ``α_i`` to a common level ``λ`` (KKT
    conditions; Boyd & Vandenberghe 2004, §5.5.3): ``a_i = max(α_i, λ)``.  With ``T(j) =
    Σ_{i>j} α_i = ln((m − j)/(m − k))`` and ``V_top(j) = j/(m(m − j))`` (telescoping sums),
    ``j`` raised risk sets give ``λ = (Δx − T(j))/j`` and ``ΔV ≥ j·f(λ) + V_top(k) −
    V_top(j)``.  At least both the top-block bound ``(e^Δx − 1)/m`` and the equal-split bound
    ``k·f(Δx/k)`` (Karamata's inequality); ``inf`` when ``Δx`` is below the top block's
    ``ln(m/(m − k))``.  ``log_r[r] = ln r``.
    """
    t_top = log_r[m] - log_r[m - k]
    if dx < t_top * (1 - SLACK):
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
    return lo * greenwood_of_log_factor(lam) + k / (m * (m - k)) - lo / (m * (m - lo))


def block_min_v(dx: float, k: int, m: int, floor: int = 2) -> float:
    """Least ``ΔV`` of ``k`` distinct risk sets from ``2..m`` adding ``Δx = dx``: the block.

    An event at risk ``r`` adds ``a(r) = ∫_{r−1}^{r} dt/t`` and ``b(r) = ∫_{r−1}^{r} dt/t²``,
    so ``k`` risk sets are a set ``E ⊆ [1, m]`` of measure ``k`` (unit intervals) with
    ``x = ∫_E dt/t`` and ``V = ∫_E dt/t²``.  Over *all* such sets of measure ``k`` (a linear
    programme in the density of ``E``) the least ``V`` is an interval ``[c − k, c]``: with
    ``s = 1/t`` the integrand ``s² − λs − μ`` of the Lagrangian is negative exactly between its
    two roots (bathtub principle; Lieb & Loss 2001, Thm 1.14).  ``ln(c/(c − k)) = Δx`` gives
    ``c = k/(1 − e^−Δx)`` and ``ΔV ≥ k/(c(c − k)) = 4 sinh²(Δx/2)/k``.  Increasing in ``Δx``;
    ``inf`` when the interval does not fit in ``[floor − 1, m]`` (risk sets ``floor..m``;
    ``Δx`` below the top block's ``ln(m/(m − k))`` or above the bottom block's
    ``ln((floor − 1 + k)/(floor − 1))``).  Tighter than the equal-split bound ``k·f(Δx/k)``
    by the factor ``sinh²(Δx/2)/(k² sinh²(Δx/(2k)))``.
    """
    if dx <= 0:
        return math.inf if k > 0 else 0.0
    c = k / -math.expm1(-dx)
    if c > m * HI_SLACK or c - k < (floor - 1) * LO_SLACK:
        return math.inf
    return greenwood_of_log_factor(dx) / k


def max_v(dx: float, k: int, m: int, log_r: Sequence[float]) -> float:
    """Most ``ΔV`` of ``k`` distinct risk sets from ``2..m`` adding ``Δx = dx`` (top block + 1).

    The top block of ``k − 1`` (``X_top = ln(m/(m − k + 1))``, ``V_top = (k − 1)/(m(m − k +
    1))``) plus one risk set taking the rest majorises every feasible split of ``Δx``, and
    ``b = f(a)`` is convex, so by Karamata's inequality ``ΔV ≤ V_top + f(Δx − X_top)``;
    increasing in ``Δx``, decreasing in ``k`` (``f`` is superadditive).
    """
    return (k - 1) / (m * (m - k + 1)) + greenwood_of_log_factor(
        dx - (log_r[m] - log_r[m - k + 1]))


def greedy_max_v(dx: float, k: int, lo: int, hi: int,
                 log_r: Sequence[float] | None = None) -> float:
    """Most ``ΔV`` of ``k`` distinct risk sets from ``lo..hi`` (``lo ≥ 2``) adding ``Δx = dx``.

    Sorted by size, the ``i``-th smallest risk set lies in ``[lo + i − 1, hi − k + i]``, so its
    ``a_i`` lies in ``[α_i, β_i] = [a(hi − k + i), a(lo + i − 1)]``, both decreasing in ``i``.
    The greedy vector — the first ``q`` at ``β`` (a bottom block ``lo..lo + q − 1``), one
    taking the rest, the others at ``α`` (a top block) — has the largest partial sums of all
    such vectors with sum ``Δx``, so it majorises each of them, and ``b = f(a)`` being convex,
    Karamata's inequality bounds ``ΔV`` by its ``Σ f``: ``1/(lo − 1) − 1/(lo + q − 1) +
    f(rest) + 1/(hi − k + q + 1) − 1/hi``.  With ``lo = 2`` and ``q = 0`` this is
    :func:`max_v`.  ``q`` is the largest with ``ln((lo + q − 1)/(lo − 1)) + ln(hi/(hi − k +
    q)) ≤ Δx`` (binary search; the left side grows with ``q``).  ``log_r[r] = ln r`` if given.
    """
    ln = math.log if log_r is None else log_r.__getitem__

    def fixed(q: int) -> float:  # x of the bottom block of q and the top block of k − q
        return ln(lo + q - 1) - ln(lo - 1) + ln(hi) - ln(hi - k + q)

    q_lo, q_hi = 0, k - 1
    if k > 1 and fixed(1) > dx:
        q_hi = 0  # the usual case: not even one risk set fits at the bottom
    while q_lo < q_hi:
        mid = (q_lo + q_hi + 1) // 2
        if fixed(mid) <= dx:
            q_lo = mid
        else:
            q_hi = mid - 1
    q = q_lo
    rest = dx - (ln(lo + q - 1) - ln(lo - 1)) - (ln(hi) - ln(hi - k + q + 1))
    return (1 / (lo - 1) - 1 / (lo + q - 1) + greenwood_of_log_factor(max(rest, 0.0))
            + 1 / (hi - k + q + 1) - 1 / hi)


def _count_ruled_out(band: CIBand, k: int, n: int, first: float, last: float,
                     log_r: Sequence[float]) -> bool:
    """Whether ``k`` events are impossible for ``x`` in ``[first, last]``: pieces of ``x`` are
    tested and halved, depth first (see :func:`allowed_event_counts`)."""
    lo_slack, hi_slack = 1 - SLACK, 1 + SLACK

    def out(p: float, q: float) -> bool:
        v_lo, v_hi = band.v_bounds(p, q)
        return (v_lo > v_hi or block_min_v(p, k, n) * lo_slack > v_hi
                or max_v(q, k, n, log_r) * hi_slack < v_lo)

    pieces, tests = [(first, last)], 0
    while pieces:
        p, q = pieces.pop()
        tests += 1
        if out(p, q):
            continue
        mid = (p + q) / 2
        if tests >= REFINE_TESTS or q - p <= 1e-15 * q or not out(mid, mid):
            return False
        pieces += [(mid, q), (p, mid)]
    return True


def allowed_event_counts(band: CIBand, n: int, x_lo: float, x_hi: float,
                         log_r: Sequence[float]) -> list[int]:
    """Numbers of events ``k`` (``1 ≤ k < n``, so ``S > 0``) not ruled out before the search.

    ``k`` distinct risk sets from ``2..n`` with ``x = Σ a(r_i)`` satisfy
    ``ln(n/(n − k)) ≤ x ≤ ln(k + 1)`` and ``L_k(x) ≤ V ≤ U_k(x)``, with ``L_k`` the water-filling
    bound (:func:`min_v`) and ``U_k`` the top block plus one (:func:`max_v`), both increasing in
    ``x``; the CI needs ``V`` in a band that moves with ``x`` (:meth:`CIBand.v_bounds`).  A
    piece ``[p, q]`` of ``x`` is ruled out when its band is empty, ``L_k(p)`` exceeds the band's
    top or ``U_k(q)`` falls short of its bottom.  Pieces that survive are halved until every
    piece is ruled out (``k`` is impossible), or a midpoint passes all the tests at that very
    ``x`` (``k`` stays), or ``REFINE_TESTS`` tests are spent (``k`` stays: not proved
    impossible).  E.g. ``95.85 (94.38–96.93)`` among 1000: 40 events need more ``V`` than
    allowed, 41 cannot reach it.
    """
    counts = []
    for k in range(1, n):
        first, last = max(x_lo, log_r[n] - log_r[n - k]), min(x_hi, math.log(k + 1))
        if first <= last and not _count_ruled_out(band, k, n, first, last, log_r):
            counts.append(k)
    return counts


def risk_set_range(lo_a: float, hi_a: float, m: int, r_floor: int = 2) -> tuple[int, int]:
    """Risk sets ``r_floor ≤ r ≤ m`` with ``a(r)`` in ``[lo_a, hi_a]`` (widened by ``SLACK``).

    ``a(r) ≤ α  ⇔  r ≥ 1/(1 − e^−α)``; ``EMPTY_RANGE`` when there is none (every ``a(r)`` is
    positive, so none when ``hi_a ≤ 0``).
    """
    if lo_a > hi_a * HI_SLACK or hi_a <= 0:
        return EMPTY_RANGE
    r_lo = r_floor if math.isinf(hi_a) else max(r_floor, math.ceil(
        1.0 / -math.expm1(-hi_a * HI_SLACK) * LO_SLACK))
    r_hi = m if lo_a <= 0 else min(m, math.floor(
        1.0 / -math.expm1(-lo_a * LO_SLACK) * HI_SLACK))
    return (r_lo, r_hi) if r_lo <= r_hi else EMPTY_RANGE


def first_of_two_range(a0: float, a1: float, b0: float, b1: float, m: int) -> tuple[int, int]:
    """First (larger) ``r ≤ m`` of two risk sets adding ``Δx ∈ [a0, a1]``, ``ΔV ∈ [b0, b1]``.

    For ``a < a'`` with ``a + a' = A``, ``f(a) + f(a') = 4 cosh(A/2) cosh(A/2 − a) − 4``
    (product formula for ``cosh``) falls as ``a`` rises to ``A/2``: the first risk set needs
    ``f(a) + f(a1 − a) ≥ b0`` and ``f(a) + f(max(a0 − a, a)) ≤ b1``, an interval of ``a``.
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
        return EMPTY_RANGE
    return risk_set_range(lo, hi, m, 3)
