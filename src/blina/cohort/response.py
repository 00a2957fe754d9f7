"""Response rates (section 3.2, Table 2) with exact binomial confidence intervals.

Outcomes per patient, from the ``response`` and ``mrd_negative`` columns of Table 2:

- ``CR``, ``CRi``: morphological complete remission with full / incomplete count recovery;
- ``composite CR`` (cCR): CR or CRi — the paper's "responders";
- ``no response``;
- ``MRD-negative``: measurable residual disease below 10⁻⁴ (all patients are the denominator,
  as in the paper's "12 (40%)").

Every rate comes with the Clopper–Pearson exact interval (Clopper & Pearson 1934;
:func:`blina.stats.binomial.clopper_pearson`).

Tables are tidy DataFrames; their ``percent``, ``lower`` and ``upper`` columns are in percent
(0–100), while :func:`clopper_pearson` returns proportions.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd

from blina.cohort.groups import THERAPY_LEVELS, further_treatment, responder, therapy_type
from blina.data.frames import require_columns
from blina.stats.binomial import clopper_pearson
from blina.study import HIGH_BURDEN_PCT

__all__ = [
    "OUTCOMES",
    "RESPONSES",
    "further_therapy_table",
    "high_burden",
    "outcome_flags",
    "relapse_table",
    "response_rates",
]

RESPONSES = ("CR", "CRi", "no response")
OUTCOMES = ("CR", "CRi", "composite CR", "no response", "MRD-negative")


def _bool_column(df: pd.DataFrame, col: str) -> pd.Series:
    s = df[col]
    bad = [(p, v) for p, v in zip(_patients(df), s, strict=True)
           if not isinstance(v, bool | np.bool_)]
    if bad:
        p, v = bad[0]
        raise ValueError(f"df column {col!r} must be true/false, got {v!r} for patient {p}")
    return s.astype(bool)


def _patients(df: pd.DataFrame) -> list:
    return df["patient"].tolist() if "patient" in df.columns else list(df.index)


def high_burden(df: pd.DataFrame, threshold: float = HIGH_BURDEN_PCT) -> pd.Series:
    """True where the bone-marrow blast percentage exceeds ``threshold`` (the paper's "> 50%").

    Named ``"high_burden"`` so it can be passed as ``by`` to :func:`response_rates`.
    """
    require_columns(df, ["bm_blast_pct"])
    if isinstance(threshold, bool) or not isinstance(threshold, Real) or not 0 <= threshold <= 100:
        raise ValueError(f"threshold must be a percentage between 0 and 100, got {threshold!r}")
    blasts = df["bm_blast_pct"]
    if blasts.isna().any():
        raise ValueError(f"df column 'bm_blast_pct' has missing values for patient(s) "
                         f"{[p for p, m in zip(_patients(df), blasts.isna(), strict=True) if m]}")
    return (blasts.astype(float) > threshold).rename("high_burden")


def outcome_flags(df: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per outcome of :data:`OUTCOMES`, one row per patient."""
    require_columns(df, ["response", "mrd_negative"])
    unknown = sorted(set(df["response"].dropna().astype(str)) - set(RESPONSES))
    if unknown or df["response"].isna().any():
        value = unknown[0] if unknown else None
        raise ValueError(f"df column 'response' must be one of {RESPONSES}, got {value!r}")
    resp = df["response"].astype(str)
    return pd.DataFrame({
        "CR": resp == "CR",
        "CRi": resp == "CRi",
        "composite CR": resp.isin(["CR", "CRi"]),
        "no response": resp == "no response",
        "MRD-negative": _bool_column(df, "mrd_negative"),
    }, index=df.index)


def _levels(series: pd.Series, name: str) -> list:
    if series.isna().any():
        raise ValueError(f"by column {name!r} has missing values")
    if isinstance(series.dtype, pd.CategoricalDtype):
        levels = list(series.cat.categories)
    else:
        seen = list(dict.fromkeys(series.tolist()))
        try:
            levels = sorted(seen)
        except TypeError:
            levels = seen
    for lvl in levels:
        if not (series == lvl).any():
            raise ValueError(f"by column {name!r}: group {lvl!r} has no patients")
    return levels


def _rate_row(k: int, n: int, level: float) -> dict:
    lo, hi = clopper_pearson(k, n, level)
    return {"n": k, "N": n, "percent": 100 * k / n, "lower": 100 * lo, "upper": 100 * hi}


def response_rates(df: pd.DataFrame, by: str | pd.Series | None = None, *,
                   level: float = 0.95) -> pd.DataFrame:
    """Counts, percentages and Clopper–Pearson CIs of every outcome, overall or by group.

    ``by`` is a column of ``df`` (e.g. ``"disease_status"``, ``"risk"``) or a Series aligned
    with ``df`` (e.g. :func:`high_burden`). Tidy result with columns ``<by>`` (``"group"`` =
    ``"all"`` when ``by`` is None), ``outcome, n, N, percent, lower, upper`` — percent units —
    in group order (categorical order, else sorted) and :data:`OUTCOMES` order.
    """
    flags = outcome_flags(df)
    if by is None:
        name, labels = "group", pd.Series("all", index=df.index)
    elif isinstance(by, str):
        if by not in df.columns:
            raise ValueError(f"by: unknown column {by!r}; df has {list(df.columns)}")
        name, labels = by, df[by]
    elif isinstance(by, pd.Series):
        if not by.index.equals(df.index):
            raise ValueError("by: the Series must have the same index as df")
        name, labels = (by.name if by.name is not None else "group"), by
    else:
        raise ValueError(f"by must be None, a column name or a Series, got {by!r}")
    rows = []
    for lvl in _levels(labels, name):
        mask = (labels == lvl).to_numpy()
        for outcome in OUTCOMES:
            k = int(flags.loc[mask, outcome].sum())
            rows.append({name: lvl, "outcome": outcome, **_rate_row(k, int(mask.sum()), level)})
    return pd.DataFrame(rows)


def _with_groups(df: pd.DataFrame) -> pd.DataFrame:
    require_columns(df, ["response", "followup_therapy"])
    return df.assign(_responder=responder(df), _further=further_treatment(df),
                     _therapy=therapy_type(df))


def _patient_list(df: pd.DataFrame, mask) -> str:
    return ", ".join(str(p) for p in np.asarray(_patients(df))[np.asarray(mask, dtype=bool)])


def further_therapy_table(df: pd.DataFrame, population: str = "responders") -> pd.DataFrame:
    """Follow-up therapy after blinatumomab, by the therapy groups of Figure 2e,f.

    Among ``population`` (``"responders"``, the paper's 25, or ``"all"``): one row per therapy
    group (chemotherapy, CAR-T, HSCT — allo-HSCT with or without CAR-T before it —,
    blinatumomab; see :mod:`blina.cohort.groups`), then ``any further treatment`` and
    ``no further treatment``. Columns ``therapy, n, N, percent, patients`` (percent units).
    """
    if population not in ("responders", "all"):
        raise ValueError(f"population must be 'responders' or 'all', got {population!r}")
    g = _with_groups(df)
    if population == "responders":
        g = g[g["_responder"]]
        if g.empty:
            raise ValueError("df has no responders (CR or CRi)")
    total = len(g)
    rows = []
    for therapy in THERAPY_LEVELS:
        mask = (g["_therapy"] == therapy).to_numpy()
        rows.append((therapy, int(mask.sum()), _patient_list(g, mask)))
    rows.append(("any further treatment", int(g["_further"].sum()),
                 _patient_list(g, g["_further"])))
    rows.append(("no further treatment", int((~g["_further"]).sum()),
                 _patient_list(g, ~g["_further"])))
    return pd.DataFrame([{"therapy": t, "n": k, "N": total, "percent": 100 * k / total,
                          "patients": p} for t, k, p in rows])


def relapse_table(df: pd.DataFrame, *, level: float = 0.95) -> pd.DataFrame:
    """Relapses among responders, by follow-up therapy, with Clopper–Pearson CIs.

    Rows: each therapy group, ``no further treatment``, ``with further treatment`` and
    ``all responders``; columns ``group, n`` (relapsed), ``N`` (responders in the group),
    ``percent, lower, upper`` (percent units) and ``patients`` (who relapsed). The two totals
    are the two denominators a reader may meet: relapses among responders who had further
    treatment and among all responders.
    """
    g = _with_groups(df)
    require_columns(df, ["relapse"])
    g = g[g["_responder"]]
    if g.empty:
        raise ValueError("df has no responders (CR or CRi)")
    relapsed = _bool_column(g, "relapse")
    groups = [(t, (g["_therapy"] == t).to_numpy()) for t in THERAPY_LEVELS]
    groups += [("no further treatment", (~g["_further"]).to_numpy()),
               ("with further treatment", g["_further"].to_numpy()),
               ("all responders", np.ones(len(g), dtype=bool))]
    rows = []
    for name, mask in groups:
        if not mask.any():
            continue
        r = relapsed.to_numpy() & mask
        rows.append({"group": name, **_rate_row(int(r.sum()), int(mask.sum()), level),
                     "patients": _patient_list(g, r)})
    return pd.DataFrame(rows)
