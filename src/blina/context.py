"""The index study beside other blinatumomab studies (discussion chapter): table and forest plot.

:func:`comparison_table` puts the index study — its composite complete remission (CR or CRi
after one short course) recomputed from the cohort, 25/30 — beside the published headline
response rates of ``data/comparators.csv`` (:func:`blina.load_comparators`).  Each row keeps its
own endpoint, population and setting: the rates are *not* pooled and the table is context, not
a meta-analysis (different endpoints, time windows, selection and populations).

Intervals are exact (Clopper & Pearson 1934; :func:`blina.response.clopper_pearson`): for ``k``
responders of ``n`` evaluated, ``lower = B(α/2; k, n − k + 1)``, ``upper = B(1 − α/2; k + 1,
n − k)`` with ``B`` the beta quantile.  An interval is computed **only** where the source gives
both the responder count and the number evaluated; where only a percentage was published, the
row shows that percentage without an interval and says why (``ci_note``).  Rebuilding ``k``
from a rounded percentage would invent a count.

:func:`forest_plot` draws the table as a forest-style plot in greyscale-readable marks (marker
shape, not colour, tells the kinds of row apart) with every row labelled by its endpoint and
population, and ``fig.alt_text`` listing every row's numbers (see :mod:`blina.plots`).
"""

from __future__ import annotations

import textwrap
from numbers import Real

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from blina.groups import responder
from blina.response import clopper_pearson

__all__ = [
    "INDEX_ENDPOINT",
    "INDEX_STUDY",
    "NO_COUNT",
    "comparison_table",
    "forest_plot",
    "index_row",
]

INDEX_STUDY = "Yin et al. (index study)"
INDEX_ENDPOINT = "CR/CRi after one short course"
#: ``ci_note`` of a row whose responder count (or denominator) was not published
NO_COUNT = "no interval: the source gives a percentage but not the responder count"
EXACT = "exact (Clopper–Pearson)"

_COMPARATOR_COLUMNS = ["study", "year", "journal", "design", "population", "setting",
                       "n_treated", "endpoint", "responders", "n_evaluated", "rate_pct",
                       "median_os_months", "note", "source"]
TABLE_COLUMNS = ["study", "year", "design", "population", "setting", "endpoint", "responders",
                 "n_evaluated", "rate_pct", "percent", "lower", "upper", "ci_note",
                 "median_os_months", "source", "index_study"]


def _load_comparators() -> pd.DataFrame:
    try:
        from blina.data import load_comparators
    except ImportError:  # the validated loader has not landed in this checkout
        from blina.paths import data_path

        return pd.read_csv(data_path("comparators.csv"))
    return load_comparators()


def _load_cohort() -> pd.DataFrame:
    try:
        from blina.data import load_cohort
    except ImportError:
        from blina.paths import data_path

        return pd.read_csv(data_path("patients.csv"))
    return load_cohort()


