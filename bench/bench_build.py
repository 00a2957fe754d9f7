"""Benchmark the book build (issue 8, "Speed"): prints each figure and PASS/FAIL per target.

Everything runs on a temporary copy of the repository (sources only: no ``_build``, ``.venv``,
``.git`` or ``node_modules``), so the repository's own ``_build`` and execution cache are never
touched.  The copy is built with ``tools.book.build`` exactly as ``make book`` builds the
real book.  Figures:

- **floor** = t_kernel × n_chapters / cores, where t_kernel is the median wall time of starting a
  fresh ``python3`` kernel and running the import statements found in the chapters' code cells
  (3 repeats), n_chapters the number of executable chapters in ``_toc.yml`` and cores the number
  of processes ``make book`` uses (min(2, cpu count)): no build that starts one kernel per
  chapter can execute faster.
- **render** = the same build with execution switched off (``-D nb_execution_mode=off``): what
  Sphinx itself costs.
- **clean** = build with no ``_build`` and no execution cache.
- **no-change rebuild** = the same build again.
- **one-chapter rebuild** = the build after a code cell is appended to one chapter; the myst-nb
  log lines ("<path>: Executing notebook ...") show which chapters were executed again.
- **chapter execution time** = myst-nb's "Executed notebook in X seconds" for each chapter
  during the clean build.
- **page weight** = each HTML page plus the images it shows (``<img>`` files; inline images are
  already in the HTML). The theme's shared CSS/JS/fonts are printed once, for information.

Targets (issue 8): clean ≤ 1.5 × floor + render; no-change ≤ 10 % of clean; the one-chapter
rebuild re-executes that chapter only; every chapter ≤ 5 s; every page ≤ 1.5 MB (1.5e6 bytes).
Exit status 1 if any target fails or a build fails.

Usage: python bench/bench_build.py [--keep DIR] [--chapter book/x.md]
"""

from __future__ import annotations

import argparse
import html.parser
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
from tools.book.toc import executable_chapters  # noqa: E402  (bench/run.py: root on the path)

IGNORE = shutil.ignore_patterns(".git", ".venv", "_build", "node_modules", ".ruff_cache",
                                ".pytest_cache", ".hypothesis", "__pycache__", "conf.py",
                                ".ipynb_checkpoints", "*.egg-info")
CORES = max(1, min(2, os.cpu_count() or 1))
MB = 1_000_000
EXEC_RE = re.compile(r"^(?P<path>\S+\.(?:md|ipynb)): Executing notebook", re.M)
EXECUTED_RE = re.compile(r"^(?P<path>\S+\.(?:md|ipynb)): Executed notebook in (?P<s>[\d.]+) sec",
                         re.M)
SPHINX_RE = re.compile(r"^book built in (?P<s>[\d.]+) s", re.M)
HTML = Path("_build") / "html"
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads", "reports", "jupyter_execute"}

results: list[tuple[str, bool, str]] = []


def target(name: str, ok: bool, detail: str) -> None:
    results.append((name, ok, detail))
    print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


# ---------------------------------------------------------------------------------------------
# the floor: one fresh kernel + the project's imports


def chapter_imports(chapters: list[Path]) -> list[str]:
    """Top-level ``import``/``from`` lines of the chapters' code cells, each once, in order."""
    import jupytext

    lines: list[str] = []
    for path in chapters:
        for cell in jupytext.read(path).cells:
            if cell.cell_type != "code":
                continue
            for line in cell.source.splitlines():
                if re.match(r"(import|from)\s+\w", line) and "(" not in line:
                    lines.append(line.strip())
    return list(dict.fromkeys(lines))


def kernel_with_imports(imports: list[str], cwd: Path) -> float:
    """Wall time: start a fresh python3 kernel, run the imports, until the kernel is idle."""
    from jupyter_client.manager import start_new_kernel

    t0 = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(cwd), stderr=subprocess.DEVNULL)
    try:
        reply = kc.execute_interactive("\n".join(imports), timeout=120, output_hook=lambda m: None)
        elapsed = time.perf_counter() - t0
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"imports failed in the kernel: {reply['content']}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return elapsed


# ---------------------------------------------------------------------------------------------
# builds


def copy_repo(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=IGNORE, symlinks=True)
    return dst


def chapters_of(source: Path) -> list[str]:
    """The notebooks listed in ``source/_toc.yml``, as paths relative to ``source``."""
    return [p.relative_to(source).as_posix() for p in executable_chapters(source / "_toc.yml")]


