"""Verdicts for every claim of the ledger that is not a survival claim.

Survival claims (section 3.4 and the ids elsewhere carrying an ``os``/``pfs`` token, e.g.
``abs-os2y-all``) are checked in :mod:`blina.survival_checks`; everything else is here: the
abstract's response figures, the methods' doses and definitions (2.2, 2.3), the patient
characteristics (3.1, Table 1), the response results (3.2), the toxicity results (3.3, Table 3),
the discussion (4) and the conclusion (5).

Each check recomputes the claim from the published data (``ctx.cohort`` = Tables 1 and 2,
``ctx.adverse_events`` = Table 3; patient groups from :mod:`blina.groups`) and compares it at the
printed precision: a percentage ``100·k/n`` matches a printed value when it rounds half up to it
(:func:`blina.numbers.shown_as`).  Claims about other studies are compared with the comparator
table (:func:`blina.load_comparators`) where it holds the figure.  Where the wording has two
readings, the verdict is for the natural reading and the explanation names the other.
"""

from __future__ import annotations

import weakref
from functools import cache, partial

import pandas as pd

from blina.audit import AuditContext, Verdict, check
from blina.cohort import numeric_summary
from blina.groups import add_groups
from blina.numbers import fmt, shown_as
from blina.response import clopper_pearson, high_burden
from blina.safety import hematologic_summary

__all__ = ["CHECKS", "HIGH_BURDEN_PCT"]

#: the paper's "high leukemic load": bone-marrow blasts above 50% (3.2, abstract)
HIGH_BURDEN_PCT = 50

#: the checks of this module by claim id (also registered in :mod:`blina.audit`)
CHECKS: dict = {}


_check = partial(check, into=CHECKS)


# ---------------------------------------------------------------- helpers
def _parts(reported: str) -> list[str]:
    """``"25; 83.3"`` -> ``["25", "83.3"]``."""
    return [p.strip() for p in reported.split(";")]


# _groups(ctx) by context, with the cohort object it was computed from
_GROUPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _groups(ctx: AuditContext) -> pd.DataFrame:
    """``ctx.cohort`` with the group columns, computed once per context (and cohort object:
    28 checks ask for it); each caller gets its own copy."""
    cohort = ctx.cohort
    hit = _GROUPS.get(ctx)
    if hit is None or hit[0] is not cohort:
        g = add_groups(cohort)
        g["relapsed"] = g["relapse"].astype("boolean").fillna(False).astype(bool)
        g["mrd_neg"] = g["mrd_negative"].astype(bool)
        g["high_burden"] = high_burden(g, HIGH_BURDEN_PCT)
        hit = (cohort, g)
        _GROUPS[ctx] = hit
    return hit[1].copy()


def _who(df: pd.DataFrame, mask=None) -> str:
    """Patient numbers, e.g. ``"6, 9, 11"`` (``"none"`` when empty)."""
    sel = df if mask is None else df[mask]
    ids = [str(int(p)) for p in sel["patient"]]
    return ", ".join(ids) if ids else "none"


def _pct(k: int, n: int, printed: str | None = None) -> str:
    decimals = len(printed.split(".")[1]) if printed and "." in printed else 1
    return fmt(100 * k / n, decimals)


def _rate(k: int, n: int, printed_k: str, printed_pct: str, what: str,
          other: str = "") -> Verdict:
    """Verdict for "k (p%)" of n: reproduced when the count matches and 100·k/n rounds to p."""
    shown = f"{k}/{n} = {_pct(k, n, printed_pct)}%"
    ok = int(printed_k) == k and shown_as(100 * k / n, printed_pct)
    printed = f"{printed_k} ({printed_pct}%)"
    if ok:
        return Verdict("reproduced", shown, f"{what}: {shown}, as printed.{other}")
    return Verdict("discrepant", shown, f"{what}: {shown}, but the paper prints {printed}.{other}")


def _count(k: int, printed: str, what: str, other: str = "") -> Verdict:
    """Verdict for a bare count: reproduced when ``k`` equals the printed integer."""
    if int(printed) == k:
        return Verdict("reproduced", str(k), f"{what}: {k}, as printed.{other}")
    return Verdict("discrepant", str(k), f"{what}: {k}, but the paper prints {printed}.{other}")


def _unverifiable(why: str, recomputed: str = "—") -> Verdict:
    return Verdict("unverifiable", recomputed, why)


@cache
def _comparators() -> pd.DataFrame | None:
    """The comparator-study table, or ``None`` if this checkout has none yet."""
    try:
        from blina import load_comparators

        return load_comparators()
    except (ImportError, AttributeError, FileNotFoundError):
        return None


def _comparator(study: str) -> pd.Series | None:
    table = _comparators()
    if table is None or "study" not in table.columns:
        return None
    rows = table[table["study"].astype(str).str.startswith(study)]
    return None if rows.empty else rows.iloc[0]