def index_row(cohort: pd.DataFrame | None = None) -> dict:
    """The index study as one comparator row, its responder count taken from the cohort.

    Responders are the patients with CR or CRi (:func:`blina.groups.responder`), evaluated
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
    missing = [c for c in _COMPARATOR_COLUMNS if c not in comparators.columns]
    if missing:
        raise ValueError(f"comparators: missing column(s) {missing}")
    rows = [index_row(cohort)] if include_index else []
    others = comparators.sort_values("year", kind="stable")
    rows += [dict(r) for r in others[_COMPARATOR_COLUMNS].to_dict(orient="records")]
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


def _fmt_row(r: pd.Series) -> str:
    if pd.isna(r["lower"]):
        return f"{r['percent']:.1f}% (no CI)"
    return f"{int(r['responders'])}/{int(r['n_evaluated'])} = {r['percent']:.1f}% " \
           f"({r['lower']:.1f}–{r['upper']:.1f})"


def forest_plot(df: pd.DataFrame, *, level: float = 0.95) -> Figure:
    """Forest-style plot of response rates (%) with exact CIs, one row per study, not pooled.

    ``df`` is a :func:`comparison_table`.  Each row is labelled with study, year, endpoint and
    population; the value and interval are printed on the right.  Marker shapes carry the kind
    of row (greyscale-readable): black diamond = the index study, filled square with a line =
    exact ``level`` CI, open circle = published percentage without a count (no interval).
    Rows whose setting is not relapsed/refractory are marked "different setting".
    ``fig.alt_text`` lists every row.
    """
    cols = ["study", "year", "population", "setting", "endpoint", "responders", "n_evaluated",
            "percent", "lower", "upper", "index_study"]
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"df: missing column(s) {missing}; use comparison_table()")
    if df.empty:
        raise ValueError("df is empty")
    n_rows = len(df)
    fig = Figure(figsize=(10, 0.7 * n_rows + 1.6), layout=None)
    ax = fig.add_subplot()
    y = np.arange(n_rows)[::-1]
    labels, alt = [], []
    for yi, (_, r) in zip(y, df.iterrows(), strict=True):
        other_setting = not str(r["setting"]).startswith("relapsed/refractory")
        tag = " — different setting" if other_setting else ""
        detail = textwrap.fill(f"{r['endpoint']}; {r['population']}", 52)
        labels.append(f"{r['study']} {r['year']}{tag}\n{detail}")
        has_ci = not pd.isna(r["lower"])
        if has_ci:
            ax.plot([r["lower"], r["upper"]], [yi, yi], color="black", linewidth=1.4)
            ax.plot([r["lower"]] * 2 + [np.nan] + [r["upper"]] * 2,
                    [yi - 0.12, yi + 0.12, np.nan, yi - 0.12, yi + 0.12],
                    color="black", linewidth=1.4)
        if r["index_study"]:
            ax.plot(r["percent"], yi, marker="D", markersize=9, color="black", linestyle="none")
        elif has_ci:
            ax.plot(r["percent"], yi, marker="s", markersize=7, color="0.35",
                    markeredgecolor="black", linestyle="none")
        else:
            ax.plot(r["percent"], yi, marker="o", markersize=7, color="black",
                    markerfacecolor="white",
                    markeredgecolor="black", linestyle="none")
        ax.text(1.02, yi, _fmt_row(r), transform=ax.get_yaxis_transform(), va="center",
                ha="left", fontsize=9)
        ci = (f"{r['lower']:.1f}% to {r['upper']:.1f}% (exact)" if has_ci
              else "no interval, responder count not published")
        count = (f"{int(r['responders'])} of {int(r['n_evaluated'])}, " if has_ci else "")
        alt.append(f"{r['study']} {r['year']} ({r['endpoint']}; {r['population']}, "
                   f"{r['setting']}): {count}{r['percent']:.1f}%, {ci}")
    if df["index_study"].any():
        yi = y[np.flatnonzero(df["index_study"].to_numpy())[0]]
        ax.axhspan(yi - 0.45, yi + 0.45, color="0.9", zorder=0)
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.set_ylim(-0.6, n_rows - 0.4)
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 10))
    ax.grid(axis="x", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel("Response rate (% of evaluated patients), with exact "
                  f"{100 * level:g}% CI", fontsize=10)
    ax.set_title("Response rates of blinatumomab studies, each with its own endpoint "
                 "(not pooled)", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig.text(0.01, 0.01, "◆ index study   ■ exact CI from published counts   "
             "○ published % only (no count, no CI)", fontsize=8.5, ha="left", va="bottom")
    fig.subplots_adjust(left=0.36, right=0.80, top=1 - 0.55 / fig.get_figheight(),
                        bottom=0.95 / fig.get_figheight())
    fig.alt_text = (
        "Forest-style plot of response rates in percent, one row per study, not pooled; each "
        "row has its own endpoint and population. " + "; ".join(alt) + ".")
    return fig
