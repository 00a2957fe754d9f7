"""The chapters in JupyterLab, as a trainee meets them, in headless Chromium (Playwright).

JupyterLab runs from this environment on a free loopback port (``lab_server`` in conftest.py),
configured as ``make lab`` and Binder configure it. Each chapter is opened by its launch URL
(``/lab/tree/book/<chapter>.md``), every cell is run with Run > Run All Cells, and the page is
checked: opened as a notebook (not a text editor), every code cell executed, no error or stderr
output, no raw MyST markup in the rendered markdown (directives, roles, options, citation
errors), every exercise a numbered "Exercise N" box, every solution folded out of sight, and
every check cell answering (``unanswered`` before the solution, ``right`` in it).

The student notebooks (as ``make student`` writes them, see ``student_notebook``) get the same
run and checks, and must hold no solution text but an answer and a check for every exercise.

The open and Run All times of each notebook are written to ``_build/lab-timings.json`` (the
targets are reported, not asserted: timings belong to ``make bench``).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field

import jupytext
import nbformat
import pytest
from booktools import ROOT, executable_chapters
from conftest import LAB_TOKEN, lab_request

from blina.lab import solution_spans
from tools.book import student

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHAPTERS = executable_chapters()
STUDENT_DIR = ROOT / "_build" / "lab-student" / "book"
TIMINGS = ROOT / "_build" / "lab-timings.json"
EXERCISE = re.compile(r"^````\{exercise\}\n:label: (ex-[\w-]+)", re.M)
RAW_MYST = {
    "directive": re.compile(r"`{3}\s*\{[\w:.-]+\}|:{3}\s*\{[\w:.-]+\}"),
    "role": re.compile(r"\{[a-z][\w:.-]*\}`"),
    "directive option": re.compile(r"^:(label|class|tags|name):", re.M),
    "cell break": re.compile(r"^\+\+\+", re.M),
    "raw TeX": re.compile(r"\\(frac|sqrt|sum|prod|exp|ln|hat)\b"),
}
IDLE = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status='idle']"

PAGE_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
  const shown = e => e.getClientRects().length > 0;
  const rendered = [...panel.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown, '
                                            + '.jp-MarkdownCell .myst')].map(e => {
    const copy = e.cloneNode(true);
    copy.querySelectorAll('.katex-mathml, annotation').forEach(m => m.remove());
    return copy.textContent; });
  return {
    editor: document.querySelectorAll('.jp-FileEditor:not(.lm-mod-hidden)').length,
    kinds: cells.map(c => c.classList.contains('jp-CodeCell') ? 'code' : 'markdown'),
    visible: cells.map(shown),
    prompts: [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
               .map(e => e.textContent),
    stderr: [...panel.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
               .map(e => e.textContent.slice(0, 300)),
    rendered,
    notFound: [...panel.querySelectorAll('[title*="not found" i], .text-yellow-600')]
               .map(e => e.parentElement.textContent.slice(0, 80)),
    exercises: Object.fromEntries([...panel.querySelectorAll('.myst-exercise[id]')]
               .map(e => [e.id, e.querySelector('.myst-exercise-title')?.textContent || ''])),
    folds: [...panel.querySelectorAll('.jp-MarkdownCell')]
               .filter(c => /^Solution to Exercise \\d+/.test(
                 (c.querySelector('.myst, .jp-RenderedMarkdown') || {textContent: ''})
                 .textContent.trim()))
               .map(c => !!c.querySelector('.jp-collapseHeadingButton.jp-mod-collapsed')),
    checks: [...panel.querySelectorAll('.blina-check')].map(e => e.className.split('-').pop()),
    code: [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-editor')]
               .map(e => e.textContent),
    text: panel.querySelector('.jp-Notebook').textContent,
  };
}"""


@dataclass
class LabRun:
    """What one notebook showed after it was opened and run in JupyterLab."""

    path: str
    open_s: float = 0.0
    run_s: float = 0.0
    page: dict = field(default_factory=dict)


_runs: dict[str, LabRun] = {}


def _shut_down_kernels(base: str) -> None:
    for kernel in lab_request(base, "/api/kernels") or []:
        lab_request(base, f"/api/kernels/{kernel['id']}", method="DELETE")


