"""Table 1 and section 3.1 recomputed from the patient data."""

from __future__ import annotations

import pandas as pd
import pytest

from blina.cohort.characteristics import numeric_summary, summary_counts, table1


@pytest.fixture(scope="module")
def df():
    import blina

    try:
        return blina.load_cohort()
    except ImportError:  # until blina.data lands: the raw CSV has the same columns
        return pd.read_csv(blina.data_path("patients.csv"))


def counts(tab, variable):
    sub = tab[tab["variable"] == variable]
    return dict(zip(sub["level"].astype(str), sub["n"], strict=True))


def test_counts_match_section_3_1(df):
    tab = summary_counts(df)
    assert counts(tab, "sex") == {"M": 14, "F": 16}
    assert counts(tab, "disease_status") == {"primary refractory": 9, "1R": 12, "2R": 6,
                                             "3R": 3}
    assert counts(tab, "disease_group") == {"relapsed (1R–3R)": 21, "primary refractory": 9}
    assert counts(tab, "risk") == {"standard": 17, "poor": 13}
    assert counts(tab, "prior_therapy") == {"Chemotherapy": 26, "Chemotherapy+allo-HSCT": 3,
                                            "Chemotherapy+allo-HSCT+CART": 1}
    assert (tab["N"] == 30).all()
    male = tab[(tab["variable"] == "sex") & (tab["level"] == "M")].iloc[0]
    assert round(male["percent"], 1) == 46.7
    assert list(tab.columns) == ["variable", "level", "n", "N", "percent"]


def test_counts_of_other_columns(df):
    tab = summary_counts(df, variables=["vital_status"])
    assert counts(tab, "vital_status") == {"alive": 24, "dead": 6}


def test_numeric_summary_all_three(df):
    tab = numeric_summary(df).set_index("variable")
    # ages sorted: the 15th and 16th are 33 and 34; their sum 1158 / 30 = 38.6
    assert tab.loc["age", ["n", "median", "min", "max", "mean"]].tolist() == [30, 33.5, 18, 77,
                                                                              38.6]
    # blasts: middle values 35 and 38; total 1395 / 30 = 46.5 (the paper prints 49.06)
    assert tab.loc["bm_blast_pct", ["median", "min", "max"]].tolist() == [36.5, 6, 99]
    assert tab.loc["bm_blast_pct", "mean"] == pytest.approx(46.5)


def test_table1_rows(df):
    tab = table1(df).set_index("Characteristic")["Value"]
    assert tab["Patients, n"] == "30"
    assert tab["Age, years, median (range)"] == "33.5 (18–77)"
    assert tab["Age, years, mean"] == "38.60"
    assert tab["Sex: male"] == "14 (46.7%)"
    assert tab["Sex: female"] == "16 (53.3%)"
    assert tab["Disease status: primary refractory"] == "9 (30.0%)"
    assert tab["Genetic risk: poor"] == "13 (43.3%)"
    assert tab["Bone-marrow blasts, %, median (range)"] == "36.5 (6–99)"
    assert tab["Bone-marrow blasts > 50%"] == "13 (43.3%)"


def test_bad_input(df):
    with pytest.raises(ValueError, match=r"df: unknown column\(s\) \['ecog'\]"):
        summary_counts(df, variables=["ecog"])
    with pytest.raises(ValueError, match=r"df: unknown column\(s\) \['weight'\]"):
        numeric_summary(df, cols=("weight",))
    with pytest.raises(ValueError, match=r"df column 'sex' must be numeric"):
        numeric_summary(df, cols=("sex",))
    with pytest.raises(ValueError, match=r"cols must be a sequence of column names, got 'age'"):
        numeric_summary(df, cols="age")
    with pytest.raises(ValueError, match=r"df is empty"):
        summary_counts(df.iloc[:0])
    with pytest.raises(ValueError, match=r"df must be a pandas DataFrame, got list"):
        table1([1, 2])
    bad = df.assign(age=df["age"].astype(float))
    bad.loc[bad.index[0], "age"] = float("nan")
    with pytest.raises(ValueError, match=r"df column 'age' has missing values"):
        numeric_summary(bad)
