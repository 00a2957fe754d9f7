"""Loaders for the published data, validated with pandera schemas.

Every file in ``data/`` is read as text, checked against a schema and only then converted to
typed columns; nothing is returned when any check fails.  All problems of a file are collected
(pandera's lazy validation) and raised together as one :class:`DataValidationError` whose
message names, for each problem, the file and line, the patient (or event, claim, study) and
the column, and says what was expected, e.g.::

    data/patients.csv, line 7 (patient 6), column 'response': got 'Cri', expected one of
    CR, CRi, no response

A file is validated once per process.  With ``$BLINA_VALIDATED_DIR`` set (the book build sets
it), a pass is also remembered there, keyed by a hash of the file's bytes, of this module and of
the pandas and pandera versions, so another process loading the same bytes converts them without
importing pandera; a file that fails is never remembered.

Files (see ``data/README.md`` for the data dictionary and provenance):

- ``patients.csv`` — Tables 1 and 2 of Yin et al. (2024), one row per patient;
- ``adverse_events.csv`` — Table 3 (N = 30);
- ``claims.csv`` — the claims ledger, every checkable number the paper prints;
- ``comparators.csv`` — published results of other blinatumomab studies (discussion chapter);
- ``patient_notes.csv`` — the table notes about individual patients (e.g. relapse after
  transplant before blinatumomab), kept as data rather than lost text.

Reference: Yin J, et al. Cancer Medicine 2024;13:e70515, doi:10.1002/cam4.70515.
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

import pandas as pd

from blina.paths import data_dir

#: ``pandera.pandas``, imported by :func:`_pandera` when a file is first validated
pa = None
#: environment variable naming a folder where files that passed validation are remembered
#: across processes (see :func:`_validated_stamp`); unset, every process validates
VALIDATED_DIR_ENV = "BLINA_VALIDATED_DIR"


def _pandera():
    """``pandera.pandas`` (imported on first use: 0.2 s that a loader answered from a
    validation stamp does not pay)."""
    global pa
    if pa is None:
        _pandera_without_hypothesis()
        import pandera.pandas

        pa = pandera.pandas
    return pa


def _pandera_without_hypothesis() -> None:
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

__all__ = [
    "DataValidationError",
    "PATIENT_LEVELS",
    "load_adverse_events",
    "load_claims",
    "load_cohort",
    "load_comparators",
    "load_patient_notes",
]


class DataValidationError(ValueError):
    """A data file does not match its schema; ``problems`` lists one message per failure."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = Path(path)
        self.problems = list(problems)
        head = f"{_show(self.path)}: {len(self.problems)} problem(s); nothing was loaded"
        super().__init__("\n  ".join([head, *self.problems]))


# Allowed values of the categorical columns, in their natural order.
PATIENT_LEVELS: dict[str, list[str]] = {
    "sex": ["M", "F"],
    "disease_status": ["primary refractory", "1R", "2R", "3R"],
    "risk": ["standard", "poor"],
    "prior_therapy": ["Chemotherapy", "Chemotherapy+allo-HSCT", "Chemotherapy+allo-HSCT+CART"],
    "response": ["CR", "CRi", "no response"],
    "followup_therapy": ["none", "Chemotherapy", "Blina", "CART", "Allo-HSCT", "CART+allo-HSCT"],
    "vital_status": ["alive", "dead"],
    "cause_of_death": ["Leukemia", "Infection"],
}
ORDERED = {"disease_status"}
N_PATIENTS = 30
CLAIM_SECTIONS = ["abstract", "2.2", "2.3", "3.1", "table1", "3.2", "table2", "3.3", "table3",
                  "3.4", "4", "5"]
CLAIM_KINDS = ["count", "percent", "median", "range", "mean", "km_estimate", "km_ci",
               "p_value", "followup", "duration", "dose", "statement"]
AE_EVENTS = ["Neutropenia", "Anemia", "Thrombocytopenia", "Fever", "Infection",
             "Cytokine release syndrome", "Tumor lysis syndrome", "Capillary leak syndrome",
             "Neurologic event", "Elevated liver enzymes", "Infusion-related reaction"]

_BOOL = {"true": True, "false": False}
_INT = r"[0-9]+"
_NUM = r"[0-9]+(\.[0-9]+)?"


# ---------------------------------------------------------------------------------------------
# generic machinery: text schema -> typed frame -> typed schema, errors mapped to file lines


