"""What a chapter read when it executed, so its cached outputs are dropped when that changes.

myst-nb's execution cache (jupyter-cache) keys a notebook on its code cells only: an edited
``data/patients.csv`` or ``src/blina/...`` would leave every chapter showing the old numbers.
So each chapter's execution is recorded with what it read, and a cached execution counts only
while all of it is unchanged:

1. **In the kernel** (:func:`start`, run by the kernels' IPython profile that
   ``tools/book/build.py`` writes): an audit hook (:func:`sys.addaudithook`, event ``open``)
   notes every file the chapter opens, with its size and modification time when first opened
   (for a module read from ``__pycache__``, its source file); at exit the modules imported
   (``sys.modules``) are added.  Files under the tracked roots (:data:`ROOTS_ENV`: the book's
   source folder, the repository with ``src/blina`` and ``data/``, ``$BLINA_DATA_DIR``), outside
   build output and tool folders, are written to :data:`READS_ENV`'s file as a JSON manifest:
   each file's SHA-256 — or ``null`` when it changed while the chapter ran — and the ``BLINA_*``
   environment variables that choose what is read (``BLINA_DATA_DIR``).
2. **In Sphinx** (``tools/book/ext.py``): before a chapter is read, :data:`READS_ENV` names its
   pending manifest; after, a manifest written by a kernel that ran *and* was cached is kept as
   ``<inputs>/<hashkey>.json`` next to the cache record it describes.  Before reading, every
   cache record whose manifest is missing or stale (:func:`is_fresh`) is removed from the cache
   and its chapter re-read, so it executes again.
3. **In** ``build.py``: the "nothing changed" shortcut also requires every manifest fresh.

Only the standard library is imported here (the module runs at every kernel's start).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

#: the file a kernel writes its manifest to (set by the Sphinx extension per chapter)
READS_ENV = "BLINA_BOOK_READS"
#: folders whose files count as a chapter's inputs (``os.pathsep``-separated; set by build.py)
ROOTS_ENV = "BLINA_BOOK_ROOTS"
#: folder of the manifests, one per cache record (set by build.py)
INPUTS_ENV = "BLINA_BOOK_INPUTS"
#: environment variables that are not inputs (they say where the build writes)
NOT_INPUT_ENV = {READS_ENV, ROOTS_ENV, INPUTS_ENV, "BLINA_VALIDATED_DIR"}
#: folder names below a root whose files are never inputs (outputs, caches, environments)
SKIPPED_DIRS = {"_build", ".git", ".venv", "node_modules", ".pytest_cache", ".ruff_cache",
                ".hypothesis", ".ipynb_checkpoints", ".ipython"}
TOOLS = Path(__file__).resolve().parents[1]  # this tooling package: not a chapter's input


def input_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The ``BLINA_*`` environment variables that can change what a chapter reads."""
    environ = os.environ if environ is None else environ
    return {k: v for k, v in sorted(environ.items())
            if k.startswith("BLINA_") and k not in NOT_INPUT_ENV}


def sha256(path: str | Path) -> str | None:
    """SHA-256 of a file's bytes, ``None`` if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def is_input(path: str, roots: Iterable[str]) -> bool:
    """``path`` lies under one of ``roots`` and not in a :data:`SKIPPED_DIRS` folder or the
    tooling package (both relative to that root)."""
    if path.startswith(str(TOOLS) + os.sep):
        return False
    for root in roots:
        if path.startswith(root + os.sep):
            parts = path[len(root) + 1:].split(os.sep)
            if not SKIPPED_DIRS.intersection(parts[:-1]):
                return True
    return False


def _source_of(path: str) -> str:
    """The ``.py`` file a ``__pycache__/<name>.<tag>.pyc`` was compiled from (else ``path``)."""
    folder, name = os.path.split(path)
    if name.endswith(".pyc") and os.path.basename(folder) == "__pycache__":
        return os.path.join(os.path.dirname(folder), name.split(".", 1)[0] + ".py")
    return path


class Recorder:
    """The audit hook and exit handler of one kernel (see the module docstring)."""

    def __init__(self, target: str, roots: list[str]):
        self.target, self.roots = target, roots
        self.seen: dict[str, tuple[int, int] | None] = {}
        self.ignored: set[str] = set()

    def note(self, path: str) -> None:
        if path in self.seen or path in self.ignored:
            return
        if not is_input(path, self.roots):
            self.ignored.add(path)
            return
        try:
            stat = os.stat(path)
        except OSError:
            self.seen[path] = None
            return
        self.seen[path] = (stat.st_size, stat.st_mtime_ns)

    def hook(self, event: str, args: tuple) -> None:
        if event != "open":
            return
        try:
            path, mode = args[0], args[1]
            if isinstance(path, int) or (isinstance(mode, str) and not {"r", "+"} & set(mode)):
                return  # a file descriptor, or a file opened only to be written
            self.note(_source_of(os.path.abspath(os.fsdecode(path))))
        except Exception:  # an audit hook must never make the chapter's open() fail
            pass

    def manifest(self) -> dict:
        for module in list(sys.modules.values()):
            file = getattr(module, "__file__", None)
            if isinstance(file, str):
                self.note(_source_of(os.path.abspath(file)))
        files = {}
        for path, first in sorted(self.seen.items()):
            try:
                stat = os.stat(path)
            except OSError:
                continue  # opened but not there (a probe for an optional file)
            same = first == (stat.st_size, stat.st_mtime_ns)
            files[path] = sha256(path) if same else None  # None: changed while it ran
        return {"env": input_env(), "files": files}

    def write(self) -> None:
        partial = f"{self.target}.{os.getpid()}.tmp"
        os.makedirs(os.path.dirname(self.target), exist_ok=True)
        with open(partial, "w", encoding="utf-8") as f:
            json.dump(self.manifest(), f, indent=0, sort_keys=True)
        os.replace(partial, self.target)


def start() -> Recorder | None:
    """Record this kernel's reads (called by the kernels' IPython profile); ``None`` when no
    manifest is asked for (a kernel started outside a book build)."""
    target = os.environ.get(READS_ENV)
    if not target:
        return None
    roots = [os.path.abspath(r) for r in os.environ.get(ROOTS_ENV, "").split(os.pathsep) if r]
    recorder = Recorder(target, roots)
    sys.addaudithook(recorder.hook)
    atexit.register(recorder.write)  # registered after the profile's os._exit: runs before it
    return recorder


# ---------------------------------------------------------------------------------------------
# manifests on the build's side


def load_manifest(path: Path) -> dict | None:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = (isinstance(manifest, dict) and isinstance(manifest.get("files"), dict)
          and isinstance(manifest.get("env"), dict))
    return manifest if ok else None


def is_fresh(manifest: dict | None, hashes: dict[str, str | None] | None = None) -> bool:
    """Every file of ``manifest`` still has its recorded SHA-256 and the ``BLINA_*``
    variables are the same (``hashes`` memoises file digests across manifests)."""
    if manifest is None or manifest["env"] != input_env():
        return False
    hashes = {} if hashes is None else hashes
    for path, recorded in manifest["files"].items():
        if recorded is None:
            return False
        if path not in hashes:
            hashes[path] = sha256(path)
        if hashes[path] != recorded:
            return False
    return True


def stale_manifests(folder: Path) -> list[Path]:
    """The manifests in ``folder`` that are no longer fresh."""
    hashes: dict[str, str | None] = {}
    return [p for p in sorted(folder.glob("*.json")) if not is_fresh(load_manifest(p), hashes)]
