"""Checks of the printed 2-year (and 6-month) Kaplan–Meier estimates and CIs (section 3.4).

Main findings.  The all-patient 2-year OS 82.62% (63.14–92.37) fits only 5 deaths before 24
months, but the subgroup figures force all 6 deaths of Table 2 before then, which caps the
estimate at 24/30 = 80%.  The no-further OS interval's upper limit 95.72 is the further
group's, copied (the risk sets (6, 5, 4) give 80.37, as printed for PFS).  "100% vs. 95.46%"
and "100% vs. 94.74%" are swapped between the groups with and without further treatment
(95.46 = 21/22, 94.74 = 18/19; three patients cannot give either).  The responder and
further-treatment PFS figures need patients out of the PFS risk set, without an event, whom the
OS figures show still followed: relapses censored, or event-free patients censored early.
"""

from __future__ import annotations

from blina.audit.checks.risk_sets import (
    Solved,
    count_text,
    km_text,
    pct_text,
    seq_str,
    seqs_text,
    solve,
    solved,
    verdict,
    who_ids,
)
from blina.audit.engine import CheckTable, Verdict
from blina.cohort.figures import SECTION_ID, printed_km
from blina.cohort.groups import GROUP_NAMES
from blina.inverse_km import max_estimate

CHECKS = CheckTable()
_ID = SECTION_ID


# ---------------------------------------------------------------- forced event counts
def _nonresponders_all_dead(ctx) -> bool:
    nr = ctx.group_facts["nonresponders"]
    return set(nr.deaths) == set(nr.patients)


def _deaths_before_24(ctx) -> tuple[int, str]:
    """Deaths the other figures place before 24 months, and why."""
    nr = ctx.group_facts["nonresponders"]
    resp = solved(ctx, "os2y-resp")
    k_resp = len(resp.unique) if resp.unique is not None else 0
    k_nr = len(nr.deaths) if _nonresponders_all_dead(ctx) else 0
    why = (f"{k_nr} nonresponders ({who_ids(nr.deaths)}) with 2-year OS 0% and {k_resp} responder "
           f"({who_ids(ctx.group_facts['responders'].deaths)}) by the responder figure "
           f"{resp.label} = risk set {seq_str(resp.unique or ())}")
    return k_nr + k_resp, why


# ---------------------------------------------------------------- 2-year OS and PFS, all patients
@CHECKS.check(_ID + "os2y-all-est", _ID + "os2y-all-ci", "abs-os2y-all")
def _os_all(ctx, cid):
    s = solved(ctx, "os2y-all")
    forced, why = _deaths_before_24(ctx)
    cap = max_estimate(s.facts.n, forced)
    rec = f"{s.recomputed()}; at most {pct_text(cap, 2)}% with {forced} deaths"
    ks = sorted({len(q) for q in s.seqs})
    if ks == [forced] and len(s.facts.deaths) >= forced:
        return _consistent_count(ctx, cid, s, f"; the subgroup figures place {forced} deaths "
                                 f"before 24 months ({why})")
    return verdict(ctx, cid, "discrepant", rec,
                   f"{s.intro()}, but Table 2's {len(s.facts.deaths)} deaths all fall before 24 "
                   f"months ({why}), and with {forced} deaths among {s.facts.n} the estimate is at "
                   f"most ({s.facts.n} − {forced})/{s.facts.n} = {pct_text(cap, 2)}% < {s.est}%; "
                   f"the figure fits {', '.join(map(str, ks))} deaths, one fewer than the subgroup "
                   "figures force.")


