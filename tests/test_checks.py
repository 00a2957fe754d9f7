"""Verdicts of the non-survival claims (blina.audit.checks): coverage, each status on real
claims, and sensitivity (a changed table changes the verdict, so no verdict is hard-coded)."""

from __future__ import annotations

import importlib
import re
from collections import Counter

import pandas as pd
import pytest

from blina.audit import STATUSES, AuditContext, registry
from blina.stats.rounding import parse_numbers

#: the check modules of the claims outside the survival results
MODULES = ("introduction", "methods", "characteristics", "response", "toxicity", "discussion")
CHECKS = {cid: fn for name in MODULES
          for cid, fn in importlib.import_module(f"blina.audit.checks.{name}").CHECKS.items()}


def _context(cohort=None, adverse_events=None, comparators=None) -> AuditContext:
    return AuditContext(cohort=cohort, adverse_events=adverse_events, comparators=comparators)


@pytest.fixture(scope="module")
def ctx() -> AuditContext:
    return _context()


def is_survival(claim_id: str, section: str) -> bool:
    """The ids the survival check modules own: section 3.4, or ``-os``/``-pfs``/``followup``."""
    return section == "3.4" or re.search(r"-os|-pfs|followup", claim_id) is not None


@pytest.fixture(scope="module")
def mine(ctx) -> list[str]:
    return [c for c, s in zip(ctx.claims.claim_id, ctx.claims.section, strict=True)
            if not is_survival(c, s)]


@pytest.fixture(scope="module")
def verdicts(ctx, mine) -> dict:
    return {cid: CHECKS[cid](ctx, cid) for cid in mine}


def verdict(ctx, cid):
    return CHECKS[cid](ctx, cid)


# ---------------------------------------------------------------- coverage
def test_every_non_survival_claim_has_a_check(ctx, mine):
    assert len(mine) == 123
    assert sorted(set(mine) - set(CHECKS)) == []
    assert sorted(set(CHECKS) - set(mine)) == []


def test_audit_registry_holds_these_checks(mine):
    reg = registry()
    assert set(mine) <= set(reg)
    assert all(reg[c] is CHECKS[c] for c in mine)


def test_table3_rows_rest_on_the_table_alone(verdicts):
    table_only = sorted(c for c, v in verdicts.items() if v.basis == "table")
    assert table_only == sorted(c for c in verdicts if c.startswith("tab-3-") and c != "tab-3-n-30")
    assert len(table_only) == 11
    assert all(verdicts[c].status == "consistent" for c in table_only)
    assert "not evidence" in verdicts["tab-3-anemia"].explanation


def test_a_schedule_that_fits_the_definition_is_no_contradiction(ctx):
    claims = ctx.claims.copy()
    claims.loc[claims.claim_id == "met-2.2-dose-28-6to10d", "reported"] = "28; 6–9"
    v = verdict(AuditContext(claims=claims), "met-2.2-short-course-lt10d")
    assert v.status == "unverifiable" and "fits the definition" in v.explanation


def test_every_status_is_used_and_explained(verdicts, capsys):
    counts = Counter(v.status for v in verdicts.values())
    with capsys.disabled():
        print("\nnon-survival verdicts:", {s: counts[s] for s in STATUSES})
    assert set(counts) == set(STATUSES)
    assert counts["discrepant"] >= 9


def test_explanations_contain_the_recomputed_numbers(verdicts):
    missing = {}
    for cid, v in verdicts.items():
        if v.recomputed == "—":
            continue
        said = set(parse_numbers(v.explanation))
        lost = [n for n in parse_numbers(v.recomputed) if n not in said]
        if lost:
            missing[cid] = lost
    assert missing == {}


# ---------------------------------------------------------------- reproduced
@pytest.mark.parametrize("cid, numbers", [
    ("abs-cr-25", "25/30 = 83.3%"),
    ("res-3.2-high-burden-resp-9", "9/13 = 69.2%"),
    ("res-3.2-high-burden-mrd-6", "6/13 = 46.2%"),
    ("res-3.2-resp-nofurther-3", "3/25 = 12.0%"),
    ("res-3.2-relapse-5", "5/22 = 22.7%"),
    ("disc-relapse-resp-20", "5/25 = 20.0%"),
    ("res-3.3-g3-anemia", "9/30 = 30.0%"),
    ("res-3.3-tls", "2/30 = 6.7%"),
    ("disc-further-nonresp-40", "2/5 = 40.0%"),
    ("res-3.1-sex", "14 men, 16 women"),
    ("res-3.1-age-range", "18–77"),
    ("res-3.2-further-hsct-8", "(2, 3, 14, 20, 21, 22, 23, 27)"),
    ("res-3.2-nonresp-status", "primary refractory 1, 3R 2, 2R 1, 1R 1"),
    ("disc-multilinear-nonresp-3", "(6, 9, 24)"),
    ("disc-relapse-after-hsct-1", "(21)"),
    ("tab-1-prior-hsct-cases", "8, 15, 18"),
    ("met-2.1-adults", "aged 18–77; the youngest, 18 years old"),
])
def test_reproduced(ctx, cid, numbers):
    v = verdict(ctx, cid)
    assert v.status == "reproduced", v.explanation
    assert numbers in v.explanation


