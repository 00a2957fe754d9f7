"""Checks of the response results (section 3.2, the abstract's response figures).

Each recomputes a count or rate from Table 2 (``ctx.patients``: the cohort with the groups of
:func:`blina.cohort.groups.add_groups`).
"""

from __future__ import annotations

from blina.audit.checks.common import count_verdict, parts, pct, rate_verdict, who
from blina.audit.engine import CheckTable, Verdict
from blina.stats.rounding import shown_as
from blina.study import HIGH_BURDEN_PCT

CHECKS = CheckTable()


@CHECKS.check("abs-cr-25", "res-3.2-cr-25", "res-3.2-resp-25")
def _composite_cr(ctx, cid):
    g = ctx.patients
    k, p = parts(ctx.reported(cid))
    return rate_verdict(int(g.responder.sum()), len(g), k, p, "CR or CRi in Table 2")


@CHECKS.check("abs-high-burden-cr-13")
def _abstract_high_burden(ctx, cid):
    g = ctx.patients
    k, p, _ = parts(ctx.reported(cid))
    hb = g.high_burden
    resp_hb = int((hb & g.responder).sum())
    n_hb, n, n_resp = int(hb.sum()), len(g), int(g.responder.sum())
    recomputed = (f"{resp_hb} of {n_resp} CR/CRi had blasts > 50%; {n_hb}/{n} = "
                  f"{pct(n_hb, n, p)}% had blasts > 50%")
    if resp_hb == int(k):
        return Verdict("reproduced", recomputed, f"{recomputed}.")
    return Verdict(
        "discrepant", recomputed,
        f"The sentence says {k} of the {n_resp} patients in CR had a high leukemic load, but only "
        f"{resp_hb} of the {n_hb} patients with blasts > 50% reached CR/CRi (patients "
        f"{who(g, hb & g.responder)}), as section 3.2 itself says; the other reading, {k} "
        f"high-burden patients in the whole cohort ({n_hb}/{n} = {pct(n_hb, n, p)}%), is true "
        "but is not what the sentence states.")


@CHECKS.check("abs-mrd-12", "res-3.2-mrd-12", "disc-mrd-40")
def _mrd_negative(ctx, cid):
    g = ctx.patients
    printed = parts(ctx.reported(cid))
    k = int(g.mrd_neg.sum())
    other = (" Other reading: the 40% could be the cited trials' figure [13, 16]; this study's "
             "12/30 gives it exactly." if cid == "disc-mrd-40" else "")
    if len(printed) == 1:
        return rate_verdict(k, len(g), str(k), printed[0], "MRD-negative in Table 2", other)
    return rate_verdict(k, len(g), printed[0], printed[1], "MRD-negative in Table 2", other)



@CHECKS.check("res-3.2-cr-16", "res-3.2-cri-9")
def _cr_cri(ctx, cid):
    level = "CR" if cid.endswith("cr-16") else "CRi"
    k = int((ctx.cohort.response.astype(str) == level).sum())
    return count_verdict(k, ctx.reported(cid), f"{level} in Table 2")


@CHECKS.check("res-3.2-high-burden-13")
def _high_burden(ctx, cid):
    g = ctx.patients
    k, p, _ = parts(ctx.reported(cid))
    return rate_verdict(int(g.high_burden.sum()), len(g), k, p,
                        f"Blasts > {HIGH_BURDEN_PCT}% in Table 2 "
                        f"(patients {who(g, g.high_burden)})")


@CHECKS.check("res-3.2-high-burden-resp-9")
def _high_burden_resp(ctx, cid):
    g = ctx.patients
    k, p = parts(ctx.reported(cid))
    hb = g[g.high_burden]
    return rate_verdict(int(hb.responder.sum()), len(hb), k, p,
                        "CR/CRi among the high-burden patients")


@CHECKS.check("res-3.2-high-burden-mrd-6")
def _high_burden_mrd(ctx, cid):
    g = ctx.patients
    k, p = parts(ctx.reported(cid))
    hb = g[g.high_burden]
    return rate_verdict(int(hb.mrd_neg.sum()), len(hb), k, p,
                        f"MRD-negative among the high-burden patients ({who(hb, hb.mrd_neg)})")


