"""The book's figure style: colour-blind-safe, and readable in greyscale.

The Okabe–Ito palette (Okabe & Ito 2008), and for every group a distinct line style, censor
marker and bar hatch as well, so no information is carried by colour alone.  Figures are built
on :class:`matplotlib.figure.Figure` directly (not through ``pyplot``), so a notebook never
shows them twice; each carries ``fig.alt_text``, a sentence describing it with its numbers.
"""

from __future__ import annotations

from matplotlib.figure import Figure

__all__ = ["COLORS", "FONT", "HATCHES", "LINESTYLES", "MARKERS", "new_figure", "pct", "style"]

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
    """A proportion as a one-decimal percentage, ``0.873 -> "87.3%"``."""
    return f"{100 * x:.1f}%"
