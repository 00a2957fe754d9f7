"""The forest-style plot of response rates across blinatumomab studies (not pooled)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from blina.display import interval, number, readable

__all__ = ["forest_plot"]

def _fmt_row(r: pd.Series) -> str:
    if pd.isna(r["lower"]):
        return f"{number(r['percent'], 1)}% (no CI)"
    return (f"{int(r['responders'])}/{int(r['n_evaluated'])} = {number(r['percent'], 1)}% "
            f"({interval(r['lower'], r['upper'], 1)})")


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
        detail = textwrap.fill(readable(f"{r['endpoint']}; {r['population']}"), 52)
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
        ci = (f"{number(r['lower'], 1)}% to {number(r['upper'], 1)}% (exact)" if has_ci
              else "no interval, responder count not published")
        count = (f"{int(r['responders'])} of {int(r['n_evaluated'])}, " if has_ci else "")
        alt.append(readable(f"{r['study']} {r['year']} ({r['endpoint']}; {r['population']}, "
                            f"{r['setting']}): {count}{number(r['percent'], 1)}%, {ci}"))
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
