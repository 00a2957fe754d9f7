"""Build the student edition of the book: ``make student`` runs this.

Output, all under ``_build/student/`` (``--out``):

- ``src/``        copies of ``_config.yml``, ``_toc.yml``, ``references.bib`` and ``book/``
                  with every solution removed (``book/`` itself is never modified), and of
                  the files the pages include or link (``LICENSE``, ``data/``);
- ``html/``       the student book, built from ``src/`` by ``tools.book.build``'s ``build()``
                  (same warnings-are-errors rules; its execution cache is ``src/_build/``);
- ``notebooks/``  every executable chapter as an ``.ipynb`` without solutions and without outputs
                  (jupytext), to open in JupyterLab, Binder or Colab. Each exercise is a cell of
                  its own, followed by its answer cells and a check cell (``blina.exercises``);
                  the build fails if one is not (:func:`unanswerable_exercises`). The
                  notebook's metadata names its chapter (``blina.chapter``) for ``make grade``;
- ``blina-book-student.zip``  ``html/`` + ``notebooks/`` + a short README, the file to hand out.

What counts as a solution (sphinx-exercise syntax, MyST backtick or colon fences):

- a gated span: from a ``{solution-start}`` directive through the end of the next
  ``{solution-end}`` directive, with everything between (text, code cells and their outputs);
- a ``{solution}`` directive with its whole content.

Fences are tracked like CommonMark does (a fence closes on the same character, at least as long,
without info string; literal code blocks are skipped), so a solution *shown as an example* inside
a literal code block (as on the instructors' page) is left alone.

After building, a leak check searches the HTML, the notebooks and the zip for every sentence of
the removed solutions (that does not also occur in the kept text) and fails if one is found.

Usage: python -m tools.book.student [--source DIR] [--out DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import html as html_lib
import json
import os
import re
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.book.build import build
from tools.book.toc import toc_entries

ROOT = Path(__file__).resolve().parents[2]
ZIP_NAME = "blina-book-student.zip"
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})(?P<info>.*)$")
DIRECTIVE = re.compile(r"\s*\{(?P<name>[\w:.-]+)\}")
#: directives whose content is literal text, not nested Markdown
LITERAL_DIRECTIVES = {"code-cell", "code-block", "code", "sourcecode", "literalinclude",
                      "raw", "math", "eval-rst", "mermaid"}


@dataclass(frozen=True)
class _Fence:
    char: str
    length: int
    name: str | None  # directive name, or None for a plain code block

    @property
    def literal(self) -> bool:
        return self.name is None or self.name in LITERAL_DIRECTIVES


def _fence(line: str) -> tuple[_Fence, bool] | None:
    """``(fence, has_info)`` if ``line`` is a fence line, else None."""
    m = FENCE.match(line)
    if not m:
        return None
    fence, info = m["fence"], m["info"].strip()
    if fence[0] == "`" and "`" in info:  # an inline code span, not a fence
        return None
    directive = DIRECTIVE.match(info)
    return _Fence(fence[0], len(fence), directive["name"] if directive else None), bool(info)


def _closes(line: str, top: _Fence) -> bool:
    found = _fence(line)
    return (found is not None and not found[1] and found[0].char == top.char
            and found[0].length >= top.length)


def _block_end(lines: list[str], start: int) -> int:
    """Index just past the fenced block that opens at ``lines[start]`` (nesting followed)."""
    stack = [_fence(lines[start])[0]]
    i = start + 1
    while i < len(lines) and stack:
        line, top = lines[i], stack[-1]
        if _closes(line, top):
            stack.pop()
        elif not top.literal and (found := _fence(line)) is not None:
            stack.append(found[0])
        i += 1
    if stack:
        raise ValueError(f"line {start + 1}: the fence {lines[start].strip()!r} is never closed")
    return i


def solution_spans(text: str) -> list[tuple[int, int]]:
    """Line ranges ``[start, end)`` (0-based) of every solution in a MyST-Markdown text.

    A ``{solution-start}`` span runs through the closing fence of the next ``{solution-end}``
    directive at the same level; a ``{solution}`` directive is its own fenced block.
    """
    lines = text.splitlines()
    spans: list[tuple[int, int]] = []
    stack: list[_Fence] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if stack and _closes(line, stack[-1]):
            stack.pop()
            i += 1
            continue
        if stack and stack[-1].literal:
            i += 1
            continue
        found = _fence(line)
        if found is None:
            i += 1
            continue
        fence = found[0]
        if fence.name == "solution":
            end = _block_end(lines, i)
            spans.append((i, end))
            i = end
        elif fence.name == "solution-start":
            j = _block_end(lines, i)
            while True:
                while j < len(lines) and _fence(lines[j]) is None:
                    j += 1
                if j == len(lines):
                    raise ValueError(f"line {i + 1}: {{solution-start}} without {{solution-end}}")
                name = _fence(lines[j])[0].name
                if name == "solution-start":
                    raise ValueError(f"line {j + 1}: {{solution-start}} inside a solution")
                closing = _block_end(lines, j)
                if name == "solution-end":
                    break
                j = closing
            spans.append((i, closing))
            i = closing
        else:
            stack.append(fence)
            i += 1
    return spans


def strip_solutions(text: str) -> str:
    """``text`` without its solutions (see :func:`solution_spans`); one blank line per cut."""
    lines = text.splitlines()
    keep: list[str] = []
    last = 0
    for start, end in solution_spans(text):
        keep.extend(lines[last:start])
        last = end
        while last < len(lines) and not lines[last].strip() and (not keep or not keep[-1].strip()):
            last += 1  # do not leave two blank lines where a solution was
    keep.extend(lines[last:])
    return "\n".join(keep) + ("\n" if text.endswith("\n") else "")


def removed_solutions(text: str) -> list[str]:
    """The text of each solution that :func:`strip_solutions` removes."""
    lines = text.splitlines()
    return ["\n".join(lines[a:b]) for a, b in solution_spans(text)]


# ---------------------------------------------------------------- leak check

def normalise(text: str, markup: bool = True) -> str:
    """Plain comparable text: entities decoded, ASCII quotes and dashes, one space; with
    ``markup`` (HTML, notebook JSON) tags are dropped first (not in Markdown sources, where a
    ``<`` in code would swallow the text up to the next ``>``)."""
    if markup:
        text = re.sub(r"<[^>]+>", " ", text)
        text = html_lib.unescape(text)
    for fancy, plain in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'),
                         ("—", "-"), ("–", "-"), ("---", "-"), ("--", "-"), ("\\n", " ")):
        text = text.replace(fancy, plain)
    return re.sub(r"\s+", " ", text)


def fingerprints(solution: str, kept: str, min_len: int = 25) -> set[str]:
    """Runs of plain prose/code (>= ``min_len`` characters) from ``solution`` not in ``kept``.

    Markup (``*``, backticks, ``$``, brackets, braces) splits runs, so a run reads the same
    in the source, the rendered HTML and the notebook JSON.
    """
    kept_norm = normalise(kept, markup=False)
    found = set()
    for line in solution.splitlines():
        if _fence(line) is not None or line.lstrip().startswith(":"):
            continue
        for run in re.split(r"[*`$\[\]{}()<>|\\_#\"]+", normalise(line, markup=False)):
            run = run.strip(" .,;:")
            if len(run) >= min_len and run not in kept_norm:
                found.add(run)
    return found


def leaks(texts: dict[str, str], prints: set[str]) -> list[str]:
    """``"<file>: <fingerprint>"`` for every fingerprint found in any of ``texts``."""
    out = []
    for name, text in texts.items():
        norm = normalise(text)
        out.extend(f"{name}: {p!r}" for p in sorted(prints) if p in norm)
    return out


def _outputs(path: Path) -> str:
    """All text that the code cells of an executed notebook printed or displayed."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    parts.append("".join(value) if isinstance(value, list) else str(value))
    return "\n".join(parts)


