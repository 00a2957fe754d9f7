"""Checks of the discussion (section 4) and the conclusion (section 5), survival aside.

Claims about other studies are compared with the comparator table
(:func:`blina.data.load_comparators`) where it holds the figure.
"""

from __future__ import annotations

import pandas as pd

from blina.audit.checks.common import (
    ae_by_event,
    comparator,
    count_verdict,
    parts,
    pct,
    rate_verdict,
    unverifiable,
    who,
)
from blina.audit.engine import CheckTable, Verdict
from blina.stats.binomial import clopper_pearson
from blina.stats.rounding import fmt, parse_numbers, shown_as
from blina.study import HIGH_BURDEN_PCT

CHECKS = CheckTable()


@CHECKS.check("disc-standard-4w", "disc-standard-cycles")
def _standard_schedule(ctx, cid):
    return unverifiable("Describes the standard blinatumomab schedule of other studies "
                        "[13, 14, 16–18]; nothing in this paper's data bears on it.")


@CHECKS.check("disc-escalation-3d-safe", "disc-escalation-3d-toxicity")
def _escalation_safe(ctx, cid):
    ae = ae_by_event(ctx)
    crs3 = int(ae.loc["Cytokine release syndrome", "grade_3_plus"])
    neuro = int(ae.loc["Neurologic event", "any_grade"])
    return unverifiable(
        f"A comparative safety judgement without a comparison group (no patient had the "
        f"standard 7-day escalation); Table 3 shows {neuro} neurological events and {crs3} "
        "grade ≥ 3 CRS, but whether toxicity 'did not increase' cannot be tested.",
        f"neurologic {neuro}; CRS grade ≥ 3 {crs3}")


@CHECKS.check("disc-ccr-83")
def _ccr(ctx, cid):
    g = ctx.patients
    k = int(g.responder.sum())
    return rate_verdict(k, len(g), str(k), ctx.reported(cid), "CR or CRi in Table 2")


@CHECKS.check("disc-expected-50")
def _expected(ctx, cid):
    return unverifiable("'Approximately 50%' is the authors' expectation and is not traced to "
                        "a source; the trials they cite give 34%–43% (next claim).")


def _not_in_comparators(what: str) -> Verdict:
    return unverifiable(f"{what}; the comparator table (data/comparators.csv) has no row for "
                        "the cited study, so the figure cannot be compared.")


@CHECKS.check("disc-trials-cr-34-43")
def _trials_range(ctx, cid):
    topp, mart = comparator(ctx, "Topp"), comparator(ctx, "Martinelli")
    if topp is None or mart is None:
        return _not_in_comparators("External figures from refs 13 and 16")
    lo, hi = (p.strip() for p in ctx.reported(cid).split("–"))
    t, m = float(topp.rate_pct), float(mart.rate_pct)
    rec = f"Topp 2015 {t:g}%; Martinelli 2017 {m:g}%"
    if shown_as(max(t, m), hi) and shown_as(min(t, m), lo):
        return Verdict("consistent", rec, f"The cited trials report {rec}, as the range says.")
    return Verdict(
        "discrepant", rec,
        f"The two cited trials report {rec} (CR/CRh within two cycles); the top of the range "
        f"({hi}%) is Topp's, but no cited figure gives {lo}% (Martinelli's CR alone was 31%), "
        "so the lower bound does not match the sources as recorded in the comparator table.")


@CHECKS.check("disc-rw-cr-range")
def _rw_range(ctx, cid):
    lo, hi = (float(p) for p in ctx.reported(cid).split("–"))
    yoon = comparator(ctx, "Yoon")
    ald = comparator(ctx, "Aldoss")
    known = [(r.study, float(r.rate_pct)) for r in (yoon, ald) if r is not None]
    rec = "; ".join(f"{s} {v:g}%" for s, v in known)
    inside = all(lo <= v <= hi for _, v in known)
    top = any(abs(v - hi) < 1e-9 for _, v in known)
    if known and inside and top:
        return Verdict("consistent", rec,
                       f"Of the cited real-world studies the comparator table holds {rec}: the "
                       f"top ({hi:g}%) matches Yoon 2023 and all lie in {lo:g}%–{hi:g}%; the "
                       f"lower end ({lo:g}%) is not in the table.")
    return Verdict("discrepant", rec, f"Cited real-world rates {rec} do not fit "
                   f"{lo:g}%–{hi:g}%.")


@CHECKS.check("disc-rw-mrd-44")
def _rw_mrd(ctx, cid):
    return unverifiable("An MRD-negative CR rate of the cited real-world studies [19–23]; the "
                        "comparator table records response rates only.")


