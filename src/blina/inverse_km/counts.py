"""Deciding each number of events: a witness sequence, or a proof that none exists.

A number of events ``k`` is *feasible* when some sequence of exactly ``k`` risk sets prints as
the figure.  :func:`decide_counts` settles every ``k`` the bounds leave open
(:func:`blina.inverse_km.bounds.allowed_event_counts`) in three ways, cheapest first:

1. witnesses already at hand (solutions of the enumeration);
2. direct constructions: an evenly spread sequence finished by a short exact search
   (:func:`spread_witness`), or two blocks and a free pair
   (:func:`blina.inverse_km.construct.constructed_witness`), which decide most feasible
   counts of a large cohort in a few milliseconds each;
3. :class:`CountSearch` and :class:`TwoEndedCountSearch`, the branch and bound restricted to
   exactly ``k`` risk sets, largest risk sets first or both ends in turn.  Each is complete:
   it stops at the first witness, and when it ends without one, ``k`` is proved impossible;
   the first of the two to end decides.  The open counts take turns, each with a budget of
   steps that doubles every round, so that quick answers come first and a hard count cannot
   starve the others.

When the deadline passes, the counts still open are reported as undecided, never guessed.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from blina.inverse_km.bounds import (
    HI_SLACK,
    LO_SLACK,
    block_min_v,
    first_of_two_range,
    greedy_max_v,
    risk_set_range,
)
from blina.inverse_km.branch import EMPTY_RANGE, SearchSpace, hull
from blina.inverse_km.budget import Deadline, OutOfTime
from blina.inverse_km.construct import constructed_witness

__all__ = ["FIRST_QUOTA", "CountSearch", "CountVerdicts", "TwoEndedCountSearch", "count_target",
           "decide_counts", "even_spread", "neighbour_witness", "promise", "spiral",
           "spread_witness", "window_centre"]

FIRST_QUOTA = 256  # steps of each open count's search in the first round (doubling after)
REFINE_BELOW = 24  # risk sets still to place below which the strip's halves are checked too
_POLL = 256  # steps between two looks at the clock


@dataclass
class CountVerdicts:
    """Per number of events: a witness, proved impossible, or undecided (deadline)."""

    witnesses: dict[int, tuple[int, ...]] = field(default_factory=dict)
    impossible: set[int] = field(default_factory=set)
    undecided: set[int] = field(default_factory=set)


class CountSearch:
    """Depth-first branch and bound over sequences of exactly ``k`` risk sets with ``S > 0``,
    placing the largest risk sets first.

    A node holds ``(x, V)``, the largest risk set ``m`` still free and the number ``j`` of
    risk sets still to place.  Its children ``r`` are limited by the estimate's window in
    closed form: the cheapest completion, the block ``r, ..., r − j + 1``, adds
    ``ln(r/(r − j))``, so ``r ≥ j/(1 − e^−(x_hi − x))``; the dearest, ``r`` and then ``j, ...,
    2``, adds ``a(r) + ln j``, which must reach ``x_lo``; and ``b(r)`` alone must fit under
    the largest ``V``.  They are tried nearest first to where ``j`` evenly spread risk sets
    aimed at ``target`` would start (:func:`even_spread`), so that the first dive tends to
    stay inside the region; a child is entered only if :meth:`SearchSpace.can_complete`
    allows its ``j − 1`` remaining risk sets.  Explicit stack, one step per child;
    ``witness`` holds the first match, ``finished`` says the tree is done.
    """

    def __init__(self, space: SearchSpace, k: int, start: tuple[int, ...] = (),
                 target: tuple[float, float] | None = None) -> None:
        self.space, self.k, self.start = space, k, start
        self.target = window_centre(space) if target is None else target
        self.witness: tuple[int, ...] | None = None
        self.finished = False

    def _root(self) -> int:
        return self.start[-1] - 1 if self.start else self.space.n

    def _children(self, x: float, v: float, m: int, j: int) -> Iterator[int]:
        """Risk sets that may come next (see the class docstring), nearest the guide's first."""
        sp = self.space
        budget = sp.x_hi - x
        if budget <= 0 or m < j + 1 or v >= sp.v_hi:
            return iter(())
        if j == 1:
            lo, hi = risk_set_range(sp.x_lo - x, budget, m)
        else:
            lo = max(j + 1, math.ceil(j / -math.expm1(-budget) * LO_SLACK))
            need = sp.x_lo - x - math.log(j)
            hi = m if need <= 0 else min(m, math.floor(1.0 / -math.expm1(-need) * HI_SLACK))
            if j == 2:
                two = hull([first_of_two_range(*pt, m) for pt in sp.slices_from(x, v)])
                if two == EMPTY_RANGE:
                    return iter(())
                lo, hi = max(lo, two[0]), min(hi, two[1])
        lo = max(lo, _v_floor(sp.v_hi - v))
        if lo > hi:
            return iter(())
        return spiral(round(min(m, even_spread(self.target, x, v, j)[1])), lo, hi)

    def _viable(self, x: float, v: float, r: int, j: int) -> bool:
        """The ``j`` risk sets still to place after ``r`` might complete ``(x, v)``."""
        return self.space.can_complete(x, v, r - 1, j, refine=j < REFINE_BELOW)

    def _free_after(self, r: int) -> int:
        return r - 1

    def _sequence(self, prefix: list[int]) -> tuple[int, ...]:
        return tuple(prefix)

    def steps(self) -> Iterator[None]:
        """Walk the tree, yielding once per child; ends at the first witness or when done."""
        sp, j0 = self.space, self.k - len(self.start)
        a, b = sp.a, sp.b
        prefix: list[int] = list(self.start)
        x0, v0 = sum(map(a.__getitem__, prefix)), sum(map(b.__getitem__, prefix))
        stack = [(x0, v0, j0, self._children(x0, v0, self._root(), j0))]
        while stack:
            x, v, j, rs = stack[-1]
            r = next(rs, None)
            if r is None:
                stack.pop()
                if stack:
                    prefix.pop()
                continue
            x2, v2 = x + a[r], v + b[r]
            yield
            if j == 1:
                seq = self._sequence([*prefix, r])
                if sp.fits(x2, v2) and sp.problem.matches(seq):
                    self.witness, self.finished = seq, True
                    return
                continue
            if not self._viable(x2, v2, r, j - 1):
                continue
            prefix.append(r)
            free = self._free_after(r)
            stack.append((x2, v2, j - 1, self._children(x2, v2, free, j - 1)))
        self.finished = True


