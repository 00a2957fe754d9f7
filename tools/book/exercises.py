"""Exercises an instructor can choose from: label, difficulty and what each one practises.

Every exercise opens with one line of metadata, the first paragraph inside its directive::

    ````{exercise}
    :label: ex-resp-cp-by-hand

    Difficulty 2 of 3 · practises: exact binomial intervals from beta quantiles

    The statement...
    ````

When a page is read, :func:`collect` finds that line in every sphinx-exercise node, gives the
paragraph the class ``exercise-meta`` and appends the exercise's label (the stable name to use
in an assignment), and records ``(label, difficulty, practises)`` for the page.  An exercise
without the line, or with a difficulty other than 1, 2 or 3, is a build warning (and ``-W``
makes it an error), so no exercise can be added without its metadata.

The ``{exercise-table}`` directive (the instructors' page) is replaced, once every page has been
read, by one table of all exercises in reading order, each linked to the exercise.  The
``{chapter-times}`` directive is replaced by the planning table of the chapters: the words of
prose (code and outputs not counted), the reading time *estimated* from them
(:data:`WORDS_PER_MINUTE`), the exercises and their *estimated* time
(:data:`MINUTES_PER_EXERCISE`), and the execution time *measured* by myst-nb when the chapter
was last executed (from its execution cache).  Every number of both tables comes from the
build, none is typed.
"""

from __future__ import annotations

import math
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from blina.stats.rounding import fmt

__all__ = ["META", "MINUTES_PER_EXERCISE", "WORDS_PER_MINUTE", "ChapterTimes", "ExerciseTable",
           "collect", "prose_words", "setup"]

LOGGER = logging.getLogger(__name__)
#: the metadata line: its difficulty (1-3) and what the exercise practises
META = re.compile(r"^Difficulty (?P<difficulty>\d) of 3 · practises: (?P<practises>\S.*)$",
                  re.DOTALL)
STORE = "blina_exercises"
WORDS = "blina_words"
TABLES = "blina_exercise_tables"  # the pages that show a table
#: reading speed for technical prose with tables and figures to look at
WORDS_PER_MINUTE = 120
#: estimated time per exercise
MINUTES_PER_EXERCISE = 10
#: containers whose text is not prose (code cells, their outputs, math, raw HTML)
NOT_PROSE = ("cell_input", "cell_output")


