"""The book's figures, in one colour-blind-safe style that also reads in greyscale.

Style: the Okabe–Ito palette (Okabe & Ito 2008), and for every group a distinct line style,
censor marker and bar hatch as well, so no information is carried by colour alone. Figures are
built on :class:`matplotlib.figure.Figure` directly (not through ``pyplot``), so a notebook
never shows them twice; each function returns the ``Figure`` with ``fig.alt_text`` set to a
sentence describing its content with its numbers. :func:`show` puts a figure into a notebook
as an HTML ``<figure>`` with ``<img alt=...>`` and ``<figcaption>``, so the alt text reaches the
built book.
"""

from __future__ import annotations

import base64
import html
import io
import math
import sys
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from blina.survival import _groups, km_estimate, km_table, logrank, validate_survival_data

__all__ = [
    "COLORS",
    "HATCHES",
    "LINESTYLES",
    "MARKERS",
    "ae_plot",
    "figure_html",
    "km_plot",
    "response_by_burden_plot",
    "show",
    "swimmer_plot",
]

#: Okabe–Ito: blue, vermillion, bluish green, reddish purple, orange, sky blue, black
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2)))
MARKERS = ("|", "x", "+", "1", "*", "2", "3")
HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---")
MAX_PNG_BYTES = 150_000
_FONT = 10


def _style(i: int) -> dict:
    k = i % len(COLORS)
    return {"color": COLORS[k], "linestyle": LINESTYLES[k], "marker": MARKERS[k],
            "hatch": HATCHES[k]}


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout=None)
    fig.alt_text = ""
    return fig


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# ---------------------------------------------------------------------------------------------
# Kaplan–Meier


def km_plot(durations: Sequence[float], events: Sequence, groups: Sequence | None = None, *,
            title: str, xlabel: str = "Months since start of blinatumomab",
            ylabel: str = "Survival (%)", at_risk: bool = True, ci: bool = True,
            reconstructed: bool = False, labels: Mapping | None = None,
            summary_at: float = 24, tick_step: float = 6, p_value: bool = True) -> Figure:
    """Kaplan–Meier curves (percent) with log(−log) 95% bands, censor marks and numbers at risk.

    One curve per level of ``groups`` (all patients when ``None``), estimated by
    :func:`blina.survival.km_table`; shaded bands are the pointwise log(−log) CIs (``ci``), the
    marks on the curves are censorings, and under the axis a row per group gives the numbers at
    risk (``at_risk``) every ``tick_step`` months, laid out as lifelines' ``add_at_risk_counts``
    does it (see :func:`_at_risk_rows`). ``labels`` maps group
    values to legend names. With two or more groups the log-rank p-value is printed
    (``p_value``). ``reconstructed=True`` (times not published but reconstructed) says so in the
    title and the alt text. ``fig.alt_text`` gives each curve's n, events and estimate at
    ``summary_at`` months.
    """
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"title must be a non-empty string, got {title!r}")
    t, e = validate_survival_data(durations, events)
    if groups is None:
        parts = [("All patients", t, e)]
    else:
        arr, levels = _groups(groups, t.size)
        labels = dict(labels or {})
        unknown = set(labels) - set(levels)
        if unknown:
            raise ValueError(f"labels has keys that are not groups: {sorted(map(str, unknown))}; "
                             f"groups are {levels!r}")
        parts = [(str(labels.get(lvl, lvl)), t[arr == lvl], e[arr == lvl]) for lvl in levels]
    if reconstructed:
        title = f"{title} (reconstructed times)"

    n_rows = len(parts) if at_risk else 0
    fig = _new_figure(7.0, 4.6 + 0.22 * n_rows)
    ax = fig.add_subplot()
    summaries = []
    t_max = float(t.max())
    for i, (name, tg, eg) in enumerate(parts):
        st = _style(i)
        tab = km_table(tg, eg)
        x = np.r_[0.0, tab["time"].to_numpy()]
        y = 100 * np.r_[1.0, tab["survival"].to_numpy()]
        n_ev = int(eg.sum())
        ax.step(x, y, where="post", color=st["color"], linestyle=st["linestyle"], linewidth=1.8,
                label=f"{name} (n = {tg.size}, events = {n_ev})")
        if ci:
            lo = 100 * np.r_[1.0, tab["lower"].to_numpy()]
            hi = 100 * np.r_[1.0, tab["upper"].to_numpy()]
            ax.fill_between(x, lo, hi, step="post", color=st["color"], alpha=0.14, linewidth=0)
        cens = tab[tab["censored"] > 0]
        ax.plot(cens["time"], 100 * cens["survival"], linestyle="none", marker=st["marker"],
                markersize=8, markeredgewidth=1.4, color=st["color"])
        try:
            s, s_lo, s_hi = km_estimate(tg, eg, summary_at)
            at_text = f"{_pct(s)} (95% CI {_pct(s_lo)}–{_pct(s_hi)}) at {summary_at:g} months"
        except ValueError:
            at_text = f"not estimable at {summary_at:g} months (follow-up ends earlier)"
        summaries.append(f"{name}: {tg.size} patient{'s' * (tg.size != 1)}, {n_ev} "
                         f"event{'s' * (n_ev != 1)}, {at_text}")

    xmax = tick_step * math.ceil(max(t_max, tick_step) / tick_step)
    ticks = np.arange(0, xmax + tick_step / 2, tick_step)
    ax.set_xlim(0, xmax)
    ax.set_xticks(ticks)
    ax.set_ylim(0, 105)
    ax.set_yticks(range(0, 101, 20))
    ax.set_xlabel(xlabel, fontsize=_FONT)
    ax.set_ylabel(ylabel, fontsize=_FONT)
    fig.suptitle(title, fontsize=_FONT + 1)
    ax.grid(axis="y", color="0.85", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=_FONT - 1, frameon=False,
              borderaxespad=0.2)
    p_text = ""
    if len(parts) > 1 and p_value:
        res = logrank(t, e, arr)
        p_text = f"log-rank p = {res.p:.4f}" if res.p >= 1e-4 else "log-rank p < 0.0001"
        ax.text(1.0, 1.02, p_text, transform=ax.transAxes, ha="right", va="bottom",
                fontsize=_FONT - 1)
    fig.tight_layout()
    if at_risk:
        _at_risk_rows(ax, fig, [(name, tg) for name, tg, _ in parts], ticks)
    kind = "Reconstructed-data Kaplan–Meier plot" if reconstructed else "Kaplan–Meier plot"
    fig.alt_text = (f"{kind} titled '{title}': {ylabel} (0–100%) against {xlabel} (0–{xmax:g}). "
                    + "; ".join(summaries) + "."
                    + (f" {p_text.capitalize()}." if p_text else "")
                    + (" Shaded bands are 95% confidence intervals." if ci else "")
                    + (" Numbers at risk are listed under the axis." if at_risk else ""))
    return fig


