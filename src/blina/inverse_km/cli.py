"""``python -m blina km-check``: the consistency check of printed Kaplan–Meier figures.

    python -m blina km-check N ESTIMATE [LOWER UPPER]
    python -m blina km-check --input FIGURES.csv [--format json]
    python -m blina km-check --validate --out data/km_check_validation.csv

A table has the columns ``id,n,estimate,lower,upper,ci`` (``lower``/``upper`` may be empty,
``ci`` may be empty or absent: then ``--ci`` applies); values keep their printed decimals.
Every row is checked before any is solved; a bad one stops the command with the file, line,
row and column named.  Exit status: 0 once every figure is answered (whatever the answers),
2 for bad input, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from pathlib import Path

from blina.inverse_km.check import CHECK_ROUNDINGS, KMCheck, km_check
from blina.inverse_km.problem import parse_figure
from blina.stats.km import CI_KINDS

__all__ = ["CSV_COLUMNS", "InputError", "Row", "add_arguments", "read_figures", "run"]

REQUIRED = ("id", "n", "estimate", "lower", "upper")
#: columns of ``--format csv`` (witnesses and solutions are in the JSON only)
CSV_COLUMNS = ["id", "n", "figure", "ci", "feasible", "event_counts", "undecided_counts",
               "exhaustive", "count_at_least", "rounding", "seconds", "answer"]


class InputError(ValueError):
    """A bad figure: the message names the file, line, row and column."""


class Row:
    """One figure to check: its id, ``n``, printed strings (``None`` when not printed), CI."""

    def __init__(self, id_: str | None, n: int, estimate: str, lower: str | None,
                 upper: str | None, ci: str) -> None:
        self.id, self.n, self.estimate, self.lower, self.upper, self.ci = (
            id_, n, estimate, lower, upper, ci)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("figure", nargs="*", metavar="N ESTIMATE [LOWER UPPER]",
                        help="patients, then the printed estimate and CI in percent")
    parser.add_argument("--input", metavar="FIGURES.csv", help="a table of figures")
    parser.add_argument("--ci", choices=CI_KINDS, default="loglog",
                        help="CI type: loglog (Prism, SAS, Stata, lifelines; default), log "
                             "(R survfit's default), plain")
    parser.add_argument("--rounding", choices=CHECK_ROUNDINGS, default="either",
                        help="how the paper rounded: single, double or either (default)")
    parser.add_argument("--limit", type=int, default=100, metavar="K",
                        help="risk-set sequences listed at most per figure (default 100)")
    parser.add_argument("--time-budget", type=float, default=10.0, metavar="SECONDS",
                        help="seconds per figure before open counts are reported as "
                             "undecided (default 10)")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.add_argument("--validate", action="store_true",
                        help="re-run the validation on lifelines' datasets (needs --out)")
    parser.add_argument("--out", metavar="FILE", help="where --validate writes its CSV")


def _row_error(path: str, index: int, column: str, message: str) -> InputError:
    return InputError(f"{path}, line {index + 1} (row {index}), column {column!r}: {message}")


def _parse_row(raw: dict, path: str, index: int, default_ci: str) -> Row:
    """A checked :class:`Row` from one CSV record (``index`` counts data rows from 1)."""
    def cell(name):
        value = (raw.get(name) or "").strip()
        return value or None

    try:
        n = int(cell("n") or "")
    except ValueError:
        raise _row_error(path, index, "n", f"not a whole number: {raw.get('n')!r}") from None
    if n < 1:
        raise _row_error(path, index, "n", f"must be at least 1, got {n}")
    ci = cell("ci") or default_ci
    if ci not in CI_KINDS:
        raise _row_error(path, index, "ci", f"must be one of {CI_KINDS}, got {ci!r}")
    row = Row(cell("id"), n, cell("estimate") or "", cell("lower"), cell("upper"), ci)
    if row.estimate == "":
        raise _row_error(path, index, "estimate", "empty")
    _check_values(row, lambda column, msg: _row_error(path, index, column, msg))
    return row


def _check_values(row: Row, error) -> None:
    """Parse the printed values as :func:`km_check` will; a ``ValueError`` becomes ``error``
    naming the column its message is about."""
    decimals = tuple(_decimals(v) for v in (row.estimate, row.lower, row.upper))
    try:
        parse_figure(row.estimate, row.lower, row.upper, row.n, decimals, "single", ci=row.ci)
    except ValueError as exc:
        message = str(exc)
        column = message.split()[0] if message.split()[0] in REQUIRED else "estimate"
        raise error(column, message) from None


def _decimals(value: str | None) -> int:
    if value is None or "." not in value:
        return 0
    return len(value.strip().split(".")[1])


def read_figures(path: str, default_ci: str) -> list[Row]:
    """The checked rows of the CSV ``path`` (see the module docstring)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(map(repr, missing))} "
                         f"(the header must have {','.join(REQUIRED)}[,ci])")
    rows = [_parse_row(raw, path, i, default_ci) for i, raw in enumerate(reader, start=1)]
    if not rows:
        raise InputError(f"{path}: no figures (only a header)")
    return rows


