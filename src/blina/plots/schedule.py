"""The dose-schedule figure: standard cycle 1 against the paper's short course."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from blina.cohort.schedule import (
    FULL_DOSE_UG,
    LOW_DOSE_UG,
    PAPER_FULL_DOSE_DAYS,
    cumulative_curve,
    cumulative_dose,
    schedules_compared,
)
from blina.display import number, percent
from blina.plots.style import FONT, new_figure, style

__all__ = ["schedule_plot"]

def _steps(schedule: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """x (day edges: day d spans [d, d + 1)) and y for a ``where="post"`` step, closed at 0."""
    days = schedule["day"].to_numpy(dtype=float)
    dose = schedule["dose_ug_per_day"].to_numpy(dtype=float)
    return np.r_[days, days[-1] + 1], np.r_[dose, 0.0]


def schedule_plot(full_dose_days: Sequence[int] = PAPER_FULL_DOSE_DAYS) -> Figure:
    """Daily dose (µg/day) and cumulative dose (µg) against day: standard cycle 1 vs short course.

    Left panel: the daily dose as steps (day ``d`` drawn from ``d`` to ``d + 1``); right panel:
    the cumulative dose ``D(d)`` at the end of each day, labelled with each schedule's total.
    One line per schedule — the standard cycle 1 (with its 14 treatment-free days) and a short
    course for each of ``full_dose_days`` (default the paper's shortest and longest, 6 and 10
    full-dose days) — distinguished by colour *and* line style (:mod:`blina.plots`).
    ``fig.alt_text`` describes each schedule with its total dose.
    """
    schedules = schedules_compared(full_dose_days)
    standard_total = cumulative_dose(schedules[0])
    fig = new_figure(9.0, 3.9)
    ax_dose, ax_cum = fig.subplots(1, 2)
    last_day = len(schedules[0])
    descriptions = []
    for i, s in enumerate(schedules):
        st = style(i)
        name = s["schedule"].iloc[0]
        width = 3.2 if i == 0 else 1.8
        x, y = _steps(s)
        ax_dose.step(x, y, where="post", color=st["color"], linestyle=st["linestyle"],
                     linewidth=width, alpha=0.75 if i == 0 else 1.0, label=name)
        curve = cumulative_curve(s)
        days = curve["day"].to_numpy(dtype=float)
        cum = curve["cumulative_ug"].to_numpy()
        ax_cum.plot(np.r_[0.0, days], np.r_[0.0, cum], color=st["color"],
                    linestyle=st["linestyle"], linewidth=width, alpha=0.75 if i == 0 else 1.0,
                    label=name)
        total = float(cum[-1])
        # the standard cycle ends at the right edge: its total goes above the line, inside
        # the axes; a short course ends mid-panel, so its total goes after the line's end
        at_edge = i == 0
        ax_cum.annotate(f"{number(total)} µg", (days[-1], total),
                        xytext=(0, 5) if at_edge else (4, 0), textcoords="offset points",
                        ha="right" if at_edge else "left", va="bottom" if at_edge else "center",
                        fontsize=FONT - 1,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        dose = s["dose_ug_per_day"]
        n9, n28 = int((dose == LOW_DOSE_UG).sum()), int((dose == FULL_DOSE_UG).sum())
        rest = int((dose == 0).sum())
        text = (f"{name}: {LOW_DOSE_UG} µg/day on days 1–{n9}, {FULL_DOSE_UG} µg/day on days "
                f"{n9 + 1}–{n9 + n28}")
        if rest:
            text += f", then {rest} treatment-free days"
        text += f"; total {number(total)} µg"
        if i:
            text += f" ({percent(total, standard_total, 0)}% of the standard cycle 1)"
        descriptions.append(text)
    ticks = [1, 8, 15, 22, 29, 36, 43]
    for ax in (ax_dose, ax_cum):
        ax.set_xlim(0, last_day + 2)
        ax.set_xticks(ticks)
        ax.set_xlabel("Day of treatment", fontsize=FONT)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="0.85", linewidth=0.6)
    ax_dose.set_ylim(-1, 32)
    ax_dose.set_yticks([0, 9, 28])
    ax_dose.set_ylabel("Daily dose (µg/day)", fontsize=FONT)
    ax_dose.set_title("a. Daily dose", fontsize=FONT, loc="left")
    ax_cum.set_ylim(0, 1.1 * standard_total)
    ax_cum.set_ylabel("Cumulative dose (µg)", fontsize=FONT)
    ax_cum.set_title("b. Cumulative dose", fontsize=FONT, loc="left")
    handles, labels = ax_dose.get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.93),
               ncols=len(schedules), fontsize=FONT - 1, frameon=False)
    fig.suptitle("Blinatumomab: standard cycle 1 versus the short course (adults ≥ 45 kg)",
                 fontsize=FONT + 1, y=0.99)
    fig.tight_layout(rect=(0, 0, 1, 0.89))
    fig.alt_text = ("Two-panel line chart of blinatumomab dose against day of treatment (days "
                    f"1–{last_day}): a, daily dose in µg/day; b, cumulative dose in µg. "
                    + "; ".join(descriptions) + ".")
    return fig
