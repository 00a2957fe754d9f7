"""How a data file is read: a text schema, a conversion to typed columns, a typed schema.

Every file in ``data/`` is read as text, checked against a pandera schema and only then
converted to typed columns; nothing is returned when any check fails.  All problems of a file
are collected (pandera's lazy validation) and raised together as one
:class:`DataValidationError` whose message names, for each problem, the file and line, the row
(patient, event, claim, study) and the column, and says what was expected, e.g.::

    data/patients.csv, line 7 (patient 6), column 'response': got 'Cri', expected one of
    CR, CRi, no response

Before any schema, a file is read as bytes: one larger than :data:`MAX_FILE_BYTES` is refused
at once (the published files are a few kB; a 10^6-row copy would otherwise take minutes to
list its problems), a UTF-8 byte-order mark (as spreadsheets write it) is dropped, bytes that
are not UTF-8 and lines the CSV reader cannot split are reported with their line and column.
A message lists at most :data:`MAX_PROBLEMS` problems and says how many more there are.

A file is validated once per process (validated frames are cached by path, modification time
and size; each caller gets a copy).  With ``$BLINA_VALIDATED_DIR`` set (the book build sets
it), a pass is also remembered there, keyed by a hash of the file's bytes, of the schema
modules and of the pandas and pandera versions, so another process loading the same bytes
converts them without importing pandera; a file that fails is never remembered.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from blina.data.paths import data_dir

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_NUMBER_CHARS",
    "MAX_PROBLEMS",
    "VALIDATED_DIR_ENV",
    "DataValidationError",
    "FileSpec",
    "category",
    "levels_column",
    "load_validated",
    "nullable_float",
    "nullable_int",
    "number_column",
    "pandera",
    "show_path",
    "text_column",
]

#: environment variable naming a folder where files that passed validation are remembered
#: across processes (see :func:`validated_stamp`); unset, every process validates
VALIDATED_DIR_ENV = "BLINA_VALIDATED_DIR"
#: the schema modules whose source is part of a validation stamp
SCHEMA_MODULES = ("validation.py", "files.py")
#: largest data file read (bytes): the biggest published file, claims.csv, is about 16 kB
MAX_FILE_BYTES = 1_000_000
#: problems listed in a :class:`DataValidationError` message (the rest are counted)
MAX_PROBLEMS = 20
#: longest number a numeric text column accepts (int64 holds 18 digits)
MAX_NUMBER_CHARS = 18

_PANDERA = []


def pandera():
    """``pandera.pandas``, imported on first use (0.2 s that a loader answered from a
    validation stamp does not pay)."""
    if not _PANDERA:
        _import_pandera_without_hypothesis()
        import pandera.pandas

        _PANDERA.append(pandera.pandas)
    return _PANDERA[0]


def _import_pandera_without_hypothesis() -> None:
    """Import pandera's data-synthesis strategies with ``hypothesis`` hidden from them.

    Validation never generates data, but pandera's pandas backends import
    ``pandera.strategies`` on the first ``validate``, and that imports ``hypothesis`` whenever
    it is installed (it is, for the tests): about 0.25 s in every fresh kernel, a quarter of the
    cost of a chapter's first data load.  Hidden, pandera falls back to its own placeholders, so
    in this process ``schema.strategy()``/``example()`` would say hypothesis is missing; nothing
    in blina or the book uses them.  When hypothesis is already imported (pytest loads it),
    nothing is hidden.
    """
    if "hypothesis" in sys.modules or "pandera.strategies.base_strategies" in sys.modules:
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]  # "import hypothesis" fails
    try:
        import pandera.strategies.pandas_strategies  # noqa: F401
    finally:
        del sys.modules["hypothesis"]


def show_path(path: Path) -> str:
    """``path`` relative to the repository (``data/patients.csv``) when it is inside it."""
    try:
        return str(path.resolve().relative_to(data_dir().resolve().parent))
    except ValueError:
        return str(path)


class DataValidationError(ValueError):
    """A data file does not match its schema.

    ``problems`` lists one message per failure, at most :data:`MAX_PROBLEMS` of them;
    ``count`` is the number of problems found (default: as many as listed).
    """

    def __init__(self, path: Path, problems: list[str], count: int | None = None):
        self.path = Path(path)
        self.problems = list(problems)[:MAX_PROBLEMS]
        self.count = max(len(problems) if count is None else count, len(self.problems))
        head = f"{show_path(self.path)}: {self.count} problem(s); nothing was loaded"
        lines = [head, *self.problems]
        if self.count > len(self.problems):
            lines[0] += f" (the first {len(self.problems)} follow)"
            lines.append(f"... and {self.count - len(self.problems)} more problem(s)")
        super().__init__("\n  ".join(lines))


@dataclass(frozen=True)
class FileSpec:
    """How to read one file: its columns, how to name a row, its two schemas.

    ``text_checks`` and ``typed`` receive ``pandera.pandas`` and build the column checks and
    the typed schema on first validation (pandera is imported lazily); ``convert`` turns the
    validated text frame into typed columns.
    """

    filename: str
    columns: list[str]
    key: str                                     # column naming a row ("patient 6")
    text_checks: Callable[[object], dict]
    convert: Callable[[pd.DataFrame], pd.DataFrame]
    typed: Callable[[object], object]
    #: ``(column, values)``: the file must hold a row for each value (a deleted row is named)
    required_rows: tuple[str, tuple[str, ...]] | None = None


def _read_text(path: Path) -> pd.DataFrame:
    """The file as a frame of text cells (see the module docstring for what is refused)."""
    if not path.is_file():
        raise FileNotFoundError(f"{show_path(path)}: file not found")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataValidationError(path, [
            f"whole file: {size / 1e6:.1f} MB, more than the {MAX_FILE_BYTES / 1e6:g} MB a data "
            "file may hold (is it the right file?); not read"])
    rows = _csv_rows(path, _decode(path, path.read_bytes()))
    if not rows:
        raise DataValidationError(path, ["the file is empty (no header row)"])
    header, body = rows[0], rows[1:]
    bad = [(i, r) for i, r in enumerate(body) if len(r) != len(header)]
    if bad:
        raise DataValidationError(
            path, [f"line {i + 2}: {len(r)} fields, expected {len(header)} (as in the header)"
                   for i, r in bad[:MAX_PROBLEMS]], count=len(bad))
    return pd.DataFrame(body, columns=header, dtype=str)


def _decode(path: Path, raw: bytes) -> str:
    """``raw`` as UTF-8 text without a byte-order mark; else an error naming line and column."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        start = raw.rfind(b"\n", 0, err.start) + 1
        line = raw.count(b"\n", 0, err.start) + 1
        header = next(csv.reader([raw.split(b"\n", 1)[0].decode("utf-8-sig", "replace")]), [])
        field = len(next(csv.reader([raw[start:err.start].decode("utf-8", "replace")]), [""]))
        column = f"column {header[field - 1]!r}" if 0 < field <= len(header) else "a column"
        byte = raw[err.start:err.end].hex(" ", 1).replace(" ", " 0x")
        raise DataValidationError(path, [
            f"line {line}, {column}: byte 0x{byte} is not UTF-8 (save the file as UTF-8, "
            "\"CSV UTF-8\" in a spreadsheet)"]) from None


