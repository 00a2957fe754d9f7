"""Every published Kaplan–Meier figure beside its risk sets (blina.reconstruction.inverted)."""

from __future__ import annotations

import blina
from blina.reconstruction.inverted import inverted_figures, risk_set_facts


def test_each_row_says_which_printed_numbers_its_risk_sets_reproduce():
    table = inverted_figures(blina.load_cohort(), blina.load_claims()).set_index("key")
    further = table.loc["os24-further"]
    assert (further["published"], further["matched on"], further["risk sets"]) == (
        "87.30 (65.58–95.72)", "estimate and CI", "(24, 23, 21)")
    # "50.0 (11.10–95.72)": the upper limit repeats the further group's; the row must say that
    # (6, 5, 4) reproduces only the estimate and the lower limit
    nofurther = table.loc["os24-nofurther"]
    assert nofurther["published"] == "50.0 (11.10–95.72)"
    assert nofurther["matched on"] == "estimate and lower limit (upper limit not used)"
    assert nofurther["risk sets"] == "(6, 5, 4)"
    assert table.loc["os24-resp-nofurther", "risk sets"] == "none"  # 95.46% of 3 patients
    assert table.loc["os24-nonresp", "risk sets"].endswith("(16 in all)")
    assert table.loc["os24-all", "events in Table 2"] == 6


def test_risk_set_facts_for_the_prose():
    facts = risk_set_facts(blina.load_cohort(), blina.load_claims())
    assert facts["n-further"] == 24 and facts["n-resp_nofurther"] == 3
    assert facts["rs-os6-nonresp"] == "(5, 4, 3, 2)"
    assert facts["rs-pfs24-further"] == "(22, 20, 18)"
    assert facts["rsn-os24-resp-nofurther"] == 0
