"""The book's chapters as a trainee sees them in JupyterLab.

JupyterLab opens a chapter (``book/<chapter>.md``, a MyST notebook) through jupytext, and
jupyterlab-myst renders its markdown cells: exercises become numbered boxes, math is typeset,
``{ref}`` and ``{doc}`` become links. Two things it cannot do are done here, on the Jupyter
server, by :class:`BookContentsManager` (jupytext's contents manager plus a display step):

- **citations**: jupyterlab-myst has no bibliography, so ``{cite:p}`key``` would show as
  "Citation Not Found". The display step writes them as author–year text from
  ``references.bib`` ("(Yin et al., 2024)"), as the HTML book does.
- **solutions**: a gated solution (``{solution-start}`` … ``{solution-end}``) spans several
  cells; jupyterlab-myst shows its first cell as a folded box but leaves the cells inside in
  plain view. Here the solution becomes a folded section of the notebook (see
  :func:`for_display`): the trainee sees "Solution to Exercise N" and a button to unfold it.

Nothing of this reaches the file: on save, a cell whose displayed text the trainee left alone
gets its MyST source back, and the fold metadata added here is dropped again.

``python -m blina.lab`` (``make lab``) writes the configuration (:func:`configure`) into this
environment's ``etc/jupyter`` and starts JupyterLab on the repository.
"""

from __future__ import annotations

import json
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

from jupytext import AsyncTextFileContentsManager

__all__ = ["BookContentsManager", "bibliography", "cite_text", "configure", "for_display",
           "for_saving",
           "readable_markdown", "solution_spans"]

#: cell-metadata key holding what the display step changed (removed again on save)
MARK = "blina_lab"
CITE = re.compile(r"\{cite(?::(?P<kind>[a-z]+))?\}`(?P<keys>[^`]+)`")
START, END = "{solution-start}", "{solution-end}"
EXERCISE = re.compile(r"^(?:`{3,}|:{3,})\{exercise\}", re.M)
FOLD = "######"  # the heading level of a folded solution
COLLAPSED = "jp-MarkdownHeadingCollapsed"  # JupyterLab's cell metadata for a folded heading


def bibliography(path: Path) -> dict[str, tuple[str, str]]:
    """``key -> (authors as cited, year)`` for every entry of a BibTeX file (cached)."""
    return _bibliography(str(Path(path).resolve()))


@lru_cache(maxsize=4)
def _bibliography(path: str) -> dict[str, tuple[str, str]]:
    """``key -> (authors as cited, year)`` for every entry of a BibTeX file."""
    from pybtex.database import parse_file

    entries = {}
    for key, entry in parse_file(path).entries.items():
        people = entry.persons.get("author", [])
        last = [" ".join(p.prelast_names + p.last_names).replace("{", "").replace("}", "")
                for p in people]
        if not last:
            names = entry.fields.get("organization", key)
        elif len(last) > 2 or (len(last) == 2 and last[1] == "others"):
            names = f"{last[0]} et al."
        elif len(last) == 2:
            names = f"{last[0]} and {last[1]}"
        else:
            names = last[0]
        entries[key] = (names, entry.fields.get("year", "n.d."))
    return entries


def cite_text(keys: str, kind: str | None, bib: dict[str, tuple[str, str]]) -> str:
    """Author–year text for a ``{cite}`` role: ``{cite:p}`` gives "(Yin et al., 2024)", the
    textual forms ``{cite}``/``{cite:t}`` give "Yin et al. (2024)" (the book's
    ``bibtex_reference_style: author_year``); an unknown key is shown as ``[key]``."""
    parts = []
    for key in (k.strip() for k in keys.split(",")):
        if key not in bib:
            parts.append(f"[{key}]")
            continue
        names, year = bib[key]
        parts.append(f"{names}, {year}" if kind == "p" else f"{names} ({year})")
    return f"({'; '.join(parts)})" if kind == "p" else "; ".join(parts)


def readable_markdown(source: str, bib: dict[str, tuple[str, str]]) -> str:
    """A markdown cell's text with every citation role replaced by author–year text."""
    return CITE.sub(lambda m: cite_text(m["keys"], m["kind"], bib), source)


def solution_spans(cells: list[dict]) -> list[tuple[int, int]]:
    """``(start, end)`` cell indices of every gated solution: the markdown cell that opens it
    (``{solution-start}``) and the one that closes it (``{solution-end}``)."""
    spans, start = [], None
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        text = "".join(cell.get("source", ""))
        if start is None and START in text and END not in text.split(START, 1)[1]:
            start = i
        elif start is not None and END in text:
            spans.append((start, i))
            start = None
    return spans


def _find_bib(path: Path, root: Path) -> Path | None:
    for folder in [path.parent, *path.parents]:
        if (folder / "references.bib").is_file():
            return folder / "references.bib"
        if folder == root:
            break
    return None


