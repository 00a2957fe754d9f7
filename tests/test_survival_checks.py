"""Verdicts of the survival claims (the survival modules of blina.audit.checks): coverage, the
rounding model, each status on real claims with the recomputed numbers in the explanation, and
sensitivity (a changed Table 2 or a changed printed figure changes the verdict, so no verdict is
hard-coded)."""

from __future__ import annotations

import importlib
import re
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest
from scipy.stats import chi2

import blina.audit.checks.risk_sets as sc
from blina.audit import STATUSES, AuditContext, registry
from blina.audit.checks.comparisons import one_event_splits
from blina.audit.checks.medians import curve_end_window, plateau_end_window
from blina.cohort.figures import KM_FIGURES, printed_km
from blina.cohort.groups import group_facts
from blina.inverse_km import km_risk_sets_naive
from blina.stats.km import km_estimate_and_ci
from blina.stats.rounding import decimals_of, parse_numbers, shown_as, shown_as_double

#: the check modules of the survival results
MODULES = ("km_estimates", "medians", "comparisons", "followup")
CHECKS = {cid: fn for name in MODULES
          for cid, fn in importlib.import_module(f"blina.audit.checks.{name}").CHECKS.items()}


@pytest.fixture(scope="module")
def ctx() -> AuditContext:
    return AuditContext(reconstructed=False)


def is_survival(claim_id: str, section: str) -> bool:
    """Section 3.4, or an id elsewhere with an ``-os``/``-pfs``/``followup`` token."""
    return section == "3.4" or re.search(r"-os|-pfs|followup", claim_id) is not None


@pytest.fixture(scope="module")
def mine(ctx) -> list[str]:
    return [c for c, s in zip(ctx.claims.claim_id, ctx.claims.section, strict=True)
            if is_survival(c, s)]


@pytest.fixture(scope="module")
def verdicts(ctx, mine) -> dict:
    return {cid: CHECKS[cid](ctx, cid) for cid in mine}


def _ctx_with(cohort=None, claims=None) -> AuditContext:
    base = AuditContext(reconstructed=False)
    return AuditContext(cohort=cohort if cohort is not None else base.cohort.copy(),
                        claims=claims if claims is not None else base.claims.copy(),
                        reconstructed=False)


# ---------------------------------------------------------------- coverage
def test_every_survival_claim_has_exactly_one_check_here(ctx, mine):
    assert len(mine) == 53
    assert sorted(set(mine) - set(CHECKS)) == []
    assert sorted(set(CHECKS) - set(mine)) == []
    reg = registry()
    assert all(reg[c] is CHECKS[c] for c in mine)


def test_every_verdict_is_well_formed(verdicts):
    for cid, v in verdicts.items():
        assert v.status in STATUSES, cid
        assert v.recomputed.strip() and v.explanation.strip(), cid


def test_status_counts_of_the_survival_claims(verdicts):
    counts = pd.Series([v.status for v in verdicts.values()]).value_counts().to_dict()
    assert counts == {"consistent": 32, "discrepant": 15, "unverifiable": 6}


# ---------------------------------------------------------------- the rounding model
def test_rounding_model_is_double():
    assert sc.ROUNDING == "double"


@pytest.mark.parametrize("printed", sorted(sc.ROUNDING_EVIDENCE))
def test_rounding_evidence_only_double_rounding_gives_the_printed_value(printed):
    seq, which = sc.ROUNDING_EVIDENCE[printed]
    s, lo, up = km_estimate_and_ci(seq)
    value = {"estimate": 100 * float(s), "lower": 100 * lo, "upper": 100 * up}[which]
    assert shown_as_double(value, printed)
    assert not shown_as(value, printed)


def _km_figures(ctx) -> list[tuple[str, str, str | None, str | None, int]]:
    """Every (stem, estimate, lower, upper, n) printed in 3.4, from the ledger."""
    facts = group_facts(ctx.cohort)
    out = []
    for stem, fig in KM_FIGURES.items():
        est, lo, up = printed_km(ctx.claims, stem)
        out.append((stem, est, lo, up, facts[fig.group].n))
    return out


def test_no_survival_figure_needs_single_rounding(ctx):
    only_double = []
    for stem, est, lo, up, n in _km_figures(ctx):
        single, double = set(sc.solve(est, lo, up, n, "single")), set(sc.solve(est, lo, up, n))
        assert single <= double, stem
        if double and not single:
            only_double.append(stem)
    assert only_double == ["os2y-all", "pfs2y-all", "pfs2y-nofurther"]


