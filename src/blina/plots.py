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
    "figure_html",
    "km_plot",
    "show",
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
    marks on the curves are censorings, and under the axis lifelines' ``add_at_risk_counts``
    prints the numbers at risk (``at_risk``) every ``tick_step`` months. ``labels`` maps group
    values to legend names. With two or more groups the log-rank p-value is printed
    (``p_value``). ``reconstructed=True`` (times not published but reconstructed) says so in the
    title and the alt text. ``fig.alt_text`` gives each curve's n, events and estimate at
    ``summary_at`` months.
    """
    from lifelines import KaplanMeierFitter
    from lifelines.plotting import add_at_risk_counts

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
    fitters, summaries = [], []
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
        summaries.append(f"{name}: {tg.size} patients, {n_ev} events, {at_text}")
        fitters.append(KaplanMeierFitter(label=name).fit(tg, eg))

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
        add_at_risk_counts(*fitters, ax=ax, fig=fig, rows_to_show=["At risk"], xticks=ticks,
                           ypos=-0.6)
    kind = "Reconstructed-data Kaplan–Meier plot" if reconstructed else "Kaplan–Meier plot"
    fig.alt_text = (f"{kind} titled '{title}': {ylabel} (0–100%) against {xlabel} (0–{xmax:g}). "
                    + "; ".join(summaries) + "."
                    + (f" {p_text.capitalize()}." if p_text else "")
                    + (" Shaded bands are 95% confidence intervals." if ci else "")
                    + (" Numbers at risk are listed under the axis." if at_risk else ""))
    return fig


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
    import matplotlib.pyplot as plt

    if plt.fignum_exists(getattr(fig, "number", -1)):
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
