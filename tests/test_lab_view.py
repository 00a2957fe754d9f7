"""blina.lab's display step, without a browser: citations as author-year text, gated solutions
folded, and the exact MyST source back on save."""

from __future__ import annotations

import copy

import jupytext
from booktools import ROOT, executable_chapters

from blina import lab


def _bib():
    return lab.bibliography(ROOT / "references.bib")


def test_citations_read_as_author_year():
    bib = _bib()
    assert bib["yin2024"] == ("Yin et al.", "2024")
    assert lab.readable_markdown("the paper {cite:p}`yin2024` says", bib) == (
        "the paper (Yin et al., 2024) says")
    assert lab.readable_markdown("{cite}`yin2024` say", bib) == "Yin et al. (2024) say"
    assert lab.cite_text("nokey", "p", bib) == "([nokey])"


def test_a_chapter_is_folded_for_display_and_restored_exactly_on_save():
    bib = _bib()
    chapter = ROOT / "book" / "response.md"
    notebook = jupytext.read(chapter)
    original = copy.deepcopy(notebook)
    spans = lab.solution_spans(notebook.cells)
    assert len(spans) == 4
    lab.for_display(notebook, bib)
    shown = [notebook.cells[start].source for start, _ in spans]
    assert shown == [f"###### Solution to Exercise {n}" for n in (1, 2, 3, 4)]
    assert all(notebook.cells[s].metadata[lab.COLLAPSED] is True for s, _ in spans)
    assert all(notebook.cells[e].source == "###### End of the solution" for _, e in spans)
    assert "(Yin et al., 2024)" in notebook.cells[0].source
    lab.for_saving(notebook, bib)
    assert notebook == original
    assert jupytext.writes(notebook, fmt="md:myst") == jupytext.writes(original, fmt="md:myst")


def test_every_chapter_survives_the_round_trip():
    bib = _bib()
    for chapter in executable_chapters():
        notebook = jupytext.read(chapter)
        before = jupytext.writes(notebook, fmt="md:myst")
        lab.for_saving(lab.for_display(notebook, bib), bib)
        assert jupytext.writes(notebook, fmt="md:myst") == before, chapter.name


def test_an_edited_cell_keeps_the_trainees_text():
    bib = _bib()
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {},
                           "source": "As {cite:p}`yin2024` report."}]}
    lab.for_display(notebook, bib)
    notebook["cells"][0]["source"] = "My own note."
    lab.for_saving(notebook, bib)
    assert notebook["cells"][0] == {"cell_type": "markdown", "metadata": {},
                                    "source": "My own note."}


def test_configure_writes_the_viewer_and_the_contents_manager(tmp_path):
    import json

    lab_file, server_file = lab.configure(tmp_path)
    viewers = json.loads(lab_file.read_text())["@jupyterlab/docmanager-extension:plugin"]
    assert viewers["defaultViewers"]["markdown"] == "Jupytext Notebook"
    assert json.loads(server_file.read_text()) == {
        "ServerApp": {"contents_manager_class": "blina.lab.BookContentsManager"}}
