"""``make grade`` on made-up submissions of the toxicity chapter's student notebook.

The student notebook is made as ``make student`` makes it (solutions stripped, jupytext). Four
trainees return it:

- ``right.ipynb``: every answer cell holds the code of the worked solution of its exercise
  (which ends by setting ``answer``);
- ``wrong.ipynb``: every answer is ``0`` (no exercise of the chapter has that answer);
- ``crash.ipynb``: the first answer cell kills its kernel;
- ``hangs.ipynb`` (graded in a second run with a 5 s limit): the first answer cell never ends.
"""

from __future__ import annotations

import csv
import subprocess

import jupytext
import nbformat
import pytest
from booktools import ROOT

from blina.exercises import answer_key
from tools.book.student import student_notebook

pytestmark = pytest.mark.slow
CHAPTER = ROOT / "book" / "toxicity.md"
LABELS = [label for label, spec in answer_key().items() if spec["chapter"] == "toxicity"]


def _solution_code(notebook) -> dict[str, str]:
    """The code of each worked solution of a full chapter, by exercise label."""
    code, label = {}, None
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and "{solution-start}" in cell.source:
            label = cell.source.split("{solution-start}")[1].split()[0]
            code[label] = []
        elif cell.cell_type == "markdown" and "{solution-end}" in cell.source:
            label = None
        elif label and cell.cell_type == "code":  # the solution's own check call stays out
            code[label].append("\n".join(line for line in cell.source.splitlines()
                                         if not line.startswith("check(")))
    return {k: "\n\n".join(v) for k, v in code.items()}


def _student_notebook():
    return student_notebook(CHAPTER.read_text(encoding="utf-8"), "toxicity")


def _answer_cells(notebook):
    """``(label, cell)`` for every code answer cell, the label read from the check after it."""
    found = []
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and "answer" in cell.metadata.get("tags", []):
            label = notebook.cells[i + 1].source.split('check("')[1].split('"')[0]
            found.append((label, cell))
    return found


def _submission(folder, name, answers):
    notebook = _student_notebook()
    for number, (label, cell) in enumerate(_answer_cells(notebook)):
        cell.source = answers(number, label)
    nbformat.write(notebook, folder / name)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    submissions = tmp_path_factory.mktemp("submissions")
    solutions = _solution_code(jupytext.read(CHAPTER))
    _submission(submissions, "right.ipynb", lambda i, label: solutions[label])
    _submission(submissions, "wrong.ipynb", lambda i, label: "answer = 0")
    _submission(submissions, "crash.ipynb", lambda i, label: "import os\nos._exit(1)"
                if i == 0 else "answer = 0")
    out = submissions / "graded"
    proc = subprocess.run(["make", "--no-print-directory", "grade",
                           f"SUBMISSIONS={submissions}", f"OUT={out}", "TIMEOUT=120"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {row["file"]: row for row in csv.DictReader(f)}
    return rows, out, proc.stdout


def test_the_chapter_has_four_exercises_with_answer_cells():
    assert len(LABELS) == 4
    assert [label for label, _ in _answer_cells(_student_notebook())] == LABELS


def test_grades_csv_has_one_row_per_file_and_one_column_per_exercise(graded):
    rows, out, stdout = graded
    assert sorted(rows) == ["crash.ipynb", "right.ipynb", "wrong.ipynb"]
    header = list(next(iter(rows.values())))
    assert header == ["file", "chapter", "status", "score", "max_score", "seconds", *LABELS]
    assert "3 notebooks graded" in stdout


def test_all_right_scores_full_marks(graded):
    row = graded[0]["right.ipynb"]
    assert (row["chapter"], row["status"], row["score"], row["max_score"]) == (
        "toxicity", "ok", "4", "4")
    assert [row[label] for label in LABELS] == ["right"] * 4


def test_all_wrong_scores_zero(graded):
    row = graded[0]["wrong.ipynb"]
    assert (row["status"], row["score"]) == ("ok", "0")
    assert [row[label] for label in LABELS] == ["wrong"] * 4


def test_a_crash_gets_a_clear_row_and_does_not_stop_the_run(graded):
    rows, out, _ = graded
    row = rows["crash.ipynb"]
    assert row["status"].startswith("kernel died in cell ")
    assert row["score"] == "0"
    assert [row[label] for label in LABELS] == ["not run"] * 4
    text = (out / "feedback" / "crash.ipynb.md").read_text(encoding="utf-8")
    assert "kernel died in cell" in text and "Not reached" in text


def test_feedback_names_each_verdict_without_revealing_answers(graded):
    _, out, _ = graded
    assert sorted(p.name for p in (out / "feedback").iterdir()) == [
        "crash.ipynb.md", "right.ipynb.md", "wrong.ipynb.md"]
    wrong = (out / "feedback" / "wrong.ipynb.md").read_text(encoding="utf-8")
    assert "- score: 0 of 4 (right 1, close 0.5)" in wrong
    for label in LABELS:
        assert f"| {label} | wrong | Not right yet. Expected: " in wrong
    right = (out / "feedback" / "right.ipynb.md").read_text(encoding="utf-8")
    assert "- score: 4 of 4" in right and "- run: ok" in right


def test_a_notebook_that_never_ends_is_stopped_at_the_time_limit(tmp_path):
    _submission(tmp_path, "hangs.ipynb", lambda i, label: "import time\ntime.sleep(3600)"
                if i == 0 else "answer = 0")
    proc = subprocess.run(["make", "--no-print-directory", "grade", f"SUBMISSIONS={tmp_path}",
                           "TIMEOUT=5"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(tmp_path / "graded" / "grades.csv", newline="", encoding="utf-8") as f:
        (row,) = list(csv.DictReader(f))
    assert row["status"] == "timed out after 5 s"
    assert [row[label] for label in LABELS] == ["not run"] * 4
    assert float(row["seconds"]) < 60


def test_grade_without_submissions_explains_its_usage():
    proc = subprocess.run(["make", "--no-print-directory", "grade"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "usage: make grade SUBMISSIONS=DIR" in proc.stderr
