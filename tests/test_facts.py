"""The numbers the prose quotes (blina.cohort.facts and friends), against the paper's tables."""

from __future__ import annotations

import pytest

import blina
from blina.cohort.characteristics import median_facts
from blina.cohort.comparators import comparison_table
from blina.cohort.facts import (
    conclusion_facts,
    discussion_facts,
    response_facts,
    safety_facts,
    schedule_facts,
)


@pytest.fixture(scope="module")
def cohort():
    return blina.load_cohort()


def test_median_age_facts_from_table1(cohort):
    facts = median_facts(cohort, "age")
    # Table 1 ages sorted: the 15th and 16th are 33 and 34; the mean is 1158/30 = 38.6
    assert facts["age-lower-pos"] == 15 and facts["age-upper-pos"] == 16
    assert (facts["age-lower"], facts["age-upper"], facts["age-median"]) == ("33", "34", "33.5")
    assert (facts["age-mean"], facts["age-mean-rounded"], facts["age-mean-truncated"]) == (
        "38.6", "39", 38)
    assert (facts["age-min"], facts["age-max"]) == ("18", "77")
    blasts = median_facts(cohort, "bm_blast_pct")
    assert (blasts["bm_blast_pct-median"], blasts["bm_blast_pct-mean"]) == ("36.5", "46.5")


def test_response_facts_from_table2(cohort):
    facts = response_facts(cohort)
    assert (facts["ccr-n"], facts["ccr-N"], facts["ccr-pct"], facts["ccr-ci"]) == (
        25, 30, "83.3", "65.3–94.4")
    assert facts["deaths"] == 6 and facts["third-relapse"] == 3
    assert facts["responders-nofurther-ids"] == "15, 16 and 19"
    # 13 high-burden patients, 4 of them nonresponders (6, 9, 11, 24); patient 26 had 6%
    assert (facts["high-n"], facts["high-nonresp"], facts["high-nonresp-pct"]) == (13, 4, "30.8")
    assert facts["nonresp-over-high-pct"] == "38.5"  # the paper's 5/13
    assert (facts["nonresp-low-patient"], facts["nonresp-low-blasts"]) == (26, "6")
    assert facts["nonresp-cart-ids"] == "6 and 26"
    assert facts["nonresp-nothing-ids"] == "9, 11 and 24"
    assert facts["relapse-chemo-ids"] == "7 and 13" and facts["relapse-cart-ids"] == "17 and 18"
    assert (facts["relapse-further-pct"], facts["relapse-all-pct"]) == ("22.7", "20.0")


def test_safety_facts_from_table3():
    facts = safety_facts(blina.load_adverse_events(), 30)
    assert (facts["heme-min"], facts["heme-max"], facts["heme-sum"]) == (25, 30, 66)
    assert (facts["severe-heme-min"], facts["severe-heme-sum"]) == (11, 31)
    assert facts["severe-heme-min-pct"] == "36.7"
    assert facts["pct-25"] == "83.3" and facts["pct-26"] == "86.7"
    assert facts["unseen-n"] == 4
    assert facts["cytokine-release-syndrome-any"] == 17
    assert facts["cytokine-release-syndrome-severe"] == 4


def test_schedule_facts_by_hand():
    facts = schedule_facts()
    # 7·9 + 21·28 = 651; 3·9 + 6·28 = 195 and 3·9 + 10·28 = 307; 195/651 = 30%, 307/651 = 47%
    assert (facts["standard-total"], facts["short-total-min"], facts["short-total-max"]) == (
        "651", "195", "307")
    assert (facts["short-pct-min"], facts["short-pct-max"]) == ("30", "47")
    # the standard cycle reaches 307 µg on day 16 (63 + 9·28 = 315); (651 − 27)/28 = 22.29
    assert (facts["overtaken-day"], facts["overtaken-dose"]) == (16, "315")
    assert facts["needed-days"] == "22.3"
    assert (facts["short-of-dose"], facts["over-dose"]) == ("643", "671")


def test_discussion_and_conclusion_facts(cohort):
    facts = discussion_facts(cohort, comparison_table())
    assert facts["others"] == 8 and facts["no-interval"] == 2
    assert (facts["cr-n"], facts["cr-pct"], facts["cr-low"], facts["cr-high"]) == (
        16, "53.3", "34", "72")
    assert (facts["mrd-n"], facts["mrd-of-resp-pct"]) == (12, "48.0")
    assert (facts["nofurther"], facts["nofurther-nonresp"], facts["nofurther-resp"]) == (6, 3, 3)
    end = conclusion_facts(cohort, blina.load_adverse_events())
    assert (end["days-min"], end["days-max"]) == (9, 13)  # 3 + 6 and 3 + 10 infusion days
    assert end["neuro"] == "no" and end["further"] == 24 and end["mrd-of-resp"] == "48"