class chapter_times(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Where the planning table goes (filled in by :func:`fill_tables`)."""


class exercise_table(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Where the table of all exercises goes (filled in by :func:`fill_tables`)."""


class ExerciseTable(SphinxDirective):
    """``{exercise-table}``: every exercise of the book, in reading order (no content)."""

    has_content = False
    node_class = exercise_table

    def run(self) -> list[nodes.Node]:
        pages = getattr(self.env, TABLES, set())
        pages.add(self.env.docname)
        setattr(self.env, TABLES, pages)
        return [self.node_class()]


class ChapterTimes(ExerciseTable):
    """``{chapter-times}``: words, reading and exercise time, execution time per chapter."""

    node_class = chapter_times


def prose_words(doctree: nodes.document) -> int:
    """Words of prose in a page: text outside code cells, outputs, math and raw markup."""
    count = 0
    for text in doctree.findall(nodes.Text):
        parent, skip = text.parent, False
        while parent is not None and not skip:
            skip = (isinstance(parent, nodes.literal_block | nodes.math_block | nodes.raw
                               | nodes.comment)
                    or any(c in parent.get("classes", []) for c in NOT_PROSE))
            parent = parent.parent
        if not skip:
            count += len(text.astext().split())
    return count


def _exercise_nodes(doctree: nodes.document):
    from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

    return [n for n in doctree.findall() if isinstance(n, exercise_node | exercise_enumerable_node)]


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: check and mark each exercise's metadata line; record it for the page."""
    docname = app.env.docname
    found = []
    for node in _exercise_nodes(doctree):
        label = node.get("label", "")
        first = next(iter(node.findall(nodes.paragraph)), None)
        match = META.match(first.astext().strip()) if first is not None else None
        if match is None or match["difficulty"] not in "123":
            LOGGER.warning(f"exercise {label!r} does not open with 'Difficulty N of 3 · "
                           "practises: …' (N = 1, 2 or 3)", location=node)
            continue
        first["classes"].append("exercise-meta")
        first += [nodes.Text(" · label: "), nodes.literal(label, label,
                                                         classes=["exercise-label"])]
        found.append((label, int(match["difficulty"]), " ".join(match["practises"].split())))
    for name, value in ((STORE, found), (WORDS, prose_words(doctree))):
        store = getattr(app.env, name, {})
        store[docname] = value
        setattr(app.env, name, store)


def _purge(app: Sphinx, env, docname: str) -> None:
    for name in (STORE, WORDS):
        getattr(env, name, {}).pop(docname, None)
    getattr(env, TABLES, set()).discard(docname)


def _merge(app: Sphinx, env, docnames, other) -> None:
    for name in (STORE, WORDS):
        store = getattr(env, name, {})
        store.update({d: v for d, v in getattr(other, name, {}).items() if d in docnames})
        setattr(env, name, store)
    tables = getattr(env, TABLES, set())
    tables.update(d for d in getattr(other, TABLES, set()) if d in docnames)
    setattr(env, TABLES, tables)


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """env-get-outdated: a page showing the table is rebuilt whenever any page changes."""
    return sorted(getattr(env, TABLES, set())) if added | changed | removed else []


def _reading_order(app: Sphinx) -> list[str]:
    """Document names in the order of the table of contents (root first)."""
    order = [app.config.root_doc]
    seen = set(order)
    for doc in order:  # breadth-first over the toctree, which keeps chapters in order
        for child in app.env.toctree_includes.get(doc, []):
            if child not in seen:
                seen.add(child)
                order.append(child)
    return order


def _row(cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for content in cells:
        row += nodes.entry("", content if isinstance(content, nodes.paragraph)
                           else nodes.paragraph("", "", content))
    return row


def _table(headings: list[str], widths: tuple[int, ...], rows: list[list[nodes.Node]],
           numeric: set[int], css: str) -> nodes.table:
    group = nodes.tgroup(cols=len(headings))
    group += [nodes.colspec(colwidth=w) for w in widths]
    group += nodes.thead("", _row([nodes.Text(h) for h in headings]))
    body = nodes.tbody()
    for cells in rows:
        row = _row(cells)
        for j in numeric:
            row[j]["classes"].append("text-right")
        body += row
    group += body
    # "colwidths-given": the HTML writer then keeps the column proportions above
    return nodes.table("", group, classes=["colwidths-given", css])


def _doc_link(app: Sphinx, fromdoc: str, doc: str, anchor: str, content: nodes.Node):
    uri = app.builder.get_relative_uri(fromdoc, doc) + (f"#{anchor}" if anchor else "")
    return nodes.reference("", "", content, internal=True, refuri=uri)


def _title(app: Sphinx, doc: str) -> str:
    return app.env.titles[doc].astext() if doc in app.env.titles else doc


def _exercise_rows(app: Sphinx, fromdoc: str) -> list[list[nodes.Node]]:
    store = getattr(app.env, STORE, {})
    return [[_doc_link(app, fromdoc, doc, label, nodes.literal(label, label)),
             nodes.Text(_title(app, doc)), nodes.Text(str(difficulty)), nodes.Text(practises)]
            for doc in _reading_order(app) for label, difficulty, practises in store.get(doc, [])]


def _runtime(app: Sphinx, doc: str) -> str:
    from myst_nb.sphinx_ import NbMetadataCollector

    data = NbMetadataCollector.get_exec_data(app.env, doc) if doc in app.env.all_docs else None
    runtime = (data or {}).get("runtime")
    return "—" if runtime is None else f"{fmt(runtime, 1)} s"


def _time_rows(app: Sphinx, fromdoc: str) -> list[list[nodes.Node]]:
    exercises, words = getattr(app.env, STORE, {}), getattr(app.env, WORDS, {})
    rows = []
    for doc in _reading_order(app):
        k = len(exercises.get(doc, []))
        if not k:  # the planning table is about chapters with exercises
            continue
        reading = max(5, 5 * math.ceil(words.get(doc, 0) / WORDS_PER_MINUTE / 5))
        rows.append([_doc_link(app, fromdoc, doc, "", nodes.Text(_title(app, doc))),
                     nodes.Text(str(words.get(doc, 0))), nodes.Text(f"{reading} min"),
                     nodes.Text(str(k)), nodes.Text(f"{k * MINUTES_PER_EXERCISE} min"),
                     nodes.Text(_runtime(app, doc))])
    return rows


def fill_tables(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: fill in ``{exercise-table}`` and ``{chapter-times}``."""
    for placeholder in list(doctree.findall(exercise_table)):
        placeholder.replace_self(_table(
            ["Exercise", "Chapter", "Difficulty (1–3)", "Practises"], (28, 18, 10, 44),
            _exercise_rows(app, docname), {2}, "exercise-table"))
    for placeholder in list(doctree.findall(chapter_times)):
        placeholder.replace_self(_table(
            ["Chapter", "Words", "Reading (est.)", "Exercises", "Exercise time (est.)",
             "Runs in (measured)"], (30, 12, 14, 12, 16, 16),
            _time_rows(app, docname), {1, 2, 3, 4, 5}, "chapter-times"))


def setup(app: Sphinx) -> None:
    app.add_node(exercise_table)
    app.add_node(chapter_times)
    app.add_directive("exercise-table", ExerciseTable)
    app.add_directive("chapter-times", ChapterTimes)
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-resolved", fill_tables)
