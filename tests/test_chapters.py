"""Every chapter runs top to bottom in a fresh kernel and none of its cells raises."""

from __future__ import annotations

import jupytext
import pytest
from booktools import ROOT, executable_chapters
from nbclient import NotebookClient

CHAPTERS = executable_chapters()


def test_the_book_has_executable_chapters():
    assert len(CHAPTERS) >= 1


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[str(p.relative_to(ROOT)) for p in CHAPTERS])
def test_chapter_executes_in_a_fresh_kernel(chapter):
    nb = jupytext.read(chapter)
    assert any(c.cell_type == "code" for c in nb.cells), f"{chapter.name} has no code cells"
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(chapter.parent)}})
    client.execute()  # raises CellExecutionError naming the cell on any exception
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
