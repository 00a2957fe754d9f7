"""The km-check validation: share of planted typos that the check proves impossible."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from blina.plots.style import FONT, HATCHES, new_figure, style
from blina.stats.rounding import fmt

__all__ = ["typo_detection_plot"]


def typo_detection_plot(rates: pd.DataFrame) -> Figure:
    """Grouped bars of the share (%) of planted typos proved impossible.

    ``rates`` is :func:`blina.inverse_km.validation.detection_table`'s frame: one row per kind of
    typo, one column per band of ``n`` holding shares in [0, 1] (the ``all n`` and ``typos``
    columns are not drawn).  Kinds differ by colour and hatch.
    """
    table = rates.drop(columns=["all n", "typos"], errors="ignore")
    fig = new_figure(7.0, 3.8)
    ax = fig.add_subplot()
    width = 0.8 / len(table.index)
    x = np.arange(len(table.columns))
    for i, kind in enumerate(table.index):
        ax.bar(x + (i - (len(table.index) - 1) / 2) * width, 100 * table.loc[kind], width,
               label=kind, color=style(i)["color"], hatch=HATCHES[i % len(HATCHES)],
               edgecolor="black", linewidth=0.8)
    ax.set_xticks(x, [f"n {band}" for band in table.columns], fontsize=FONT)
    ax.set_ylabel("Proved impossible (%)", fontsize=FONT)
    ax.set_ylim(0, 105)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=FONT - 1, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title("Planted typos that the check proves impossible", fontsize=FONT + 1)
    fig.tight_layout()
    parts = [f"{kind}: " + ", ".join(f"n {band} {fmt(100 * share, 0)}%"
                                     for band, share in table.loc[kind].items())
             for kind in table.index]
    fig.alt_text = ("Bar chart of the share of planted typos that the Kaplan–Meier check proves "
                    "impossible, by kind of typo and size of group: " + "; ".join(parts) + ".")
    return fig