def readable_files(folder: Path) -> dict[str, str]:
    """Text of every HTML/JS/JSON/notebook/Markdown/text file under ``folder``."""
    suffixes = {".html", ".js", ".json", ".ipynb", ".md", ".txt"}
    return {str(p): p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in suffixes
            and "mathjax" not in p.parts}


def zip_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {f"{path.name}:{name}": zf.read(name).decode("utf-8", errors="replace")
                for name in zf.namelist()
                if Path(name).suffix in {".html", ".js", ".json", ".ipynb", ".md", ".txt"}
                and "/mathjax/" not in name}


# ---------------------------------------------------------------- answerable notebooks

EXERCISE_LABEL = re.compile(r"^`{3,}\{exercise\}\s*\n:label:\s*(?P<label>\S+)", re.M)


def unanswerable_exercises(cells: list) -> list[str]:
    """Why exercises of a notebook cannot be answered in it (empty list: all can).

    Each exercise must be a markdown cell of its own (the exercise and nothing else) and be
    followed by an answer cell (tagged ``answer``) before the next exercise or heading.
    """
    problems = []
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        labels = EXERCISE_LABEL.findall(cell.source)
        if not labels:
            continue
        label = labels[0]
        if len(labels) > 1 or not cell.source.lstrip().startswith(("```", "::")):
            problems.append(f"{label}: not in a cell of its own (split with +++)")
        after = cells[i + 1].metadata.get("tags", []) if i + 1 < len(cells) else []
        if "answer" not in after:
            problems.append(f"{label}: no answer cell (tagged answer) right after it")
    return problems