@CHECKS.check(_ID + "pfs2y-all-est", _ID + "pfs2y-all-ci", "abs-pfs2y-all")
def _pfs_all(ctx, cid):
    s = solved(ctx, "pfs2y-all")
    f = ctx.group_facts
    nr = f["nonresponders"]
    early = tuple(sorted(set(nr.pfs_events) | set(f["responders"].deaths)))
    late = tuple(p for p in s.facts.relapses if p not in early)
    ks = {len(q) for q in s.seqs}
    if ks == {len(early)}:
        return verdict(ctx, cid, "consistent", s.recomputed(),
                       f"{s.intro()}: the {len(early)} patients whose PFS events the other figures "
                       f"put before 24 months ({who_ids(early)}: nonresponders, and patient "
                       f"{who_ids(f['responders'].deaths)} who relapsed and died before 24 "
                       f"months); Table 2's {len(s.facts.pfs_events)} PFS events then need the "
                       f"relapses of {who_ids(late)} after 24 months (or censored at relapse, as "
                       "the responder PFS figure implies).")
    return verdict(ctx, cid, "discrepant", s.recomputed(),
                   f"{s.intro()}, but the other figures put exactly {len(early)} PFS events "
                   f"({who_ids(early)}) before 24 months.")


# ---------------------------------------------------------------- responders / nonresponders
def _consistent_count(ctx, cid, s: Solved, extra: str = "") -> Verdict:
    """Consistent when every sequence has as many events as Table 2 gives the group."""
    what = count_text(len(s.events), "death" if s.fig.endpoint == "os" else "PFS event")
    ks = {len(q) for q in s.seqs}
    if s.seqs and ks == {len(s.events)}:
        return verdict(ctx, cid, "consistent", s.recomputed(),
                       f"{s.intro()}, as many as Table 2's {what} in the group "
                       f"({who_ids(s.events)}){extra}.")
    # fewer events before the time point than in Table 2: the rest must come later, which
    # needs that many patients still at risk after the last event (r_k − 1, or n if none)
    late = [len(s.events) - len(q) for q in s.seqs]
    room = [(q[-1] - 1 if q else s.facts.n) for q in s.seqs]
    if s.seqs and all(0 < d <= r for d, r in zip(late, room, strict=True)):
        k = " or ".join(str(x) for x in sorted(set(late)))
        return verdict(ctx, cid, "consistent", s.recomputed(),
                       f"{s.intro()}, fewer than Table 2's {what} in the group "
                       f"({who_ids(s.events)}), so {k} of them must fall after {s.fig.at} months, "
                       f"which the numbers still at risk allow{extra}.")
    return verdict(ctx, cid, "discrepant", s.recomputed(),
                   f"{s.intro()}, but Table 2 has {what} in the group "
                   f"({who_ids(s.events)}){extra}.")


@CHECKS.check(_ID + "os2y-resp-est", _ID + "os2y-resp-ci")
def _os_resp(ctx, cid):
    return _consistent_count(ctx, cid, solved(ctx, "os2y-resp"),
                             "; nobody was censored before that death")


def _pfs_censor_conflict(ctx, cid, stem: str, os_stem: str) -> Verdict:
    """A PFS figure needing more censorings before its last event than the OS figure allows.

    Under section 2.4 a living patient without relapse is censored for PFS at the last
    follow-up, i.e. at the same time as for OS, and every PFS event precedes the death; so if
    the PFS events before 24 months belong to exactly the patients who died before 24 months,
    every patient censored for PFS before the last of those events is censored for OS before
    the last of those deaths.
    """
    s = solved(ctx, stem)
    o = solved(ctx, os_stem)
    n = s.facts.n
    seq, oseq = s.unique, o.unique
    if seq is None or oseq is None:
        return _consistent_count(ctx, cid, s)
    k = len(seq)
    cens_pfs = n - (k - 1) - seq[-1]
    cens_os = n - (len(oseq) - 1) - oseq[-1]
    if k != len(oseq) or len(oseq) != len(o.facts.deaths) or cens_pfs <= cens_os:
        return _consistent_count(ctx, cid, s)
    later = tuple(p for p in s.facts.relapses if p not in s.facts.deaths)
    extra = cens_pfs - cens_os
    return verdict(
        ctx, cid, "discrepant", f"{s.recomputed()}; OS {seq_str(oseq)}",
        f"{s.intro()}: those of the patients who died ({who_ids(o.facts.deaths)}, all before 24 "
        f"months by the OS figure {o.label} = {seq_str(oseq)}), with {cens_pfs} patients out "
        f"of the PFS risk set before the last of them, but the OS risk sets allow only "
        f"{cens_os} lost to follow-up by then. So {extra} patients of the group must leave the "
        f"PFS risk set without a PFS event while still followed for OS, which section 2.4 "
        f"does not allow (PFS ends at relapse or death, or is censored at the last follow-up, "
        f"as OS). Two departures make the figure fit, alone or mixed: relapsed patients "
        f"({who_ids(later)}, who went on to further treatment) censored at their relapse "
        f"instead of counted as events; or event-free patients censored for PFS before their "
        f"last contact (at an earlier disease assessment), with Table 2's other relapses "
        f"({who_ids(later)}) after 24 months.")