@dataclass(frozen=True)
class _Spec:
    """How to read one file: its columns, how to name a row, its two schemas."""

    filename: str
    columns: list[str]
    key: str                       # column naming a row in messages ("patient 6")
    text_checks: Callable[[], dict[str, pa.Column]]   # built on first validation
    convert: Callable[[pd.DataFrame], pd.DataFrame]
    typed: Callable[[], pa.DataFrameSchema]


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(data_dir().resolve().parent))
    except ValueError:
        return str(path)


def _read_text(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise FileNotFoundError(f"{_show(path)}: file not found")
    raw = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(raw)))
    if not rows:
        raise DataValidationError(path, ["the file is empty (no header row)"])
    header, body = rows[0], rows[1:]
    problems = [f"line {i + 2}: {len(r)} fields, expected {len(header)} (as in the header)"
                for i, r in enumerate(body) if len(r) != len(header)]
    if problems:
        raise DataValidationError(path, problems)
    return pd.DataFrame(body, columns=header, dtype=str)


def _row_label(df: pd.DataFrame, index, key: str) -> str:
    if index is None or pd.isna(index):
        return "whole file"
    i = int(index)
    who = f"{key} {df.at[i, key]}" if key in df.columns and i in df.index else "?"
    return f"line {i + 2} ({who})"


def _describe(check: str) -> str:
    check = str(check)
    for prefix, text in (("isin(", "expected one of "), ("str_matches(", "expected a number "
                                                                        "matching "),
                         ("in_range(", "expected a value in "), ("greater_than_or_equal_to(",
                                                                 "expected ≥ "),
                         ("less_than_or_equal_to(", "expected ≤ ")):
        if check.startswith(prefix):
            inner = check[len(prefix):-1]
            if prefix == "isin(":
                inner = inner.strip("[]").replace("'", "")
            if prefix == "in_range(":
                low, high = (x.strip() for x in inner.split(",")[:2])
                return f"expected a value between {low} and {high}"
            return text + inner
    if check == "field_uniqueness":
        return "expected unique values (duplicate)"
    if check == "not_nullable":
        return "expected a value (cell is empty)"
    return f"failed check {check!r}"


def _problems(err: pa.errors.SchemaErrors, df: pd.DataFrame, key: str) -> list[str]:
    out = []
    fc = err.failure_cases
    for _, f in fc.iterrows():
        column, check, case, index = f["column"], f["check"], f["failure_case"], f["index"]
        if f["schema_context"] == "DataFrameSchema" and check == "column_in_dataframe":
            out.append(f"whole file, column {case!r}: missing (renamed or deleted?)")
        elif f["schema_context"] == "DataFrameSchema" and check == "column_in_schema":
            out.append(f"whole file, column {case!r}: unknown column (renamed or extra?)")
        elif f["schema_context"] == "DataFrameSchema":
            out.append(f"{_row_label(df, index, key)}: {check}")
        else:
            out.append(f"{_row_label(df, index, key)}, column {column!r}: got {case!r}, "
                       f"{_describe(check)}")
    return list(dict.fromkeys(out))


# validated frames by (file name, path, modification time, size): a file is validated once per
# process and each caller gets its own copy
_CACHE: dict[tuple, pd.DataFrame] = {}


