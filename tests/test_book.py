"""The whole book builds warning-free, and a broken chapter fails the build loudly."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from booktools import HEADER, ROOT, toc_files

BUILD = [sys.executable, "-m", "tools.book.build"]



@pytest.fixture(scope="session")
def built_book():
    """Build the real book into _build/html exactly as `make book` does."""
    proc = subprocess.run(BUILD, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, f"book build failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
    return ROOT / "_build" / "html"


@pytest.mark.book
def test_every_toc_page_is_built(built_book):
    for src in toc_files():
        rel = src.relative_to(ROOT).with_suffix(".html")
        page = built_book / rel
        assert page.is_file(), f"{rel} missing from the build"
        html = page.read_text(encoding="utf-8")
        assert "Traceback" not in html, f"{rel} shows a traceback"


def _mini_book(tmp_path, chapter_body: str):
    for name in ("_config.yml", "references.bib"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/index\n"
                                       "chapters:\n  - file: book/broken\n")
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "index.md").write_text("# A tiny book\n\nIt has one chapter.\n")
    (tmp_path / "book" / "broken.md").write_text(HEADER + "# Broken\n\n" + chapter_body)
    return subprocess.run(BUILD + ["--source", str(tmp_path), "--jobs", "1"], cwd=ROOT,
                          capture_output=True, text=True)


@pytest.mark.book
@pytest.mark.slow
def test_a_cell_exception_fails_the_build_naming_chapter_and_cell(tmp_path):
    body = ("```{code-cell} ipython3\nx = 1\n```\n\n"
            "```{code-cell} ipython3\nraise RuntimeError('boom in the second cell')\n```\n")
    proc = _mini_book(tmp_path, body)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1
    assert "broken.md" in out
    assert "raise RuntimeError('boom in the second cell')" in out
    assert "BOOK BUILD FAILED" in out


@pytest.mark.book
@pytest.mark.slow
def test_a_sphinx_warning_fails_the_build(tmp_path):
    body = "A reference to {ref}`a-label-that-does-not-exist`.\n"
    proc = _mini_book(tmp_path, body)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1
    assert "a-label-that-does-not-exist" in out
