"""Helpers shared by the chapter and book tests: the repository root and a chapter header."""

from __future__ import annotations

from tools.book.toc import ROOT, executable_chapters, toc_files

__all__ = ["HEADER", "ROOT", "executable_chapters", "toc_files"]

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