def _load(spec: _Spec, path: str | Path | None) -> pd.DataFrame:
    path = Path(path) if path is not None else data_dir() / spec.filename
    if path.is_file():
        stat = path.stat()
        key = (spec.filename, str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if key not in _CACHE:
            _CACHE[key] = _validate(spec, path)
        return _CACHE[key].copy(deep=True)
    return _validate(spec, path)


def _validated_stamp(spec: _Spec, path: Path) -> Path | None:
    """Where a pass of ``path`` through ``spec`` is remembered, when ``$BLINA_VALIDATED_DIR``
    is set (``scripts/build_book.py`` sets it, so that each chapter's fresh kernel does not
    import pandera and check the same bytes again).  The name is a SHA-256 of the file's bytes,
    of this module's source (the schemas and conversions) and of the pandas and pandera
    versions, so any change to one of them validates again."""
    folder = os.environ.get(VALIDATED_DIR_ENV)
    if not folder:
        return None
    from importlib.metadata import version

    digest = hashlib.sha256()
    for part in (Path(__file__).read_bytes(), f"{pd.__version__} {version('pandera')}".encode(),
                 spec.filename.encode(), path.read_bytes()):
        digest.update(hashlib.sha256(part).digest())
    return Path(folder) / f"{spec.filename}.{digest.hexdigest()}.ok"


def _validate(spec: _Spec, path: Path) -> pd.DataFrame:
    text = _read_text(path)
    missing = [c for c in spec.columns if c not in text.columns]
    extra = [c for c in text.columns if c not in spec.columns]
    if missing or extra:
        raise DataValidationError(
            path,
            [f"whole file, column {c!r}: missing (renamed or deleted?)" for c in missing]
            + [f"whole file, column {c!r}: unknown column (renamed or extra?)" for c in extra])
    text = text[spec.columns]
    stamp = _validated_stamp(spec, path)
    if stamp is not None and stamp.is_file():  # these bytes passed these schemas before
        return spec.convert(text)
    pa = _pandera()
    text_schema = pa.DataFrameSchema(spec.text_checks(), strict=True, ordered=False)
    try:
        text_schema.validate(text, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise DataValidationError(path, _problems(err, text, spec.key)) from None
    typed = spec.convert(text)
    try:
        spec.typed().validate(typed, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise DataValidationError(path, _problems(err, text, spec.key)) from None
    if stamp is not None:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        partial = stamp.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(f"{path}\n", encoding="utf-8")
        partial.replace(stamp)  # atomic: a chapter running in parallel sees all or nothing
    return typed


def _txt(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    """A text column; an empty cell counts as missing when ``nullable`` is False."""
    all_checks = list(checks)
    if not nullable:
        all_checks.append(pa.Check(lambda s: s.str.strip() != "", element_wise=False,
                                   error="expected a value (cell is empty)"))
    return pa.Column(str, all_checks)


def _levels(levels: list[str], *, empty: bool = False) -> pa.Column:
    allowed = [*levels, ""] if empty else levels
    return pa.Column(str, pa.Check.isin(allowed))


def _number(pattern: str, *, empty: bool = False) -> pa.Column:
    pat = f"({pattern})?" if empty else pattern
    return pa.Column(str, pa.Check.str_matches(f"^{pat}$"))


def _category(series: pd.Series, levels: list[str], ordered: bool = False) -> pd.Series:
    return series.replace("", pd.NA).astype(pd.CategoricalDtype(levels, ordered=ordered))


def _nullable_int(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.replace("", pd.NA)).astype("Int64")


def _nullable_float(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.replace("", pd.NA)).astype("Float64")


# ---------------------------------------------------------------------------------------------
# patients.csv (Tables 1 and 2)


def _patients_convert(t: pd.DataFrame) -> pd.DataFrame:
    df = pd.DataFrame(index=t.index)
    df["patient"] = t["patient"].astype("int64")
    df["age"] = t["age"].astype("int64")
    for col in ("sex", "disease_status", "risk", "prior_therapy"):
        df[col] = _category(t[col], PATIENT_LEVELS[col], col in ORDERED)
    df["bm_blast_pct"] = t["bm_blast_pct"].astype("float64")
    df["response"] = _category(t["response"], PATIENT_LEVELS["response"])
    df["mrd_negative"] = t["mrd_negative"].map(_BOOL).astype(bool)
    df["followup_therapy"] = _category(t["followup_therapy"], PATIENT_LEVELS["followup_therapy"])
    df["relapse"] = t["relapse"].map(_BOOL).astype("boolean")
    df["vital_status"] = _category(t["vital_status"], PATIENT_LEVELS["vital_status"])
    df["cause_of_death"] = _category(t["cause_of_death"], PATIENT_LEVELS["cause_of_death"])
    return df


def _dead_have_a_cause(df: pd.DataFrame) -> pd.Series:
    return (df["vital_status"] == "dead") == df["cause_of_death"].notna()


def _nonresponders_have_no_relapse(df: pd.DataFrame) -> pd.Series:
    return ~((df["response"] == "no response") & df["relapse"].fillna(False).astype(bool))


_PATIENTS = _Spec(
    filename="patients.csv",
    columns=["patient", "age", "sex", "disease_status", "risk", "prior_therapy", "bm_blast_pct",
             "response", "mrd_negative", "followup_therapy", "relapse", "vital_status",
             "cause_of_death"],
    key="patient",
    text_checks=lambda: {
        "patient": _number(_INT), "age": _number(_INT), "bm_blast_pct": _number(_NUM),
        **{c: _levels(PATIENT_LEVELS[c]) for c in
           ("sex", "disease_status", "risk", "prior_therapy", "response", "followup_therapy",
            "vital_status")},
        "mrd_negative": _levels(["true", "false"]),
        "relapse": _levels(["true", "false"], empty=True),
        "cause_of_death": _levels(PATIENT_LEVELS["cause_of_death"], empty=True),
    },
    convert=_patients_convert,
    typed=lambda: pa.DataFrameSchema(
        {
            "patient": pa.Column(int, pa.Check.in_range(1, N_PATIENTS), unique=True),
            "age": pa.Column(int, pa.Check.in_range(14, 100)),
            "bm_blast_pct": pa.Column(float, pa.Check.in_range(0, 100)),
        },
        checks=[
            pa.Check(lambda df: len(df) == N_PATIENTS,
                     error=f"expected {N_PATIENTS} patients (one row each)"),
            pa.Check(_dead_have_a_cause,
                     error="vital_status and cause_of_death disagree: a dead patient needs a "
                           "cause of death and an alive one must have none"),
            pa.Check(_nonresponders_have_no_relapse,
                     error="a patient with no response cannot have relapsed"),
        ],
    ),
)


def load_cohort(path: str | Path | None = None) -> pd.DataFrame:
    """The 30 patients of Tables 1 and 2 (``data/patients.csv``), validated and typed.

    Columns: ``patient`` (int 1–30), ``age`` (int, years), ``sex``, ``disease_status``
    (ordered: primary refractory < 1R < 2R < 3R), ``risk``, ``prior_therapy``,
    ``bm_blast_pct`` (float, % bone-marrow blasts before blinatumomab), ``response``,
    ``mrd_negative`` (bool), ``followup_therapy``, ``relapse`` (nullable boolean: ``<NA>`` where
    Table 2 left the cell empty — patients 9, 11, 24, 26), ``vital_status`` and
    ``cause_of_death`` (``<NA>`` when alive); categoricals carry :data:`PATIENT_LEVELS`.

    Raises :class:`DataValidationError` naming file, line, patient and column for every problem.
    """
    return _load(_PATIENTS, path)


# ---------------------------------------------------------------------------------------------
# adverse_events.csv (Table 3)


def _ae_convert(t: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"event": t["event"], "any_grade": t["any_grade"].astype("int64"),
                         "grade_3_plus": t["grade_3_plus"].astype("int64")})


_AE = _Spec(
    filename="adverse_events.csv",
    columns=["event", "any_grade", "grade_3_plus"],
    key="event",
    text_checks=lambda: {"event": _levels(AE_EVENTS), "any_grade": _number(_INT),
                 "grade_3_plus": _number(_INT)},
    convert=_ae_convert,
    typed=lambda: pa.DataFrameSchema(
        {
            "event": pa.Column(str, unique=True),
            "any_grade": pa.Column(int, pa.Check.in_range(0, N_PATIENTS)),
            "grade_3_plus": pa.Column(int, pa.Check.in_range(0, N_PATIENTS)),
        },
        checks=[
            pa.Check(lambda df: df["grade_3_plus"] <= df["any_grade"],
                     error="grade_3_plus exceeds any_grade"),
            pa.Check(lambda df: len(df) == len(AE_EVENTS),
                     error=f"expected the {len(AE_EVENTS)} events of Table 3"),
        ],
    ),
)


def load_adverse_events(path: str | Path | None = None) -> pd.DataFrame:
    """Table 3 (``data/adverse_events.csv``): ``event``, ``any_grade``, ``grade_3_plus``.

    Counts of patients (N = 30) with each event; grade ≥ 3 never exceeds any grade.
    """
    return _load(_AE, path)


# ---------------------------------------------------------------------------------------------
# claims.csv (the ledger)


def _claims_convert(t: pd.DataFrame) -> pd.DataFrame:
    df = t.copy()
    df["section"] = _category(t["section"], CLAIM_SECTIONS)
    df["kind"] = _category(t["kind"], CLAIM_KINDS)
    df["denominator"] = _nullable_int(t["denominator"])
    df["note"] = t["note"].replace("", pd.NA)
    return df


_CLAIMS = _Spec(
    filename="claims.csv",
    columns=["claim_id", "section", "quote", "reported", "kind", "denominator", "note"],
    key="claim_id",
    text_checks=lambda: {
        "claim_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9.\-]*$"), unique=True),
        "section": _levels(CLAIM_SECTIONS),
        "quote": _txt(),
        "reported": _txt(),
        "kind": _levels(CLAIM_KINDS),
        "denominator": _number(_INT, empty=True),
        "note": _txt(nullable=True),
    },
    convert=_claims_convert,
    typed=lambda: pa.DataFrameSchema({"denominator": pa.Column("Int64", pa.Check.gt(0),
                                                       nullable=True)}),
)


def load_claims(path: str | Path | None = None) -> pd.DataFrame:
    """The claims ledger (``data/claims.csv``): one row per checkable claim of the paper.

    ``claim_id`` (unique), ``section`` and ``kind`` (categoricals), ``quote`` (the paper's own
    words), ``reported`` (as printed), ``denominator`` (nullable int), ``note``.
    """
    return _load(_CLAIMS, path)


# ---------------------------------------------------------------------------------------------
# comparators.csv (other blinatumomab studies, for the discussion)


COMPARATOR_COLUMNS = ["study", "year", "journal", "design", "population", "setting",
                      "n_treated", "endpoint", "responders", "n_evaluated", "rate_pct",
                      "median_os_months", "note", "source"]


def _comparators_convert(t: pd.DataFrame) -> pd.DataFrame:
    df = t.copy()
    for col in ("year", "n_treated"):
        df[col] = t[col].astype("int64")
    for col in ("responders", "n_evaluated"):
        df[col] = _nullable_int(t[col])
    for col in ("rate_pct", "median_os_months"):
        df[col] = _nullable_float(t[col])
    df["note"] = t["note"].replace("", pd.NA)
    return df


def _rate_matches_counts(df: pd.DataFrame) -> pd.Series:
    both = df["responders"].notna() & df["n_evaluated"].notna() & df["rate_pct"].notna()
    pct = 100 * df["responders"].astype("Float64") / df["n_evaluated"].astype("Float64")
    return (~both | ((pct - df["rate_pct"]).abs() <= 0.6)).fillna(True).astype(bool)


def _responders_within(df: pd.DataFrame) -> pd.Series:
    both = df["responders"].notna() & df["n_evaluated"].notna()
    return (~both | (df["responders"] <= df["n_evaluated"])).fillna(True).astype(bool)


_COMPARATORS = _Spec(
    filename="comparators.csv",
    columns=COMPARATOR_COLUMNS,
    key="study",
    text_checks=lambda: {
        **{c: _txt() for c in ("study", "journal", "design", "population", "setting",
                                "endpoint", "source")},
        "year": _number(r"(19|20)[0-9]{2}"),
        "n_treated": _number(_INT),
        "responders": _number(_INT, empty=True),
        "n_evaluated": _number(_INT, empty=True),
        "rate_pct": _number(_NUM, empty=True),
        "median_os_months": _number(_NUM, empty=True),
        "note": _txt(nullable=True),
    },
    convert=_comparators_convert,
    typed=lambda: pa.DataFrameSchema(
        {"rate_pct": pa.Column("Float64", pa.Check.in_range(0, 100), nullable=True),
         "n_treated": pa.Column(int, pa.Check.gt(0))},
        checks=[
            pa.Check(_responders_within, error="responders exceeds n_evaluated"),
            pa.Check(_rate_matches_counts,
                     error="rate_pct differs from 100 × responders / n_evaluated by more than "
                           "rounding"),
        ],
    ),
)


def load_comparators(path: str | Path | None = None) -> pd.DataFrame:
    """Published results of other blinatumomab studies (``data/comparators.csv``).

    Copied from the project's sourced context table; ``source`` is the study's key in
    ``references.bib``.  ``responders`` is ``<NA>`` where only a percentage was published, so an
    exact interval can be computed only for rows with both ``responders`` and ``n_evaluated``.
    """
    return _load(_COMPARATORS, path)


# ---------------------------------------------------------------------------------------------
# patient_notes.csv (table notes about individual patients)


def _notes_convert(t: pd.DataFrame) -> pd.DataFrame:
    df = t.copy()
    df["patient"] = t["patient"].astype("int64")
    df["relapses_after_hsct"] = t["relapses_after_hsct"].astype("int64")
    df["relapses_after_cart"] = t["relapses_after_cart"].astype("int64")
    return df


_NOTES = _Spec(
    filename="patient_notes.csv",
    columns=["patient", "relapses_after_hsct", "relapses_after_cart", "note", "source"],
    key="patient",
    text_checks=lambda: {"patient": _number(_INT), "relapses_after_hsct": _number(_INT),
                 "relapses_after_cart": _number(_INT), "note": _txt(), "source": _txt()},
    convert=_notes_convert,
    typed=lambda: pa.DataFrameSchema(
        {"patient": pa.Column(int, pa.Check.in_range(1, N_PATIENTS), unique=True)}),
)


def load_patient_notes(path: str | Path | None = None) -> pd.DataFrame:
    """Table notes about single patients (``data/patient_notes.csv``).

    The note under Table 1 says which patients had relapsed after allogeneic transplant (and,
    for one, after CAR-T) before blinatumomab; one row per such patient with the number of
    those relapses, the note in our words and where it is printed.
    """
    return _load(_NOTES, path)