def at_risk_counts(durations: Sequence[float], ticks: Sequence[float]) -> list[int]:
    """Numbers at risk at each tick: ``#{i : t_i > τ}`` (lifelines' convention: the count after
    the events and censorings at ``τ``; at ``τ = 0`` all patients)."""
    t = np.asarray(durations, dtype=float)
    return [int((t > tick).sum()) if tick > 0 else int(t.size) for tick in ticks]


def _at_risk_rows(ax, fig: Figure, parts: Sequence[tuple[str, np.ndarray]], ticks,
                  ypos: float = -0.6) -> None:
    """The numbers-at-risk table under ``ax``, laid out as lifelines' ``add_at_risk_counts``
    (``rows_to_show=["At risk"]``): a twin x axis moved ``ypos`` inches below, whose tick labels
    hold one line per group.  Drawn here so that plotting does not import lifelines (over a
    second per notebook); ``tests/test_plots.py`` checks the counts against lifelines."""
    ax2 = ax.twiny()
    height = (ax.get_position().y1 - ax.get_position().y0) * fig.get_figheight()
    ax2.spines["bottom"].set_position(("axes", ypos / height))
    for side in ("top", "right", "bottom", "left"):
        ax2.spines[side].set_visible(False)
    ax2.xaxis.tick_bottom()
    ax2.set_xlim(*ax.get_xlim())
    ax2.set_xticks(ticks)
    ax2.tick_params(axis="both", which="both", length=0)
    counts = [at_risk_counts(tg, ticks) for _, tg in parts]
    width = len(str(max(max(c) for c in counts)))
    labels = []
    for j, _tick in enumerate(ticks):
        if j == 0:
            lbl = "At risk\n" + "".join(
                f"{name.rjust(10)}{' ' * (width - len(str(c[0])) + 3)}{c[0]:>{width}d}\n"
                for (name, _), c in zip(parts, counts, strict=True))
        else:
            lbl = "".join(f"\n{c[j]}" for c in counts)
        labels.append(lbl)
    ax2.set_xticklabels(labels, ha="right")


# ---------------------------------------------------------------------------------------------
# notebook display


def _png(fig: Figure, dpi: float | None, max_bytes: int) -> bytes:
    dpis = [dpi] if dpi is not None else [110, 90, 75, 60]
    data = b""
    for d in dpis:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=d, bbox_inches="tight", metadata={"Software": None})
        data = buf.getvalue()
        if len(data) <= max_bytes:
            return data
    raise ValueError(f"fig: the PNG is {len(data)} bytes at dpi={dpis[-1]}, more than "
                     f"max_bytes={max_bytes}")


