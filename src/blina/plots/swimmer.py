"""The swimmer plot: each patient's course after blinatumomab, one lane per patient."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from blina.cohort.groups import relapsed
from blina.data.frames import require_columns
from blina.display import number
from blina.plots.style import COLORS, FONT, LINESTYLES, mark_reconstructed, new_figure
from blina.stats.inputs import durations_array

__all__ = ["swimmer_plot"]

_THERAPY_SHORT = {"Chemotherapy": "chemo", "CART": "CAR-T", "Allo-HSCT": "allo-HSCT",
                  "CART+allo-HSCT": "CAR-T + allo-HSCT", "Blina": "blina", "none": "none"}
_RESPONSE_STYLE = {"CR": (0, "o", "full"), "CRi": (1, "o", "none"), "no response": (2, "X", "full")}
_TIME_COLS = ("os_months", "os_event", "pfs_months", "pfs_event")
#: x positions of the four stages of the ordinal layout
_STAGES = {"response": 1.0, "therapy": 2.0, "relapse": 3.0, "end": 4.0}


def _course_summary(df: pd.DataFrame) -> str:
    resp = df["response"].astype(str)
    further = df["followup_therapy"].astype(str) != "none"
    rel = relapsed(df)
    dead = df["vital_status"].astype(str) == "dead"
    pts = df["patient"].astype(int)
    return (f"{(resp == 'CR').sum()} CR, {(resp == 'CRi').sum()} CRi, "
            f"{(resp == 'no response').sum()} no response; {int(further.sum())} received "
            f"further therapy; {int(rel.sum())} relapsed (patients "
            f"{', '.join(map(str, pts[rel]))}); {int(dead.sum())} died (patients "
            f"{', '.join(map(str, pts[dead]))}) and {int((~dead).sum())} were alive at the "
            "data cut-off")


def _lanes(df: pd.DataFrame, times: pd.DataFrame | None) -> pd.DataFrame:
    """One row per lane, bottom to top: by OS time with ``times``, else patient 1 on top."""
    require_columns(df, ["patient", "response", "followup_therapy", "relapse", "vital_status",
                         "cause_of_death"])
    data = df.reset_index(drop=True)
    if times is None:
        return data.iloc[::-1].reset_index(drop=True)
    require_columns(times, ["patient", *_TIME_COLS], name="times")
    extra = sorted(set(times["patient"]) - set(data["patient"]))
    missing = sorted(set(data["patient"]) - set(times["patient"]))
    if extra or missing:
        raise ValueError(f"times: patients do not match df (missing {missing}, extra {extra})")
    tcols = times[["patient", *_TIME_COLS]].rename(columns={c: f"_{c}" for c in _TIME_COLS})
    data = data.merge(tcols, on="patient", how="left", validate="one_to_one")
    for c in ("os_months", "pfs_months"):
        durations_array(data[f"_{c}"], name=f"times column {c!r}")
    return data.sort_values("_os_months", ascending=True, kind="stable").reset_index(drop=True)


def _draw_lane(ax, y: int, row: pd.Series, timed: bool) -> None:
    """The lane of one patient: line, response mark, therapy, relapse mark, end mark, label."""
    ci, marker, fill = _RESPONSE_STYLE.get(str(row["response"]), (3, "s", "full"))
    therapy = str(row["followup_therapy"])
    short = _THERAPY_SHORT.get(therapy, therapy)
    x_end = float(row["_os_months"]) if timed else _STAGES["end"]
    x_rel = float(row["_pfs_months"]) if timed else _STAGES["relapse"]
    ax.plot([0, x_end], [y, y], color=COLORS[ci], linestyle=LINESTYLES[ci], linewidth=1.4,
            alpha=0.8)
    ax.plot([0.0 if timed else _STAGES["response"]], [y], marker=marker, fillstyle=fill,
            color=COLORS[ci], markersize=7, linestyle="none")
    if not timed:
        ax.text(_STAGES["therapy"], y, short, ha="center", va="center", fontsize=FONT - 3,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    if row["_relapsed"]:
        ax.plot([x_rel], [y], marker="v", color="black", markersize=7, linestyle="none")
    label = [f"then {short}" if therapy != "none" else "no further therapy"] if timed else []
    if str(row["vital_status"]) == "dead":
        ax.plot([x_end], [y], marker="s", color="black", markersize=6, linestyle="none")
        label.append(f"died ({str(row['cause_of_death']).lower()})")
    else:
        ax.plot([x_end], [y], marker=">", color="0.3", markersize=6, linestyle="none")
    if label:
        ax.text(x_end + (0.6 if timed else 0.12), y, "; ".join(label), va="center",
                fontsize=FONT - 3)


def _legend(ax) -> None:
    handles = [Line2D([], [], color=COLORS[i], marker=m, fillstyle=f, linestyle=LINESTYLES[i],
                      label=lbl) for lbl, (i, m, f) in _RESPONSE_STYLE.items()]
    handles += [Line2D([], [], color="black", marker="v", linestyle="none", label="relapse"),
                Line2D([], [], color="black", marker="s", linestyle="none", label="death"),
                Line2D([], [], color="0.3", marker=">", linestyle="none",
                       label="alive at cut-off")]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3,
              fontsize=FONT - 2, frameon=False)


def _ordinal_axis(ax, fig: Figure, k: int, summary: str) -> None:
    ax.set_xticks(list(_STAGES.values()), ["Response", "Further\ntherapy", "Relapse",
                                           "Status at\ncut-off"], fontsize=FONT - 1)
    ax.set_xlim(0, 4.9)
    ax.set_xlabel("Stage of the course (ordinal, not time: the paper gives no dates)",
                  fontsize=FONT)
    fig.suptitle("Course of each patient after short-course blinatumomab", fontsize=FONT + 1)
    fig.alt_text = (f"Swimmer-style chart of the {k} patients' courses from Table 2, in "
                    f"ordinal stages rather than time: {summary}.")


def _time_axis(ax, fig: Figure, data: pd.DataFrame, summary: str) -> None:
    xmax = float(data["_os_months"].max())
    ax.set_xlim(-0.5, xmax * 1.45 + 1)
    ax.set_xticks(np.arange(0, xmax + 6.0, 6.0))
    ax.set_xlabel("Months since start of blinatumomab (reconstructed)", fontsize=FONT)
    mark_reconstructed(ax)
    fig.suptitle("Course of each patient (reconstructed times)", fontsize=FONT + 1)
    fig.alt_text = (f"Swimmer plot of the {len(data)} patients on RECONSTRUCTED survival times "
                    f"(not published; up to {number(xmax, 1)} months): {summary}. Each lane is "
                    "labelled with the follow-up therapy and, for deaths, the cause.")


def swimmer_plot(df: pd.DataFrame, times: pd.DataFrame | None = None) -> Figure:
    """Each patient's course after blinatumomab, one lane per patient (Table 2).

    Without ``times``: an ordinal layout (the paper gives no dates) with four stages —
    response (filled circle CR, open circle CRi, cross no response), further therapy (named),
    relapse (triangle) and status at the data cut-off (square with the cause of death, or an
    arrow for alive) — patients in Table 2 order. With ``times`` (the *reconstructed* survival
    data: ``patient, os_months, os_event, pfs_months, pfs_event``): lanes as long as the OS
    time, relapse/progression at the PFS time, death or an arrow (alive, censored) at the end,
    sorted by OS time; title and alt text say the times are reconstructed.
    """
    data = _lanes(df, times)
    data["_relapsed"] = relapsed(data)
    k = len(data)
    fig = new_figure(7.4, 1.4 + 0.24 * k)
    ax = fig.add_subplot()
    for y, row in data.iterrows():
        _draw_lane(ax, y, row, times is not None)
    ax.set_yticks(range(k), [f"{int(p)}" for p in data["patient"]], fontsize=FONT - 2)
    ax.set_ylabel("Patient (Table 2 number)", fontsize=FONT)
    ax.set_ylim(-0.8, k - 0.2)
    ax.spines[["top", "right"]].set_visible(False)
    _legend(ax)
    summary = _course_summary(df)
    if times is None:
        _ordinal_axis(ax, fig, k, summary)
    else:
        _time_axis(ax, fig, data, summary)
    fig.tight_layout()
    return fig
