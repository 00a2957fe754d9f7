"""The Kaplan–Meier estimator, Greenwood's variance and the log(−log) confidence interval.

Kaplan–Meier (product-limit) estimate (Kaplan & Meier 1958).  With distinct event times
``t_1 < t_2 < ...``, ``n_i`` patients at risk just before ``t_i`` (duration ``>= t_i``) and
``d_i`` events at ``t_i``::

    S(t) = Π_{t_i <= t} (1 − d_i / n_i)

Greenwood's variance sum (Greenwood 1926)::

    V(t) = Σ_{t_i <= t} d_i / (n_i (n_i − d_i))

95% confidence interval on the log(−log) scale, the "exponential Greenwood" interval
(Kalbfleisch & Prentice 2002, §1.3; Collett 2015, §2.2.3) used by GraphPad Prism (the paper's
software) and by lifelines' ``KaplanMeierFitter`` by default.  With ``x = −ln S`` and
``σ = √V / x``::

    lower = exp(−x·e^{+zσ}) = S^exp(zσ),   upper = exp(−x·e^{−zσ}) = S^exp(−zσ),

``z = Φ⁻¹(1 − (1 − level)/2) = 1.95996…`` for 95% (:data:`Z975`).

Tied events expand into single ones: ``d`` deaths at risk ``r`` give the same ``S`` and ``V``
as single deaths at ``r, r − 1, ..., r − d + 1``, because
``d/(r(r − d)) = Σ_{k<d} 1/((r − k)(r − k − 1))``.  So the estimate at a time is a function of
the strictly decreasing *risk sets* ``r_1 > r_2 > ...`` of its events alone
(:func:`km_estimate_and_ci`), which is what :mod:`blina.inverse_km` inverts.

Conventions (the same here and in :mod:`blina.inverse_km`):

- censored at the same time as an event: still at risk at that event (events first), as in
  Prism and lifelines;
- ``S = 1`` (no event up to ``at``): the interval is degenerate and returned as ``(1, 1)``, as
  Prism prints "100% (100–100)" (lifelines leaves the log(−log) formula undefined there);
- ``S = 0`` (the last patient at risk had an event): ``(0, 0)``; the curve is then known to stay
  at 0, so an estimate *beyond* the last follow-up time is allowed only in this case;
- otherwise a time point later than the longest duration raises ``ValueError``: the curve is
  not defined after the last follow-up.

All estimates are proportions in ``[0, 1]``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from numbers import Real

import numpy as np
import pandas as pd

from blina.stats.inputs import time_point, validate_survival_data, z_for_level

__all__ = [
    "CI_KINDS",
    "Z975",
    "check_ci",
    "check_z",
    "ci_bounds",
    "event_table",
    "greenwood_term",
    "km_estimate",
    "km_estimate_and_ci",
    "km_from_risk_sets",
    "km_table",
    "log_bounds",
    "log_factor",
    "loglog_bounds",
    "loglog_interval",
    "loglog_intervals",
    "plain_bounds",
]

#: ``Φ⁻¹(0.975)`` = ``scipy.stats.norm.ppf(0.975)``, the quantile lifelines uses
Z975 = 1.959963984540054
#: the confidence intervals a reader meets in papers (:func:`ci_bounds`)
CI_KINDS = ("loglog", "log", "plain")


def check_z(z: object) -> float:
    """``z`` as a positive finite float, else ``ValueError``."""
    if isinstance(z, bool) or not isinstance(z, Real) or not math.isfinite(z) or z <= 0:
        raise ValueError(f"z must be a positive finite number, got {z!r}")
    return float(z)


def log_factor(r: int) -> float:
    """``a(r) = −ln(1 − 1/r)``: what one event at risk ``r`` adds to ``x = −ln S``."""
    return -math.log1p(-1.0 / r)


def greenwood_term(r: int) -> float:
    """``b(r) = 1/(r(r − 1))``: what one event at risk ``r`` adds to Greenwood's ``V``."""
    return 1.0 / (r * (r - 1))


