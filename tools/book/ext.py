"""Sphinx extension for the book: offline pages, launch buttons from one URL, .ipynb downloads.

Loaded through ``sphinx.extra_extensions: [tools.book.ext]`` in ``_config.yml``;
``tools/book/build.py`` puts the repository root on ``PYTHONPATH`` for ``sphinx-build``.

1. **MathJax from the book, not a CDN.**  Sphinx's default ``mathjax_path`` is a jsDelivr URL, so
   math fails offline.  The MathJax 3.2.2 files come from the PyPI package
   ``sphinx-mathjax-offline`` (pinned in environment.yml; MathJax is Apache-2.0); when the
   builder starts, the parts a page can load (``tex-mml-chtml.js``, the CHTML woff-v2 fonts, the
   TeX extensions that ``autoload`` may fetch, the menu and accessibility components) are copied
   to ``_static/mathjax/`` and ``mathjax_path`` points there.
2. **No thebe unless asked for.**  Jupyter Book always loads ``sphinx_thebe``, whose
   ``env-before-read-docs`` handler calls ``app.add_js_file`` with an inline
   ``const THEBE_JS_URL = ...``; Sphinx 7.4 registers such a file both in the registry and on the
   already-initialised builder, so every page declares the constant twice and the browser
   reports ``SyntaxError: Identifier 'THEBE_JS_URL' has already been declared``.  While
   ``launch_buttons.thebe`` is off, the extension disconnects sphinx-thebe's handlers, so no
   thebe script (and no thebe CDN address) is emitted at all.
3. **Launch buttons only with a real repository.**  The repository URL lives in exactly one
   place, ``repository.url`` in ``_config.yml``.  While it is empty, every launch provider is
   removed from the theme options, so no launch button (and no made-up address) is rendered;
   sphinx-book-theme would otherwise fail on the missing repository.  With a GitHub URL the theme
   forms ``<binderhub>/v2/gh/<owner>/<repo>/<branch>?urlpath=lab/tree/<path to chapter>``.
4. **A favicon** (``book/_static/favicon.svg``) unless ``html.favicon`` is set, so browsers do
   not request a missing ``/favicon.ico`` (a 404 in the console of every page).
5. **Every notebook chapter offers an ``.ipynb`` download.**  sphinx-book-theme copies the
   executed notebook to ``_sources/`` only when a launch provider is configured; this extension
   does it for every notebook page, so the download button offers ``.ipynb`` either way, with
   the outputs merged from the execution cache (see :func:`_ipynb_write`).
6. **Parallel builds pass ``-W``**: two extensions Jupyter Book loads are declared parallel-safe
   (see :data:`PARALLEL_SAFE`).
7. **A complete root ``index.html``**: the redirect to the landing page gets a title, a
   language and an empty inline icon (see :func:`_complete_redirect`).
8. **No serious accessibility violations from the theme** (axe-core): each written page is
   patched (see :data:`A11Y_FIXES`): the search buttons' ``aria-label="Search"`` hides their
   visible text ("Search Ctrl+K", axe ``label-content-name-mismatch``), so it is dropped and
   the visible text names the button; the theme-switch icons' ``title`` makes FontAwesome
   render labelled SVGs inside a labelled button (same rule), so the titles are dropped; and
   docutils' ``role="list"`` on ``.citation-list`` has no ``listitem`` children (axe
   ``aria-required-children``), so the role is dropped.
9. **The execution cache exists before chapters execute in parallel** (see
   :func:`_create_execution_cache`), so that two chapters executing at once cannot both try to
   create its database.
10. **A cached execution counts only while what the chapter read is unchanged** (data files,
    package modules; see :mod:`tools.book.reads`): before reading, cache records whose
    manifest is missing or stale are removed and their chapters re-read
    (:func:`_drop_stale_executions`), and so are pages whose record another build sharing the
    cache replaced since this output read them (:func:`_remember_records`: the PDF edition,
    a test's book); each chapter's kernel is told where to write its
    manifest (:func:`_expect_reads`) and a manifest of an execution that was cached is kept
    beside its record (:func:`_keep_reads`).  Active when ``tools/book/build.py`` sets
    ``$BLINA_BOOK_INPUTS``.
11. **Reproducible downloads**: the ``.ipynb`` written for download has cell ids derived from
    the page name and cell position and no execution timestamps, so a rebuild writes the same
    bytes (see :func:`reproducible_notebook`).
12. **The book's own styles and scripts** from ``book/_static``: ``blina.css`` (wrapped
    tables, readable captions in dark mode, exercise metadata) and ``blina-search.js``
    (search snippets without TeX source).
13. **Edition and date in every page's footer**: the ``blina`` package version and the build
    date (``SOURCE_DATE_EPOCH`` if set, for reproducible builds), see :func:`edition`.
14. **How to get the source**, from the one repository URL: the substitution
    ``{{ repository_source }}`` (used on the front page) says plainly that no address is
    configured while ``repository.url`` is empty, and links the repository once it is set
    (see :func:`repository_source`).
15. **Numbers are searchable** (:mod:`tools.book.search`), **one citation style**
    (:mod:`tools.book.citations`, ``bibtex_default_style: blina``) and **exercise metadata**
    with the instructors' table of exercises (:mod:`tools.book.exercises`).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import html
import importlib.util
import os
import re
import shutil
from pathlib import Path

import nbformat
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from tools.book import citations, exercises, reads, search

#: the MathJax combined component the pages load (Sphinx's default: TeX + MathML in, CHTML out)
MATHJAX_ENTRY = "tex-mml-chtml.js"
#: what of the MathJax distribution is copied into ``_static/mathjax`` (relative paths)
MATHJAX_PARTS = (MATHJAX_ENTRY, "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui",
                 "a11y", "adaptors")
STATIC = Path(__file__).resolve().parents[2] / "book" / "_static"
FAVICON = STATIC / "favicon.svg"
#: the book's own files in :data:`STATIC`, added to every page
CSS_FILES = ("blina.css",)
JS_FILES = ("blina-search.js",)
LAUNCH_PROVIDERS = ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url",
                    "jupyterlite_url", "thebe")


def mathjax_source() -> Path:
    """Folder of the MathJax 3 distribution shipped by the ``sphinx-mathjax-offline`` package."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError("MathJax is served from the book: install the pinned "
                             "'sphinx-mathjax-offline' package (environment.yml, `make venv`)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"
    if not (folder / MATHJAX_ENTRY).is_file():
        raise ExtensionError(f"{folder / MATHJAX_ENTRY} is missing")
    return folder


