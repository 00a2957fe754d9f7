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

import blina

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


# --- reading on a phone, in dark mode, and the numbers bound to code ---------------------

PHONE = {"width": 390, "height": 844}
VISIBLE_LINKS_JS = """(root) => [...document.querySelectorAll(root + ' a[href]')]
  .filter(a => { const r = a.getBoundingClientRect();
                 return r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth &&
                        getComputedStyle(a).visibility !== 'hidden'; })
  .map(a => a.textContent.trim())"""


def _open(browser, url: str, viewport: dict | None = None, dark: bool = False):
    page = browser.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    if dark:
        page.emulate_media(color_scheme="dark")
        page.add_init_script("localStorage.setItem('mode', 'dark');"
                             "localStorage.setItem('theme', 'dark');")
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page


def _chapter_titles() -> list[str]:
    from booktools import toc_files

    return [next(line[2:].strip() for line in p.read_text(encoding="utf-8").splitlines()
                 if line.startswith("# ")) for p in toc_files()[1:]]


def test_on_a_phone_the_menu_opens_and_shows_every_chapter(browser, book_server):
    page = _open(browser, book_server + "book/response.html", PHONE)
    try:
        toggles = page.locator(".primary-toggle:visible")
        assert toggles.count() == 1, "one visible ☰ button"
        assert page.evaluate(VISIBLE_LINKS_JS, "#pst-primary-sidebar-modal") == []
        toggles.click()
        page.wait_for_timeout(500)
        shown = page.evaluate(VISIBLE_LINKS_JS, "#pst-primary-sidebar-modal")
    finally:
        page.close()
    missing_titles = [t for t in _chapter_titles() if t not in shown]
    assert not missing_titles, f"menu opened with {shown}; missing {missing_titles}"


def test_on_a_phone_the_contents_button_opens_the_page_contents(browser, book_server):
    page = _open(browser, book_server + "book/response.html", PHONE)
    try:
        page.locator(".secondary-toggle:visible").click()
        page.wait_for_timeout(500)
        shown = page.evaluate(VISIBLE_LINKS_JS, "#pst-secondary-sidebar-modal")
    finally:
        page.close()
    assert "Table 2, rebuilt" in shown and "Exercises" in shown, shown


def test_on_a_desktop_the_menu_button_collapses_the_sidebar(browser, book_server):
    page = _open(browser, book_server + "book/response.html", {"width": 1280, "height": 900})
    try:
        sidebar = page.locator("#pst-primary-sidebar")
        assert sidebar.is_visible()
        page.locator(".primary-toggle:visible").click()
        page.wait_for_timeout(400)
        collapsed = not sidebar.is_visible() or sidebar.bounding_box()["width"] < 5
        page.locator(".primary-toggle:visible").click()
        page.wait_for_timeout(400)
        reopened = sidebar.is_visible()
    finally:
        page.close()
    assert collapsed and reopened


def test_one_search_box_and_no_second_header(browser, book_server):
    page = _open(browser, book_server + "book/index.html", {"width": 1280, "height": 900})
    try:
        header = page.locator("#pst-header button:visible, #pst-header form:visible").count()
        fields = page.locator(".search-button-field:visible, form.bd-search:visible").count()
        toggles = page.locator(".primary-toggle").count()
    finally:
        page.close()
    assert header == 0, "pydata-sphinx-theme's own header is back (navbar_persistent)"
    assert fields == 1 and toggles == 1


def test_no_table_cell_is_cut_off(visit, book_pages):
    problems: dict[str, list[str]] = {}
    for rel in book_pages:
        bad = [c["text"][-60:] for c in visit(rel).cells if c["clipped"]
               or c["text"].endswith(("…", "...")) and not c["text"].endswith(" in all)")]
        if bad:
            problems[rel] = bad
    assert not problems, _report(problems, "table cells cut off")


RAW = {"numpy scalar repr": r"np\.(?:float|int|bool)\w*\(", "NaN": r"\bNaN\b",
       "<NA>": r"<NA>", "pandas dtype footer": r"dtype: \w+",
       "long float repr": r"\b[1-9]\d*\.\d{6,}|\b0\.[1-9]\d{5,}",
       "IPython object repr": r"<IPython\.core\.display"}
#: floats quoted on purpose: lifelines' product 5/6 · 4/5 · 3/4, in the explanation of why the
#: median verdicts multiply exactly (blina.stats.summaries)
QUOTED_FLOATS = {"0.5000000000000001"}


def test_outputs_show_no_raw_reprs(visit, book_pages):
    import re

    problems: dict[str, list[str]] = {}
    for rel in book_pages:
        for what, pattern in RAW.items():
            for found in re.findall(pattern, visit(rel).outputs):
                if found not in QUOTED_FLOATS:
                    problems.setdefault(rel, []).append(f"{what}: {found}")
    assert not problems, _report(problems, "raw reprs in outputs")


def test_dark_mode_contrast_meets_wcag_aa(browser, book_server, book_pages):
    """axe-core's colour-contrast rule in dark mode (figure captions carry the RECONSTRUCTED
    warning), and every caption measured: at least 4.5:1 against what is behind it."""
    if not AXE_JS.is_file():
        missing(f"axe-core is not installed ({AXE_JS} missing): run `npm ci`")
    problems: dict[str, list[str]] = {}
    for rel in book_pages:
        page = _open(browser, book_server + rel, dark=True)
        try:
            assert page.evaluate("document.documentElement.dataset.theme") == "dark"
            page.add_script_tag(path=str(AXE_JS))
            found = page.evaluate("""async () => (await axe.run(document,
              {runOnly: ['color-contrast'], resultTypes: ['violations']})).violations
              .flatMap(v => v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary))""")
            ratios = page.evaluate(CAPTION_CONTRAST_JS)
        finally:
            page.close()
        found += [f"figcaption contrast {r:.2f}:1" for r in ratios if r < 4.5]
        if found:
            problems[rel] = found
    assert not problems, _report(problems, "dark-mode contrast below WCAG AA")