@CHECKS.check(_ID + "pfs2y-resp-est", _ID + "pfs2y-resp-ci")
def _pfs_resp(ctx, cid):
    return _pfs_censor_conflict(ctx, cid, "pfs2y-resp", "os2y-resp")


@CHECKS.check(_ID + "os2y-nonresp-est")
def _os_nonresp_2y(ctx, cid):
    s = solved(ctx, "os2y-nonresp")
    six = solved(ctx, "os6m-nonresp")
    all_dead = _nonresponders_all_dead(ctx)
    ok = all_dead and all(q[-1] == 1 for q in s.seqs) and bool(s.seqs)
    status = "consistent" if ok else "discrepant"
    return verdict(ctx, cid, status, "0% once the last nonresponder has died",
                   f"Table 2: {len(s.facts.deaths)} of {s.facts.n} nonresponders died "
                   f"({who_ids(s.facts.deaths)}), so the curve reaches 0% at the last death (at "
                   f"risk 1); the 6-month figure {six.label} = {seq_str(six.unique or ())} leaves "
                   "one alive at 6 months, whose death before 24 months (within 1 year, as 3.4 "
                   "says) is not dated.")


@CHECKS.check(_ID + "pfs2y-nonresp-est")
def _pfs_nonresp_2y(ctx, cid):
    s = solved(ctx, "pfs2y-nonresp")
    ok = set(s.facts.pfs_events) == set(s.facts.patients) and bool(s.seqs)
    status = "consistent" if ok else "discrepant"
    return verdict(ctx, cid, status, "0% after the last nonresponder's first BM assessment",
                   f"Every one of the {s.facts.n} nonresponders ({who_ids(s.facts.patients)}) has "
                   "a PFS event (nonresponse, dated at the first BM assessment by section 2.4, "
                   "before their deaths), so the PFS curve reaches 0% at the last of them, before "
                   "24 months; the dates are not published.")


@CHECKS.check(_ID + "os6m-nonresp-est", _ID + "os6m-nonresp-ci")
def _os_nonresp_6m(ctx, cid):
    s = solved(ctx, "os6m-nonresp")
    ks = {len(q) for q in s.seqs}
    ok = bool(s.seqs) and max(ks) <= len(s.facts.deaths)
    status = "consistent" if ok else "discrepant"
    return verdict(ctx, cid, status, s.recomputed(),
                   f"{s.intro()} with nobody censored, which Table 2 allows: all "
                   f"{len(s.facts.deaths)} nonresponders died ({who_ids(s.facts.deaths)}), the "
                   "last one after 6 months.")


