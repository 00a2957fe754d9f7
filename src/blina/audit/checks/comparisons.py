"""Checks of the printed log-rank p-values and the statements that compare groups (3.4, 4).

A p-value depends on the event and censoring times, which are not published; where the
risk sets of the printed figures fix how the groups' events interleave (one death with
everyone at risk), the p-value is recomputed exactly.
"""

from __future__ import annotations

from fractions import Fraction

from blina.audit.checks.risk_sets import (
    NO_TIMES,
    count_text,
    km_text,
    seq_str,
    seqs_text,
    solve,
    solved,
    verdict,
    who_ids,
    with_reconstruction,
)
from blina.audit.engine import CheckTable, Verdict
from blina.cohort.figures import SECTION_ID, printed_km
from blina.cohort.groups import GROUP_NAMES
from blina.stats.logrank import chi2_sf, logrank
from blina.stats.rounding import fmt, shown_as, shown_as_double, shown_as_either

CHECKS = CheckTable()
_ID = SECTION_ID


@CHECKS.check(_ID + "os-resp-p", _ID + "pfs-resp-p", _ID + "os-further-p", _ID + "pfs-further-p")
def _p_unknown(ctx, cid):
    f = ctx.group_facts
    ep = "os" if "-os-" in cid else "pfs"
    a, b = ("responders", "nonresponders") if "resp" in cid else ("further", "nofurther")
    ga, gb = f[a], f[b]
    what = "deaths" if ep == "os" else "PFS events"
    counts = (f"{len(ga.events(ep))}/{ga.n} {GROUP_NAMES[a]} vs {len(gb.events(ep))}/{gb.n} "
              f"{GROUP_NAMES[b]}")
    return _p_verdict(ctx, cid, counts,
                      f"Table 2 gives {what} of {counts}, but {NO_TIMES} and the risk sets of "
                      "the 2-year figures do not fix how the two groups' events interleave.")


def _p_verdict(ctx, cid, recomputed, explanation) -> Verdict:
    table = ctx.reconstructed
    base = Verdict("unverifiable", recomputed, explanation)
    if table is not None:
        rows = table[table["claim_id"] == cid]
        if not rows.empty and bool(rows["met"].all()):
            r = rows.iloc[0]
            v = Verdict("consistent", f"{recomputed}; reconstructed p {r.reconstructed}",
                        f"{explanation} A RECONSTRUCTED dataset that agrees with Table 2 gives "
                        f"p {r.reconstructed}, so the printed {r.published} is feasible.")
            return v
    return with_reconstruction(ctx, cid, base)


def _single_death_logrank(ctx, groups: dict[str, tuple[int, ...]], dead: int) -> tuple:
    """Log-rank of one death with everybody of ``groups`` at risk
    (:func:`blina.stats.logrank.logrank`)."""
    pids = [p for ids in groups.values() for p in ids]
    labels = [k for k, ids in groups.items() for _ in ids]
    t = [1.0 if p == dead else 2.0 for p in pids]
    e = [p == dead for p in pids]
    return logrank(t, e, labels)


def responder_os_test(ctx):
    """The OS log-rank test of responders with vs without further treatment, when the responder
    OS figure puts the only death with everyone at risk: ``(result, patient, risk sets)``, or
    None."""
    f = ctx.group_facts
    seq = solved(ctx, "os2y-resp").unique
    if seq is None or len(f["responders"].deaths) != 1 or seq[0] != f["responders"].n:
        return None
    dead = f["responders"].deaths[0]
    res = _single_death_logrank(ctx, {"further": f["resp_further"].patients,
                                      "none": f["resp_nofurther"].patients}, dead)
    return res, dead, seq


@CHECKS.check(_ID + "os-resp-further-p")
def _p_os_resp_further(ctx, cid):
    f = ctx.group_facts
    resp = solved(ctx, "os2y-resp")
    printed = ctx.reported(cid)
    test = responder_os_test(ctx)
    if test is None:
        return _p_verdict(ctx, cid, "—", f"Table 2: {NO_TIMES}.")
    res, dead, seq = test
    status = "consistent" if shown_as(res.p, printed) or shown_as_double(res.p, printed) \
        else "discrepant"
    return verdict(ctx, cid, status, f"chi2 {res.statistic:.4f}, p = {res.p:.4f}",
                   f"The responder OS figure {resp.label} = {seq_str(seq)} puts the only responder "
                   f"death (patient {dead}, with further treatment) at {seq[0]} at risk, i.e. "
                   f"{f['resp_further'].n} vs {f['resp_nofurther'].n} at risk, so the log-rank "
                   f"statistic is ({f['resp_nofurther'].n}/{seq[0]})² / ({f['resp_further'].n}·"
                   f"{f['resp_nofurther'].n}/{seq[0]}²) = {res.statistic:.4f}, p = {res.p:.4f}, "
                   f"printed {printed}.")


