"""Checks of the patient characteristics (section 3.1, Table 1 and its note).
"""

from __future__ import annotations

import pandas as pd

from blina.audit.checks.common import count_verdict, parts, unverifiable, who
from blina.audit.engine import CheckTable, Verdict
from blina.cohort.characteristics import numeric_summary
from blina.stats.rounding import fmt, shown_as

CHECKS = CheckTable()


@CHECKS.check("abs-n-30", "res-3.1-n-30")
def _n_patients(ctx, cid):
    return count_verdict(len(ctx.cohort), ctx.reported(cid), "Patients in Tables 1 and 2")



@CHECKS.check("res-3.1-years", "met-2.1-years")
def _years(ctx, cid):
    return unverifiable("Treatment dates are not published (Tables 1 and 2 hold no dates).")


def _numeric(ctx, col):
    return numeric_summary(ctx.cohort, (col,)).iloc[0]


@CHECKS.check("res-3.1-age-median")
def _age_median(ctx, cid):
    s = _numeric(ctx, "age")
    printed = ctx.reported(cid)
    rec = f"median {fmt(s['median'], 1)}; mean {fmt(s['mean'], 1)}"
    if shown_as(s["median"], printed):
        return Verdict("reproduced", rec, f"Median age of the 30 patients: {rec}, as printed.")
    return Verdict(
        "discrepant", rec,
        f"The median age of the 30 patients in Table 1 is {fmt(s['median'], 1)} years, not "
        f"{printed}; the mean, {fmt(s['mean'], 1)}, rounds to {fmt(s['mean'], 0)} — {printed} "
        "only if it was truncated — so neither statistic gives the printed value as rounded.")


@CHECKS.check("res-3.1-age-range")
def _age_range(ctx, cid):
    s = _numeric(ctx, "age")
    return _range(s, ctx.reported(cid), "Age range in Table 1")


@CHECKS.check("res-3.2-blast-range")
def _blast_range(ctx, cid):
    s = _numeric(ctx, "bm_blast_pct")
    return _range(s, ctx.reported(cid), "Bone-marrow blast range in Table 2")


def _range(s: pd.Series, printed: str, what: str) -> Verdict:
    lo, hi = (p.strip() for p in printed.replace("–", "-").split("-"))
    rec = f"{s['min']:g}–{s['max']:g}"
    if shown_as(s["min"], lo) and shown_as(s["max"], hi):
        return Verdict("reproduced", rec, f"{what}: {rec}, as printed.")
    return Verdict("discrepant", rec, f"{what}: {rec}, but the paper prints {printed}.")


@CHECKS.check("res-3.1-sex")
def _sex(ctx, cid):
    c = ctx.cohort
    men, women = parts(ctx.reported(cid))
    m, f = int((c.sex == "M").sum()), int((c.sex == "F").sum())
    rec = f"{m} men, {f} women"
    ok = (m, f) == (int(men), int(women))
    return Verdict("reproduced" if ok else "discrepant", rec,
                   f"Table 1: {rec}" + (", as printed." if ok else f"; printed {men} and {women}."))


@CHECKS.check("res-3.1-relapsed-21")
def _relapsed(ctx, cid):
    c = ctx.cohort
    k = int(c.disease_status.isin(["1R", "2R", "3R"]).sum())
    printed = ctx.reported(cid).split("/")[0]
    return count_verdict(k, printed, f"Patients of {len(c)} in first, second or third relapse "
                         "(1R, 2R, 3R) at the time of blinatumomab in Table 1")


@CHECKS.check("res-3.1-refractory-9")
def _refractory(ctx, cid):
    c = ctx.cohort
    k = int((c.disease_status == "primary refractory").sum())
    return count_verdict(k, ctx.reported(cid), "Primary refractory in Table 1",
                         " That they did not respond to earlier lines is not in the tables.")


@CHECKS.check("res-3.1-risk")
def _risk(ctx, cid):
    c = ctx.cohort
    std, poor = parts(ctx.reported(cid))
    s, p = int((c.risk == "standard").sum()), int((c.risk == "poor").sum())
    rec = f"{s} standard, {p} poor"
    ok = (s, p) == (int(std), int(poor))
    return Verdict("reproduced" if ok else "discrepant", rec,
                   f"Genetic risk in Table 1: {rec}"
                   + (", as printed." if ok else f"; printed {std} and {poor}."))


@CHECKS.check("res-3.1-cns-none")
def _cns(ctx, cid):
    return unverifiable("CNS involvement and extramedullary disease are not recorded in "
                        "Tables 1 or 2.")


@CHECKS.check("tab-1-prior-hsct-cases")
def _prior_hsct(ctx, cid):
    c = ctx.cohort
    mask = c.prior_therapy.astype(str) == "Chemotherapy+allo-HSCT"
    rec = who(c, mask)
    ok = rec == ctx.reported(cid)
    why = (f"Patients whose therapy before blinatumomab was chemotherapy + allo-HSCT in Table 1: "
           f"{rec}" + (", as the note says" if ok else f"; the note says {ctx.reported(cid)}")
           + "; patient 23 (allo-HSCT and CAR-T) is described separately.")
    return Verdict("reproduced" if ok else "discrepant", rec, why)


@CHECKS.check("tab-1-case23")
def _case23(ctx, cid):
    row = ctx.cohort.set_index("patient").loc[23]
    rec = f"{row.disease_status}, {row.prior_therapy}"
    ok = str(row.disease_status) == "2R" and str(row.prior_therapy) == \
        "Chemotherapy+allo-HSCT+CART"
    return Verdict(
        "consistent" if ok else "discrepant", rec,
        f"Table 1 gives patient 23 as {rec}: two relapses, after allo-HSCT and after CAR-T, "
        "agree with the note; the order of the events is not in the table.")



@CHECKS.check("res-3.2-blast-median")
def _blast_median(ctx, cid):
    s = _numeric(ctx, "bm_blast_pct")
    printed = ctx.reported(cid)
    rec = f"median {fmt(s['median'], 2)}; mean {fmt(s['mean'], 2)}"
    if shown_as(s["median"], printed):
        return Verdict("reproduced", rec, f"Median blasts {rec}, as printed.")
    return Verdict(
        "discrepant", rec,
        f"The 30 blast percentages of Table 2 have median {fmt(s['median'], 2)}% and mean "
        f"{fmt(s['mean'], 2)}%; neither statistic gives the printed {printed}%.")
