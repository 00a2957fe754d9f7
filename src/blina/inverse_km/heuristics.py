"""Searches that find solutions fast in large problems but never prove their absence.

- :class:`GuidedDives` — randomised guided depth-first dives (:class:`DepthFirst` with a
  guide), restarted after budgets that follow the Luby sequence (:func:`luby`);
- :class:`Steering` — a local search that steers ``k`` risk sets into the admissible region
  from a uniform or a two-block start, moving one risk set at a time, and then harvests the
  neighbours of every solution found (:meth:`Steering.harvest`).

Both run as generators yielding once per unit of work, so that the complete search can take
turns with them; every sequence they report is checked exactly (:class:`Collector`).
"""

from __future__ import annotations

import itertools
import math
import random
from collections import deque
from collections.abc import Generator, Iterator

from blina.inverse_km.bounds import SLACK
from blina.inverse_km.branch import SHORT, Collector, DepthFirst, Plan, SearchSpace

__all__ = ["PAIR_REACH", "RESTART_STEPS", "STEER_STEPS", "GuidedDives", "Steering", "luby"]

RESTART_STEPS = 256  # children planned per unit of a guided dive's budget
STEER_STEPS = 2000  # moves of one local-search start before the next
PAIR_REACH = 8  # the farthest apart (in rank) two risk sets moved together by the harvest
STEER_REACH = 8  # how far one risk set moves in one steering step
HARVEST_REACH = 2  # how far one risk set moves in one harvesting step