def figure_html(fig: Figure, caption: str, *, dpi: float | None = None,
                max_bytes: int = MAX_PNG_BYTES) -> str:
    """An HTML ``<figure>``: the PNG inline (base64) with ``alt=fig.alt_text``, and a caption.

    The resolution is the first of 110, 90, 75, 60 dpi whose PNG stays under ``max_bytes``
    (or ``dpi`` if given; too large raises ``ValueError``).
    """
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    alt = getattr(fig, "alt_text", "")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("fig.alt_text is empty: every figure needs a text alternative")
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError(f"caption must be a non-empty string, got {caption!r}")
    png = _png(fig, dpi, max_bytes)
    b64 = base64.b64encode(png).decode("ascii")
    return (f'<figure class="blina-figure" style="margin: 1em 0;">'
            f'<img src="data:image/png;base64,{b64}" alt="{html.escape(alt, quote=True)}" '
            f'style="max-width: 100%; height: auto;"/>'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def show(fig: Figure, caption: str, *, dpi: float | None = None) -> None:
    """Display ``fig`` in a notebook as an accessible HTML figure, then close it.

    Use in one cell: ``show(km_plot(...), "Figure 1a ...")``. The image's alt text is
    ``fig.alt_text``; the caption becomes the ``<figcaption>``.
    """
    from IPython.display import HTML, display

    display(HTML(figure_html(fig, caption, dpi=dpi)))
    _close(fig)


def _close(fig: Figure) -> None:
    # a figure made with pyplot is registered there and must be closed there; the figures of
    # this module never are, so pyplot (and its backend setup) is not imported just to check
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None and plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)
    fig.clear()


def _check_df(df: object, cols: Sequence[str], name: str = "df") -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{name}: unknown column(s) {missing}; it has {list(df.columns)}")
    if df.empty:
        raise ValueError(f"{name} is empty")
    return df


# ---------------------------------------------------------------------------------------------
# response by blast burden


