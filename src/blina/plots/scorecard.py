"""The front page's scorecard: every claim of the paper by section and verdict, at a glance."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from blina.audit.report import CARD_KINDS, CARD_LABELS
from blina.data.frames import require_columns
from blina.plots.style import FONT, new_figure, style

__all__ = ["scorecard_plot"]

#: the palette entry of each kind of verdict (green reproduced, blue consistent, sky blue the
#: table rows checked only for coherence, vermillion discrepant, purple unverifiable); the
#: hatches differ too
VERDICT_STYLE = {"reproduced": 2, "consistent": 0, "table-only": 5, "discrepant": 1,
                 "unverifiable": 3}


def _segment_label(ax, left: float, width: float, y: float, count: int, mark: str) -> None:
    """The count (with its mark where the segment is wide enough) centred on a bar segment."""
    if count:
        ax.text(left + width / 2, y, f"{mark} {count}" if width >= 3 else str(count),
                ha="center", va="center", fontsize=FONT - 1,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8, "alpha": 0.85})


def scorecard_plot(card: pd.DataFrame) -> Figure:
    """Stacked horizontal bars, one per section of the paper (top to bottom in the paper's
    order), split by verdict: the number of claims reproduced, consistent with the data,
    consistent as table rows only, discrepant and unverifiable, each segment labelled with its
    mark and count.

    ``card`` is :func:`blina.audit.report.chapter_scorecard` (``heading``, one column per kind
    of verdict, ``claims``).  Kinds differ in colour *and* hatch; ``fig.alt_text`` lists every
    count.
    """
    require_columns(card, ["heading", *CARD_KINDS, "claims"], name="card")
    k = len(card)
    fig = new_figure(7.4, 1.6 + 0.42 * k)
    ax = fig.add_subplot()
    y = np.arange(k)[::-1]
    left = np.zeros(k)
    for kind in CARD_KINDS:
        st = style(VERDICT_STYLE[kind])
        counts = card[kind].to_numpy(dtype=float)
        mark = CARD_LABELS[kind].split()[0]
        ax.barh(y, counts, left=left, height=0.7, color=st["color"], hatch=st["hatch"],
                alpha=0.75, edgecolor="black", linewidth=0.6, label=CARD_LABELS[kind])
        for yi, lo, c in zip(y, left, counts, strict=True):
            _segment_label(ax, lo, c, yi, int(c), mark)
        left = left + counts
    for yi, total in zip(y, card["claims"], strict=True):
        ax.text(total + 0.6, yi, str(int(total)), va="center", fontsize=FONT - 1)
    ax.set_yticks(y, card["heading"], fontsize=FONT - 1)
    ax.set_xlim(0, float(card["claims"].max()) * 1.1 + 1)
    ax.set_xlabel("Claims of the paper checked by this book", fontsize=FONT)
    ax.set_title("Every checkable claim of the paper, by section and verdict",
                 fontsize=FONT + 1, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", fontsize=FONT - 1, frameon=True, framealpha=0.95)
    fig.tight_layout()
    words = {k: CARD_LABELS[k].split(" ", 1)[1] for k in CARD_KINDS}
    totals = card[list(CARD_KINDS)].sum()
    rows = "; ".join(f"{r['heading']}: " + ", ".join(f"{int(r[k])} {words[k]}"
                                                     for k in CARD_KINDS)
                     for _, r in card.iterrows())
    fig.alt_text = (f"Stacked bar chart of the {int(card['claims'].sum())} claims of the paper "
                    "by section and verdict (" + ", ".join(f"{int(totals[k])} {words[k]}"
                                                          for k in CARD_KINDS)
                    + "): " + rows + ".")
    return fig