def one_event_splits(n: int, printed: str) -> list[tuple[int, int]]:
    """Every split ``(a, b)`` of at most ``n`` patients at risk, ``a + b ≤ n``, for which one
    event in the first group gives a log-rank p printing as ``printed`` (single or double
    rounding): with one event, ``χ² = b/a`` (``U = b/(a + b)``, ``V = ab/(a + b)²``)."""
    return [(a, b) for a in range(1, n) for b in range(1, n - a + 1)
            if shown_as_either(chi2_sf(b / a, 1), printed)]


def responder_pfs_test(ctx):
    """The PFS log-rank test of responders with vs without further treatment that the printed
    estimates fix: the responder PFS figure has one event at ``r_all`` at risk, the reversed
    reading of "100% vs. 94.74%" one at ``r_f`` with further treatment; with one event
    ``χ² = r_n/r_f``.  ``(statistic, p, r_all, r_f, r_n, further risk sets)``, or None."""
    f = ctx.group_facts
    resp = solved(ctx, "pfs2y-resp")
    # reversed reading of '100% vs. 94.74%': the printed non-100 value is the further group's
    rf = [q for q in solve(ctx.reported(_ID + "pfs2y-resp-nofurther-est"), None, None,
                           f["resp_further"].n)]
    if resp.unique is None or len(resp.unique) != 1 or len(rf) != 1 or len(rf[0]) != 1:
        return None
    r_all, r_f = resp.unique[0], rf[0][0]
    stat = float(Fraction(r_all - r_f, r_f))  # (r_n/r_all)² / (r_f·r_n/r_all²)
    return stat, chi2_sf(stat, 1), r_all, r_f, r_all - r_f, rf[0]


@CHECKS.check(_ID + "pfs-resp-further-p")
def _p_pfs_resp_further(ctx, cid):
    f = ctx.group_facts
    printed = ctx.reported(cid)
    resp = solved(ctx, "pfs2y-resp")
    test = responder_pfs_test(ctx)
    if test is None:
        return _p_verdict(ctx, cid, "—", f"Table 2: {NO_TIMES}.")
    stat, p, r_all, r_f, r_n, rf_seq = test
    first = f["responders"].deaths[0]
    if shown_as(p, printed) or shown_as_double(p, printed):
        return _p_verdict(ctx, cid, f"chi2 {stat:.4f}, p = {p:.4f}",
                          f"The printed figures put the only event at {r_f} vs {r_n} at risk, "
                          f"p = {p:.4f}, printed {printed}.")
    splits = one_event_splits(f["responders"].n, printed)
    return verdict(
        ctx, cid, "discrepant", f"chi2 {stat:.4f}, p = {p:.4f}",
        f"The printed figures beside it fix the test: the responder PFS {resp.label} = "
        f"{seq_str(resp.unique)} has one event (patient {first}) at {r_all} at risk, and the "
        f"reversed reading of '100% vs. 94.74%' gives the further group {seq_str(rf_seq)}, so "
        f"that event came at {r_f} (with further treatment) vs {r_n} (without) at risk; the "
        f"log-rank statistic is ({r_n}/{r_all})²/({r_f}·{r_n}/{r_all}²) = {stat:.4f}, p = "
        f"{p:.4f}, which prints as {fmt(p, 3)}, not {printed}. "
        + ("No split of the responders with one event gives a p that prints as "
           f"{printed}, so the printed p cannot coexist with the printed estimates beside it."
           if not splits else f"Only the splits {splits} would give {printed}."))


