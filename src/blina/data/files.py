"""The published data files, each with its schema and loader.

Files (see ``data/README.md`` for the data dictionary and provenance):

- ``patients.csv`` — Tables 1 and 2 of Yin et al. (2024), one row per patient;
- ``adverse_events.csv`` — Table 3 (N = 30);
- ``claims.csv`` — the claims ledger, every checkable number the paper prints;
- ``comparators.csv`` — published results of other blinatumomab studies (discussion chapter);
- ``patient_notes.csv`` — the table notes about individual patients (e.g. relapse after
  transplant before blinatumomab), kept as data rather than lost text.

How a file is read and what an error says: :mod:`blina.data.validation`.

Reference: Yin J, et al. Cancer Medicine 2024;13:e70515, doi:10.1002/cam4.70515.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from blina.data.validation import (
    FileSpec,
    category,
    levels_column,
    load_validated,
    nullable_float,
    nullable_int,
    number_column,
    text_column,
)
from blina.study import N_PATIENTS

__all__ = [
    "AE_EVENTS",
    "CLAIM_KINDS",
    "CLAIM_SECTIONS",
    "COMPARATOR_COLUMNS",
    "COMPARATOR_SOURCES",
    "PATIENT_LEVELS",
    "load_adverse_events",
    "load_claims",
    "load_cohort",
    "load_comparators",
    "load_patient_notes",
]

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
CLAIM_SECTIONS = ["abstract", "1", "2.1", "2.2", "2.3", "2.4", "3.1", "table1", "3.2", "table2",
                  "3.3", "table3", "3.4", "figure1", "figure2", "4", "5"]
CLAIM_KINDS = ["count", "percent", "median", "range", "mean", "km_estimate", "km_ci",
               "p_value", "followup", "duration", "dose", "statement"]
AE_EVENTS = ["Neutropenia", "Anemia", "Thrombocytopenia", "Fever", "Infection",
             "Cytokine release syndrome", "Tumor lysis syndrome", "Capillary leak syndrome",
             "Neurologic event", "Elevated liver enzymes", "Infusion-related reaction"]

_BOOL = {"true": True, "false": False}
_INT = r"[0-9]+"
_NUM = r"[0-9]+(\.[0-9]+)?"


# ---------------------------------------------------------------------------------------------
# patients.csv (Tables 1 and 2)


def _patients_convert(t: pd.DataFrame) -> pd.DataFrame:
    df = pd.DataFrame(index=t.index)
    df["patient"] = t["patient"].astype("int64")
    df["age"] = t["age"].astype("int64")
    for col in ("sex", "disease_status", "risk", "prior_therapy"):
        df[col] = category(t[col], PATIENT_LEVELS[col], col in ORDERED)
    df["bm_blast_pct"] = t["bm_blast_pct"].astype("float64")
    df["response"] = category(t["response"], PATIENT_LEVELS["response"])
    df["mrd_negative"] = t["mrd_negative"].map(_BOOL).astype(bool)
    df["followup_therapy"] = category(t["followup_therapy"], PATIENT_LEVELS["followup_therapy"])
    df["relapse"] = t["relapse"].map(_BOOL).astype("boolean")
    df["vital_status"] = category(t["vital_status"], PATIENT_LEVELS["vital_status"])
    df["cause_of_death"] = category(t["cause_of_death"], PATIENT_LEVELS["cause_of_death"])
    return df


def _dead_have_a_cause(df: pd.DataFrame) -> pd.Series:
    return (df["vital_status"] == "dead") == df["cause_of_death"].notna()


def _nonresponders_have_no_relapse(df: pd.DataFrame) -> pd.Series:
    return ~((df["response"] == "no response") & df["relapse"].fillna(False).astype(bool))


_PATIENTS = FileSpec(
    filename="patients.csv",
    columns=["patient", "age", "sex", "disease_status", "risk", "prior_therapy", "bm_blast_pct",
             "response", "mrd_negative", "followup_therapy", "relapse", "vital_status",
             "cause_of_death"],
    key="patient",
    text_checks=lambda pa: {
        "patient": number_column(_INT), "age": number_column(_INT),
        "bm_blast_pct": number_column(_NUM),
        **{c: levels_column(PATIENT_LEVELS[c]) for c in
           ("sex", "disease_status", "risk", "prior_therapy", "response", "followup_therapy",
            "vital_status")},
        "mrd_negative": levels_column(["true", "false"]),
        "relapse": levels_column(["true", "false"], empty=True),
        "cause_of_death": levels_column(PATIENT_LEVELS["cause_of_death"], empty=True),
    },
    convert=_patients_convert,
    typed=lambda pa: pa.DataFrameSchema(
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
    return load_validated(_PATIENTS, path)


# ---------------------------------------------------------------------------------------------
# adverse_events.csv (Table 3)


def _ae_convert(t: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"event": t["event"], "any_grade": t["any_grade"].astype("int64"),
                         "grade_3_plus": t["grade_3_plus"].astype("int64")})


_AE = FileSpec(
    filename="adverse_events.csv",
    columns=["event", "any_grade", "grade_3_plus"],
    key="event",
    text_checks=lambda pa: {"event": levels_column(AE_EVENTS), "any_grade": number_column(_INT),
                 "grade_3_plus": number_column(_INT)},
    convert=_ae_convert,
    typed=lambda pa: pa.DataFrameSchema(
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
    return load_validated(_AE, path)


# ---------------------------------------------------------------------------------------------
# claims.csv (the ledger)


def _claims_convert(t: pd.DataFrame) -> pd.DataFrame:
    df = t.copy()
    df["section"] = category(t["section"], CLAIM_SECTIONS)
    df["kind"] = category(t["kind"], CLAIM_KINDS)
    df["denominator"] = nullable_int(t["denominator"])
    df["note"] = t["note"].replace("", pd.NA)
    return df


_CLAIMS = FileSpec(
    filename="claims.csv",
    columns=["claim_id", "section", "quote", "reported", "kind", "denominator", "note"],
    key="claim_id",
    text_checks=lambda pa: {
        "claim_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9.\-]*$"), unique=True),
        "section": levels_column(CLAIM_SECTIONS),
        "quote": text_column(),
        "reported": text_column(),
        "kind": levels_column(CLAIM_KINDS),
        "denominator": number_column(_INT, empty=True),
        "note": text_column(nullable=True),
    },
    convert=_claims_convert,
    typed=lambda pa: pa.DataFrameSchema(
        {"denominator": pa.Column("Int64", pa.Check.gt(0), nullable=True)},
        checks=[pa.Check(lambda df: len(df) > 0,
                         error="expected at least one claim (the ledger is empty)")]),
)


def load_claims(path: str | Path | None = None) -> pd.DataFrame:
    """The claims ledger (``data/claims.csv``): one row per checkable claim of the paper.

    ``claim_id`` (unique), ``section`` and ``kind`` (categoricals), ``quote`` (the paper's own
    words), ``reported`` (as printed), ``denominator`` (nullable int), ``note``.
    """
    return load_validated(_CLAIMS, path)


# ---------------------------------------------------------------------------------------------
# comparators.csv (other blinatumomab studies, for the discussion)


#: the ``references.bib`` keys of the comparator studies: one row each (a deleted or repeated
#: study is an error, so the discussion never shows a study twice or silently drops one)
COMPARATOR_SOURCES = ("topp2015", "kantarjian2017", "martinelli2017", "vonstackelberg2016",
                      "gokbuget2018", "aldoss2017", "zhou2022", "yoon2023")
COMPARATOR_COLUMNS = ["study", "year", "journal", "design", "population", "setting",
                      "n_treated", "endpoint", "responders", "n_evaluated", "rate_pct",
                      "median_os_months", "note", "source"]


def _comparators_convert(t: pd.DataFrame) -> pd.DataFrame:
    df = t.copy()
    for col in ("year", "n_treated"):
        df[col] = t[col].astype("int64")
    for col in ("responders", "n_evaluated"):
        df[col] = nullable_int(t[col])
    for col in ("rate_pct", "median_os_months"):
        df[col] = nullable_float(t[col])
    df["note"] = t["note"].replace("", pd.NA)
    return df


def _rate_matches_counts(df: pd.DataFrame) -> pd.Series:
    both = df["responders"].notna() & df["n_evaluated"].notna() & df["rate_pct"].notna()
    pct = 100 * df["responders"].astype("Float64") / df["n_evaluated"].astype("Float64")
    return (~both | ((pct - df["rate_pct"]).abs() <= 0.6)).fillna(True).astype(bool)


def _responders_within(df: pd.DataFrame) -> pd.Series:
    both = df["responders"].notna() & df["n_evaluated"].notna()
    return (~both | (df["responders"] <= df["n_evaluated"])).fillna(True).astype(bool)


_COMPARATORS = FileSpec(
    filename="comparators.csv",
    columns=COMPARATOR_COLUMNS,
    key="study",
    text_checks=lambda pa: {
        **{c: text_column() for c in ("journal", "design", "population", "setting",
                                      "endpoint")},
        "study": text_column(unique=True),
        "source": levels_column(COMPARATOR_SOURCES, unique=True),
        "year": number_column(r"(19|20)[0-9]{2}"),
        "n_treated": number_column(_INT),
        "responders": number_column(_INT, empty=True),
        "n_evaluated": number_column(_INT, empty=True),
        "rate_pct": number_column(_NUM, empty=True),
        "median_os_months": number_column(_NUM, empty=True),
        "note": text_column(nullable=True),
    },
    required_rows=("source", COMPARATOR_SOURCES),
    convert=_comparators_convert,
    typed=lambda pa: pa.DataFrameSchema(
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
    return load_validated(_COMPARATORS, path)


# ---------------------------------------------------------------------------------------------
# patient_notes.csv (table notes about individual patients)


def _notes_convert(t: pd.DataFrame) -> pd.DataFrame:
    df = t.copy()
    df["patient"] = t["patient"].astype("int64")
    df["relapses_after_hsct"] = t["relapses_after_hsct"].astype("int64")
    df["relapses_after_cart"] = t["relapses_after_cart"].astype("int64")
    return df


_NOTES = FileSpec(
    filename="patient_notes.csv",
    columns=["patient", "relapses_after_hsct", "relapses_after_cart", "note", "source"],
    key="patient",
    text_checks=lambda pa: {"patient": number_column(_INT),
                            "relapses_after_hsct": number_column(_INT),
                            "relapses_after_cart": number_column(_INT), "note": text_column(),
                            "source": text_column()},
    convert=_notes_convert,
    typed=lambda pa: pa.DataFrameSchema(
        {"patient": pa.Column(int, pa.Check.in_range(1, N_PATIENTS), unique=True)}),
)


def load_patient_notes(path: str | Path | None = None) -> pd.DataFrame:
    """Table notes about single patients (``data/patient_notes.csv``).

    The note under Table 1 says which patients had relapsed after allogeneic transplant (and,
    for one, after CAR-T) before blinatumomab; one row per such patient with the number of
    those relapses, the note in our words and where it is printed.
    """
    return load_validated(_NOTES, path)
