"""The PDF edition (``make pdf``): it builds, and it has one chapter per page of the book."""

from __future__ import annotations

import os
import shutil

import pytest
from booktools import ROOT, toc_files
from conftest import missing

from tools.book.pdf import PDF_NAME, TEX_TOOLS, build_pdf, page_count, pdf_chapters

pytestmark = [pytest.mark.book, pytest.mark.slow]


def _title(path) -> str:
    return next(line[2:].strip() for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith("# "))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    absent = [tool for tool in TEX_TOOLS if shutil.which(tool) is None]
    if absent:
        missing(f"the PDF edition needs TeX Live ({', '.join(absent)} not on PATH): see "
                "tools/book/pdf.py for the Debian packages")
    out = tmp_path_factory.mktemp("pdf")
    assert build_pdf(ROOT, out, max(1, min(2, os.cpu_count() or 1))) == 0
    return out / PDF_NAME


def test_the_pdf_is_written_whole(pdf):
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert not list(pdf.parent.glob(".*.partial"))
    assert page_count(ROOT / "_build" / "latex" / PDF_NAME.replace(".pdf", ".log")) > 60


def test_the_pdf_has_one_chapter_per_page_of_the_book(pdf):
    chapters = pdf_chapters(ROOT / "_build" / "latex" / PDF_NAME.replace(".pdf", ".toc"))
    expected = [_title(path) for path in toc_files()[1:]]  # the front page is front matter
    assert chapters == expected


def test_the_pdf_keeps_figures_tables_and_math(pdf):
    tex = (ROOT / "_build" / "latex" / PDF_NAME.replace(".pdf", ".tex")).read_text(
        encoding="utf-8")
    assert tex.count("\\sphinxincludegraphics") >= 15  # every figure of the book
    tables = sum(tex.count(f"\\begin{{{kind}}}") for kind in ("longtable", "tabulary",
                                                                  "tabular"))
    assert tables >= 40
    assert "\\hat S(t) = \\prod" in tex  # the Kaplan-Meier formula as LaTeX
    assert "IPython.core.display" not in tex and "dtype:" not in tex
    log = (ROOT / "_build" / "latex" / PDF_NAME.replace(".pdf", ".log")).read_text(
        encoding="utf-8", errors="replace")
    assert "Missing character" not in log
