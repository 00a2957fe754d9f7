"""Build the HTML book: ``make book`` runs this.

Steps (each printed as it runs):

1. ``jupyter-book config sphinx`` turns ``_config.yml`` + ``_toc.yml`` into a Sphinx ``conf.py``
   (written into the source folder, git-ignored), so the build can use Sphinx directly; it is
   regenerated only when ``_config.yml``, ``_toc.yml`` or jupyter-book is newer than it;
2. ``sphinx-build -j JOBS -W -n --keep-going -b html`` builds the book.  Chapters are executed by
   myst-nb in ``cache`` mode: a chapter whose code cells did not change is not executed again,
   and with ``-j 2`` two chapters execute at once (``jupyter-book build`` has no ``-j``).
   The chapters' kernels get their own IPython directory, ``<out>/../.ipython`` (see
   :data:`KERNEL_CONFIG`): a user's ``~/.ipython`` profile and startup files do not reach the
   build, and a kernel exits in 0.1 s instead of 0.7-0.8 s.  They also share
   ``<out>/../.validated`` (``BLINA_VALIDATED_DIR``, see
   ``blina.data``): a data file is checked against its pandera schemas by the first chapter
   that loads it, and the other chapters' kernels, seeing that the same bytes passed the same
   schemas, only convert it (0.2-0.3 s each).

When nothing changed since the last successful build (see :func:`inputs_digest`: every file of
the source folder by name, size and modification time, the installed packages, the build
tools and the options), Sphinx is not started at all, as ``make`` would not: starting it only
to find "no targets are out of date" costs 1.5-2 s of imports.  ``make clean`` (or deleting
``<doctrees>/build_book.stamp``) forces a build.

Any notebook exception or Sphinx warning fails the build (exit status 1).  On failure the
execution reports that myst-nb wrote (``<out>/reports/*.err.log``) are printed, so the chapter
and the failing cell are named in the output.

Usage: python -m tools.book.build [--source DIR] [--out DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: ``ipython_kernel_config.py`` of the chapters' kernels (``IPYTHONDIR`` of the book build).
#: When a chapter has run, nbclient asks its kernel to shut down and waits for the process to
#: end; tearing down an interpreter that imported pandas, matplotlib, scipy and pandera (the
#: final garbage collection over all their objects) takes 0.6-0.7 s of that.  The kernel
#: replies to the shutdown request and stops its threads first; then the exit handler
#: registered here ends the process at once (``os._exit``).  Exit handlers registered later
#: (by the chapter or the libraries it imports) still run before it; the ones of IPython and
#: ipykernel registered earlier are skipped: they save the kernel's input history and delete
#: the connection file, which jupyter_client deletes itself.  (``gc.freeze()`` at exit instead
#: made one kernel in four hang until killed, 2.5 s later.)
KERNEL_CONFIG = """\
# written by tools/book/build.py for the chapters' kernels (IPYTHONDIR of the book build)
c.InteractiveShellApp.exec_lines = [
    "import atexit as _atexit, os as _os\\n_atexit.register(_os._exit, 0)\\ndel _atexit, _os",
]
"""


def kernel_ipython_dir(build_dir: Path) -> Path:
    """Create ``build_dir/.ipython`` with :data:`KERNEL_CONFIG` as its default profile."""
    ipython_dir = build_dir / ".ipython"
    config = ipython_dir / "profile_default" / "ipython_kernel_config.py"
    config.parent.mkdir(parents=True, exist_ok=True)
    if not config.is_file() or config.read_text(encoding="utf-8") != KERNEL_CONFIG:
        config.write_text(KERNEL_CONFIG, encoding="utf-8")
    return ipython_dir


#: folders of a source tree that are not inputs of the book (outputs, caches, tools)
NOT_INPUTS = {"_build", ".git", ".venv", "node_modules", ".pytest_cache", ".ruff_cache",
              ".hypothesis", "__pycache__", ".ipynb_checkpoints"}
STAMP = "build_book.stamp"


def inputs_digest(source: Path, out: Path, jobs: int, doctrees: Path) -> str:
    """A digest of everything a build of ``source`` depends on: the name, size and modification
    time of every file under ``source`` (except :data:`NOT_INPUTS`, ``out``, ``doctrees`` and
    ``*.log`` files, which no build reads), of the project's tooling (``tools/``), the installed
    distributions (their ``dist-info`` folders name the versions), the interpreter and the
    build options."""
    digest = hashlib.sha256(f"{sys.version}\0{sys.executable}\0{out}\0{doctrees}\0{jobs}\n"
                            .encode())
    skip = {out.resolve(), doctrees.resolve()}
    files = sorted((ROOT / "tools").rglob("*.py"))
    for folder, dirs, names in os.walk(source):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if d not in NOT_INPUTS and not d.endswith(".egg-info")
                         and (here / d).resolve() not in skip)
        files += [here / name for name in sorted(names) if not name.endswith(".log")]
    for path in files:
        try:
            stat = path.stat()
        except OSError:  # e.g. a dangling symbolic link
            digest.update(f"{path}\0unreadable\n".encode())
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    for site in sorted({p for p in sys.path if p.endswith("site-packages")}):
        if os.path.isdir(site):
            digest.update("\0".join(sorted(n for n in os.listdir(site)
                                           if n.endswith((".dist-info", ".pth")))).encode())
    return digest.hexdigest()


def run(cmd: list[str], **kw) -> int:
    print("+", " ".join(cmd), flush=True)
    return subprocess.call(cmd, **kw)


def sphinx_conf(source: Path) -> int:
    """Write ``source/conf.py`` from ``_config.yml`` and ``_toc.yml`` (``jupyter-book config
    sphinx``) unless it is newer than both and than jupyter-book; return a status."""
    jb = str(Path(sys.executable).parent / "jupyter-book")
    conf = source / "conf.py"
    inputs = [source / "_config.yml", source / "_toc.yml", Path(jb)]
    if conf.is_file() and all(conf.stat().st_mtime >= p.stat().st_mtime for p in inputs
                              if p.exists()):
        print(f"{conf} is newer than _config.yml, _toc.yml and jupyter-book: reused", flush=True)
        return 0
    status = run([jb, "config", "sphinx", str(source)], stdout=subprocess.DEVNULL)
    if status:
        print(f"error: could not turn {source}/_config.yml into a Sphinx conf.py",
              file=sys.stderr)
    return status


def sphinx_env(build_dir: Path) -> dict[str, str]:
    """The environment of ``sphinx-build``: the repository root importable (the book's own
    Sphinx extension ``tools.book.ext``), and the kernels' profile and data stamps under
    ``build_dir`` (see the module docstring)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env["IPYTHONDIR"] = str(kernel_ipython_dir(build_dir))  # the kernels' profile
    env["BLINA_VALIDATED_DIR"] = str(build_dir / ".validated")  # data checked once per build
    return env