def test_solver_agrees_with_brute_force_on_the_small_groups(ctx):
    for stem, est, lo, up, n in _km_figures(ctx):
        if n <= 6:
            decs = tuple(decimals_of(x) if x is not None else 0 for x in (est, lo, up))
            assert list(sc.solve(est, lo, up, n)) == km_risk_sets_naive(
                est, lo, up, n, decimals=decs, rounding="double"), stem


# ---------------------------------------------------------------- consistent, with numbers
@pytest.mark.parametrize("cid, seq, deaths", [
    ("res-3.4-os2y-further-est", "(24, 23, 21)", "6, 13, 26"),
    ("res-3.4-os2y-further-ci", "(24, 23, 21)", "6, 13, 26"),
    ("res-3.4-os2y-resp-ci", "(25,)", "(13)"),
    ("res-3.4-os6m-nonresp-ci", "(5, 4, 3, 2)", "6, 9, 11, 24, 26"),
    ("res-3.4-pfs2y-nofurther-ci", "(6, 5, 4)", "9, 11, 24"),
    ("res-3.4-os2y-nofurther-est", "(6, 5, 4)", "9, 11, 24"),
])
def test_consistent_km_figures_name_their_risk_sets_and_deaths(verdicts, cid, seq, deaths):
    v = verdicts[cid]
    assert v.status == "consistent"
    assert seq in v.explanation and deaths in v.explanation
    assert seq in v.recomputed


def test_further_treatment_os_recomputed_numbers(verdicts):
    v = verdicts["res-3.4-os2y-further-ci"]
    # 23/24 · 22/23 · 20/21 = 55/63 = 87.3016%; Greenwood log(−log) CI 65.5803–95.7229
    assert Fraction(23, 24) * Fraction(22, 23) * Fraction(20, 21) == Fraction(55, 63)
    assert "87.3016% (65.5803–95.7229)" in v.recomputed


def test_no_further_estimate_needs_double_rounding(verdicts):
    v = verdicts["res-3.4-os2y-nofurther-est"]
    assert "none under single rounding" in v.explanation
    assert "95.72 is left out" in v.explanation


def test_responders_by_further_treatment_os_p_value_is_recomputed(verdicts):
    v = verdicts["res-3.4-os-resp-further-p"]
    # one death (patient 13) with 22 vs 3 at risk: U = 3/25, V = 22·3/25², chi2 = 9/66
    p = chi2.sf(9 / 66, 1)
    assert f"{p:.4f}" == "0.7119"
    assert v.status == "consistent"
    assert "0.7119" in v.explanation and "0.1364" in v.explanation and "22 vs 3" in v.explanation


def test_therapy_no_difference_os_log_rank(verdicts):
    v = verdicts["res-3.4-os-pfs-therapy-nodiff"]
    # one death with 22 at risk, 8 of them in its group: chi2 = 22/8 − 1 = 1.75 on 3 df
    p = chi2.sf(22 / 8 - 1, 3)
    assert v.status == "consistent"
    assert "chi2 1.750 on 3 df" in v.explanation and f"p = {p:.3f}" in v.explanation
    d = verdicts["disc-os-pfs-therapy-nodiff"]
    assert f"p = {chi2.sf(19 / 8 - 1, 2):.3f}" in d.explanation  # without the blinatumomab group


def test_follow_up_claims(verdicts):
    cut = verdicts["res-3.4-followup-cutoff"]
    assert cut.status == "consistent" and "2021-08-18" in cut.explanation
    rng = verdicts["res-3.4-followup-range"]
    assert rng.status == "consistent" and "39.9 months" in rng.explanation


def test_plateau_end_window():
    # OS median 10.5 = (t_os + L)/2, PFS 7.4 = (t_pfs + L)/2, 0 <= t_pfs <= t_os <= min(L, 12)
    assert plateau_end_window(10.5, 7.4) == pytest.approx((10.5, 14.8))
    assert plateau_end_window(20.0, 7.4) is None  # t_os <= 12 would need L >= 28 > 14.8
    assert plateau_end_window(7.4, 10.5) is None  # PFS median above the OS median


