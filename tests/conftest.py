"""Fixtures for the browser tests (tests/test_browser.py).

- ``book_html``: the built book. Built once per test session into a temporary folder with
  ``tools.book.build``'s ``build()`` (the execution cache in ``_build/.jupyter_cache`` is
  shared, so chapters already executed by ``make book`` or tests/test_book.py are not run
  again). Set ``BLINA_BOOK_HTML=/path/to/html`` to test an existing build instead.
- ``book_server``: that folder served by ``http.server`` on 127.0.0.1 in a background thread.
- ``browser``: a Playwright persistent context driving Debian's Chromium (``chromium`` on PATH;
  Playwright's own browser download does not work here) with a fresh user-data dir. Every
  request to a host other than the local server is aborted and recorded, since the book must
  load nothing from the network at view time.
- ``visit``: loads a page once per session and returns a ``PageReport`` (console errors,
  failed and blocked requests, images, links, element ids, axe-core violations).

Without ``chromium`` the browser tests skip with a message, except under CI (``CI`` set), where
they fail: ``.ci/run`` installs Chromium, so a missing browser there is a real error.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from booktools import ROOT

from tools.book.build import build

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IN_CI = bool(os.environ.get("CI"))


def is_local(url: str) -> bool:
    """True for URLs served by this machine's test server (or inline data)."""
    return url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOCAL_HOSTS


def missing(what: str) -> None:
    """Skip (locally) or fail (in CI) because a tool the browser tests need is absent."""
    if IN_CI:
        pytest.fail(f"{what} (CI is set: .ci/run should have installed it)")
    pytest.skip(what)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        missing("browser tests need Debian's Chromium: `apt-get install chromium` "
                "(no `chromium` on PATH)")
    return path


@pytest.fixture(scope="session")
def book_html(tmp_path_factory) -> Path:
    """The built HTML book: $BLINA_BOOK_HTML, or a fresh build of the repository's book."""
    given = os.environ.get("BLINA_BOOK_HTML")
    if given:
        out = Path(given).resolve()
        assert (out / "index.html").is_file(), f"BLINA_BOOK_HTML={given} has no index.html"
        return out
    out = tmp_path_factory.mktemp("browser-book") / "html"
    status = build(ROOT, out, max(1, min(2, os.cpu_count() or 1)))
    if status and not (out / "index.html").is_file():
        pytest.fail("the book does not build (see tests/test_book.py and the output above)")
    if status:  # warnings only (-W): tests/test_book.py fails on them; the pages still exist
        warnings.warn("the book built with warnings or errors; browser-testing its pages anyway",
                      stacklevel=1)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


