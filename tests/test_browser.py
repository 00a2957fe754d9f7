"""The built book in a real browser (headless Chromium driven by Playwright), page by page.

Each page of ``_build/html`` is served on 127.0.0.1 and loaded once (fixtures in conftest.py);
the tests then check what a reader would meet: console errors, failed requests, anything loaded
from outside this machine (forbidden: math, fonts and scripts must come from the book itself),
images that do not decode or lack alt text, internal links or anchors that lead nowhere,
solutions that are open before the reader asks, a search that does not find the drug's name, and
serious or critical accessibility violations found by axe-core (WCAG rules, injected from the
npm package pinned in package.json; ``npm ci`` installs it).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from conftest import AXE_JS, missing

pytestmark = pytest.mark.browser


def _report(problems: dict[str, list[str]], what: str) -> str:
    lines = [f"{what} on {len(problems)} page(s):"]
    for page, items in problems.items():
        lines.append(f"  {page}:")
        items = list(dict.fromkeys(items))  # once each, in order
        lines.extend(f"    - {item}" for item in items[:15])
        if len(items) > 15:
            lines.append(f"    ... and {len(items) - 15} more")
    return "\n".join(lines)


def test_every_page_loads_without_console_errors(visit, book_pages):
    problems = {p: visit(p).console_errors for p in book_pages if visit(p).console_errors}
    assert not problems, _report(problems, "console errors")


def test_no_page_requests_anything_from_the_network(visit, book_pages):
    """All assets (MathJax, fonts, scripts) must be served by the book itself."""
    problems = {p: visit(p).external_requests for p in book_pages if visit(p).external_requests}
    assert not problems, _report(problems, "requests to hosts other than localhost (blocked)")


def test_every_request_succeeds(visit, book_pages):
    problems = {p: visit(p).failed_requests for p in book_pages if visit(p).failed_requests}
    assert not problems, _report(problems, "failed requests")


def test_math_is_typeset_by_the_books_own_mathjax(visit, book_pages):
    """Every TeX formula is rendered (MathJax served from the book, not a CDN)."""
    problems = {p: [f"{visit(p).typeset} of {visit(p).math} formulas rendered by MathJax"]
                for p in book_pages if visit(p).typeset < visit(p).math}
    assert not problems, _report(problems, "math left as raw TeX")


def test_every_image_decodes_and_has_alt_text(visit, book_pages):
    problems: dict[str, list[str]] = {}
    for page in book_pages:
        for img in visit(page).images:
            src = img["src"][:120]
            if img["naturalWidth"] <= 0:
                problems.setdefault(page, []).append(f"does not decode: {src}")
            if not img["hidden"] and not (img["alt"] or "").strip():
                problems.setdefault(page, []).append(f"no alt text: {src}")
    assert not problems, _report(problems, "broken or unlabelled images")


def test_every_internal_link_and_anchor_resolves(visit, book_pages, book_html, book_server):
    origin = urlsplit(book_server)
    problems: dict[str, list[str]] = {}
    checked = 0
    for page in book_pages:
        for href in visit(page).links:
            url = urlsplit(href)
            if url.scheme not in ("http", "https") or url.netloc != origin.netloc:
                continue  # external links are what the reader clicks; not fetched here
            checked += 1
            rel = unquote(url.path).lstrip("/")
            target = book_html / rel
            if target.is_dir():
                target, rel = target / "index.html", (rel.rstrip("/") + "/index.html").lstrip("/")
            if not target.is_file():
                problems.setdefault(page, []).append(f"{href}: no such file")
                continue
            anchor = unquote(url.fragment)
            if anchor and target.suffix == ".html" and anchor not in visit(rel).ids:
                problems.setdefault(page, []).append(f"{href}: no element with id {anchor!r}")
    assert checked > 0, "no internal link found at all: the page collection is broken"
    assert not problems, _report(problems, "broken internal links")


SOLUTION_STATE_JS = """() => [...document.querySelectorAll('.solution')].map(sol => {
  const body = [...sol.querySelectorAll('section, .cell, p:not(.admonition-title)')];
  const shown = body.filter(e => e.getClientRects().length > 0 &&
                                 getComputedStyle(e).visibility !== 'hidden');
  return {id: sol.id, tag: sol.tagName, parts: body.length, shown: shown.length,
          open: sol.tagName === 'DETAILS' ? sol.open : null};
})"""


def test_solutions_are_collapsed_until_clicked(browser, book_server, book_pages, book_html):
    with_solutions = [p for p in book_pages
                      if 'class="solution' in (book_html / p).read_text(encoding="utf-8")]
    assert with_solutions, "no page of the book has a sphinx-exercise solution"
    problems: dict[str, list[str]] = {}
    opened = 0
    for rel in with_solutions:
        page = browser.new_page()
        try:
            page.goto(book_server + rel, wait_until="load")
            page.wait_for_load_state("networkidle")
            before = page.evaluate(SOLUTION_STATE_JS)
            for sol in before:
                if sol["parts"] == 0:
                    problems.setdefault(rel, []).append(f"solution {sol['id']} has no body")
                elif sol["shown"] > 0:
                    problems.setdefault(rel, []).append(
                        f"solution {sol['id']} is open before any click "
                        f"({sol['shown']} of {sol['parts']} parts visible)")
            toggles = page.locator(".solution > summary, .solution button.toggle-button")
            if toggles.count() != len(before):
                problems.setdefault(rel, []).append(
                    f"{len(before)} solutions but {toggles.count()} toggles to open them")
            for i in range(toggles.count()):
                toggles.nth(i).scroll_into_view_if_needed()
                toggles.nth(i).click()
            page.wait_for_timeout(300)
            after = page.evaluate(SOLUTION_STATE_JS)
            for sol in after:
                if sol["parts"] and sol["shown"] == 0:
                    problems.setdefault(rel, []).append(
                        f"solution {sol['id']} stays hidden after a click")
                else:
                    opened += 1
        finally:
            page.close()
    assert not problems, _report(problems, "solutions not collapsed or not expandable")
    assert opened > 0


def test_search_finds_blinatumomab(browser, book_server):
    page = browser.new_page()
    try:
        page.goto(book_server + "search.html?q=blinatumomab", wait_until="load")
        summary = page.locator("#search-results .search-summary, #search-results p")
        summary.first.wait_for(timeout=20_000)
        page.wait_for_function(
            "() => /found|did not match/i.test("
            "document.querySelector('#search-results')?.innerText || '')", timeout=20_000)
        hits = page.locator("#search-results ul.search li a").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))")
        text = page.locator("#search-results").inner_text()
    finally:
        page.close()
    assert hits, f"search for 'blinatumomab' found nothing: {text[:300]!r}"
    assert any(h.startswith("index.html") or "book/" in h for h in hits), hits


def test_no_serious_or_critical_accessibility_violations(visit, book_pages):
    if not AXE_JS.is_file():
        missing(f"axe-core is not installed ({AXE_JS} missing): run `npm ci`")
    problems: dict[str, list[str]] = {}
    for page in book_pages:
        for v in visit(page).axe or []:
            if v["impact"] in ("serious", "critical"):
                problems.setdefault(page, []).append(
                    f"[{v['impact']}] {v['id']}: {v['help']} at {', '.join(v['nodes'])}"
                    f" (fix: {v.get('fix') or '?'})")
    assert not problems, _report(problems, "axe-core serious/critical violations")