# ---------------------------------------------------------------- abstract
@_check("abs-n-30", "res-3.1-n-30")
def _n_patients(ctx, cid):
    return _count(len(ctx.cohort), ctx.reported(cid), "Patients in Tables 1 and 2")


@_check("abs-cr-25", "res-3.2-cr-25", "res-3.2-resp-25")
def _composite_cr(ctx, cid):
    g = _groups(ctx)
    k, p = _parts(ctx.reported(cid))
    return _rate(int(g.responder.sum()), len(g), k, p, "CR or CRi in Table 2")


@_check("abs-high-burden-cr-13")
def _abstract_high_burden(ctx, cid):
    g = _groups(ctx)
    k, p, _ = _parts(ctx.reported(cid))
    hb = g.high_burden
    resp_hb = int((hb & g.responder).sum())
    n_hb, n, n_resp = int(hb.sum()), len(g), int(g.responder.sum())
    recomputed = (f"{resp_hb} of {n_resp} CR/CRi had blasts > 50%; {n_hb}/{n} = "
                  f"{_pct(n_hb, n, p)}% had blasts > 50%")
    if resp_hb == int(k):
        return Verdict("reproduced", recomputed, f"{recomputed}.")
    return Verdict(
        "discrepant", recomputed,
        f"The sentence says {k} of the {n_resp} patients in CR had a high leukemic load, but only "
        f"{resp_hb} of the {n_hb} patients with blasts > 50% reached CR/CRi (patients "
        f"{_who(g, hb & g.responder)}), as section 3.2 itself says; the other reading, {k} "
        f"high-burden patients in the whole cohort ({n_hb}/{n} = {_pct(n_hb, n, p)}%), is true "
        "but is not what the sentence states.")


@_check("abs-mrd-12", "res-3.2-mrd-12", "disc-mrd-40")
def _mrd_negative(ctx, cid):
    g = _groups(ctx)
    parts = _parts(ctx.reported(cid))
    k = int(g.mrd_neg.sum())
    other = (" Other reading: the 40% could be the cited trials' figure [13, 16]; this study's "
             "12/30 gives it exactly." if cid == "disc-mrd-40" else "")
    if len(parts) == 1:
        return _rate(k, len(g), str(k), parts[0], "MRD-negative in Table 2", other)
    return _rate(k, len(g), parts[0], parts[1], "MRD-negative in Table 2", other)


# ---------------------------------------------------------------- 2.2 / 2.3: methods
_NO_DOSING = ("Tables 1 and 2 give no per-patient dose, infusion or duration data, so the "
              "schedule cannot be checked")


@_check("abs-infusion-24h", "abs-dose-9-3d", "abs-dose-28-6to10d", "met-2.2-infusion-24h",
        "met-2.2-dose-9-3d", "met-2.2-dose-28-6to10d")
def _dosing(ctx, cid):
    return _unverifiable(f"{_NO_DOSING}; the abstract and section 2.2 state the same schedule "
                         "(9 μg/day for 3 days, then 28 μg/day for 6–10 days, 24-h infusion).")


@_check("met-2.2-short-course-lt10d", "disc-short-course-lt10d")
def _short_course(ctx, cid):
    return _unverifiable(
        f"{_NO_DOSING}. Note the definition ('less than 10 days' at full dose) and the schedule "
        "('28 μg/day for 6–10 days') disagree at exactly 10 days.")


_DEFINITION = ("A definition: Table 2 reports only the resulting category (CR, CRi, no response, "
               "MRD-negative, relapse), not the blast, neutrophil, platelet or MRD values it was "
               "applied to")


@_check("met-2.3-cr-blasts-lt5", "met-2.3-cr-anc", "met-2.3-cr-platelets", "met-2.3-cri-anc",
        "met-2.3-cri-platelets", "met-2.3-relapse-gt5")
def _response_definitions(ctx, cid):
    return _unverifiable(f"{_DEFINITION}; the Table 2 note repeats the same CR/CRi criteria.")


@_check("met-2.3-mrd-neg-threshold")
def _mrd_threshold(ctx, cid):
    return _unverifiable(f"{_DEFINITION}. The two forms of the threshold agree "
                         "(0.01% = 0.0001 = 10^-4).", "0.01% = 10^-4")


@_check("met-2.3-bm-neutrophil-1000")
def _neutrophil_unit(ctx, cid):
    return Verdict(
        "discrepant", "1000/mL = 1.0 × 10^6/L",
        "As printed, 1000/mL is 1.0 × 10^6/L, a thousandth of the neutrophil recovery threshold "
        "the paper uses for CR (ANC ≥ 1.0 × 10^9/L); the other reading, 1000/μL "
        "(= 1.0 × 10^9/L), is almost certainly meant, so this is a unit error in the text.")


@_check("met-2.3-bm-day14")
def _day14(ctx, cid):
    return _unverifiable("Timing of the marrow assessment: Tables 1 and 2 hold no dates or "
                         "assessment days.")