@pytest.mark.parametrize("cid", ["res-3.4-os-nofurther-median", "res-3.4-pfs-nofurther-median"])
def test_no_further_medians_name_both_conventions_and_both_censoring_cases(verdicts, cid):
    v = verdicts[cid]
    assert v.status == "consistent"
    assert "(6, 5, 4)" in v.explanation
    assert "midpoint of the flat stretch" in v.explanation
    assert "S = 0.5000000000000001" in v.explanation and "the time of the last event)" not in \
        v.explanation
    assert "OS curve to end between 10.5 and 21 months" in v.explanation
    assert "PFS curve to end before 14.8 months" in v.explanation
    assert "both curves end together, at 10.5–14.8 months" in v.explanation
    assert "16.0 months" in v.explanation and "the two ends differ" in v.explanation


def test_curve_end_window():
    # a curve at 50% after its last event t <= 12: median (t + E)/2 = 10.5 -> E in [10.5, 21)
    assert curve_end_window(10.5, 12) == (10.5, 21.0)
    assert curve_end_window(20.0, 12) == (28.0, 40.0)
    assert curve_end_window(7.4) == (7.4, 14.8)


# ---------------------------------------------------------------- discrepant, with numbers
@pytest.mark.parametrize("cid", ["res-3.4-os2y-all-est", "res-3.4-os2y-all-ci", "abs-os2y-all"])
def test_all_patient_os_is_impossible(verdicts, cid):
    v = verdicts[cid]
    assert v.status == "discrepant"
    for text in ("(29, 28, 27, 26, 24)", "5 deaths", "6 deaths", "80.00%", "82.62",
                 "none under single rounding"):
        assert text in v.explanation, text
    assert "82.6149% (63.1425–92.3737)" in v.recomputed


def test_no_further_os_upper_limit_is_a_copy(verdicts):
    v = verdicts["res-3.4-os2y-nofurther-ci"]
    assert v.status == "discrepant"
    for text in ("(6, 5, 4)", "11.0948", "80.37", "95.72", "copy error", "double rounding"):
        assert text in v.explanation, text


@pytest.mark.parametrize("cid, printed, reversed_", [
    ("res-3.4-os2y-resp-further-est", "100%", "() (no event)"),
    ("res-3.4-os2y-resp-nofurther-est", "95.46%", "(22,) = 95.4545%"),
    ("res-3.4-pfs2y-resp-further-est", "100%", "() (no event)"),
    ("res-3.4-pfs2y-resp-nofurther-est", "94.74%", "(19,) = 94.7368%"),
])
def test_responders_by_further_treatment_are_swapped(verdicts, cid, printed, reversed_):
    v = verdicts[cid]
    assert v.status == "discrepant"
    assert printed in v.explanation and reversed_ in v.explanation
    assert "natural reading" in v.explanation and "reversed reading" in v.explanation


def test_with_further_os_cannot_be_100(verdicts):
    v = verdicts["res-3.4-os2y-resp-further-est"]
    assert "(22 − 1)/22 = 95.4545%" in v.explanation  # max_estimate(22, 1)
    assert "only under double rounding" in verdicts["res-3.4-os2y-resp-nofurther-est"].explanation


@pytest.mark.parametrize("cid, pfs, os_", [
    ("res-3.4-pfs2y-resp-est", "(21,)", "(25,)"),
    ("res-3.4-pfs2y-further-ci", "(22, 20, 18)", "(24, 23, 21)"),
])
def test_pfs_figures_contradict_the_os_figures(verdicts, cid, pfs, os_):
    v = verdicts[cid]
    assert v.status == "discrepant"
    assert pfs in v.explanation and os_ in v.explanation
    assert "without a PFS event while still followed for OS" in v.explanation
    assert "(7, 17, 18, 21, who went on to further treatment) censored at their relapse" in \
        v.explanation
    assert "event-free patients censored for PFS before their last contact" in v.explanation
    assert "fits only if those relapsed" not in v.explanation


def test_discussion_median_os_is_the_pfs_median(verdicts):
    v = verdicts["disc-median-os-nofurther"]
    assert v.status == "discrepant"
    assert "10.5" in v.explanation and "7.4" in v.explanation


# ---------------------------------------------------------------- unverifiable
@pytest.mark.parametrize("cid, counts", [
    ("res-3.4-os-resp-p", "1/25 responders vs 5/5 nonresponders"),
    ("res-3.4-os-further-p", "3/24 patients with further treatment vs 3/6"),
    ("res-3.4-pfs-further-p", "7/24"),
])
def test_p_values_needing_times_are_unverifiable(verdicts, cid, counts):
    v = verdicts[cid]
    assert v.status == "unverifiable"
    assert counts in v.explanation and "not published" in v.explanation