def luby(i: int) -> int:
    """The ``i``-th term (``i ≥ 1``) of the Luby restart sequence 1, 1, 2, 1, 1, 2, 4, 1, ...

    ``t_i = 2^(k−1)`` if ``i = 2^k − 1``, else ``t_(i − 2^(k−1) + 1)`` for ``2^(k−1) ≤ i <
    2^k − 1`` (Luby, Sinclair & Zuckerman 1993: within a log factor of the best fixed restart
    budget, whatever the distribution of run times).
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


class GuidedDives:
    """Guided dives with random perturbations, restarted after ``RESTART_STEPS · luby(i)``
    steps; a dive that finds a new solution gets its full budget again (solutions cluster)."""

    def __init__(self, space: SearchSpace, collector: Collector, root: Plan) -> None:
        self.space, self.collector, self.root = space, collector, root

    def steps(self) -> Iterator[None]:
        rng = random.Random(0)
        found = self.collector.found
        for i in itertools.count(1):
            dive = DepthFirst(self.space, self.collector, self.root, rng).steps()
            budget = RESTART_STEPS * luby(i)
            left, seen_count = budget, len(found)
            for _ in dive:
                yield
                if len(found) > seen_count:
                    left, seen_count = budget, len(found)
                left -= 1
                if left <= 0:
                    break
            dive.close()


def _moves(seq: list[int], i: int, reach: int, n: int) -> range:
    """Where ``seq[i]`` can move by at most ``reach`` with ``seq`` still strictly decreasing
    inside ``2..n`` (its neighbours, or ``n + 1`` above the first and 1 below the last, are
    the walls)."""
    above = seq[i - 1] if i else n + 1
    below = seq[i + 1] if i + 1 < len(seq) else 1
    return range(max(below + 1, seq[i] - reach), min(above - 1, seq[i] + reach) + 1)


class Steering:
    """Local search in the space of ``k`` risk sets (see the module docstring).

    The target is the centre of the strip's widest band; a step moves the one risk set (by up
    to ``STEER_REACH``) that brings ``(x, V)`` closest to it in units of the window's widths,
    and a local minimum outside the region is left by a random kick.
    """

    def __init__(self, space: SearchSpace, collector: Collector) -> None:
        self.space, self.collector = space, collector
        self.harvested: set[tuple[int, ...]] = set()
        sp = space
        self.applicable = (math.isfinite(sp.x_hi) and math.isfinite(sp.v_hi) and bool(sp.strip)
                           and sp.n >= 3)
        if self.applicable:
            p, q, v_lo, v_hi, _ = max(sp.strip, key=lambda sl: sl[3] - sl[2])
            self.x_t, self.v_t = (p + q) / 2, (v_lo + v_hi) / 2
            self.wx = max(sp.x_hi - sp.x_first, 1e-300)
            self.wv = max(v_hi - v_lo, 1e-300)

    def cost(self, x: float, v: float) -> float:
        """Squared distance of ``(x, v)`` from the target in units of the window's widths."""
        return ((x - self.x_t) / self.wx) ** 2 + ((v - self.v_t) / self.wv) ** 2

    def evenly_spaced(self, k: int, spread: float) -> list[int] | None:
        """``k`` risk sets ``n, n − s, ...`` (rounded) with ``Σ a ≈ x_t`` (the spacing ``s`` by
        bisection, then scaled by ``spread``), or None."""
        n, a = self.space.n, self.space.a

        def spaced(sp: float) -> list[int]:
            return [math.floor(n - j * sp + 0.5) for j in range(k)]

        s_lo, s_hi = 1.0, (n - 2) / max(k - 1, 1)
        if sum(a[r] for r in spaced(s_lo)) > self.space.x_hi or sum(
                a[r] for r in spaced(s_hi)) < self.space.x_first:
            return None
        for _ in range(50):
            mid = (s_lo + s_hi) / 2
            if sum(a[r] for r in spaced(mid)) < self.x_t:
                s_lo = mid
            else:
                s_hi = mid
        seq = spaced(s_lo * spread if k > 1 else s_lo)
        return seq if seq[-1] >= 2 and len(set(seq)) == k else None

    def _second_block_top(self, k: int, j: int) -> int | None:
        """Top ``c`` of a block of ``k − j`` risk sets under a top block of ``j`` that brings
        ``Σ a`` to at least ``x_t``: the largest such ``c`` (a block ``c..c − size + 1`` adds
        ``ln(c/(c − size))``), or None."""
        n, log_r = self.space.n, self.space.log_r
        size, need = k - j, self.x_t - (log_r[n] - log_r[n - j])
        lo, hi = size + 1, n - j
        if hi < lo or log_r[hi] - log_r[hi - size] > need * (1 + SLACK) or (
                log_r[lo] - log_r[lo - size] < need):
            return None
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if log_r[mid] - log_r[mid - size] >= need:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def two_blocks(self, k: int, jitter: int) -> list[int] | None:
        """A top block ``n, ..., n − j + 1`` and a second block of ``k − j`` risk sets placed
        so that ``Σ a ≈ x_t``.  ``j = 0`` is one block (least ``V`` for its ``x``), ``j = k − 1``
        the top block and one risk set (most ``V``): ``j`` is chosen for ``V ≈ v_t``, then moved
        by ``jitter``.  Solutions of thin regions often look like this, which a uniform start
        cannot reach by single moves."""
        n = self.space.n
        options = []
        for j in range(k):
            c = self._second_block_top(k, j)
            if c is not None:
                size = k - j
                v = j / (n * (n - j)) + 1 / (c - size) - 1 / c  # telescoping sums of b
                options.append((abs(v - self.v_t), j, c))
        if not options:
            return None
        options.sort()
        _, j, c = options[min(len(options) - 1, abs(jitter))]
        return list(range(n, n - j, -1)) + list(range(c, c - (k - j), -1))

    def _moved_singly(self, cur: list[int], x: float, v: float,
                      queue: deque) -> Generator[None, None, bool]:
        """Harvest step 1: each risk set moved by up to ``HARVEST_REACH``, alone or with the
        last risk set re-chosen to put ``x`` back; returns True once the collector is full."""
        sp, record = self.space, self.collector.record
        a, b, n = sp.a, sp.b, sp.n
        last = len(cur) - 1
        for i, r in enumerate(cur):
            for r2 in _moves(cur, i, HARVEST_REACH, n):
                yield
                if r2 == r:
                    continue
                x2, v2 = x - a[r] + a[r2], v - b[r] + b[r2]
                nexts = [cur[:i] + [r2] + cur[i + 1:]] if sp.fits(x2, v2) else []
                if i < last:  # re-choose the last risk set: every one that completes
                    x3, v3 = x2 - a[cur[last]], v2 - b[cur[last]]
                    lo, hi = sp.completing_one(
                        x3, v3, (r2 if i == last - 1 else cur[last - 1]) - 1)
                    if hi - lo < SHORT:
                        nexts += [cur[:i] + [r2] + cur[i + 1:last] + [r3]
                                  for r3 in range(lo, hi + 1) if r3 != cur[last]
                                  and sp.fits(x3 + a[r3], v3 + b[r3])]
                for nxt in nexts:
                    if record(tuple(nxt)):
                        queue.append(nxt)
                        if self.collector.full:
                            return True
        return False

    def _moved_in_pairs(self, cur: list[int], x: float, v: float,
                        queue: deque) -> Generator[None, None, bool]:
        """Harvest step 2: two risk sets at most ``PAIR_REACH`` apart in rank moved by one in
        opposite directions (``x`` and ``V`` change only by third and fourth powers of
        ``1/r``); returns True once the collector is full."""
        sp, record = self.space, self.collector.record
        a, b, n = sp.a, sp.b, sp.n
        last = len(cur) - 1
        pairs = [(i, j) for i in range(last) for j in range(i + 1, min(last, i + PAIR_REACH) + 1)]
        for i, j in pairs:
            yield
            for d in (1, -1):  # cur[i] up and cur[j] down, or the reverse
                ri, rj = cur[i] + d, cur[j] - d
                if ri > n or rj < 2:
                    continue
                x2 = x - a[cur[i]] - a[cur[j]] + a[ri] + a[rj]
                v2 = v - b[cur[i]] - b[cur[j]] + b[ri] + b[rj]
                if not sp.fits(x2, v2):
                    continue
                nxt = cur[:i] + [ri] + cur[i + 1:j] + [rj] + cur[j + 1:]
                if all(nxt[t] > nxt[t + 1] for t in (i - 1, i, j - 1, j) if 0 <= t < last):
                    if record(tuple(nxt)):
                        queue.append(nxt)
                        if self.collector.full:
                            return True
        return False

    def harvest(self, seq: list[int]) -> Iterator[None]:
        """Breadth first from a solution through its neighbours that are solutions too (moves
        of :meth:`_moved_singly` and :meth:`_moved_in_pairs`).  Thin regions are lines or
        slivers of solutions that single moves leave at once."""
        sp, collector = self.space, self.collector
        queue = deque([seq])
        while queue and not collector.full:
            cur = queue.popleft()
            self.harvested.add(tuple(cur))
            x, v = sum(sp.a[r] for r in cur), sum(sp.b[r] for r in cur)
            if (yield from self._moved_singly(cur, x, v, queue)):
                return
            if (yield from self._moved_in_pairs(cur, x, v, queue)):
                return

    def _best_move(self, seq: list[int], x: float, v: float, here: float):
        """``(cost, i, r2)`` of the single move that lowers the cost most (``i = −1``: none)."""
        a, b, n = self.space.a, self.space.b, self.space.n
        best = (here, -1, 0)
        for i, r in enumerate(seq):
            for r2 in _moves(seq, i, STEER_REACH, n):
                c = self.cost(x - a[r] + a[r2], v - b[r] + b[r2])
                if c < best[0]:
                    best = (c, i, r2)
        return best

    def steer(self, seq: list[int], rng: random.Random) -> Iterator[None]:
        """Move ``seq`` towards the target for up to ``STEER_STEPS`` steps; on reaching a
        solution, harvest around it."""
        a, b, k = self.space.a, self.space.b, len(seq)
        x, v = sum(a[r] for r in seq), sum(b[r] for r in seq)
        here, stuck = self.cost(x, v), 0
        for _ in range(STEER_STEPS):
            yield
            if self.space.fits(x, v) and self.collector.record(tuple(seq)):
                yield from self.harvest(seq)
                return
            best = self._best_move(seq, x, v, here)
            if best[1] < 0:  # a local minimum outside the region: kick one risk set
                stuck += 1
                if stuck > 20:
                    return
                i = rng.randrange(k)
                best = (0.0, i, rng.choice(_moves(seq, i, STEER_REACH, self.space.n)))
            _, i, r2 = best
            x, v = x - a[seq[i]] + a[r2], v - b[seq[i]] + b[r2]
            seq[i] = r2
            here = self.cost(x, v)

    def steps(self) -> Iterator[None]:
        """Harvest every solution found so far (by any search), then steer a new start with a
        random allowed number of events; forever, or until the collector is full."""
        if not self.applicable:
            return
        ks = self.space.counts
        found = self.collector.found
        rng = random.Random(1)
        done = 0  # solutions of `found` looked at for harvesting
        while ks:
            while done < len(found):
                if found[done] and found[done] not in self.harvested:
                    yield from self.harvest(list(found[done]))
                done += 1
            k = ks[rng.randrange(len(ks))]
            seq = (self.evenly_spaced(k, rng.uniform(0.9, 1.1)) if rng.random() < 0.5
                   else self.two_blocks(k, int(rng.expovariate(0.5))))
            if seq is None:
                continue
            yield from self.steer(seq, rng)
