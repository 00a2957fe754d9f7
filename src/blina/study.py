"""The study's facts, one home each: dates, sizes and thresholds the paper states.

Every module that needs one of these numbers imports it from here; none writes it again.

- :data:`N_PATIENTS` — 30 patients (Tables 1 and 2);
- :data:`ENROLMENT` — first and last day of the enrolment years 2021–2022 (sections 2.1, 3.1);
- :data:`CUTOFF` — the end of follow-up, April 30, 2024 (section 3.4);
- :data:`DAYS_PER_MONTH` — 365.25 / 12 = 487/16 days, the month every time in months uses;
- :data:`HIGH_BURDEN_PCT` — the "high leukemic load": bone-marrow blasts above 50% (3.2);
- :data:`LANDMARK_MONTHS` — the 2-year landmark of the survival figures (3.4);
- :data:`MAX_FOLLOWUP_DAYS` / :data:`ADMIN_MIN_DAYS` — the longest observation possible
  (enrolled on the first day, followed to the cut-off) and the shortest observation of a patient
  enrolled by the last day and alive at the cut-off.

Reference: Yin J, et al. Cancer Medicine 2024;13:e70515, doi:10.1002/cam4.70515.
"""

from __future__ import annotations

import datetime as _dt
from fractions import Fraction

__all__ = [
    "ADMIN_MIN_DAYS",
    "CUTOFF",
    "DAYS_PER_MONTH",
    "ENROLMENT",
    "HIGH_BURDEN_PCT",
    "LANDMARK_MONTHS",
    "MAX_FOLLOWUP_DAYS",
    "N_PATIENTS",
    "NONRESPONDERS_DIED_WITHIN_MONTHS",
    "days_between",
    "months_between",
]

#: patients in Tables 1 and 2
N_PATIENTS = 30
#: enrolment years 2021–2022 (sections 2.1 and 3.1), first and last day
ENROLMENT = (_dt.date(2021, 1, 1), _dt.date(2022, 12, 31))
#: end of follow-up (section 3.4)
CUTOFF = _dt.date(2024, 4, 30)
#: days in a month: 365.25 / 12 (a Julian year over twelve), exact
DAYS_PER_MONTH = Fraction(487, 16)
#: "high leukemic load": bone-marrow blasts above this percentage (section 3.2, abstract)
HIGH_BURDEN_PCT = 50
#: the landmark of the survival figures: two years, in months (section 3.4)
LANDMARK_MONTHS = 24
#: "all nonresponders died within 1 year" (section 3.4), in months
NONRESPONDERS_DIED_WITHIN_MONTHS = 12


def days_between(start: _dt.date | str, end: _dt.date | str) -> int:
    """Whole days from ``start`` to ``end`` (ISO strings or dates)."""
    a = _dt.date.fromisoformat(start) if isinstance(start, str) else start
    b = _dt.date.fromisoformat(end) if isinstance(end, str) else end
    return (b - a).days


def months_between(start: _dt.date | str, end: _dt.date | str) -> float:
    """``days_between(start, end) / DAYS_PER_MONTH``."""
    return days_between(start, end) / float(DAYS_PER_MONTH)


#: the longest observation possible: enrolled on 2021-01-01, followed to the cut-off (days)
MAX_FOLLOWUP_DAYS = days_between(ENROLMENT[0], CUTOFF)
#: a patient enrolled by 2022-12-31 and alive at the cut-off was followed at least this long
ADMIN_MIN_DAYS = days_between(ENROLMENT[1], CUTOFF)