def build(source: Path, label: str, *extra: str) -> tuple[float, str, int]:
    """Run ``tools.book.build`` (the copy in ``source``) on ``source``; return (seconds, log,
    status)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "tools.book.build", "--source", str(source),
                           "--jobs", str(CORES), *extra],
                          cwd=source, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    log = proc.stdout + proc.stderr
    (source / f"bench-{label.replace(' ', '-')}.log").write_text(log, encoding="utf-8")
    sphinx = SPHINX_RE.search(log)
    if sphinx:
        in_sphinx = float(sphinx["s"])
        split = (f"  (jupyter-book config {max(0.0, seconds - in_sphinx):.1f} s + sphinx-build "
                 f"{in_sphinx:.1f} s)")
    else:
        split = "  (BUILD FAILED)"
    print(f"  {label:<22} {seconds:7.1f} s{split}", flush=True)
    return seconds, log, proc.returncode


def render_only(source: Path) -> tuple[float, int]:
    """Build with execution off (warnings allowed: missing outputs may warn)."""
    bindir = Path(sys.executable).parent
    subprocess.run([str(bindir / "jupyter-book"), "config", "sphinx", str(source)],
                   check=True, capture_output=True)
    out = source / "_build" / "render-only"
    env = dict(os.environ)  # the book's own extension (tools.book.ext), as the build does
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH", "")]))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-j", str(CORES), "-q", "-b", "html",
                           "-D", "nb_execution_mode=off", "-d", str(out / ".doctrees"),
                           str(source), str(out / "html")],
                          cwd=source, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t0
    (source / "bench-render-only.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    print(f"  {'render (no execution)':<22} {seconds:7.1f} s"
          f"{'' if proc.returncode == 0 else '  (BUILD FAILED)'}", flush=True)
    shutil.rmtree(out, ignore_errors=True)
    return seconds, proc.returncode


def executed(log: str, source: Path) -> list[str]:
    return sorted({Path(m["path"]).resolve().relative_to(source).as_posix()
                   for m in EXEC_RE.finditer(log)})


def touch_chapter(path: Path) -> None:
    """Append a code cell, so that the chapter's code (and its cache key) changes."""
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"\n```{{code-cell}} ipython3\n# bench: touched at {time.time()}\n```\n")


def chapter_times(log: str, source: Path, chapters: list[str],
                  beyond_render: float | None) -> dict[str, float]:
    """Print and return myst-nb's execution time per chapter, read from a build log."""
    times = {Path(m["path"]).resolve().relative_to(source).as_posix(): float(m["s"])
             for m in EXECUTED_RE.finditer(log)}
    print("\nchapter execution times (clean build, myst-nb)")
    for chapter in chapters:
        t = times.get(chapter)
        print(f"  {chapter:<40} {'not executed' if t is None else f'{t:6.2f} s'}")
    if beyond_render and beyond_render > 0:
        total = sum(times.values())
        print(f"  sum {total:.1f} s over {beyond_render:.1f} s of clean build beyond rendering: "
              f"{total / beyond_render:.2f} chapters executing at once")
    return times


# ---------------------------------------------------------------------------------------------
# page weights


class _Images(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])
        elif tag == "script" and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.assets.append(a["href"])


def _local(page: Path, ref: str) -> Path | None:
    url = urlsplit(ref)
    if url.scheme or url.netloc or not url.path:
        return None
    return (page.parent / unquote(url.path)).resolve()


