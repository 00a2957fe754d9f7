"""A witness for ``k`` events built directly: two blocks of risk sets and a free pair.

For ``k`` events among ``n`` patients the least Greenwood sum for a given ``x = −ln S`` comes
from one block of consecutive risk sets and the most from a top block of ``k − 1`` plus one
far risk set (:func:`blina.inverse_km.bounds.min_v`, :func:`~blina.inverse_km.bounds.max_v`).
Between the two lie the *two-block* sequences: a top block ``n, ..., n − j + 1`` and a second
block of ``s = k − j`` consecutive risk sets ``c, ..., c − s + 1``, with ``c`` chosen so that
``x`` reaches the target.  Both sums telescope:

    x = ln(n/(n − j)) + ln(c/(c − s)),      V = j/(n(n − j)) + s/(c(c − s)),

and ``V`` grows with ``j``, so a binary search finds the ``j`` whose two-block ``V`` is just
below the target.  The two ends of the second block are then freed: the top end may move up
into the gap, the bottom end down towards 2, and that pair is solved for the rest exactly.  Two
risk sets adding ``A`` to ``x`` and ``B`` to ``V`` have ``a_1 = A/2 − arcosh((B + 4) /
(4 cosh(A/2)))`` (the product formula of :func:`~blina.inverse_km.bounds.first_of_two_range`);
the integers around that point are tried, each second risk set taken from the estimate's
window nearest the one that puts ``V`` on target, and the first sequence that matches exactly
is the witness.

This finds a witness in a fraction of a millisecond for most numbers of events of a large
cohort; it can miss (thin regions near the smallest and largest possible counts, small
cohorts), and then the complete search of :mod:`blina.inverse_km.counts` decides.
"""

from __future__ import annotations

import math

from blina.inverse_km.bounds import risk_set_range
from blina.inverse_km.branch import SearchSpace

__all__ = ["PAIR_TRIES", "TARGETS", "constructed_witness", "two_block_top"]

PAIR_TRIES = 16  # first risk sets of the free pair tried around the continuous solution
TARGETS = 3  # points of the admissible region aimed at, one after the other
_J_AROUND = (0, -1, 1, -2, 2, -4, 4)  # top-block sizes tried around the binary search's


def two_block_top(space: SearchSpace, k: int, j: int, x_target: float) -> int | None:
    """The largest top ``c`` of a block of ``s = k − j`` risk sets under the top block of ``j``
    with ``x ≥ x_target`` (``ln(c/(c − s))`` falls as ``c`` grows), or None when no
    ``c ≤ n − j`` gets there or even ``c = n − j`` overshoots the estimate's window."""
    n, log_r = space.n, space.log_r
    s = k - j
    need = x_target - (log_r[n] - log_r[n - j])
    lo, hi = s + 1, n - j
    if hi < lo or log_r[lo] - log_r[lo - s] < need:
        return None
    if log_r[hi] - log_r[hi - s] > space.x_hi - (log_r[n] - log_r[n - j]):
        return None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if log_r[mid] - log_r[mid - s] >= need:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _smooth_two_block_v(space: SearchSpace, k: int, j: int, x_target: float) -> float:
    """``V`` of the two-block sequence for ``j`` with a real top ``c`` that puts ``x`` exactly
    at the target: ``ln(c/(c − s)) = need`` gives ``c = s/(1 − e^−need)`` (``inf`` when the
    top block alone overshoots).  Unlike the integer ``c`` this grows smoothly with ``j``."""
    n, log_r = space.n, space.log_r
    s = k - j
    need = x_target - (log_r[n] - log_r[n - j])
    if need <= 0:
        return math.inf
    c = s / -math.expm1(-need)
    return j / (n * (n - j)) + s / (c * (c - s))


def _split_for(space: SearchSpace, k: int, x_target: float, v_target: float) -> int:
    """The largest ``j`` in ``0..k − 2`` whose smooth two-block ``V`` is at most the target
    (0 if none): binary search, ``V`` growing with ``j``."""
    lo, hi = 0, k - 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _smooth_two_block_v(space, k, mid, x_target) <= v_target:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _pair_start(a_total: float, b_total: float) -> float:
    """``a`` of the first (larger) risk set of a pair adding ``(A, B)``; the equal split
    ``A/2`` when ``B`` is below the pair's least ``V``, and 0 (a risk set at infinity) when it
    is above the most."""
    q = (b_total + 4) / (4 * math.cosh(a_total / 2))
    if q <= 1:
        return a_total / 2
    return max(a_total / 2 - math.acosh(q), 0.0)