def copy_mathjax(outdir: Path) -> Path:
    """Copy the MathJax parts a page may request into ``outdir/_static/mathjax``."""
    src, dest = mathjax_source(), Path(outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        if (src / part).is_dir():
            shutil.copytree(src / part, dest / part, dirs_exist_ok=True)
        else:
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src / part, dest / part)
    return dest


def edition(today: datetime.date | None = None) -> str:
    """The footer line: ``"blina book 0.1.0 · built 2026-12-01"``."""
    import blina

    if today is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        today = (datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date() if epoch
                 else datetime.datetime.now(datetime.UTC).date())
    return f"blina book {blina.__version__} · built {today.isoformat()}"


#: the file name of the PDF edition
PDF_NAME = "blina-book.pdf"
#: LaTeX preamble of the PDF edition.  sphinx-jupyterbook-latex (loaded by Jupyter Book for its
#: LaTeX structure: the front page as front matter, one chapter per table-of-contents entry)
#: brings a document class, jupyterBook.cls, that requires bbm.sty, which Debian ships only in
#: texlive-fonts-extra (1.4 GB installed).  The book uses Sphinx's own "manual" class instead
#: and defines here the two environments that the extension wraps code cells in (as that class
#: does: a grey input box, an indented output), with changepage's adjustwidth.  Also: the
#: verdict marks ✔ and ✘ from DejaVu Sans (FreeSerif Bold and FreeMono have no ✘); and the
#: bibliography without a second chapter heading, as the bibliography page is a chapter already.
LATEX_PREAMBLE = r"""
\usepackage[strict]{changepage}
\usepackage{newunicodechar}
\newfontfamily\blinamarks{DejaVu Sans}
\newunicodechar{✔}{{\blinamarks ✔}}
\newunicodechar{✘}{{\blinamarks ✘}}
\renewenvironment{sphinxthebibliography}[1]
  {\begingroup\def\chapter##1##2{}\begin{thebibliography}{#1}}
  {\end{thebibliography}\endgroup}
\definecolor{CodeBlockInputBorderColor}{RGB}{204,204,204}
\definecolor{CodeBlockInputColor}{RGB}{247,247,247}
\definecolor{CodeBlockOutputBorderColor}{RGB}{247,247,247}
\definecolor{CodeBlockOutputColor}{RGB}{252,252,252}
\newenvironment{sphinxVerbatimInput}
  {\colorlet{VerbatimBorderColor}{CodeBlockInputBorderColor}%
   \colorlet{VerbatimColor}{CodeBlockInputColor}\begin{adjustwidth}{5pt}{}}
  {\end{adjustwidth}}
\newenvironment{sphinxVerbatimOutput}
  {\colorlet{VerbatimBorderColor}{CodeBlockOutputBorderColor}%
   \colorlet{VerbatimColor}{CodeBlockOutputColor}\begin{adjustwidth}{20pt}{}}
  {\end{adjustwidth}}
"""
#: the commands that build and test the book, shown on the front page
RUN_COMMANDS = ("make book    # build this book into _build/html, executing every chapter\n"
                "make test    # run the test suite, including a full build of the book")


