"""Trainee delivery: Binder launch buttons from one repository URL, .ipynb downloads, and pages
that load nothing from the network (MathJax served by the book, no thebe, a favicon).

A tiny copy of the book (the real _config.yml and references.bib, a one-chapter TOC) is built
twice with ``tools.book.build``'s ``build()``: once as configured (no repository URL), once
with ``repository.url`` and ``repository.branch`` set in the copied _config.yml.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from booktools import HEADER, ROOT

from tools.book.build import build
from tools.book.ext import accessible

pytestmark = pytest.mark.slow  # two tiny books built

OWNER, REPO, BRANCH = "example-org", "blina-book", "teaching"
CHAPTER = "book/alpha"  # the one chapter of the tiny book (a MyST notebook)
CHAPTER_MD = HEADER + textwrap.dedent("""\

    # Alpha

    The Kaplan-Meier product $\\hat S(t) = \\prod_{t_i \\le t} (1 - d_i / n_i)$ needs MathJax.

    ```{code-cell} ipython3
    import blina
    print("alpha-output", 6 * 7)
    ```
    """)


def _tiny_book(root: Path, repo_url: str | None) -> Path:
    """Write the tiny book under ``root`` and build it; return its HTML folder."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    if repo_url is not None:
        config["repository"]["url"] = repo_url
        config["repository"]["branch"] = BRANCH
    (root / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    shutil.copy(ROOT / "references.bib", root / "references.bib")
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: book/index\nchapters:\n"
                                   f"  - file: {CHAPTER}\n", encoding="utf-8")
    (root / "book").mkdir()
    (root / "book" / "index.md").write_text("# A tiny book\n\nOne chapter.\n", encoding="utf-8")
    (root / f"{CHAPTER}.md").write_text(CHAPTER_MD, encoding="utf-8")
    out = root / "_build" / "html"
    assert build(root, out, 1) == 0, "the tiny book did not build"
    return out