# ---------------------------------------------------------------- 3.1 and Table 1
@_check("res-3.1-years")
def _years(ctx, cid):
    return _unverifiable("Treatment dates are not published (Tables 1 and 2 hold no dates).")


def _numeric(ctx, col):
    return numeric_summary(ctx.cohort, (col,)).iloc[0]


@_check("res-3.1-age-median")
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


@_check("res-3.1-age-range")
def _age_range(ctx, cid):
    s = _numeric(ctx, "age")
    return _range(s, ctx.reported(cid), "Age range in Table 1")


@_check("res-3.2-blast-range")
def _blast_range(ctx, cid):
    s = _numeric(ctx, "bm_blast_pct")
    return _range(s, ctx.reported(cid), "Bone-marrow blast range in Table 2")


def _range(s: pd.Series, printed: str, what: str) -> Verdict:
    lo, hi = (p.strip() for p in printed.replace("–", "-").split("-"))
    rec = f"{s['min']:g}–{s['max']:g}"
    if shown_as(s["min"], lo) and shown_as(s["max"], hi):
        return Verdict("reproduced", rec, f"{what}: {rec}, as printed.")
    return Verdict("discrepant", rec, f"{what}: {rec}, but the paper prints {printed}.")


@_check("res-3.1-sex")
def _sex(ctx, cid):
    c = ctx.cohort
    men, women = _parts(ctx.reported(cid))
    m, f = int((c.sex == "M").sum()), int((c.sex == "F").sum())
    rec = f"{m} men, {f} women"
    ok = (m, f) == (int(men), int(women))
    return Verdict("reproduced" if ok else "discrepant", rec,
                   f"Table 1: {rec}" + (", as printed." if ok else f"; printed {men} and {women}."))


@_check("res-3.1-relapsed-21")
def _relapsed(ctx, cid):
    c = ctx.cohort
    k = int(c.disease_status.isin(["1R", "2R", "3R"]).sum())
    printed = ctx.reported(cid).split("/")[0]
    return _count(k, printed, f"Patients of {len(c)} in first, second or third relapse (1R, 2R, "
                  "3R) at the time of blinatumomab in Table 1")


@_check("res-3.1-refractory-9")
def _refractory(ctx, cid):
    c = ctx.cohort
    k = int((c.disease_status == "primary refractory").sum())
    return _count(k, ctx.reported(cid), "Primary refractory in Table 1",
                  " That they did not respond to earlier lines is not in the tables.")


@_check("res-3.1-risk")
def _risk(ctx, cid):
    c = ctx.cohort
    std, poor = _parts(ctx.reported(cid))
    s, p = int((c.risk == "standard").sum()), int((c.risk == "poor").sum())
    rec = f"{s} standard, {p} poor"
    ok = (s, p) == (int(std), int(poor))
    return Verdict("reproduced" if ok else "discrepant", rec,
                   f"Genetic risk in Table 1: {rec}"
                   + (", as printed." if ok else f"; printed {std} and {poor}."))


@_check("res-3.1-cns-none")
def _cns(ctx, cid):
    return _unverifiable("CNS involvement and extramedullary disease are not recorded in "
                         "Tables 1 or 2.")


@_check("tab-1-prior-hsct-cases")
def _prior_hsct(ctx, cid):
    c = ctx.cohort
    mask = c.prior_therapy.astype(str) == "Chemotherapy+allo-HSCT"
    rec = _who(c, mask)
    ok = rec == ctx.reported(cid)
    why = (f"Patients whose therapy before blinatumomab was chemotherapy + allo-HSCT in Table 1: "
           f"{rec}" + (", as the note says" if ok else f"; the note says {ctx.reported(cid)}")
           + "; patient 23 (allo-HSCT and CAR-T) is described separately.")
    return Verdict("reproduced" if ok else "discrepant", rec, why)


@_check("tab-1-case23")
def _case23(ctx, cid):
    row = ctx.cohort.set_index("patient").loc[23]
    rec = f"{row.disease_status}, {row.prior_therapy}"
    ok = str(row.disease_status) == "2R" and str(row.prior_therapy) == \
        "Chemotherapy+allo-HSCT+CART"
    return Verdict(
        "consistent" if ok else "discrepant", rec,
        f"Table 1 gives patient 23 as {rec}: two relapses, after allo-HSCT and after CAR-T, "
        "agree with the note; the order of the events is not in the table.")


# ---------------------------------------------------------------- 3.2 response
@_check("res-3.2-blast-median")
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


@_check("res-3.2-cr-16", "res-3.2-cri-9")
def _cr_cri(ctx, cid):
    level = "CR" if cid.endswith("cr-16") else "CRi"
    k = int((ctx.cohort.response.astype(str) == level).sum())
    return _count(k, ctx.reported(cid), f"{level} in Table 2")


@_check("res-3.2-high-burden-13")
def _high_burden(ctx, cid):
    g = _groups(ctx)
    k, p, _ = _parts(ctx.reported(cid))
    return _rate(int(g.high_burden.sum()), len(g), k, p,
                 f"Blasts > {HIGH_BURDEN_PCT}% in Table 2 (patients {_who(g, g.high_burden)})")


