"""What a reader meets besides the numbers: searchable decimals, one citation style, exercise
metadata, the footer's edition, how to get the source, the PDF's parts, citation metadata and
chapter sources an instructor can print (static checks; the built pages are checked by
tests/test_browser.py, the PDF by tests/test_pdf.py)."""

from __future__ import annotations

import datetime
import re

import yaml
from booktools import ROOT, toc_files
from pybtex.database import parse_string

import blina
from tools.book import citations
from tools.book.exercises import META
from tools.book.ext import edition, repository_source
from tools.book.pdf import page_count, pdf_chapters
from tools.book.search import NumberSearch

CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)
EXERCISE = re.compile(r"^(`{3,}|:{3,})\{exercise\}[^\n]*\n(.*?)^\1\s*$", re.S | re.M)


def test_decimal_numbers_are_single_search_words():
    search = NumberSearch({})
    assert search.split("two-year OS of 82.62% (95% CI 63.14–92.37)") == [
        "two", "year", "OS", "of", "82.62", "95", "CI", "63.14", "92.37"]
    assert search.split("p = 0.0129") == ["p", "0.0129"]
    # the query splitter Sphinx writes into language_data.js keeps them together too
    assert r"(\d+(?:[.,]\d+)+)" in NumberSearch.js_splitter_code


def test_bibliography_labels_are_the_citations_author_year():
    bib = parse_string((ROOT / "references.bib").read_text(encoding="utf-8"), "bibtex")
    labels = {key: citations.author_year(entry) for key, entry in bib.entries.items()}
    assert labels["yin2024"] == "Yin et al., 2024"
    assert labels["clopper1934"] == "Clopper and Pearson, 1934"
    assert labels["kaplan1958"] == "Kaplan and Meier, 1958"
    assert labels["mantel1966"] == "Mantel, 1966"
    assert labels["debont2004"] == "de Bont et al., 2004"
    assert len(set(labels.values())) == len(labels), "two works would share a label"
    citations.register()
    from pybtex.plugin import find_plugin

    style = find_plugin("pybtex.style.formatting", citations.STYLE)()
    entries = [bib.entries["mantel1966"], bib.entries["yin2024"]]
    assert list(style.label_style.format_labels(entries)) == ["Mantel, 1966",
                                                             "Yin et al., 2024"]


def test_every_exercise_opens_with_its_metadata_line():
    found = 0
    for path in toc_files():
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^````markdown\n.*?^````$", "", text, flags=re.S | re.M)  # examples
        for _, body in EXERCISE.findall(text):
            lines = [line for line in body.splitlines() if line.strip()]
            assert lines[0].startswith(":label: ex-"), (path.name, lines[0])
            assert META.match(lines[1]), f"{path.name} {lines[0]}: {lines[1]!r}"
            found += 1
    assert found == 29


def test_code_cells_fit_a_printed_page():
    """Code lines of at most 80 characters: no horizontal scroll on a page or in the PDF."""
    long = [f"{path.name}: {line}" for path in toc_files()
            for cell in CODE_CELL.findall(path.read_text(encoding="utf-8"))
            for line in cell.splitlines() if len(line) > 80]
    assert not long, "\n".join(long)


def test_footer_edition_names_the_version_and_date():
    assert edition(datetime.date(2026, 12, 1)) == f"blina book {blina.__version__} · built " \
                                                 "2026-12-01"


def test_how_to_get_the_source_follows_the_repository_url():
    none = repository_source("")
    assert "No public address of the repository is configured" in none
    assert "`repository.url` in `_config.yml` is empty" in none
    assert "make book" in none and "make test" in none and "git clone" not in none
    url = "https://github.com/example-org/blina-book"
    some = repository_source(url + "/")
    assert f"<{url}>" in some and f"git clone {url}\ncd blina-book\nmake book" in some


def test_citation_metadata_matches_the_package():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == blina.__version__
    assert cff["license"] == "MIT" and (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert cff["title"] == yaml.safe_load((ROOT / "_config.yml").read_text())["title"] \
        .replace("replication book", "replication and teaching book")
    paper = cff["references"][0]
    assert paper["doi"] == "10.1002/cam4.70515" and paper["year"] == 2024
    assert [a["family-names"] for a in paper["authors"]] == ["Yin", "Cai", "Qian", "Liu", "Li"]


def test_pdf_log_and_contents_are_read(tmp_path):
    log = tmp_path / "book.log"
    log.write_text("...\nOutput written on book.xdv (10 pages, 1 bytes).\n"
                   "Output written on book.pdf (121 pages).\n")
    assert page_count(log) == 121
    toc = tmp_path / "book.toc"
    toc.write_text("\\contentsline {chapter}{\\numberline {1}Background}{3}{chapter.1}%\n"
                   "\\contentsline {section}{\\numberline {1.1}B-ALL}{3}{section.1.1}%\n"
                   "\\contentsline {chapter}{\\numberline {2}Patients and methods}{9}{x}%\n"
                   "\\contentsline {chapter}{Bibliography}{121}{chapter*.2}%\n")
    assert pdf_chapters(toc) == ["Background", "Patients and methods", "Bibliography"]