def _single_figure(values: list[str], default_ci: str) -> Row:
    if len(values) not in (2, 4):
        raise InputError("give N ESTIMATE or N ESTIMATE LOWER UPPER (or --input FILE)")
    try:
        n = int(values[0])
    except ValueError:
        raise InputError(f"N must be a whole number, got {values[0]!r}") from None
    if n < 1:
        raise InputError(f"N must be at least 1, got {n}")
    lower, upper = (values[2], values[3]) if len(values) == 4 else (None, None)
    row = Row(None, n, values[1], lower, upper, default_ci)
    _check_values(row, lambda column, msg: InputError(msg))
    return row


class Progress:
    """A ``\\r`` progress bar on stderr when it is a terminal; else one line at the end."""

    def __init__(self, total: int | None, what: str) -> None:
        self.total, self.what, self.started = total, what, time.perf_counter()
        self.live = sys.stderr.isatty()

    def __call__(self, done: int) -> None:
        if not self.live:
            return
        if self.total is None:
            print(f"\r{done} {self.what}", end="", file=sys.stderr, flush=True)
            return
        filled = int(30 * done / max(self.total, 1))
        print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total} {self.what}",
              end="", file=sys.stderr, flush=True)

    def finish(self, done: int) -> None:
        if self.live:
            print(file=sys.stderr)
        print(f"{done} {self.what} in {time.perf_counter() - self.started:.1f} s",
              file=sys.stderr)


def _answers(rows: list[Row], args, progress: Progress | None) -> list[KMCheck]:
    out = []
    for row in rows:
        out.append(km_check(row.n, row.estimate, row.lower, row.upper, ci=row.ci,
                            rounding=args.rounding, limit=args.limit,
                            time_budget=args.time_budget, id=row.id))
        if progress is not None:
            progress(len(out))
    return out


def _write(answers: list[KMCheck], fmt: str) -> None:
    if fmt == "json":  # one array, one object per line
        print("[\n" + ",\n".join(json.dumps(a.to_json()) for a in answers) + "\n]")
        return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for a in answers:
            writer.writerow({"id": a.id, "n": a.n, "figure": a.figure, "ci": a.ci,
                             "feasible": a.feasible,
                             "event_counts": " ".join(map(str, a.event_counts)),
                             "undecided_counts": " ".join(map(str, a.undecided_counts)),
                             "exhaustive": a.exhaustive, "count_at_least": a.count_at_least,
                             "rounding": " ".join(a.rounding), "seconds": round(a.seconds, 4),
                             "answer": a.describe()})
        return
    for a in answers:
        label = f"{a.id}: " if a.id is not None else ""
        print(f"{label}{a.figure} among {a.n} ({a.ci} CI): {a.describe()}")


def _validate(args) -> int:
    from blina.inverse_km import validation

    if not args.out:
        raise InputError("--validate needs --out FILE")
    rows = validation.validation_rows(time_budget=args.time_budget)
    progress = Progress(None, "figures checked")
    done = validation.write_validation(args.out, rows, progress)
    progress.finish(done)
    return 0


def run(args) -> int:
    try:
        if args.validate:
            return _validate(args)
        if args.limit < 1:
            raise InputError(f"--limit must be at least 1, got {args.limit}")
        if args.input and args.figure:
            raise InputError("give either a figure or --input FILE, not both")
        rows = (read_figures(args.input, args.ci) if args.input
                else [_single_figure(args.figure, args.ci)])
        progress = Progress(len(rows), "figures checked") if args.input else None
        answers = _answers(rows, args, progress)
        if progress is not None:
            progress.finish(len(answers))
        _write(answers, args.format)
        return 0
    except InputError as exc:
        print(f"km-check: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nkm-check: interrupted", file=sys.stderr)
        return 130