def test_pfs_p_value_cannot_coexist_with_the_printed_estimates(verdicts):
    v = verdicts["res-3.4-pfs-resp-further-p"]
    p = chi2.sf(4 / 38, 1)  # one event at 19 vs 2 at risk: chi2 = (2/21)^2 / (38/441) = 2/19
    assert v.status == "discrepant"
    assert f"p = {p:.4f}" in v.explanation and "0.746, not 0.745" in v.explanation
    assert "19 (with further treatment) vs 2 (without)" in v.explanation
    assert "cannot coexist with the printed estimates" in v.explanation


def test_one_event_splits():
    # one event, a at risk in its group and b in the other: chi2 = b/a; 2/19 gives p 0.7456
    assert one_event_splits(25, "0.745") == []
    assert (19, 2) in one_event_splits(25, "0.746")
    assert all(a + b <= 25 for a, b in one_event_splits(25, "0.5"))


@pytest.mark.parametrize("cid, texts", [
    ("fig-1cd-os-pfs-better", ["OS 96.0% vs 0%; PFS 95.24% vs 0%", "1 death among 25"]),
    ("fig-2ab-os-pfs-better", ["OS 87.30% vs 50.0%; PFS 85.64% vs 50.0%",
                               "0.0129 and 0.0095"]),
    ("fig-2cd-os-pfs-nodiff", ["OS p = 0.7119; PFS p = 0.7456", "far from significance"]),
    ("fig-2ef-os-pfs-responders", ["chemotherapy 8, CAR-T 3, HSCT 8, blinatumomab 3",
                                   "nonresponders given further therapy (6, 26)",
                                   "p = 0.626"]),
    ("met-2.4-pfs-nonresponders", ["(6, 9, 11, 24, 26)", "2-year PFS of 0%"]),
    ("disc-os-pfs-therapy-nodiff", ["(chemotherapy 8, CAR-T 3, HSCT 8)",
                                    "chi2 1.375 on 2 df, p = 0.503"]),
])
def test_consistent_captions_and_definitions(verdicts, cid, texts):
    v = verdicts[cid]
    assert v.status == "consistent", v.explanation
    for text in texts:
        assert text in v.explanation, text


def test_hsct_is_not_singled_out(verdicts):
    v = verdicts["disc-os-pfs-hsct-better"]
    assert v.status == "discrepant"
    for text in ("p = 0.503", "HSCT 1/8 (21)", "blinatumomab 0/3", "chemotherapy 2/8 (7, 13)",
                 "fewest relapses were after blinatumomab", "single out allo-HSCT"):
        assert text in v.explanation, text


def test_discussion_therapy_claim_quotes_a_three_group_test_on_the_reconstruction():
    v = CHECKS["disc-os-pfs-therapy-nodiff"](AuditContext(), "disc-os-pfs-therapy-nodiff")
    tail = v.explanation.split("On the RECONSTRUCTED times:")[1]
    assert "chemotherapy, CAR-T and HSCT" in tail and "df 2" in tail and "df 3" not in tail


# ---------------------------------------------------------------- sensitivity
def test_a_changed_table_2_changes_the_verdict():
    c = AuditContext(reconstructed=False).cohort.copy()
    c.loc[c.patient == 13, "vital_status"] = "alive"  # no responder death left
    c.loc[c.patient == 13, "cause_of_death"] = pd.NA
    ctx2 = _ctx_with(cohort=c)
    v = CHECKS["res-3.4-os2y-resp-est"](ctx2, "res-3.4-os2y-resp-est")
    assert v.status == "discrepant"
    assert "1 death before 24 months" in v.explanation
    assert "Table 2 has 0 deaths in the group (none)" in v.explanation


def test_a_later_death_is_allowed_when_patients_remain_at_risk():
    c = AuditContext(reconstructed=False).cohort.copy()
    c.loc[c.patient == 15, "vital_status"] = "dead"  # a second responder death
    ctx2 = _ctx_with(cohort=c)
    v = CHECKS["res-3.4-os2y-resp-est"](ctx2, "res-3.4-os2y-resp-est")
    assert v.status == "consistent"
    assert "2 deaths in the group (13, 15)" in v.explanation
    assert "1 of them must fall after 24 months" in v.explanation


