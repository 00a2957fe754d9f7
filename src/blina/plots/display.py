"""Putting a figure into a notebook: an accessible HTML ``<figure>`` with alt text and caption."""

from __future__ import annotations

import base64
import html
import io
import sys

from matplotlib.figure import Figure

from blina.display import Block, md_escape

__all__ = ["MAX_PNG_BYTES", "figure_html", "figure_markdown", "show"]

MAX_PNG_BYTES = 150_000


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


def figure_markdown(fig: Figure, caption: str, *, dpi: float | None = None,
                    max_bytes: int = MAX_PNG_BYTES) -> str:
    """The same figure as Markdown, for builders that cannot use HTML (the PDF edition): the
    PNG as a ``data:`` image (Sphinx extracts it into a file) and the caption in italics."""
    png = base64.b64encode(_png(fig, dpi, max_bytes)).decode("ascii")
    return f"![{md_escape(fig.alt_text[:200])}](data:image/png;base64,{png})\n\n" \
           f"*{md_escape(caption)}*\n"


def show(fig: Figure, caption: str, *, dpi: float | None = None) -> None:
    """Display ``fig`` in a notebook as an accessible HTML figure, then close it.

    Use in one cell: ``show(km_plot(...), "Figure 1a ...")``. The image's alt text is
    ``fig.alt_text``; the caption becomes the ``<figcaption>``.  The output also carries the
    figure as Markdown (:func:`figure_markdown`, for the PDF edition) and the caption as plain
    text.
    """
    from IPython.display import display

    block = Block(figure_html(fig, caption, dpi=dpi), figure_markdown(fig, caption, dpi=dpi),
                  f"[figure] {caption}")
    display(block)
    _close(fig)


def _close(fig: Figure) -> None:
    # a figure made with pyplot is registered there and must be closed there; the figures of
    # this module never are, so pyplot (and its backend setup) is not imported just to check
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None and plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)
    fig.clear()