# ---------------------------------------------------------------- statements
@CHECKS.check("abs-os-pfs-further-better", "disc-os-pfs-further-better")
def _further_better(ctx, cid):
    os_f, os_n = solved(ctx, "os2y-further"), solved(ctx, "os2y-nofurther", use_upper=False)
    pf = printed_km(ctx.claims, "pfs2y-further").estimate
    pn = printed_km(ctx.claims, "pfs2y-nofurther").estimate
    p_os, p_pfs = ctx.reported(_ID + "os-further-p"), ctx.reported(_ID + "pfs-further-p")
    rec = (f"OS {km_text(os_f.unique)} vs {km_text(os_n.unique)}" if os_f.unique and os_n.unique
           else "—")
    return _p_verdict(
        ctx, cid, rec,
        f"The 2-year estimates point the claimed way (OS {os_f.est}% vs {os_n.est}%, risk sets "
        f"{seqs_text(os_f.seqs)} and {seqs_text(os_n.seqs)} matching Table 2's "
        f"{len(os_f.facts.deaths)}/{os_f.facts.n} and {len(os_n.facts.deaths)}/{os_n.facts.n} "
        f"deaths; PFS {pf}% vs {pn}%), but 'significantly' rests on p = {p_os} and {p_pfs}, and "
        f"{NO_TIMES}.")


def _relapses_by_therapy(ctx, levels: tuple[str, ...]) -> dict[str, tuple[list[int], int]]:
    """Responders' relapses (Table 2) per further therapy: ``{therapy: (patients, group size)}``."""
    g = ctx.patients
    sub = g[g["responder"] & g["therapy_type"].isin(levels)]
    return {lv: ([int(p) for p in sub.loc[(sub["therapy_type"] == lv) & sub["relapsed"],
                                          "patient"]], int((sub["therapy_type"] == lv).sum()))
            for lv in levels}


def _therapy_nodiff(ctx, cid, levels: tuple[str, ...]):
    g = ctx.patients
    resp = solved(ctx, "os2y-resp")
    sub = g[g["responder"] & g["therapy_type"].isin(levels)]
    groups = {lv: tuple(int(p) for p in sub.loc[sub["therapy_type"] == lv, "patient"])
              for lv in levels}
    dead = [int(p) for p in sub.loc[sub["os_event"], "patient"]]
    sizes = ", ".join(f"{k} {len(v)}" for k, v in groups.items())
    if resp.unique is None or len(resp.unique) != 1 or resp.unique[0] != resp.facts.n \
            or len(dead) != 1:
        return _p_verdict(ctx, cid, "—", f"{NO_TIMES}.")
    res = _single_death_logrank(ctx, groups, dead[0])
    rel_s = "; ".join(f"{k} {who_ids(v)}" for k, (v, _) in
                      _relapses_by_therapy(ctx, levels).items() if v)
    status = "consistent" if res.p >= 0.05 else "discrepant"
    return verdict(ctx, cid, status, f"OS chi2 {res.statistic:.3f}, df {res.df}, p = {res.p:.3f}",
                   f"OS: the responder figure {resp.label} = {seq_str(resp.unique)} puts the only "
                   f"death (patient {dead[0]}) with everyone at risk ({sizes}), so the log-rank "
                   f"test gives chi2 {res.statistic:.3f} on {res.df} df, p = {res.p:.3f} (no "
                   f"difference); PFS: the relapses ({rel_s}) are undated, so its p-value cannot "
                   "be recomputed, though no difference is feasible.")


@CHECKS.check(_ID + "os-pfs-therapy-nodiff")
def _therapy_nodiff_34(ctx, cid):
    return _therapy_nodiff(ctx, cid, ("chemotherapy", "CAR-T", "HSCT", "blinatumomab"))


@CHECKS.check("disc-os-pfs-therapy-nodiff")
def _therapy_nodiff_disc(ctx, cid):
    return _therapy_nodiff(ctx, cid, ("chemotherapy", "CAR-T", "HSCT"))


#: the further therapies of Figure 2e,f and of the discussion's comparison
FOUR_THERAPIES = ("chemotherapy", "CAR-T", "HSCT", "blinatumomab")
THREE_THERAPIES = ("chemotherapy", "CAR-T", "HSCT")