def loglog_bounds(x, v, z: float, xp=math):
    """The log(−log) interval ``(exp(−x·e^{zσ}), exp(−x·e^{−zσ}))``, ``σ = √V/x``, ``x = −ln S``.

    Kalbfleisch & Prentice (2002, §1.3).  ``x > 0``; ``xp`` is the module whose ``exp`` and
    ``sqrt`` are used: ``math`` for numbers, ``numpy`` for arrays (element-wise).
    """
    sigma = xp.sqrt(v) / x
    return xp.exp(-x * xp.exp(z * sigma)), xp.exp(-x * xp.exp(-z * sigma))


def log_bounds(x, v, z: float, xp=math):
    """The log interval ``exp(ln S ± z√V) = (S·e^{−z√V}, min(1, S·e^{z√V}))``, ``x = −ln S``.

    The default of R's ``survival::survfit`` (``conf.type = "log"``; the upper limit capped at
    1, as ``survfit_confint(ulimit = TRUE)`` does); a symmetric interval for ``ln S``
    (Collett 2015, §2.2).  ``xp`` as in :func:`loglog_bounds`.
    """
    w = xp.sqrt(v)
    upper = xp.exp(-x + z * w)
    return xp.exp(-x - z * w), (min(1.0, upper) if xp is math else xp.minimum(1.0, upper))


def plain_bounds(x, v, z: float, xp=math):
    """The plain ("linear") interval ``S ± z·S·√V``, clipped to ``[0, 1]``, ``x = −ln S``.

    ``S·√V`` is Greenwood's standard error of ``S`` itself (Greenwood 1926; Collett 2015,
    §2.2); R's ``conf.type = "plain"`` with ``ulimit = TRUE``.  ``xp`` as in
    :func:`loglog_bounds`.
    """
    s = xp.exp(-x)
    half = z * s * xp.sqrt(v)
    if xp is math:
        return max(0.0, s - half), min(1.0, s + half)
    return xp.maximum(0.0, s - half), xp.minimum(1.0, s + half)


_CI_FORMULAS = {"loglog": loglog_bounds, "log": log_bounds, "plain": plain_bounds}


def check_ci(ci: object) -> str:
    """``ci`` if it is one of :data:`CI_KINDS`, else ``ValueError``."""
    if ci not in _CI_FORMULAS:
        raise ValueError(f"ci must be one of {CI_KINDS}, got {ci!r}")
    return ci


def ci_bounds(kind: str, x, v, z: float, xp=math):
    """The ``kind`` interval (:data:`CI_KINDS`) of ``S = e^−x`` with Greenwood sum ``V``:
    :func:`loglog_bounds`, :func:`log_bounds` or :func:`plain_bounds` (``x > 0``)."""
    return _CI_FORMULAS[kind](x, v, z, xp)


def loglog_interval(s: float, v: float, z: float) -> tuple[float, float]:
    """The log(−log) interval of an estimate ``s`` with Greenwood variance ``v``, with the edge
    conventions of the module docstring: ``(1, 1)`` at ``s ≥ 1`` and ``(0, 0)`` at ``s ≤ 0``."""
    if s >= 1.0:
        return 1.0, 1.0
    if s <= 0.0:
        return 0.0, 0.0
    return loglog_bounds(-math.log(s), v, z)