def response_by_burden_plot(df: pd.DataFrame, threshold: float = 50) -> Figure:
    """Composite CR and MRD-negativity rates (%) with exact 95% CIs, by bone-marrow blast burden.

    Two groups, blasts ``<= threshold`` and ``> threshold`` percent before blinatumomab
    (:func:`blina.response.high_burden`); bars distinguished by colour and hatch, labelled
    ``k/N``; error bars are Clopper–Pearson intervals (:func:`blina.response.response_rates`).
    """
    from blina.response import high_burden, response_rates

    _check_df(df, ["bm_blast_pct", "response", "mrd_negative"])
    hb = high_burden(df, threshold)
    tab = response_rates(df, by=hb)
    outcomes = ["composite CR", "MRD-negative"]
    names = {False: f"Blasts ≤ {threshold:g}%", True: f"Blasts > {threshold:g}%"}
    levels = [lvl for lvl in (False, True) if (hb == lvl).any()]
    fig = _new_figure(6.4, 4.4)
    ax = fig.add_subplot()
    width = 0.36
    parts = []
    for j, outcome in enumerate(outcomes):
        st = _style(j)
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
            ax.text(xi, 2, f"{r['n']}/{r['N']}", ha="center", va="bottom", fontsize=_FONT - 1,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
            parts.append((lvl, outcome, r))
    ax.set_xticks(np.arange(len(levels)),
                  [f"{names[lvl]}\n(n = {int((hb == lvl).sum())})" for lvl in levels])
    ax.set_ylim(0, 105)
    ax.set_ylabel("Patients (%)", fontsize=_FONT)
    ax.set_xlabel("Bone-marrow blasts before blinatumomab (% of nucleated cells)",
                  fontsize=_FONT)
    ax.set_title("Response by leukemic burden", fontsize=_FONT + 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper right", fontsize=_FONT - 1, frameon=False)
    fig.tight_layout()
    desc = []
    for lvl in levels:
        items = [f"{o} {r['n']}/{r['N']} ({r['percent']:.1f}%, 95% CI "
                 f"{r['lower']:.1f}–{r['upper']:.1f}%)" for lv, o, r in parts if lv == lvl]
        desc.append(f"{names[lvl].lower()}: " + ", ".join(items))
    fig.alt_text = ("Bar chart of the composite complete remission (CR or CRi) and MRD-negative "
                    "rates, in percent of patients, by bone-marrow blast burden before "
                    "blinatumomab: " + "; ".join(desc)
                    + ". Error bars are exact (Clopper–Pearson) 95% confidence intervals.")
    return fig


# ---------------------------------------------------------------------------------------------
# adverse events


def ae_plot(ae: pd.DataFrame, n: int = 30) -> Figure:
    """Horizontal bars of each adverse event's frequency (% of ``n``), any grade vs grade ≥ 3.

    Events in the order of Table 3 (top to bottom), counts printed at the bar ends; the two
    grades differ by colour, shade and hatch.
    """
    from blina.safety import ae_table

    tab = ae_table(ae, n)
    k = len(tab)
    fig = _new_figure(7.0, 1.2 + 0.42 * k)
    ax = fig.add_subplot()
    y = np.arange(k)[::-1]
    h = 0.38
    series = [("any_grade", "Any grade", 0), ("grade_3_plus", "Grade ≥ 3", 1)]
    for col, label, j in series:
        st = _style(j)
        offset = h / 2 if j == 0 else -h / 2
        ax.barh(y + offset, tab[f"{col}_pct"], h, color=st["color"], hatch=st["hatch"],
                alpha=0.55 if j == 0 else 0.9, edgecolor="black", linewidth=0.7, label=label)
        for yi, count, pct in zip(y + offset, tab[col], tab[f"{col}_pct"], strict=True):
            ax.text(pct + 1, yi, str(count), va="center", fontsize=_FONT - 2)
    ax.set_yticks(y, tab["event"])
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"Patients with the event (% of N = {n})", fontsize=_FONT)
    ax.set_title("Adverse events during short-course blinatumomab", fontsize=_FONT + 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", fontsize=_FONT - 1, frameon=False)
    fig.tight_layout()
    seen = tab[tab["any_grade"] > 0]
    none = tab.loc[tab["any_grade"] == 0, "event"].str.lower().tolist()
    items = [f"{r.event} {r.any_grade}/{n} ({r.any_grade_pct:.1f}%) any grade and "
             f"{r.grade_3_plus}/{n} ({r.grade_3_plus_pct:.1f}%) grade ≥ 3"
             for r in seen.itertuples()]
    fig.alt_text = (f"Horizontal bar chart of adverse events in percent of {n} patients, any "
                    "grade beside grade 3 or higher: " + "; ".join(items) + "."
                    + (f" No patient had {', '.join(none)}." if none else ""))
    return fig


# ---------------------------------------------------------------------------------------------
# swimmer plot

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
    _check_df(df, cols)
    data = df.reset_index(drop=True)
    if times is not None:
        _check_df(times, ["patient", *_TIME_COLS], name="times")
        extra = sorted(set(times["patient"]) - set(data["patient"]))
        missing = sorted(set(data["patient"]) - set(times["patient"]))
        if extra or missing:
            raise ValueError(f"times: patients do not match df (missing {missing}, extra {extra})")
        tcols = times[["patient", *_TIME_COLS]].rename(
            columns={c: f"_{c}" for c in _TIME_COLS})
        data = data.merge(tcols, on="patient", how="left", validate="one_to_one")
        for c in ("os_months", "pfs_months"):
            from blina.survival import _durations
            _durations(data[f"_{c}"], name=f"times column {c!r}")
        data = data.sort_values("_os_months", ascending=True, kind="stable").reset_index(
            drop=True)
    else:
        data = data.iloc[::-1].reset_index(drop=True)  # patient 1 at the top
    k = len(data)
    fig = _new_figure(7.4, 1.4 + 0.24 * k)
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
                    va="center", fontsize=_FONT - 3,
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
                    va="center", fontsize=_FONT - 3)
    ax.set_yticks(range(k), [f"{int(p)}" for p in data["patient"]], fontsize=_FONT - 2)
    ax.set_ylabel("Patient (Table 2 number)", fontsize=_FONT)
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
              fontsize=_FONT - 2, frameon=False)
    summary = _course_summary(df)
    if times is None:
        ax.set_xticks([1, 2, 3, 4], ["Response", "Further\ntherapy", "Relapse",
                                     "Status at\ncut-off"], fontsize=_FONT - 1)
        ax.set_xlim(0, 4.9)
        ax.set_xlabel("Stage of the course (ordinal, not time: the paper gives no dates)",
                      fontsize=_FONT)
        fig.suptitle("Course of each patient after short-course blinatumomab",
                     fontsize=_FONT + 1)
        fig.alt_text = (f"Swimmer-style chart of the {k} patients' courses from Table 2, in "
                        f"ordinal stages rather than time: {summary}.")
    else:
        xmax = float(data["_os_months"].max())
        ax.set_xlim(-0.5, xmax * 1.45 + 1)
        step = 6.0
        ax.set_xticks(np.arange(0, xmax + step, step))
        ax.set_xlabel("Months since start of blinatumomab (reconstructed)", fontsize=_FONT)
        fig.suptitle("Course of each patient (reconstructed times)", fontsize=_FONT + 1)
        fig.alt_text = (f"Swimmer plot of the {k} patients on reconstructed survival times "
                        f"(not published; up to {xmax:.1f} months): {summary}. Each lane is "
                        "labelled with the follow-up therapy and, for deaths, the cause.")
    fig.tight_layout()
    return fig