def repository_source(url: str) -> str:
    """Markdown saying where the source is and how to run it (``{{ repository_source }}``)."""
    url = url.strip().rstrip("/")
    if not url:
        return ("No public address of the repository is configured for this copy of the book "
                "(`repository.url` in `_config.yml` is empty), so it cannot tell you where to "
                "clone it from. In a copy of the repository's files, on a machine with Python "
                "3.11, `git` and `make`, run these two commands in the top folder:\n\n"
                f"```text\n{RUN_COMMANDS}\n```\n")
    folder = url.rsplit("/", 1)[-1].removesuffix(".git")
    return (f"The source of this book is at <{url}>. On a machine with Python 3.11, `git` and "
            "`make`, clone it and run the two commands in its top folder:\n\n"
            f"```text\ngit clone {url}\ncd {folder}\n{RUN_COMMANDS}\n```\n")


def _configure(app: Sphinx, config) -> None:
    """config-inited: local MathJax; drop launch providers while no repository URL is set;
    the book's static files, footer and repository substitution."""
    if str(config.mathjax_path).startswith(("http://", "https://", "//")):
        config.mathjax_path = f"mathjax/{MATHJAX_ENTRY}"
    mathjax_source()  # fail early, with the fix in the message, if the files are missing
    if not config.html_favicon:  # else every browser requests /favicon.ico and logs a 404
        config.html_favicon = str(FAVICON)
    options = config.html_theme_options
    launch = dict(options.get("launch_buttons") or {})
    url = str(options.get("repository_url") or "")
    if not url.strip():
        for key in LAUNCH_PROVIDERS:
            launch.pop(key, None)
    options["launch_buttons"] = launch
    if not str(options.get("extra_footer") or "").strip():
        options["extra_footer"] = f'<p class="blina-edition">{html.escape(edition())}</p>'
    if str(STATIC) not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, str(STATIC)]
    config.myst_substitutions = {**config.myst_substitutions,
                                 "repository_source": repository_source(url)}
    # the PDF edition (tools/book/pdf.py): one document from the root page, named after the
    # package (Sphinx would derive the file name from the title)
    # (Sphinx's "manual" class rather than sphinx-jupyterbook-latex's, see LATEX_PREAMBLE)
    config.latex_documents = [(config.root_doc, PDF_NAME.replace(".pdf", ".tex"),
                               config.html_title or config.project, config.author,
                               "manual")]
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + LATEX_PREAMBLE
    elements["printindex"] = ""  # the book has no index entries: no empty "Index" chapter
    config.latex_elements = elements


