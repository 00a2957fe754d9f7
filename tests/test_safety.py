"""Table 3 percentages and the hematologic-toxicity bounds."""

from __future__ import annotations

import pandas as pd
import pytest

from blina.cohort.safety import ae_table, hematologic_summary


@pytest.fixture(scope="module")
def ae():
    import blina

    try:
        return blina.load_adverse_events()
    except ImportError:  # until blina.data lands: the raw CSV has the same columns
        return pd.read_csv(blina.data_path("adverse_events.csv"))


def test_ae_table_matches_table3_and_section_3_3(ae):
    tab = ae_table(ae).set_index("event")
    assert tab.loc["Neutropenia", ["any_grade", "grade_3_plus"]].tolist() == [22, 11]
    assert round(tab.loc["Neutropenia", "grade_3_plus_pct"], 1) == 36.7   # 11/30
    assert tab.loc["Anemia", "grade_3_plus_pct"] == 30.0                  # 9/30
    assert round(tab.loc["Thrombocytopenia", "grade_3_plus_pct"], 1) == 36.7
    assert round(tab.loc["Cytokine release syndrome", "any_grade_pct"], 1) == 56.7  # 17/30
    assert tab.loc["Cytokine release syndrome", "grade_3_plus"] == 4
    assert round(tab.loc["Infection", "any_grade_pct"], 1) == 13.3       # 4/30
    assert round(tab.loc["Tumor lysis syndrome", "any_grade_pct"], 1) == 6.7
    assert tab.loc["Anemia", "any_grade_printed"] == "25 (83.3%)"
    assert tab.loc["Fever", "grade_3_plus_printed"] == "5 (16.7%)"
    assert len(tab) == 11


def test_ae_table_other_n(ae):
    tab = ae_table(ae, n=40).set_index("event")
    assert tab.loc["Anemia", "any_grade_pct"] == 62.5


def test_hematologic_bounds(ae):
    h = hematologic_summary(ae)
    assert h.table["event"].tolist() == ["Neutropenia", "Anemia", "Thrombocytopenia"]
    assert h.any_grade_bounds == (25, 30)      # max(22, 25, 19); min(30, 66)
    assert h.grade_3_plus_bounds == (11, 30)   # max(11, 9, 11); min(30, 31)
    assert h.possible(25)                      # the paper's 25/30 is the least possible
    assert not h.possible(24)
    assert not h.possible(10, grade="3+")
    assert str(h) == ("patients with any hematologic AE: 25–30 of 30; "
                      "with a grade ≥ 3 hematologic AE: 11–30 of 30")


def test_bounds_cap_at_n():
    ae = pd.DataFrame({"event": ["Neutropenia", "Anemia", "Thrombocytopenia"],
                       "any_grade": [2, 3, 1], "grade_3_plus": [1, 1, 0]})
    h = hematologic_summary(ae, n=30)
    assert h.any_grade_bounds == (3, 6)
    assert h.grade_3_plus_bounds == (1, 2)


def test_bad_input(ae):
    with pytest.raises(ValueError, match=r"ae: unknown column\(s\) \['grade_3_plus'\]"):
        ae_table(ae.drop(columns="grade_3_plus"))
    with pytest.raises(ValueError, match=r"ae is empty"):
        ae_table(ae.iloc[:0])
    bad = ae.copy()
    bad.loc[0, "grade_3_plus"] = 23
    with pytest.raises(ValueError, match=r"grade_3_plus \(23\) exceeds any_grade \(22\) for "
                                         r"'Neutropenia'"):
        ae_table(bad)
    bad = ae.copy()
    bad.loc[1, "any_grade"] = 31
    with pytest.raises(ValueError, match=r"'any_grade' must hold integers between 0 and n=30, "
                                         r"got 31 for 'Anemia'"):
        ae_table(bad)
    bad = ae.assign(any_grade=ae["any_grade"].astype(float))
    with pytest.raises(ValueError, match=r"must hold integers .* got 22.0 for 'Neutropenia'"):
        ae_table(bad)
    with pytest.raises(ValueError, match=r"n must be a positive int .*, got 0"):
        ae_table(ae, n=0)
    with pytest.raises(ValueError, match=r"ae has duplicate event\(s\) \['Anemia'\]"):
        ae_table(pd.concat([ae, ae.iloc[[1]]]))
    with pytest.raises(ValueError, match=r"events: not in ae: \['Leukopenia'\]"):
        hematologic_summary(ae, events=("Neutropenia", "Leukopenia"))
    with pytest.raises(ValueError, match=r"grade must be 'any' or '3\+', got '3'"):
        hematologic_summary(ae).possible(3, grade="3")
