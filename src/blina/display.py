"""Numbers and tables as the book shows them: one rounding, no missing-value markers, no reprs.

Everything a chapter shows goes through this module, so that a reader meets one convention:

- **one rounding**, half up (:func:`blina.stats.rounding.fmt`), the rule the audit uses to
  compare a recomputed value with a printed one.  Python's ``round`` and ``f"{x:.1f}"`` round
  half to even on the binary value (``f"{0.125:.2f}" == "0.12"``, ``f"{2.675:.2f}" ==
  "2.67"``); the book never displays a number through them;
- **no missing-value markers**: ``None``, ``NaN``, ``pd.NA`` and ``NaT`` are shown as
  :data:`MISSING` (an em dash), with the reason in the surrounding text;
- **no reprs**: numpy scalars (``np.float64(38.6)``), ``dtype:`` footers of a Series and
  truncated cells ("…" after 50 characters, pandas' ``display.max_colwidth``) never reach
  the page: :func:`as_table` renders every cell in full.

:func:`number`, :func:`percent` and :func:`interval` return :class:`Shown` strings, which
display without quotes; :func:`glue_all` hands them to myst-nb's ``glue`` so that prose can
quote a computed number with ``{glue:text}`key``` instead of typing it.

:func:`as_table` returns a :class:`Table`, which a notebook displays as an HTML table whose cells
wrap (HTML builder, JupyterLab), as a Markdown pipe table (the LaTeX builder of the PDF
edition, which myst-nb feeds ``text/markdown`` before ``text/plain``) and as aligned plain text
anywhere else.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from blina.stats.rounding import fmt

__all__ = ["MISSING", "Block", "Link", "Shown", "Table", "as_table", "cell", "glue_all",
           "interval", "listing", "md_escape", "number", "percent", "readable"]

#: how a missing value is shown (an em dash; the text around the table says why it is missing)
MISSING = "—"


class Shown(str):
    """A number formatted for display.  It is a ``str`` (``Shown("83.3") == "83.3"``) whose
    repr is its text, so a notebook and myst-nb's ``glue`` show ``83.3``, not ``'83.3'``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str.__str__(self)

    def _repr_pretty_(self, p, cycle: bool) -> None:  # IPython's plain-text formatter
        p.text(str.__str__(self))


_POWER_OF_TEN = re.compile(r"\b1e-(\d+)\b")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def readable(text: str) -> str:
    """ASCII notation of a data file as a reader writes it: ``"MRD >= 1e-3"`` becomes
    ``"MRD ≥ 10⁻³"`` (also ``<=`` → ``≤``)."""
    text = str(text).replace(">=", "≥").replace("<=", "≤")
    return _POWER_OF_TEN.sub(lambda m: "10⁻" + m[1].translate(_SUPERSCRIPT), text)


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _real(name: str, value: object) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real | Decimal):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    if _is_missing(value) or not math.isfinite(float(value)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(value)


def number(value: numbers.Real, decimals: int = 0) -> Shown:
    """``value`` rounded half up to ``decimals`` places: ``number(38.6, 0) == "39"``,
    ``number(0.125, 2) == "0.13"``, ``number(46.666667, 1) == "46.7"``."""
    if isinstance(value, int | np.integer) and decimals == 0:
        return Shown(str(int(value)))
    return Shown(fmt(_real("value", value), decimals))


def percent(part: numbers.Real, whole: numbers.Real, decimals: int = 1) -> Shown:
    """``100 · part / whole`` rounded half up, without the sign: ``percent(25, 30) == "83.3"``."""
    whole = _real("whole", whole)
    if whole == 0:
        raise ValueError("whole must not be 0")
    return number(100 * _real("part", part) / whole, decimals)


def interval(lower: numbers.Real, upper: numbers.Real, decimals: int = 1) -> Shown:
    """Two limits joined by an en dash: ``interval(65.28, 94.36) == "65.3–94.4"``."""
    return Shown(f"{number(lower, decimals)}–{number(upper, decimals)}")


def listing(items) -> Shown:
    """Items joined as prose: ``listing([9, 11, 24]) == "9, 11 and 24"``; one item alone,
    two joined by "and", none as "none"."""
    words = [str(i) for i in items]
    if not words:
        return Shown("none")
    return Shown(words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1])


@dataclass(frozen=True)
class Link:
    """A table cell linking to a chapter of the book: ``Link("Response", "response")``."""

    text: str
    doc: str  # document name relative to the page showing the table, without suffix

    def __str__(self) -> str:
        return self.text


def _as_float(value: object) -> float | None:
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, numbers.Real | Decimal):
        return float(value)
    return None