def _csv_rows(path: Path, text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text))
    try:
        return list(reader)
    except csv.Error as err:
        raise DataValidationError(path, [f"line {reader.line_num}: {err}"]) from None


def _row_label(df: pd.DataFrame, index, key: str) -> str:
    if index is None or pd.isna(index):
        return "whole file"
    i = int(index)
    who = f"{key} {df.at[i, key]}" if key in df.columns and i in df.index else "?"
    return f"line {i + 2} ({who})"


_DESCRIPTIONS = (("isin(", "expected one of "), ("str_matches(", "expected a number matching "),
                 ("greater_than_or_equal_to(", "expected ≥ "),
                 ("less_than_or_equal_to(", "expected ≤ "))


def _describe(check: str) -> str:
    """What a failed pandera check expected, in words."""
    check = str(check)
    if check.startswith("in_range("):
        low, high = (x.strip() for x in check[len("in_range("):-1].split(",")[:2])
        return f"expected a value between {low} and {high}"
    for prefix, text in _DESCRIPTIONS:
        if check.startswith(prefix):
            inner = check[len(prefix):-1]
            return text + (inner.strip("[]").replace("'", "") if prefix == "isin(" else inner)
    if check.startswith("str_length("):
        high = check[len("str_length("):-1].split(",")[-1].strip()
        return f"expected a number of at most {high} characters"
    if check == "field_uniqueness":
        return "expected unique values (duplicate)"
    if check == "not_nullable":
        return "expected a value (cell is empty)"
    return f"failed check {check!r}"


