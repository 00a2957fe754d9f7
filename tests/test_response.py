"""Response rates recomputed from Table 2, exact CIs, further-therapy and relapse accounting."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import binomtest

from blina.cohort.response import (
    further_therapy_table,
    high_burden,
    outcome_flags,
    relapse_table,
    response_rates,
)
from blina.stats.binomial import clopper_pearson


@pytest.fixture(scope="module")
def df():
    import blina

    try:
        return blina.load_cohort()
    except ImportError:  # until blina.data lands: the raw CSV has the same columns
        return pd.read_csv(blina.data_path("patients.csv"))


def rate(tab, outcome, **where):
    sel = tab[tab["outcome"] == outcome]
    for col, value in where.items():
        sel = sel[sel[col] == value]
    assert len(sel) == 1
    return sel.iloc[0]


# --- Clopper–Pearson -----------------------------------------------------------------------


def test_clopper_pearson_known_values():
    lo, hi = clopper_pearson(25, 30)
    assert (round(100 * lo, 1), round(100 * hi, 1)) == (65.3, 94.4)
    lo, hi = clopper_pearson(12, 30)
    assert (round(100 * lo, 1), round(100 * hi, 1)) == (22.7, 59.4)
    # k = 0 and k = n: closed forms 1 − (α/2)^(1/n) and (α/2)^(1/n)
    assert clopper_pearson(0, 10) == (0.0, pytest.approx(1 - 0.025 ** (1 / 10)))
    assert clopper_pearson(10, 10) == (pytest.approx(0.025 ** (1 / 10)), 1.0)
    # k = 1, n = 2: lower solves 1 − (1 − p)² = 0.025, upper is its mirror
    assert clopper_pearson(1, 2)[0] == pytest.approx(1 - 0.975 ** 0.5)


@pytest.mark.parametrize(("k", "n"), [(1, 5), (9, 13), (6, 13), (16, 17), (22, 25)])
def test_clopper_pearson_matches_binomtest(k, n):
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="exact")
    assert clopper_pearson(k, n) == pytest.approx((ci.low, ci.high), abs=1e-10)
    ci90 = binomtest(k, n).proportion_ci(confidence_level=0.90, method="exact")
    assert clopper_pearson(k, n, level=0.90) == pytest.approx((ci90.low, ci90.high), abs=1e-10)


@pytest.mark.parametrize(("args", "message"), [
    ((31, 30), r"k must be between 0 and n=30, got 31"),
    ((-1, 30), r"k must be between 0 and n=30, got -1"),
    ((1, 0), r"n must be at least 1, got 0"),
    ((2.5, 30), r"k must be an int, got 2.5"),
    ((True, 30), r"k must be an int, got True"),
    ((1, 30, 1.5), r"level must be a number strictly between 0 and 1, got 1.5"),
])
def test_clopper_pearson_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        clopper_pearson(*args)


# --- Table 2 -------------------------------------------------------------------------------


def test_overall_rates_match_table2(df):
    tab = response_rates(df)
    got = {o: (rate(tab, o)["n"], rate(tab, o)["N"]) for o in tab["outcome"]}
    assert got == {"CR": (16, 30), "CRi": (9, 30), "composite CR": (25, 30),
                   "no response": (5, 30), "MRD-negative": (12, 30)}
    ccr = rate(tab, "composite CR")
    assert round(ccr["percent"], 1) == 83.3
    assert (round(ccr["lower"], 1), round(ccr["upper"], 1)) == (65.3, 94.4)
    assert rate(tab, "MRD-negative")["percent"] == 40.0
    assert list(tab.columns) == ["group", "outcome", "n", "N", "percent", "lower", "upper"]


def test_high_burden_rates(df):
    hb = high_burden(df)
    assert hb.name == "high_burden"
    assert int(hb.sum()) == 13
    assert sorted(df.loc[hb, "patient"]) == [6, 8, 9, 11, 12, 13, 15, 17, 18, 22, 23, 24, 29]
    tab = response_rates(df, by=hb)
    high = {o: rate(tab, o, high_burden=True)["n"] for o in tab["outcome"]}
    assert high["composite CR"] == 9 and high["MRD-negative"] == 6
    assert high["no response"] == 4  # the paper says five; only four of the 13 did not respond
    assert round(rate(tab, "composite CR", high_burden=True)["percent"], 1) == 69.2
    assert round(rate(tab, "MRD-negative", high_burden=True)["percent"], 1) == 46.2
    assert rate(tab, "composite CR", high_burden=False)[["n", "N"]].tolist() == [16, 17]
    low15 = df.loc[~high_burden(df, threshold=15), "patient"].tolist()
    assert sorted(low15) == [2, 4, 19, 21, 25, 26, 27, 30]  # blasts <= 15%


def test_rates_by_column(df):
    tab = response_rates(df, by="risk")
    poor = rate(tab, "composite CR", risk="poor")
    standard = rate(tab, "composite CR", risk="standard")
    assert (poor["n"], poor["N"]) == (11, 13)
    assert (standard["n"], standard["N"]) == (14, 17)
    tab = response_rates(df, by="disease_status")
    assert rate(tab, "no response", disease_status="3R")[["n", "N"]].tolist() == [2, 3]
    assert rate(tab, "composite CR", disease_status="primary refractory")[
        ["n", "N"]].tolist() == [8, 9]


def test_outcome_flags_are_consistent(df):
    flags = outcome_flags(df)
    assert (flags["composite CR"] == (flags["CR"] | flags["CRi"])).all()
    assert (flags["composite CR"] ^ flags["no response"]).all()
    assert not (flags["MRD-negative"] & flags["no response"]).any()


def test_further_therapy_among_responders(df):
    tab = further_therapy_table(df).set_index("therapy")
    assert tab["n"].to_dict() == {"chemotherapy": 8, "CAR-T": 3, "HSCT": 8, "blinatumomab": 3,
                                  "any further treatment": 22, "no further treatment": 3}
    assert (tab["N"] == 25).all()
    assert tab.loc["no further treatment", "percent"] == 12.0
    assert tab.loc["any further treatment", "percent"] == 88.0
    assert tab.loc["no further treatment", "patients"] == "15, 16, 19"
    everyone = further_therapy_table(df, population="all").set_index("therapy")
    assert everyone.loc["any further treatment", "n"] == 24
    assert everyone.loc["CAR-T", "patients"] == "5, 6, 17, 18, 26"


def test_relapse_table(df):
    tab = relapse_table(df).set_index("group")
    assert tab.loc["all responders", ["n", "N"]].tolist() == [5, 25]
    assert tab.loc["all responders", "percent"] == 20.0
    assert tab.loc["with further treatment", ["n", "N"]].tolist() == [5, 22]
    assert round(tab.loc["with further treatment", "percent"], 1) == 22.7
    assert tab.loc["no further treatment", "n"] == 0
    # by therapy the data give chemotherapy 2, CAR-T 2, HSCT 1 (the text says 3, 1, 1)
    assert tab.loc[["chemotherapy", "CAR-T", "HSCT", "blinatumomab"], "n"].tolist() == [2, 2, 1, 0]
    assert tab.loc["all responders", "patients"] == "7, 13, 17, 18, 21"


# --- bad input -----------------------------------------------------------------------------


def test_bad_input(df):
    with pytest.raises(ValueError, match=r"by: unknown column 'blasts'"):
        response_rates(df, by="blasts")
    with pytest.raises(ValueError, match=r"df: unknown column\(s\) \['response'\]"):
        response_rates(df.drop(columns="response"))
    with pytest.raises(ValueError, match=r"df is empty"):
        response_rates(df.iloc[:0])
    bad = df.assign(response=df["response"].astype(str).replace({"CRi": "Cri"}))
    with pytest.raises(ValueError, match=r"df column 'response' must be one of .*, got 'Cri'"):
        response_rates(bad)
    bad = df.assign(mrd_negative=df["mrd_negative"].astype(object))
    bad.loc[bad.index[2], "mrd_negative"] = "yes"
    with pytest.raises(ValueError, match=r"'mrd_negative' must be true/false, got 'yes' for "
                                         r"patient 3"):
        response_rates(bad)
    cat = pd.Series(pd.Categorical(df["risk"].astype(str), ["standard", "poor", "high"]),
                    index=df.index, name="risk")
    with pytest.raises(ValueError, match=r"by column 'risk': group 'high' has no patients"):
        response_rates(df, by=cat)
    with pytest.raises(ValueError, match=r"threshold must be a percentage between 0 and 100, "
                                         r"got 150"):
        high_burden(df, threshold=150)
    with pytest.raises(ValueError, match=r"population must be 'responders' or 'all', got 'x'"):
        further_therapy_table(df, population="x")
    with pytest.raises(ValueError, match=r"df has no responders"):
        relapse_table(df[df["response"] == "no response"])