@_check("res-3.2-high-burden-resp-9")
def _high_burden_resp(ctx, cid):
    g = _groups(ctx)
    k, p = _parts(ctx.reported(cid))
    hb = g[g.high_burden]
    return _rate(int(hb.responder.sum()), len(hb), k, p, "CR/CRi among the high-burden patients")


@_check("res-3.2-high-burden-mrd-6")
def _high_burden_mrd(ctx, cid):
    g = _groups(ctx)
    k, p = _parts(ctx.reported(cid))
    hb = g[g.high_burden]
    return _rate(int(hb.mrd_neg.sum()), len(hb), k, p,
                 f"MRD-negative among the high-burden patients ({_who(hb, hb.mrd_neg)})")


@_check("res-3.2-nonresp-5")
def _nonresp_pct(ctx, cid):
    g = _groups(ctx)
    k, p = _parts(ctx.reported(cid))
    nr = ~g.responder
    n = len(g)
    n_all = int(nr.sum())
    n_hb = int((nr & g.high_burden).sum())
    hb = int(g.high_burden.sum())
    rec = (f"{n_all}/{n} = {_pct(n_all, n, p)}% overall; {n_hb}/{hb} = {_pct(n_hb, hb, p)}% "
           "of high-burden patients")
    if shown_as(100 * n_all / n, p) or (n_hb == int(k) and shown_as(100 * n_hb / hb, p)):
        return Verdict("reproduced", rec, f"Nonresponders: {rec}.")
    return Verdict(
        "discrepant", rec,
        f"{p}% is {k}/{hb}" + (f" (= {_pct(int(k), hb, p)}%)" if shown_as(100 * int(k) / hb, p)
                               else f" only approximately ({_pct(int(k), hb, p)}%)")
        + f", the high-burden denominator of the sentence before, but only {n_hb} "
        f"of the {hb} high-burden patients did not respond ({_who(g, nr & g.high_burden)}; "
        f"{n_hb}/{hb} = {_pct(n_hb, hb, p)}%) and the {n_all} nonresponders in all are "
        f"{n_all}/{n} = {_pct(n_all, n, p)}%: the count fits the cohort, the percentage neither "
        "reading.")


@_check("res-3.2-nonresp-status")
def _nonresp_status(ctx, cid):
    g = _groups(ctx)
    nr = g[~g.responder]
    counts = nr.disease_status.astype(str).value_counts()
    got = [int(counts.get(s, 0)) for s in ("primary refractory", "3R", "2R", "1R")]
    printed = [int(x) for x in _parts(ctx.reported(cid))]
    rec = "primary refractory {}, 3R {}, 2R {}, 1R {}".format(*got)
    ok = got == printed
    return Verdict("reproduced" if ok else "discrepant", rec,
                   f"Disease status of the nonresponders ({_who(nr)}) in Table 2: {rec}"
                   + (", as printed." if ok else "; the paper prints {} / {} / {} / {}."
                      .format(*printed)))


@_check("res-3.2-nonresp-died-5")
def _nonresp_died(ctx, cid):
    g = _groups(ctx)
    nr = g[~g.responder]
    k = int(nr.os_event.sum())
    return _count(k, ctx.reported(cid), f"Deaths among the {len(nr)} nonresponders ({_who(nr)})")


@_check("res-3.2-nonresp-death-causes")
def _nonresp_causes(ctx, cid):
    g = _groups(ctx)
    nr = g[~g.responder]
    cart = nr[nr.followup_therapy.astype(str) == "CART"]
    infection = nr[nr.cause_of_death.astype(str) == "Infection"]
    leukemia = nr[nr.cause_of_death.astype(str) == "Leukemia"]
    listed = sum(int(x) for x in _parts(ctx.reported(cid)))
    rec = (f"CAR-T {len(cart)} ({_who(cart)}); infection {len(infection)} ({_who(infection)}); "
           f"leukemia {len(leukemia)} ({_who(leukemia)})")
    return Verdict(
        "discrepant", rec,
        f"The list accounts for {listed} of the {len(nr)} deaths. In Table 2 the nonresponders "
        f"who received CAR-T are {_who(cart)}; the only infection death ({_who(infection)}) is "
        f"one of them, and the other {len(leukemia)} deaths ({_who(leukemia)}) are from leukemia; "
        "'from relapse' "
        "cannot apply to a patient who never reached remission (other reading: relapse = "
        "leukemia, which still gives 4 leukemia + 1 infection, not 2 + 1 + 1).")