def _replace(cell: dict, shown: str) -> None:
    """Show ``shown`` in a markdown cell, keeping its source for :func:`for_saving`."""
    mark = cell.setdefault("metadata", {}).setdefault(MARK, {})
    mark.setdefault("source", "".join(cell.get("source", "")))
    cell["source"] = shown


def for_display(notebook: dict, bib: dict[str, tuple[str, str]]) -> dict:
    """Prepare a notebook model's content for JupyterLab (in place; returned for chaining).

    Citations become author–year text. Each gated solution becomes a collapsed section:
    its opening cell a level-6 heading "Solution to Exercise N" folded shut (JupyterLab's
    collapsible headings, ``jp-MarkdownHeadingCollapsed``), its closing cell the heading
    "End of the solution" that ends the fold, so every cell in between is out of sight.
    """
    cells = notebook.get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", ""))
            shown = readable_markdown(source, bib)
            if shown != source:
                _replace(cell, shown)
    exercises = 0
    spans = dict(solution_spans(cells))
    for i, cell in enumerate(cells):
        text = "".join(cell.get("source", "")) if cell.get("cell_type") == "markdown" else ""
        exercises += len(EXERCISE.findall(text))
        if i in spans:
            _replace(cell, f"{FOLD} Solution to Exercise {exercises}")
            cell["metadata"][COLLAPSED] = True
            cell["metadata"][MARK]["collapsed"] = True
            _replace(cells[spans[i]], f"{FOLD} End of the solution")
    return notebook


def for_saving(notebook: dict, bib: dict[str, tuple[str, str]]) -> dict:
    """Undo :func:`for_display` before a notebook is written (in place; returned)."""
    for cell in notebook.get("cells", []):
        metadata = cell.get("metadata", {})
        mark = metadata.pop(MARK, None)
        if not mark:
            continue
        original = mark.get("source")
        shown = "".join(cell.get("source", ""))
        if original is not None and (shown == readable_markdown(original, bib)
                                     or shown.startswith(FOLD + " ")):
            cell["source"] = original  # unchanged by the trainee: the MyST source again
        if mark.get("collapsed"):
            metadata.pop(COLLAPSED, None)
    return notebook


class BookContentsManager(AsyncTextFileContentsManager):
    """jupytext's contents manager with the book's display step (see the module)."""

    def _bib(self, path: str) -> dict[str, tuple[str, str]]:
        root = Path(self.root_dir).resolve()
        found = _find_bib((root / path.strip("/")).resolve(), root)
        return bibliography(found) if found else {}

    async def get(self, path, content=True, type=None, format=None, **kwargs):  # noqa: A002
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model.get("type") == "notebook" and model.get("content"):
            for_display(model["content"], self._bib(path))
        return model

    async def save(self, model, path=""):
        if model.get("type") == "notebook" and model.get("content"):
            for_saving(model["content"], self._bib(path))
        return await super().save(model, path)


#: JupyterLab settings: MyST markdown chapters open as notebooks (jupytext's viewer, what
#: ``jupytext-config set-default-viewer markdown myst`` writes), and no news or update checks
#: (no requests to the internet, no pop-up over the chapter)
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension:plugin": {
        "defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}},
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False,
                                                     "fetchNews": "false"},
    # a chapter starts its kernel (python3, from its metadata) without asking
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True},
}
SERVER_SETTINGS = {"ServerApp": {"contents_manager_class": "blina.lab.BookContentsManager"}}


def _merge_json(path: Path, settings: dict) -> None:
    current = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for section, values in settings.items():
        current.setdefault(section, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def configure(config_dir: Path, lab_settings: dict | None = None) -> list[Path]:
    """Write the book's JupyterLab configuration into a Jupyter config folder (one of
    ``jupyter --paths``' config entries, e.g. ``<env>/etc/jupyter``); return the files."""
    lab = config_dir / "labconfig" / "default_setting_overrides.json"
    server = config_dir / "jupyter_server_config.json"
    _merge_json(lab, {**LAB_SETTINGS, **(lab_settings or {})})
    _merge_json(server, SERVER_SETTINGS)
    return [lab, server]


def main(argv: list[str] | None = None) -> int:
    """``make lab``: configure this environment, then start JupyterLab on the repository."""
    import argparse
    import subprocess

    parser = argparse.ArgumentParser(prog="python -m blina.lab", description=main.__doc__)
    parser.add_argument("--configure-only", action="store_true",
                        help="write the configuration and exit")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="folder to serve")
    args, lab_args = parser.parse_known_args(argv)
    written = configure(Path(sys.prefix) / "etc" / "jupyter")
    print("JupyterLab configured:", *(str(p) for p in written), sep="\n  ", flush=True)
    if args.configure_only:
        return 0
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={args.root}",
               "--LabApp.default_url=/lab/tree/book/index.md", *lab_args]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in lab_args:
        command.append("--allow-root")  # containers often run as root
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