@CHECKS.check("res-3.2-nonresp-5")
def _nonresp_pct(ctx, cid):
    g = ctx.patients
    k, p = parts(ctx.reported(cid))
    nr = ~g.responder
    n = len(g)
    n_all = int(nr.sum())
    n_hb = int((nr & g.high_burden).sum())
    hb = int(g.high_burden.sum())
    rec = (f"{n_all}/{n} = {pct(n_all, n, p)}% overall; {n_hb}/{hb} = {pct(n_hb, hb, p)}% "
           "of high-burden patients")
    if shown_as(100 * n_all / n, p) or (n_hb == int(k) and shown_as(100 * n_hb / hb, p)):
        return Verdict("reproduced", rec, f"Nonresponders: {rec}.")
    return Verdict(
        "discrepant", rec,
        f"{p}% is {k}/{hb}" + (f" (= {pct(int(k), hb, p)}%)" if shown_as(100 * int(k) / hb, p)
                               else f" only approximately ({pct(int(k), hb, p)}%)")
        + f", the high-burden denominator of the sentence before, but only {n_hb} "
        f"of the {hb} high-burden patients did not respond ({who(g, nr & g.high_burden)}; "
        f"{n_hb}/{hb} = {pct(n_hb, hb, p)}%) and the {n_all} nonresponders in all are "
        f"{n_all}/{n} = {pct(n_all, n, p)}%: the count fits the cohort, the percentage neither "
        "reading.")


@CHECKS.check("res-3.2-nonresp-status")
def _nonresp_status(ctx, cid):
    g = ctx.patients
    nr = g[~g.responder]
    counts = nr.disease_status.astype(str).value_counts()
    got = [int(counts.get(s, 0)) for s in ("primary refractory", "3R", "2R", "1R")]
    printed = [int(x) for x in parts(ctx.reported(cid))]
    rec = "primary refractory {}, 3R {}, 2R {}, 1R {}".format(*got)
    ok = got == printed
    return Verdict("reproduced" if ok else "discrepant", rec,
                   f"Disease status of the nonresponders ({who(nr)}) in Table 2: {rec}"
                   + (", as printed." if ok else "; the paper prints {} / {} / {} / {}."
                      .format(*printed)))


@CHECKS.check("res-3.2-nonresp-died-5")
def _nonresp_died(ctx, cid):
    g = ctx.patients
    nr = g[~g.responder]
    k = int(nr.os_event.sum())
    return count_verdict(k, ctx.reported(cid),
                         f"Deaths among the {len(nr)} nonresponders ({who(nr)})")


@CHECKS.check("res-3.2-nonresp-death-causes")
def _nonresp_causes(ctx, cid):
    g = ctx.patients
    nr = g[~g.responder]
    cart = nr[nr.followup_therapy.astype(str) == "CART"]
    infection = nr[nr.cause_of_death.astype(str) == "Infection"]
    leukemia = nr[nr.cause_of_death.astype(str) == "Leukemia"]
    listed = sum(int(x) for x in parts(ctx.reported(cid)))
    rec = (f"CAR-T {len(cart)} ({who(cart)}); infection {len(infection)} ({who(infection)}); "
           f"leukemia {len(leukemia)} ({who(leukemia)})")
    return Verdict(
        "discrepant", rec,
        f"The list accounts for {listed} of the {len(nr)} deaths. In Table 2 the nonresponders "
        f"who received CAR-T are {who(cart)}; the only infection death ({who(infection)}) is "
        f"one of them, and the other {len(leukemia)} deaths ({who(leukemia)}) are from leukemia; "
        "'from relapse' "
        "cannot apply to a patient who never reached remission (other reading: relapse = "
        "leukemia, which still gives 4 leukemia + 1 infection, not 2 + 1 + 1).")


@CHECKS.check("res-3.2-resp-nofurther-3", "res-3.2-resp-further-22", "disc-further-resp-88")
def _resp_further(ctx, cid):
    g = ctx.patients
    r = g[g.responder]
    printed = parts(ctx.reported(cid))
    if cid == "res-3.2-resp-nofurther-3":
        mask = ~r.further_treatment
        what = f"Responders without further treatment ({who(r, mask)})"
    else:
        mask = r.further_treatment
        what = "Responders with further treatment"
    k = int(mask.sum())
    if len(printed) == 1:
        return rate_verdict(k, len(r), str(k), printed[0], what)
    return rate_verdict(k, len(r), printed[0], printed[1], what)


