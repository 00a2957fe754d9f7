"""The book's figure style: colour-blind-safe, and readable in greyscale.

The Okabe–Ito palette (Okabe & Ito 2008), and for every group a distinct line style, censor
marker and bar hatch as well, so no information is carried by colour alone.  Figures are built
on :class:`matplotlib.figure.Figure` directly (not through ``pyplot``), so a notebook never
shows them twice; each carries ``fig.alt_text``, a sentence describing it with its numbers.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from blina.display import number

__all__ = ["COLORS", "FONT", "HATCHES", "LINESTYLES", "MARKERS", "RECONSTRUCTED",
           "estimate_text", "mark_reconstructed", "new_figure", "pct", "style"]

#: Okabe–Ito: blue, vermillion, bluish green, reddish purple, orange, sky blue, black
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2)))
MARKERS = ("|", "x", "+", "1", "*", "2", "3")
HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---")
#: the base font size (points); titles are one larger, labels one or two smaller
FONT = 10


def style(i: int) -> dict:
    """Colour, line style, marker and hatch of the ``i``-th group (cycling)."""
    k = i % len(COLORS)
    return {"color": COLORS[k], "linestyle": LINESTYLES[k], "marker": MARKERS[k],
            "hatch": HATCHES[k]}


def new_figure(width: float, height: float) -> Figure:
    """An empty figure of ``width`` × ``height`` inches with an empty ``alt_text``."""
    fig = Figure(figsize=(width, height), layout=None)
    fig.alt_text = ""
    return fig


def pct(x: float) -> str:
    """A proportion as a one-decimal percentage, rounded half up: ``0.873 -> "87.3%"``."""
    return f"{number(100 * x, 1)}%"


def estimate_text(s: float, lower: float, upper: float) -> str:
    """A survival estimate with its interval for alt text: ``"87.3% (95% CI 65.6%–95.7%)"``;
    an estimate of 100% (no event yet) has no log(−log) interval, so it reads
    ``"100% (no event, so no interval)"`` instead of "100.0% (95% CI 100.0%–100.0%)"."""
    if s >= 1:
        return "100% (no event, so no interval)"
    return f"{pct(s)} (95% CI {pct(lower)}–{pct(upper)})"


#: the mark of a figure drawn from reconstructed (inferred, not published) data
RECONSTRUCTED = "RECONSTRUCTED"


def mark_reconstructed(ax, text: str = "RECONSTRUCTED times, not published data") -> None:
    """Write ``text`` inside the plot area of ``ax`` (top right, boxed), so that the warning
    travels with any copy of the image, not only with its caption or title."""
    ax.text(0.99, 0.99, text, transform=ax.transAxes, ha="right", va="top",
            fontsize=FONT, fontweight="bold", color="black", zorder=10,
            bbox={"facecolor": "white", "edgecolor": "black", "linewidth": 1, "pad": 3,
                  "alpha": 0.9})
