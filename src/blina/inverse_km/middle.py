"""Meet in the middle: every solution of a small problem, whatever the estimate.

The risk sets ``2..n`` are split into a low and a high half; ``x = Σ a`` and ``V = Σ b`` are
summed once for each of the ``2^h`` subsets of each half (:func:`subset_sums`), the high half is
sorted by ``x``, and each low subset is paired only with the run of high subsets that puts
``x`` into the estimate's window (binary search).  Pairs whose ``V`` lies in the window's band
and whose CI passes the float pre-filter are checked exactly.  ``O(2^(n/2) log n)`` plus the
pairs (Horowitz & Sahni 1974, the subset-sum split): the branch and bound is slowest for few
patients with most of them dead, where this is fast.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from blina.inverse_km.bounds import Window
from blina.inverse_km.budget import Deadline
from blina.inverse_km.problem import CIPrefilter, Problem
from blina.stats.km import greenwood_term, log_factor

__all__ = ["MITM_CHUNK", "MITM_MAX_N", "MITM_MAX_PAIRS", "census_by_meet_in_the_middle",
           "meet_in_the_middle", "subset_sums"]

#: Up to this many patients, meet in the middle is tried before the branch and bound ...
MITM_MAX_N = 40
#: ... unless more pairs of halves than this fall in the estimate's window.
MITM_MAX_PAIRS = 400_000_000
#: Pairs checked per vectorised step (bounds the memory: about 200 MB).
MITM_CHUNK = 2_000_000


def subset_sums(risk_sets: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """``Σ a(r)`` and ``Σ b(r)`` over every subset of ``risk_sets``; bit ``j`` of an index says
    whether ``risk_sets[j]`` is in (``a(r) = −ln(1 − 1/r)``, ``b(r) = 1/(r(r − 1))``).  E.g.
    ``subset_sums([2, 3])[1]`` is ``[0, 1/2, 1/6, 2/3]``."""
    xs, vs = np.zeros(1), np.zeros(1)
    for r in risk_sets:
        xs = np.concatenate([xs, xs + log_factor(r)])
        vs = np.concatenate([vs, vs + greenwood_term(r)])
    return xs, vs


def _pair_blocks(counts: np.ndarray, ends: np.ndarray, chunk: int) -> Iterator[np.ndarray]:
    """Consecutive blocks of low-half indices holding about ``chunk`` pairs each (at least one
    index per block); ``counts[i]`` pairs start at ``ends[i] − counts[i]``."""
    first = 0
    while first < len(counts):
        last = max(first + 1, int(np.searchsorted(ends, ends[first] - counts[first] + chunk,
                                                  side="right")))
        yield np.arange(first, min(last, len(counts)))
        first = last


class _Pairs:
    """The subset sums of both halves of ``2..n`` and, per low subset, the run of high subsets
    (sorted by ``x``) that puts ``x`` into the window."""

    def __init__(self, problem: Problem, window: Window) -> None:
        self.low = list(range(2, (problem.n + 3) // 2))
        self.high = list(range((problem.n + 3) // 2, problem.n + 1))
        self.x_l, self.v_l = subset_sums(self.low)
        x_h, v_h = subset_sums(self.high)
        self.order = np.argsort(x_h, kind="stable")
        self.x_h, self.v_h = x_h[self.order], v_h[self.order]
        self.start = np.searchsorted(self.x_h, window.x_lo - self.x_l, side="left")
        stop = np.searchsorted(self.x_h, window.x_hi - self.x_l, side="right")
        self.counts = np.maximum(stop - self.start, 0)
        self.ends = np.cumsum(self.counts)

    @property
    def total(self) -> int:
        return int(self.ends[-1])

    def candidates(self, problem: Problem, window: Window,
                   chunk: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Per block of about ``chunk`` pairs: the low and high subset indices of the pairs
        whose ``V`` is in the window's band and whose CI passes the float pre-filter."""
        prefilter = CIPrefilter.of(problem)
        for block in _pair_blocks(self.counts, self.ends, chunk):
            li = np.repeat(block, self.counts[block])
            offsets = np.arange(len(li)) - np.repeat(self.ends[block] - self.counts[block] - (
                self.ends[block[0]] - self.counts[block[0]]), self.counts[block])
            hi = self.start[li] + offsets
            x, v = self.x_l[li] + self.x_h[hi], self.v_l[li] + self.v_h[hi]
            keep = (x > 0) & (v >= window.v_lo) & (v <= window.v_hi)
            if problem.has_ci:
                with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                    keep &= prefilter(x, v, np)
            yield li[keep], self.order[hi[keep]]

    def sequence(self, i: int, j: int) -> tuple[int, ...]:
        """The risk sets of low subset ``i`` and high subset ``j``, descending."""
        return tuple([r for bit, r in enumerate(self.high) if j >> bit & 1][::-1]
                     + [r for bit, r in enumerate(self.low) if i >> bit & 1][::-1])


