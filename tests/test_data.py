"""The loaders: typed tables with the paper's counts, and loud errors on corrupted copies."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import blina
from blina.data import (
    DataValidationError,
    load_adverse_events,
    load_claims,
    load_cohort,
    load_comparators,
    load_patient_notes,
)
from blina.data.files import PATIENT_LEVELS

PATIENTS = blina.data_path("patients.csv").read_text(encoding="utf-8")
AES = blina.data_path("adverse_events.csv").read_text(encoding="utf-8")
CLAIMS = blina.data_path("claims.csv").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    return load_cohort()


# ---------------------------------------------------------------------------------------------
# the published facts, recomputed from patients.csv


def test_thirty_patients_numbered_one_to_thirty(cohort):
    assert len(cohort) == 30
    assert cohort["patient"].tolist() == list(range(1, 31))


@pytest.mark.parametrize(("column", "expected"), [
    ("sex", {"M": 14, "F": 16}),
    ("disease_status", {"primary refractory": 9, "1R": 12, "2R": 6, "3R": 3}),
    ("risk", {"standard": 17, "poor": 13}),
    ("response", {"CR": 16, "CRi": 9, "no response": 5}),
    ("vital_status", {"alive": 24, "dead": 6}),
])
def test_table_counts(cohort, column, expected):
    assert cohort[column].value_counts().to_dict() == expected


def test_relapsed_are_21_of_30(cohort):
    assert (cohort["disease_status"] > "primary refractory").sum() == 21


def test_mrd_deaths_relapses(cohort):
    assert int(cohort["mrd_negative"].sum()) == 12
    assert cohort.loc[cohort["vital_status"] == "dead", "patient"].tolist() == [6, 9, 11, 13,
                                                                                  24, 26]
    assert cohort.loc[cohort["relapse"].fillna(False), "patient"].tolist() == [7, 13, 17, 18, 21]
    assert cohort.loc[cohort["relapse"].isna(), "patient"].tolist() == [9, 11, 24, 26]


def test_dtypes(cohort):
    assert cohort["response"].cat.categories.tolist() == PATIENT_LEVELS["response"]
    assert cohort["disease_status"].cat.ordered
    assert cohort["mrd_negative"].dtype == bool
    assert str(cohort["relapse"].dtype) == "boolean"
    assert cohort["age"].dtype == "int64" and cohort["bm_blast_pct"].dtype == "float64"
    alive = cohort["vital_status"] == "alive"
    assert cohort.loc[alive, "cause_of_death"].isna().all()
    assert cohort.loc[~alive, "cause_of_death"].value_counts().to_dict() == {"Leukemia": 5,
                                                                           "Infection": 1}


def test_age_and_blast_summaries(cohort):
    assert cohort["age"].median() == 33.5
    assert cohort["bm_blast_pct"].median() == 36.5
    assert (cohort["bm_blast_pct"] > 50).sum() == 13


def test_table3_as_printed():
    ae = load_adverse_events().set_index("event")
    assert len(ae) == 11
    assert ae.loc["Anemia"].tolist() == [25, 9]
    assert ae.loc["Neutropenia"].tolist() == [22, 11]
    assert ae.loc["Thrombocytopenia"].tolist() == [19, 11]
    assert ae.loc["Cytokine release syndrome"].tolist() == [17, 4]
    assert ae.loc["Neurologic event"].tolist() == [0, 0]


def test_claims_loader():
    claims = load_claims()
    assert len(claims) == 176
    assert claims["claim_id"].is_unique
    assert claims["kind"].notna().all()
    assert str(claims["denominator"].dtype) == "Int64"


def test_patient_notes_match_prior_therapy(cohort):
    notes = load_patient_notes()
    assert notes["patient"].tolist() == [8, 15, 18, 23]
    prior = cohort.set_index("patient")["prior_therapy"]
    for _, row in notes.iterrows():
        assert "allo-HSCT" in prior[row["patient"]]
        assert ("CART" in prior[row["patient"]]) == (row["relapses_after_cart"] > 0)


# ---------------------------------------------------------------------------------------------
# corrupted copies: one per rule, each with the message it must give


def _write(tmp_path: Path, text: str, name: str = "patients.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _line(text: str, patient: int) -> str:
    return next(x for x in text.splitlines() if x.startswith(f"{patient},"))


def _edit(text: str, patient: int, column: str, value: str) -> str:
    header = text.splitlines()[0].split(",")
    old = _line(text, patient)
    cells = old.split(",")
    cells[header.index(column)] = value
    return text.replace(old, ",".join(cells), 1)


PATIENT_CORRUPTIONS = {
    "unknown category": (lambda t: _edit(t, 2, "response", "Cri"),
                         ["line 3 (patient 2), column 'response'", "'Cri'",
                          "expected one of CR, CRi, no response"]),
    "trailing space in category": (lambda t: _edit(t, 1, "response", "CR "),
                                   ["line 2 (patient 1), column 'response'", "'CR '"]),
    "renamed column": (lambda t: t.replace("bm_blast_pct", "blasts", 1),
                       ["column 'bm_blast_pct': missing", "column 'blasts': unknown"]),
    "age out of range": (lambda t: _edit(t, 4, "age", "164"),
                         ["line 5 (patient 4), column 'age'", "between 14 and 100"]),
    "age not a number": (lambda t: _edit(t, 4, "age", "sixty"),
                         ["line 5 (patient 4), column 'age'", "'sixty'"]),
    "blast out of range": (lambda t: _edit(t, 5, "bm_blast_pct", "131"),
                           ["(patient 5), column 'bm_blast_pct'", "between 0 and 100"]),
    "duplicate patient": (lambda t: _edit(t, 3, "patient", "2"),
                          ["line 4 (patient 2), column 'patient'", "duplicate"]),
    "wrong row count": (lambda t: t.replace(_line(t, 30) + "\n", ""),
                        ["expected 30 patients"]),
    "non-boolean flag": (lambda t: _edit(t, 1, "mrd_negative", "yes"),
                         ["line 2 (patient 1), column 'mrd_negative'",
                          "expected one of true, false"]),
    "dead without cause": (lambda t: _edit(t, 6, "cause_of_death", ""),
                           ["line 7 (patient 6)", "dead patient needs a cause"]),
    "alive with cause": (lambda t: _edit(t, 1, "cause_of_death", "Infection"),
                         ["line 2 (patient 1)", "alive one must have none"]),
    "relapse without response": (lambda t: _edit(t, 9, "relapse", "true"),
                                 ["line 10 (patient 9)", "no response cannot have relapsed"]),
    "missing field": (lambda t: t.replace(_line(t, 7), _line(t, 7).rsplit(",", 1)[0], 1),
                      ["line 8: 12 fields, expected 13"]),
}


@pytest.mark.parametrize("case", PATIENT_CORRUPTIONS, ids=list(PATIENT_CORRUPTIONS))
def test_load_cohort_rejects_corrupted_copy(tmp_path, case):
    corrupt, expected = PATIENT_CORRUPTIONS[case]
    text = corrupt(PATIENTS)
    assert text != PATIENTS, "the corruption did not change the file"
    path = _write(tmp_path, text)
    with pytest.raises(DataValidationError) as info:
        load_cohort(path)
    message = str(info.value)
    assert str(path) in message or "patients.csv" in message
    assert "nothing was loaded" in message
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in:\n{message}"


def test_all_problems_reported_together(tmp_path):
    text = _edit(_edit(PATIENTS, 2, "response", "Cri"), 3, "sex", "X")
    with pytest.raises(DataValidationError) as info:
        load_cohort(_write(tmp_path, text))
    assert len(info.value.problems) == 2
    assert "(patient 3), column 'sex'" in str(info.value)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.csv"):
        load_cohort(tmp_path / "nope.csv")


def test_data_dir_environment_variable(tmp_path, monkeypatch):
    _write(tmp_path, _edit(PATIENTS, 2, "sex", "male"))
    monkeypatch.setenv("BLINA_DATA_DIR", str(tmp_path))
    with pytest.raises(DataValidationError, match="column 'sex'"):
        blina.load_cohort()


@pytest.mark.parametrize(("corrupt", "expected"), [
    (lambda t: t.replace("Anemia,25,9", "Anemia,25,26"), "grade_3_plus exceeds any_grade"),
    (lambda t: t.replace("Anemia,25,9", "Anemia,31,9"), "column 'any_grade'"),
    (lambda t: t.replace("Anemia,", "Anaemia,"), "'Anaemia'"),
    (lambda t: t.replace("Fever,17,5\n", ""), "expected the 11 events"),
    (lambda t: t.replace("Fever,17,5", "Fever,17,five"), "column 'grade_3_plus'"),
])
def test_load_adverse_events_rejects(tmp_path, corrupt, expected):
    path = _write(tmp_path, corrupt(AES), "adverse_events.csv")
    with pytest.raises(DataValidationError, match=expected):
        load_adverse_events(path)


def test_load_claims_rejects_duplicate_id_and_unknown_kind(tmp_path):
    lines = CLAIMS.splitlines()
    bad = "\n".join([*lines, lines[1]]) + "\n"
    with pytest.raises(DataValidationError, match="duplicate"):
        load_claims(_write(tmp_path, bad, "claims.csv"))
    header = lines[0].split(",")
    first = next(csv_row for csv_row in pd.read_csv(blina.data_path("claims.csv"),
                                                    dtype=str).itertuples(index=False))
    assert header[4] == "kind" and first.kind in CLAIMS
    bad_kind = CLAIMS.replace(f",{first.kind},", ",guess,", 1)
    with pytest.raises(DataValidationError, match="column 'kind'.*'guess'"):
        load_claims(_write(tmp_path, bad_kind, "claims.csv"))


# the committed file: every comparator study must have its row (a deleted one is an error)
COMPARATORS = blina.data_path("comparators.csv").read_text(encoding="utf-8")


def test_load_comparators_types(tmp_path):
    df = load_comparators(_write(tmp_path, COMPARATORS, "comparators.csv"))
    assert df["responders"].tolist()[0] == 81 and pd.isna(df["responders"].tolist()[1])
    assert str(df["responders"].dtype) == "Int64" and df["year"].tolist()[:2] == [2015, 2017]


@pytest.mark.parametrize(("old", "new", "expected"), [
    (",81,189,43,", ",81,189,53,", "rate_pct differs"),
    (",81,189,43,", ",200,189,43,", "responders exceeds n_evaluated"),
    (",topp2015", ",", "column 'source'"),
    ("2015,", "15,", "column 'year'"),
])
def test_load_comparators_rejects(tmp_path, old, new, expected):
    path = _write(tmp_path, COMPARATORS.replace(old, new, 1), "comparators.csv")
    with pytest.raises(DataValidationError, match=expected):
        load_comparators(path)


def test_committed_comparators_load():
    df = load_comparators()
    assert df["source"].notna().all() and len(df) >= 5


def test_loaders_return_independent_copies_and_see_edits(tmp_path):
    path = _write(tmp_path, PATIENTS)
    first = load_cohort(path)
    first.loc[0, "age"] = 99
    assert load_cohort(path).loc[0, "age"] == 52
    text = _edit(PATIENTS, 1, "age", "53")
    path.write_text(text + "\n" if not text.endswith("\n") else text, encoding="utf-8")
    assert load_cohort(path).loc[0, "age"] == 53
    path.write_text(_edit(PATIENTS, 1, "sex", "X"), encoding="utf-8")
    with pytest.raises(DataValidationError, match="column 'sex'"):
        load_cohort(path)