def student_notebook(text: str, chapter: str):
    """The student notebook of a MyST-notebook chapter's text: solutions stripped, no jupytext
    pairing, the chapter's name in its metadata (``blina.chapter``, read by ``make grade``).
    Raises ValueError naming the exercises that cannot be answered in it."""
    import jupytext

    notebook = jupytext.reads(strip_solutions(text), fmt="md:myst")
    notebook.metadata.pop("jupytext", None)  # a plain notebook, not paired with a .md
    notebook.metadata["blina"] = {"chapter": chapter}
    unanswerable = unanswerable_exercises(notebook.cells)
    if unanswerable:
        raise ValueError("; ".join(unanswerable))
    return notebook


# ---------------------------------------------------------------- the build

def _is_notebook(path: Path) -> bool:
    return path.suffix == ".ipynb" or path.read_text(encoding="utf-8").startswith("---\njupytext:")


IGNORED = {"_build", ".ipynb_checkpoints", "__pycache__"}
#: files and folders outside book/ that pages include or offer for download (the licence page
#: includes LICENSE, the data page links every file of data/)
PAGE_FILES = ("LICENSE", "CITATION.cff")
PAGE_FOLDERS = ("data",)


def _sync(dest: Path, files: dict[Path, bytes], managed: list[Path]) -> None:
    """Make ``dest`` hold ``files`` (relative path -> content), rewriting only what changed,
    so that Sphinx re-reads only changed pages; delete other files under ``managed`` folders."""
    for rel, data in files.items():
        path = dest / rel
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    for folder in managed:
        for path in sorted((dest / folder).rglob("*")) if (dest / folder).is_dir() else []:
            if path.is_file() and path.relative_to(dest) not in files:
                path.unlink()


def copy_stripped(source: Path, dest: Path) -> tuple[list[Path], set[str]]:
    """Copy the book into ``dest`` with solutions removed (only changed files are rewritten).

    Returns the copied TOC files (in ``dest``) and the leak fingerprints of what was removed.
    """
    import jupytext

    files: dict[Path, bytes] = {}
    config = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = f"{config.get('title', 'Book')} (student edition)"
    # no launch buttons: Binder would open the repository's chapters, solutions included
    config.setdefault("repository", {})["url"] = ""
    files[Path("_config.yml")] = yaml.safe_dump(config, sort_keys=False).encode()
    for name in ("_toc.yml", "references.bib", *PAGE_FILES):
        if (source / name).exists():
            files[Path(name)] = (source / name).read_bytes()
    for folder in ("book", *PAGE_FOLDERS):
        for path in sorted((source / folder).rglob("*")):
            rel = path.relative_to(source)
            if path.is_file() and not IGNORED & set(rel.parts):
                files[rel] = path.read_bytes()
    solutions: list[str] = []
    kept: list[str] = []
    toc_paths = []
    for entry in toc_entries(source / "_toc.yml"):
        candidates = [source / f"{entry}{s}" for s in (".md", ".ipynb")]
        src = next((p for p in candidates if p.exists()), None)
        if src is None:
            raise FileNotFoundError(f"_toc.yml lists {entry!r} but no {entry}.md or .ipynb exists")
        rel = src.relative_to(source)
        if src.suffix == ".ipynb":  # edit notebooks as MyST text, write them back as .md
            text = jupytext.writes(jupytext.read(src), fmt="md:myst")
            files.pop(rel, None)
            rel = rel.with_suffix(".md")
        else:
            text = src.read_text(encoding="utf-8")
        stripped = strip_solutions(text)
        solutions.extend(removed_solutions(text))
        kept.append(stripped)
        files[rel] = stripped.encode("utf-8")
        toc_paths.append(dest / rel)
    # a chapter outside the TOC is not built, but its solutions must not sit in the copy either
    for rel in [r for r in files if r.suffix == ".md" and dest / r not in toc_paths]:
        try:
            files[rel] = strip_solutions(files[rel].decode("utf-8")).encode("utf-8")
        except ValueError:  # a draft with a broken solution block: leave it out
            del files[rel]
    _sync(dest, files, managed=[Path("book"), *map(Path, PAGE_FOLDERS)])
    # what one chapter's solution says may be kept text in another chapter: no leak
    every_kept = "\n".join(kept)
    prints = set().union(*(fingerprints(solution, every_kept) for solution in solutions))
    return toc_paths, prints


README = """\
{title}
{underline}

html/index.html      the book: open it in a browser (works offline)
notebooks/           the chapters as Jupyter notebooks, without solutions

The notebooks import the book's `blina` package and its data: run them from a clone of the
book's repository (`make venv`, then `make lab`). Each exercise is followed by an answer cell
(replace the ... with your answer), a check cell that says right, close or wrong, and a cell
for your explanation. Save the notebook and return it to your instructor.
"""