#: extensions Jupyter Book loads that do not declare parallel safety, and why they are safe
PARALLEL_SAFE = {
    # only replaces TocTreeCollector.assign_section_numbers, which runs in the main process
    # after the parallel read (loaded by sphinx-external-toc whatever use_multitoc_numbering says)
    "sphinx_multitoc_numbering",
    # its transforms and events act only for the LaTeX builder; for HTML they return at once
    "sphinx_jupyterbook_latex",
}


def _declare_parallel_safe(app: Sphinx, config) -> None:
    """config-inited: declare :data:`PARALLEL_SAFE` parallel-safe.

    Undeclared, ``sphinx-build -j 2`` on more than five pages warns "the ... extension does not
    declare if it is safe for parallel reading" and ``-W`` fails the whole build.
    """
    for name in PARALLEL_SAFE:
        extension = app.extensions.get(name)
        if extension is not None:
            extension.parallel_read_safe = True
            extension.parallel_write_safe = True


def _drop_thebe(app: Sphinx) -> None:
    """builder-inited: disconnect sphinx-thebe's script and doctree handlers unless thebe is on."""
    launch = app.config.html_theme_options.get("launch_buttons") or {}
    if launch.get("thebe"):
        return
    for event in ("env-before-read-docs", "doctree-resolved"):
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)


def _executed_notebook(app: Sphinx, pagename: str, context) -> Path | None:
    """``jupyter_execute/<page>.ipynb`` for a notebook page written in MyST Markdown."""
    metadata = app.env.metadata.get(pagename, {})
    if "kernelspec" not in metadata or not str(context.get("sourcename", "")).endswith(".md"):
        return None
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    return executed if executed.is_file() else None


