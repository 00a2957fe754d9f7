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

   Each kernel also records what its chapter reads (data files, package modules; see
   :mod:`tools.book.reads`, manifests in ``<execution cache>/chapter-inputs``): a cached execution is
   used only while all of that is unchanged, so an edited ``data/patients.csv`` re-executes
   exactly the chapters that read it.

When nothing changed since the last successful build (see :func:`inputs_digest`: every file of
the source folder by name, size and modification time, the installed packages, the build
tools, the ``BLINA_*`` variables and the options; every chapter's read manifest still
fresh; and the same cached executions, see :func:`executions`), Sphinx is not started at all, as ``make`` would not: starting it only to find "no
targets are out of date" costs 1.5-2 s of imports.  ``make clean`` (or deleting
``<doctrees>/build_book.stamp``) forces a build.

Any notebook exception or Sphinx warning fails the build (exit status 1), and keeps failing:
until a build succeeds, ``<doctrees>/build_book.failed`` makes the next one read every page
afresh (``-E``), so a warning of a page Sphinx would not re-read (a broken ``{ref}``) is
raised again.  Chapters are executed with ``nb_execution_raise_on_error`` off, so a failing
cell becomes a warning with myst-nb's report (``<out>/reports/*.err.log``) rather than an
exception that a parallel worker reduces to "ExecutionError: <path>"; whatever the number of
jobs, the output ends with :func:`tools.book.failures.failure_summary`: each failing chapter,
cell and exception (with the loader's file, line and column), then the other warnings.

SIGTERM or SIGINT (Ctrl-C; ``make`` passes both on) stops Sphinx, its workers and the
chapters' kernels (:func:`stop_tree`) and exits 143 or 130; nothing is marked built.

Usage: python -m tools.book.build [--source DIR] [--out DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tools.book import reads
from tools.book.failures import failure_summary

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
    "import tools.book.reads as _reads\\n_reads.start()\\ndel _reads",
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
FAILED = "build_book.failed"  # present from the start of a build until it succeeds
INPUTS = "chapter-inputs"  # in the execution cache: the chapters' read manifests
WARNINGS = "build_book.warnings"
GRACE = 5.0  # seconds a stopped process gets between SIGTERM and SIGKILL


def inputs_digest(source: Path, out: Path, jobs: int, doctrees: Path) -> str:
    """A digest of everything a build of ``source`` depends on: the name, size and modification
    time of every file under ``source`` (except :data:`NOT_INPUTS`, ``out``, ``doctrees`` and
    ``*.log`` files, which no build reads), of the project's tooling (``tools/``), the installed
    distributions (their ``dist-info`` folders name the versions), the interpreter and the
    build options."""
    digest = hashlib.sha256(f"{sys.version}\0{sys.executable}\0{out}\0{doctrees}\0{jobs}\0"
                            f"{sorted(reads.input_env().items())}\n".encode())
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


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, grandchildren ...), read from ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def stop_tree(proc: subprocess.Popen) -> None:
    """SIGTERM to ``proc``'s process group and to every descendant (the chapters' kernels run
    in sessions of their own), SIGKILL to what is left after :data:`GRACE` seconds."""
    pids = descendants(proc.pid)  # before the signal: orphans lose their parent link
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for target in (-proc.pid, *pids):
            try:
                os.kill(target, sig)
            except OSError:
                pass
        deadline = time.monotonic() + GRACE
        while time.monotonic() < deadline and (proc.poll() is None
                                                or any(_alive(p) for p in pids)):
            time.sleep(0.05)
        if proc.poll() is not None and not any(_alive(p) for p in pids):
            return


class Interrupted(Exception):
    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def run_sphinx(cmd: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Run Sphinx in a session of its own; on SIGTERM/SIGINT stop it with everything it
    started and raise :class:`Interrupted`."""
    print("+", " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, start_new_session=True)

    def interrupt(signum, frame):
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return proc.wait()
    except Interrupted:
        for sig in previous:  # a second signal must not interrupt the clean-up
            signal.signal(sig, signal.SIG_IGN)
        stop_tree(proc)
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def sphinx_config(source: Path) -> int:
    """Step 1: ``conf.py`` from ``_config.yml`` and ``_toc.yml`` unless it is newer."""
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


def tracked_roots(source: Path) -> list[str]:
    """Folders whose files count as chapter inputs: the book, the repository, the data."""
    roots = [source, ROOT] + ([Path(os.environ["BLINA_DATA_DIR"])]
                              if os.environ.get("BLINA_DATA_DIR") else [])
    return list(dict.fromkeys(str(r.resolve()) for r in roots))


def inputs_folder(source: Path) -> Path:
    """``<execution cache>/chapter-inputs``: the read manifests live with the cache records
    they describe (builds with other outputs share the cache, e.g. the tests')."""
    import yaml

    config = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8")) or {}
    cache = (config.get("execute") or {}).get("cache") or ".jupyter_cache"  # myst-nb's default
    return (source / cache).resolve() / INPUTS


def sphinx_env(source: Path, out: Path, doctrees: Path) -> dict[str, str]:
    env = dict(os.environ)
    # tools.book.ext (the book's own Sphinx extension) is importable from any source folder
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env["IPYTHONDIR"] = str(kernel_ipython_dir(out.parent))  # the kernels' profile
    env["BLINA_VALIDATED_DIR"] = str(out.parent / ".validated")  # data checked once per build
    env[reads.INPUTS_ENV] = str(inputs_folder(source))
    env[reads.ROOTS_ENV] = os.pathsep.join(tracked_roots(source))
    env.pop(reads.READS_ENV, None)
    return env


def sphinx_command(source: Path, out: Path, jobs: int, doctrees: Path, fresh: bool) -> list[str]:
    return [sys.executable, "-m", "sphinx", "-j", str(jobs), "-W", "-n", "--keep-going",
            *(["-E"] if fresh else []), "-D", "nb_execution_raise_on_error=0",
            "-w", str(doctrees / WARNINGS), "-b", "html", "-d", str(doctrees), str(source),
            str(out)]


def executions(source: Path) -> str:
    """A digest of the cached executions the pages can show: the read manifests, one per cache
    record, by name and content (what the execution read, byte for byte).  Another build
    sharing the execution cache (another output, the PDF edition) that executes a chapter
    again changes it, so this output is built again and shows the new execution."""
    digest = hashlib.sha256()
    folder = inputs_folder(source)
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        digest.update(path.name.encode() + b"\0" + (reads.sha256(path) or "").encode() + b"\n")
    return digest.hexdigest()


def unchanged(source: Path, out: Path, doctrees: Path, digest: str) -> bool:
    """The last build succeeded with these inputs and these cached executions, and every
    chapter's reads are fresh."""
    stamp = doctrees / STAMP
    return ((out / "index.html").is_file() and stamp.is_file()
            and not (doctrees / FAILED).exists()
            and stamp.read_text(encoding="utf-8").split() == [digest, executions(source)]
            and not reads.stale_manifests(inputs_folder(source)))


def build(source: Path, out: Path, jobs: int, doctrees: Path | None = None) -> int:
    """Build ``source`` (a folder holding _config.yml and _toc.yml) into ``out``; return status."""
    status = sphinx_config(source)
    if status:
        return status
    doctrees = doctrees or out.parent / ".doctrees"
    digest = inputs_digest(source, out, jobs, doctrees)
    if unchanged(source, out, doctrees, digest):
        print(f"nothing changed since the last build of {out}: Sphinx not run "
              f"(make clean or delete {doctrees / STAMP} to force a build)")
        print(f"book built in 0.0 s: {out / 'index.html'}")
        return 0
    (doctrees / STAMP).unlink(missing_ok=True)
    fresh = (doctrees / FAILED).exists()
    if fresh:
        print(f"the last build failed or was stopped ({doctrees / FAILED}): every page is read "
              "again (-E)", flush=True)
    doctrees.mkdir(parents=True, exist_ok=True)
    (doctrees / FAILED).write_text("a build started and has not succeeded\n", encoding="utf-8")
    reading = inputs_folder(source) / "reading"  # chapters whose reading has not ended
    for stale in (out / "reports", reading):
        shutil.rmtree(stale, ignore_errors=True)
    t0 = time.perf_counter()
    try:
        status = run_sphinx(sphinx_command(source, out, jobs, doctrees, fresh), source,
                            sphinx_env(source, out, doctrees))
    except Interrupted as stop:
        print(f"\nBOOK BUILD STOPPED by {stop} after {time.perf_counter() - t0:.1f} s: Sphinx, "
              "its workers and the chapters' kernels were stopped; nothing is marked built",
              file=sys.stderr)
        return 128 + stop.signum
    if status:
        summary = failure_summary(source, out, doctrees / WARNINGS, reading)
        print(f"\n=== what failed ===\n{summary}", flush=True)
        print(f"\nBOOK BUILD FAILED after {time.perf_counter() - t0:.1f} s (chapters, cells and "
              "warnings above); the next build reads every page again", file=sys.stderr)
        return 1
    print(f"book built in {time.perf_counter() - t0:.1f} s: {out / 'index.html'}")
    (doctrees / FAILED).unlink()
    # the inputs as before the build (an edit made while Sphinx ran is seen by the next build),
    # the executions as after it (this build's own are what its pages show)
    (doctrees / STAMP).write_text(f"{digest} {executions(source)}\n", encoding="utf-8")
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