@CHECKS.check("fig-2ef-os-pfs-responders")
def _therapy_caption(ctx, cid):
    v = _therapy_nodiff(ctx, cid, FOUR_THERAPIES)
    g = ctx.patients
    sizes = ", ".join(f"{lv} {int((g.responder & (g.therapy_type == lv)).sum())}"
                      for lv in FOUR_THERAPIES)
    others = g[~g.responder & g.further_treatment]
    return Verdict(v.status, v.recomputed,
                   f"The caption restricts the comparison to responders, and the four groups "
                   f"({sizes}) are indeed the responders with a further therapy (section 3.2); "
                   f"section 3.4's sentence says 'for patients in this study', which would also "
                   f"take in the {len(others)} nonresponders given further therapy "
                   f"({who_ids(others.patient)}). {v.explanation}")


def _better_caption(ctx, cid, better: str, worse: str, p_ids: tuple[str, str]) -> Verdict:
    """A caption saying group ``better`` had better 2-year OS and PFS than ``worse``: read as
    the printed estimates (``os2y-<group>``, ``pfs2y-<group>``) and Table 2's events."""
    f = ctx.group_facts
    est = {(ep, g): printed_km(ctx.claims, f"{ep}2y-{g}").estimate
           for ep in ("os", "pfs") for g in (better, worse)}
    rec = "; ".join(f"{ep.upper()} {est[ep, better]}% vs {est[ep, worse]}%"
                    for ep in ("os", "pfs"))
    ok = all(float(est[ep, better]) > float(est[ep, worse]) for ep in ("os", "pfs"))
    names = {"resp": "responders", "nonresp": "nonresponders", "further": "further",
             "nofurther": "nofurther"}
    gb, gw = f[names[better]], f[names[worse]]
    p = " and ".join(ctx.reported(c) for c in p_ids)
    return verdict(ctx, cid, "consistent" if ok else "discrepant", rec,
                   f"The printed 2-year figures compare {'as' if ok else 'not as'} the caption "
                   f"says ({rec}); Table 2 has {count_text(len(gb.deaths), 'death')} among {gb.n} "
                   f"vs {len(gw.deaths)} among {gw.n}. 'Better' is read as the estimates; the "
                   f"p-values ({p}) depend on the times, which are not published.")


@CHECKS.check("fig-1cd-os-pfs-better")
def _response_caption(ctx, cid):
    return _better_caption(ctx, cid, "resp", "nonresp", (_ID + "os-resp-p", _ID + "pfs-resp-p"))


@CHECKS.check("fig-2ab-os-pfs-better")
def _further_caption(ctx, cid):
    return _better_caption(ctx, cid, "further", "nofurther",
                           (_ID + "os-further-p", _ID + "pfs-further-p"))


@CHECKS.check("fig-2cd-os-pfs-nodiff")
def _responders_further_caption(ctx, cid):
    os_test, pfs_test = responder_os_test(ctx), responder_pfs_test(ctx)
    if os_test is None or pfs_test is None:
        return _p_verdict(ctx, cid, "—", f"{NO_TIMES}.")
    p_os, p_pfs = os_test[0].p, pfs_test[1]
    rec = f"OS p = {p_os:.4f}; PFS p = {p_pfs:.4f}"
    ok = p_os >= 0.05 and p_pfs >= 0.05
    return verdict(ctx, cid, "consistent" if ok else "discrepant", rec,
                   f"The printed figures fix both tests (the only OS death and the only PFS "
                   f"event among responders with everyone at risk): {rec}, "
                   + ("both far from significance, as the caption says." if ok else
                      "so at least one difference is significant, against the caption."))


@CHECKS.check("disc-os-pfs-hsct-better")
def _hsct_better(ctx, cid):
    v = _therapy_nodiff(ctx, cid, THREE_THERAPIES)
    rel = _relapses_by_therapy(ctx, FOUR_THERAPIES)
    shown = "; ".join(f"{lv} {len(ids)}/{n}" + (f" ({who_ids(ids)})" if ids else "")
                      for lv, (ids, n) in rel.items())
    rates = {lv: len(ids) / n for lv, (ids, n) in rel.items()}
    best = sorted(lv for lv, r in rates.items() if r == min(rates.values()))
    return verdict(ctx, cid, "discrepant", f"{v.recomputed}; relapses {shown}",
                   f"The paper's own comparison finds no difference among the further therapies "
                   f"(section 3.4 and the discussion's next sentences): {v.explanation} Table 2's "
                   f"relapses after each further therapy, among responders: {shown}; the fewest "
                   f"relapses were after {' and '.join(best)}, so neither the test nor the counts "
                   "single out allo-HSCT.")
