"""Patient characteristics (section 3.1, Table 1): counts, percentages and numeric summaries.

Counts are shown with their percentage of the cohort, ``100 · n / N``. Numeric variables (age,
bone-marrow blast percentage) are summarised by median, range *and* mean side by side, because
a paper may print one while calling it another: the median is the middle value (average of the
two middle values for an even count), the range is ``min–max`` and the mean ``Σ x / n``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from blina.cohort.response import high_burden
from blina.data.frames import require_columns
from blina.display import number, percent
from blina.study import HIGH_BURDEN_PCT

__all__ = [
    "CATEGORICAL",
    "LEVEL_ORDER",
    "NUMERIC",
    "median_facts",
    "numeric_summary",
    "summary_counts",
    "table1",
]

#: the categorical characteristics of Table 1, with their display names
CATEGORICAL = {
    "sex": "Sex",
    "disease_status": "Disease status",
    "disease_group": "Relapsed or refractory",
    "risk": "Genetic risk",
    "prior_therapy": "Therapy before blinatumomab",
}
#: the numeric characteristics, with their display names and units
NUMERIC = {"age": "Age, years", "bm_blast_pct": "Bone-marrow blasts, %"}
#: display order of the levels when the column is not categorical
LEVEL_ORDER = {
    "sex": ["M", "F"],
    "disease_status": ["primary refractory", "1R", "2R", "3R"],
    "disease_group": ["relapsed (1R–3R)", "primary refractory"],
    "risk": ["standard", "poor"],
    "prior_therapy": ["Chemotherapy", "Chemotherapy+allo-HSCT", "Chemotherapy+allo-HSCT+CART"],
}
_LABELS = {"sex": {"M": "male", "F": "female"}}


def _with_disease_group(df: pd.DataFrame) -> pd.DataFrame:
    status = df["disease_status"].astype(str)
    group = status.where(status == "primary refractory", "relapsed (1R–3R)")
    return df.assign(disease_group=group)


def _levels(series: pd.Series, var: str) -> list:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return list(series.cat.categories)
    seen = list(dict.fromkeys(series.astype(str)))
    order = LEVEL_ORDER.get(var, [])
    return [lvl for lvl in order if lvl in seen] + sorted(x for x in seen if x not in order)


def summary_counts(df: pd.DataFrame, variables: Sequence[str] | None = None) -> pd.DataFrame:
    """Counts and percentages of each level of the categorical characteristics.

    ``variables`` defaults to :data:`CATEGORICAL` (sex, disease status, relapsed vs primary
    refractory — derived from disease status —, genetic risk, prior therapy); any other column
    of ``df`` may be named. Tidy: ``variable, level, n, N, percent`` (``100 · n / N``), levels
    in categorical or :data:`LEVEL_ORDER` order, empty categorical levels kept with ``n = 0``.
    """
    require_columns(df, ["disease_status"])
    data = _with_disease_group(df)
    variables = list(CATEGORICAL) if variables is None else list(variables)
    require_columns(data, variables)
    rows = []
    total = len(data)
    for var in variables:
        col = data[var]
        if col.isna().any():
            raise ValueError(f"df column {var!r} has missing values")
        for lvl in _levels(col, var):
            k = int((col.astype(str) == str(lvl)).sum())
            rows.append({"variable": var, "level": lvl, "n": k, "N": total,
                         "percent": 100 * k / total})
    return pd.DataFrame(rows)


def numeric_summary(df: pd.DataFrame, cols: Sequence[str] = ("age", "bm_blast_pct")
                    ) -> pd.DataFrame:
    """Median, range and mean of numeric columns: ``variable, n, median, min, max, mean``."""
    if isinstance(cols, str):
        raise ValueError(f"cols must be a sequence of column names, got {cols!r}")
    require_columns(df, list(cols))
    rows = []
    for col in cols:
        values = df[col]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            raise ValueError(f"df column {col!r} must be numeric, got dtype {values.dtype}")
        if values.isna().any():
            raise ValueError(f"df column {col!r} has missing values")
        x = values.astype(float)
        rows.append({"variable": col, "n": int(x.size), "median": float(x.median()),
                     "min": float(x.min()), "max": float(x.max()), "mean": float(x.mean())})
    return pd.DataFrame(rows)


def _num(x: float) -> str:
    return number(x, 0) if float(x).is_integer() else str(float(x))


def table1(df: pd.DataFrame, *, high_burden_threshold: float = HIGH_BURDEN_PCT) -> pd.DataFrame:
    """Publication-style patient characteristics: columns ``Characteristic`` and ``Value``.

    Numeric rows show ``median (min–max)`` and, on their own row, the mean to two decimals;
    categorical rows ``n (percent%)`` with one decimal (half up, :mod:`blina.display`); the
    last row counts patients with bone-marrow blasts above ``high_burden_threshold`` percent.
    """
    require_columns(df, [*CATEGORICAL.keys() - {"disease_group"}, *NUMERIC])
    total = len(df)
    rows = [("Patients, n", str(total))]
    nums = numeric_summary(df, tuple(NUMERIC)).set_index("variable")
    counts = summary_counts(df)
    for var, title in CATEGORICAL.items():
        if var == "sex":
            s = nums.loc["age"]
            rows.append((f"{NUMERIC['age']}, median (range)",
                         f"{_num(s['median'])} ({_num(s['min'])}–{_num(s['max'])})"))
            rows.append((f"{NUMERIC['age']}, mean", number(s["mean"], 2)))
        for _, r in counts[counts["variable"] == var].iterrows():
            label = _LABELS.get(var, {}).get(r["level"], r["level"])
            rows.append((f"{title}: {label}", f"{r['n']} ({percent(r['n'], r['N'])}%)"))
    s = nums.loc["bm_blast_pct"]
    rows.append((f"{NUMERIC['bm_blast_pct']}, median (range)",
                 f"{_num(s['median'])} ({_num(s['min'])}–{_num(s['max'])})"))
    rows.append((f"{NUMERIC['bm_blast_pct']}, mean", number(s["mean"], 2)))
    k = int(high_burden(df, high_burden_threshold).sum())
    rows.append((f"Bone-marrow blasts > {_num(high_burden_threshold)}%",
                 f"{k} ({percent(k, total)}%)"))
    return pd.DataFrame(rows, columns=["Characteristic", "Value"])


def median_facts(df: pd.DataFrame, col: str, decimals: int = 1) -> dict[str, object]:
    """The numbers behind a printed median of ``col``, for the prose (keys ``<col>-…``).

    With ``n`` sorted values :math:`x_{(1)} \\le \\dots \\le x_{(n)}` the median is the middle
    value, or for an even ``n`` the average of :math:`x_{(n/2)}` and :math:`x_{(n/2+1)}`:
    ``n``, the positions ``lower-pos`` and ``upper-pos`` of the middle pair (equal for odd
    ``n``), their values ``lower`` and ``upper``, the ``median``, the ``mean`` (both to
    ``decimals``), the mean ``mean-rounded`` half up and ``mean-truncated`` to whole units, and
    the ``min`` and ``max``.
    """
    require_columns(df, [col])
    values = sorted(float(v) for v in df[col])
    n = len(values)
    if n == 0:
        raise ValueError(f"df column {col!r} is empty")
    lower_pos, upper_pos = (n + 1) // 2, n // 2 + 1
    lower, upper = values[lower_pos - 1], values[upper_pos - 1]
    mean = sum(values) / n
    facts = {"n": n, "lower-pos": lower_pos, "upper-pos": upper_pos, "lower": _num(lower),
             "upper": _num(upper), "median": number((lower + upper) / 2, decimals),
             "mean": number(mean, decimals), "mean-rounded": number(mean, 0),
             "mean-truncated": math.floor(mean), "min": _num(values[0]),
             "max": _num(values[-1])}
    return {f"{col}-{key}": value for key, value in facts.items()}
