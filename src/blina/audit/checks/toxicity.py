"""Checks of the toxicity results (section 3.3 and Table 3).

Table 3 counts patients per event, so a claim about patients with *any* of several events is
checked against the Fréchet bounds of :func:`blina.cohort.safety.hematologic_summary`.
"""

from __future__ import annotations

from blina.audit.checks.common import ae_by_event, count_verdict, parts, pct, rate_verdict, who
from blina.audit.engine import CheckTable, Verdict
from blina.cohort.safety import hematologic_summary
from blina.stats.rounding import shown_as

CHECKS = CheckTable()


@CHECKS.check("res-3.3-no-irr-neuro-liver")
def _no_irr(ctx, cid):
    ae = ae_by_event(ctx)
    events = ["Infusion-related reaction", "Neurologic event", "Elevated liver enzymes"]
    got = {e: int(ae.loc[e, "any_grade"]) for e in events}
    rec = ", ".join(f"{e} {k}" for e, k in got.items())
    ok = not any(got.values())
    return Verdict("reproduced" if ok else "discrepant", rec,
                   f"Table 3 (any grade): {rec}" + (", as stated." if ok else "."))


def _heme_claimed(ctx) -> int:
    """The count of "Over half of the patients (25/30, 83.8%)"."""
    return int(ctx.reported("res-3.3-heme-over-half").split("/")[0])


@CHECKS.check("res-3.3-heme-over-half")
def _heme_count(ctx, cid):
    n = len(ctx.cohort)
    s = hematologic_summary(ctx.adverse_events, n)
    lo, hi = s.any_grade_bounds
    k = _heme_claimed(ctx)
    per_event = ", ".join(f"{e.lower()} {a}" for e, a in zip(s.table.event, s.table.any_grade,
                                                             strict=True))
    rec = f"between {lo} and {hi} of {n} (Table 3 per-event counts)"
    if lo <= k <= hi and 2 * k > n:
        where = (" (at the lower bound: every patient with a rarer one had the commonest)"
                 if k == lo else "")
        return Verdict(
            "consistent", rec,
            f"Table 3 counts patients per event ({per_event}), so the number with any "
            f"hematologic toxicity lies between {lo} and {hi}; {k}/{n} is feasible{where} and is "
            "over half; the exact number is not published.")
    return Verdict("discrepant", rec, f"{k}/{n} is not over half or lies outside the feasible "
                   f"{lo}–{hi} of Table 3 ({per_event}).")


@CHECKS.check("res-3.3-heme-pct")
def _heme_pct(ctx, cid):
    printed = ctx.reported(cid)
    n = len(ctx.cohort)
    k = _heme_claimed(ctx)
    rec = f"{k}/{n} = {pct(k, n, printed)}%"
    if shown_as(100 * k / n, printed):
        return Verdict("reproduced", rec, f"{rec}, as printed.")
    hits = [j for j in range(n + 1) if shown_as(100 * j / n, printed)]
    near = f"{k}/{n} = {pct(k, n, printed)}, {k + 1}/{n} = {pct(k + 1, n, printed)}"
    tail = (f"{printed}% would be {hits[0]}/{n}" if hits else
            f"no count out of {n} prints as {printed}% ({near}): most likely a typing error")
    return Verdict("discrepant", rec, f"{k}/{n} is {pct(k, n, printed)}%, not {printed}%; "
                   f"{tail}.")


_AE_TEXT = {
    "res-3.3-g3-neutropenia": ("Neutropenia", "grade_3_plus"),
    "res-3.3-g3-anemia": ("Anemia", "grade_3_plus"),
    "res-3.3-g3-thrombocytopenia": ("Thrombocytopenia", "grade_3_plus"),
    "res-3.3-crs": ("Cytokine release syndrome", "any_grade"),
    "res-3.3-infection": ("Infection", "any_grade"),
    "res-3.3-tls": ("Tumor lysis syndrome", "any_grade"),
}


@CHECKS.check(*_AE_TEXT)
def _ae_text(ctx, cid):
    event, col = _AE_TEXT[cid]
    k = int(ae_by_event(ctx).loc[event, col])
    pk, pp = parts(ctx.reported(cid))
    grade = "grade ≥ 3" if col == "grade_3_plus" else "any grade"
    return rate_verdict(k, len(ctx.cohort), pk, pp, f"Table 3, {event.lower()} {grade}")


@CHECKS.check("res-3.3-crs-g34")
def _crs_g34(ctx, cid):
    k = int(ae_by_event(ctx).loc["Cytokine release syndrome", "grade_3_plus"])
    return count_verdict(k, ctx.reported(cid), "Table 3, cytokine release syndrome grade ≥ 3",
                         " (Grade ≥ 3 includes grade 5, death; with no treatment-related deaths it "
                         "equals grade 3 or 4.)")


@CHECKS.check("res-3.3-no-trd")
def _no_trd(ctx, cid):
    g = ctx.patients
    dead = g[g.os_event]
    causes = dead.cause_of_death.astype(str).value_counts()
    inf_g3 = int(ae_by_event(ctx).loc["Infection", "grade_3_plus"])
    rec = ", ".join(f"{c} {k}" for c, k in causes.items())
    return Verdict(
        "consistent", rec,
        f"Table 2 gives the causes of the {len(dead)} deaths as {rec} (the infection death, "
        f"patient {who(dead, dead.cause_of_death.astype(str) == 'Infection')}, followed CAR-T) "
        f"and Table 3 has {inf_g3} grade ≥ 3 infections during blinatumomab, so no death is "
        "attributed to blinatumomab; attribution itself is not published.")


@CHECKS.check("tab-3-n-30")
def _table3_n(ctx, cid):
    return count_verdict(len(ctx.cohort), ctx.reported(cid), "Patients in Tables 1 and 2")


_TABLE3 = {
    "tab-3-neutropenia": "Neutropenia", "tab-3-anemia": "Anemia",
    "tab-3-thrombocytopenia": "Thrombocytopenia", "tab-3-fever": "Fever",
    "tab-3-infection": "Infection", "tab-3-crs": "Cytokine release syndrome",
    "tab-3-tls": "Tumor lysis syndrome", "tab-3-capillary-leak": "Capillary leak syndrome",
    "tab-3-neurologic": "Neurologic event", "tab-3-liver-enzymes": "Elevated liver enzymes",
    "tab-3-infusion-reaction": "Infusion-related reaction",
}


@CHECKS.check(*_TABLE3)
def _table3_row(ctx, cid):
    event = _TABLE3[cid]
    row = ae_by_event(ctx).loc[event]
    a, g3 = int(row.any_grade), int(row.grade_3_plus)
    pa, pg = (int(x) for x in parts(ctx.reported(cid)))
    n = len(ctx.cohort)
    rec = f"{a} any grade, {g3} grade ≥ 3"
    if (a, g3) != (pa, pg) or not 0 <= g3 <= a <= n:
        return Verdict("discrepant", rec, f"{event}: data/adverse_events.csv has {rec}; the row "
                       f"prints {pa} and {pg} (must satisfy 0 ≤ grade ≥ 3 ≤ any grade ≤ {n}).")
    return Verdict(
        "consistent", rec,
        f"{event}: Table 3 is the only source of these counts (no patient-level toxicity data), "
        f"so they cannot be recomputed; the row is coherent (0 ≤ {g3} ≤ {a} ≤ {n}) and the "
        "transcription matches. A coherence check of the table against itself, not evidence.",
        basis="table")