def cell(value: object, decimals: int = 1) -> str:
    """One value as a table shows it (see the module docstring): missing or empty →
    :data:`MISSING`,
    booleans → ``yes``/``no``, integers as they are, other reals half up to ``decimals``,
    tuples and lists as ``(a, b)``, anything else as ``str``."""
    if isinstance(value, Shown | Link):
        return str(value)
    if isinstance(value, tuple | list):
        return "(" + ", ".join(cell(v, decimals) for v in value) + ")"
    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, Fraction):
        value = float(value)
    real = _as_float(value)
    if real is not None:
        return fmt(real, decimals) if math.isfinite(real) else str(real)
    return readable(str(value))


def _column_decimals(values: pd.Series, decimals: int) -> int:
    """0 for a column of whole numbers with a missing value (counts that pandas stored as
    floats because one is missing), else ``decimals``."""
    if not any(_is_missing(v) for v in values):
        return decimals
    reals = [f for f in (_as_float(v) for v in values if not _is_missing(v)) if f is not None]
    whole = bool(reals) and all(math.isfinite(f) and f.is_integer() for f in reals)
    return 0 if whole else decimals


def _is_numeric(values: pd.Series) -> bool:
    present = [v for v in values if not _is_missing(v)]
    return bool(present) and all(_as_float(v) is not None for v in present)


def _header(name: object, words: bool) -> str:
    if isinstance(name, tuple):
        name = " ".join(str(n) for n in name if str(n))
    text = "" if name is None else str(name)
    return text.replace("_", " ") if words else text


_NUM = ' class="num"'


