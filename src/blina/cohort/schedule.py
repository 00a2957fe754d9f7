"""Blinatumomab dose schedules: the standard adult cycle 1 and the paper's short course.

Doses are the fixed daily doses for adults weighing at least 45 kg, given as a continuous
intravenous infusion (patients under 45 kg are dosed by body-surface area instead):

- **standard cycle 1** (the licensed schedule studied by Topp et al. 2015 and Kantarjian et al.
  2017): 9 µg/day on days 1–7, 28 µg/day on days 8–28, then 14 treatment-free days. Total
  ``D = 7·9 + 21·28 = 63 + 588 = 651 µg``;
- **short course** (Yin et al. 2024, section 2.2): 9 µg/day "for the first 3 days" and 28 µg/day
  "for 6–10 days", with no stated treatment-free interval (the patients went on to further
  therapy). Total ``D(f) = 3·9 + 28·f`` for ``f`` full-dose days: 195 µg (``f = 6``) to 307 µg
  (``f = 10``), that is 30% to 47% of the standard cycle 1.

Every schedule is a DataFrame with one row per day: ``day`` (1, 2, ...), ``dose_ug_per_day``
(0 on treatment-free days) and ``schedule`` (its name). The cumulative dose through day ``d`` is
``D(d) = Σ_{day ≤ d} dose(day)``. :func:`schedule_plot` draws the daily and the cumulative dose
of the standard cycle and of the shortest and longest short course, in the style of
:mod:`blina.plots` (line styles as well as colours, ``fig.alt_text`` with the numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import numpy as np
import pandas as pd

__all__ = [
    "COLUMNS",
    "FULL_DOSE_UG",
    "LOW_DOSE_UG",
    "PAPER_FULL_DOSE_DAYS",
    "STANDARD_CYCLE_DAYS",
    "compare_schedules",
    "schedules_compared",
    "cumulative_curve",
    "cumulative_dose",
    "infusion_schedule",
    "short_course",
    "short_course_dose_range",
    "standard_cycle1",
]

#: the lower (step-up) and the full daily dose for adults of at least 45 kg, in µg/day
LOW_DOSE_UG = 9
FULL_DOSE_UG = 28
#: infusion days of one standard cycle (followed by 14 treatment-free days)
STANDARD_CYCLE_DAYS = 28
STANDARD_REST_DAYS = 14
#: the paper's range of full-dose days for the short course ("28 μg/day for 6–10 days")
PAPER_FULL_DOSE_DAYS = (6, 10)
SHORT_ESCALATION_DAYS = 3
COLUMNS = ("day", "dose_ug_per_day", "schedule")


def _count(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value)


def infusion_schedule(escalation_days: int, full_dose_days: int, *, rest_days: int = 0,
                      name: str | None = None) -> pd.DataFrame:
    """A daily schedule: ``escalation_days`` at 9 µg/day, ``full_dose_days`` at 28 µg/day.

    Then ``rest_days`` treatment-free days at 0 µg/day. The infusion (escalation plus full
    dose) must fit in one 28-day cycle. ``name`` defaults to a description such as
    ``"9 µg/day × 3 d, 28 µg/day × 10 d"``. Returns columns ``day, dose_ug_per_day,
    schedule``.
    """
    esc = _count(escalation_days, "escalation_days", 0)
    full = _count(full_dose_days, "full_dose_days", 1)
    rest = _count(rest_days, "rest_days", 0)
    if esc + full > STANDARD_CYCLE_DAYS:
        raise ValueError(f"escalation_days + full_dose_days must be at most "
                         f"{STANDARD_CYCLE_DAYS} (one cycle), got {esc} + {full} = {esc + full}")
    if name is None:
        name = (f"{LOW_DOSE_UG} µg/day × {esc} d, " if esc else "") + \
            f"{FULL_DOSE_UG} µg/day × {full} d"
    elif not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    doses = [LOW_DOSE_UG] * esc + [FULL_DOSE_UG] * full + [0] * rest
    return pd.DataFrame({"day": np.arange(1, len(doses) + 1), "dose_ug_per_day": doses,
                         "schedule": name})


def standard_cycle1(*, include_rest: bool = True) -> pd.DataFrame:
    """The standard adult cycle 1: 9 µg/day days 1–7, 28 µg/day days 8–28, 14 days off.

    ``include_rest=False`` leaves out the 14 treatment-free days (days 29–42). Total dose
    ``7·9 + 21·28 = 651 µg`` (Topp et al. 2015; Kantarjian et al. 2017).
    """
    if not isinstance(include_rest, bool):
        raise ValueError(f"include_rest must be True or False, got {include_rest!r}")
    return infusion_schedule(7, STANDARD_CYCLE_DAYS - 7,
                             rest_days=STANDARD_REST_DAYS if include_rest else 0,
                             name="standard cycle 1")


def short_course(full_dose_days: int) -> pd.DataFrame:
    """The paper's short course: 9 µg/day for 3 days, then 28 µg/day for ``full_dose_days``.

    Yin et al. (2024), section 2.2: "28 μg/day for 6–10 days"; ``full_dose_days`` must lie in
    that range. Total dose ``27 + 28·full_dose_days`` µg (195 to 307 µg). For other lengths use
    :func:`infusion_schedule`.
    """
    lo, hi = PAPER_FULL_DOSE_DAYS
    if isinstance(full_dose_days, bool) or not isinstance(full_dose_days, Integral):
        raise ValueError(f"full_dose_days must be an integer, got {full_dose_days!r}")
    if not lo <= full_dose_days <= hi:
        raise ValueError(f"full_dose_days must be between {lo} and {hi} (the paper's "
                         f"'28 μg/day for 6–10 days'), got {full_dose_days!r}")
    return infusion_schedule(SHORT_ESCALATION_DAYS, int(full_dose_days),
                             name=f"short course ({full_dose_days} d at {FULL_DOSE_UG} µg/day)")


def _check_schedule(schedule: object) -> pd.DataFrame:
    if not isinstance(schedule, pd.DataFrame):
        raise ValueError(f"schedule must be a pandas DataFrame, got {type(schedule).__name__}")
    missing = [c for c in COLUMNS if c not in schedule.columns]
    if missing:
        raise ValueError(f"schedule: missing column(s) {missing}; it has "
                         f"{list(schedule.columns)}")
    if schedule.empty:
        raise ValueError("schedule is empty")
    days = schedule["day"].to_numpy()
    if not np.array_equal(days, np.arange(1, len(days) + 1)):
        raise ValueError("schedule: column 'day' must run 1, 2, 3, ... without gaps")
    dose = pd.to_numeric(schedule["dose_ug_per_day"], errors="coerce")
    if dose.isna().any() or (dose < 0).any():
        raise ValueError("schedule: column 'dose_ug_per_day' must hold non-negative numbers")
    return schedule


def cumulative_curve(schedule: pd.DataFrame) -> pd.DataFrame:
    """``schedule`` with a column ``cumulative_ug``: the total dose through the end of each day.

    ``D(d) = Σ_{day ≤ d} dose(day)`` (µg).
    """
    out = _check_schedule(schedule).copy()
    out["cumulative_ug"] = out["dose_ug_per_day"].astype(float).cumsum()
    return out


def cumulative_dose(schedule: pd.DataFrame, through_day: int | None = None) -> float:
    """Total dose (µg) of ``schedule`` through the end of ``through_day`` (default: all days).

    ``D(d) = Σ_{day ≤ d} dose(day)``; e.g. 651 µg for the standard cycle 1, 63 µg through its
    day 7, and 27 + 28·f µg for a short course with ``f`` full-dose days. A ``through_day`` beyond
    the schedule raises ``ValueError``.
    """
    curve = cumulative_curve(schedule)
    if through_day is None:
        return float(curve["cumulative_ug"].iloc[-1])
    d = _count(through_day, "through_day", 1)
    if d > len(curve):
        raise ValueError(f"through_day must be at most {len(curve)} (the schedule's last day), "
                         f"got {through_day!r}")
    return float(curve["cumulative_ug"].iloc[d - 1])


def short_course_dose_range() -> tuple[float, float]:
    """Total dose (µg) of the shortest and the longest short course: ``(195.0, 307.0)``."""
    lo, hi = PAPER_FULL_DOSE_DAYS
    return cumulative_dose(short_course(lo)), cumulative_dose(short_course(hi))


def schedules_compared(full_dose_days: Sequence[int] = PAPER_FULL_DOSE_DAYS
                       ) -> list[pd.DataFrame]:
    """The standard cycle 1 followed by a short course for each of ``full_dose_days``."""
    if isinstance(full_dose_days, str | bytes) or np.ndim(full_dose_days) != 1:
        raise ValueError(f"full_dose_days must be a sequence of integers, got {full_dose_days!r}")
    if len(full_dose_days) == 0:
        raise ValueError("full_dose_days is empty")
    return [standard_cycle1()] + [short_course(f) for f in full_dose_days]


def compare_schedules(full_dose_days: Sequence[int] = PAPER_FULL_DOSE_DAYS) -> pd.DataFrame:
    """One row per schedule: the standard cycle 1 and a short course per ``full_dose_days``.

    Columns ``schedule, infusion_days, days_at_9, days_at_28, total_ug, percent_of_standard``
    (total dose as a percentage of the standard cycle 1's 651 µg).
    """
    schedules = schedules_compared(full_dose_days)
    standard = cumulative_dose(schedules[0])
    rows = []
    for s in schedules:
        dose = s["dose_ug_per_day"]
        total = cumulative_dose(s)
        rows.append({"schedule": s["schedule"].iloc[0], "infusion_days": int((dose > 0).sum()),
                     "days_at_9": int((dose == LOW_DOSE_UG).sum()),
                     "days_at_28": int((dose == FULL_DOSE_UG).sum()), "total_ug": total,
                     "percent_of_standard": 100 * total / standard})
    return pd.DataFrame(rows)
