"""Kaplan–Meier estimates, their confidence intervals, medians and log-rank tests.

Kaplan–Meier (product-limit) estimate (Kaplan & Meier 1958). With distinct event times
``t_1 < t_2 < ...``, ``n_i`` patients at risk just before ``t_i`` (duration ``>= t_i``) and ``d_i``
events at ``t_i``::

    S(t) = Π_{t_i <= t} (1 − d_i / n_i)

Greenwood's variance sum (Greenwood 1926)::

    V(t) = Σ_{t_i <= t} d_i / (n_i (n_i − d_i))

95% confidence interval on the log(−log) scale, the "exponential Greenwood" interval
(Kalbfleisch & Prentice 2002, §1.3; Collett 2015, §2.2.3) used by GraphPad Prism (the paper's
software) and by lifelines' ``KaplanMeierFitter`` by default::

    lower, upper = exp(−exp(log(−log S) ± z · sqrt(V) / |log S|))  =  S^exp(±z·σ),
    σ = sqrt(V) / |log S|,   z = Φ⁻¹(1 − (1 − level)/2) = 1.95996... for 95%.

Conventions (the same everywhere in this module and in :mod:`blina.inverse_km`):

- censored at the same time as an event: still at risk at that event (events first), as in
  Prism and lifelines;
- ``S = 1`` (no event up to ``at``): the interval is degenerate and returned as ``(1, 1)``, as
  Prism prints "100% (100–100)" (lifelines leaves the log(−log) formula undefined there);
- ``S = 0`` (the last patient at risk had an event): returned as ``(0, 0)``; the curve is then
  known to stay at 0, so an estimate *beyond* the last follow-up time is allowed only in this
  case;
- otherwise a time point ``at`` later than the longest duration raises ``ValueError``: the curve
  is not defined after the last follow-up.

All estimates are proportions in ``[0, 1]``; tables add a printed percent string.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Real
from statistics import NormalDist

import numpy as np
import pandas as pd

from blina.stats.km import km_estimate_and_ci

__all__ = [
    "ENDPOINTS",
    "LogRankResult",
    "km_estimate",
    "km_from_risk_sets",
    "km_table",
    "logrank",
    "median_survival",
    "survival_at",
    "validate_survival_data",
]

#: endpoint -> (duration column, event column) of the reconstructed survival data
ENDPOINTS = {"os": ("os_months", "os_event"), "pfs": ("pfs_months", "pfs_event")}
_CONVENTIONS = ("lifelines", "prism")


# ---------------------------------------------------------------------------------------------
# validation


def _z(level: object) -> float:
    if isinstance(level, bool) or not isinstance(level, Real) or not 0 < level < 1:
        raise ValueError(f"level must be a number strictly between 0 and 1, got {level!r}")
    return NormalDist().inv_cdf(0.5 + float(level) / 2)  # standard normal quantile


def _as_1d(name: str, values: object) -> np.ndarray:
    if values is None or isinstance(values, str | bytes) or np.ndim(values) != 1:
        raise ValueError(f"{name} must be a one-dimensional sequence, got {values!r}")
    if isinstance(values, pd.Series | pd.Index):
        arr = values.to_numpy(dtype=object)
    else:
        arr = np.asarray(list(values), dtype=object)
    if arr.size == 0:
        raise ValueError(f"{name} is empty: at least one patient is needed")
    return arr


def _is_missing(v: object) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _durations(values: object, name: str = "durations") -> np.ndarray:
    arr = _as_1d(name, values)
    out = np.empty(arr.size, dtype=float)
    for i, v in enumerate(arr):
        if _is_missing(v):
            raise ValueError(f"{name} has a missing value (NaN) at position {i}")
        if isinstance(v, bool | np.bool_) or not isinstance(v, Real | np.number):
            raise ValueError(f"{name} must hold numbers, got {v!r} at position {i}")
        f = float(v)
        if not math.isfinite(f):
            raise ValueError(f"{name} must be finite, got {v!r} at position {i}")
        if f < 0:
            raise ValueError(f"{name} must be non-negative, got {v!r} at position {i}")
        out[i] = f
    return out


def _events(values: object, name: str = "events") -> np.ndarray:
    arr = _as_1d(name, values)
    out = np.empty(arr.size, dtype=bool)
    for i, v in enumerate(arr):
        if _is_missing(v):
            raise ValueError(f"{name} has a missing value at position {i}")
        if isinstance(v, bool | np.bool_):
            out[i] = bool(v)
        elif isinstance(v, Real | np.number) and float(v) in (0.0, 1.0):
            out[i] = float(v) == 1.0
        else:
            raise ValueError(f"{name} must be 0/1 or boolean, got {v!r} at position {i}")
    return out


def _groups(values: object, n: int, name: str = "groups") -> tuple[np.ndarray, list]:
    """Group labels as an object array and the levels in order (categorical order if any)."""
    arr = _as_1d(name, values)
    if arr.size != n:
        raise ValueError(f"durations and {name} must have the same length, got {n} and "
                         f"{arr.size}")
    for i, v in enumerate(arr):
        if _is_missing(v):
            raise ValueError(f"{name} has a missing value at position {i}")
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        levels = list(values.cat.categories)
    else:
        seen = list(dict.fromkeys(arr.tolist()))
        try:
            levels = sorted(seen)
        except TypeError:
            levels = seen
    for level in levels:
        if not np.any(arr == level):
            raise ValueError(f"{name} level {level!r} has no patients")
    return arr, levels


def validate_survival_data(durations: object, events: object) -> tuple[np.ndarray, np.ndarray]:
    """Check and convert durations (finite, >= 0) and event flags (0/1 or bool).

    Returns ``(durations as float array, events as bool array)``; raises ``ValueError`` naming
    the argument, the offending value and its position.
    """
    t = _durations(durations)
    e = _events(events)
    if t.size != e.size:
        raise ValueError(f"durations and events must have the same length, got {t.size} and "
                         f"{e.size}")
    return t, e


def _time_point(at: object, name: str = "at") -> float:
    if isinstance(at, bool) or not isinstance(at, Real | np.number) or not math.isfinite(at):
        raise ValueError(f"{name} must be a finite number, got {at!r}")
    if at < 0:
        raise ValueError(f"{name} must be non-negative, got {at!r}")
    return float(at)


# ---------------------------------------------------------------------------------------------
# the estimator


def _event_counts(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                         np.ndarray]:
    """Distinct times, at risk (duration >= time), events and censorings at each time."""
    times = np.unique(t)
    at_risk = np.array([(t >= x).sum() for x in times], dtype=int)
    deaths = np.array([((t == x) & e).sum() for x in times], dtype=int)
    censored = np.array([((t == x) & ~e).sum() for x in times], dtype=int)
    return times, at_risk, deaths, censored


def _loglog(s: float, v: float, z: float) -> tuple[float, float]:
    if s >= 1.0:
        return 1.0, 1.0
    if s <= 0.0:
        return 0.0, 0.0
    sigma = math.sqrt(v) / abs(math.log(s))
    return math.exp(math.log(s) * math.exp(z * sigma)), math.exp(math.log(s) * math.exp(-z * sigma))


def km_table(durations: Sequence[float], events: Sequence[int | bool], *,
             level: float = 0.95) -> pd.DataFrame:
    """The Kaplan–Meier life table: one row per distinct time (events or censorings).

    Columns ``time, at_risk, events, censored, survival, greenwood, lower, upper``, where
    ``survival = Π (1 − d_i/n_i)`` (Kaplan & Meier 1958), ``greenwood = Σ d_i/(n_i(n_i − d_i))``
    (Greenwood 1926) and ``lower``/``upper`` the log(−log) interval (Kalbfleisch & Prentice
    2002) at the confidence ``level``; see the module docstring for the edge conventions.
    """
    t, e = validate_survival_data(durations, events)
    z = _z(level)
    times, n, d, c = _event_counts(t, e)
    s, v = 1.0, 0.0
    rows = []
    for x, ni, di, ci in zip(times, n, d, c, strict=True):
        if di:
            s *= 1.0 - di / ni
            v = v + di / (ni * (ni - di)) if ni > di else math.inf
        lo, hi = _loglog(s, v, z)
        rows.append((float(x), int(ni), int(di), int(ci), s, v, lo, hi))
    return pd.DataFrame(rows, columns=["time", "at_risk", "events", "censored", "survival",
                                       "greenwood", "lower", "upper"])


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
    z = _z(level)
    x = _time_point(at)
    times, n, d, _ = _event_counts(t, e)
    keep = (times <= x) & (d > 0)
    s = float(np.prod(1.0 - d[keep] / n[keep])) if keep.any() else 1.0
    if x > t.max() and s > 0:
        raise ValueError(f"at={at!r} is beyond the last follow-up time {t.max():g} of durations; "
                         "the Kaplan–Meier curve is undefined there")
    if s <= 0.0:
        return 0.0, 0.0, 0.0
    v = float(np.sum(d[keep] / (n[keep] * (n[keep] - d[keep])))) if keep.any() else 0.0
    lo, hi = _loglog(s, v, z)
    return s, lo, hi


def km_from_risk_sets(n_at_risk_sequence: Iterable[int], n: int | None = None, *,
                      level: float = 0.95) -> tuple[float, float, float]:
    """Estimate and log(−log) CI from the numbers at risk at each single event.

    ``n_at_risk_sequence`` is the strictly decreasing tuple ``r_1 > r_2 > ...`` of patients at
    risk just before each event (tied events expanded one at a time, which leaves ``S`` and
    ``V`` unchanged); then ``S = Π(1 − 1/r_i)`` and ``V = Σ 1/(r_i(r_i − 1))``. Delegates to
    :func:`blina.inverse_km.km_estimate_and_ci`. ``n`` (patients at time 0), if given, must be
    at least ``r_1``. E.g. ``km_from_risk_sets((24, 23, 21))`` ≈ ``(0.87302, 0.65580,
    0.95723)``. Proportions, not percent.
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
    s, lo, hi = km_estimate_and_ci(seq, z=_z(level))
    return float(s), float(lo), float(hi)