@_check("res-3.2-resp-nofurther-3", "res-3.2-resp-further-22", "disc-further-resp-88")
def _resp_further(ctx, cid):
    g = _groups(ctx)
    r = g[g.responder]
    parts = _parts(ctx.reported(cid))
    if cid == "res-3.2-resp-nofurther-3":
        mask = ~r.further_treatment
        what = f"Responders without further treatment ({_who(r, mask)})"
    else:
        mask = r.further_treatment
        what = "Responders with further treatment"
    k = int(mask.sum())
    if len(parts) == 1:
        return _rate(k, len(r), str(k), parts[0], what)
    return _rate(k, len(r), parts[0], parts[1], what)


@_check("res-3.2-resp-nofurther-norelapse")
def _nofurther_norelapse(ctx, cid):
    g = _groups(ctx)
    r = g[g.responder & ~g.further_treatment]
    return _count(int(r.relapsed.sum()), ctx.reported(cid),
                  f"Relapses among the responders without further treatment ({_who(r)})")


_THERAPY = {"res-3.2-further-chemo-8": "chemotherapy", "res-3.2-further-blina-3": "blinatumomab",
            "res-3.2-further-cart-3": "CAR-T", "res-3.2-further-hsct-8": "HSCT"}


@_check(*_THERAPY)
def _therapy_count(ctx, cid):
    g = _groups(ctx)
    r = g[g.responder]
    group = _THERAPY[cid]
    mask = r.therapy_type.astype(str) == group
    other = ""
    if group in ("CAR-T", "HSCT"):
        other = (" Patient 3 (CAR-T then allo-HSCT) is counted under HSCT: only then do the four "
                 "groups add up to 8 + 3 + 3 + 8 = 22; the other reading (patient 3 as CAR-T) "
                 "gives 4 CAR-T and 7 allo-HSCT.")
    return _count(int(mask.sum()), ctx.reported(cid),
                  f"Responders with follow-up therapy {group} ({_who(r, mask)})", other)


@_check("res-3.2-relapse-5")
def _relapse_rate(ctx, cid):
    g = _groups(ctx)
    rf = g[g.responder & g.further_treatment]
    n_resp = int(g.responder.sum())
    k, p = _parts(ctx.reported(cid))
    n_rel = int(rf.relapsed.sum())
    return _rate(n_rel, len(rf), k, p,
                 f"Relapses among the {len(rf)} responders with further treatment "
                 f"({_who(rf, rf.relapsed)})",
                 f" Over all {n_resp} responders it is {n_rel}/{n_resp} = "
                 f"{_pct(n_rel, n_resp, p)}%, the discussion's 20%.")


@_check("res-3.2-relapse-by-therapy")
def _relapse_by_therapy(ctx, cid):
    g = _groups(ctx)
    rel = g[g.responder & g.relapsed]
    t = rel.therapy_type.astype(str)
    got = [int((t == x).sum()) for x in ("chemotherapy", "HSCT", "CAR-T")]
    printed = [int(x) for x in _parts(ctx.reported(cid))]
    rec = (f"chemotherapy {got[0]} ({_who(rel, t == 'chemotherapy')}), allo-HSCT {got[1]} "
           f"({_who(rel, t == 'HSCT')}), CAR-T {got[2]} ({_who(rel, t == 'CAR-T')})")
    if got == printed:
        return Verdict("reproduced", rec, f"Relapses by follow-up therapy: {rec}, as printed.")
    return Verdict(
        "discrepant", rec,
        f"Table 2 gives relapses by follow-up therapy as {rec}, not 3 / 1 / 1; counting patient "
        "18 (who relapsed after an allo-HSCT before blinatumomab, Table 1 note) under allo-HSCT "
        "still leaves two, not three, after chemotherapy.")


@_check("res-3.2-relapse-retreated-4")
def _relapse_retreated(ctx, cid):
    g = _groups(ctx)
    rel = g[g.relapsed]
    alive = rel[~rel.os_event]
    return Verdict(
        "consistent", f"{len(alive)} of {len(rel)} relapsed patients alive ({_who(alive)})",
        f"Treatment after relapse is not in the tables, but {len(alive)} of the {len(rel)} "
        f"relapsed patients ({_who(alive)}) are alive at the end of follow-up, which fits "
        f"{ctx.reported(cid)} of them being treated again.")


@_check("res-3.2-relapse-died-1")
def _relapse_died(ctx, cid):
    g = _groups(ctx)
    rel = g[g.relapsed]
    dead = rel[rel.os_event]
    causes = ", ".join(dead.cause_of_death.astype(str))
    return _count(len(dead), ctx.reported(cid),
                  f"Deaths among the {len(rel)} relapsed patients ({_who(dead)}, cause "
                  f"'{causes}' in Table 2)",
                  " The reason 'treatment withdrawal' is not in the tables.")


# ---------------------------------------------------------------- 3.3 toxicity and Table 3
def _ae(ctx) -> pd.DataFrame:
    return ctx.adverse_events.set_index("event")


