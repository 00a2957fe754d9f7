"""Exact (Clopper–Pearson) confidence intervals for a proportion.

For ``k`` successes in ``n`` trials (Clopper & Pearson 1934)::

    lower = B(α/2; k, n − k + 1),   upper = B(1 − α/2; k + 1, n − k),

with ``B(q; a, b)`` the beta quantile, ``lower = 0`` when ``k = 0`` and ``upper = 1`` when
``k = n``.  It is the interval of ``scipy.stats.binomtest(k, n).proportion_ci("exact")``.
"""

from __future__ import annotations

from numbers import Integral, Real

__all__ = ["clopper_pearson"]


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson 1934) confidence interval for ``k`` successes in ``n`` trials.

    ``(B(α/2; k, n−k+1), B(1−α/2; k+1, n−k))`` with ``α = 1 − level`` (beta quantiles), ``0`` /
    ``1`` at the edges. Proportions. E.g. ``clopper_pearson(25, 30)`` ≈ ``(0.6528, 0.9436)``.
    """
    for name, v in (("k", k), ("n", n)):
        if isinstance(v, bool) or not isinstance(v, Integral):
            raise ValueError(f"{name} must be an int, got {v!r}")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n!r}")
    if not 0 <= k <= n:
        raise ValueError(f"k must be between 0 and n={n}, got {k!r}")
    if isinstance(level, bool) or not isinstance(level, Real) or not 0 < level < 1:
        raise ValueError(f"level must be a number strictly between 0 and 1, got {level!r}")
    alpha = 1 - float(level)
    k, n = int(k), int(n)
    from scipy.special import betaincinv  # beta quantile B(q; a, b) = betaincinv(a, b, q)

    lower = 0.0 if k == 0 else float(betaincinv(k, n - k + 1, alpha / 2))
    upper = 1.0 if k == n else float(betaincinv(k + 1, n - k, 1 - alpha / 2))
    return lower, upper