# ---------------------------------------------------------------------------------------------
# medians


def median_survival(durations: Sequence[float], events: Sequence[int | bool],
                    convention: str = "lifelines") -> float:
    """Median survival time under the convention of lifelines or of GraphPad Prism.

    The estimate ``S`` is computed exactly (fractions), so "exactly 50%" is decided without
    rounding error.

    - ``"lifelines"``: the first time with ``S(t) <= 0.5``, the definition of lifelines'
      ``median_survival_time_`` (and of many textbooks). Beware: lifelines itself multiplies in
      floating point, so a curve at exactly 50% can come out as 0.5000000000000001 and its
      median as ``inf`` (e.g. deaths at risk 6, 5, 4 then censoring: 5/6 · 4/5 · 3/4); this
      function decides exactly and returns the time of the third death.
    - ``"prism"``: as lifelines, except when the curve sits exactly at 50%: then the average of
      the first time at 50% and the last time at 50% — the time the curve next drops, or, if it
      never drops again, the end of the curve (the longest duration). Prism follows Machin et
      al. (2006) here (GraphPad FAQ 44 and knowledge-base article 1800).

    Returns ``math.inf`` when ``S`` never falls to 0.5 ("undefined" or "not reached").
    """
    t, e = validate_survival_data(durations, events)
    if convention not in _CONVENTIONS:
        raise ValueError(f"convention must be one of {_CONVENTIONS}, got {convention!r}")
    times, n, d, _ = _event_counts(t, e)
    s = Fraction(1)
    half = Fraction(1, 2)
    event_times = [(float(x), int(ni), int(di)) for x, ni, di in zip(times, n, d, strict=True)
                   if di]
    for i, (x, ni, di) in enumerate(event_times):
        s *= Fraction(ni - di, ni)
        if s <= half:
            if convention == "lifelines" or s < half:
                return x
            end = event_times[i + 1][0] if i + 1 < len(event_times) else float(t.max())
            return (x + end) / 2
    return math.inf


