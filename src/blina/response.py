"""Response rates (section 3.2, Table 2) with exact binomial confidence intervals.

Outcomes per patient, from the ``response`` and ``mrd_negative`` columns of Table 2:

- ``CR``, ``CRi``: morphological complete remission with full / incomplete count recovery;
- ``composite CR`` (cCR): CR or CRi — the paper's "responders";
- ``no response``;
- ``MRD-negative``: measurable residual disease below 10⁻⁴ (all patients are the denominator,
  as in the paper's "12 (40%)").

Every rate comes with the Clopper–Pearson exact interval (Clopper & Pearson 1934): for ``k``
successes in ``n``, ``lower = B(α/2; k, n − k + 1)`` and ``upper = B(1 − α/2; k + 1, n − k)``,
with ``B(q; a, b)`` the beta quantile, ``lower = 0`` when ``k = 0`` and ``upper = 1`` when
``k = n``. It is the interval of ``scipy.stats.binomtest(k, n).proportion_ci("exact")``.

Tables are tidy DataFrames; their ``percent``, ``lower`` and ``upper`` columns are in percent
(0–100), while :func:`clopper_pearson` returns proportions.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd

from blina.groups import THERAPY_LEVELS, further_treatment, responder, therapy_type

__all__ = [
    "OUTCOMES",
    "RESPONSES",
    "clopper_pearson",
    "further_therapy_table",
    "high_burden",
    "outcome_flags",
    "relapse_table",
    "response_rates",
]

RESPONSES = ("CR", "CRi", "no response")
OUTCOMES = ("CR", "CRi", "composite CR", "no response", "MRD-negative")


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson 1934) confidence interval for ``k`` successes in ``n`` trials.

    ``(B(α/2; k, n−k+1), B(1−α/2; k+1, n−k))`` with ``α = 1 − level`` (beta quantiles), ``0`` /
    ``1`` at the edges. Proportions. E.g. ``clopper_pearson(25, 30)`` ≈ ``(0.6528, 0.9436)``.
    """
    for name, v in (("k", k), ("n", n)):
        if isinstance(v, bool) or not isinstance(v, Integral):
            raise ValueError(f"{name} must be an int, got {v!r}")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n!r}")
    if not 0 <= k <= n:
        raise ValueError(f"k must be between 0 and n={n}, got {k!r}")
    if isinstance(level, bool) or not isinstance(level, Real) or not 0 < level < 1:
        raise ValueError(f"level must be a number strictly between 0 and 1, got {level!r}")
    alpha = 1 - float(level)
    k, n = int(k), int(n)
    from scipy.special import betaincinv  # beta quantile B(q; a, b) = betaincinv(a, b, q)

    lower = 0.0 if k == 0 else float(betaincinv(k, n - k + 1, alpha / 2))
    upper = 1.0 if k == n else float(betaincinv(k + 1, n - k, 1 - alpha / 2))
    return lower, upper


def _check_df(df: object, cols: list[str]) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"df: unknown column(s) {missing}; it has {list(df.columns)}")
    if df.empty:
        raise ValueError("df is empty: at least one patient is needed")
    return df


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


def high_burden(df: pd.DataFrame, threshold: float = 50) -> pd.Series:
    """True where the bone-marrow blast percentage exceeds ``threshold`` (the paper's "> 50%").

    Named ``"high_burden"`` so it can be passed as ``by`` to :func:`response_rates`.
    """
    _check_df(df, ["bm_blast_pct"])
    if isinstance(threshold, bool) or not isinstance(threshold, Real) or not 0 <= threshold <= 100:
        raise ValueError(f"threshold must be a percentage between 0 and 100, got {threshold!r}")
    blasts = df["bm_blast_pct"]
    if blasts.isna().any():
        raise ValueError(f"df column 'bm_blast_pct' has missing values for patient(s) "
                         f"{[p for p, m in zip(_patients(df), blasts.isna(), strict=True) if m]}")
    return (blasts.astype(float) > threshold).rename("high_burden")


def outcome_flags(df: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per outcome of :data:`OUTCOMES`, one row per patient."""
    _check_df(df, ["response", "mrd_negative"])
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
    _check_df(df, ["response", "followup_therapy"])
    return df.assign(_responder=responder(df), _further=further_treatment(df),
                     _therapy=therapy_type(df))


def _patient_list(df: pd.DataFrame, mask) -> str:
    return ", ".join(str(p) for p in np.asarray(_patients(df))[np.asarray(mask, dtype=bool)])


def further_therapy_table(df: pd.DataFrame, population: str = "responders") -> pd.DataFrame:
    """Follow-up therapy after blinatumomab, by the therapy groups of Figure 2e,f.

    Among ``population`` (``"responders"``, the paper's 25, or ``"all"``): one row per therapy
    group (chemotherapy, CAR-T, HSCT — allo-HSCT with or without CAR-T before it —,
    blinatumomab; see :mod:`blina.groups`), then ``any further treatment`` and
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
    _check_df(df, ["relapse"])
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