@CHECKS.check(_ID + "os-nonresp-died-1y")
def _nonresp_died_1y(ctx, cid):
    six = solved(ctx, "os6m-nonresp")
    nr = six.facts
    k = len(six.unique or ())
    ok = _nonresponders_all_dead(ctx)
    return verdict(ctx, cid, "consistent" if ok else "discrepant",
                   f"{len(nr.deaths)}/{nr.n} died; {k} before 6 months",
                   f"Table 2: all {nr.n} nonresponders died ({who_ids(nr.deaths)}), {k} of them "
                   f"before 6 months by the 6-month figure {six.label} = "
                   f"{seq_str(six.unique or ())}; the date of the last death is not published, so "
                   "'within 1 year' is feasible but not checkable.")


# ---------------------------------------------------------------- with / without further treatment
@CHECKS.check(_ID + "os2y-further-est", _ID + "os2y-further-ci")
def _os_further(ctx, cid):
    return _consistent_count(ctx, cid, solved(ctx, "os2y-further"))


def _nofurther_upper(ctx) -> tuple[Solved, Solved, str]:
    s = solved(ctx, "os2y-nofurther", use_upper=False)
    full = solved(ctx, "os2y-nofurther")
    further_up = printed_km(ctx.claims, "os2y-further")[2]
    return s, full, further_up


@CHECKS.check(_ID + "os2y-nofurther-est")
def _os_nofurther_est(ctx, cid):
    s, full, further_up = _nofurther_upper(ctx)
    if full.seqs:
        return _consistent_count(ctx, cid, full)
    return _consistent_count(
        ctx, cid, s, f"; the printed upper limit {full.up} is left out, as no sequence gives it "
        "(see the CI claim)")


@CHECKS.check(_ID + "os2y-nofurther-ci")
def _os_nofurther_ci(ctx, cid):
    s, full, further_up = _nofurther_upper(ctx)
    pfs_up = printed_km(ctx.claims, "pfs2y-nofurther")[2]
    if full.seqs:
        return _consistent_count(ctx, cid, full)
    shown = "; ".join(f"{seq_str(q)}: {km_text(q)}" for q in s.seqs)
    copy = (", the upper limit printed for the group with further treatment"
            if full.up == further_up else "")
    return verdict(ctx, cid, "discrepant", shown,
                   f"No risk-set sequence of {s.facts.n} patients prints as {full.label}; the "
                   f"estimate and lower limit fit only {seqs_text(s.seqs)} ({shown}: 3 deaths, as "
                   f"Table 2's {who_ids(s.facts.deaths)}), whose upper limit prints as {pfs_up} "
                   f"(as printed for this group's PFS), not {full.up}{copy} — a copy error; {s.lo} "
                   "arises only by double rounding (11.0948 → 11.095 → 11.10).")


@CHECKS.check(_ID + "pfs2y-further-est", _ID + "pfs2y-further-ci")
def _pfs_further(ctx, cid):
    return _pfs_censor_conflict(ctx, cid, "pfs2y-further", "os2y-further")


@CHECKS.check(_ID + "pfs2y-nofurther-est", _ID + "pfs2y-nofurther-ci")
def _pfs_nofurther(ctx, cid):
    return _consistent_count(ctx, cid, solved(ctx, "pfs2y-nofurther"))