def meet_in_the_middle(problem: Problem, window: Window, found: list[tuple[int, ...]],
                       cap: int, *, chunk: int = MITM_CHUNK,
                       deadline: Deadline | None = None) -> bool:
    """Append every solution with ``S > 0`` to ``found`` (stopping at ``cap`` in all); False,
    with nothing added, when more than ``MITM_MAX_PAIRS`` pairs fall in the ``x`` window.

    ``chunk`` pairs are checked per vectorised step; the answer does not depend on it.
    ``deadline`` is polled once per step (:class:`~blina.inverse_km.budget.OutOfTime`).
    """
    pairs = _Pairs(problem, window)
    if pairs.total > MITM_MAX_PAIRS:
        return False
    for li, hj in pairs.candidates(problem, window, chunk):
        if deadline is not None:
            deadline.check()
        for i, j in zip(li.tolist(), hj.tolist(), strict=True):
            seq = pairs.sequence(i, j)
            if problem.matches(seq):
                found.append(seq)
                if len(found) >= cap:
                    return True
    return True


def census_by_meet_in_the_middle(problem: Problem, window: Window,
                                 found: list[tuple[int, ...]], cap: int, *,
                                 chunk: int = MITM_CHUNK,
                                 deadline: Deadline | None = None) -> dict[int, tuple] | None:
    """One witness for every number of events that has a solution with ``S > 0``, complete;
    and, as :func:`meet_in_the_middle`, the solutions in ``found`` up to ``cap``.  ``None``
    when more than ``MITM_MAX_PAIRS`` pairs fall in the ``x`` window.

    The number of events of a pair is the number of set bits of its two subset indices; once a
    count has its witness, and ``found`` is full, its other candidates are not checked.
    """
    pairs = _Pairs(problem, window)
    if pairs.total > MITM_MAX_PAIRS:
        return None
    bits_low = np.bitwise_count(np.arange(len(pairs.x_l), dtype=np.uint64)).astype(np.int64)
    bits_high = np.bitwise_count(np.arange(len(pairs.x_h), dtype=np.uint64)).astype(np.int64)
    witnessed = np.zeros(problem.n + 1, dtype=bool)
    witnesses: dict[int, tuple] = {}
    for li, hj in pairs.candidates(problem, window, chunk):
        if deadline is not None:
            deadline.check()
        ks = bits_low[li] + bits_high[hj]
        if len(found) >= cap:
            wanted = ~witnessed[ks]
            li, hj, ks = li[wanted], hj[wanted], ks[wanted]
        for i, j, k in zip(li.tolist(), hj.tolist(), ks.tolist(), strict=True):
            if witnessed[k] and len(found) >= cap:
                continue
            seq = pairs.sequence(i, j)
            if problem.matches(seq):
                if len(found) < cap:
                    found.append(seq)
                if not witnessed[k]:
                    witnessed[k] = True
                    witnesses[k] = seq
    return witnesses