# ---------------------------------------------------------------------------------------------
# tables by group


def _fmt_pct(x: float) -> str:
    return f"{100 * x:.2f}"


def survival_at(df: pd.DataFrame, group: str | None = None, times: Iterable[float] = (6, 12, 24),
                endpoint: str = "os", *, duration_col: str | None = None,
                event_col: str | None = None, level: float = 0.95,
                beyond_followup: str = "error") -> pd.DataFrame:
    """Kaplan–Meier estimates with 95% CI at several times, overall or per group (tidy).

    ``df`` holds one row per patient with a duration and an event column; by default those of
    ``endpoint`` (``"os"`` → ``os_months``/``os_event``, ``"pfs"`` → ``pfs_months``/``pfs_event``,
    the columns of the *reconstructed* survival data), or ``duration_col``/``event_col``.
    Rows in group order (categorical order, else sorted) and time order, with columns
    ``group`` (only when ``group`` is given, named after it), ``time, n, events, at_risk,
    estimate, lower, upper, printed`` — proportions and a "87.30 (65.58–95.72)" percent string.
    ``at_risk`` counts durations ``>= time``. A time beyond a group's follow-up raises
    ``ValueError`` (see :func:`km_estimate`) unless ``beyond_followup="nan"``, which reports NaN
    for it instead.
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    if endpoint not in ENDPOINTS:
        raise ValueError(f"endpoint must be one of {tuple(ENDPOINTS)}, got {endpoint!r}")
    if beyond_followup not in ("error", "nan"):
        raise ValueError(f"beyond_followup must be 'error' or 'nan', got {beyond_followup!r}")
    dcol = duration_col or ENDPOINTS[endpoint][0]
    ecol = event_col or ENDPOINTS[endpoint][1]
    for arg, col in (("duration_col", dcol), ("event_col", ecol), ("group", group)):
        if col is not None and col not in df.columns:
            raise ValueError(f"{arg}: unknown column {col!r}; df has {list(df.columns)}")
    if isinstance(times, str | bytes) or np.ndim(times) != 1:
        raise ValueError(f"times must be a sequence of numbers, got {times!r}")
    pts = list(times)
    for x in pts:
        _time_point(x, "times")
    if not pts:
        raise ValueError("times is empty")
    t, e = validate_survival_data(df[dcol], df[ecol])
    if group is None:
        parts = [(None, t, e)]
    else:
        labels, levels = _groups(df[group], len(df), name=f"group column {group!r}")
        parts = [(lvl, t[labels == lvl], e[labels == lvl]) for lvl in levels]
    rows = []
    for lvl, tg, eg in parts:
        for x in pts:
            try:
                s, lo, hi = km_estimate(tg, eg, x, level=level)
                printed = f"{_fmt_pct(s)} ({_fmt_pct(lo)}–{_fmt_pct(hi)})"
            except ValueError as err:
                if beyond_followup == "error" or "beyond the last follow-up" not in str(err):
                    where = "" if lvl is None else f" in group {group}={lvl!r}"
                    raise ValueError(f"times: {err}{where}") from None
                s = lo = hi = math.nan
                printed = "beyond follow-up"
            row = {"time": x, "n": int(tg.size), "events": int(eg.sum()),
                   "at_risk": int((tg >= x).sum()), "estimate": s, "lower": lo, "upper": hi,
                   "printed": printed}
            if group is not None:
                row = {group: lvl, **row}
            rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# log-rank


@dataclass(frozen=True)
class LogRankResult:
    """A log-rank test: chi-square ``statistic`` with ``df`` degrees of freedom and ``p``."""

    statistic: float
    df: int
    p: float
    groups: tuple

    def __str__(self) -> str:
        return f"log-rank chi2 = {self.statistic:.3f}, df = {self.df}, p = {self.p:.4g}"


def chi2_sf(x: float, df: int) -> float:
    """Upper tail ``P(X ≥ x)`` of the chi-square distribution with integer ``df`` (exact).

    Closed forms (Abramowitz & Stegun 26.4.4–26.4.5): for even ``df = 2m``,
    ``e^{−x/2} Σ_{j<m} (x/2)^j / j!``; for odd ``df = 2m + 1``,
    ``erfc(√(x/2)) + e^{−x/2} Σ_{j=1..m} (x/2)^{j−½} / Γ(j + ½)``.
    """
    if isinstance(df, bool) or not isinstance(df, int) or df < 1:
        raise ValueError(f"df must be a positive integer, got {df!r}")
    if not x > 0:
        return 1.0
    h = x / 2
    if df % 2 == 0:
        return math.exp(-h) * math.fsum(h**j / math.factorial(j) for j in range(df // 2))
    return math.erfc(math.sqrt(h)) + math.exp(-h) * math.fsum(
        h ** (j - 0.5) / math.gamma(j + 0.5) for j in range(1, (df - 1) // 2 + 1))


def logrank(durations: Sequence[float], events: Sequence[int | bool],
            groups: Sequence) -> LogRankResult:
    """Log-rank test of equal survival across two or more groups (Mantel 1966; Peto & Peto 1972).

    At each distinct event time ``t_i`` with ``d_i`` events among ``n_i`` at risk
    (``d_{g,i}``, ``n_{g,i}`` in group ``g``): ``O_g − E_g = Σ_i (d_{g,i} − d_i n_{g,i}/n_i)`` and
    the hypergeometric covariance
    ``V_{gh} = Σ_i d_i (n_i − d_i)/(n_i − 1) · n_{g,i}/n_i · (δ_{gh} − n_{h,i}/n_i)``.
    The statistic ``(O − E)ᵀ V⁻¹ (O − E)`` over the first ``k − 1`` groups is referred to
    chi-square on ``k − 1`` df (two groups: ``(O_1 − E_1)² / V_{11}``). This is the test GraphPad
    Prism reports as "Log-rank (Mantel-Cox)" and the one lifelines' ``logrank_test`` /
    ``multivariate_logrank_test`` compute; the tests check agreement with lifelines. It is
    computed here directly because importing lifelines costs over a second per notebook.
    Group labels come in categorical order, else sorted.
    """
    t, e = validate_survival_data(durations, events)
    labels, levels = _groups(groups, t.size)
    if len(levels) < 2:
        raise ValueError(f"groups must contain at least two groups, got {levels!r}")
    codes = np.array([levels.index(v) for v in labels])
    k = len(levels)
    o_minus_e = np.zeros(k)
    cov = np.zeros((k, k))
    for time in np.unique(t[e.astype(bool)]):
        at_risk = t >= time
        n = at_risk.sum()
        dead = at_risk & (t == time) & e.astype(bool)
        d = dead.sum()
        n_g = np.bincount(codes[at_risk], minlength=k).astype(float)
        d_g = np.bincount(codes[dead], minlength=k).astype(float)
        o_minus_e += d_g - d * n_g / n
        if n > 1:
            w = d * (n - d) / (n - 1)
            frac = n_g / n
            cov += w * (np.diag(frac) - np.outer(frac, frac))
    u, v = o_minus_e[:-1], cov[:-1, :-1]
    statistic = float(u @ np.linalg.pinv(v) @ u)  # pseudo-inverse, as lifelines, if V is singular
    return LogRankResult(statistic, k - 1, chi2_sf(statistic, k - 1), tuple(levels))