def km_estimate_and_ci(risk_sets: Sequence[int], *, z: float = Z975,
                       ci: str = "loglog") -> tuple[Fraction, float, float]:
    """Kaplan–Meier estimate (exact) and its CI (floats) from numbers at risk.

    ``S = Π (1 − 1/r_i)`` (Kaplan & Meier 1958), ``V = Σ 1/(r_i(r_i − 1))`` (Greenwood 1926),
    and the ``ci`` interval of :func:`ci_bounds`: by default the log(−log) one,
    ``lower = S^exp(zσ)``, ``upper = S^exp(−zσ)`` with ``σ = √V/|ln S|`` (Kalbfleisch &
    Prentice 2002).  With no events (``S = 1``) or an event at risk 1 (``S = 0``) the interval is
    degenerate and returned as ``(S, S)``.  Proportions, not percent.
    """
    rs = tuple(risk_sets)
    for i, r in enumerate(rs):
        if isinstance(r, bool | np.bool_) or not isinstance(r, int | np.integer) or r < 1:
            raise ValueError(f"risk_sets must hold integers >= 1, got {r!r}")
        if i and r >= rs[i - 1]:
            raise ValueError(f"risk_sets must be strictly decreasing, got {rs!r}")
    check_z(z)
    rs = tuple(int(r) for r in rs)
    check_ci(ci)
    if rs and rs[-1] == 1:
        return Fraction(0), 0.0, 0.0
    s = Fraction(_product([r - 1 for r in rs]), _product(list(rs)))
    if not rs:
        return s, 1.0, 1.0
    x = math.fsum(log_factor(r) for r in rs)
    v = math.fsum(greenwood_term(r) for r in rs)
    lower, upper = ci_bounds(ci, x, v, z)
    return s, lower, upper


def _product(values: list[int]) -> int:
    """``Π values`` by pairwise products (a balanced tree): the big integers stay of similar
    sizes, about twice as fast as a running product for a thousand risk sets."""
    if not values:
        return 1
    while len(values) > 1:
        values = [values[i] * values[i + 1] if i + 1 < len(values) else values[i]
                  for i in range(0, len(values), 2)]
    return values[0]


def km_from_risk_sets(n_at_risk_sequence: Iterable[int], n: int | None = None, *,
                      level: float = 0.95) -> tuple[float, float, float]:
    """Estimate and log(−log) CI from the numbers at risk at each single event.

    ``n_at_risk_sequence`` is the strictly decreasing tuple ``r_1 > r_2 > ...`` of patients at
    risk just before each event (tied events expanded one at a time, which leaves ``S`` and
    ``V`` unchanged); then ``S = Π(1 − 1/r_i)`` and ``V = Σ 1/(r_i(r_i − 1))``
    (:func:`km_estimate_and_ci`).  ``n`` (patients at time 0), if given, must be at least
    ``r_1``.  E.g. ``km_from_risk_sets((24, 23, 21))`` ≈ ``(0.87302, 0.65580, 0.95723)``.
    Proportions, not percent.
    """
    if isinstance(n_at_risk_sequence, str | bytes):
        raise ValueError(f"n_at_risk_sequence must be a sequence of ints, got "
                         f"{n_at_risk_sequence!r}")
    try:
        seq = tuple(n_at_risk_sequence)
    except TypeError:
        raise ValueError(f"n_at_risk_sequence must be a sequence of ints, got "
                         f"{n_at_risk_sequence!r}") from None
    for r in seq:
        if isinstance(r, bool) or not isinstance(r, int | np.integer) or r < 1:
            raise ValueError(f"n_at_risk_sequence must hold integers >= 1, got {r!r}")
    seq = tuple(int(r) for r in seq)
    for a, b in zip(seq, seq[1:], strict=False):
        if b >= a:
            raise ValueError(f"n_at_risk_sequence must be strictly decreasing, got {seq!r}")
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"n must be a positive int, got {n!r}")
        if seq and seq[0] > n:
            raise ValueError(f"n_at_risk_sequence starts at {seq[0]}, more than n={n}")
    s, lo, hi = km_estimate_and_ci(seq, z=z_for_level(level))
    return float(s), float(lo), float(hi)


def event_table(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                       np.ndarray]:
    """Distinct times, at risk (duration ``>= time``), events and censorings at each time.

    One sort: ``O(n log n)``.
    """
    times, inverse = np.unique(t, return_inverse=True)
    at_risk = t.size - np.searchsorted(np.sort(t), times, side="left")
    deaths = np.bincount(inverse, weights=e.astype(float), minlength=times.size).astype(int)
    total = np.bincount(inverse, minlength=times.size)
    return times, at_risk.astype(int), deaths, total - deaths