@_check("res-3.3-no-irr-neuro-liver")
def _no_irr(ctx, cid):
    ae = _ae(ctx)
    events = ["Infusion-related reaction", "Neurologic event", "Elevated liver enzymes"]
    got = {e: int(ae.loc[e, "any_grade"]) for e in events}
    rec = ", ".join(f"{e} {k}" for e, k in got.items())
    ok = not any(got.values())
    return Verdict("reproduced" if ok else "discrepant", rec,
                   f"Table 3 (any grade): {rec}" + (", as stated." if ok else "."))


def _heme_claimed(ctx) -> int:
    """The count of "Over half of the patients (25/30, 83.8%)"."""
    return int(ctx.reported("res-3.3-heme-over-half").split("/")[0])


@_check("res-3.3-heme-over-half")
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


@_check("res-3.3-heme-pct")
def _heme_pct(ctx, cid):
    printed = ctx.reported(cid)
    n = len(ctx.cohort)
    k = _heme_claimed(ctx)
    rec = f"{k}/{n} = {_pct(k, n, printed)}%"
    if shown_as(100 * k / n, printed):
        return Verdict("reproduced", rec, f"{rec}, as printed.")
    hits = [j for j in range(n + 1) if shown_as(100 * j / n, printed)]
    near = f"{k}/{n} = {_pct(k, n, printed)}, {k + 1}/{n} = {_pct(k + 1, n, printed)}"
    tail = (f"{printed}% would be {hits[0]}/{n}" if hits else
            f"no count out of {n} prints as {printed}% ({near}): most likely a typing error")
    return Verdict("discrepant", rec, f"{k}/{n} is {_pct(k, n, printed)}%, not {printed}%; "
                   f"{tail}.")


_AE_TEXT = {
    "res-3.3-g3-neutropenia": ("Neutropenia", "grade_3_plus"),
    "res-3.3-g3-anemia": ("Anemia", "grade_3_plus"),
    "res-3.3-g3-thrombocytopenia": ("Thrombocytopenia", "grade_3_plus"),
    "res-3.3-crs": ("Cytokine release syndrome", "any_grade"),
    "res-3.3-infection": ("Infection", "any_grade"),
    "res-3.3-tls": ("Tumor lysis syndrome", "any_grade"),
}


@_check(*_AE_TEXT)
def _ae_text(ctx, cid):
    event, col = _AE_TEXT[cid]
    k = int(_ae(ctx).loc[event, col])
    pk, pp = _parts(ctx.reported(cid))
    grade = "grade ≥ 3" if col == "grade_3_plus" else "any grade"
    return _rate(k, len(ctx.cohort), pk, pp, f"Table 3, {event.lower()} {grade}")


@_check("res-3.3-crs-g34")
def _crs_g34(ctx, cid):
    k = int(_ae(ctx).loc["Cytokine release syndrome", "grade_3_plus"])
    return _count(k, ctx.reported(cid), "Table 3, cytokine release syndrome grade ≥ 3",
                  " (Grade ≥ 3 includes grade 5, death; with no treatment-related deaths it "
                  "equals grade 3 or 4.)")


@_check("res-3.3-no-trd")
def _no_trd(ctx, cid):
    g = _groups(ctx)
    dead = g[g.os_event]
    causes = dead.cause_of_death.astype(str).value_counts()
    inf_g3 = int(_ae(ctx).loc["Infection", "grade_3_plus"])
    rec = ", ".join(f"{c} {k}" for c, k in causes.items())
    return Verdict(
        "consistent", rec,
        f"Table 2 gives the causes of the {len(dead)} deaths as {rec} (the infection death, "
        f"patient {_who(dead, dead.cause_of_death.astype(str) == 'Infection')}, followed CAR-T) "
        f"and Table 3 has {inf_g3} grade ≥ 3 infections during blinatumomab, so no death is "
        "attributed to blinatumomab; attribution itself is not published.")


@_check("tab-3-n-30")
def _table3_n(ctx, cid):
    return _count(len(ctx.cohort), ctx.reported(cid), "Patients in Tables 1 and 2")


_TABLE3 = {
    "tab-3-neutropenia": "Neutropenia", "tab-3-anemia": "Anemia",
    "tab-3-thrombocytopenia": "Thrombocytopenia", "tab-3-fever": "Fever",
    "tab-3-infection": "Infection", "tab-3-crs": "Cytokine release syndrome",
    "tab-3-tls": "Tumor lysis syndrome", "tab-3-capillary-leak": "Capillary leak syndrome",
    "tab-3-neurologic": "Neurologic event", "tab-3-liver-enzymes": "Elevated liver enzymes",
    "tab-3-infusion-reaction": "Infusion-related reaction",
}