def _around(centre: int, lo: int, hi: int, tries: int):
    """Integers of ``[lo, hi]`` by distance from ``centre`` (clamped into the range)."""
    centre = min(max(centre, lo), hi)
    yield centre
    for d in range(1, tries):
        if centre + d <= hi:
            yield centre + d
        if centre - d >= lo:
            yield centre - d
        if centre + d > hi and centre - d < lo:
            return


def _with_free_pair(space: SearchSpace, k: int, j: int, x_target: float,
                    v_target: float) -> tuple[int, ...] | None:
    """The two-block sequence for ``j`` with the ends of its second block re-chosen (see the
    module docstring); the first that matches exactly, or None."""
    c = two_block_top(space, k, j, x_target)
    if c is None or k - j < 2:
        return None
    n, a, b, log_r = space.n, space.a, space.b, space.log_r
    s = k - j
    bottom = c - s + 1  # the pair's second risk set stays at or below the block's bottom
    x_b = log_r[n] - log_r[n - j] + log_r[c - 1] - log_r[bottom]
    v_b = j / (n * (n - j)) + (s - 2) / ((c - 1) * bottom)
    a_total, b_total = x_target - x_b, v_target - v_b
    if a_total <= 0:
        return None
    a1 = _pair_start(a_total, b_total)
    r1_star = n - j if a1 <= 0 else round(1.0 / -math.expm1(-a1))
    for r1 in _around(r1_star, c, n - j, PAIR_TRIES):
        x1, v1 = x_b + a[r1], v_b + b[r1]
        lo, hi = risk_set_range(space.x_lo - x1, space.x_hi - x1, bottom)
        if lo > hi:
            continue
        rest = v_target - v1  # b(r2) = 1/(r2(r2 − 1)) = rest  ⇔  r2 ≈ ½ + √(¼ + 1/rest)
        r2_star = round(0.5 + math.sqrt(0.25 + 1 / rest)) if rest > 0 else hi
        for r2 in _around(r2_star, lo, hi, PAIR_TRIES):
            if space.fits(x1 + a[r2], v1 + b[r2]):
                seq = (*range(n, n - j, -1), r1, *range(c - 1, bottom, -1), r2)
                if space.problem.matches(seq):
                    return seq
    return None


def _targets(space: SearchSpace) -> list[tuple[float, float]]:
    """Points ``(x, V)`` inside the admissible region: the middle of each of ``TARGETS``
    equal parts of the ``x`` window, at the middle of the band there (if it has one)."""
    out = []
    width = space.x_hi - space.x_first
    for i in range(TARGETS):
        x = space.x_first + width * (2 * i + 1) / (2 * TARGETS)
        v_lo, v_hi = space.band.v_bounds(x, x)
        v_lo, v_hi = max(v_lo, space.v_lo), min(v_hi, space.v_hi)
        if v_lo <= v_hi and math.isfinite(v_hi):
            out.append((x, (v_lo + v_hi) / 2))
    middle = TARGETS // 2  # the centre first
    return out[middle:middle + 1] + out[:middle] + out[middle + 1:]


def constructed_witness(space: SearchSpace, k: int) -> tuple[int, ...] | None:
    """A sequence of exactly ``k`` risk sets (``3 ≤ k < n``) that matches the figure, built as
    in the module docstring, or None when the construction misses (which proves nothing)."""
    if not 3 <= k < space.n or not math.isfinite(space.x_hi):
        return None
    for x_target, v_target in _targets(space):
        j0 = _split_for(space, k, x_target, v_target)
        for dj in _J_AROUND:
            if 0 <= j0 + dj <= k - 2:
                seq = _with_free_pair(space, k, j0 + dj, x_target, v_target)
                if seq is not None:
                    return seq
    return None
