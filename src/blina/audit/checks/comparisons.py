"""Checks of the printed log-rank p-values and the statements that compare groups (3.4, 4).

A p-value depends on the event and censoring times, which are not published; where the
risk sets of the printed figures fix how the groups' events interleave (one death with
everyone at risk), the p-value is recomputed exactly.
"""

from __future__ import annotations

from fractions import Fraction

from blina.audit.checks.risk_sets import (
    NO_TIMES,
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
from blina.stats.rounding import fmt, shown_as, shown_as_double

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


@CHECKS.check(_ID + "os-resp-further-p")
def _p_os_resp_further(ctx, cid):
    f = ctx.group_facts
    resp = solved(ctx, "os2y-resp")
    seq = resp.unique
    printed = ctx.reported(cid)
    if seq is None or len(f["responders"].deaths) != 1 or seq[0] != f["responders"].n:
        return _p_verdict(ctx, cid, "—", f"Table 2: {NO_TIMES}.")
    dead = f["responders"].deaths[0]
    res = _single_death_logrank(ctx, {"further": f["resp_further"].patients,
                                      "none": f["resp_nofurther"].patients}, dead)
    status = "consistent" if shown_as(res.p, printed) or shown_as_double(res.p, printed) \
        else "discrepant"
    return verdict(ctx, cid, status, f"chi2 {res.statistic:.4f}, p = {res.p:.4f}",
                   f"The responder OS figure {resp.label} = {seq_str(seq)} puts the only responder "
                   f"death (patient {dead}, with further treatment) at {seq[0]} at risk, i.e. "
                   f"{f['resp_further'].n} vs {f['resp_nofurther'].n} at risk, so the log-rank "
                   f"statistic is ({f['resp_nofurther'].n}/{seq[0]})² / ({f['resp_further'].n}·"
                   f"{f['resp_nofurther'].n}/{seq[0]}²) = {res.statistic:.4f}, p = {res.p:.4f}, "
                   f"printed {printed}.")


@CHECKS.check(_ID + "pfs-resp-further-p")
def _p_pfs_resp_further(ctx, cid):
    f = ctx.group_facts
    printed = ctx.reported(cid)
    resp = solved(ctx, "pfs2y-resp")
    # reversed reading of '100% vs. 94.74%': the printed non-100 value is the further group's
    rf = [q for q in solve(ctx.reported(_ID + "pfs2y-resp-nofurther-est"), None, None,
                           f["resp_further"].n)]
    if resp.unique is None or len(rf) != 1 or len(rf[0]) != 1:
        return _p_verdict(ctx, cid, "—", f"Table 2: {NO_TIMES}.")
    r_all, r_f = resp.unique[0], rf[0][0]
    r_n = r_all - r_f
    first = f["responders"].deaths[0]
    u = 1 - Fraction(r_f, r_all)
    var = Fraction(r_f * r_n, r_all**2)
    stat = float(u * u / var)
    p = chi2_sf(stat, 1)
    return _p_verdict(
        ctx, cid, f"censored reading: chi2 {stat:.4f}, p = {p:.4f}",
        f"Under section 2.4 the {len(f['responders'].relapses)} responder relapses "
        f"({who_ids(f['responders'].relapses)}) enter with unpublished times, so {NO_TIMES}; "
        f"under the reading the PFS figures need (relapsed patients censored, one event, patient "
        f"{first}, at {r_f} vs {r_n} at risk: responder figure {resp.label} = "
        f"{seq_str(resp.unique)} and 94.74% = {seq_str(rf[0])}) the statistic is "
        f"({r_n}/{r_all})²/({r_f}·{r_n}/{r_all}²) = {stat:.4f}, p = {p:.4f}, which prints as "
        f"{fmt(p, 3)}, not {printed}.")


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
    rel = {lv: [int(p) for p in sub.loc[(sub["therapy_type"] == lv)
                                         & sub["relapsed"], "patient"]]
           for lv in levels}
    rel_s = "; ".join(f"{k} {who_ids(v)}" for k, v in rel.items() if v)
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
