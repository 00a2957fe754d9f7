"""Helpers shared by the chapter and book tests: which chapters the TOC lists."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

#: the jupytext header of a MyST-notebook chapter (for the tiny books the tests build)
HEADER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


def toc_files(toc: Path = ROOT / "_toc.yml") -> list[Path]:
    """Every source file listed in ``_toc.yml`` (root first, then in reading order)."""
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    found: list[str] = [data["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))
            for part in entry.get("parts", []) if isinstance(entry, dict) else []:
                walk(part.get("chapters"))

    walk(data.get("chapters"))
    for part in data.get("parts", []):
        walk(part.get("chapters"))
    paths = []
    for name in found:
        path = ROOT / name
        matches = [p for p in (path.with_suffix(s) for s in (".md", ".ipynb")) if p.exists()]
        assert matches, f"_toc.yml lists {name!r} but no {name}.md or .ipynb exists"
        paths.append(matches[0])
    return paths


def executable_chapters() -> list[Path]:
    """TOC files that are notebooks (MyST-Markdown with a jupytext header, or .ipynb)."""
    out = []
    for path in toc_files():
        if path.suffix == ".ipynb" or path.read_text(encoding="utf-8").startswith("---\njupytext:"):
            out.append(path)
    return out