@_check(*_TABLE3)
def _table3_row(ctx, cid):
    event = _TABLE3[cid]
    row = _ae(ctx).loc[event]
    a, g3 = int(row.any_grade), int(row.grade_3_plus)
    pa, pg = (int(x) for x in _parts(ctx.reported(cid)))
    n = len(ctx.cohort)
    rec = f"{a} any grade, {g3} grade ≥ 3"
    if (a, g3) != (pa, pg) or not 0 <= g3 <= a <= n:
        return Verdict("discrepant", rec, f"{event}: data/adverse_events.csv has {rec}; the row "
                       f"prints {pa} and {pg} (must satisfy 0 ≤ grade ≥ 3 ≤ any grade ≤ {n}).")
    return Verdict(
        "consistent", rec,
        f"{event}: Table 3 is the only source of these counts (no patient-level toxicity data), "
        f"so they cannot be recomputed; the row is coherent (0 ≤ {g3} ≤ {a} ≤ {n}) and the "
        "transcription matches.")


# ---------------------------------------------------------------- 4 discussion
@_check("disc-standard-4w", "disc-standard-cycles")
def _standard_schedule(ctx, cid):
    return _unverifiable("Describes the standard blinatumomab schedule of other studies "
                         "[13, 14, 16–18]; nothing in this paper's data bears on it.")


@_check("disc-escalation-3d-safe", "disc-escalation-3d-toxicity")
def _escalation_safe(ctx, cid):
    ae = _ae(ctx)
    crs3 = int(ae.loc["Cytokine release syndrome", "grade_3_plus"])
    neuro = int(ae.loc["Neurologic event", "any_grade"])
    return _unverifiable(
        f"A comparative safety judgement without a comparison group (no patient had the "
        f"standard 7-day escalation); Table 3 shows {neuro} neurological events and {crs3} "
        "grade ≥ 3 CRS, but whether toxicity 'did not increase' cannot be tested.",
        f"neurologic {neuro}; CRS grade ≥ 3 {crs3}")


@_check("disc-ccr-83")
def _ccr(ctx, cid):
    g = _groups(ctx)
    k = int(g.responder.sum())
    return _rate(k, len(g), str(k), ctx.reported(cid), "CR or CRi in Table 2")


@_check("disc-expected-50")
def _expected(ctx, cid):
    return _unverifiable("'Approximately 50%' is the authors' expectation and is not traced to "
                         "a source; the trials they cite give 34%–43% (next claim).")


def _missing_comparators(what: str) -> Verdict:
    return _unverifiable(f"{what}; the comparator table (data/comparators.csv) is not available "
                         "in this checkout, so the cited figure cannot be compared.")


@_check("disc-trials-cr-34-43")
def _trials_range(ctx, cid):
    topp, mart = _comparator("Topp"), _comparator("Martinelli")
    if topp is None or mart is None:
        return _missing_comparators("External figures from refs 13 and 16")
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


@_check("disc-rw-cr-range")
def _rw_range(ctx, cid):
    table = _comparators()
    if table is None:
        return _missing_comparators("External figures from refs 19–23")
    lo, hi = (float(p) for p in ctx.reported(cid).split("–"))
    yoon = _comparator("Yoon")
    ald = _comparator("Aldoss")
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


@_check("disc-rw-mrd-44")
def _rw_mrd(ctx, cid):
    return _unverifiable("An MRD-negative CR rate of the cited real-world studies [19–23]; the "
                         "comparator table records response rates only.")


@_check("disc-ccr-consistent-rw")
def _ccr_vs_rw(ctx, cid):
    g = _groups(ctx)
    k, n = int(g.responder.sum()), len(g)
    lo, hi = clopper_pearson(k, n)
    rec = f"{k}/{n} = {_pct(k, n)}% (95% CI {fmt(100 * lo, 1)}–{fmt(100 * hi, 1)})"
    return Verdict(
        "consistent", rec,
        f"The cCR rate {rec} lies above the top of the cited real-world range (80.8%), so it is "
        "not inside the range literally, but its exact (Clopper–Pearson) interval overlaps it; "
        "'consistent with' holds in that statistical sense only.")


@_check("disc-nonresp-high-blasts-4")
def _nonresp_blasts(ctx, cid):
    g = _groups(ctx)
    nr = g[~g.responder]
    hb = nr[nr.high_burden]
    k, _ = _parts(ctx.reported(cid))
    blasts = ", ".join(f"{b:g}" for b in nr.bm_blast_pct)
    return _count(len(hb), k, f"Nonresponders with blasts > {HIGH_BURDEN_PCT}% "
                  f"({_who(hb)}; the five have {blasts}%)",
                  " 'Substantially high' is read as the paper's high leukemic load (> 50%).")


@_check("disc-nonresp-28d-after-7to10d")
def _nonresp_28d(ctx, cid):
    return _unverifiable("A hypothesis about a treatment the patients did not receive; note "
                         "that '7–10 days' differs from the '6–10 days' at full dose of 2.2.")


@_check("disc-burden-gt15")
def _burden15(ctx, cid):
    g = _groups(ctx)
    hi = g[g.bm_blast_pct > 15]
    lo = g[g.bm_blast_pct <= 15]
    rec = (f"> 15%: {int(hi.responder.sum())}/{len(hi)} responded; ≤ 15%: "
           f"{int(lo.responder.sum())}/{len(lo)}")
    return _unverifiable(f"A finding of other studies [24–26], not of this one. For context, in "
                         f"Table 2 {rec}.", rec)


