"""The project's own tooling (not part of the ``blina`` package): pins, book build, student
edition.  Run from the repository root, e.g. ``python -m tools.book.build``."""
