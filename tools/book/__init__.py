"""Building the book.

- :mod:`tools.book.build` — ``make book``: the HTML book (Sphinx + myst-nb, cached execution);
- :mod:`tools.book.ext` — the book's Sphinx extension (offline MathJax, launch buttons, .ipynb);
- :mod:`tools.book.student` — ``make student``: the edition without solutions;
- :mod:`tools.book.toc` — the one reading of ``_toc.yml``.
"""
