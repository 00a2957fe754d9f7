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
from blina.inverse_km.problem import CIPrefilter, Problem
from blina.stats.km import greenwood_term, log_factor

__all__ = ["MITM_CHUNK", "MITM_MAX_N", "MITM_MAX_PAIRS", "meet_in_the_middle", "subset_sums"]

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


def meet_in_the_middle(problem: Problem, window: Window, found: list[tuple[int, ...]],
                       cap: int, *, chunk: int = MITM_CHUNK) -> bool:
    """Append every solution with ``S > 0`` to ``found`` (stopping at ``cap`` in all); False,
    with nothing added, when more than ``MITM_MAX_PAIRS`` pairs fall in the ``x`` window.

    ``chunk`` pairs are checked per vectorised step; the answer does not depend on it.
    """
    low = list(range(2, (problem.n + 3) // 2))
    high = list(range((problem.n + 3) // 2, problem.n + 1))
    x_l, v_l = subset_sums(low)
    x_h, v_h = subset_sums(high)
    order = np.argsort(x_h, kind="stable")
    x_h, v_h = x_h[order], v_h[order]
    start = np.searchsorted(x_h, window.x_lo - x_l, side="left")
    stop = np.searchsorted(x_h, window.x_hi - x_l, side="right")
    counts = np.maximum(stop - start, 0)
    ends = np.cumsum(counts)
    if ends[-1] > MITM_MAX_PAIRS:
        return False
    prefilter = CIPrefilter.of(problem)
    for block in _pair_blocks(counts, ends, chunk):
        li = np.repeat(block, counts[block])
        offsets = np.arange(len(li)) - np.repeat(ends[block] - counts[block] - (
            ends[block[0]] - counts[block[0]]), counts[block])
        hi = start[li] + offsets
        x, v = x_l[li] + x_h[hi], v_l[li] + v_h[hi]
        keep = (x > 0) & (v >= window.v_lo) & (v <= window.v_hi)
        if problem.has_ci:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                keep &= prefilter(x, v, np)
        for i, j in zip(li[keep].tolist(), order[hi[keep]].tolist(), strict=True):
            seq = tuple([r for bit, r in enumerate(high) if j >> bit & 1][::-1]
                        + [r for bit, r in enumerate(low) if i >> bit & 1][::-1])
            if problem.matches(seq):
                found.append(seq)
                if len(found) >= cap:
                    return True
    return True