CAPTION_CONTRAST_JS = """() => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => { for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3); }
    return [255, 255, 255]; };
  return [...document.querySelectorAll('figcaption')].map(f => {
    const [a, b] = [lum(rgb(getComputedStyle(f).color)), lum(background(f))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); });
}"""


def test_every_glued_number_is_shown(book_html):
    """Each ``{glue:text}`` role of a chapter's prose is a number on its page: none missing,
    none empty (the build fails on an unknown key; this checks the page itself)."""
    import re

    from booktools import toc_files

    # code cells and literal blocks (their text is not prose); directives stay
    fence = re.compile(r"^(`{3,})(?!`)(?:\{code-cell\}|[a-z]+)[^\n]*\n.*?^\1\s*$",
                       re.S | re.M)
    total, problems = 0, {}
    for path in toc_files():
        source = fence.sub("", path.read_text(encoding="utf-8"))
        roles = len(re.findall(r"\{glue:text\}`[^`]+`", source))
        rel = path.relative_to(path.parents[1]).with_suffix(".html")
        page = (book_html / rel).read_text(encoding="utf-8")
        shown = re.findall(r'<span class="pasted-text">([^<]*)</span>', page)
        total += roles
        if len(shown) != roles or any(not s.strip() for s in shown):
            problems[str(rel)] = [f"{roles} glue roles in the source, {len(shown)} on the page"]
    assert not problems, _report(problems, "glued numbers missing")
    assert total >= 250, f"only {total} glued numbers in the book"
    print(f"\n{total} glued numbers in the prose")


def _search(browser, book_server, query: str) -> tuple[list[str], str]:
    page = browser.new_page()
    try:
        page.goto(book_server + f"search.html?q={query}", wait_until="load")
        page.wait_for_function(
            "() => /found|did not match/i.test("
            "document.querySelector('#search-results')?.innerText || '')", timeout=20_000)
        page.wait_for_timeout(1500)  # the snippets are fetched page by page
        hits = page.locator("#search-results ul.search li a").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))")
        text = page.locator("#search-results").inner_text()
    finally:
        page.close()
    return hits, text


def test_search_finds_printed_numbers(browser, book_server):
    hits, text = _search(browser, book_server, "82.62")
    assert any("book/survival.html" in h for h in hits), text[:300]
    assert any("book/audit.html" in h for h in hits), text[:300]


def test_search_snippets_show_no_tex_source(browser, book_server):
    hits, text = _search(browser, book_server, "Greenwood")
    assert any("book/methods.html" in h for h in hits), text[:300]
    assert "\\(" not in text and "\\hat" not in text and "\\prod" not in text, text[:600]


def test_every_page_footer_names_the_edition(book_html, book_pages):
    import re

    import blina

    edition = re.compile(rf"blina book {re.escape(blina.__version__)} · built \d{{4}}-\d\d-\d\d")
    bare = [p for p in book_pages if p != "index.html"  # the root page only redirects
            and not edition.search((book_html / p).read_text(encoding="utf-8"))]
    assert not bare, f"pages without the edition in the footer: {bare}"


def test_the_front_page_scorecard(visit, book_html):
    report = visit("book/index.html")
    alts = [i["alt"] or "" for i in report.images]
    claims = len(blina.load_claims())
    assert claims == 176
    assert any(a.startswith(f"Stacked bar chart of the {claims} claims of the paper")
               for a in alts)
    page = (book_html / "book" / "index.html").read_text(encoding="utf-8")
    for chapter in ("methods", "characteristics", "response", "toxicity", "survival",
                    "discussion", "conclusions", "audit"):
        assert f'href="{chapter}.html"' in page, chapter


def test_citations_and_bibliography_use_one_style(book_html):
    import re

    page = (book_html / "book" / "characteristics.html").read_text(encoding="utf-8")
    assert re.search(r">Yin <em>et al.</em>, 2024</a>|>Yin et al., 2024</a>", page)
    bibliography = (book_html / "book" / "bibliography.html").read_text(encoding="utf-8")
    labels = re.findall(r'<span class="fn-bracket">\[</span>(?:<a [^>]*>)?([^<]*)<',
                        bibliography)
    assert "Yin et al., 2024" in labels and "Clopper and Pearson, 1934" in labels
    assert not [label for label in labels if re.fullmatch(r"[A-Z][A-Za-z+]*\d\d", label)]


def test_every_exercise_shows_its_label_difficulty_and_aim(book_html):
    import re

    from booktools import toc_files

    labels = []
    for path in toc_files():
        page = (book_html / path.relative_to(path.parents[1]).with_suffix(".html")).read_text(
            encoding="utf-8")
        metas = re.findall(r'<p class="exercise-meta">(.*?)</p>', page, re.S)
        for meta in metas:
            text = re.sub(r"<[^>]+>", "", meta)
            found = re.fullmatch(r"Difficulty [123] of 3 · practises: .+ · label: (ex-[\w-]+)",
                                 " ".join(text.split()))
            assert found, text
            labels.append(found[1])
        assert len(metas) == page.count('<div class="exercise admonition"'), path.name
    assert len(labels) == 29
    instructors = (book_html / "book" / "instructors.html").read_text(encoding="utf-8")
    for label in labels:
        assert f"#{label}\"" in instructors, f"{label} is not in the instructors' table"