REREAD = "A sentence added after the first build."


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    """The tiny book built with _config.yml as committed (repository.url empty), then rebuilt
    after a text-only edit, so the chapter is re-read with its outputs from the execution
    cache (the case where myst-nb writes its executed notebook without outputs)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert not config["repository"]["url"], "these tests assume no URL is committed yet"
    root = tmp_path_factory.mktemp("plain")
    out = _tiny_book(root, None)
    with open(root / f"{CHAPTER}.md", "a", encoding="utf-8") as chapter:
        chapter.write(f"\n{REREAD}\n")
    assert build(root, out, 1) == 0, "the tiny book did not rebuild"
    assert REREAD in _html(out, CHAPTER), "the edited chapter was not rebuilt"
    return out


@pytest.fixture(scope="module")
def with_url(tmp_path_factory) -> Path:
    return _tiny_book(tmp_path_factory.mktemp("with-url"), f"https://github.com/{OWNER}/{REPO}")


def _html(out: Path, page: str) -> str:
    return (out / f"{page}.html").read_text(encoding="utf-8")


def _pages(out: Path) -> list[Path]:
    return [p for p in out.rglob("*.html") if "_static" not in p.parts]


# ---------------------------------------------------------------- launch buttons

def test_without_a_repository_url_no_page_has_a_launch_button(plain):
    for page in _pages(plain):
        html = page.read_text(encoding="utf-8")
        assert "mybinder" not in html and "/v2/gh/" not in html, page
        assert "launch-buttons" not in html, f"{page} shows a launch menu"


def test_with_a_repository_url_each_chapter_launches_itself_on_binder(with_url):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    hub = config["launch_buttons"]["binderhub_url"].rstrip("/")
    assert config["launch_buttons"]["notebook_interface"] == "jupyterlab"
    expected = f"{hub}/v2/gh/{OWNER}/{REPO}/{BRANCH}?urlpath=lab/tree/{CHAPTER}.md"
    links = re.findall(r'href="([^"]*/v2/gh/[^"]*)"', _html(with_url, CHAPTER))
    assert links == [expected]
    # the landing page is no notebook: nothing to launch there
    assert "/v2/gh/" not in _html(with_url, "book/index")


def test_the_repository_url_is_configured_in_one_place_only():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx_config = config.get("sphinx", {}).get("config", {})
    assert "repository_url" not in json.dumps(sphinx_config)
    assert "thebe_config" not in sphinx_config
    for key, value in config["launch_buttons"].items():
        assert "github.com" not in str(value), f"launch_buttons.{key} names a repository"


# ---------------------------------------------------------------- downloads

@pytest.mark.parametrize("build", ["plain", "with_url"])  # plain: re-read from the cache
def test_each_chapter_offers_its_executed_notebook_for_download(build, request):
    out = request.getfixturevalue(build)
    html = _html(out, CHAPTER)
    assert f'href="../_sources/{CHAPTER}.ipynb"' in html
    notebook = json.loads((out / "_sources" / f"{CHAPTER}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert len(code) == 1 and "import blina" in "".join(code[0]["source"])
    printed = "".join("".join(o.get("text", "")) for o in code[0]["outputs"])
    assert printed == "alpha-output 42\n"


# ---------------------------------------------------------------- offline pages

REMOTE = re.compile(
    r'<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)="((?:https?:)?//[^"]+)"')
REMOTE_CSS = re.compile(r"url\(\s*['\"]?(https?:)?//")


def test_no_page_loads_a_script_style_font_or_image_from_the_network(plain, with_url):
    for out in (plain, with_url):
        for page in _pages(out):
            html = page.read_text(encoding="utf-8")
            assert REMOTE.findall(html) == [], page
            assert "cdn.jsdelivr" not in html and "unpkg.com" not in html, page
        for sheet in (out / "_static").rglob("*.css"):
            assert not REMOTE_CSS.search(sheet.read_text(errors="ignore")), sheet


def test_mathjax_is_served_by_the_book_with_its_fonts(plain):
    html = _html(plain, CHAPTER)
    scripts = re.findall(r'<script[^>]*src="([^"?]*mathjax[^"?]*)(?:\?v=[0-9a-f]+)?"', html)
    assert scripts == ["../_static/mathjax/tex-mml-chtml.js"]
    mathjax = plain / "_static" / "mathjax"
    assert (mathjax / "tex-mml-chtml.js").stat().st_size > 500_000
    fonts = {p.name for p in (mathjax / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff")}
    assert {"MathJax_Main-Regular.woff", "MathJax_Math-Italic.woff"} <= fonts
    assert (mathjax / "input" / "tex" / "extensions" / "color.js").is_file()  # autoload target


def test_no_thebe_scripts_so_no_duplicate_thebe_declaration(plain, with_url):
    for out in (plain, with_url):
        for page in _pages(out):
            html = page.read_text(encoding="utf-8")
            assert html.count("THEBE_JS_URL") == 0, page
            assert "sphinx-thebe.js" not in html and "text/x-thebe-config" not in html, page


def test_pages_name_a_favicon_and_a_default_colour_mode(plain):
    html = _html(plain, "book/index")
    assert '<link rel="icon" href="../_static/favicon.svg"/>' in html
    assert (plain / "_static" / "favicon.svg").is_file()
    assert 'localStorage.getItem("mode") || "light"' in html


# ---------------------------------------------------------------- Binder

def test_binder_opens_markdown_chapters_as_notebooks(tmp_path):
    """repo2docker runs ./postBuild; it must make .md (MyST) files open as Jupytext notebooks."""
    post_build = ROOT / "postBuild"
    assert post_build.is_file() and os.access(post_build, os.X_OK)
    assert not (ROOT / "binder").exists(), "a binder/ folder would make Binder ignore the root"
    env = {"HOME": str(tmp_path), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    subprocess.run(["bash", str(post_build)], env=env, check=True, capture_output=True)
    overrides = tmp_path / ".jupyter" / "labconfig" / "default_setting_overrides.json"
    viewers = json.loads(overrides.read_text())["@jupyterlab/docmanager-extension:plugin"]
    assert viewers["defaultViewers"] == {"markdown": "Jupytext Notebook",
                                         "myst": "Jupytext Notebook"}


def test_the_root_redirect_is_a_complete_page_that_requests_no_icon(plain):
    root = (plain / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in root and "<title>" in root
    assert '<meta http-equiv="Refresh" content="0; url=book/index.html">' in root
    assert '<link rel="icon" href="data:,">' in root  # no /favicon.ico request (404)


def test_accessibility_patches_of_theme_markup():
    page = ('<button class="btn search-button-field search-button__button pst-js-only" '
            'title="Search" aria-label="Search" data-bs-toggle="tooltip">'
            '<button class="btn btn-sm pst-navbar-icon search-button" title="Search" '
            'aria-label="Search">'
            '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i>'
            '<div role="list" class="citation-list">')
    fixed = accessible(page)
    # the text-bearing search field loses its label; the icon-only button keeps it
    assert fixed.count('aria-label="Search"') == 1
    assert 'pst-navbar-icon search-button" title="Search" aria-label="Search"' in fixed
    assert 'title="Light"' not in fixed and 'data-mode="light"' in fixed
    assert '<div class="citation-list">' in fixed
    assert accessible(fixed) == fixed