def _problems(err, df: pd.DataFrame, key: str) -> tuple[list[str], int]:
    """The first :data:`MAX_PROBLEMS` messages of a pandera ``SchemaErrors`` (duplicates
    dropped) and the number of distinct failures; only the listed ones are formatted."""
    cases = err.failure_cases.astype({"index": object, "failure_case": object}).drop_duplicates(
        subset=["schema_context", "column", "check", "failure_case", "index"])
    line = pd.to_numeric(cases["index"], errors="coerce")  # whole-file problems (NaN) first
    cases = cases.iloc[np.argsort(line.fillna(-1).to_numpy(), kind="stable")]
    out: list[str] = []
    for f in cases.itertuples(index=False):
        if len(out) == MAX_PROBLEMS:
            break
        message = _problem(f, df, key)
        if message not in out:
            out.append(message)
    return out, max(len(cases), len(out))


def _problem(f, df: pd.DataFrame, key: str) -> str:
    column, check, case, index = f.column, f.check, f.failure_case, f.index
    if f.schema_context == "DataFrameSchema" and check == "column_in_dataframe":
        return f"whole file, column {case!r}: missing (renamed or deleted?)"
    if f.schema_context == "DataFrameSchema" and check == "column_in_schema":
        return f"whole file, column {case!r}: unknown column (renamed or extra?)"
    if f.schema_context == "DataFrameSchema":
        return f"{_row_label(df, index, key)}: {check}"
    return f"{_row_label(df, index, key)}, column {column!r}: got {case!r}, {_describe(check)}"


_CACHE: dict[tuple, pd.DataFrame] = {}