@CHECKS.check("disc-ccr-consistent-rw")
def _ccr_vs_rw(ctx, cid):
    g = ctx.patients
    k, n = int(g.responder.sum()), len(g)
    lo, hi = clopper_pearson(k, n)
    rec = f"{k}/{n} = {pct(k, n)}% (95% CI {fmt(100 * lo, 1)}–{fmt(100 * hi, 1)})"
    return Verdict(
        "consistent", rec,
        f"The cCR rate {rec} lies above the top of the cited real-world range (80.8%), so it is "
        "not inside the range literally, but its exact (Clopper–Pearson) interval overlaps it; "
        "'consistent with' holds in that statistical sense only.")


@CHECKS.check("disc-nonresp-high-blasts-4")
def _nonresp_blasts(ctx, cid):
    g = ctx.patients
    nr = g[~g.responder]
    hb = nr[nr.high_burden]
    k, _ = parts(ctx.reported(cid))
    blasts = ", ".join(f"{b:g}" for b in nr.bm_blast_pct)
    return count_verdict(len(hb), k, f"Nonresponders with blasts > {HIGH_BURDEN_PCT}% "
                         f"({who(hb)}; the five have {blasts}%)",
                         " 'Substantially high' is read as the paper's high leukemic load "
                         f"(> {HIGH_BURDEN_PCT}%).")


@CHECKS.check("disc-nonresp-28d-after-7to10d")
def _nonresp_28d(ctx, cid):
    _, low, high = parse_numbers(ctx.reported(cid))
    _, s_low, s_high = parse_numbers(ctx.reported("met-2.2-dose-28-6to10d"))
    if (low, high) == (s_low, s_high):
        return unverifiable("A hypothesis about a treatment the patients did not receive.")
    return Verdict(
        "discrepant", f"{low}–{high} days here; {s_low}–{s_high} days in 2.2",
        f"The sentence puts the short course at {low}–{high} days, but section 2.2 and the "
        f"abstract give {s_low}–{s_high} days at full dose: the two cannot both describe the "
        "same treatment (the hypothesis itself, about a treatment the patients did not "
        "receive, cannot be tested).")


@CHECKS.check("disc-burden-gt15")
def _burden15(ctx, cid):
    g = ctx.patients
    hi = g[g.bm_blast_pct > 15]
    lo = g[g.bm_blast_pct <= 15]
    rec = (f"> 15%: {int(hi.responder.sum())}/{len(hi)} responded; ≤ 15%: "
           f"{int(lo.responder.sum())}/{len(lo)}")
    return unverifiable(f"A finding of other studies [24–26], not of this one. For context, in "
                        f"Table 2 {rec}.", rec)


@CHECKS.check("disc-cd19-loss-none")
def _cd19(ctx, cid):
    return unverifiable("CD19 expression is not reported in the tables.")


_MULTI = ("2R", "3R")


@CHECKS.check("disc-multilinear-no-mrd")
def _multilinear_mrd(ctx, cid):
    g = ctx.patients
    multi = g.disease_status.astype(str).isin(_MULTI)
    neg = multi & g.mrd_neg
    third = g.disease_status.astype(str) == "3R"
    rec = f"{int(neg.sum())} of {int(multi.sum())} patients in 2R/3R MRD-negative ({who(g, neg)})"
    if not neg.any():
        return Verdict("reproduced", rec, f"{rec}.")
    return Verdict(
        "discrepant", rec,
        f"Reading 'multilinear recurrence' as a second or later relapse (the next sentences "
        f"contrast it with primary refractory and first-relapse patients), {rec} in Table 2. "
        f"Other reading, third relapse only: {int((third & g.mrd_neg).sum())} of "
        f"{int(third.sum())} MRD-negative, true — but then only "
        f"{int((third & ~g.responder).sum())}, not three, nonresponders had it.")


@CHECKS.check("disc-multilinear-nonresp-3")
def _multilinear_nonresp(ctx, cid):
    g = ctx.patients
    nr = g[~g.responder]
    multi = nr.disease_status.astype(str).isin(_MULTI)
    k, _ = parts(ctx.reported(cid))
    return count_verdict(int(multi.sum()), k,
                         f"Nonresponders in second or third relapse ({who(nr, multi)})",
                         " 'Multilinear recurrence' read as a second or later relapse; with "
                         "the third relapse only it would be 2.")


