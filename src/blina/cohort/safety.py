"""Adverse events (section 3.3, Table 3): percentages of the cohort, hematologic summary.

Table 3 gives, per adverse event, the number of patients with it at any grade and at grade ≥ 3
(CTCAE v5.0) among N = 30. Percent = ``100 · count / N``.

The table counts patients *per event*, so how many patients had *at least one* of several
events is not published; it is bounded (Fréchet bounds) by::

    max_i c_i  <=  patients with any of the events  <=  min(N, Σ_i c_i)

— the lower bound when every patient with a rarer event also had the commonest one, the upper
bound when the events fall on different patients as far as possible.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd

from blina.data.frames import require_columns
from blina.display import percent

__all__ = ["HEMATOLOGIC", "HematologicSummary", "ae_table", "hematologic_summary"]

HEMATOLOGIC = ("Neutropenia", "Anemia", "Thrombocytopenia")
_COLS = ["event", "any_grade", "grade_3_plus"]


def _check_n(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 1:
        raise ValueError(f"n must be a positive int (patients in the cohort), got {n!r}")
    return int(n)


def _validated(ae: object, n: int) -> pd.DataFrame:
    require_columns(ae, _COLS, name="ae")
    ae = ae.reset_index(drop=True)
    dups = ae.loc[ae["event"].duplicated(), "event"].tolist()
    if dups:
        raise ValueError(f"ae has duplicate event(s) {dups}")
    for col in ("any_grade", "grade_3_plus"):
        for event, v in zip(ae["event"], ae[col], strict=True):
            ok = (isinstance(v, Integral | np.integer) and not isinstance(v, bool | np.bool_))
            if not ok or not 0 <= v <= n:
                raise ValueError(f"ae column {col!r} must hold integers between 0 and n={n}, got "
                                 f"{v!r} for {event!r}")
    worse = ae[ae["grade_3_plus"] > ae["any_grade"]]
    if not worse.empty:
        r = worse.iloc[0]
        raise ValueError(f"ae: grade_3_plus ({r['grade_3_plus']}) exceeds any_grade "
                         f"({r['any_grade']}) for {r['event']!r}")
    return ae


def ae_table(ae: pd.DataFrame, n: int = 30) -> pd.DataFrame:
    """Table 3 with percentages: ``event, any_grade, any_grade_pct, grade_3_plus,
    grade_3_plus_pct, any_grade_printed, grade_3_plus_printed`` (``"22 (73.3%)"``), in the
    order of ``ae``. Percent = ``100 · count / n``.
    """
    n = _check_n(n)
    ae = _validated(ae, n)
    out = pd.DataFrame({"event": ae["event"].astype(str)})
    for col in ("any_grade", "grade_3_plus"):
        counts = ae[col].astype(int)
        out[col] = counts
        out[f"{col}_pct"] = 100 * counts / n
    for col in ("any_grade", "grade_3_plus"):
        out[f"{col}_printed"] = [f"{k} ({percent(k, n)}%)" for k in out[col]]
    return out


@dataclass(frozen=True)
class HematologicSummary:
    """The hematologic rows of Table 3 and the bounds on patients with any of them.

    ``table``: :func:`ae_table` restricted to :data:`HEMATOLOGIC`; ``any_grade_bounds`` and
    ``grade_3_plus_bounds``: ``(min, max)`` possible numbers of patients with at least one
    hematologic event (Fréchet bounds, see the module docstring); ``n``: the cohort size.
    """

    table: pd.DataFrame
    any_grade_bounds: tuple[int, int]
    grade_3_plus_bounds: tuple[int, int]
    n: int

    def possible(self, count: int, grade: str = "any") -> bool:
        """Could ``count`` patients have had at least one hematologic event of ``grade``
        (``"any"`` or ``"3+"``)?"""
        if grade not in ("any", "3+"):
            raise ValueError(f"grade must be 'any' or '3+', got {grade!r}")
        lo, hi = self.any_grade_bounds if grade == "any" else self.grade_3_plus_bounds
        return lo <= count <= hi

    def __str__(self) -> str:
        (a, b), (c, d) = self.any_grade_bounds, self.grade_3_plus_bounds
        return (f"patients with any hematologic AE: {a}–{b} of {self.n}; "
                f"with a grade ≥ 3 hematologic AE: {c}–{d} of {self.n}")


def hematologic_summary(ae: pd.DataFrame, n: int = 30,
                        events: tuple[str, ...] = HEMATOLOGIC) -> HematologicSummary:
    """Neutropenia, anemia and thrombocytopenia with percentages, and the bounds
    ``max c_i ≤ patients with any ≤ min(n, Σ c_i)`` for any grade and for grade ≥ 3."""
    table = ae_table(ae, n)
    missing = [e for e in events if e not in set(table["event"])]
    if missing:
        raise ValueError(f"events: not in ae: {missing}; ae has {table['event'].tolist()}")
    sub = table.set_index("event").loc[list(events)].reset_index()

    def bounds(col: str) -> tuple[int, int]:
        return int(sub[col].max()), int(min(n, sub[col].sum()))

    return HematologicSummary(sub, bounds("any_grade"), bounds("grade_3_plus"), int(n))