# ---------------------------------------------------------------- discrepant
@pytest.mark.parametrize("cid, numbers", [
    ("res-3.1-age-median", ["33.5 years, not 38", "38.6, rounds to 39"]),
    ("res-3.2-blast-median", ["median 36.50%", "mean 46.50%", "49.06%"]),
    ("res-3.3-heme-pct", ["25/30 is 83.3%, not 83.8%"]),
    ("res-3.2-nonresp-5", ["4/13 = 30.8%", "5/30 = 16.7%"]),
    ("abs-high-burden-cr-13", ["only 9 of the 13", "8, 12, 13, 15, 17, 18, 22, 23, 29"]),
    ("res-3.2-relapse-by-therapy", ["chemotherapy 2 (7, 13)", "CAR-T 2 (17, 18)",
                                    "allo-HSCT 1 (21)"]),
    ("res-3.2-nonresp-death-causes", ["4 of the 5 deaths", "(6)"]),
    ("disc-multilinear-no-mrd", ["2 of 9 patients in 2R/3R MRD-negative (7, 23)"]),
    ("met-2.3-bm-neutrophil-1000", ["1.0 × 10^6/L", "1000/μL"]),
    ("met-2.2-short-course-lt10d", ["contradicts itself", "less than 10 days",
                                    "28 μg/day for 6–10 days", "given 10 days at full dose"]),
    ("disc-short-course-lt10d", ["contradicts itself", "less than 10 days"]),
    ("disc-nonresp-28d-after-7to10d", ["7–10 days", "give 6–10 days at full dose"]),
])
def test_discrepant(ctx, cid, numbers):
    v = verdict(ctx, cid)
    assert v.status == "discrepant", v.explanation
    for text in numbers:
        assert text in v.explanation


# ---------------------------------------------------------------- consistent
@pytest.mark.parametrize("cid, numbers", [
    ("res-3.3-heme-over-half", ["between 25 and 30"]),
    ("disc-ccr-consistent-rw", ["25/30 = 83.3% (95% CI 65.3–94.4)", "80.8%"]),
    ("res-3.3-no-trd", ["Leukemia 5, Infection 1", "patient 6"]),
    ("res-3.2-relapse-retreated-4", ["(7, 17, 18, 21)"]),
    ("tab-3-anemia", ["0 ≤ 9 ≤ 25 ≤ 30"]),
    ("con-5-bridge", ["24/30 = 80.0%", "22/25"]),
    ("met-2.4-prism-9", ["8 of 9 printed CIs are log(−log) Greenwood intervals"]),
    ("met-2.4-km-method", ["13 of 15 printed estimates are Kaplan–Meier products"]),
])
def test_consistent(ctx, cid, numbers):
    v = verdict(ctx, cid)
    assert v.status == "consistent", v.explanation
    for text in numbers:
        assert text in v.explanation


# ---------------------------------------------------------------- unverifiable
@pytest.mark.parametrize("cid, reason", [
    ("met-2.2-dose-9-3d", "no per-patient dose"),
    ("intro-5y-survival-60-70", "pediatric-inspired protocols [1–4]"),
    ("intro-rr-cr-20-30", "[8–11]"),
    ("intro-blina-vs-chemo", "44% CR/CRh/CRi within 12 weeks, median OS 7.7 months"),
    ("abs-cost-dose-reduction", "no cost, dose or prescribing data"),
    ("met-2.1-years", "dates are not published"),
    ("met-2.2-corticosteroids", "Premedication is not recorded"),
    ("met-2.4-ctcae-v5", "grading criteria"),
    ("disc-benefit-significant", "single-arm study has neither"),
    ("disc-first-study", "priority claim"),
    ("disc-low-burden-longterm", "15: 81%, 16: 30%, 19: 11%"),
    ("met-2.3-cr-anc", "A definition"),
    ("res-3.1-cns-none", "not recorded"),
    ("disc-noninferior-28d", "non-inferiority"),
    ("disc-burden-gt15", "> 15%: 18/22 responded; ≤ 15%: 7/8"),
    ("con-5-costs", "no cost data"),
])
def test_unverifiable(ctx, cid, reason):
    v = verdict(ctx, cid)
    assert v.status == "unverifiable"
    assert reason in v.explanation


