"""Branch and bound over risk sets: the search space and the complete depth-first search.

A node is a prefix ``r_1 > ... > r_d`` with ``x = Σ a(r_i)`` and ``V = Σ b(r_i)``; its later
risk sets lie in ``2..m`` with ``m = r_d − 1``.  A child is entered only if it is a solution
candidate or some ``k ≥ 1`` more risk sets might bring ``(x, V)`` into the admissible region.
For ``k`` risk sets from ``2..m`` adding ``Δx`` (see :mod:`blina.inverse_km.bounds`):

- ``ln(m/(m−k)) ≤ Δx ≤ ln(k+1)`` (top block ``m..m−k+1``, bottom block ``k+1..2``);
- ``block_min_v(Δx) ≤ ΔV ≤ max_v(Δx)`` (a block; top block of ``k − 1`` plus one);
- ``k = 1`` is solved exactly: ``a(r)`` must lie in the ``x`` window and in
  ``f⁻¹([ΔV_min, ΔV_max])``, an interval of ``r``; ``k = 2`` is bounded by the range of the
  larger risk set that can still pair with a smaller one (:func:`first_of_two_range`);
- from ``SLICE_FROM_N`` patients on, the admissible ``(x, V)`` region (a thin slanted strip)
  is cut into ``PIECES`` slices of ``x``, each with its own band of ``V`` and halved
  ``REFINE_LEVELS`` deep: a completion must land in one of them;
- only totals of events not ruled out (:func:`allowed_event_counts`) are built, and the
  first of three or more risk sets adding at most the budget has ``a(r) ≤ budget/k``.

:class:`SearchSpace` holds all of this, computed once; :class:`DepthFirst` walks the tree with
an explicit stack (no recursion, whatever the depth), one step per child planned, so that
several searches can take turns.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from blina.inverse_km.bounds import (
    EMPTY_RANGE,
    HI_SLACK,
    LO_SLACK,
    CIBand,
    Window,
    allowed_event_counts,
    block_min_v,
    first_of_two_range,
    greedy_max_v,
    log_factor_of_greenwood,
    max_v,
    risk_set_range,
)
from blina.inverse_km.problem import CIPrefilter, Problem

__all__ = [
    "EMPTY_PLAN",
    "PIECES",
    "REFINE_LEVELS",
    "SHORT",
    "SLICE_FROM_N",
    "Collector",
    "DepthFirst",
    "Plan",
    "SearchSpace",
    "Slice",
    "hull",
]

PIECES = 4  # slices of the estimate's x window, each with its own band of V ...
SLICE_FROM_N = 100  # ... from this many patients on (below, one band: cheaper per node)
REFINE_LEVELS = 5  # halvings of each slice checked, for k ≥ 3, when the slice itself passes
SHORT = 64  # ranges of risk sets shorter than this are checked one risk set at a time

Range = tuple[int, int]
#: ``(one, two, more)``: the range of ``r`` completing with one risk set, the range of the
#: first of two, and the smallest first ``r`` of three or more (0: none might work).
Plan = tuple[Range, Range, int]
EMPTY_PLAN: Plan = (EMPTY_RANGE, EMPTY_RANGE, 0)


class Slice(NamedTuple):
    """``x`` in ``[p, q]`` needs ``V`` in ``[v_lo, v_hi]``; ``halves`` the same for each half
    (``None`` at the last level)."""

    p: float
    q: float
    v_lo: float
    v_hi: float
    halves: list[Slice] | None


def hull(ranges: list[Range]) -> Range:
    """The smallest range holding every non-empty range of ``ranges``."""
    ranges = [rg for rg in ranges if rg != EMPTY_RANGE]
    if not ranges:
        return EMPTY_RANGE
    return min(rg[0] for rg in ranges), max(rg[1] for rg in ranges)


def _slice(band: CIBand, p: float, q: float, level: int) -> Slice | None:
    """The :class:`Slice` of ``[p, q]``, halved ``level`` times, or None if no ``V`` fits."""
    v_lo, v_hi = band.v_bounds(p, q)
    if v_lo > v_hi:
        return None
    halves = None
    if level > 0 and math.isfinite(q):
        mid = (p + q) / 2
        halves = [h for h in (_slice(band, p, mid, level - 1), _slice(band, mid, q, level - 1))
                  if h]
    return Slice(p, q, v_lo, v_hi, halves)


def _strip(band: CIBand, x_first: float, x_hi: float, large: bool) -> tuple[Slice, ...]:
    """The admissible region sliced once: a total ``x`` in ``[p, q]`` needs ``V`` in
    ``[v_lo, v_hi]``; per-slice bands are much tighter than the whole window's."""
    if math.isfinite(x_hi):
        pieces = PIECES if large else 1
        step = (x_hi - x_first) / pieces
        edges = [x_first + i * step for i in range(pieces)] + [x_hi]
    else:
        edges = [x_first, x_hi]
    levels = REFINE_LEVELS if large else 0
    return tuple(sl for p, q in zip(edges, edges[1:], strict=False)
                 if (sl := _slice(band, p, q, levels)))