@_check("disc-cd19-loss-none")
def _cd19(ctx, cid):
    return _unverifiable("CD19 expression is not reported in the tables.")


_MULTI = ("2R", "3R")


@_check("disc-multilinear-no-mrd")
def _multilinear_mrd(ctx, cid):
    g = _groups(ctx)
    multi = g.disease_status.astype(str).isin(_MULTI)
    neg = multi & g.mrd_neg
    third = g.disease_status.astype(str) == "3R"
    rec = f"{int(neg.sum())} of {int(multi.sum())} patients in 2R/3R MRD-negative ({_who(g, neg)})"
    if not neg.any():
        return Verdict("reproduced", rec, f"{rec}.")
    return Verdict(
        "discrepant", rec,
        f"Reading 'multilinear recurrence' as a second or later relapse (the next sentences "
        f"contrast it with primary refractory and first-relapse patients), {rec} in Table 2. "
        f"Other reading, third relapse only: {int((third & g.mrd_neg).sum())} of "
        f"{int(third.sum())} MRD-negative, true — but then only "
        f"{int((third & ~g.responder).sum())}, not three, nonresponders had it.")


@_check("disc-multilinear-nonresp-3")
def _multilinear_nonresp(ctx, cid):
    g = _groups(ctx)
    nr = g[~g.responder]
    multi = nr.disease_status.astype(str).isin(_MULTI)
    k, _ = _parts(ctx.reported(cid))
    return _count(int(multi.sum()), k,
                  f"Nonresponders in second or third relapse ({_who(nr, multi)})",
                  " 'Multilinear recurrence' read as a second or later relapse; with the third "
                  "relapse only it would be 2.")


@_check("disc-further-nonresp-40")
def _further_nonresp(ctx, cid):
    g = _groups(ctx)
    nr = g[~g.responder]
    k = int(nr.further_treatment.sum())
    return _rate(k, len(nr), str(k), ctx.reported(cid),
                 f"Nonresponders with further therapy ({_who(nr, nr.further_treatment)}, CAR-T)")


@_check("disc-tower-median-7.7")
def _tower(ctx, cid):
    row = _comparator("Kantarjian")
    if row is None or pd.isna(row.get("median_os_months")):
        return _missing_comparators("External figure from ref 14")
    v = float(row.median_os_months)
    printed = ctx.reported(cid)
    rec = f"TOWER blinatumomab arm median OS {v:g} months"
    if shown_as(v, printed):
        return Verdict("consistent", rec, f"The cited study reports {rec}, as quoted; it cannot "
                       "be recomputed from this paper's data.")
    return Verdict("discrepant", rec, f"The cited study reports {rec}, not {printed}.")


@_check("disc-tower-relapse-line")
def _tower_line(ctx, cid):
    return _unverifiable("Describes the patients of another study [14]; the comparator table "
                         "does not record lines of relapse.")


@_check("disc-noninferior-28d")
def _noninferior(ctx, cid):
    return _unverifiable("A non-inferiority claim needs a comparison with 28-day treatment "
                         "(a control group or a pre-set margin); the paper has neither.")


@_check("disc-relapse-resp-20")
def _relapse_resp(ctx, cid):
    g = _groups(ctx)
    r = g[g.responder]
    k = int(r.relapsed.sum())
    return _rate(k, len(r), str(k), ctx.reported(cid),
                 f"Relapses among all responders ({_who(r, r.relapsed)})",
                 f" Section 3.2 prints the same five as 22.7%, i.e. over the "
                 f"{int(r.further_treatment.sum())} responders with further treatment.")


@_check("disc-relapse-after-hsct-1")
def _relapse_hsct(ctx, cid):
    g = _groups(ctx)
    h = g[g.responder & (g.therapy_type.astype(str) == "HSCT")]
    return _count(int(h.relapsed.sum()), ctx.reported(cid),
                  f"Relapses among the {len(h)} responders bridged to allo-HSCT "
                  f"({_who(h, h.relapsed)})",
                  " Patient 18 relapsed after an allo-HSCT given before blinatumomab (Table 1 "
                  "note) and received CAR-T afterwards; the natural reading is HSCT after "
                  "blinatumomab.")


# ---------------------------------------------------------------- 5 conclusion
@_check("con-5-bridge")
def _bridge(ctx, cid):
    g = _groups(ctx)
    k, n = int(g.further_treatment.sum()), len(g)
    kr = int((g.further_treatment & g.responder).sum())
    rec = (f"{k}/{n} = {_pct(k, n)}% received further therapy ({kr}/{int(g.responder.sum())} "
           "responders)")
    return Verdict("consistent", rec,
                   f"A qualitative conclusion; Table 2 supports the 'bridge' use: {rec}.")


@_check("con-5-costs")
def _costs(ctx, cid):
    return _unverifiable("The paper publishes no cost data.")