def test_a_corrected_upper_limit_makes_the_no_further_ci_consistent():
    claims = AuditContext(reconstructed=False).claims.copy()
    claims.loc[claims.claim_id == "res-3.4-os2y-nofurther-ci", "reported"] = "11.10–80.37"
    ctx2 = _ctx_with(claims=claims)
    v = CHECKS["res-3.4-os2y-nofurther-ci"](ctx2, "res-3.4-os2y-nofurther-ci")
    assert v.status == "consistent" and "(6, 5, 4)" in v.explanation


def test_a_possible_all_patient_os_would_still_be_checked_against_the_subgroups():
    claims = AuditContext(reconstructed=False).claims.copy()
    # 24/30 = 80%: 6 deaths with nobody censored first (log(−log) CI 60.80–90.48)
    s, lo, up = km_estimate_and_ci((30, 29, 28, 27, 26, 25))
    assert (float(s), f"{100 * lo:.2f}", f"{100 * up:.2f}") == (0.8, "60.80", "90.48")
    claims.loc[claims.claim_id == "res-3.4-os2y-all-est", "reported"] = "80.00"
    claims.loc[claims.claim_id == "res-3.4-os2y-all-ci", "reported"] = "60.80–90.48"
    ctx2 = _ctx_with(claims=claims)
    v = CHECKS["res-3.4-os2y-all-est"](ctx2, "res-3.4-os2y-all-est")
    assert v.status == "consistent"
    assert "(30, 29, 28, 27, 26, 25)" in v.recomputed and "6 deaths" in v.explanation


def test_pfs_figure_without_extra_censoring_is_not_flagged():
    """A responder PFS figure with its event at 25 at risk (no censoring before it) would agree
    with the OS figure; then only the count of relapses is compared."""
    claims = AuditContext(reconstructed=False).claims.copy()
    claims.loc[claims.claim_id == "res-3.4-pfs2y-resp-est", "reported"] = "96.0"
    claims.loc[claims.claim_id == "res-3.4-pfs2y-resp-ci", "reported"] = "74.84–99.43"
    ctx2 = _ctx_with(claims=claims)
    v = CHECKS["res-3.4-pfs2y-resp-est"](ctx2, "res-3.4-pfs2y-resp-est")
    assert v.status == "consistent"
    assert "(25,)" in v.explanation
    assert "5 PFS events in the group (7, 13, 17, 18, 21)" in v.explanation
    assert "4 of them must fall after 24 months" in v.explanation
    assert "censored at relapse" not in v.explanation


# ---------------------------------------------------------------- the reconstruction, if any
def _fake_reconstruction(cid: str, met: bool) -> pd.DataFrame:
    return pd.DataFrame([dict(claim_id=cid, section="3.4", figure="x", quantity="log-rank OS",
                              published="0.0129", reconstructed="0.0131 (chi2 6.150, df 1)",
                              met=met, tier=4, note="")])


def test_reconstruction_is_mentioned_but_never_decides_a_km_verdict():
    base = AuditContext(reconstructed=False)
    ctx2 = AuditContext(cohort=base.cohort, claims=base.claims,
                        reconstructed=_fake_reconstruction("res-3.4-os2y-further-est", False))
    v = CHECKS["res-3.4-os2y-further-est"](ctx2, "res-3.4-os2y-further-est")
    assert v.status == "consistent"
    assert "RECONSTRUCTED" in v.explanation and "0.0131" in v.explanation


@pytest.mark.parametrize("met, status", [(True, "consistent"), (False, "unverifiable")])
def test_reconstruction_can_show_a_p_value_feasible(met, status):
    base = AuditContext(reconstructed=False)
    ctx2 = AuditContext(cohort=base.cohort, claims=base.claims,
                        reconstructed=_fake_reconstruction("res-3.4-os-further-p", met))
    v = CHECKS["res-3.4-os-further-p"](ctx2, "res-3.4-os-further-p")
    assert v.status == status
    assert "0.0131" in v.explanation


def test_explanations_quote_the_printed_values(ctx, verdicts):
    """Each KM verdict names the printed estimate it judges (taken from the ledger)."""
    for cid, v in verdicts.items():
        if cid.endswith("-est") and "resp-" not in cid.replace("res-", ""):
            printed = parse_numbers(ctx.reported(cid))[0]
            assert printed in v.explanation or Decimal(printed) == 0, cid