def _kernel_ready(base: str, path: str, limit: float = 120) -> None:
    """Wait until the notebook's kernel session exists and is idle (the page's indicator can
    say idle before the session is there; Run All would then ask for a kernel)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        sessions = lab_request(base, "/api/sessions") or []
        if any(s["path"] == path and s.get("kernel", {}).get("execution_state") == "idle"
               for s in sessions):
            return
        time.sleep(0.2)
    raise TimeoutError(f"no idle kernel for {path} after {limit} s")


def _all_executed(page) -> None:
    page.wait_for_function("""() => {
      const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
      const code = panel.querySelectorAll('.jp-Notebook .jp-CodeCell').length;
      const counts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
        .map(e => parseInt((e.textContent.match(/\\[(\\d+)\\]/) || [])[1] || '0'));
      return code > 0 && Math.max(...counts) >= code && counts.every(n => n > 0);
    }""", timeout=180_000, polling=100)


def lab_run(browser, base: str, path: str) -> LabRun:
    """Open ``path`` by its launch URL, Run All, and collect the page (once per session)."""
    if path in _runs:
        return _runs[path]
    run = LabRun(path)
    page = browser.new_page()
    try:
        start = time.perf_counter()
        page.goto(f"{base}/lab/tree/{path}?reset&token={LAB_TOKEN}")
        page.wait_for_selector(IDLE, timeout=120_000)
        _kernel_ready(base, path)
        run.open_s = time.perf_counter() - start
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        start = time.perf_counter()
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        _all_executed(page)
        page.wait_for_selector(IDLE)
        run.run_s = time.perf_counter() - start
        run.page = page.evaluate(PAGE_JS)
    finally:
        page.close()
        _shut_down_kernels(base)
    _runs[path] = run
    _record(run)
    return run


def _record(run: LabRun) -> None:
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(TIMINGS.read_text()) if TIMINGS.is_file() else {}
    known[run.path] = {k: round(v, 2) for k, v in asdict(run).items() if k.endswith("_s")}
    TIMINGS.write_text(json.dumps(known, indent=2) + "\n")


@pytest.fixture(scope="session")
def student_notebooks():
    """The student notebooks, written where the test JupyterLab serves them."""
    STUDENT_DIR.mkdir(parents=True, exist_ok=True)
    for chapter in CHAPTERS:
        notebook = student.student_notebook(chapter.read_text(encoding="utf-8"), chapter.stem)
        nbformat.write(notebook, STUDENT_DIR / f"{chapter.stem}.ipynb")
    return STUDENT_DIR


def _common_problems(run: LabRun) -> list[str]:
    """Problems every notebook is checked for (full chapter or student notebook)."""
    page, problems = run.page, []
    if page["editor"] or not page["kinds"]:
        problems.append("did not open as a notebook")
    counts = [int(m[1]) if (m := re.search(r"\[(\d+)\]", p)) else 0 for p in page["prompts"]]
    code = page["kinds"].count("code")
    if not counts or min(counts) < 1 or max(counts) != code:
        problems.append(f"{code} code cells but execution counts {counts}")
    problems += [f"stderr or error output: {s!r}" for s in page["stderr"]]
    problems += [f"unresolved: {s!r}" for s in page["notFound"]]
    for text in page["rendered"]:
        for what, pattern in RAW_MYST.items():
            if (found := pattern.search(text)) is not None:
                problems.append(f"raw MyST ({what}) in rendered markdown: "
                                f"{text[max(0, found.start() - 40):found.end() + 40]!r}")
    return problems


def _labels(chapter) -> list[str]:
    return EXERCISE.findall(chapter.read_text(encoding="utf-8"))


def _exercise_problems(run: LabRun, labels: list[str]) -> list[str]:
    shown = run.page["exercises"]
    titles = [shown.get(label, "(no box)") for label in labels]
    expected = [f"Exercise {n}" for n in range(1, len(labels) + 1)]
    return [] if titles == expected else [f"exercise titles {titles}, expected {expected}"]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_opens_runs_and_renders_in_jupyterlab(lab_browser, lab_server, chapter):
    run = lab_run(lab_browser, lab_server, f"book/{chapter.name}")
    labels = _labels(chapter)
    problems = _common_problems(run) + _exercise_problems(run, labels)
    # every solution folded: its heading collapsed and each of its cells out of sight
    if run.page["folds"] != [True] * len(labels):
        problems.append(f"solution folds collapsed: {run.page['folds']}")
    cells = jupytext.read(chapter).cells
    hidden = [i for start, end in solution_spans(cells) for i in range(start + 1, end)]
    if len(run.page["visible"]) != len(cells):
        problems.append(f"{len(run.page['visible'])} cells shown of {len(cells)}")
    elif any(run.page["visible"][i] for i in hidden):
        problems.append(f"solution cells in view: {[i for i in hidden if run.page['visible'][i]]}")
    checks = sorted(run.page["checks"])
    if checks != sorted(["unanswered"] * len(labels) + ["right"] * len(labels)):
        problems.append(f"check results {checks}")
    assert not problems, f"{chapter.name} in JupyterLab:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_student_notebook_opens_runs_and_can_be_answered(lab_browser, lab_server,
                                                         student_notebooks, chapter):
    run = lab_run(lab_browser, lab_server, f"_build/lab-student/book/{chapter.stem}.ipynb")
    labels = _labels(chapter)
    problems = _common_problems(run) + _exercise_problems(run, labels)
    text = student.normalise(run.page["text"], markup=False)
    source = chapter.read_text(encoding="utf-8")
    kept = student.strip_solutions(source)
    prints = set().union(*(student.fingerprints(s, kept)
                           for s in student.removed_solutions(source)))
    problems += [f"solution text shown: {p!r}" for p in sorted(prints) if p in text]
    if "Solution to" in text:
        problems.append("a solution heading is shown")
    answers = [c for c in run.page["code"] if c.rstrip().endswith("answer = ...")]
    if len(answers) != len(labels):
        problems.append(f"{len(answers)} answer cells for {len(labels)} exercises")
    if run.page["checks"] != ["unanswered"] * len(labels):
        problems.append(f"check results {run.page['checks']}")
    if sum(t.count("Your explanation") for t in run.page["rendered"]) != len(labels):
        problems.append("an explanation cell is missing")
    assert not problems, f"student {chapter.stem} in JupyterLab:\n  " + "\n  ".join(problems)