# ---------------------------------------------------------------- responders by further treatment
def _reversed(ctx, cid, stem_natural: str, stem_other: str) -> Verdict:
    """'100% vs. x%' between responders with and without further treatment.

    Natural reading: the first figure belongs to the group *with* further treatment (the
    ledger's ``-resp-further-est``).  The reversed reading gives the printed value to the other
    group; the explanation says whether that fits Table 2.
    """
    s = solved(ctx, stem_natural)
    other = solved(ctx, stem_other)
    ep = s.fig.endpoint.upper()
    what = "death" if s.fig.endpoint == "os" else "PFS event"
    if s.seqs and {len(q) for q in s.seqs} == {len(s.events)}:
        return _consistent_count(ctx, cid, s)
    # events the responder OS figure places before 24 months in this group
    resp = solved(ctx, "os2y-resp")
    forced = [p for p in ctx.group_facts["responders"].deaths if p in s.facts.patients] \
        if resp.unique is not None and len(resp.unique) == len(resp.events) else []
    if not s.seqs:
        cause = f"no risk-set sequence of {s.facts.n} patients prints as {s.est}%"
        rec = "no risk-set sequence"
    else:
        cap = max_estimate(s.facts.n, max(1, len(forced)))
        how = "died" if s.fig.endpoint == "os" else "relapsed and died"
        cause = (f"Table 2 has {count_text(len(s.events), what)} in the group "
                 f"({who_ids(s.events)}), and patient {who_ids(forced)} {how} before 24 months "
                 f"(responder OS figure {resp.label} = {seq_str(resp.unique or ())}), so the "
                 f"estimate is at most ({s.facts.n} − {len(forced)})/{s.facts.n} = "
                 f"{pct_text(cap, 4)}%")
        rec = f"at most {pct_text(cap, 4)}%"
    # the reversed reading: this printed value for the other group
    swapped = solve(s.est, None, None, other.facts.n)
    single = solve(s.est, None, None, other.facts.n, "single")
    k_sw = {len(q) for q in swapped}
    shown = seqs_text(swapped) + (f" = {km_text(swapped[0])}" if len(swapped) == 1 else "")
    if swapped and not single:
        shown += " (only under double rounding)"
    if swapped and k_sw == {len(other.events)}:
        fit = (f"fits Table 2 ({count_text(len(other.events), what)}: {who_ids(other.events)})")
    elif swapped and len(k_sw) == 1 and k_sw.pop() < len(other.events):
        fit = (f"fits only with {count_text(len(swapped[0]), what)} before 24 months of Table 2's "
               f"{len(other.events)} ({who_ids(other.events)}), as the responder PFS figure does")
    else:
        fit = "does not fit Table 2 either"
    return verdict(ctx, cid, "discrepant", f"{rec}; reversed reading: {shown}",
                   f"{ep} {s.est}% for the {s.facts.n} {GROUP_NAMES[s.facts.name]} (natural "
                   f"reading of 'with and without further treatment'): {cause}; the reversed "
                   f"reading, {s.est}% for the {other.facts.n} {GROUP_NAMES[other.facts.name]}, is "
                   f"risk sets {shown} and {fit}, so the two printed values are swapped.")


@CHECKS.check(_ID + "os2y-resp-further-est")
def _os_resp_further(ctx, cid):
    return _reversed(ctx, cid, "os2y-resp-further", "os2y-resp-nofurther")


@CHECKS.check(_ID + "os2y-resp-nofurther-est")
def _os_resp_nofurther(ctx, cid):
    return _reversed(ctx, cid, "os2y-resp-nofurther", "os2y-resp-further")


@CHECKS.check(_ID + "pfs2y-resp-further-est")
def _pfs_resp_further(ctx, cid):
    return _reversed(ctx, cid, "pfs2y-resp-further", "pfs2y-resp-nofurther")


@CHECKS.check(_ID + "pfs2y-resp-nofurther-est")
def _pfs_resp_nofurther(ctx, cid):
    return _reversed(ctx, cid, "pfs2y-resp-nofurther", "pfs2y-resp-further")


@CHECKS.check("met-2.4-pfs-nonresponders")
def _pfs_definition_nonresponders(ctx, cid):
    s = solved(ctx, "pfs2y-nonresp")
    nr = s.facts
    ok = set(nr.pfs_events) == set(nr.patients)
    return verdict(ctx, cid, "consistent" if ok else "discrepant",
                   f"{len(nr.pfs_events)} of {nr.n} nonresponders with a PFS event",
                   f"By this definition each of the {nr.n} nonresponders ({who_ids(nr.patients)}) "
                   "has a PFS event at the first marrow assessment, weeks after the start, which "
                   f"is what the printed 2-year PFS of {s.est}% needs; the assessment days are "
                   "not published.")