class TwoEndedCountSearch:
    """Depth-first branch and bound over sequences of exactly ``k`` risk sets, fixing the
    largest and the smallest risk sets in turn.

    A node holds ``(x, V)``, the free range ``lo..hi`` and the number ``j`` still to place.  On
    a top turn the child ``r`` is the largest of the rest (``hi`` down), on a bottom turn the
    smallest (``lo`` up); each is limited by the estimate's window in closed form (the
    cheapest and the dearest completions: a block against ``r`` on one side, a block against
    the other end of the range on the other) and by ``b(r) ≤ V_max − V``.  Fixing both ends
    makes the bounds of :meth:`SearchSpace.can_complete_between` nearly exact on what is left:
    small risk sets move ``x`` in coarse steps, and figures whose sequences are a block or a
    top block and a few far risk sets, which :class:`CountSearch` explores at length, are
    settled here at once.  The strip's halves are always checked (this search is the one that
    proves counts impossible).  Explicit stack, one step per child.
    """

    def __init__(self, space: SearchSpace, k: int) -> None:
        self.space, self.k = space, k
        self.witness: tuple[int, ...] | None = None
        self.finished = False

    def _children(self, x: float, v: float, lo: int, hi: int, j: int) -> Iterator[int]:
        """The next risk set: the largest on a top turn (``j`` even), else the smallest."""
        sp, log_r = self.space, self.space.log_r
        budget, need = sp.x_hi - x, sp.x_lo - x
        if budget <= 0 or hi - lo + 1 < j or v >= sp.v_hi:
            return iter(())
        floor = max(lo, _v_floor(sp.v_hi - v))
        if j == 1:
            r_lo, r_hi = risk_set_range(need, budget, hi, floor)
            return iter(range(r_hi, r_lo - 1, -1))
        if (self.k - j) % 2 == 0:  # top turn: r, then j − 1 more in lo..r − 1
            r_lo = max(floor, lo + j - 1, math.ceil(j / -math.expm1(-budget) * LO_SLACK))
            rest = need - (log_r[lo + j - 2] - log_r[lo - 1])  # the dearest completion
            r_hi = hi if rest <= 0 else min(hi, math.floor(1.0 / -math.expm1(-rest) * HI_SLACK))
            return iter(range(r_hi, r_lo - 1, -1))
        spare = budget - (log_r[hi] - log_r[hi - j + 1])  # bottom turn: the cheapest completion
        if spare <= 0:
            return iter(())
        r_lo = max(floor, math.ceil(1.0 / -math.expm1(-spare) * LO_SLACK))
        r_hi = hi - j + 1
        if need > 0:  # the dearest: r, ..., r + j − 1 adds ln((r + j − 1)/(r − 1))
            grow = math.expm1(need)
            r_hi = min(r_hi, math.floor((j + grow) / grow * HI_SLACK))
        return iter(range(r_lo, r_hi + 1))

    def steps(self) -> Iterator[None]:
        """Walk the tree, yielding once per child; ends at the first witness or when done."""
        sp, k = self.space, self.k
        a, b = sp.a, sp.b
        top: list[int] = []
        bottom: list[int] = []
        stack = [(0.0, 0.0, 2, sp.n, k, self._children(0.0, 0.0, 2, sp.n, k))]
        while stack:
            x, v, lo, hi, j, rs = stack[-1]
            r = next(rs, None)
            if r is None:
                stack.pop()
                if stack:
                    (top if (k - j) % 2 == 1 else bottom).pop()
                continue
            x2, v2 = x + a[r], v + b[r]
            yield
            is_top = (k - j) % 2 == 0
            if j == 1:
                seq = (*top, r, *reversed(bottom))
                if sp.fits(x2, v2) and sp.problem.matches(seq):
                    self.witness, self.finished = seq, True
                    return
                continue
            lo2, hi2 = (lo, r - 1) if is_top else (r + 1, hi)
            if not sp.can_complete_between(x2, v2, lo2, hi2, j - 1):
                continue
            (top if is_top else bottom).append(r)
            stack.append((x2, v2, lo2, hi2, j - 1, self._children(x2, v2, lo2, hi2, j - 1)))
        self.finished = True