def km_table(durations: Sequence[float], events: Sequence[int | bool], *,
             level: float = 0.95) -> pd.DataFrame:
    """The Kaplan–Meier life table: one row per distinct time (events or censorings).

    Columns ``time, at_risk, events, censored, survival, greenwood, lower, upper``, where
    ``survival = Π (1 − d_i/n_i)`` (Kaplan & Meier 1958), ``greenwood = Σ d_i/(n_i(n_i − d_i))``
    (Greenwood 1926) and ``lower``/``upper`` the log(−log) interval (Kalbfleisch & Prentice
    2002) at the confidence ``level``; see the module docstring for the edge conventions.
    """
    t, e = validate_survival_data(durations, events)
    z = z_for_level(level)
    times, n, d, c = event_table(t, e)
    n_f = n.astype(float)
    survival = np.cumprod(np.where(d > 0, 1.0 - d / n_f, 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(d > 0, np.where(n > d, d / (n_f * (n_f - d)), np.inf), 0.0)
    greenwood = np.cumsum(terms)
    lower, upper = loglog_intervals(survival, greenwood, z)
    return pd.DataFrame({"time": times.astype(float), "at_risk": n, "events": d,
                         "censored": c, "survival": survival, "greenwood": greenwood,
                         "lower": lower, "upper": upper})


def loglog_intervals(s: np.ndarray, v: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`loglog_interval` element-wise: ``(1, 1)`` where ``s ≥ 1``, ``(0, 0)`` where
    ``s ≤ 0``, else :func:`loglog_bounds`."""
    inside = (s > 0) & (s < 1)
    lower, upper = np.where(s >= 1, 1.0, 0.0), np.where(s >= 1, 1.0, 0.0)
    if inside.any():
        lo, hi = loglog_bounds(-np.log(s[inside]), v[inside], z, xp=np)
        lower[inside], upper[inside] = lo, hi
    return lower, upper


def km_estimate(durations: Sequence[float], events: Sequence[int | bool], at: float, *,
                level: float = 0.95) -> tuple[float, float, float]:
    """Kaplan–Meier estimate at time ``at`` with its log(−log) confidence interval.

    Returns ``(estimate, lower, upper)`` as proportions in ``[0, 1]``:
    ``S(at) = Π_{t_i <= at} (1 − d_i/n_i)`` (Kaplan & Meier 1958; right-continuous, so events at
    ``at`` count), ``V = Σ d_i/(n_i(n_i − d_i))`` (Greenwood 1926),
    ``exp(−exp(log(−log S) ± z·sqrt(V)/|log S|))`` (Kalbfleisch & Prentice 2002), the interval of
    GraphPad Prism and lifelines. ``S = 1`` gives ``(1, 1, 1)`` and ``S = 0`` gives ``(0, 0, 0)``.

    Raises ``ValueError`` for invalid data (see :func:`validate_survival_data`), for a negative
    ``at`` and for ``at`` beyond the longest duration unless the curve has reached 0.

    Example: deaths at months 1, 2, 3 among six patients (the other three censored at 30) give
    ``S(24) = 5/6 · 4/5 · 3/4 = 0.5``, ``V = 1/30 + 1/20 + 1/12 = 1/6`` and the interval
    ``(0.11095, 0.80371)``.
    """
    t, e = validate_survival_data(durations, events)
    z = z_for_level(level)
    x = time_point(at)
    times, n, d, _ = event_table(t, e)
    keep = (times <= x) & (d > 0)
    s = float(np.prod(1.0 - d[keep] / n[keep])) if keep.any() else 1.0
    if x > t.max() and s > 0:
        raise ValueError(f"at={at!r} is beyond the last follow-up time {t.max():g} of durations; "
                         "the Kaplan–Meier curve is undefined there")
    if s <= 0.0:
        return 0.0, 0.0, 0.0
    nk = n[keep].astype(float)
    v = float(np.sum(d[keep] / (nk * (nk - d[keep])))) if keep.any() else 0.0
    lo, hi = loglog_interval(s, v, z)
    return s, lo, hi
