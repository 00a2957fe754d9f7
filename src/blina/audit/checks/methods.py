"""Checks of the methods (sections 2.2 and 2.3) and the abstract's dosing.

Tables 1 and 2 give no doses, dates or laboratory values, so most of these claims are definitions
that cannot be tested; the checks say so, and where the text contradicts itself.
"""

from __future__ import annotations

from blina.audit.checks.common import unverifiable
from blina.audit.engine import CheckTable, Verdict

CHECKS = CheckTable()


_NO_DOSING = ("Tables 1 and 2 give no per-patient dose, infusion or duration data, so the "
              "schedule cannot be checked")


@CHECKS.check("abs-infusion-24h", "abs-dose-9-3d", "abs-dose-28-6to10d", "met-2.2-infusion-24h",
        "met-2.2-dose-9-3d", "met-2.2-dose-28-6to10d")
def _dosing(ctx, cid):
    return unverifiable(f"{_NO_DOSING}; the abstract and section 2.2 state the same schedule "
                        "(9 μg/day for 3 days, then 28 μg/day for 6–10 days, 24-h infusion).")


@CHECKS.check("met-2.2-short-course-lt10d", "disc-short-course-lt10d")
def _short_course(ctx, cid):
    return unverifiable(
        f"{_NO_DOSING}. Note the definition ('less than 10 days' at full dose) and the schedule "
        "('28 μg/day for 6–10 days') disagree at exactly 10 days.")


_DEFINITION = ("A definition: Table 2 reports only the resulting category (CR, CRi, no response, "
               "MRD-negative, relapse), not the blast, neutrophil, platelet or MRD values it was "
               "applied to")


@CHECKS.check("met-2.3-cr-blasts-lt5", "met-2.3-cr-anc", "met-2.3-cr-platelets", "met-2.3-cri-anc",
        "met-2.3-cri-platelets", "met-2.3-relapse-gt5")
def _response_definitions(ctx, cid):
    return unverifiable(f"{_DEFINITION}; the Table 2 note repeats the same CR/CRi criteria.")


@CHECKS.check("met-2.3-mrd-neg-threshold")
def _mrd_threshold(ctx, cid):
    return unverifiable(f"{_DEFINITION}. The two forms of the threshold agree "
                        "(0.01% = 0.0001 = 10^-4).", "0.01% = 10^-4")


@CHECKS.check("met-2.3-bm-neutrophil-1000")
def _neutrophil_unit(ctx, cid):
    return Verdict(
        "discrepant", "1000/mL = 1.0 × 10^6/L",
        "As printed, 1000/mL is 1.0 × 10^6/L, a thousandth of the neutrophil recovery threshold "
        "the paper uses for CR (ANC ≥ 1.0 × 10^9/L); the other reading, 1000/μL "
        "(= 1.0 × 10^9/L), is almost certainly meant, so this is a unit error in the text.")


@CHECKS.check("met-2.3-bm-day14")
def _day14(ctx, cid):
    return unverifiable("Timing of the marrow assessment: Tables 1 and 2 hold no dates or "
                        "assessment days.")