@pytest.fixture(scope="session")
def book_server(book_html):
    """Serve the built book on http://127.0.0.1:<free port>/ for the session."""
    handler = functools.partial(_QuietHandler, directory=str(book_html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def playwright_session():
    """One Playwright for the session (its sync API cannot run twice at once)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(chromium_path, tmp_path_factory, playwright_session):
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright_session.chromium.launch_persistent_context(
        str(profile), executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900})

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    yield context
    context.close()


@dataclass
class PageReport:
    """What one page did while it loaded in Chromium."""

    page: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    math: int = 0  # elements holding TeX (Sphinx's .math spans and divs)
    typeset: int = 0  # MathJax-rendered formulas
    cells: list[dict] = field(default_factory=list)  # table cells: text, clipped by CSS
    outputs: str = ""  # the visible text of the code cells' outputs
    axe: list[dict] | None = None


COLLECT_JS = """async () => {
  const imgs = [...document.images];
  for (const img of imgs) { img.loading = 'eager'; }
  await Promise.all(imgs.map(img => img.decode().catch(() => null)));
  if (window.MathJax?.startup?.promise) { await window.MathJax.startup.promise; }
  return {
    math: document.querySelectorAll('.math').length,
    typeset: document.querySelectorAll('.math mjx-container, mjx-container.MathJax').length,
    images: imgs.map(img => ({src: img.currentSrc || img.src, alt: img.getAttribute('alt'),
                              naturalWidth: img.naturalWidth,
                              hidden: img.getAttribute('aria-hidden') === 'true'})),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.getAttribute('name')),
    cells: [...document.querySelectorAll('td, th')].map(c => ({text: c.innerText.trim(),
      clipped: getComputedStyle(c).textOverflow === 'ellipsis' &&
               c.scrollWidth > c.clientWidth + 1})),
    outputs: [...document.querySelectorAll('.cell_output')].map(e => e.innerText).join(' | '),
  };
}"""

AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
    fix: (v.nodes[0]?.failureSummary || '').split('\\n').slice(1).join('; ').trim()}));
}"""


@pytest.fixture(scope="session")
def visit(browser, book_server):
    """``visit("book/x.html")`` loads a page once per session and returns its PageReport."""
    reports: dict[str, PageReport] = {}

    def load(rel: str) -> PageReport:
        if rel in reports:
            return reports[rel]
        report = PageReport(rel)
        page = browser.new_page()
        page.on("console", lambda m: m.type == "error" and report.console_errors.append(
            f"{m.text} ({m.location.get('url', '')}:{m.location.get('lineNumber', '')})"))
        page.on("pageerror", lambda e: report.console_errors.append(f"uncaught: {e}"))
        page.on("request", lambda r: is_local(r.url) or report.external_requests.append(r.url))
        page.on("requestfailed", lambda r: report.failed_requests.append(
            f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and report.failed_requests.append(
            f"{r.url} (HTTP {r.status})"))
        try:
            page.goto(book_server + rel, wait_until="load")
            page.wait_for_load_state("networkidle")
            found = page.evaluate(COLLECT_JS)
            report.images, report.links = found["images"], found["links"]
            report.math, report.typeset = found["math"], found["typeset"]
            report.ids = {i for i in found["ids"] if i}
            report.cells, report.outputs = found["cells"], found["outputs"]
            if AXE_JS.is_file():
                page.add_script_tag(path=str(AXE_JS))
                report.axe = page.evaluate(AXE_RUN_JS)
        finally:
            page.close()
        reports[rel] = report
        return report

    return load


@pytest.fixture(scope="session")
def book_pages(book_html) -> list[str]:
    """Every HTML page of the build (not the copied sources, static files or reports)."""
    skip = {"_static", "_sources", "_images", "_downloads", "reports", "jupyter_execute"}
    pages = [p.relative_to(book_html).as_posix() for p in sorted(book_html.rglob("*.html"))
             if not skip & set(p.relative_to(book_html).parts[:-1])]
    assert "index.html" in pages, f"no index.html in {book_html}"
    return pages


# ---------------------------------------------------------------- JupyterLab (tests/test_lab.py)

LAB_TOKEN = "blina-lab-test"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lab_request(base: str, path: str, method: str = "GET"):
    """A JSON request to the test JupyterLab's REST API (None for an empty answer)."""
    import json
    import urllib.request

    request = urllib.request.Request(base + path, method=method,
                                     headers={"Authorization": f"token {LAB_TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        body = answer.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="session")
def lab_server():
    """JupyterLab from this environment on a free loopback port, serving the repository.

    Configured as ``make lab`` and Binder's postBuild configure it (``blina.lab.configure``),
    in a private config folder (``JUPYTER_CONFIG_DIR``), with a known token and notebook
    windowing off so that every cell is in the page. Yields the base URL.

    Its folders (config, runtime, workspaces) are in a private temporary folder, not under
    pytest's base temp: another pytest session on the machine may prune that one, and the
    server's kernel connection files with it.
    """
    import subprocess
    import sys
    import tempfile
    import time
    import urllib.error

    from blina.lab import configure

    holder = tempfile.TemporaryDirectory(prefix="blina-lab-")
    home = Path(holder.name)
    configure(home / "config", {"@jupyterlab/notebook-extension:tracker":
                                {"windowingMode": "none", "autoStartDefaultKernel": True}})
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_PLATFORM_DIRS": "1"}
    port = _free_port()
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={LAB_TOKEN}",
               f"--ServerApp.root_dir={ROOT}", f"--LabApp.workspaces_dir={home / 'ws'}",
               "--ServerApp.port_retries=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(home / "server.log", "w")  # noqa: SIM115 - closed after the session
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            lab_request(base, "/api/status")
            break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("JupyterLab did not start:\n" + (home / "server.log").read_text())
            time.sleep(0.5)
    yield base
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()
    if os.environ.get("BLINA_KEEP_LAB_LOG"):
        print((home / "server.log").read_text()[-5000:])
    holder.cleanup()


@pytest.fixture(scope="session")
def lab_browser(chromium_path, playwright_session):
    """A fresh Chromium context for JupyterLab. Unlike ``browser`` it routes no request:
    Playwright's request interception keeps JupyterLab from starting the notebook's kernel
    (it then asks "Select Kernel"). JupyterLab is configured to fetch no news."""
    chromium = playwright_session.chromium.launch(executable_path=chromium_path, headless=True,
                                                  args=CHROMIUM_ARGS)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()
    chromium.close()