def _v_floor(room: float) -> int:
    """The least ``r`` with ``b(r) = 1/(r(r − 1)) ≤ room``: ``r ≥ (1 + √(1 + 4/room))/2``."""
    return math.ceil((1 + math.sqrt(1 + 4 / room)) / 2 * LO_SLACK)


def spiral(centre: int, lo: int, hi: int) -> Iterator[int]:
    """Every integer of ``[lo, hi]``, by distance from ``centre`` (clamped into the range),
    the larger first at equal distance."""
    centre = min(max(centre, lo), hi)
    yield centre
    for d in range(1, max(centre - lo, hi - centre) + 1):
        if centre + d <= hi:
            yield centre + d
        if centre - d >= lo:
            yield centre - d


def window_centre(space: SearchSpace) -> tuple[float, float]:
    """The middle of the estimate's window and of its band of ``V``."""
    return (space.x_lo + space.x_hi) / 2, (space.v_lo + space.v_hi) / 2


def count_target(space: SearchSpace, k: int, cells: int = 48) -> tuple[float, float] | None:
    """A point ``(x, V)`` where ``k`` risk sets may land: the middle of the longest run of
    ``cells`` points of the ``x`` window at which the CI's band meets ``[block_min_v,
    greedy_max_v]`` for ``k``, at the middle of that overlap; None if there is none.  The
    admissible region of a count near the edge is often a thin wedge away from the window's
    centre, which the searches then aim at."""
    n, band = space.n, space.band
    best: list[tuple[float, float, float]] = []
    run: list[tuple[float, float, float]] = []
    for i in range(cells):
        x = space.x_first + (space.x_hi - space.x_first) * (i + 0.5) / cells
        v_lo, v_hi = band.v_bounds(x, x)
        v_lo = max(v_lo, space.v_lo, block_min_v(x, k, n))
        v_hi = min(v_hi, space.v_hi, greedy_max_v(x, k, 2, n, space.log_r))
        run = run + [(x, v_lo, v_hi)] if v_lo <= v_hi else []
        if len(run) > len(best):
            best = run
    if not best:
        return None
    x, v_lo, v_hi = best[len(best) // 2]
    return x, (v_lo + v_hi) / 2


def even_spread(target: tuple[float, float], x: float, v: float,
                j: int) -> tuple[float, float]:
    """``(u, c)``: ``j`` risk sets spread evenly over ``[u, c]`` that would bring ``(x, V)``
    to ``target``.

    Density ``ρ = j/(c − u)`` adds about ``Δx = ρ ln(c/u)`` and ``ΔV = ρ(1/u − 1/c) =
    j/(uc)``.  With ``c/u = e^{2y}``, ``Δx·√(uc)/j = y/sinh y`` (1 at ``y = 0``, decreasing),
    solved for ``y`` by Newton's method; then ``c = e^y·√(j/ΔV)`` and ``u = e^−y·√(j/ΔV)``.
    ``(0, inf)`` when nothing is left to add.
    """
    dx, dv = target[0] - x, target[1] - v
    if not (0 < dx < math.inf and 0 < dv < math.inf):
        return 0.0, math.inf
    root = math.sqrt(j / dv)  # √(u·c)
    goal = dx * root / j
    if goal >= 1:
        return root, root  # a block: less spread than any
    y = math.sqrt(6 * (1 - goal)) if goal > 0.5 else math.log(4 / goal)  # y/sinh y ≈ 1 − y²/6
    for _ in range(8):
        sh, ch = math.sinh(y), math.cosh(y)
        step = (y / sh - goal) / ((sh - y * ch) / (sh * sh))
        y = max(y - step, y / 2)
        if abs(step) < 1e-6 * y:
            break
    return math.exp(-y) * root, math.exp(y) * root


def _top_block_before_spread(target: tuple[float, float], space: SearchSpace, x: float,
                             v: float, m: int, j: int, tail: int) -> int:
    """How many risk sets ``m, m − 1, ...`` to take before the rest can spread evenly below
    them (:func:`even_spread` starting at most at the next free risk set): the least such
    ``t`` by binary search, at most ``j − tail``."""
    log_r = space.log_r

    def spreads_below(t: int) -> bool:
        xt = x + log_r[m] - log_r[m - t]
        vt = v + t / (m * (m - t))
        return even_spread(target, xt, vt, j - t)[1] <= m - t

    lo, hi = 1, max(1, min(j - tail, m - 2))
    while lo < hi:
        mid = (lo + hi) // 2
        if spreads_below(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _spread_prefix(space: SearchSpace, k: int, tail: int,
                   target: tuple[float, float]) -> tuple[int, ...]:
    """All but ``tail`` risk sets of a sequence of ``k`` that follows :func:`even_spread`,
    re-aimed after every quarter of what is left; while the spread would start above the
    largest free risk set, a top block comes first (:func:`_top_block_before_spread`)."""
    a, b = space.a, space.b
    x = v = 0.0
    m, seq = space.n, []
    while k - len(seq) > tail and m >= 2:
        j = k - len(seq)
        u, c = even_spread(target, x, v, j)
        if not math.isfinite(c):
            break
        if c > m:
            chunk = _top_block_before_spread(target, space, x, v, m, j, tail)
            spacing, top = 1.0, m
        else:
            chunk, spacing, top = max(1, (j - tail) // 4), max(1.0, (c - u) / max(j - 1, 1)), c
        for i in range(chunk):
            r = min(m, round(top - i * spacing))
            if r < 2:
                break
            seq.append(r)
            x, v, m = x + a[r], v + b[r], r - 1
    return tuple(seq)


def spread_witness(space: SearchSpace, k: int,
                   tails: tuple[tuple[int, int], ...] = ((12, 100), (24, 1500)),
                   target: tuple[float, float] | None = None) -> tuple[int, ...] | None:
    """A witness for ``k`` events: an evenly spread prefix (:func:`_spread_prefix`) finished
    by a :class:`CountSearch` over the last ``tail`` risk sets within ``quota`` steps, for
    each ``(tail, quota)`` of ``tails`` in turn (when the spread reaches the smallest risk
    sets, where each moves ``x`` in coarse steps, a short tail has too little room); None
    when all miss (which proves nothing)."""
    target = window_centre(space) if target is None else target
    for tail, quota in tails:
        prefix = _spread_prefix(space, k, tail, target)
        if len(prefix) != k - tail:
            continue
        search = CountSearch(space, k, prefix, target)
        for _, _ in zip(search.steps(), range(quota), strict=False):
            pass
        if search.witness is not None:
            return search.witness
    return None


def _run(steps: Iterator[None], quota: int, deadline: Deadline) -> bool:
    """Advance ``steps`` by up to ``quota`` steps; True when it ended."""
    for i in range(quota):
        if next(steps, StopIteration) is StopIteration:
            return True
        if i % _POLL == _POLL - 1:
            deadline.check()
    return False


def _search_in_turns(space: SearchSpace, open_counts: list[int], verdicts: CountVerdicts,
                     deadline: Deadline, enough: int | None) -> None:
    """Run a :class:`CountSearch` and an :class:`TwoEndedCountSearch` per open count, in
    rounds of doubling quotas; the first of the two to end decides the count."""
    searches: dict = {}
    for k in open_counts:
        searches[k, CountSearch] = CountSearch(space, k, target=count_target(space, k))
        searches[k, TwoEndedCountSearch] = TwoEndedCountSearch(space, k)
    walks = {key: search.steps() for key, search in searches.items()}
    quota = FIRST_QUOTA
    while walks:
        for key in list(walks):
            if key not in walks or not _run(walks[key], quota, deadline):
                continue
            k = key[0]
            for kind in (CountSearch, TwoEndedCountSearch):
                walks.pop((k, kind), None)
            verdicts.undecided.discard(k)
            if searches[key].witness is not None:
                _record(verdicts, k, searches[key].witness, enough)
            else:
                verdicts.impossible.add(k)
        quota *= 2


def _constructed(space: SearchSpace, k: int) -> tuple[int, ...] | None:
    """A witness for ``k`` built directly, aiming at the window's centre and then, if that
    misses, at the count's own target (:func:`count_target`); None if both miss."""
    witness = spread_witness(space, k) or constructed_witness(space, k)
    if witness is None and (target := count_target(space, k)) is not None:
        witness = spread_witness(space, k, target=target)
    return witness


def neighbour_witness(space: SearchSpace, seq: tuple[int, ...], k: int,
                      tails: tuple[int, ...] = (12, 24, 48),
                      quota: int = 400) -> tuple[int, ...] | None:
    """A witness for ``k`` events from one for a nearby count: ``seq`` without its last
    ``tail`` risk sets, finished by a :class:`CountSearch` for the ``k − len(seq) + tail``
    left (``quota`` steps), for each tail of ``tails`` in turn (a longer tail has more room to
    absorb the change); None when all miss.  Feasible counts form long runs, and walking
    along a run this way costs a short search per count."""
    for tail in tails:
        keep = len(seq) - tail
        if keep < 1 or k - keep < 1:
            return None
        search = CountSearch(space, k, seq[:keep])
        for _, _ in zip(search.steps(), range(quota), strict=False):
            pass
        if search.witness is not None:
            return search.witness
    return None


class _Settled(Exception):
    """Enough witnesses were found: the caller asked for no more."""


def _record(verdicts: CountVerdicts, k: int, seq: tuple[int, ...], enough: int | None) -> None:
    verdicts.witnesses[k] = seq
    verdicts.undecided.discard(k)
    if enough is not None and len(verdicts.witnesses) >= enough:
        raise _Settled


def _walk(space: SearchSpace, k: int, verdicts: CountVerdicts, deadline: Deadline,
          enough: int | None) -> None:
    """From the witness of ``k``, derive witnesses for ``k + 1, k + 2, ...`` and ``k − 1, ...``
    (:func:`neighbour_witness`) while the counts are open and the derivation works."""
    for step in (1, -1):
        seq, nxt = verdicts.witnesses[k], k + step
        while nxt in verdicts.undecided:
            deadline.check()
            found = neighbour_witness(space, seq, nxt)
            if found is None:
                break
            _record(verdicts, nxt, found, enough)
            seq, nxt = found, nxt + step


def promise(space: SearchSpace, k: int) -> float:
    """How far inside the region ``k`` risk sets can reach, at the window's centre: the
    overlap of the CI's band with ``[block_min_v, greedy_max_v]`` for ``k``, as a share of the
    band (negative: no overlap there).  Counts deep inside are the likeliest to have a
    witness found at once; they are tried first."""
    x = (space.x_first + space.x_hi) / 2
    v_lo, v_hi = space.band.v_bounds(x, x)
    v_lo, v_hi = max(v_lo, space.v_lo), min(v_hi, space.v_hi)
    if not v_lo <= v_hi or not math.isfinite(v_hi):
        return 0.0
    low = max(v_lo, block_min_v(x, k, space.n))
    high = min(v_hi, greedy_max_v(x, k, 2, space.n, space.log_r))
    return (high - low) / max(v_hi - v_lo, 1e-300)


def decide_counts(space: SearchSpace, deadline: Deadline,
                  known: dict[int, tuple[int, ...]] | None = None,
                  counts: list[int] | None = None, enough: int | None = None) -> CountVerdicts:
    """Settle every count of ``counts`` (default: those the bounds allow, ``space.counts``)
    as in the module docstring; ``known`` witnesses are taken as they are, and each witness
    is walked to its neighbours (:func:`neighbour_witness`) before anything else is tried.
    With ``enough``, stop once that many counts have witnesses (the others stay undecided)."""
    verdicts = CountVerdicts()
    todo = list(space.counts if counts is None else counts)
    verdicts.undecided.update(k for k in todo if not (known and k in known))
    try:
        for k in todo:
            if known and k in known:
                _record(verdicts, k, known[k], enough)
        for k in list(verdicts.witnesses):
            _walk(space, k, verdicts, deadline, enough)
        for k in sorted(verdicts.undecided, key=lambda k: -promise(space, k)):
            if k not in verdicts.undecided:
                continue
            deadline.check()
            witness = _constructed(space, k)
            if witness is not None:
                _record(verdicts, k, witness, enough)
                _walk(space, k, verdicts, deadline, enough)
        _search_in_turns(space, sorted(verdicts.undecided), verdicts, deadline, enough)
    except (OutOfTime, _Settled):
        pass
    return verdicts
