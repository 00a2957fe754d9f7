"""What failed in a book build, in a few lines for the end of ``make book``'s output.

A parallel Sphinx build (``-j``) prints a chapter's warnings where they happen, among other
chapters' output, and a worker that raises shows only the exception's name.  So after a failed
build ``tools/book/build.py`` prints :func:`failure_summary`, last:

- for each chapter whose execution failed — myst-nb's report ``<out>/reports/<page>.err.log``
  (the build runs with ``nb_execution_raise_on_error`` off, so every failure is reported that
  way and counts as a warning) — the chapter file, the failing cell (its number among the
  chapter's code cells and its line in the file), its first line, and the exception with its
  whole message (e.g. a loader's "data/patients.csv: ... line 3 (patient 2), column
  'response' ...");
- each chapter whose reading never finished (a crashed kernel or worker; see
  ``tools/book/ext.py``);
- every other warning of Sphinx's warning file (``-w``), one line each.
"""

from __future__ import annotations

import re
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: the last line of a traceback: ``Name: message`` or a bare ``Name`` (dotted for nbclient's)
EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Interrupt|"
                            r"Exit|Warning|Iteration|Failure)(?::.*)?$")
CELL_RE = re.compile(r"(?:executing the following cell:|preview of the cell contents:)\n"
                     r"-{18,}\n(?P<cell>.*?)\n-{18,}\n", re.S)
EXEC_WARNINGS = ("Executing notebook failed", "Notebook exception traceback saved in")
MAX_WARNINGS = 30


def exception_text(report: str) -> str:
    """The exception that ended a cell, with its (possibly multi-line) message."""
    lines = [line.rstrip() for line in ANSI.sub("", report).splitlines()]
    for i in range(len(lines) - 1, -1, -1):
        if EXCEPTION_LINE.match(lines[i]):
            return "\n".join(lines[i:]).strip()
    tail = [line for line in lines if line.strip()][-5:]
    return "\n".join(tail)


def failing_cell(report: str) -> str | None:
    """The source of the cell named by nbclient's error message, if any."""
    match = CELL_RE.search(ANSI.sub("", report))
    return match["cell"] if match else None


def locate_cell(chapter: Path, cell: str) -> str:
    """``cell N of M, line L`` of ``chapter`` (a MyST Markdown or .ipynb notebook)."""
    try:
        import jupytext

        sources = [c.source for c in jupytext.read(chapter).cells if c.cell_type == "code"]
        number = next(i for i, s in enumerate(sources, 1) if s.strip() == cell.strip())
    except (OSError, StopIteration, ValueError):
        return "cell not found in the chapter"
    where = f"cell {number} of {len(sources)}"
    text = chapter.read_text(encoding="utf-8", errors="replace")
    at = text.find(cell.strip().splitlines()[0]) if cell.strip() else -1
    return where + (f", line {text.count(chr(10), 0, at) + 1}" if at >= 0 else "")


def chapter_file(source: Path, docname: str) -> Path:
    for suffix in (".md", ".ipynb"):
        if (source / f"{docname}{suffix}").is_file():
            return source / f"{docname}{suffix}"
    return source / f"{docname}.md"


def execution_failures(source: Path, out: Path) -> list[str]:
    """One block per execution report under ``out/reports``."""
    blocks = []
    reports = out / "reports"
    for report in sorted(reports.rglob("*.err.log")) if reports.is_dir() else []:
        docname = report.relative_to(reports).as_posix().removesuffix(".err.log")
        text = report.read_text(encoding="utf-8", errors="replace")
        chapter = chapter_file(source, docname)
        cell = failing_cell(text)
        where = locate_cell(chapter, cell) if cell is not None else "cell unknown"
        first = cell.strip().splitlines()[0] if cell and cell.strip() else ""
        blocks.append(f"chapter {chapter.relative_to(source)}, {where}: {first}\n"
                      + "\n".join("    " + line for line in exception_text(text).splitlines()))
    return blocks


def unfinished_reads(source: Path, reading: Path) -> list[str]:
    """Chapters whose reading began and never ended (left behind in ``reading``)."""
    out = []
    for marker in sorted(reading.iterdir()) if reading.is_dir() else []:
        path = Path(marker.read_text(encoding="utf-8").strip())
        shown = path.relative_to(source) if path.is_relative_to(source) else path
        out.append(f"chapter {shown}: its reading never finished (the kernel or the Sphinx "
                   "worker died; the traceback is above)")
    return out


def other_warnings(warnings_file: Path) -> list[str]:
    """The warning lines of Sphinx's warning file, except the execution ones summarised."""
    if not warnings_file.is_file():
        return []
    lines = ANSI.sub("", warnings_file.read_text(encoding="utf-8", errors="replace"))
    found = [line.strip() for line in lines.splitlines()
             if re.search(r"\b(WARNING|ERROR|CRITICAL|SEVERE):", line)
             and not any(text in line for text in EXEC_WARNINGS)]
    return [line[:300] for line in dict.fromkeys(found)]


def failure_summary(source: Path, out: Path, warnings_file: Path, reading: Path) -> str:
    """The lines printed at the end of a failed build (see the module docstring)."""
    parts = execution_failures(source, out) + unfinished_reads(source, reading)
    warnings = other_warnings(warnings_file)
    parts += warnings[:MAX_WARNINGS]
    if len(warnings) > MAX_WARNINGS:
        parts.append(f"... and {len(warnings) - MAX_WARNINGS} more warning(s) in "
                     f"{warnings_file}")
    if not parts:
        parts = ["no chapter failed and Sphinx wrote no warning: see Sphinx's output above"]
    return "\n".join(parts)
