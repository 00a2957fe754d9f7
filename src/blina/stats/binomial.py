"""Exact (Clopper–Pearson) confidence intervals for a proportion.

For ``k`` successes in ``n`` trials (Clopper & Pearson 1934)::

    lower = B(α/2; k, n − k + 1),   upper = B(1 − α/2; k + 1, n − k),

with ``B(q; a, b)`` the beta quantile, ``lower = 0`` when ``k = 0`` and ``upper = 1`` when
``k = n``.  It is the interval of ``scipy.stats.binomtest(k, n).proportion_ci("exact")``, with
two guards that interval lacks:

- SciPy's ``betaincinv`` can be wrong for a large ``b`` and a moderate ``a`` (for ``k = 1000``
  of ``n = 10^9`` it returns 1.9e-6, where the beta CDF is already 1); each quantile is
  checked against the CDF ``betainc`` and, when off, found again as the root of
  ``betainc(a, b, x) = q`` (Brent's method over ``[0, 1]``);
- above :data:`EXACT_MAX_N` trials ``betainc`` itself fails (NaN from about ``10^18``), so the
  quantile comes from the large-sample limits of the beta distribution: when both parameters
  exceed :data:`LARGE_SIDE`, the Cornish–Fisher expansion with skewness and kurtosis
  (Johnson, Kotz & Balakrishnan 1995, ch. 25; error below ``10^-9`` of the standard deviation);
  else ``Beta(a, b) ≈ G/(G + b)`` with ``G`` the gamma quantile of the small side
  (relative error about ``a/b ≤ 10^-9``).
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from statistics import NormalDist

__all__ = ["EXACT_MAX_N", "LARGE_SIDE", "clopper_pearson"]

#: up to this many trials the beta quantiles are exact (SciPy's incomplete beta function)
EXACT_MAX_N = 10**15
#: above :data:`EXACT_MAX_N`, both beta parameters at least this large: Cornish–Fisher
LARGE_SIDE = 10**6
#: how far ``betainc(a, b, x)`` may be from ``q`` (relatively) for ``x`` to count as its quantile
QUANTILE_RTOL = 1e-10


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
    lower = 0.0 if k == 0 else beta_quantile(alpha / 2, k, n - k + 1)
    upper = 1.0 if k == n else beta_quantile(1 - alpha / 2, k + 1, n - k)
    return lower, upper


def beta_quantile(q: float, a: int, b: int) -> float:
    """``B(q; a, b)``: the ``q`` quantile of the beta distribution with integer ``a, b ≥ 1``.

    Exact up to ``a + b = EXACT_MAX_N + 1``, checked against the CDF; beyond, the large-sample
    limits of the module docstring.
    """
    if a + b <= EXACT_MAX_N + 1:
        return _exact_beta_quantile(q, a, b)
    if min(a, b) >= LARGE_SIDE:
        return _cornish_fisher_beta_quantile(q, a, b)
    from scipy.special import gammaincinv

    if a <= b:  # Beta(a, b) = G_a/(G_a + G_b) and G_b/b → 1
        g = float(gammaincinv(a, q))
        return g / (g + b)
    g = float(gammaincinv(b, 1 - q))  # 1 − X ~ Beta(b, a)
    return a / (g + a)


def _exact_beta_quantile(q: float, a: int, b: int) -> float:
    from scipy.special import betainc, betaincinv  # B(q; a, b) = betaincinv(a, b, q)

    x = float(betaincinv(a, b, q))
    if 0 < x < 1 and abs(float(betainc(a, b, x)) - q) <= QUANTILE_RTOL * min(q, 1 - q):
        return x
    from scipy.optimize import brentq

    return float(brentq(lambda t: float(betainc(a, b, t)) - q, 0.0, 1.0, xtol=1e-300,
                        rtol=4 * 2.220446049250313e-16, maxiter=5000))


def _cornish_fisher_beta_quantile(q: float, a: int, b: int) -> float:
    """``μ + σ(z + γ(z²−1)/6 + κ(z³−3z)/24 − γ²(2z³−5z)/36)`` with the beta distribution's mean
    ``μ = a/(a+b)``, variance ``σ² = μ(1−μ)/(a+b+1)``, skewness
    ``γ = 2(b−a)√(a+b+1)/((a+b+2)√(ab))`` and excess kurtosis
    ``κ = 6((a−b)²(a+b+1) − ab(a+b+2))/(ab(a+b+2)(a+b+3))``."""
    s = a + b
    mean, rest = a / s, b / s
    sd = math.sqrt(mean * rest / (s + 1))
    skew = 2 * (b - a) * math.sqrt(s + 1) / ((s + 2) * math.sqrt(a) * math.sqrt(b))
    kurt = 6 * ((a - b) ** 2 * (s + 1) - a * b * (s + 2)) / (a * b * (s + 2) * (s + 3))
    z = NormalDist().inv_cdf(q)
    w = (z + skew * (z * z - 1) / 6 + kurt * (z**3 - 3 * z) / 24
         - skew * skew * (2 * z**3 - 5 * z) / 36)
    return mean + sd * w
