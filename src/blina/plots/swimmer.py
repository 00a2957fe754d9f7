"""The swimmer plot: each patient's course after blinatumomab, one lane per patient."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from blina.data.frames import require_columns
from blina.plots.style import COLORS, FONT, LINESTYLES, new_figure
from blina.stats.inputs import durations_array

__all__ = ["swimmer_plot"]

_THERAPY_SHORT = {"Chemotherapy": "chemo", "CART": "CAR-T", "Allo-HSCT": "allo-HSCT",
                  "CART+allo-HSCT": "CAR-T + allo-HSCT", "Blina": "blina", "none": "none"}


_RESPONSE_STYLE = {"CR": (0, "o", "full"), "CRi": (1, "o", "none"), "no response": (2, "X", "full")}


_TIME_COLS = ("os_months", "os_event", "pfs_months", "pfs_event")


def _course_summary(df: pd.DataFrame) -> str:
    resp = df["response"].astype(str)
    further = df["followup_therapy"].astype(str) != "none"
    relapsed = df["relapse"].astype("boolean").fillna(False).astype(bool)
    dead = df["vital_status"].astype(str) == "dead"
    pts = df["patient"].astype(int)
    return (f"{(resp == 'CR').sum()} CR, {(resp == 'CRi').sum()} CRi, "
            f"{(resp == 'no response').sum()} no response; {int(further.sum())} received "
            f"further therapy; {int(relapsed.sum())} relapsed (patients "
            f"{', '.join(map(str, pts[relapsed]))}); {int(dead.sum())} died (patients "
            f"{', '.join(map(str, pts[dead]))}) and {int((~dead).sum())} were alive at the "
            "data cut-off")


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
    cols = ["patient", "response", "followup_therapy", "relapse", "vital_status",
            "cause_of_death"]
    require_columns(df, cols)
    data = df.reset_index(drop=True)
    if times is not None:
        require_columns(times, ["patient", *_TIME_COLS], name="times")
        extra = sorted(set(times["patient"]) - set(data["patient"]))
        missing = sorted(set(data["patient"]) - set(times["patient"]))
        if extra or missing:
            raise ValueError(f"times: patients do not match df (missing {missing}, extra {extra})")
        tcols = times[["patient", *_TIME_COLS]].rename(
            columns={c: f"_{c}" for c in _TIME_COLS})
        data = data.merge(tcols, on="patient", how="left", validate="one_to_one")
        for c in ("os_months", "pfs_months"):
            durations_array(data[f"_{c}"], name=f"times column {c!r}")
        data = data.sort_values("_os_months", ascending=True, kind="stable").reset_index(
            drop=True)
    else:
        data = data.iloc[::-1].reset_index(drop=True)  # patient 1 at the top
    k = len(data)
    fig = new_figure(7.4, 1.4 + 0.24 * k)
    ax = fig.add_subplot()
    relapsed = data["relapse"].astype("boolean").fillna(False).astype(bool)
    dead = data["vital_status"].astype(str) == "dead"
    therapy = data["followup_therapy"].astype(str)
    for y, row in data.iterrows():
        resp = str(row["response"])
        ci, marker, fill = _RESPONSE_STYLE.get(resp, (3, "s", "full"))
        color = COLORS[ci]
        if times is None:
            x_resp, x_ther, x_rel, x_end = 1.0, 2.0, 3.0, 4.0
        else:
            x_end = float(row["_os_months"])
            x_resp = 0.0  # the lane starts with the response symbol; its date is unknown
            x_rel = float(row["_pfs_months"])
            x_ther = None
        ax.plot([0, x_end], [y, y], color=color, linestyle=LINESTYLES[ci], linewidth=1.4,
                alpha=0.8)
        ax.plot([x_resp], [y], marker=marker, fillstyle=fill, color=color, markersize=7,
                linestyle="none")
        if x_ther is not None:
            ax.text(x_ther, y, _THERAPY_SHORT.get(therapy[y], therapy[y]), ha="center",
                    va="center", fontsize=FONT - 3,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
        if relapsed[y]:
            ax.plot([x_rel], [y], marker="v", color="black", markersize=7, linestyle="none")
        label = []
        if times is not None:
            label.append(f"then {_THERAPY_SHORT.get(therapy[y], therapy[y])}"
                         if therapy[y] != "none" else "no further therapy")
        if dead[y]:
            ax.plot([x_end], [y], marker="s", color="black", markersize=6, linestyle="none")
            label.append(f"died ({str(row['cause_of_death']).lower()})")
        else:
            ax.plot([x_end], [y], marker=">", color="0.3", markersize=6, linestyle="none")
        if label:
            ax.text(x_end + (0.12 if times is None else 0.6), y, "; ".join(label),
                    va="center", fontsize=FONT - 3)
    ax.set_yticks(range(k), [f"{int(p)}" for p in data["patient"]], fontsize=FONT - 2)
    ax.set_ylabel("Patient (Table 2 number)", fontsize=FONT)
    ax.set_ylim(-0.8, k - 0.2)
    ax.spines[["top", "right"]].set_visible(False)
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], color=COLORS[i], marker=m, fillstyle=f, linestyle=LINESTYLES[i],
                      label=lbl) for lbl, (i, m, f) in _RESPONSE_STYLE.items()]
    handles += [Line2D([], [], color="black", marker="v", linestyle="none", label="relapse"),
                Line2D([], [], color="black", marker="s", linestyle="none", label="death"),
                Line2D([], [], color="0.3", marker=">", linestyle="none",
                       label="alive at cut-off")]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3,
              fontsize=FONT - 2, frameon=False)
    summary = _course_summary(df)
    if times is None:
        ax.set_xticks([1, 2, 3, 4], ["Response", "Further\ntherapy", "Relapse",
                                     "Status at\ncut-off"], fontsize=FONT - 1)
        ax.set_xlim(0, 4.9)
        ax.set_xlabel("Stage of the course (ordinal, not time: the paper gives no dates)",
                      fontsize=FONT)
        fig.suptitle("Course of each patient after short-course blinatumomab",
                     fontsize=FONT + 1)
        fig.alt_text = (f"Swimmer-style chart of the {k} patients' courses from Table 2, in "
                        f"ordinal stages rather than time: {summary}.")
    else:
        xmax = float(data["_os_months"].max())
        ax.set_xlim(-0.5, xmax * 1.45 + 1)
        step = 6.0
        ax.set_xticks(np.arange(0, xmax + step, step))
        ax.set_xlabel("Months since start of blinatumomab (reconstructed)", fontsize=FONT)
        fig.suptitle("Course of each patient (reconstructed times)", fontsize=FONT + 1)
        fig.alt_text = (f"Swimmer plot of the {k} patients on reconstructed survival times "
                        f"(not published; up to {xmax:.1f} months): {summary}. Each lane is "
                        "labelled with the follow-up therapy and, for deaths, the cause.")
    fig.tight_layout()
    return fig