def page_weights(html_dir: Path) -> tuple[list[tuple[str, int, int]], int]:
    """[(page, html bytes, image bytes)], shared asset bytes (largest over pages)."""
    rows, assets = [], 0
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir)
        if SKIP_DIRS & set(rel.parts[:-1]):
            continue
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        images = {p for p in (_local(page, s) for s in parser.images) if p and p.is_file()}
        shared = {p for p in (_local(page, s) for s in parser.assets) if p and p.is_file()}
        rows.append((rel.as_posix(), page.stat().st_size, sum(p.stat().st_size for p in images)))
        assets = max(assets, sum(p.stat().st_size for p in shared))
    return rows, assets


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="book to copy and build (default: this repository)")
    parser.add_argument("--keep", type=Path, help="build the copy here and keep it")
    parser.add_argument("--chapter", help="chapter to touch (default: the last executable one)")
    args = parser.parse_args(argv)

    origin = args.source.resolve()
    chapters = chapters_of(origin)
    touched = args.chapter or chapters[-1]
    print(f"book build benchmark: {len(chapters)} executable chapters, {CORES} core(s), "
          f"{os.cpu_count()} CPU(s) on this machine")

    print("\nfloor: fresh kernel + the chapters' imports")
    imports = chapter_imports([origin / c for c in chapters])
    runs = [kernel_with_imports(imports, origin / "book") for _ in range(3)]
    t_kernel = statistics.median(runs)
    floor = t_kernel * len(chapters) / CORES
    print(f"  {len(imports)} import lines; kernel + imports {', '.join(f'{r:.2f}' for r in runs)}"
          f" s -> median {t_kernel:.2f} s")
    print(f"  floor = {t_kernel:.2f} s x {len(chapters)} chapters / {CORES} cores = {floor:.1f} s")

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-build-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if (work / "book-copy").exists():
            print(f"error: {work / 'book-copy'} already exists", file=sys.stderr)
            return 2
        source = copy_repo(origin, work / "book-copy")
        print(f"\nbuilds of a copy of the repository in {source}")
        render, render_status = render_only(source)
        clean, clean_log, status = build(source, "clean build")
        if status:
            print("  " + "\n  ".join(clean_log[-1500:].splitlines()[1:]))
            no_html = not (source / HTML / "index.html").is_file()
            if "Executing notebook failed" in clean_log or no_html:
                chapter_times(clean_log, source, chapters, None)
                target("the book builds", False, "a chapter fails or no HTML: no further figures")
                return 1
            print("  (warnings only: the HTML exists, so the figures below are still measured)")
        target("the book builds without warnings or errors", status == 0,
               "ok" if status == 0 else f"see {source / 'bench-clean-build.log'}")
        again, again_log, _ = build(source, "no-change rebuild")
        if not (source / touched).is_file():
            print(f"error: no chapter {touched}", file=sys.stderr)
            return 2
        touch_chapter(source / touched)
        one, one_log, _ = build(source, "one-chapter rebuild")

        exec_times = chapter_times(clean_log, source, chapters, clean - render)

        print("\npage weights (HTML + its images)")
        rows, shared = page_weights(source / "_build" / "html")
        for page, html_bytes, img_bytes in rows:
            print(f"  {page:<40} {(html_bytes + img_bytes) / MB:6.3f} MB "
                  f"(html {html_bytes / MB:.3f} + images {img_bytes / MB:.3f})")
        print(f"  theme CSS/JS shared by every page (cached by the browser): {shared / MB:.3f} MB")

        print("\ntargets")
        limit = 1.5 * floor + render
        target("clean build <= 1.5 x floor + render", clean <= limit,
               f"{clean:.1f} s vs 1.5 x {floor:.1f} + {render:.1f} = {limit:.1f} s"
               + ("" if render_status == 0 else " (render-only build failed)"))
        target("no-change rebuild <= 10% of clean", again <= 0.10 * clean,
               f"{again:.1f} s = {100 * again / clean:.0f}% of {clean:.1f} s; re-executed: "
               f"{executed(again_log, source) or 'none'}")
        re_run = executed(one_log, source)
        target("one-chapter rebuild re-executes only that chapter",
               re_run == [touched] and "Executing notebook failed" not in one_log,
               f"touched {touched}; re-executed {re_run or 'none'}; {one:.1f} s")
        slow = {c: t for c, t in exec_times.items() if t > 5.0}
        missing = [c for c in chapters if c not in exec_times]
        target("every chapter executes in <= 5 s", not slow and not missing,
               f"max {max(exec_times.values(), default=0):.2f} s"
               + (f"; over 5 s: {slow}" if slow else "")
               + (f"; no execution time for {missing}" if missing else ""))
        heavy = {p: round((h + i) / MB, 3) for p, h, i in rows if h + i > 1.5 * MB}
        target("every page <= 1.5 MB with its images", not heavy,
               f"max {max((h + i for _, h, i in rows), default=0) / MB:.3f} MB "
               f"over {len(rows)} pages"
               + (f"; over: {heavy}" if heavy else ""))

        failed = [name for name, ok, _ in results if not ok]
        print(f"\n{len(results) - len(failed)} of {len(results)} build targets met"
              + (f"; FAILED: {', '.join(failed)}" if failed else ""))
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