@CHECKS.check("res-3.2-resp-nofurther-norelapse")
def _nofurther_norelapse(ctx, cid):
    g = ctx.patients
    r = g[g.responder & ~g.further_treatment]
    return count_verdict(int(r.relapsed.sum()), ctx.reported(cid),
                         f"Relapses among the responders without further treatment ({who(r)})")


_THERAPY = {"res-3.2-further-chemo-8": "chemotherapy", "res-3.2-further-blina-3": "blinatumomab",
            "res-3.2-further-cart-3": "CAR-T", "res-3.2-further-hsct-8": "HSCT"}


@CHECKS.check(*_THERAPY)
def _therapy_count(ctx, cid):
    g = ctx.patients
    r = g[g.responder]
    group = _THERAPY[cid]
    mask = r.therapy_type.astype(str) == group
    other = ""
    if group in ("CAR-T", "HSCT"):
        other = (" Patient 3 (CAR-T then allo-HSCT) is counted under HSCT: only then do the four "
                 "groups add up to 8 + 3 + 3 + 8 = 22; the other reading (patient 3 as CAR-T) "
                 "gives 4 CAR-T and 7 allo-HSCT.")
    return count_verdict(int(mask.sum()), ctx.reported(cid),
                         f"Responders with follow-up therapy {group} ({who(r, mask)})", other)


@CHECKS.check("res-3.2-relapse-5")
def _relapse_rate(ctx, cid):
    g = ctx.patients
    rf = g[g.responder & g.further_treatment]
    n_resp = int(g.responder.sum())
    k, p = parts(ctx.reported(cid))
    n_rel = int(rf.relapsed.sum())
    return rate_verdict(n_rel, len(rf), k, p,
                        f"Relapses among the {len(rf)} responders with further treatment "
                        f"({who(rf, rf.relapsed)})",
                        f" Over all {n_resp} responders it is {n_rel}/{n_resp} = "
                        f"{pct(n_rel, n_resp, p)}%, the discussion's 20%.")


@CHECKS.check("res-3.2-relapse-by-therapy")
def _relapse_by_therapy(ctx, cid):
    g = ctx.patients
    rel = g[g.responder & g.relapsed]
    t = rel.therapy_type.astype(str)
    got = [int((t == x).sum()) for x in ("chemotherapy", "HSCT", "CAR-T")]
    printed = [int(x) for x in parts(ctx.reported(cid))]
    rec = (f"chemotherapy {got[0]} ({who(rel, t == 'chemotherapy')}), allo-HSCT {got[1]} "
           f"({who(rel, t == 'HSCT')}), CAR-T {got[2]} ({who(rel, t == 'CAR-T')})")
    if got == printed:
        return Verdict("reproduced", rec, f"Relapses by follow-up therapy: {rec}, as printed.")
    return Verdict(
        "discrepant", rec,
        f"Table 2 gives relapses by follow-up therapy as {rec}, not 3 / 1 / 1; counting patient "
        "18 (who relapsed after an allo-HSCT before blinatumomab, Table 1 note) under allo-HSCT "
        "still leaves two, not three, after chemotherapy.")


@CHECKS.check("res-3.2-relapse-retreated-4")
def _relapse_retreated(ctx, cid):
    g = ctx.patients
    rel = g[g.relapsed]
    alive = rel[~rel.os_event]
    return Verdict(
        "consistent", f"{len(alive)} of {len(rel)} relapsed patients alive ({who(alive)})",
        f"Treatment after relapse is not in the tables, but {len(alive)} of the {len(rel)} "
        f"relapsed patients ({who(alive)}) are alive at the end of follow-up, which fits "
        f"{ctx.reported(cid)} of them being treated again.")


@CHECKS.check("res-3.2-relapse-died-1")
def _relapse_died(ctx, cid):
    g = ctx.patients
    rel = g[g.relapsed]
    dead = rel[rel.os_event]
    causes = ", ".join(dead.cause_of_death.astype(str))
    return count_verdict(len(dead), ctx.reported(cid),
                         f"Deaths among the {len(rel)} relapsed patients ({who(dead)}, cause "
                         f"'{causes}' in Table 2)",
                         " The reason 'treatment withdrawal' is not in the tables.")