@dataclass(frozen=True)
class Table:
    """A table ready to show: every cell already a string (see :func:`as_table`)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str | Link, ...], ...]
    numeric: tuple[bool, ...]
    index_columns: int
    caption: str = ""
    prose: tuple[bool, ...] = ()  # columns of long text, given a minimum width to wrap in
    detail: int | None = None  # a column shown as a full-width row under each row (HTML)

    @property
    def frame(self) -> pd.DataFrame:
        """The shown cells as a DataFrame of strings (for tests and further selection)."""
        return pd.DataFrame([[str(c) for c in row] for row in self.rows],
                            columns=list(self.header))

    def _html_cell(self, value: str | Link, j: int) -> str:
        tag = "th" if j < self.index_columns else "td"
        scope = ' scope="row"' if tag == "th" else ""
        cls = _NUM if self.numeric[j] else (' class="prose"' if self.prose[j:j + 1] == (True,)
                                            else "")
        label = f' data-label="{html.escape(self.header[j], quote=True)}"'
        if isinstance(value, Link):
            inner = (f'<a class="reference internal" href="{html.escape(value.doc)}.html">'
                     f"{html.escape(value.text)}</a>")
        else:
            inner = html.escape(value)
        return f"<{tag}{scope}{cls}{label}>{inner}</{tag}>"

    def _html_row(self, row: tuple) -> str:
        main = "".join(self._html_cell(v, j) for j, v in enumerate(row) if j != self.detail)
        if self.detail is None:
            return f"<tr>{main}</tr>"
        label = html.escape(self.header[self.detail], quote=True)
        return (f'<tr class="blina-main">{main}</tr><tr class="blina-detail">'
                f'<td colspan="{len(row) - 1}" class="detail" data-label="{label}">'
                f"{html.escape(str(row[self.detail]))}</td></tr>")

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col"{_NUM if num else ""}>{html.escape(h)}</th>'
                       for j, (h, num) in enumerate(zip(self.header, self.numeric, strict=True))
                       if j != self.detail)
        body = "".join(self._html_row(row) for row in self.rows)
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        label = html.escape(self.caption or "table", quote=True)
        return (f'<div class="blina-table-wrap" role="region" tabindex="0" '
                f'aria-label="{label}"><table class="blina-table">{caption}'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")

    def _repr_markdown_(self) -> str:
        def md(value: str | Link) -> str:
            if isinstance(value, Link):
                return f"[{md_escape(value.text)}]({value.doc}.md)"
            return md_escape(value) or " "

        lines = ["| " + " | ".join(md(h) for h in self.header) + " |",
                 "|" + "|".join("---:" if num else "---" for num in self.numeric) + "|"]
        lines += ["| " + " | ".join(md(v) for v in row) + " |" for row in self.rows]
        # a table directive with column widths: LaTeX then wraps the cells in columns of
        # these proportions instead of letting a wide table run off the page
        title = f" {md_escape(self.caption)}" if self.caption else ""
        widths = " ".join(str(w) for w in self.column_widths())
        return f":::{{table}}{title}\n:widths: {widths}\n\n" + "\n".join(lines) + "\n:::\n"

    def column_widths(self) -> list[int]:
        """Relative column widths for print: each column's longest cell (header words
        count one by one, since they wrap), between 3 and 40 characters."""
        widths = []
        for j, head in enumerate(self.header):
            longest = max([len(w) for w in str(head).split()] or [1])
            longest = max([longest, *(len(str(row[j])) for row in self.rows)])
            widths.append(min(40, max(3, longest)))
        return widths

    def __str__(self) -> str:
        cells = [list(self.header)] + [[str(v) for v in row] for row in self.rows]
        widths = [max(len(r[j]) for r in cells) for j in range(len(self.header))]
        out = ["  ".join(v.rjust(w) if self.numeric[j] else v.ljust(w)
                         for j, (v, w) in enumerate(zip(r, widths, strict=True))).rstrip()
               for r in cells]
        return "\n".join(([self.caption] if self.caption else []) + out)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, p, cycle: bool) -> None:
        p.text(str(self))


@dataclass(frozen=True)
class Block:
    """Rich output given as HTML (the web book, JupyterLab) and as Markdown (the PDF edition,
    whose LaTeX builder cannot use HTML), with a plain-text summary for anything else."""

    html: str
    markdown: str
    text: str = ""

    def _repr_html_(self) -> str:
        return f'<div class="blina-block">{self.html}</div>'

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.text or self.markdown

    def _repr_pretty_(self, p, cycle: bool) -> None:
        p.text(repr(self))


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\|*_`[]<>$#~"})


def md_escape(text: str) -> str:
    """Text as a literal Markdown table cell (no emphasis, links, math or pipes)."""
    return " ".join(str(text).split()).translate(_MD_SPECIAL)


def as_table(data: pd.DataFrame | pd.Series, decimals: int | Mapping[str, int] = 1, *,
          index: bool | None = None, words: bool = True, caption: str = "",
          detail: str | None = "why") -> Table:
    """``data`` as a :class:`Table`: every cell through :func:`cell`, nothing truncated.

    ``decimals`` is one number of decimals for every real-valued column, or a mapping from
    column name to decimals (the others get 1).  A column of whole numbers with a missing value
    (counts that pandas stored as floats) is shown without decimals.  ``index`` shows the
    index as the first column(s) (default: unless it is a plain 0, 1, 2, … range).  With
    ``words``, underscores in the headers become spaces so that long headers can wrap.  The
    column named ``detail`` (default ``"why"``, the explanation of a verdict), if there is one,
    is shown in HTML as a full-width row under each row, so that a long explanation is read
    whole instead of squeezed into a narrow last column.
    """
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else "value")
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame or Series, got {type(data).__name__}")
    if index is None:
        index = not isinstance(data.index, pd.RangeIndex) or data.index.name is not None
    frame = data.reset_index() if index else data
    n_index = data.index.nlevels if index else 0
    per_column = decimals if isinstance(decimals, Mapping) else {}
    default = 1 if isinstance(decimals, Mapping) else decimals
    columns = []
    for j, name in enumerate(frame.columns):
        values = frame.iloc[:, j]
        wanted = per_column.get(name, default)
        d = wanted if name in per_column else _column_decimals(values, wanted)
        columns.append(([c if isinstance(c, Link) else cell(c, d) for c in values],
                        j >= n_index and _is_numeric(values)))
    unnamed = {"index", "level_0", "level_1", "level_2"} if index else set()
    header = tuple("" if j < n_index and name in unnamed and data.index.names[j] is None
                   else _header(name, words) for j, name in enumerate(frame.columns))
    rows = tuple(zip(*(c for c, _ in columns), strict=True)) if columns else ()
    prose = tuple(not num and bool(cells) and sum(len(str(c)) for c in cells) / len(cells) > 40
                  for cells, num in columns)
    names = list(frame.columns)
    where = names.index(detail) if detail is not None and detail in names else None
    return Table(header, rows, tuple(num for _, num in columns), n_index, caption, prose, where)


def _glued(name: str, value: object) -> Shown:
    if isinstance(value, Shown):
        return value
    if isinstance(value, str):
        return Shown(value)
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return Shown(str(int(value)))
    if isinstance(value, Sequence):
        return Shown(cell(tuple(value), 0))
    raise ValueError(f"{name}: format {value!r} first (number(value, decimals)), so that the "
                     "prose shows it with the book's rounding")


def glue_all(values: Mapping[str, object]) -> None:
    """``glue`` every value under its key, without displaying it (myst-nb).

    Values are :class:`Shown` strings (from :func:`number`, :func:`percent`,
    :func:`interval`), plain strings, integers or sequences of integers; a float is refused,
    because its display would not be the book's rounding.  In the prose, ``{glue:text}`key```
    then shows the value.
    """
    from myst_nb import glue  # the book's toolchain (environment.yml), not a package dependency

    for name, value in values.items():
        glue(name, _glued(name, value), display=False)
