"""Build the PDF edition of the book: ``make pdf`` runs this.

Steps (each printed as it runs):

1. ``conf.py`` from ``_config.yml`` and ``_toc.yml``, as for the HTML book
   (:func:`tools.book.build.sphinx_config`);
2. ``sphinx-build -b latex`` (Sphinx's LaTeX builder, as ``jupyter-book build --builder
   pdflatex`` runs it) into ``_build/latex``, warnings as errors.  The chapters are executed
   by myst-nb in ``cache`` mode with the HTML book's execution cache and its read manifests
   (:mod:`tools.book.reads`), so after ``make book`` nothing is executed again and a chapter
   whose data or modules changed is.  A failure ends with the chapters, cells and warnings
   that failed (:func:`tools.book.failures.failure_summary`); SIGTERM or SIGINT stops Sphinx
   and the kernels (:func:`tools.book.build.run_sphinx`).  Figures reach the PDF as the PNG inside their Markdown output
   (:func:`blina.plots.display.figure_markdown`; Sphinx writes it to a file), tables as
   Markdown tables (:class:`blina.display.Table`), math as LaTeX;
3. ``latexmk`` with XeLaTeX (``latex.latex_engine`` in ``_config.yml``: the chapters use
   Unicode such as ✔ ≈ ✘ µ ≥ 10⁻⁴), through the Makefile Sphinx writes, non-interactive and
   stopping at the first error;
4. the PDF is copied to ``_build/pdf/blina-book.pdf`` through a temporary file and a rename,
   so an interrupted or failed build never leaves a half-written PDF there.

The PDF is the full edition: solutions are printed after their exercises (``make student``
builds the edition without them).  It needs TeX Live: on Debian ``texlive-xetex
texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended fonts-freefont-otf
latexmk`` (``.ci/run`` installs them).  On failure the LaTeX log's first error is printed.

Usage: python -m tools.book.pdf [--source DIR] [--out DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tools.book.build import (
    ROOT,
    WARNINGS,
    Interrupted,
    inputs_folder,
    run,
    run_sphinx,
    sphinx_config,
    sphinx_env,
)
from tools.book.ext import PDF_NAME
from tools.book.failures import failure_summary

__all__ = ["PDF_NAME", "TEX_TOOLS", "build_pdf", "page_count", "pdf_chapters"]

#: the programs the LaTeX step needs (Debian packages in the module docstring)
TEX_TOOLS = ("xelatex", "latexmk")
_PAGES = re.compile(r"Output written on \S+ \((\d+) pages?")
_CHAPTER = re.compile(r"\\contentsline \{chapter\}\{(?:\\numberline \{[^}]*\})?(.*?)\}\{\d+\}")


def page_count(log: Path) -> int:
    """Pages of the PDF, from the last "Output written on ... (N pages" line of a TeX log."""
    found = _PAGES.findall(log.read_text(encoding="utf-8", errors="replace"))
    if not found:
        raise ValueError(f"{log}: no 'Output written on' line (did LaTeX finish?)")
    return int(found[-1])


def pdf_chapters(toc: Path) -> list[str]:
    """The chapter titles of the PDF's table of contents (LaTeX's ``.toc`` file), in order."""
    return [title.replace("\\spxentry {", "").strip()
            for title in _CHAPTER.findall(toc.read_text(encoding="utf-8", errors="replace"))]


def _first_error(log: Path) -> str:
    if not log.is_file():
        return f"(no {log.name})"
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith("!")), None)
    return "\n".join(lines[at:at + 8]) if at is not None else "\n".join(lines[-20:])


def _typeset(latex: Path, tex: str) -> int:
    missing = [tool for tool in TEX_TOOLS if shutil.which(tool) is None]
    if missing:
        print(f"error: {', '.join(missing)} not found: install TeX Live (see "
              "`python -m tools.book.pdf --help`)", file=sys.stderr)
        return 1
    status = run(["make", "-C", str(latex), "all-pdf",
                  "LATEXMKOPTS=-halt-on-error -interaction=nonstopmode -file-line-error"],
                 stdout=subprocess.DEVNULL)
    if status:
        print(f"LaTeX failed on {latex / tex}:\n{_first_error(latex / tex.replace('.tex', '.log'))}",
              file=sys.stderr)
    return status


def latex_sources(source: Path, latex: Path, jobs: int) -> int:
    """Step 2: the LaTeX sources of the book in ``latex``; return a status."""
    doctrees = latex.parent / ".doctrees-latex"
    doctrees.mkdir(parents=True, exist_ok=True)
    reading = inputs_folder(source) / "reading"
    for stale in (latex / "reports", reading):
        shutil.rmtree(stale, ignore_errors=True)
    # -q: only warnings and errors (Sphinx would print every figure's data URI)
    cmd = [sys.executable, "-m", "sphinx", "-q", "-j", str(jobs), "-W", "-n", "--keep-going",
           "-D", "nb_execution_raise_on_error=0", "-w", str(doctrees / WARNINGS),
           "-b", "latex", "-d", str(doctrees), str(source), str(latex)]
    status = run_sphinx(cmd, source, sphinx_env(source, latex, doctrees))
    if status:
        summary = failure_summary(source, latex, doctrees / WARNINGS, reading)
        print(f"\n=== what failed ===\n{summary}", flush=True)
        print("PDF BUILD FAILED: the LaTeX sources do not build (see above)", file=sys.stderr)
    return status


def build_pdf(source: Path, out: Path, jobs: int) -> int:
    """Build the PDF of the book at ``source`` into ``out`` (a folder); return a status."""
    t0 = time.perf_counter()
    status = sphinx_config(source)
    if status:
        return status
    latex = source / "_build" / "latex"
    try:
        if latex_sources(source, latex, jobs):
            return 1
    except Interrupted as stop:
        print(f"\nPDF BUILD STOPPED by {stop}: Sphinx and the chapters' kernels were stopped",
              file=sys.stderr)
        return 128 + stop.signum
    tex = PDF_NAME.replace(".pdf", ".tex")
    if _typeset(latex, tex):
        print("PDF BUILD FAILED", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    partial = out / f".{PDF_NAME}.partial"
    shutil.copyfile(latex / PDF_NAME, partial)
    os.replace(partial, out / PDF_NAME)
    pages = page_count(latex / tex.replace(".tex", ".log"))
    chapters = pdf_chapters(latex / tex.replace(".tex", ".toc"))
    print(f"PDF built in {time.perf_counter() - t0:.1f} s: {out / PDF_NAME} ({pages} pages, "
          f"{len(chapters)} chapters)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=ROOT, help="book root (default: repo)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder of the PDF (default: SOURCE/_build/pdf)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel jobs")
    args = parser.parse_args(argv)
    source = args.source.resolve()
    out = (args.out or source / "_build" / "pdf").resolve()
    try:
        return build_pdf(source, out, max(1, args.jobs))
    except KeyboardInterrupt:  # Ctrl-C while LaTeX runs (Sphinx's step handles its own)
        print("PDF BUILD INTERRUPTED", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
