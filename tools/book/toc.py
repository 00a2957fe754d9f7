"""The one reading of ``_toc.yml``: which files the book has, in reading order."""

from __future__ import annotations

from pathlib import Path

import yaml

__all__ = ["ROOT", "executable_chapters", "toc_entries", "toc_files"]

ROOT = Path(__file__).resolve().parents[2]


def toc_entries(toc: Path) -> list[str]:
    """Every ``file`` of a Jupyter Book ``_toc.yml`` (root first), without suffix."""
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    found = [data["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))
            for part in entry.get("parts", []):
                walk(part.get("chapters"))

    walk(data.get("chapters"))
    for part in data.get("parts", []):
        walk(part.get("chapters"))
    return [str(Path(f).with_suffix("")) for f in found]


def toc_files(toc: Path = ROOT / "_toc.yml") -> list[Path]:
    """Every source file listed in ``toc`` (root first, then in reading order)."""
    paths = []
    for name in toc_entries(toc):
        path = toc.parent / name
        matches = [p for p in (path.with_suffix(s) for s in (".md", ".ipynb")) if p.exists()]
        if not matches:
            raise FileNotFoundError(f"{toc} lists {name!r} but no {name}.md or .ipynb exists")
        paths.append(matches[0])
    return paths


def executable_chapters(toc: Path = ROOT / "_toc.yml") -> list[Path]:
    """TOC files that are notebooks (MyST-Markdown with a jupytext header, or .ipynb)."""
    return [p for p in toc_files(toc) if p.suffix == ".ipynb"
            or p.read_text(encoding="utf-8").startswith("---\njupytext:")]