# ---------------------------------------------------------------- sensitivity
def test_a_changed_response_changes_the_verdicts(ctx):
    cohort = ctx.cohort.copy()
    cohort.loc[cohort.patient == 26, "response"] = "CR"
    changed = _context(cohort=cohort)
    v = verdict(changed, "abs-cr-25")
    assert v.status == "discrepant" and "26/30 = 86.7%" in v.explanation
    # nonresponder 26 (first relapse, blasts 6%) leaves the nonresponders' statuses
    assert verdict(changed, "res-3.2-nonresp-status").status == "discrepant"


def test_a_changed_age_can_make_the_median_reproduce(ctx):
    cohort = ctx.cohort.copy()
    cohort["age"] = [38] * 15 + [70] * 15          # median (38 + 70) / 2 = 54
    assert verdict(_context(cohort=cohort), "res-3.1-age-median").recomputed.startswith(
        "median 54.0")
    cohort["age"] = [30] * 14 + [38, 38] + [70] * 14  # median 38, mean 1476/30 = 49.2
    v = verdict(_context(cohort=cohort), "res-3.1-age-median")
    assert v.status == "reproduced" and v.recomputed == "median 38.0; mean 49.2"


def test_a_changed_adverse_event_count_changes_the_verdicts(ctx):
    ae = ctx.adverse_events.copy()
    ae.loc[ae.event == "Anemia", "grade_3_plus"] = 10
    ae.loc[ae.event == "Anemia", "any_grade"] = 20
    changed = _context(adverse_events=ae)
    v = verdict(changed, "res-3.3-g3-anemia")
    assert v.status == "discrepant" and "10/30 = 33.3%" in v.explanation
    assert verdict(changed, "tab-3-anemia").status == "discrepant"
    # anemia 20 -> the largest hematologic count is neutropenia's 22, so 25 is still feasible
    assert "between 22 and 30" in verdict(changed, "res-3.3-heme-over-half").explanation


# ---------------------------------------------------------------- comparators
def _fake_comparators(**median_os):
    rows = [{"study": "Topp et al.", "rate_pct": 43.0, "median_os_months": 6.1},
            {"study": "Martinelli et al. (ALCANTARA)", "rate_pct": 35.6,
             "median_os_months": float("nan")},
            {"study": "Kantarjian et al. (TOWER)", "rate_pct": 44.0,
             "median_os_months": median_os.get("tower", 7.7)},
            {"study": "Yoon et al.", "rate_pct": 80.8, "median_os_months": float("nan")},
            {"study": "Aldoss et al.", "rate_pct": 51.0, "median_os_months": float("nan")}]
    return pd.DataFrame(rows)


def test_comparator_claims_follow_the_table():
    ctx = _context(comparators=_fake_comparators())
    v = verdict(ctx, "disc-tower-median-7.7")
    assert v.status == "consistent" and "7.7 months" in v.explanation
    v = verdict(ctx, "disc-trials-cr-34-43")
    assert v.status == "discrepant" and "Martinelli 2017 35.6%" in v.explanation
    v = verdict(ctx, "disc-rw-cr-range")
    assert v.status == "consistent" and "80.8" in v.explanation
    v = verdict(_context(comparators=_fake_comparators(tower=4.0)), "disc-tower-median-7.7")
    assert v.status == "discrepant" and "4 months, not 7.7" in v.explanation
    without = _fake_comparators()
    without = without[~without["study"].str.startswith("Kantarjian")]
    v = verdict(_context(comparators=without), "disc-tower-median-7.7")
    assert v.status == "unverifiable" and "has no row for the cited study" in v.explanation


def test_comparator_claims_with_the_real_table(ctx):
    assert len(ctx.comparators) == 8, "data/comparators.csv must load"
    assert verdict(ctx, "disc-tower-median-7.7").status == "consistent"
    assert verdict(ctx, "disc-trials-cr-34-43").status == "discrepant"