#: the time stamp of every zip entry (the zip format's earliest), so a rebuild of the same
#: edition gives the same bytes
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def write_notebooks(chapters: list[Path], src: Path, dest: Path) -> list[Path]:
    """Each executable chapter as a student ``.ipynb`` (:func:`student_notebook`: no outputs,
    answerable) under ``dest``, with fixed cell ids (see
    :func:`tools.book.ext.reproducible_notebook`).  ``ValueError`` naming the chapter when an
    exercise cannot be answered."""
    import jupytext

    from tools.book.ext import reproducible_notebook

    if dest.exists():
        shutil.rmtree(dest)
    written = []
    for chapter in chapters:
        if not _is_notebook(chapter):
            continue
        rel = chapter.relative_to(src).with_suffix(".ipynb")
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            notebook = student_notebook(chapter.read_text(encoding="utf-8"), chapter.stem)
        except ValueError as err:
            raise ValueError(f"{chapter.name}: {err}") from None
        jupytext.write(reproducible_notebook(notebook, rel.with_suffix("").as_posix()), target,
                       fmt="ipynb")
        written.append(target)
    return written


def _zip_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16  # rw-r--r--, whatever the umask of the build
    return info


def write_zip(archive: Path, out: Path, readme: str) -> None:
    """``out/html`` and ``out/notebooks`` (sorted, fixed dates and modes) plus ``readme``
    into ``archive``, written to a temporary file first: never half a zip."""
    partial = archive.with_name(f".{archive.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(_zip_entry("blina-book-student/README.txt"), readme)
            for folder in (out / "html", out / "notebooks"):
                for path in sorted(folder.rglob("*")):
                    if path.is_file() and path.name != ".buildinfo":
                        name = f"blina-book-student/{path.relative_to(out).as_posix()}"
                        zf.writestr(_zip_entry(name), path.read_bytes())
        partial.replace(archive)
    finally:
        partial.unlink(missing_ok=True)


def build_student(source: Path = ROOT, out: Path | None = None, jobs: int = 1) -> int:
    """Build the student edition of the book at ``source`` into ``out``; return a status."""
    out = (out or source / "_build" / "student").resolve()
    t0 = time.perf_counter()
    print(f"[1/5] copying the book without solutions into {out / 'src'}", flush=True)
    chapters, prints = copy_stripped(source, out / "src")
    print(f"      {len(chapters)} pages, {len(prints)} solution passages removed", flush=True)

    print(f"[2/5] building the student HTML into {out / 'html'}", flush=True)
    if (out / "html").exists():
        shutil.rmtree(out / "html")
    status = build(out / "src", out / "html", jobs, doctrees=out / ".doctrees")
    if status > 128:  # stopped by a signal (see tools.book.build)
        return status
    if status:
        print("STUDENT EDITION FAILED: the stripped copy does not build (errors above). If "
              "`make book` passes, a page refers to something inside a removed solution.",
              file=sys.stderr)
        return status

    print(f"[3/5] writing the chapters as notebooks into {out / 'notebooks'}", flush=True)
    try:
        notebooks = write_notebooks(chapters, out / "src", out / "notebooks")
    except ValueError as err:
        print(f"STUDENT EDITION FAILED: {err}", file=sys.stderr)
        return 1
    for path in notebooks:
        print(f"      {path.relative_to(out)}", flush=True)

    print(f"[4/5] zipping html/ and notebooks/ into {out / ZIP_NAME}", flush=True)
    archive = out / ZIP_NAME
    title = f"{yaml.safe_load((out / 'src' / '_config.yml').read_text())['title']}"
    write_zip(archive, out, README.format(title=title, underline="=" * len(title)))
    notebooks = out / "notebooks"

    print("[5/5] leak check: no removed solution text in the HTML, notebooks or zip", flush=True)
    # a solution may quote what a kept cell prints (a data label, say): that text is no leak
    raw = " ".join(_outputs(p) for p in sorted((out / "html" / "_sources").rglob("*.ipynb")))
    outputs = normalise(raw) + " " + normalise(html_lib.unescape(raw), markup=False)  # + alt text
    prints = {p for p in prints if p not in outputs}
    texts = {**readable_files(out / "html"), **readable_files(notebooks), **zip_texts(archive)}
    found = leaks(texts, prints)
    if found:
        print("STUDENT EDITION LEAKS SOLUTIONS:\n  " + "\n  ".join(found[:40]), file=sys.stderr)
        return 1
    size = archive.stat().st_size / 1e6
    print(f"student edition built in {time.perf_counter() - t0:.1f} s: "
          f"{out / 'html' / 'index.html'}\n  hand out {archive} ({size:.1f} MB)", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT, help="book root (default: repo)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: SOURCE/_build/student)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="parallel build jobs")
    args = parser.parse_args(argv)
    return build_student(args.source.resolve(), args.out, max(1, args.jobs))


if __name__ == "__main__":
    sys.exit(main())
