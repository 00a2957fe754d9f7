"""The index study beside other blinatumomab studies (discussion chapter): the comparison table.

:func:`comparison_table` puts the index study — its composite complete remission (CR or CRi
after one short course) recomputed from the cohort, 25/30 — beside the published headline
response rates of ``data/comparators.csv`` (:func:`blina.load_comparators`).  Each row keeps its
own endpoint, population and setting: the rates are *not* pooled and the table is context, not
a meta-analysis (different endpoints, time windows, selection and populations).

Intervals are exact (Clopper & Pearson 1934; :func:`blina.stats.binomial.clopper_pearson`):
for ``k`` responders of ``n`` evaluated, ``lower = B(α/2; k, n − k + 1)``,
``upper = B(1 − α/2; k + 1, n − k)`` with ``B`` the beta quantile.  An interval is computed
**only** where the source gives both the responder count and the number evaluated; where only a
percentage was published, the row shows that percentage without an interval and says why
(``ci_note``).  Rebuilding ``k``
from a rounded percentage would invent a count.

:func:`blina.plots.forest.forest_plot` draws the table.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd

from blina.cohort.groups import responder
from blina.data.files import COMPARATOR_COLUMNS
from blina.stats.binomial import clopper_pearson

__all__ = [
    "INDEX_ENDPOINT",
    "INDEX_STUDY",
    "NO_COUNT",
    "comparison_table",
    "index_row",
]

INDEX_STUDY = "Yin et al. (index study)"
INDEX_ENDPOINT = "CR/CRi after one short course"
#: ``ci_note`` of a row whose responder count (or denominator) was not published
NO_COUNT = "no interval: the source gives a percentage but not the responder count"
EXACT = "exact (Clopper–Pearson)"

TABLE_COLUMNS = ["study", "year", "design", "population", "setting", "endpoint", "responders",
                 "n_evaluated", "rate_pct", "percent", "lower", "upper", "ci_note",
                 "median_os_months", "source", "index_study"]


def _load_comparators() -> pd.DataFrame:
    from blina.data import load_comparators

    return load_comparators()


def _load_cohort() -> pd.DataFrame:
    from blina.data import load_cohort

    return load_cohort()


def index_row(cohort: pd.DataFrame | None = None) -> dict:
    """The index study as one comparator row, its responder count taken from the cohort.

    Responders are the patients with CR or CRi (:func:`blina.cohort.groups.responder`), evaluated
    among all patients: 25/30 on the published Table 2.  ``rate_pct`` is ``100·k/n`` to one
    decimal.  The median OS was not reached, so ``median_os_months`` is missing.
    """
    cohort = _load_cohort() if cohort is None else cohort
    if not isinstance(cohort, pd.DataFrame):
        raise ValueError(f"cohort must be a pandas DataFrame, got {type(cohort).__name__}")
    if cohort.empty:
        raise ValueError("cohort is empty: at least one patient is needed")
    k, n = int(responder(cohort).sum()), len(cohort)
    return {
        "study": INDEX_STUDY, "year": 2024, "journal": "Cancer Medicine",
        "design": "retrospective single-centre short course",
        "population": "adults Ph-negative", "setting": "relapsed/refractory",
        "n_treated": n, "endpoint": INDEX_ENDPOINT, "responders": k, "n_evaluated": n,
        "rate_pct": round(100 * k / n, 1), "median_os_months": np.nan,
        "note": "recomputed from the cohort (Table 2)", "source": "yin2024",
    }


def _count(value: object, what: str, study: str) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool) or not isinstance(value, Real) or float(value) != int(value) \
            or value < 0:
        raise ValueError(f"{study}: {what} must be a whole number ≥ 0 or blank, got {value!r}")
    return int(value)


def comparison_table(comparators: pd.DataFrame | None = None,
                     cohort: pd.DataFrame | None = None, *, level: float = 0.95,
                     include_index: bool = True) -> pd.DataFrame:
    """The index study (first row) and the comparators (by year), with exact CIs where possible.

    ``comparators`` defaults to :func:`blina.load_comparators` and ``cohort`` to
    :func:`blina.load_cohort`.  Columns: the comparator columns (``study`` … ``source``),
    ``percent`` (``100·responders/n_evaluated`` where both are given, else the published
    ``rate_pct``), ``lower`` and ``upper`` (Clopper–Pearson ``level`` interval in percent, ``NaN``
    without a count), ``ci_note`` (:data:`EXACT` or :data:`NO_COUNT`) and ``index_study``.
    Raises ``ValueError`` on missing columns, non-integral or negative counts, or
    ``responders > n_evaluated``.
    """
    comparators = _load_comparators() if comparators is None else comparators
    if not isinstance(comparators, pd.DataFrame):
        raise ValueError(f"comparators must be a pandas DataFrame, got "
                         f"{type(comparators).__name__}")
    missing = [c for c in COMPARATOR_COLUMNS if c not in comparators.columns]
    if missing:
        raise ValueError(f"comparators: missing column(s) {missing}")
    rows = [index_row(cohort)] if include_index else []
    others = comparators.sort_values("year", kind="stable")
    rows += [dict(r) for r in others[COMPARATOR_COLUMNS].to_dict(orient="records")]
    if not rows:
        raise ValueError("nothing to compare: comparators is empty and include_index=False")
    out = []
    for r in rows:
        k = _count(r["responders"], "responders", r["study"])
        n = _count(r["n_evaluated"], "n_evaluated", r["study"])
        rate = r["rate_pct"]
        rate = np.nan if rate is None or rate is pd.NA else float(rate)
        if k is not None and n is not None:
            if n < 1 or k > n:
                raise ValueError(f"{r['study']}: responders={k} must be between 0 and "
                                 f"n_evaluated={n} (n_evaluated ≥ 1)")
            lo, hi = clopper_pearson(k, n, level)
            pct, lo, hi, note = 100 * k / n, 100 * lo, 100 * hi, EXACT
        else:
            pct, lo, hi, note = rate, np.nan, np.nan, NO_COUNT
        out.append({**r, "responders": k, "n_evaluated": n, "rate_pct": rate, "percent": pct,
                    "lower": lo, "upper": hi, "ci_note": note,
                    "index_study": r["study"] == INDEX_STUDY})
    table = pd.DataFrame(out)[TABLE_COLUMNS]
    table["responders"] = table["responders"].astype("Int64")
    table["n_evaluated"] = table["n_evaluated"].astype("Int64")
    table["median_os_months"] = pd.to_numeric(table["median_os_months"]).astype(float)
    return table.reset_index(drop=True)