@CHECKS.check("disc-further-nonresp-40")
def _further_nonresp(ctx, cid):
    g = ctx.patients
    nr = g[~g.responder]
    k = int(nr.further_treatment.sum())
    return rate_verdict(k, len(nr), str(k), ctx.reported(cid),
                        f"Nonresponders with further therapy "
                        f"({who(nr, nr.further_treatment)}, CAR-T)")


@CHECKS.check("disc-tower-median-7.7")
def _tower(ctx, cid):
    row = comparator(ctx, "Kantarjian")
    if row is None or pd.isna(row.get("median_os_months")):
        return _not_in_comparators("External figure from ref 14")
    v = float(row.median_os_months)
    printed = ctx.reported(cid)
    rec = f"TOWER blinatumomab arm median OS {v:g} months"
    if shown_as(v, printed):
        return Verdict("consistent", rec, f"The cited study reports {rec}, as quoted; it cannot "
                       "be recomputed from this paper's data.")
    return Verdict("discrepant", rec, f"The cited study reports {rec}, not {printed}.")


@CHECKS.check("disc-tower-relapse-line")
def _tower_line(ctx, cid):
    return unverifiable("Describes the patients of another study [14]; the comparator table "
                        "does not record lines of relapse.")


@CHECKS.check("disc-noninferior-28d")
def _noninferior(ctx, cid):
    return unverifiable("A non-inferiority claim needs a comparison with 28-day treatment "
                        "(a control group or a pre-set margin); the paper has neither.")


@CHECKS.check("disc-relapse-resp-20")
def _relapse_resp(ctx, cid):
    g = ctx.patients
    r = g[g.responder]
    k = int(r.relapsed.sum())
    return rate_verdict(k, len(r), str(k), ctx.reported(cid),
                        f"Relapses among all responders ({who(r, r.relapsed)})",
                        f" Section 3.2 prints the same five as 22.7%, i.e. over the "
                        f"{int(r.further_treatment.sum())} responders with further treatment.")


@CHECKS.check("disc-relapse-after-hsct-1")
def _relapse_hsct(ctx, cid):
    g = ctx.patients
    h = g[g.responder & (g.therapy_type.astype(str) == "HSCT")]
    return count_verdict(int(h.relapsed.sum()), ctx.reported(cid),
                         f"Relapses among the {len(h)} responders bridged to allo-HSCT "
                         f"({who(h, h.relapsed)})",
                         " Patient 18 relapsed after an allo-HSCT given before blinatumomab "
                         "(Table 1 note) and received CAR-T afterwards; the natural reading is "
                         "HSCT after blinatumomab.")


# ---------------------------------------------------------------- 5 conclusion
@CHECKS.check("con-5-bridge")
def _bridge(ctx, cid):
    g = ctx.patients
    k, n = int(g.further_treatment.sum()), len(g)
    kr = int((g.further_treatment & g.responder).sum())
    rec = (f"{k}/{n} = {pct(k, n)}% received further therapy ({kr}/{int(g.responder.sum())} "
           "responders)")
    return Verdict("consistent", rec,
                   f"A qualitative conclusion; Table 2 supports the 'bridge' use: {rec}.")


@CHECKS.check("con-5-costs")
def _costs(ctx, cid):
    return unverifiable("The paper publishes no cost data.")


@CHECKS.check("disc-benefit-significant")
def _significant_benefit(ctx, cid):
    return unverifiable("'Significantly benefit' needs a comparison with patients who did not "
                        "have the short course (or a prespecified reference); this single-arm "
                        "study has neither, and its 'significantly better' survival compares "
                        "patients with and without further treatment, not the short course "
                        "with anything.")


@CHECKS.check("disc-first-study")
def _first_study(ctx, cid):
    return unverifiable("A priority claim about the literature; nothing in the paper's data "
                        "bears on it (the comparator table records no other short-course "
                        "study, which is not proof that none exists).")


@CHECKS.check("disc-low-burden-longterm")
def _low_burden(ctx, cid):
    g = ctx.patients
    alone = g[g.responder & ~g.further_treatment]
    blasts = ", ".join(f"{int(p)}: {b:g}%" for p, b in zip(alone.patient, alone.bm_blast_pct,
                                                          strict=True))
    return unverifiable(
        f"A finding of the cited studies [24, 25], not of this one. For context, the "
        f"{len(alone)} responders here without further therapy ({who(alone)}, none relapsed "
        f"or died in Table 2) had blasts of {blasts} before blinatumomab, not all a low "
        "burden; their follow-up times are not published.",
        f"{len(alone)} responders without further therapy: {blasts}")