def load_validated(spec: FileSpec, path: str | Path | None) -> pd.DataFrame:
    """``path`` (default: the spec's file in the data directory) validated and typed; a copy."""
    path = Path(path) if path is not None else data_dir() / spec.filename
    if path.is_file():
        stat = path.stat()
        key = (spec.filename, str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if key not in _CACHE:
            _CACHE[key] = _validate(spec, path)
        return _CACHE[key].copy(deep=True)
    return _validate(spec, path)


def validated_stamp(spec: FileSpec, path: Path) -> Path | None:
    """Where a pass of ``path`` through ``spec`` is remembered, when ``$BLINA_VALIDATED_DIR``
    is set: a SHA-256 of the file's bytes, of the schema modules' source and of the pandas and
    pandera versions, so any change to one of them validates again."""
    folder = os.environ.get(VALIDATED_DIR_ENV)
    if not folder:
        return None
    from importlib.metadata import version

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    parts = [(here / name).read_bytes() for name in SCHEMA_MODULES]
    parts += [f"{pd.__version__} {version('pandera')}".encode(), spec.filename.encode(),
              path.read_bytes()]
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return Path(folder) / f"{spec.filename}.{digest.hexdigest()}.ok"


def _columns_as_specified(spec: FileSpec, path: Path, text: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in spec.columns if c not in text.columns]
    extra = [c for c in text.columns if c not in spec.columns]
    if missing or extra:
        raise DataValidationError(
            path,
            [f"whole file, column {c!r}: missing (renamed or deleted?)" for c in missing]
            + [f"whole file, column {c!r}: unknown column (renamed or extra?)" for c in extra])
    return text[spec.columns]


def _missing_rows(spec: FileSpec, text: pd.DataFrame) -> list[str]:
    """One problem per value of ``spec.required_rows`` that no row holds."""
    if spec.required_rows is None:
        return []
    column, values = spec.required_rows
    present = set(text[column].str.strip())
    return [f"whole file: no row for {column} {value!r} (deleted? each of "
            f"{', '.join(values)} needs one)" for value in values if value not in present]


def _validate(spec: FileSpec, path: Path) -> pd.DataFrame:
    text = _columns_as_specified(spec, path, _read_text(path))
    stamp = validated_stamp(spec, path)
    if stamp is not None and stamp.is_file():  # these bytes passed these schemas before
        return spec.convert(text)
    pa = pandera()
    text_schema = pa.DataFrameSchema(spec.text_checks(pa), strict=True, ordered=False)
    missing = _missing_rows(spec, text)
    try:
        text_schema.validate(text, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems, count = _problems(err, text, spec.key)
        raise DataValidationError(path, missing + problems, len(missing) + count) from None
    typed = spec.convert(text)
    try:
        spec.typed(pa).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems, count = _problems(err, text, spec.key)
        raise DataValidationError(path, missing + problems, len(missing) + count) from None
    if missing:
        raise DataValidationError(path, missing)
    if stamp is not None:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        partial = stamp.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(f"{path}\n", encoding="utf-8")
        partial.replace(stamp)  # atomic: a chapter running in parallel sees all or nothing
    return typed


# ---------------------------------------------------------------------------------------------
# building blocks of the schemas and conversions


def text_column(*checks, nullable: bool = False, unique: bool = False):
    """A text column; an empty cell counts as missing when ``nullable`` is False; with
    ``unique``, no value may appear twice."""
    pa = pandera()
    all_checks = list(checks)
    if not nullable:
        all_checks.append(pa.Check(lambda s: s.str.strip() != "", element_wise=False,
                                   error="expected a value (cell is empty)"))
    return pa.Column(str, all_checks, unique=unique)


def levels_column(levels: list[str] | tuple[str, ...], *, empty: bool = False,
                  unique: bool = False):
    """A text column holding one of ``levels`` (or nothing, with ``empty``); with ``unique``,
    each at most once."""
    pa = pandera()
    return pa.Column(str, pa.Check.isin([*levels, ""] if empty else list(levels)),
                     unique=unique)


def number_column(pattern: str, *, empty: bool = False):
    """A text column matching the regular expression ``pattern`` (or empty, with ``empty``), of
    at most :data:`MAX_NUMBER_CHARS` characters (so it converts without overflow)."""
    pa = pandera()
    return pa.Column(str, [pa.Check.str_matches(f"^({pattern})?$" if empty else f"^{pattern}$"),
                           pa.Check.str_length(max_value=MAX_NUMBER_CHARS)])


def category(series: pd.Series, levels: list[str], ordered: bool = False) -> pd.Series:
    """Text as a categorical with ``levels`` (empty cells missing)."""
    return series.replace("", pd.NA).astype(pd.CategoricalDtype(levels, ordered=ordered))


def nullable_int(series: pd.Series) -> pd.Series:
    """Text as nullable integers (empty cells ``<NA>``)."""
    return pd.to_numeric(series.replace("", pd.NA)).astype("Int64")


def nullable_float(series: pd.Series) -> pd.Series:
    """Text as nullable floats (empty cells ``<NA>``)."""
    return pd.to_numeric(series.replace("", pd.NA)).astype("Float64")
