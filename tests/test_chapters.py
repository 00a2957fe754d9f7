"""Every chapter runs top to bottom in a fresh kernel and none of its cells raises."""

from __future__ import annotations

import json

import jupytext
import pytest
from booktools import ROOT, executable_chapters
from nbclient import NotebookClient

CHAPTERS = executable_chapters()


def test_the_book_has_executable_chapters():
    assert len(CHAPTERS) >= 1


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[str(p.relative_to(ROOT)) for p in CHAPTERS])
def test_chapter_executes_in_a_fresh_kernel(chapter, tmp_path, monkeypatch):
    log = tmp_path / "checks.jsonl"
    monkeypatch.setenv("BLINA_CHECK_LOG", str(log))  # the kernel inherits it
    nb = jupytext.read(chapter)
    assert any(c.cell_type == "code" for c in nb.cells), f"{chapter.name} has no code cells"
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(chapter.parent)}})
    client.execute()  # raises CellExecutionError naming the cell on any exception
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    # every worked solution passes its own self-check: the answer key is not stale
    verdicts = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] \
        if log.is_file() else []
    solved = [v for v in verdicts if v["verdict"] != "unanswered"]
    assert [v for v in solved if v["verdict"] != "right"] == []