@dataclass(frozen=True, eq=False)
class SearchSpace:
    """Everything the searches share, computed once for a problem (see the module docstring).

    ``a[r]``, ``b[r]``, ``log_r[r] = ln r`` and ``log_k1[k] = ln(k + 1)`` are tables;
    ``coarse_strip`` is the strip without its halves;
    ``allowed[k]`` says whether ``k`` events in all may still fit and ``next_allowed[t]`` is
    the smallest allowed total from ``t`` on.
    """

    problem: Problem
    n: int
    x_lo: float
    x_hi: float
    v_lo: float
    v_hi: float
    x_first: float
    a: list[float]
    b: list[float]
    log_r: list[float]
    log_k1: list[float]
    strip: tuple[Slice, ...]
    coarse_strip: tuple[Slice, ...]
    counts: tuple[int, ...]
    allowed: tuple[bool, ...]
    next_allowed: tuple[int, ...]
    large: bool
    near_ci: CIPrefilter
    band: CIBand

    @classmethod
    def build(cls, problem: Problem, window: Window) -> SearchSpace | None:
        """The space of ``problem`` within ``window``; None when every number of events is
        ruled out by the bounds (no sequence exists, proved before any search)."""
        n = problem.n
        a = [math.inf, math.inf] + [-math.log1p(-1.0 / r) for r in range(2, n + 1)]
        b = [math.inf, math.inf] + [1.0 / (r * (r - 1)) for r in range(2, n + 1)]
        log_r = [-math.inf] + [math.log(r) for r in range(1, n + 1)]
        log_k1 = [math.log(k + 1) for k in range(n + 1)]
        x_first = max(window.x_lo, 0.0)
        large = n >= SLICE_FROM_N
        strip = _strip(window.band, x_first, window.x_hi, large)
        counts = allowed_event_counts(window.band, n, x_first, window.x_hi, log_r)
        if not counts:
            return None
        allowed = [False] * (n + 2)
        for k in counts:
            allowed[k] = True
        next_allowed = [n + 1] * (n + 3)
        for t in range(n, -1, -1):
            next_allowed[t] = t if allowed[t] else next_allowed[t + 1]
        coarse = tuple(sl._replace(halves=None) for sl in strip)
        return cls(problem, n, window.x_lo, window.x_hi, window.v_lo, window.v_hi, x_first, a,
                   b, log_r, log_k1, strip, coarse, tuple(counts), tuple(allowed),
                   tuple(next_allowed), large, CIPrefilter.of(problem), window.band)

    def fits(self, x: float, v: float) -> bool:
        """``(x, V)`` inside the window and its band, and the CI passes the pre-filter."""
        return self.x_lo <= x <= self.x_hi and self.v_lo <= v <= self.v_hi and self.near_ci(x, v)

    def slices_from(self, x: float, v: float) -> list[tuple[float, float, float, float]]:
        """The strip's slices seen from ``(x, v)``: ``(Δx_lo, Δx_hi, ΔV_lo, ΔV_hi)`` each."""
        return [(max(p - x, 0.0), q - x, max(v_lo - v, 0.0) * LO_SLACK, (v_hi - v) * HI_SLACK)
                for p, q, v_lo, v_hi, _ in self.strip if q > x and v_hi > v]

    def completing_one(self, x: float, v: float, m: int, parts=None) -> Range:
        """Risk sets ``r ≤ m`` that complete ``(x, v)`` alone: ``a(r)`` and ``b(r) = f(a(r))``
        in one slice's windows; when fewer than ``SHORT`` remain each is checked
        (:meth:`fits`) and the smallest and largest hits are returned, otherwise the range."""
        if m < 2:
            return EMPTY_RANGE
        if parts is None:
            parts = self.slices_from(x, v)
        ranges = [rg for rg in (risk_set_range(max(a0, log_factor_of_greenwood(b0)),
                                               min(a1, log_factor_of_greenwood(b1)), m)
                                for a0, a1, b0, b1 in parts) if rg != EMPTY_RANGE]
        if not ranges:
            return EMPTY_RANGE
        if sum(hi - lo + 1 for lo, hi in ranges) >= SHORT:
            return hull(ranges)
        a, b = self.a, self.b
        hits = [r for r in sorted({r for lo, hi in ranges for r in range(lo, hi + 1)})
                if self.fits(x + a[r], v + b[r])]
        return (min(hits), max(hits)) if hits else EMPTY_RANGE

    def first_of_two(self, x: float, v: float, m: int, parts) -> Range:
        """The range of the first (larger) of two risk sets completing ``(x, v)``; a short
        range is checked risk set by risk set (the second by :meth:`completing_one`)."""
        two = hull([first_of_two_range(*pt, m) for pt in parts])
        if two != EMPTY_RANGE and two[1] - two[0] < SHORT:
            a, b = self.a, self.b
            hits = [r for r in range(two[0], two[1] + 1)
                    if self.completing_one(x + a[r], v + b[r], r - 1) != EMPTY_RANGE]
            two = (min(hits), max(hits)) if hits else EMPTY_RANGE
        return two

    def slice_reachable(self, sl: Slice, x: float, v: float, k: int, x_top: float,
                        m: int) -> bool:
        """``k`` risk sets from ``2..m`` might bring ``(x, v)`` into slice ``sl``: the bounds
        on one slice, then on its halves while it passes."""
        p, q, v_lo, v_hi, halves = sl
        if q <= x or v_hi <= v:
            return False
        dx_lo, dx_hi = max(p - x, 0.0, x_top), min(q - x, self.log_k1[k])
        if not (dx_lo <= dx_hi and max_v(dx_hi, k, m, self.log_r) * HI_SLACK
                >= max(v_lo - v, 0.0) * LO_SLACK
                and block_min_v(dx_lo, k, m) * LO_SLACK <= (v_hi - v) * HI_SLACK):
            return False
        return halves is None or any(self.slice_reachable(h, x, v, k, x_top, m)
                                     for h in halves)

    def more_might_complete(self, parts, x: float, v: float, m: int, depth: int) -> bool:
        """Whether ``k ≥ 3`` risk sets from ``2..m`` might complete a prefix of ``depth`` risk
        sets at ``(x, v)`` (necessary conditions; ``parts = slices_from(x, v)``)."""
        log_r, allowed = self.log_r, self.allowed
        a0, a1 = parts[0][0], parts[-1][1]
        b0, b1 = min(pt[2] for pt in parts), max(pt[3] for pt in parts)
        # only totals still allowed: the tests that end the loop early are monotone in k
        first = max(3, self.next_allowed[min(depth + 3, self.n + 1)] - depth)
        for k in range(first, min(m, self.counts[-1] - depth + 1)):
            x_top = log_r[m] - log_r[m - k]
            if x_top > a1:
                return False  # k or more risk sets overshoot the estimate's window
            if max_v(a1, k, m, log_r) * HI_SLACK < b0:
                return False  # the largest ΔV with k risk sets is too small; shrinks with k
            if not allowed[depth + k] or self.log_k1[k] < a0:
                continue  # k events in all are ruled out, or k cannot add enough to x
            if block_min_v(max(a0, x_top), k, m) * LO_SLACK > b1:
                continue
            if any(self.slice_reachable(sl, x, v, k, x_top, m) for sl in self.strip):
                return True
        return False

    def can_complete(self, x: float, v: float, m: int, j: int, refine: bool = True) -> bool:
        """Whether exactly ``j ≥ 1`` more risk sets from ``2..m`` might complete ``(x, v)``
        (necessary conditions: exact for ``j = 1``, the pair range for ``j = 2``, the block
        and top-block bounds slice by slice for ``j ≥ 3``, and on the slices' halves too when
        ``refine``)."""
        if m < j + 1:
            return False
        parts = self.slices_from(x, v)
        if not parts:
            return False
        if j == 1:
            return self.completing_one(x, v, m, parts) != EMPTY_RANGE
        if j == 2:
            return self.first_of_two(x, v, m, parts) != EMPTY_RANGE
        x_top = self.log_r[m] - self.log_r[m - j]
        if x_top > parts[-1][1] or self.log_k1[j] < parts[0][0]:
            return False
        strip = self.strip if refine else self.coarse_strip
        return any(self.slice_reachable(sl, x, v, j, x_top, m) for sl in strip)

    def plan(self, x: float, v: float, m: int, depth: int) -> Plan:
        """Where completions of ``(x, v)`` (``depth`` risk sets) by risk sets in ``2..m`` can
        start, with a total number of events still allowed (a :data:`Plan`).  Necessary
        conditions only (``problem.matches`` decides), slice by slice of the strip."""
        if m < 2:
            return EMPTY_PLAN
        parts = self.slices_from(x, v)
        if not parts:
            return EMPTY_PLAN
        allowed = self.allowed
        first = self.completing_one(x, v, m, parts) if allowed[depth + 1] else EMPTY_RANGE
        two = (self.first_of_two(x, v, m, parts) if m >= 3 and allowed[depth + 2]
               else EMPTY_RANGE)
        more = 0
        if m >= 4 and self.more_might_complete(parts, x, v, m, depth):
            # the largest of k risk sets adding at most the budget has a(r) ≤ budget / k
            k3 = self.next_allowed[depth + 3] - depth
            budget = self.x_hi - x
            more = 2 if math.isinf(budget) else max(2, math.floor(
                1.0 / -math.expm1(-budget / k3) * LO_SLACK))
        return first, two, more

    def smallest_child(self, x: float, m: int) -> int:
        """The smallest risk set whose ``a(r)`` still fits in the budget ``x_hi − x``."""
        budget = self.x_hi - x
        if math.isinf(budget):
            return 2
        r_min = max(2, math.ceil(1.0 / -math.expm1(-budget)) - 1)
        while r_min <= m and self.a[r_min] > budget:
            r_min += 1
        return r_min

    @staticmethod
    def children(node_plan: Plan, m: int, r_min: int):
        """Risk sets to try next, largest first: all from ``m`` down to ``more`` (the first of
        three or more), then those that start a completion by one or two."""
        first, two, more = node_plan
        starts = [rg for rg in (first, two) if rg != EMPTY_RANGE]
        if not starts:
            return range(m, max(more, r_min) - 1, -1) if more else ()
        lo = max(r_min, min(rg[0] for rg in starts))
        hi = min(m, max(rg[1] for rg in starts), (more or m + 1) - 1)
        rest = (r for r in range(hi, lo - 1, -1)
                if first[0] <= r <= first[1] or two[0] <= r <= two[1])
        if more:
            return itertools.chain(range(m, max(more, r_min) - 1, -1), rest)
        return rest

    def _reachable_between(self, sl: Slice, x: float, v: float, j: int, lo: int, hi: int,
                           dx_range: tuple[float, float]) -> bool:
        """``j`` risk sets from ``lo..hi`` might bring ``(x, v)`` into slice ``sl`` (the block
        and greedy bounds on the slice, then on its halves while it passes)."""
        p, q, v_lo, v_hi, halves = sl
        if q <= x or v_hi <= v:
            return False
        dx_lo, dx_hi = max(p - x, 0.0, dx_range[0]), min(q - x, dx_range[1])
        dv_lo, dv_hi = max(v_lo - v, 0.0), v_hi - v
        if not (dx_lo <= dx_hi
                and greedy_max_v(dx_hi, j, lo, hi, self.log_r) * HI_SLACK >= dv_lo * LO_SLACK
                and block_min_v(dx_lo, j, hi, lo) * LO_SLACK <= dv_hi * HI_SLACK):
            return False
        if hi - lo + 1 - j <= j and not self._holes_fit(j, lo, hi, dx_lo, dx_hi, dv_lo, dv_hi):
            return False
        return halves is None or any(self._reachable_between(h, x, v, j, lo, hi, dx_range)
                                     for h in halves)

    def _holes_fit(self, j: int, lo: int, hi: int, dx_lo: float, dx_hi: float, dv_lo: float,
                   dv_hi: float) -> bool:
        """``j`` risk sets filling ``lo..hi`` but for ``g`` holes might add ``Δx`` in
        ``[dx_lo, dx_hi]`` and ``ΔV`` in ``[dv_lo, dv_hi]``: the holes are ``g`` risk sets of
        the same range that must take away ``y = X − Δx`` and ``W = V − ΔV`` from the full
        range's ``X = ln(hi/(lo − 1))`` and ``V = 1/(lo − 1) − 1/hi``, so the block and greedy
        bounds apply to them (:func:`block_min_v`, :func:`greedy_max_v`).  Nearly exact when
        few holes are left, where the bounds on the ``j`` risk sets themselves are loose."""
        log_r, g = self.log_r, hi - lo + 1 - j
        x_full, v_full = log_r[hi] - log_r[lo - 1], 1 / (lo - 1) - 1 / hi
        if g == 0:
            return (dx_lo * LO_SLACK <= x_full <= dx_hi * HI_SLACK
                    and dv_lo * LO_SLACK <= v_full <= dv_hi * HI_SLACK)
        y_lo = max(x_full - dx_hi, log_r[hi] - log_r[hi - g])
        y_hi = min(x_full - dx_lo, log_r[lo - 1 + g] - log_r[lo - 1])
        if y_lo > y_hi * HI_SLACK + 1e-15:
            return False
        return (greedy_max_v(y_hi, g, lo, hi, log_r) * HI_SLACK >= (v_full - dv_hi) * LO_SLACK
                and block_min_v(max(y_lo, 0.0), g, hi, lo) * LO_SLACK
                <= (v_full - dv_lo) * HI_SLACK)

    def can_complete_between(self, x: float, v: float, lo: int, hi: int, j: int,
                             refine: bool = True) -> bool:
        """Whether exactly ``j ≥ 1`` more risk sets from ``lo..hi`` might complete ``(x, v)``:
        :meth:`can_complete` for a search that fixes the largest and the smallest risk sets
        (the block bound :func:`block_min_v` with a floor, the greedy bound
        :func:`greedy_max_v`; their ``x`` lies between the top and the bottom block)."""
        log_r = self.log_r
        if hi - lo + 1 < j:
            return False
        parts = self.slices_from(x, v)
        if not parts:
            return False
        dx_range = (log_r[hi] - log_r[hi - j], log_r[lo - 1 + j] - log_r[lo - 1])
        if dx_range[0] > parts[-1][1] or dx_range[1] < parts[0][0]:
            return False
        if j == 1:
            return any(risk_set_range(max(a0, log_factor_of_greenwood(b0)),
                                      min(a1, log_factor_of_greenwood(b1)), hi, lo)
                       != EMPTY_RANGE for a0, a1, b0, b1 in parts)
        strip = self.strip if refine else self.coarse_strip
        return any(self._reachable_between(sl, x, v, j, lo, hi, dx_range) for sl in strip)

    def spacing(self, x: float, v: float, m: int) -> float:
        """Spacing ``s`` of evenly spaced risk sets ``m, m − s, ...`` that would add the rest.

        With density ``1/s`` on ``[m − L, m]`` and ``u = L/m``: ``Δx ≈ −ln(1 − u)/s`` and
        ``ΔV ≈ u/((1 − u) m s)``, so ``ΔV·m/Δx = u/((1 − u)(−ln(1 − u)))`` (increasing in
        ``u``, 1 at ``u = 0``) fixes ``u`` and then ``s``.  Only orders the guided dives.
        """
        dx = (self.x_lo + self.x_hi) / 2 - x
        dv = (self.v_lo + self.v_hi) / 2 - v
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


