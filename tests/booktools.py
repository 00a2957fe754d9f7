"""Helpers shared by the chapter and book tests: which chapters the TOC lists."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

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


def student_script():
    """scripts/student.py, which owns the one reading of ``_toc.yml`` (``toc_entries``)."""
    if "student" in sys.modules:
        return sys.modules["student"]
    spec = importlib.util.spec_from_file_location("student", ROOT / "scripts" / "student.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["student"] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


def toc_files(toc: Path = ROOT / "_toc.yml") -> list[Path]:
    """Every source file listed in ``_toc.yml`` (root first, then in reading order)."""
    found = student_script().toc_entries(toc)
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
