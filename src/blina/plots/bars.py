"""Bar charts: response by leukemic burden, and adverse events by grade."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from blina.cohort.response import high_burden, response_rates
from blina.cohort.safety import ae_table
from blina.data.frames import require_columns
from blina.display import interval, number
from blina.plots.style import FONT, new_figure, style

__all__ = ["ae_plot", "response_by_burden_plot"]

def response_by_burden_plot(df: pd.DataFrame, threshold: float = 50) -> Figure:
    """Composite CR and MRD-negativity rates (%) with exact 95% CIs, by bone-marrow blast burden.

    Two groups, blasts ``<= threshold`` and ``> threshold`` percent before blinatumomab
    (:func:`blina.cohort.response.high_burden`); bars distinguished by colour and hatch,
    labelled ``k/N``; error bars are Clopper–Pearson intervals
    (:func:`blina.cohort.response.response_rates`).
    """
    require_columns(df, ["bm_blast_pct", "response", "mrd_negative"])
    hb = high_burden(df, threshold)
    tab = response_rates(df, by=hb)
    outcomes = ["composite CR", "MRD-negative"]
    names = {False: f"Blasts ≤ {threshold:g}%", True: f"Blasts > {threshold:g}%"}
    levels = [lvl for lvl in (False, True) if (hb == lvl).any()]
    fig = new_figure(6.4, 4.4)
    ax = fig.add_subplot()
    width = 0.36
    parts = []
    for j, outcome in enumerate(outcomes):
        st = style(j)
        rows = tab[tab["outcome"] == outcome]
        sub = pd.DataFrame([rows[rows["high_burden"] == lvl].iloc[0] for lvl in levels],
                           index=levels)  # (not .loc: a list of booleans would be a mask)
        x = np.arange(len(levels)) + (j - 0.5) * width
        y = sub["percent"].to_numpy(dtype=float)
        err = np.vstack([y - sub["lower"].to_numpy(dtype=float),
                         sub["upper"].to_numpy(dtype=float) - y])
        ax.bar(x, y, width, color=st["color"], alpha=0.85 if j == 0 else 0.6, hatch=st["hatch"],
               edgecolor="black", linewidth=0.8, label=outcome)
        ax.errorbar(x, y, yerr=err, fmt="none", ecolor="black", elinewidth=1, capsize=4)
        for xi, (lvl, r) in zip(x, sub.iterrows(), strict=True):
            ax.text(xi, 2, f"{r['n']}/{r['N']}", ha="center", va="bottom", fontsize=FONT - 1,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
            parts.append((lvl, outcome, r))
    ax.set_xticks(np.arange(len(levels)),
                  [f"{names[lvl]}\n(n = {int((hb == lvl).sum())})" for lvl in levels])
    ax.set_ylim(0, 105)
    ax.set_ylabel("Patients (%)", fontsize=FONT)
    ax.set_xlabel("Bone-marrow blasts before blinatumomab (% of nucleated cells)",
                  fontsize=FONT)
    ax.set_title("Response by leukemic burden", fontsize=FONT + 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper right", fontsize=FONT - 1, frameon=False)
    fig.tight_layout()
    desc = []
    for lvl in levels:
        items = [f"{o} {r['n']}/{r['N']} ({number(r['percent'], 1)}%, 95% CI "
                 f"{interval(r['lower'], r['upper'], 1)}%)" for lv, o, r in parts if lv == lvl]
        desc.append(f"{names[lvl].lower()}: " + ", ".join(items))
    fig.alt_text = ("Bar chart of the composite complete remission (CR or CRi) and MRD-negative "
                    "rates, in percent of patients, by bone-marrow blast burden before "
                    "blinatumomab: " + "; ".join(desc)
                    + ". Error bars are exact (Clopper–Pearson) 95% confidence intervals.")
    return fig


def ae_plot(ae: pd.DataFrame, n: int = 30) -> Figure:
    """Horizontal bars of each adverse event's frequency (% of ``n``), any grade vs grade ≥ 3.

    Events in the order of Table 3 (top to bottom), counts printed at the bar ends; the two
    grades differ by colour, shade and hatch.
    """
    tab = ae_table(ae, n)
    k = len(tab)
    fig = new_figure(7.0, 1.2 + 0.42 * k)
    ax = fig.add_subplot()
    y = np.arange(k)[::-1]
    h = 0.38
    series = [("any_grade", "Any grade", 0), ("grade_3_plus", "Grade ≥ 3", 1)]
    for col, label, j in series:
        st = style(j)
        offset = h / 2 if j == 0 else -h / 2
        ax.barh(y + offset, tab[f"{col}_pct"], h, color=st["color"], hatch=st["hatch"],
                alpha=0.55 if j == 0 else 0.9, edgecolor="black", linewidth=0.7, label=label)
        for yi, count, pct in zip(y + offset, tab[col], tab[f"{col}_pct"], strict=True):
            ax.text(pct + 1, yi, str(count), va="center", fontsize=FONT - 2)
    ax.set_yticks(y, tab["event"])
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"Patients with the event (% of N = {n})", fontsize=FONT)
    ax.set_title("Adverse events during short-course blinatumomab", fontsize=FONT + 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", fontsize=FONT - 1, frameon=False)
    fig.tight_layout()
    seen = tab[tab["any_grade"] > 0]
    none = tab.loc[tab["any_grade"] == 0, "event"].str.lower().tolist()
    items = [f"{r.event} {r.any_grade}/{n} ({number(r.any_grade_pct, 1)}%) any grade and "
             f"{r.grade_3_plus}/{n} ({number(r.grade_3_plus_pct, 1)}%) grade ≥ 3"
             for r in seen.itertuples()]
    fig.alt_text = (f"Horizontal bar chart of adverse events in percent of {n} patients, any "
                    "grade beside grade 3 or higher: " + "; ".join(items) + "."
                    + (f" No patient had {', '.join(none)}." if none else ""))
    return fig