class Collector:
    """The solutions found so far, shared by every search of a problem: ``record`` checks a
    sequence exactly (``problem.matches``) and keeps it once; ``full`` once ``cap`` are held."""

    def __init__(self, problem: Problem, found: list[tuple[int, ...]], cap: int) -> None:
        self.problem, self.found, self.cap = problem, found, cap
        self.seen = set(found)

    @property
    def full(self) -> bool:
        return len(self.found) >= self.cap

    def record(self, seq: tuple[int, ...]) -> bool:
        """Keep ``seq`` if it is new and matches; True if it was kept."""
        if seq in self.seen or not self.problem.matches(seq):
            return False
        self.seen.add(seq)
        self.found.append(seq)
        return True


class DepthFirst:
    """Depth-first branch and bound from the root, one step per child planned.

    Without ``guide`` the children are tried largest first and the walk, once finished, has
    seen every solution (the complete search).  With a ``guide`` (a ``random.Random``) each
    node orders its children by closeness to a randomly perturbed spacing
    (:meth:`SearchSpace.spacing`): a guided dive, which finds spread solutions sooner but is
    meant to be stopped.  The stack holds one frame per risk set of the current prefix.
    """

    def __init__(self, space: SearchSpace, collector: Collector, root: Plan,
                 guide: random.Random | None = None) -> None:
        self.space, self.collector, self.root, self.guide = space, collector, root, guide
        self.prefix: list[int] = []

    def _enter(self, x: float, v: float, m: int, node_plan: Plan):
        """Visit the node of the current prefix: record it if it is a solution, and return
        its frame ``(x, v, children)``, or None when it has no child (or the cap is hit)."""
        sp = self.space
        if self.prefix and sp.fits(x, v):
            if self.collector.record(tuple(self.prefix)) and self.collector.full:
                return None
        if m < 2 or sp.x_hi - x <= 0:
            return None
        log_r, b, x_lo, v_hi = sp.log_r, sp.b, sp.x_lo, sp.v_hi
        rs = []
        for r in sp.children(node_plan, m, sp.smallest_child(x, m)):
            if x + log_r[r] < x_lo:
                break  # even every risk set r..2 leaves S above the estimate's interval
            if v + b[r] > v_hi:
                break  # b grows as r falls
            rs.append(r)
        if self.guide is not None:
            gap = (sp.spacing(x, v, m) - 1) / 2 * self.guide.lognormvariate(0.0, 0.5)
            rs.sort(key=lambda r: abs(m - r - gap))
        return x, v, iter(rs)

    def steps(self) -> Iterator[None]:
        """Walk the tree, yielding once per child planned; returns when the tree is done or
        the collector is full."""
        sp, collector, prefix = self.space, self.collector, self.prefix
        a, b, x_lo, x_hi, v_lo = sp.a, sp.b, sp.x_lo, sp.x_hi, sp.v_lo
        near_ci, plan, enter = sp.near_ci, sp.plan, self._enter
        frame = enter(0.0, 0.0, sp.n, self.root)
        stack = [] if frame is None else [frame]
        while stack:
            x, v, rs = stack[-1]
            r = next(rs, None)
            if r is None:  # this node is done
                stack.pop()
                if not stack:
                    return
                prefix.pop()
                if collector.full:
                    return
                continue
            x2, v2 = x + a[r], v + b[r]
            leaf = x_lo <= x2 <= x_hi and v_lo <= v2 and near_ci(x2, v2)
            child_plan = plan(x2, v2, r - 1, len(prefix) + 1)
            yield
            if not leaf and child_plan == EMPTY_PLAN:
                continue
            prefix.append(r)
            child = enter(x2, v2, r - 1, child_plan)
            if child is None:
                prefix.pop()
                if collector.full:
                    return
                continue
            stack.append(child)