def _ipynb_download(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """html-page-context (before the theme's buttons): offer ``_sources/<page>.ipynb``."""
    if _executed_notebook(app, pagename, context) is not None:
        context["ipynb_source"] = f"{pagename}.ipynb"


def _ipynb_write(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """html-page-context (after the theme, which may copy the file too): write the notebook.

    myst-nb 1.4 writes ``jupyter_execute/<page>.ipynb`` *without outputs* when the page is
    re-read from the execution cache (it merges the outputs into a copy that it then drops),
    so the outputs are merged here from the same cache.
    """
    executed = _executed_notebook(app, pagename, context)
    if executed is None:
        return
    notebook = nbformat.read(executed, as_version=4)
    cache = _execution_cache(app)
    if cache is not None:
        from jupyter_cache import get_cache

        with contextlib.suppress(KeyError):
            _, notebook = get_cache(str(cache)).merge_match_into_notebook(notebook)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(reproducible_notebook(notebook, pagename), target)


#: cell metadata that records when or how long a cell ran (differs on every execution)
TIMING_METADATA = ("execution",)


def reproducible_notebook(notebook, name: str):
    """``notebook`` with the same bytes whenever its content is the same: cell ``id`` ``i`` is
    ``<sha1(name)[:8]>-<i>`` (nbformat draws random ids) and timing metadata is dropped."""
    stem = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    for i, cell in enumerate(notebook.cells):
        if "id" in cell or notebook.get("nbformat_minor", 0) >= 5:
            cell["id"] = f"{stem}-{i}"
        for key in TIMING_METADATA:
            cell.get("metadata", {}).pop(key, None)
    return notebook


def _copy_mathjax_early(app: Sphinx) -> None:
    """builder-inited: copy MathJax before pages are written, so their script tag gets the
    file's checksum (``?v=...``) on every build, not only on rebuilds."""
    if app.builder.format == "html":
        copy_mathjax(Path(app.outdir))


REDIRECT = re.compile(r'\A<meta http-equiv="Refresh" content="0; url=([^"]+)" />\s*\Z')
REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Refresh" content="0; url={url}">
<title>{title}</title>
<link rel="icon" href="data:,">
</head>
<body><p><a href="{url}">{title}</a></p></body>
</html>
"""


def _complete_redirect(app: Sphinx, exc) -> None:
    """build-finished (after sphinx-external-toc): the root ``index.html`` that it writes is a
    bare ``<meta>`` refresh, so a browser asks for ``/favicon.ico`` (404) and the page has no
    title or language; write it as a small complete page with the same redirect (and an empty
    inline icon: a real one would be cut off by the redirect, a failed request)."""
    index = Path(app.outdir) / "index.html"
    if exc is not None or not index.is_file():
        return
    match = REDIRECT.match(index.read_text(encoding="utf-8"))
    if match:
        title = html.escape(str(app.config.html_title or app.config.project))
        index.write_text(REDIRECT_PAGE.format(url=html.escape(match[1]), title=title),
                         encoding="utf-8")


#: (pattern, replacement) applied to the HTML of every page the builder writes
A11Y_FIXES = (
    (re.compile(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"'),
     r"\1"),
    (re.compile(r'(<i class="theme-switch [^"]*"[^>]*?)\s+title="[^"]*"'), r"\1"),
    (re.compile(r'<div role="list" class="citation-list">'), '<div class="citation-list">'),
)


def accessible(page: str) -> str:
    """Apply :data:`A11Y_FIXES` to one page's HTML (idempotent)."""
    for pattern, replacement in A11Y_FIXES:
        page = pattern.sub(replacement, page)
    return page


def _a11y_pages(app: Sphinx, exc) -> None:
    """build-finished: patch the written pages (see point 8 of the module docstring)."""
    if exc is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        fixed = accessible(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def _execution_cache(app: Sphinx) -> Path | None:
    """The folder of myst-nb's execution cache (``cache`` mode), else ``None``."""
    config = getattr(app.env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return None
    cache = Path(config.execution_cache_path or ".jupyter_cache")  # myst-nb's default
    return cache if cache.is_absolute() else Path(app.srcdir) / cache


def _create_execution_cache(app: Sphinx, env, docnames) -> None:
    """env-before-read-docs (main process): create the execution cache and its database
    tables now; else the first two chapters executing in parallel both create them and one
    fails with "table settings already exists"."""
    cache = _execution_cache(app)
    if cache is not None and docnames:
        from jupyter_cache import get_cache

        get_cache(str(cache)).db  # noqa: B018  (the property creates the database)


def _inputs_folder(app: Sphinx) -> Path | None:
    """Where the chapters' read manifests live (``$BLINA_BOOK_INPUTS``) in cache mode."""
    folder = os.environ.get(reads.INPUTS_ENV)
    return Path(folder) if folder and _execution_cache(app) is not None else None


def _records(app: Sphinx) -> list:
    from jupyter_cache import get_cache

    return get_cache(str(_execution_cache(app))).list_cache_records()


def _drop_stale_executions(app: Sphinx, env, added, changed, removed) -> list[str]:
    """env-get-outdated (main process): remove every cache record whose read manifest is
    missing or stale and return its chapter, so the chapter is read and executed again."""
    folder = _inputs_folder(app)
    if folder is None:
        return []
    from jupyter_cache import get_cache

    cache = get_cache(str(_execution_cache(app)))
    hashes: dict[str, str | None] = {}
    again, kept = [], set()
    for record in cache.list_cache_records():
        manifest = folder / f"{record.hashkey}.json"
        if reads.is_fresh(reads.load_manifest(manifest), hashes):
            kept.add(manifest.name)
            continue
        cache.remove_cache(record.pk)
        docname = env.path2doc(record.uri)
        if docname in env.found_docs and docname not in added | changed:
            again.append(docname)
    for manifest in folder.glob("*.json"):  # manifests of records dropped or replaced
        if manifest.name not in kept:
            manifest.unlink()
    # a record another build made (another output sharing the cache: the PDF, a test's book)
    # since this environment read the page: the page is read again, to show that execution
    seen, now = getattr(env, "blina_records", {}), _record_keys(app)
    again += [doc for doc, key in seen.items()
              if doc in env.found_docs and doc not in added | changed and now.get(doc) != key]
    return sorted(set(again))


def _record_keys(app: Sphinx) -> dict[str, str]:
    """The newest execution cache record of each page, by document name: its number and
    creation time (a chapter executed again with unchanged code keeps its hash key, and
    SQLite may give the new record the number of the one removed)."""
    newest: dict[str, tuple[int, str]] = {}
    for record in _records(app):
        docname = app.env.path2doc(record.uri)
        if docname is not None and record.pk >= newest.get(docname, (0, ""))[0]:
            newest[docname] = (record.pk, f"{record.pk} {record.created.isoformat()}")
    return {doc: key for doc, (_, key) in newest.items()}


def _remember_records(app: Sphinx, env) -> None:
    """env-updated (main process, before the environment is saved): the cache records its pages
    now show, for :func:`_drop_stale_executions` of the next build of this output."""
    if _inputs_folder(app) is not None:
        env.blina_records = _record_keys(app)


_RECORDS_BEFORE: dict[str, int] = {}  # per process: newest cache record of a chapter before


def _pending(folder: Path, docname: str) -> Path:
    return folder / "pending" / f"{docname.replace('/', '__')}.json"


def _reading(folder: Path, docname: str) -> Path:
    return folder / "reading" / docname.replace("/", "__")


def _newest_record(app: Sphinx, docname: str):
    path = Path(app.env.doc2path(docname)).resolve()
    mine = [r for r in _records(app) if Path(r.uri).resolve() == path]
    return max(mine, key=lambda r: r.pk, default=None)


def _expect_reads(app: Sphinx, docname: str, source) -> None:
    """source-read (in the process that executes the chapter): tell the chapter's kernel,
    through the environment it inherits, where to write what it reads."""
    folder = _inputs_folder(app)
    if folder is None:
        return
    pending = _pending(folder, docname)
    pending.unlink(missing_ok=True)
    reading = _reading(folder, docname)  # removed once read: left behind, the read crashed
    reading.parent.mkdir(parents=True, exist_ok=True)
    reading.write_text(app.env.doc2path(docname) + "\n", encoding="utf-8")
    newest = _newest_record(app, docname)
    _RECORDS_BEFORE[docname] = newest.pk if newest is not None else 0
    os.environ[reads.READS_ENV] = str(pending)


def _keep_reads(app: Sphinx, doctree) -> None:
    """doctree-read: a manifest written by a kernel whose execution was then cached becomes
    the manifest of that record (a failed execution's is dropped)."""
    folder, docname = _inputs_folder(app), app.env.docname
    if folder is None or docname not in _RECORDS_BEFORE:
        return
    os.environ.pop(reads.READS_ENV, None)
    _reading(folder, docname).unlink(missing_ok=True)
    pending = _pending(folder, docname)
    if not pending.is_file():
        return
    newest = _newest_record(app, docname)
    if newest is not None and newest.pk > _RECORDS_BEFORE.pop(docname):
        pending.replace(folder / f"{newest.hashkey}.json")
    else:
        pending.unlink()


def setup(app: Sphinx) -> dict:
    search.register()
    citations.register()
    exercises.setup(app)
    for name in CSS_FILES:
        app.add_css_file(name)
    for name in JS_FILES:
        app.add_js_file(name)
    app.connect("env-get-outdated", _drop_stale_executions)
    app.connect("source-read", _expect_reads)
    app.connect("doctree-read", _keep_reads)
    app.connect("env-updated", _remember_records)
    app.connect("env-before-read-docs", _create_execution_cache)
    app.connect("config-inited", _configure, priority=900)
    app.connect("config-inited", _declare_parallel_safe)
    app.connect("builder-inited", _drop_thebe)
    app.connect("html-page-context", _ipynb_download, priority=500)
    app.connect("html-page-context", _ipynb_write, priority=900)
    app.connect("builder-inited", _copy_mathjax_early)
    app.connect("build-finished", _complete_redirect, priority=900)
    app.connect("build-finished", _a11y_pages, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
