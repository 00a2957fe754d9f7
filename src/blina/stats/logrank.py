"""The log-rank test (Mantel–Cox) for two or more groups, with an exact chi-square tail.

At each distinct event time ``t_i`` with ``d_i`` events among ``n_i`` at risk (``d_{g,i}``,
``n_{g,i}`` in group ``g``)::

    O_g − E_g = Σ_i (d_{g,i} − d_i n_{g,i}/n_i)
    V_{gh}    = Σ_i d_i (n_i − d_i)/(n_i − 1) · n_{g,i}/n_i · (δ_{gh} − n_{h,i}/n_i)

and the statistic ``(O − E)ᵀ V⁻¹ (O − E)`` over the first ``k − 1`` groups is referred to
chi-square on ``k − 1`` df (Mantel 1966; Peto & Peto 1972).  This is the test GraphPad Prism
reports as "Log-rank (Mantel-Cox)" and lifelines' ``logrank_test`` /
``multivariate_logrank_test`` compute (the tests check agreement); it is computed here because
importing lifelines costs over a second per notebook.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from blina.stats.inputs import group_labels, level_codes, validate_survival_data

__all__ = ["LogRankResult", "chi2_sf", "logrank"]


@dataclass(frozen=True)
class LogRankResult:
    """A log-rank test: chi-square ``statistic`` with ``df`` degrees of freedom and ``p``."""

    statistic: float
    df: int
    p: float
    groups: tuple

    def __str__(self) -> str:
        return f"log-rank chi2 = {self.statistic:.3f}, df = {self.df}, p = {self.p:.4g}"


#: above this many degrees of freedom the tail is the regularised incomplete gamma function of
#: SciPy (the closed forms below sum ``df/2`` terms)
CLOSED_FORM_MAX_DF = 10_000


def chi2_sf(x: float, df: int) -> float:
    """Upper tail ``P(X ≥ x)`` of the chi-square distribution with integer ``df`` (exact).

    Closed forms (Abramowitz & Stegun 26.4.4–26.4.5): for even ``df = 2m``,
    ``e^{−x/2} Σ_{j<m} (x/2)^j / j!``; for odd ``df = 2m + 1``,
    ``erfc(√(x/2)) + e^{−x/2} Σ_{j=1..m} (x/2)^{j−½} / Γ(j + ½)``.  Each term is computed as
    ``exp(j·ln(x/2) − x/2 − ln Γ(·))``, so no power or factorial overflows (``chi2_sf(1500,
    1000)``); above :data:`CLOSED_FORM_MAX_DF` the tail is ``Q(df/2, x/2)``, the regularised
    upper incomplete gamma function (A&S 26.4.19; ``scipy.special.gammaincc``).  ``x ≤ 0``
    gives 1, ``x = ∞`` gives 0; a NaN ``x`` (a statistic that could not be computed) is an
    error, not a p-value.
    """
    if isinstance(df, bool) or not isinstance(df, Integral) or df < 1:
        raise ValueError(f"df must be a positive integer, got {df!r}")
    if isinstance(x, bool) or not isinstance(x, Real) or math.isnan(x):
        raise ValueError(f"x must be a number, got {x!r}")
    df, x = int(df), float(x)
    if x <= 0:
        return 1.0
    if math.isinf(x):
        return 0.0
    h = x / 2
    if df > CLOSED_FORM_MAX_DF:
        from scipy.special import gammaincc

        return float(gammaincc(df / 2, h))
    log_h = math.log(h)
    if df % 2 == 0:
        return min(1.0, math.fsum(math.exp(j * log_h - h - math.lgamma(j + 1))
                                  for j in range(df // 2)))
    return min(1.0, math.erfc(math.sqrt(h)) + math.fsum(
        math.exp((j - 0.5) * log_h - h - math.lgamma(j + 0.5))
        for j in range(1, (df - 1) // 2 + 1)))


def _risk_and_events(t: np.ndarray, e: np.ndarray, codes: np.ndarray, k: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """``n_{g,i}`` and ``d_{g,i}`` (event times × groups), one sort per group: ``O(n log n)``."""
    times = np.unique(t[e])
    n_g = np.empty((times.size, k))
    d_g = np.zeros((times.size, k))
    for g in range(k):
        tg = np.sort(t[codes == g])
        n_g[:, g] = tg.size - np.searchsorted(tg, times, side="left")
        dead = t[(codes == g) & e]
        np.add.at(d_g[:, g], np.searchsorted(times, dead), 1.0)
    return n_g, d_g


def logrank(durations: Sequence[float], events: Sequence[int | bool],
            groups: Sequence) -> LogRankResult:
    """Log-rank test of equal survival across two or more groups (see the module docstring).

    Group labels come in categorical order, else sorted.  A singular covariance (e.g. a group
    whose patients are never at risk at an event) is inverted with the pseudo-inverse, as
    lifelines does.
    """
    t, e = validate_survival_data(durations, events)
    labels, levels = group_labels(groups, t.size)
    if len(levels) < 2:
        raise ValueError(f"groups must contain at least two groups, got {levels!r}")
    codes = level_codes(labels, levels)
    k = len(levels)
    n_g, d_g = _risk_and_events(t, e, codes, k)
    n, d = n_g.sum(axis=1), d_g.sum(axis=1)
    frac = n_g / n[:, None]
    o_minus_e = (d_g - d[:, None] * frac).sum(axis=0)
    w = np.where(n > 1, d * (n - d) / np.maximum(n - 1, 1), 0.0)
    cov = np.diag((w[:, None] * frac).sum(axis=0)) - (frac * w[:, None]).T @ frac
    u, v = o_minus_e[:-1], cov[:-1, :-1]
    statistic = float(u @ np.linalg.pinv(v) @ u)
    return LogRankResult(statistic, k - 1, chi2_sf(statistic, k - 1), tuple(levels))
