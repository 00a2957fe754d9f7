"""Kaplan–Meier curves with confidence bands, censor marks and numbers at risk."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from blina.plots.style import FONT, new_figure, pct, style
from blina.stats.inputs import group_labels, validate_survival_data
from blina.stats.km import km_estimate, km_table
from blina.stats.logrank import logrank

__all__ = ["at_risk_counts", "km_plot"]

def _curves(t: np.ndarray, e: np.ndarray, groups, labels) -> tuple[list, np.ndarray | None]:
    """``[(legend name, durations, events), ...]`` per group, and the group labels."""
    if groups is None:
        return [("All patients", t, e)], None
    arr, levels = group_labels(groups, t.size)
    labels = dict(labels or {})
    unknown = set(labels) - set(levels)
    if unknown:
        raise ValueError(f"labels has keys that are not groups: {sorted(map(str, unknown))}; "
                         f"groups are {levels!r}")
    return [(str(labels.get(lvl, lvl)), t[arr == lvl], e[arr == lvl]) for lvl in levels], arr


def _draw_curve(ax, i: int, name: str, tg: np.ndarray, eg: np.ndarray, ci: bool,
                summary_at: float) -> str:
    """One group's step curve, CI band and censor marks; returns its sentence of alt text."""
    st = style(i)
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
        at_text = f"{pct(s)} (95% CI {pct(s_lo)}–{pct(s_hi)}) at {summary_at:g} months"
    except ValueError:
        at_text = f"not estimable at {summary_at:g} months (follow-up ends earlier)"
    return (f"{name}: {tg.size} patient{'s' * (tg.size != 1)}, {n_ev} "
            f"event{'s' * (n_ev != 1)}, {at_text}")


def _axes(ax, fig: Figure, xmax: float, ticks, xlabel: str, ylabel: str, title: str) -> None:
    ax.set_xlim(0, xmax)
    ax.set_xticks(ticks)
    ax.set_ylim(0, 105)
    ax.set_yticks(range(0, 101, 20))
    ax.set_xlabel(xlabel, fontsize=FONT)
    ax.set_ylabel(ylabel, fontsize=FONT)
    fig.suptitle(title, fontsize=FONT + 1)
    ax.grid(axis="y", color="0.85", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=FONT - 1, frameon=False,
              borderaxespad=0.2)


def _p_value_text(ax, t, e, arr) -> str:
    res = logrank(t, e, arr)
    text = f"log-rank p = {res.p:.4f}" if res.p >= 1e-4 else "log-rank p < 0.0001"
    ax.text(1.0, 1.02, text, transform=ax.transAxes, ha="right", va="bottom", fontsize=FONT - 1)
    return text


def km_plot(durations: Sequence[float], events: Sequence, groups: Sequence | None = None, *,
            title: str, xlabel: str = "Months since start of blinatumomab",
            ylabel: str = "Survival (%)", at_risk: bool = True, ci: bool = True,
            reconstructed: bool = False, labels: Mapping | None = None,
            summary_at: float = 24, tick_step: float = 6, p_value: bool = True) -> Figure:
    """Kaplan–Meier curves (percent) with log(−log) 95% bands, censor marks and numbers at risk.

    One curve per level of ``groups`` (all patients when ``None``), estimated by
    :func:`blina.stats.km.km_table`; shaded bands are the pointwise log(−log) CIs (``ci``), the
    marks on the curves are censorings, and under the axis a row per group gives the numbers at
    risk (``at_risk``) every ``tick_step`` months, laid out as lifelines' ``add_at_risk_counts``
    does it (see :func:`at_risk_counts`). ``labels`` maps group values to legend names. With two
    or more groups the log-rank p-value is printed (``p_value``). ``reconstructed=True`` (times
    not published but reconstructed) says so in the title and the alt text. ``fig.alt_text``
    gives each curve's n, events and estimate at ``summary_at`` months.
    """
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"title must be a non-empty string, got {title!r}")
    t, e = validate_survival_data(durations, events)
    parts, arr = _curves(t, e, groups, labels)
    if reconstructed:
        title = f"{title} (reconstructed times)"
    fig = new_figure(7.0, 4.6 + 0.22 * (len(parts) if at_risk else 0))
    ax = fig.add_subplot()
    summaries = [_draw_curve(ax, i, name, tg, eg, ci, summary_at)
                 for i, (name, tg, eg) in enumerate(parts)]
    xmax = tick_step * math.ceil(max(float(t.max()), tick_step) / tick_step)
    ticks = np.arange(0, xmax + tick_step / 2, tick_step)
    _axes(ax, fig, xmax, ticks, xlabel, ylabel, title)
    p_text = _p_value_text(ax, t, e, arr) if len(parts) > 1 and p_value else ""
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