def execution_reports(out: Path) -> int:
    """Print myst-nb's execution error reports under ``out/reports``; return how many."""
    reports = sorted((out / "reports").glob("**/*.err.log")) if (out / "reports").is_dir() else []
    for report in reports:
        print(f"\n=== execution error in {report.relative_to(out / 'reports')} ===")
        print(report.read_text(encoding="utf-8", errors="replace"))
    return len(reports)


def build(source: Path, out: Path, jobs: int, doctrees: Path | None = None) -> int:
    """Build ``source`` (a folder holding _config.yml and _toc.yml) into ``out``; return status."""
    status = sphinx_conf(source)
    if status:
        return status
    doctrees = doctrees or out.parent / ".doctrees"
    stamp = doctrees / STAMP
    digest = inputs_digest(source, out, jobs, doctrees)
    if ((out / "index.html").is_file() and stamp.is_file()
            and stamp.read_text(encoding="utf-8").strip() == digest):
        print(f"nothing changed since the last build of {out}: Sphinx not run "
              f"(make clean or delete {stamp} to force a build)")
        print(f"book built in 0.0 s: {out / 'index.html'}")
        return 0
    stamp.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "sphinx", "-j", str(jobs), "-W", "-n", "--keep-going",
           "-b", "html", "-d", str(doctrees), str(source), str(out)]
    t0 = time.perf_counter()
    status = run(cmd, cwd=source, env=sphinx_env(out.parent))
    if status:
        execution_reports(out)
        print(f"\nBOOK BUILD FAILED after {time.perf_counter() - t0:.1f} s "
              "(see the chapter and cell named above)", file=sys.stderr)
        return 1
    print(f"book built in {time.perf_counter() - t0:.1f} s: {out / 'index.html'}")
    stamp.write_text(digest + "\n", encoding="utf-8")  # as before the build: an edit made
    # while Sphinx ran is seen by the next build
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT, help="book root (default: repo)")
    parser.add_argument("--out", type=Path, default=None,
                        help="HTML output (default: SOURCE/_build/html)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel jobs")
    args = parser.parse_args(argv)
    source = args.source.resolve()
    out = (args.out or source / "_build" / "html").resolve()
    return build(source, out, max(1, args.jobs))


if __name__ == "__main__":
    sys.exit(main())
