"""The two median conventions on a Kaplan–Meier curve that sits at exactly 50%."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from blina.plots.style import FONT, new_figure, style
from blina.stats.inputs import validate_survival_data
from blina.stats.km import km_table
from blina.stats.summaries import median_survival

__all__ = ["median_conventions_plot"]


def median_conventions_plot(durations: Sequence[float], events: Sequence) -> Figure:
    """A Kaplan–Meier curve with the 50% line and both medians marked: the first time with
    ``S ≤ 0.5`` and GraphPad Prism's midpoint of a flat stretch at exactly 50%
    (:func:`blina.stats.summaries.median_survival`, both conventions)."""
    t, e = validate_survival_data(durations, events)
    tab = km_table(t, e)
    first = median_survival(t, e, "lifelines")
    prism = median_survival(t, e, "prism")
    fig = new_figure(6.4, 3.6)
    ax = fig.add_subplot()
    st = style(0)
    x = np.r_[0.0, tab["time"].to_numpy()]
    y = 100 * np.r_[1.0, tab["survival"].to_numpy()]
    ax.step(x, y, where="post", color=st["color"], linewidth=1.8, label="Kaplan–Meier estimate")
    cens = tab[tab["censored"] > 0]
    ax.plot(cens["time"], 100 * cens["survival"], linestyle="none", marker="|", markersize=10,
            color=st["color"], label="censored")
    ax.axhline(50, color="0.4", linestyle=":", linewidth=1)
    for value, name, marker in ((first, "first time at 50%", "v"),
                                (prism, "Prism: midpoint of the 50% stretch", "D")):
        ax.plot([value], [50], marker=marker, color="black", markersize=8, linestyle="none",
                label=f"{name}: {value:g} months")
    ax.set_xlim(0, float(t.max()) * 1.05)
    ax.set_ylim(0, 105)
    ax.set_xlabel("Months", fontsize=FONT)
    ax.set_ylabel("Survival (%)", fontsize=FONT)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower left", fontsize=FONT - 1, frameon=False)
    ax.set_title("Two medians of one curve that stays at exactly 50%", fontsize=FONT + 1)
    fig.tight_layout()
    fig.alt_text = (f"Step chart of a Kaplan–Meier curve of {t.size} patients ({int(e.sum())} "
                    f"events) that falls to exactly 50% at {first:g} months and stays there "
                    f"until its last follow-up at {float(t.max()):g} months; the first time at "
                    f"50% is {first:g} months, GraphPad Prism's median (the midpoint of the "
                    f"flat stretch) is {prism:g} months.")
    return fig
