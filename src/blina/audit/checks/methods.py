"""Checks of the methods (sections 2.2 and 2.3) and the abstract's dosing.

Tables 1 and 2 give no doses, dates or laboratory values, so most of these claims are definitions
that cannot be tested; the checks say so, and where the text contradicts itself.
"""

from __future__ import annotations

from blina.audit.checks.common import unverifiable
from blina.audit.engine import CheckTable, Verdict
from blina.stats.rounding import parse_numbers

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
    bound = float(parse_numbers(ctx.reported(cid))[0])
    dose, low, high = (float(x) for x in parse_numbers(ctx.reported("met-2.2-dose-28-6to10d")))
    rec = f"schedule up to {high:g} days at full dose; definition below {bound:g}"
    if high < bound:
        return unverifiable(f"{_NO_DOSING}; the schedule ({low:g}–{high:g} days at full dose) "
                            f"fits the definition (less than {bound:g} days).", rec)
    return Verdict(
        "discrepant", rec,
        f"The paper contradicts itself: the short course is defined as full dose for less than "
        f"{bound:g} days, but the schedule of the same section gives {dose:g} μg/day for "
        f"{low:g}–{high:g} days, so a patient given {high:g} days at full dose had the short "
        f"course by one sentence and not by the other. (The per-patient durations are not "
        "published, so which one holds cannot be checked.)")


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


@CHECKS.check("met-2.1-adults")
def _adults(ctx, cid):
    ages = ctx.cohort["age"]
    youngest = ctx.cohort.loc[ages == ages.min(), "patient"].astype(int).tolist()
    rec = f"youngest {int(ages.min())} years (patients {', '.join(map(str, youngest))})"
    if ages.min() >= 18:
        return Verdict("reproduced", rec, f"Table 1: the {len(ages)} patients are aged "
                       f"{int(ages.min())}–{int(ages.max())}; the youngest, "
                       f"{int(ages.min())} years old (patients {', '.join(map(str, youngest))}), "
                       "are adults.")
    return Verdict("discrepant", rec, f"Table 1 has patients younger than 18: {rec}.")


@CHECKS.check("met-2.2-corticosteroids")
def _corticosteroids(ctx, cid):
    return unverifiable("Premedication is not recorded in Tables 1–3, so whether every patient "
                        "had corticosteroids cannot be checked.")


@CHECKS.check("met-2.4-ctcae-v5", "met-2.4-spss-25")
def _tools_used(ctx, cid):
    return unverifiable("Which grading criteria and which software version were used cannot "
                        "be read from the published tables (Table 3 gives only 'any grade' and "
                        "'grade ≥ 3' counts).")


def _km_figures_solved(ctx) -> tuple[int, int, int, int]:
    """(figures with a printed CI, of them reproduced by some risk sets; estimates, of them
    reproduced), over the registry of printed Kaplan–Meier figures."""
    from blina.audit.checks.risk_sets import solve
    from blina.cohort.figures import KM_FIGURES, printed_km

    with_ci = solved_ci = estimates = solved_est = 0
    for fig in KM_FIGURES.values():
        p = printed_km(ctx.claims, fig)
        n = ctx.group_facts[fig.group].n
        estimates += 1
        solved_est += bool(solve(p.estimate, None, None, n))
        if p.lower is not None:
            with_ci += 1
            solved_ci += bool(solve(p.estimate, p.lower, p.upper, n))
    return with_ci, solved_ci, estimates, solved_est


@CHECKS.check("met-2.4-prism-9")
def _prism(ctx, cid):
    with_ci, solved_ci, _, _ = _km_figures_solved(ctx)
    rec = f"{solved_ci} of {with_ci} printed CIs are log(−log) Greenwood intervals"
    return Verdict(
        "consistent", rec,
        f"{rec} of some risk sets, the interval GraphPad Prism reports, and several printed "
        "values arise only by rounding a three-decimal display twice, as a reader copying "
        "Prism's output would (chapter 'Survival'); the version cannot be checked.")


@CHECKS.check("met-2.4-km-method")
def _km_method(ctx, cid):
    _, _, estimates, solved_est = _km_figures_solved(ctx)
    rec = f"{solved_est} of {estimates} printed estimates are Kaplan–Meier products"
    return Verdict(
        "consistent", rec,
        f"{rec} Π(1 − 1/r) for some numbers at risk r of their group; the others cannot be a "
        "Kaplan–Meier estimate of their group at all (see the survival verdicts: a value "
        "printed for the wrong group).")
