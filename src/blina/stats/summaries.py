"""Survival summaries: Kaplan–Meier medians (two conventions) and estimates at landmark times.

Medians.  Two conventions are in use, and they differ only when a curve sits *exactly* at 50%:

- ``"lifelines"``: the first time with ``S(t) ≤ 0.5`` (lifelines' ``median_survival_time_``
  and many textbooks);
- ``"prism"``: the same, except on a flat stretch at exactly 50%, where GraphPad Prism reports
  the midpoint of the stretch: the average of the first time at 50% and the time the curve next
  drops, or, if it never drops again, the end of the curve (Machin et al. 2006; GraphPad FAQ 44
  and knowledge-base article 1800).

``S`` is computed with fractions, so "exactly 50%" is decided without rounding error (lifelines
multiplies floats: 5/6 · 4/5 · 3/4 comes out as 0.5000000000000001 and its median as ``inf``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

import numpy as np
import pandas as pd

from blina.stats.inputs import group_labels, time_point, validate_survival_data
from blina.stats.km import event_table, km_estimate

__all__ = ["CONVENTIONS", "ENDPOINTS", "median_survival", "reverse_km_median", "survival_at"]

#: endpoint -> (duration column, event column) of the survival data frames
ENDPOINTS = {"os": ("os_months", "os_event"), "pfs": ("pfs_months", "pfs_event")}
#: the median conventions of :func:`median_survival`
CONVENTIONS = ("lifelines", "prism")


def median_survival(durations: Sequence[float], events: Sequence[int | bool],
                    convention: str = "lifelines") -> float:
    """Median survival time under the convention of lifelines or of GraphPad Prism.

    See the module docstring.  E.g. deaths at months 1, 2, 3 among six patients (risk sets 6,
    5, 4: ``S = 5/6 · 4/5 · 3/4 = 1/2`` exactly) and the other three censored at 30: lifelines'
    convention gives 3, Prism's ``(3 + 30)/2 = 16.5``.  Returns ``math.inf`` when ``S`` never
    falls to 0.5 ("undefined" or "not reached").
    """
    t, e = validate_survival_data(durations, events)
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {convention!r}")
    times, n, d, _ = event_table(t, e)
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


def reverse_km_median(durations: Sequence[float], events: Sequence[int | bool]) -> float:
    """Median follow-up by the reverse Kaplan–Meier method (Schemper & Smith 1996): the
    Kaplan–Meier median with censoring as the event and deaths as censored (Prism convention)."""
    t, e = validate_survival_data(durations, events)
    return median_survival(t, ~e, convention="prism")


def _fmt_pct(x: float) -> str:
    return f"{100 * x:.2f}"


def _columns(df: pd.DataFrame, endpoint: str, duration_col: str | None, event_col: str | None,
             group: str | None) -> tuple[str, str]:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    if endpoint not in ENDPOINTS:
        raise ValueError(f"endpoint must be one of {tuple(ENDPOINTS)}, got {endpoint!r}")
    dcol = duration_col or ENDPOINTS[endpoint][0]
    ecol = event_col or ENDPOINTS[endpoint][1]
    for arg, col in (("duration_col", dcol), ("event_col", ecol), ("group", group)):
        if col is not None and col not in df.columns:
            raise ValueError(f"{arg}: unknown column {col!r}; df has {list(df.columns)}")
    return dcol, ecol


def _time_points(times: Iterable[float]) -> list[float]:
    if isinstance(times, str | bytes) or np.ndim(times) != 1:
        raise ValueError(f"times must be a sequence of numbers, got {times!r}")
    pts = list(times)
    for x in pts:
        time_point(x, "times")
    if not pts:
        raise ValueError("times is empty")
    return pts


def _estimate_row(tg: np.ndarray, eg: np.ndarray, x: float, level: float, beyond: str,
                  where: str) -> dict:
    try:
        s, lo, hi = km_estimate(tg, eg, x, level=level)
        printed = f"{_fmt_pct(s)} ({_fmt_pct(lo)}–{_fmt_pct(hi)})"
    except ValueError as err:
        if beyond == "error" or "beyond the last follow-up" not in str(err):
            raise ValueError(f"times: {err}{where}") from None
        s = lo = hi = math.nan
        printed = "beyond follow-up"
    return {"time": x, "n": int(tg.size), "events": int(eg.sum()),
            "at_risk": int((tg >= x).sum()), "estimate": s, "lower": lo, "upper": hi,
            "printed": printed}


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
    ``ValueError`` (see :func:`blina.stats.km.km_estimate`) unless ``beyond_followup="nan"``,
    which reports NaN for it instead.
    """
    dcol, ecol = _columns(df, endpoint, duration_col, event_col, group)
    if beyond_followup not in ("error", "nan"):
        raise ValueError(f"beyond_followup must be 'error' or 'nan', got {beyond_followup!r}")
    pts = _time_points(times)
    t, e = validate_survival_data(df[dcol], df[ecol])
    if group is None:
        parts = [(None, t, e)]
    else:
        labels, levels = group_labels(df[group], len(df), name=f"group column {group!r}")
        parts = [(lvl, t[labels == lvl], e[labels == lvl]) for lvl in levels]
    rows = []
    for lvl, tg, eg in parts:
        where = "" if lvl is None else f" in group {group}={lvl!r}"
        for x in pts:
            row = _estimate_row(tg, eg, x, level, beyond_followup, where)
            rows.append(row if group is None else {group: lvl, **row})
    return pd.DataFrame(rows)
