"""Verdicts for the survival claims: section 3.4 and the abstract's and discussion's OS/PFS ids.

The paper prints no event or censoring times, so a Kaplan–Meier figure is checked backwards: the
inverse Kaplan–Meier (:func:`blina.inverse_km.km_risk_sets`) lists every sequence of numbers at
risk ``r_1 > r_2 > ...`` at the events before the time point whose estimate ``Π(1 − 1/r_i)``
(Kaplan & Meier 1958) and log(−log) Greenwood interval (Greenwood 1926; Kalbfleisch & Prentice
2002) print as published.  The number of events in a sequence is then compared with Table 2
(deaths for OS; nonresponse, relapse or death for PFS, section 2.4) for the group
(:func:`blina.groups.add_groups`), and with the other printed survival figures.  The largest
estimate possible with ``d`` events among ``n`` patients, ``(n − d)/n``
(:func:`blina.inverse_km.max_estimate`), settles figures that need no search.

Rounding model.  The paper's survival figures follow **double half-up rounding**
(:data:`ROUNDING`): the software displayed one more decimal than printed and the authors rounded
that display again (:func:`blina.inverse_km.printed_interval`).  Five printed numbers arise only
that way — 82.62 (82.6149 → 82.615 → 82.62; single rounding gives 82.61), 57.79 (57.7848),
11.10 twice (11.0948 → 11.095 → 11.10) and 95.46 (21/22 = 95.4545 → 95.455 → 95.46) — and no
figure needs single rounding: every sequence found under single rounding is found under double
rounding too.  The verdicts therefore search under double rounding and say where single
rounding finds nothing.

Statuses (:mod:`blina.audit`): ``consistent`` when the only risk-set sequences agree with Table 2
and the other figures; ``discrepant`` when no sequence exists or every sequence contradicts
Table 2 or another printed figure (the explanation names it); ``unverifiable`` when the claim
needs times the paper does not print (four p-values and the "significantly better"
statements).  Where the wording has two readings, the verdict is for the natural one and the
explanation names the other.

Main findings.  The all-patient 2-year OS 82.62% (63.14–92.37) fits only 5 deaths before 24
months, but the subgroup figures force all 6 deaths of Table 2 before then, which caps the
estimate at 24/30 = 80%.  The no-further OS interval's upper limit 95.72 is the further group's,
copied (the risk sets (6, 5, 4) give 80.37, as printed for PFS).  "100% vs. 95.46%" and "100% vs.
94.74%" are swapped between the groups with and without further treatment (95.46 = 21/22,
94.74 = 18/19; three patients cannot give either).  The responder and further-treatment PFS
figures need patients censored before the first relapse whom the OS figures show still
followed; they fit only if the four relapsed patients who received further treatment were
censored at relapse instead of counted as events (section 2.4).

When ``data/reconstructed_survival.csv`` exists, the explanation also quotes the value on that
RECONSTRUCTED dataset (:func:`blina.reconstructed.evaluate`).  Kaplan–Meier verdicts never
depend on it; a p-value (or "significantly") that it meets is shown feasible and becomes
``consistent``, else it stays ``unverifiable``.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, partial

import pandas as pd

from blina.audit import AuditContext, Verdict, check
from blina.groups import add_groups
from blina.inverse_km import km_risk_sets, max_estimate
from blina.numbers import decimals_of, fmt, parse_numbers, shown_as, shown_as_double
from blina.stats.km import km_estimate_and_ci
from blina.survival import chi2_sf

__all__ = ["CHECKS", "FIGURES", "ROUNDING", "ROUNDING_EVIDENCE", "GroupFacts", "group_facts",
           "plateau_end_window", "seq_str", "solve"]

#: the rounding model of the paper's survival figures (see the module docstring)
ROUNDING = "double"
#: printed value -> (risk sets, which number) it comes from, for the figures only double
#: rounding explains (e.g. "11.10" is the lower limit of (6, 5, 4), 11.0948)
ROUNDING_EVIDENCE = {
    "82.62": ((29, 28, 27, 26, 24), "estimate"),
    "57.79": ((30, 29, 28, 25, 22, 20), "lower"),
    "11.10": ((6, 5, 4), "lower"),
    "95.46": ((22,), "estimate"),
}

#: the checks of this module by claim id (also registered in :mod:`blina.audit`)
CHECKS: dict = {}

_ID = "res-3.4-"
_GROUP_NAMES = {
    "all": "patients",
    "responders": "responders",
    "nonresponders": "nonresponders",
    "further": "patients with further treatment",
    "nofurther": "patients without further treatment",
    "resp_further": "responders with further treatment",
    "resp_nofurther": "responders without further treatment",
}


_check = partial(check, into=CHECKS)


# ---------------------------------------------------------------- Table 2 facts
@dataclass(frozen=True)
class GroupFacts:
    """One survival group of Table 2: patients, deaths (OS events), PFS events, relapses."""

    name: str
    patients: tuple[int, ...]
    deaths: tuple[int, ...]
    pfs_events: tuple[int, ...]
    relapses: tuple[int, ...]

    @property
    def n(self) -> int:
        return len(self.patients)

    def events(self, endpoint: str) -> tuple[int, ...]:
        return self.deaths if endpoint == "os" else self.pfs_events


def group_facts(cohort: pd.DataFrame) -> dict[str, GroupFacts]:
    """Every group a survival figure refers to, from Table 2 (:func:`blina.groups.add_groups`).

    PFS events are nonresponse, relapse or death (section 2.4); deaths are ``vital_status ==
    "dead"``.
    """
    g = add_groups(cohort)
    g["relapsed"] = g["relapse"].astype("boolean").fillna(False).astype(bool)
    resp, fur = g["responder"], g["further_treatment"]
    masks = {
        "all": pd.Series(True, index=g.index),
        "responders": resp,
        "nonresponders": ~resp,
        "further": fur,
        "nofurther": ~fur,
        "resp_further": resp & fur,
        "resp_nofurther": resp & ~fur,
    }

    def ids(mask) -> tuple[int, ...]:
        return tuple(int(p) for p in g.loc[mask, "patient"])

    return {k: GroupFacts(k, ids(m), ids(m & g["os_event"]), ids(m & g["pfs_event"]),
                          ids(m & g["relapsed"])) for k, m in masks.items()}


_FACTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _facts(ctx: AuditContext) -> dict[str, GroupFacts]:
    """:func:`group_facts` of ``ctx.cohort``, computed once per context (and cohort object)."""
    cohort = ctx.cohort
    hit = _FACTS.get(ctx)
    if hit is None or hit[0] is not cohort:
        hit = (cohort, group_facts(cohort))
        _FACTS[ctx] = hit
    return hit[1]


# ---------------------------------------------------------------- the inverse Kaplan–Meier
@cache
def solve(estimate: str, lower: str | None, upper: str | None, n: int,
          rounding: str = ROUNDING) -> tuple[tuple[int, ...], ...]:
    """All risk-set sequences printing as ``estimate (lower–upper)`` among ``n`` patients.

    :func:`blina.inverse_km.km_risk_sets` with each number's printed decimals; raises if the
    search is not exhaustive (never the case for this paper's figures).
    """
    decs = tuple(decimals_of(x) if x is not None else 0 for x in (estimate, lower, upper))
    res = km_risk_sets(estimate, lower, upper, n, decimals=decs, rounding=rounding,
                       limit=100_000)
    if not res.exhaustive:
        raise ValueError(f"more than 100000 risk-set sequences for {estimate} ({lower}–{upper}), "
                         f"n={n}: no verdict possible")
    return tuple(res)


def seq_str(seq: tuple[int, ...]) -> str:
    """``(24, 23, 21)``; ``(25,)`` for one event; ``() (no event)`` for none."""
    if not seq:
        return "() (no event)"
    return "(" + ", ".join(map(str, seq)) + ("," if len(seq) == 1 else "") + ")"


def _n(k: int, word: str) -> str:
    """``1 death``, ``3 deaths``; ``1 PFS event``."""
    return f"{k} {word}" if k == 1 else f"{k} {word}s"


def _seqs(seqs) -> str:
    return " or ".join(seq_str(s) for s in seqs) if seqs else "none"


def _pct(x: Fraction | float, decimals: int = 4) -> str:
    return fmt(100 * float(x), decimals)


def _km(seq: tuple[int, ...]) -> str:
    """``87.3016% (65.5803–95.7229)`` for a sequence."""
    s, lo, up = km_estimate_and_ci(seq)
    if not seq or seq[-1] == 1:
        return f"{_pct(s, 2)}%"
    return f"{_pct(s)}% ({_pct(lo)}–{_pct(up)})"


def _who(ids) -> str:
    ids = list(ids)
    return ", ".join(map(str, ids)) if ids else "none"


# ---------------------------------------------------------------- the printed figures
@dataclass(frozen=True)
class Figure:
    """A printed Kaplan–Meier figure: endpoint, group, time (months) and the ledger ids."""

    stem: str           # ledger id without the res-3.4- prefix and the -est/-ci suffix
    endpoint: str       # "os" or "pfs"
    group: str          # key of group_facts()
    at: int             # months


FIGURES = {
    "os2y-all": Figure("os2y-all", "os", "all", 24),
    "pfs2y-all": Figure("pfs2y-all", "pfs", "all", 24),
    "os2y-resp": Figure("os2y-resp", "os", "responders", 24),
    "pfs2y-resp": Figure("pfs2y-resp", "pfs", "responders", 24),
    "os2y-nonresp": Figure("os2y-nonresp", "os", "nonresponders", 24),
    "pfs2y-nonresp": Figure("pfs2y-nonresp", "pfs", "nonresponders", 24),
    "os6m-nonresp": Figure("os6m-nonresp", "os", "nonresponders", 6),
    "os2y-further": Figure("os2y-further", "os", "further", 24),
    "os2y-nofurther": Figure("os2y-nofurther", "os", "nofurther", 24),
    "pfs2y-further": Figure("pfs2y-further", "pfs", "further", 24),
    "pfs2y-nofurther": Figure("pfs2y-nofurther", "pfs", "nofurther", 24),
    "os2y-resp-further": Figure("os2y-resp-further", "os", "resp_further", 24),
    "os2y-resp-nofurther": Figure("os2y-resp-nofurther", "os", "resp_nofurther", 24),
    "pfs2y-resp-further": Figure("pfs2y-resp-further", "pfs", "resp_further", 24),
    "pfs2y-resp-nofurther": Figure("pfs2y-resp-nofurther", "pfs", "resp_nofurther", 24),
}


def _printed(ctx: AuditContext, stem: str) -> tuple[str, str | None, str | None]:
    """Estimate, lower and upper limit as printed, from the ledger's ``-est``/``-ci`` rows."""
    est = parse_numbers(ctx.reported(_ID + stem + "-est"))[0]
    ids = set(ctx.claims.claim_id)
    if _ID + stem + "-ci" in ids:
        lo, up = parse_numbers(ctx.reported(_ID + stem + "-ci"))
        return est, lo, up
    return est, None, None


def _label(est, lo, up) -> str:
    if lo is not None and up is None:
        return f"{est}% (lower limit {lo})"
    return f"{est}%" + (f" ({lo}–{up})" if lo is not None else "")


def _single_note(est, lo, up, n) -> str:
    if solve(est, lo, up, n, "double") and not solve(est, lo, up, n, "single"):
        return " (double rounding; none under single rounding)"
    return ""


@dataclass(frozen=True)
class Solved:
    """A figure with its group facts and risk-set sequences."""

    fig: Figure
    facts: GroupFacts
    est: str
    lo: str | None
    up: str | None
    seqs: tuple[tuple[int, ...], ...]

    @property
    def label(self) -> str:
        return _label(self.est, self.lo, self.up)

    @property
    def unique(self) -> tuple[int, ...] | None:
        return self.seqs[0] if len(self.seqs) == 1 else None

    @property
    def events(self) -> tuple[int, ...]:
        return self.facts.events(self.fig.endpoint)

    def recomputed(self) -> str:
        if not self.seqs:
            return "no risk-set sequence"
        if len(self.seqs) > 3:
            return f"{len(self.seqs)} risk-set sequences"
        return "; ".join(f"{seq_str(s)}: {_km(s)}" for s in self.seqs)

    def intro(self) -> str:
        """'<label> among n <group>: risk sets X, i.e. k events before t months'."""
        what = "death" if self.fig.endpoint == "os" else "PFS event"
        head = (f"{self.fig.endpoint.upper()} {self.label} among the {self.facts.n} "
                f"{_GROUP_NAMES[self.facts.name]}")
        note = _single_note(self.est, self.lo, self.up, self.facts.n)
        if not self.seqs:
            return f"{head}: no risk-set sequence prints as this{note}"
        ks = sorted({len(s) for s in self.seqs})
        k = " or ".join(map(str, ks))
        what = what if ks == [1] else what + "s"
        return (f"{head}: only risk sets {_seqs(self.seqs)}{note}, i.e. {k} {what} before "
                f"{self.fig.at} months")


def _solved(ctx: AuditContext, stem: str, *, use_upper: bool = True) -> Solved:
    fig = FIGURES[stem]
    facts = _facts(ctx)[fig.group]
    est, lo, up = _printed(ctx, stem)
    up = up if use_upper else None
    return Solved(fig, facts, est, lo, up, solve(est, lo, up, facts.n))


# ---------------------------------------------------------------- reconstruction (optional)
def _reconstruction(ctx: AuditContext) -> pd.DataFrame | None:
    return getattr(ctx, "reconstructed", None)


def _with_reconstruction(ctx: AuditContext, cid: str, verdict: Verdict) -> Verdict:
    """Append the RECONSTRUCTED value (if the reconstruction exists) to the explanation."""
    table = _reconstruction(ctx)
    if table is None or "claim_id" not in getattr(table, "columns", ()):
        return verdict
    rows = table[table["claim_id"] == cid]
    if rows.empty:
        return verdict
    bits = [f"{r.quantity}: {r.reconstructed} ({'meets' if r.met else 'misses'} {r.published})"
            for r in rows.itertuples()]
    return Verdict(verdict.status, verdict.recomputed,
                   f"{verdict.explanation} On the RECONSTRUCTED times: {'; '.join(bits)}.")


def _v(ctx, cid, status, recomputed, explanation) -> Verdict:
    return _with_reconstruction(ctx, cid, Verdict(status, recomputed, explanation))


# ---------------------------------------------------------------- forced event counts
def _nonresponders_all_dead(ctx) -> bool:
    nr = _facts(ctx)["nonresponders"]
    return set(nr.deaths) == set(nr.patients)


def _deaths_before_24(ctx) -> tuple[int, str]:
    """Deaths the other figures place before 24 months, and why."""
    nr = _facts(ctx)["nonresponders"]
    resp = _solved(ctx, "os2y-resp")
    k_resp = len(resp.unique) if resp.unique is not None else 0
    k_nr = len(nr.deaths) if _nonresponders_all_dead(ctx) else 0
    why = (f"{k_nr} nonresponders ({_who(nr.deaths)}) with 2-year OS 0% and {k_resp} responder "
           f"({_who(_facts(ctx)['responders'].deaths)}) by the responder figure "
           f"{resp.label} = risk set {seq_str(resp.unique or ())}")
    return k_nr + k_resp, why


# ---------------------------------------------------------------- 2-year OS and PFS, all patients
@_check(_ID + "os2y-all-est", _ID + "os2y-all-ci", "abs-os2y-all")
def _os_all(ctx, cid):
    s = _solved(ctx, "os2y-all")
    forced, why = _deaths_before_24(ctx)
    cap = max_estimate(s.facts.n, forced)
    rec = f"{s.recomputed()}; at most {_pct(cap, 2)}% with {forced} deaths"
    ks = sorted({len(q) for q in s.seqs})
    if ks == [forced] and len(s.facts.deaths) >= forced:
        return _consistent_count(ctx, cid, s, f"; the subgroup figures place {forced} deaths "
                                 f"before 24 months ({why})")
    return _v(ctx, cid, "discrepant", rec,
              f"{s.intro()}, but Table 2's {len(s.facts.deaths)} deaths all fall before 24 "
              f"months ({why}), and with {forced} deaths among {s.facts.n} the estimate is at most "
              f"({s.facts.n} − {forced})/{s.facts.n} = {_pct(cap, 2)}% < {s.est}%; the "
              f"figure fits {', '.join(map(str, ks))} deaths, one fewer than the subgroup figures "
              "force.")


@_check(_ID + "pfs2y-all-est", _ID + "pfs2y-all-ci", "abs-pfs2y-all")
def _pfs_all(ctx, cid):
    s = _solved(ctx, "pfs2y-all")
    f = _facts(ctx)
    nr = f["nonresponders"]
    early = tuple(sorted(set(nr.pfs_events) | set(f["responders"].deaths)))
    late = tuple(p for p in s.facts.relapses if p not in early)
    ks = {len(q) for q in s.seqs}
    if ks == {len(early)}:
        return _v(ctx, cid, "consistent", s.recomputed(),
                  f"{s.intro()}: the {len(early)} patients whose PFS events the other figures put "
                  f"before 24 months ({_who(early)}: nonresponders, and patient "
                  f"{_who(f['responders'].deaths)} who relapsed and died before 24 months); "
                  f"Table 2's {len(s.facts.pfs_events)} PFS events then need the relapses of "
                  f"{_who(late)} after 24 months (or censored at relapse, as the responder PFS "
                  "figure implies).")
    return _v(ctx, cid, "discrepant", s.recomputed(),
              f"{s.intro()}, but the other figures put exactly {len(early)} PFS events "
              f"({_who(early)}) before 24 months.")


# ---------------------------------------------------------------- responders / nonresponders
def _consistent_count(ctx, cid, s: Solved, extra: str = "") -> Verdict:
    """Consistent when every sequence has as many events as Table 2 gives the group."""
    what = _n(len(s.events), "death" if s.fig.endpoint == "os" else "PFS event")
    ks = {len(q) for q in s.seqs}
    if s.seqs and ks == {len(s.events)}:
        return _v(ctx, cid, "consistent", s.recomputed(),
                  f"{s.intro()}, as many as Table 2's {what} in the group "
                  f"({_who(s.events)}){extra}.")
    # fewer events before the time point than in Table 2: the rest must come later, which
    # needs that many patients still at risk after the last event (r_k − 1, or n if none)
    late = [len(s.events) - len(q) for q in s.seqs]
    room = [(q[-1] - 1 if q else s.facts.n) for q in s.seqs]
    if s.seqs and all(0 < d <= r for d, r in zip(late, room, strict=True)):
        k = " or ".join(str(x) for x in sorted(set(late)))
        return _v(ctx, cid, "consistent", s.recomputed(),
                  f"{s.intro()}, fewer than Table 2's {what} in the group "
                  f"({_who(s.events)}), so {k} of them must fall after {s.fig.at} months, "
                  f"which the numbers still at risk allow{extra}.")
    return _v(ctx, cid, "discrepant", s.recomputed(),
              f"{s.intro()}, but Table 2 has {what} in the group "
              f"({_who(s.events)}){extra}.")


@_check(_ID + "os2y-resp-est", _ID + "os2y-resp-ci")
def _os_resp(ctx, cid):
    return _consistent_count(ctx, cid, _solved(ctx, "os2y-resp"),
                             "; nobody was censored before that death")


def _pfs_censor_conflict(ctx, cid, stem: str, os_stem: str) -> Verdict:
    """A PFS figure needing more censorings before its last event than the OS figure allows.

    Under section 2.4 a living patient without relapse is censored for PFS at the last
    follow-up, i.e. at the same time as for OS, and every PFS event precedes the death; so if
    the PFS events before 24 months belong to exactly the patients who died before 24 months,
    every patient censored for PFS before the last of those events is censored for OS before
    the last of those deaths.
    """
    s = _solved(ctx, stem)
    o = _solved(ctx, os_stem)
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
    return _v(
        ctx, cid, "discrepant", f"{s.recomputed()}; OS {seq_str(oseq)}",
        f"{s.intro()}: those of the patients who died ({_who(o.facts.deaths)}, all before 24 "
        f"months by the OS figure {o.label} = {seq_str(oseq)}), with {cens_pfs} patients "
        f"censored before the last of them; under section 2.4 they would be censored for OS "
        f"before the last death too, but the OS risk sets allow {cens_os}, so the figure "
        f"cannot hold together with the OS figure, and "
        f"Table 2's other relapses ({_who(later)}) would all fall after 24 months — it fits "
        f"only if those relapsed patients, who received further treatment, were censored at "
        f"relapse instead of counted as events.")


@_check(_ID + "pfs2y-resp-est", _ID + "pfs2y-resp-ci")
def _pfs_resp(ctx, cid):
    return _pfs_censor_conflict(ctx, cid, "pfs2y-resp", "os2y-resp")


@_check(_ID + "os2y-nonresp-est")
def _os_nonresp_2y(ctx, cid):
    s = _solved(ctx, "os2y-nonresp")
    six = _solved(ctx, "os6m-nonresp")
    all_dead = _nonresponders_all_dead(ctx)
    ok = all_dead and all(q[-1] == 1 for q in s.seqs) and bool(s.seqs)
    status = "consistent" if ok else "discrepant"
    return _v(ctx, cid, status, "0% once the last nonresponder has died",
              f"Table 2: {len(s.facts.deaths)} of {s.facts.n} nonresponders died "
              f"({_who(s.facts.deaths)}), so the curve reaches 0% at the last death (at risk 1); "
              f"the 6-month figure {six.label} = {seq_str(six.unique or ())} leaves one alive at "
              "6 months, whose death before 24 months (within 1 year, as 3.4 says) is not "
              "dated.")


@_check(_ID + "pfs2y-nonresp-est")
def _pfs_nonresp_2y(ctx, cid):
    s = _solved(ctx, "pfs2y-nonresp")
    ok = set(s.facts.pfs_events) == set(s.facts.patients) and bool(s.seqs)
    status = "consistent" if ok else "discrepant"
    return _v(ctx, cid, status, "0% after the last nonresponder's first BM assessment",
              f"Every one of the {s.facts.n} nonresponders ({_who(s.facts.patients)}) has a PFS "
              "event (nonresponse, dated at the first BM assessment by section 2.4, before "
              "their deaths), so the PFS curve reaches 0% at the last of them, before 24 months; "
              "the dates are not published.")


@_check(_ID + "os6m-nonresp-est", _ID + "os6m-nonresp-ci")
def _os_nonresp_6m(ctx, cid):
    s = _solved(ctx, "os6m-nonresp")
    ks = {len(q) for q in s.seqs}
    ok = bool(s.seqs) and max(ks) <= len(s.facts.deaths)
    status = "consistent" if ok else "discrepant"
    return _v(ctx, cid, status, s.recomputed(),
              f"{s.intro()} with nobody censored, which Table 2 allows: all "
              f"{len(s.facts.deaths)} nonresponders died ({_who(s.facts.deaths)}), the last "
              "one after 6 months.")


@_check(_ID + "os-nonresp-died-1y")
def _nonresp_died_1y(ctx, cid):
    six = _solved(ctx, "os6m-nonresp")
    nr = six.facts
    k = len(six.unique or ())
    ok = _nonresponders_all_dead(ctx)
    return _v(ctx, cid, "consistent" if ok else "discrepant",
              f"{len(nr.deaths)}/{nr.n} died; {k} before 6 months",
              f"Table 2: all {nr.n} nonresponders died ({_who(nr.deaths)}), {k} of them before 6 "
              f"months by the 6-month figure {six.label} = {seq_str(six.unique or ())}; the "
              "date of the last death is not published, so 'within 1 year' is feasible but not "
              "checkable.")


# ---------------------------------------------------------------- with / without further treatment
@_check(_ID + "os2y-further-est", _ID + "os2y-further-ci")
def _os_further(ctx, cid):
    return _consistent_count(ctx, cid, _solved(ctx, "os2y-further"))


def _nofurther_upper(ctx) -> tuple[Solved, Solved, str]:
    s = _solved(ctx, "os2y-nofurther", use_upper=False)
    full = _solved(ctx, "os2y-nofurther")
    further_up = _printed(ctx, "os2y-further")[2]
    return s, full, further_up


@_check(_ID + "os2y-nofurther-est")
def _os_nofurther_est(ctx, cid):
    s, full, further_up = _nofurther_upper(ctx)
    if full.seqs:
        return _consistent_count(ctx, cid, full)
    return _consistent_count(
        ctx, cid, s, f"; the printed upper limit {full.up} is left out, as no sequence gives it "
        "(see the CI claim)")


@_check(_ID + "os2y-nofurther-ci")
def _os_nofurther_ci(ctx, cid):
    s, full, further_up = _nofurther_upper(ctx)
    pfs_up = _printed(ctx, "pfs2y-nofurther")[2]
    if full.seqs:
        return _consistent_count(ctx, cid, full)
    shown = "; ".join(f"{seq_str(q)}: {_km(q)}" for q in s.seqs)
    copy = (", the upper limit printed for the group with further treatment"
            if full.up == further_up else "")
    return _v(ctx, cid, "discrepant", shown,
              f"No risk-set sequence of {s.facts.n} patients prints as {full.label}; the estimate "
              f"and lower limit fit only {_seqs(s.seqs)} ({shown}: 3 deaths, as Table 2's "
              f"{_who(s.facts.deaths)}), whose upper limit prints as {pfs_up} (as printed for "
              f"this group's PFS), not {full.up}{copy} — a copy error; {s.lo} arises only by "
              "double rounding (11.0948 → 11.095 → 11.10).")


@_check(_ID + "pfs2y-further-est", _ID + "pfs2y-further-ci")
def _pfs_further(ctx, cid):
    return _pfs_censor_conflict(ctx, cid, "pfs2y-further", "os2y-further")


@_check(_ID + "pfs2y-nofurther-est", _ID + "pfs2y-nofurther-ci")
def _pfs_nofurther(ctx, cid):
    return _consistent_count(ctx, cid, _solved(ctx, "pfs2y-nofurther"))


# ---------------------------------------------------------------- responders by further treatment
def _reversed(ctx, cid, stem_natural: str, stem_other: str) -> Verdict:
    """'100% vs. x%' between responders with and without further treatment.

    Natural reading: the first figure belongs to the group *with* further treatment (the
    ledger's ``-resp-further-est``).  The reversed reading gives the printed value to the other
    group; the explanation says whether that fits Table 2.
    """
    s = _solved(ctx, stem_natural)
    other = _solved(ctx, stem_other)
    ep = s.fig.endpoint.upper()
    what = "death" if s.fig.endpoint == "os" else "PFS event"
    if s.seqs and {len(q) for q in s.seqs} == {len(s.events)}:
        return _consistent_count(ctx, cid, s)
    # events the responder OS figure places before 24 months in this group
    resp = _solved(ctx, "os2y-resp")
    forced = [p for p in _facts(ctx)["responders"].deaths if p in s.facts.patients] \
        if resp.unique is not None and len(resp.unique) == len(resp.events) else []
    if not s.seqs:
        cause = f"no risk-set sequence of {s.facts.n} patients prints as {s.est}%"
        rec = "no risk-set sequence"
    else:
        cap = max_estimate(s.facts.n, max(1, len(forced)))
        how = "died" if s.fig.endpoint == "os" else "relapsed and died"
        cause = (f"Table 2 has {_n(len(s.events), what)} in the group ({_who(s.events)}), and "
                 f"patient {_who(forced)} {how} before 24 months (responder OS figure "
                 f"{resp.label} = {seq_str(resp.unique or ())}), so the estimate is at most "
                 f"({s.facts.n} − {len(forced)})/{s.facts.n} = {_pct(cap, 4)}%")
        rec = f"at most {_pct(cap, 4)}%"
    # the reversed reading: this printed value for the other group
    swapped = solve(s.est, None, None, other.facts.n)
    single = solve(s.est, None, None, other.facts.n, "single")
    k_sw = {len(q) for q in swapped}
    shown = _seqs(swapped) + (f" = {_km(swapped[0])}" if len(swapped) == 1 else "")
    if swapped and not single:
        shown += " (only under double rounding)"
    if swapped and k_sw == {len(other.events)}:
        fit = (f"fits Table 2 ({_n(len(other.events), what)}: {_who(other.events)})")
    elif swapped and len(k_sw) == 1 and k_sw.pop() < len(other.events):
        fit = (f"fits only with {_n(len(swapped[0]), what)} before 24 months of Table 2's "
               f"{len(other.events)} ({_who(other.events)}), as the responder PFS figure does")
    else:
        fit = "does not fit Table 2 either"
    return _v(ctx, cid, "discrepant", f"{rec}; reversed reading: {shown}",
              f"{ep} {s.est}% for the {s.facts.n} {_GROUP_NAMES[s.facts.name]} (natural reading "
              f"of 'with and without further treatment'): {cause}; the reversed reading, "
              f"{s.est}% for the {other.facts.n} {_GROUP_NAMES[other.facts.name]}, is risk sets "
              f"{shown} and {fit}, so the two printed values are swapped.")


@_check(_ID + "os2y-resp-further-est")
def _os_resp_further(ctx, cid):
    return _reversed(ctx, cid, "os2y-resp-further", "os2y-resp-nofurther")


@_check(_ID + "os2y-resp-nofurther-est")
def _os_resp_nofurther(ctx, cid):
    return _reversed(ctx, cid, "os2y-resp-nofurther", "os2y-resp-further")


@_check(_ID + "pfs2y-resp-further-est")
def _pfs_resp_further(ctx, cid):
    return _reversed(ctx, cid, "pfs2y-resp-further", "pfs2y-resp-nofurther")


@_check(_ID + "pfs2y-resp-nofurther-est")
def _pfs_resp_nofurther(ctx, cid):
    return _reversed(ctx, cid, "pfs2y-resp-nofurther", "pfs2y-resp-further")


# ---------------------------------------------------------------- medians
@_check(_ID + "os-all-median-undefined")
def _median_os_all(ctx, cid):
    f = _facts(ctx)["all"]
    d = len(f.deaths)
    r = math.ceil(1 / (1 - 0.5 ** (1 / d)))  # smallest r with (1 − 1/r)^d > 1/2
    cap = _pct(max_estimate(f.n, d), 2)
    return _v(ctx, cid, "consistent", f"{d} deaths among {f.n}; at most {cap}%",
              f"Table 2 has only {d} deaths among {f.n} patients: the curve reaches 50% only if "
              f"fewer than {r} were at risk at some death ((1 − 1/{r})^{d} = "
              f"{_pct(Fraction(r - 1, r) ** d, 2)}% > 50%), which no published number requires, "
              f"so 'not defined' is feasible (e.g. {cap}% with no "
              "censoring before the deaths); the times are not published.")


@_check("disc-median-os-pfs-all-undefined")
def _median_all_disc(ctx, cid):
    f = _facts(ctx)["all"]
    s = _solved(ctx, "pfs2y-all")
    seq = s.unique
    v_os = _median_os_all(ctx, cid)
    if seq is None:
        return v_os
    at24 = km_estimate_and_ci(seq)[0]
    rest = len(f.pfs_events) - len(seq)
    left = seq[-1] - 1
    ex = at24 * Fraction(left - rest, left)  # the remaining events at risk left, left-1, ...
    return _v(ctx, cid, "consistent", f"{v_os.recomputed}; PFS {_pct(at24, 2)}% at 24 months",
              f"OS: {len(f.deaths)} deaths among {f.n}, so the curve stays above 50% unless very "
              f"few are at risk; PFS: the 2-year figure's risk sets {seq_str(seq)} leave "
              f"{_pct(at24, 2)}% with {left} at risk, and Table 2's {rest} remaining PFS events "
              f"at risk {left}, {left - 1}, ... would still leave {_pct(ex, 2)}% > 50%, so both "
              "medians can be undefined; the times are not published.")


def _median_undefined(ctx, cid, stem: str) -> Verdict:
    s = _solved(ctx, stem)
    seq = s.unique
    what = "deaths" if s.fig.endpoint == "os" else "PFS events"
    if seq is None:
        return _v(ctx, cid, "unverifiable", "—", "The 2-year figure does not fix the risk sets.")
    at24 = km_estimate_and_ci(seq)[0]
    rest = len(s.events) - len(seq)
    if rest <= 0:
        return _v(ctx, cid, "consistent", f"flat at {_pct(at24, 2)}% after the last death",
                  f"The 2-year figure's risk sets {seq_str(seq)} hold all {len(s.events)} {what} "
                  f"of Table 2 in the group ({_who(s.events)}), so the curve stays at "
                  f"{_pct(at24, 2)}% > 50% and the median is undefined.")
    left = seq[-1] - 1
    ex = at24 * Fraction(left - rest, left)
    later = [p for p in s.events if p not in s.facts.deaths] \
        if len(seq) == len(s.facts.deaths) else s.events
    return _v(ctx, cid, "consistent", f"{_pct(at24, 2)}% at 24 months",
              f"The 2-year figure's risk sets {seq_str(seq)} give {_pct(at24, 2)}% with "
              f"{left} at risk; Table 2's {rest} other {what} ({_who(later)}) "
              f"at risk {left}, {left - 1}, ... would leave {_pct(ex, 2)}% > 50%, so an "
              "undefined median is feasible; the times are not published.")


@_check(_ID + "os-further-median-undefined")
def _median_os_further(ctx, cid):
    return _median_undefined(ctx, cid, "os2y-further")


@_check(_ID + "pfs-further-median-undefined")
def _median_pfs_further(ctx, cid):
    return _median_undefined(ctx, cid, "pfs2y-further")


def plateau_end_window(os_median: float, pfs_median: float, last_death: float = 12.0
                       ) -> tuple[float, float] | None:
    """Feasible end ``L`` of the 50% plateaus behind two Prism medians of the same group.

    When OS and PFS both sit at exactly 50% after their last event and the event-free patients
    are censored at their last follow-up for both (section 2.4), both plateaus end at the same
    ``L`` and Prism's medians are ``(t_os + L)/2`` and ``(t_pfs + L)/2`` (Machin et al. 2006;
    :func:`blina.survival.median_survival`).  With ``0 ≤ t_pfs ≤ t_os ≤ min(L, last_death)``:
    ``L = 2·os − t_os ∈ [max(os, 2·os − last_death), 2·pfs]``.  ``None`` if empty.
    """
    lo = max(os_median, 2 * os_median - last_death)
    hi = 2 * pfs_median
    if pfs_median > os_median:  # t_pfs <= t_os  <=>  pfs <= os
        return None
    return (lo, hi) if lo <= hi else None


def _nofurther_median(ctx, cid, stem: str) -> Verdict:
    s = _solved(ctx, stem, use_upper=stem != "os2y-nofurther")
    seq = s.unique
    printed = ctx.reported(cid)
    if seq is None:
        return _v(ctx, cid, "unverifiable", "—", "The 2-year figure does not fix the risk sets.")
    at24 = km_estimate_and_ci(seq)[0]
    survivors = tuple(p for p in s.facts.patients if p not in s.events)
    if at24 != Fraction(1, 2):
        rest = len(s.events) - len(seq)
        status = "discrepant" if at24 > Fraction(1, 2) and rest == 0 else "consistent"
        return _v(ctx, cid, status, f"{_pct(at24, 2)}% at 24 months",
                  f"The risk sets {seq_str(seq)} leave {_pct(at24, 2)}% at 24 months with "
                  f"{rest} of Table 2's events to come, so a median of {printed} months is "
                  f"{'impossible' if status == 'discrepant' else 'feasible'}.")
    os_med = float(ctx.reported(_ID + "os-nofurther-median"))
    pfs_med = float(ctx.reported(_ID + "pfs-nofurther-median"))
    window = plateau_end_window(os_med, pfs_med)
    admin = _months_between(ENROLMENT[1], "2024-04-30")
    head = (f"The risk sets {seq_str(seq)} put the curve at exactly {_pct(at24, 2)}% after the "
            f"last of Table 2's {len(seq)} events ({_who(s.events)}), with {_who(survivors)} "
            "event-free, so a median exists (Prism: midpoint of the 50% plateau; lifelines: "
            "the time of the last event)")
    if window is None:
        return _v(ctx, cid, "discrepant", "no common plateau end",
                  f"{head}, but Prism's OS median {os_med:g} and PFS median {pfs_med:g} cannot "
                  f"share the plateau end that the last follow-up of {_who(survivors)} fixes.")
    lo, hi = window
    return _v(ctx, cid, "consistent", f"plateau end L in [{lo:g}, {hi:g}] months",
              f"{head}; Prism's OS median {os_med:g} and PFS median {pfs_med:g} share the plateau "
              f"end L (last follow-up of {_who(survivors)}), and deaths within 1 year give L in "
              f"[{lo:g}, {hi:g}] months — feasible, though shorter than the {fmt(admin, 1)} "
              "months anyone enrolled by 2022-12-31 had at the cut-off, so those patients left "
              "follow-up early; the times are not published.")


@_check(_ID + "os-nofurther-median")
def _median_os_nofurther(ctx, cid):
    return _nofurther_median(ctx, cid, "os2y-nofurther")


@_check(_ID + "pfs-nofurther-median")
def _median_pfs_nofurther(ctx, cid):
    return _nofurther_median(ctx, cid, "pfs2y-nofurther")


@_check("disc-median-os-nofurther")
def _median_os_nofurther_disc(ctx, cid):
    printed = ctx.reported(cid)
    os_med = ctx.reported(_ID + "os-nofurther-median")
    pfs_med = ctx.reported(_ID + "pfs-nofurther-median")
    if printed == os_med:
        return _v(ctx, cid, "consistent", os_med, f"Same median OS as section 3.4 ({os_med}).")
    other = (f" ({printed} is the median PFS there, so the discussion most likely swapped OS "
             "for PFS)" if printed == pfs_med else "")
    return _v(ctx, cid, "discrepant", f"3.4: median OS {os_med}, PFS {pfs_med}",
              f"Section 3.4 gives the median OS without further treatment as {os_med} months, "
              f"not {printed}{other}; the two cannot both be the median OS of the same 6 "
              "patients.")


# ---------------------------------------------------------------- p-values
_NO_TIMES = "the log-rank p-value depends on the event and censoring times, which are not published"


@_check(_ID + "os-resp-p", _ID + "pfs-resp-p", _ID + "os-further-p", _ID + "pfs-further-p")
def _p_unknown(ctx, cid):
    f = _facts(ctx)
    ep = "os" if "-os-" in cid else "pfs"
    a, b = ("responders", "nonresponders") if "resp" in cid else ("further", "nofurther")
    ga, gb = f[a], f[b]
    what = "deaths" if ep == "os" else "PFS events"
    counts = (f"{len(ga.events(ep))}/{ga.n} {_GROUP_NAMES[a]} vs {len(gb.events(ep))}/{gb.n} "
              f"{_GROUP_NAMES[b]}")
    return _p_verdict(ctx, cid, counts,
                      f"Table 2 gives {what} of {counts}, but {_NO_TIMES} and the risk sets of "
                      "the 2-year figures do not fix how the two groups' events interleave.")


def _p_verdict(ctx, cid, recomputed, explanation) -> Verdict:
    table = _reconstruction(ctx)
    base = Verdict("unverifiable", recomputed, explanation)
    if table is not None and "claim_id" in getattr(table, "columns", ()):
        rows = table[table["claim_id"] == cid]
        if not rows.empty and bool(rows["met"].all()):
            r = rows.iloc[0]
            v = Verdict("consistent", f"{recomputed}; reconstructed p {r.reconstructed}",
                        f"{explanation} A RECONSTRUCTED dataset that agrees with Table 2 gives "
                        f"p {r.reconstructed}, so the printed {r.published} is feasible.")
            return v
    return _with_reconstruction(ctx, cid, base)


def _single_death_logrank(ctx, groups: dict[str, tuple[int, ...]], dead: int) -> tuple:
    """Log-rank of one death with everybody of ``groups`` at risk (blina.survival.logrank)."""
    from blina.survival import logrank

    pids = [p for ids in groups.values() for p in ids]
    labels = [k for k, ids in groups.items() for _ in ids]
    t = [1.0 if p == dead else 2.0 for p in pids]
    e = [p == dead for p in pids]
    return logrank(t, e, labels)


@_check(_ID + "os-resp-further-p")
def _p_os_resp_further(ctx, cid):
    f = _facts(ctx)
    resp = _solved(ctx, "os2y-resp")
    seq = resp.unique
    printed = ctx.reported(cid)
    if seq is None or len(f["responders"].deaths) != 1 or seq[0] != f["responders"].n:
        return _p_verdict(ctx, cid, "—", f"Table 2: {_NO_TIMES}.")
    dead = f["responders"].deaths[0]
    res = _single_death_logrank(ctx, {"further": f["resp_further"].patients,
                                      "none": f["resp_nofurther"].patients}, dead)
    status = "consistent" if shown_as(res.p, printed) or shown_as_double(res.p, printed) \
        else "discrepant"
    return _v(ctx, cid, status, f"chi2 {res.statistic:.4f}, p = {res.p:.4f}",
              f"The responder OS figure {resp.label} = {seq_str(seq)} puts the only responder "
              f"death (patient {dead}, with further treatment) at {seq[0]} at risk, i.e. "
              f"{f['resp_further'].n} vs {f['resp_nofurther'].n} at risk, so the log-rank "
              f"statistic is ({f['resp_nofurther'].n}/{seq[0]})² / ({f['resp_further'].n}·"
              f"{f['resp_nofurther'].n}/{seq[0]}²) = {res.statistic:.4f}, p = {res.p:.4f}, "
              f"printed {printed}.")


@_check(_ID + "pfs-resp-further-p")
def _p_pfs_resp_further(ctx, cid):
    f = _facts(ctx)
    printed = ctx.reported(cid)
    resp = _solved(ctx, "pfs2y-resp")
    # reversed reading of '100% vs. 94.74%': the printed non-100 value is the further group's
    rf = [q for q in solve(ctx.reported(_ID + "pfs2y-resp-nofurther-est"), None, None,
                           f["resp_further"].n)]
    if resp.unique is None or len(rf) != 1 or len(rf[0]) != 1:
        return _p_verdict(ctx, cid, "—", f"Table 2: {_NO_TIMES}.")
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
        f"({_who(f['responders'].relapses)}) enter with unpublished times, so {_NO_TIMES}; "
        f"under the reading the PFS figures need (relapsed patients censored, one event, patient "
        f"{first}, at {r_f} vs {r_n} at risk: responder figure {resp.label} = "
        f"{seq_str(resp.unique)} and 94.74% = {seq_str(rf[0])}) the statistic is "
        f"({r_n}/{r_all})²/({r_f}·{r_n}/{r_all}²) = {stat:.4f}, p = {p:.4f}, which prints as "
        f"{fmt(p, 3)}, not {printed}.")


# ---------------------------------------------------------------- statements
@_check("abs-os-pfs-further-better", "disc-os-pfs-further-better")
def _further_better(ctx, cid):
    os_f, os_n = _solved(ctx, "os2y-further"), _solved(ctx, "os2y-nofurther", use_upper=False)
    pf, pn = _printed(ctx, "pfs2y-further")[0], _printed(ctx, "pfs2y-nofurther")[0]
    p_os, p_pfs = ctx.reported(_ID + "os-further-p"), ctx.reported(_ID + "pfs-further-p")
    rec = (f"OS {_km(os_f.unique)} vs {_km(os_n.unique)}" if os_f.unique and os_n.unique
           else "—")
    return _p_verdict(
        ctx, cid, rec,
        f"The 2-year estimates point the claimed way (OS {os_f.est}% vs {os_n.est}%, risk sets "
        f"{_seqs(os_f.seqs)} and {_seqs(os_n.seqs)} matching Table 2's "
        f"{len(os_f.facts.deaths)}/{os_f.facts.n} and {len(os_n.facts.deaths)}/{os_n.facts.n} "
        f"deaths; PFS {pf}% vs {pn}%), but 'significantly' rests on p = {p_os} and {p_pfs}, and "
        f"{_NO_TIMES}.")


def _therapy_nodiff(ctx, cid, levels: tuple[str, ...]):
    g = add_groups(ctx.cohort)
    resp = _solved(ctx, "os2y-resp")
    sub = g[g["responder"] & g["therapy_type"].isin(levels)]
    groups = {lv: tuple(int(p) for p in sub.loc[sub["therapy_type"] == lv, "patient"])
              for lv in levels}
    dead = [int(p) for p in sub.loc[sub["os_event"], "patient"]]
    sizes = ", ".join(f"{k} {len(v)}" for k, v in groups.items())
    if resp.unique is None or len(resp.unique) != 1 or resp.unique[0] != resp.facts.n \
            or len(dead) != 1:
        return _p_verdict(ctx, cid, "—", f"{_NO_TIMES}.")
    res = _single_death_logrank(ctx, groups, dead[0])
    rel = {lv: [int(p) for p in sub.loc[(sub["therapy_type"] == lv)
                                         & sub["relapse"].fillna(False).astype(bool), "patient"]]
           for lv in levels}
    rel_s = "; ".join(f"{k} {_who(v)}" for k, v in rel.items() if v)
    status = "consistent" if res.p >= 0.05 else "discrepant"
    return _v(ctx, cid, status, f"OS chi2 {res.statistic:.3f}, df {res.df}, p = {res.p:.3f}",
              f"OS: the responder figure {resp.label} = {seq_str(resp.unique)} puts the only "
              f"death (patient {dead[0]}) with everyone at risk ({sizes}), so the log-rank test "
              f"gives chi2 {res.statistic:.3f} on {res.df} df, p = {res.p:.3f} (no difference); "
              f"PFS: the relapses ({rel_s}) are undated, so its p-value cannot be recomputed, "
              "though no difference is feasible.")


@_check(_ID + "os-pfs-therapy-nodiff")
def _therapy_nodiff_34(ctx, cid):
    return _therapy_nodiff(ctx, cid, ("chemotherapy", "CAR-T", "HSCT", "blinatumomab"))


@_check("disc-os-pfs-therapy-nodiff")
def _therapy_nodiff_disc(ctx, cid):
    return _therapy_nodiff(ctx, cid, ("chemotherapy", "CAR-T", "HSCT"))


# ---------------------------------------------------------------- follow-up
#: enrolment window (2.1, 3.1) and the data cut-off (3.4)
ENROLMENT = ("2021-01-01", "2022-12-31")
DAYS_PER_MONTH = 365.25 / 12


def _months_between(a: str, b: str) -> float:
    return (pd.Timestamp(b) - pd.Timestamp(a)).days / DAYS_PER_MONTH


@_check(_ID + "followup-cutoff")
def _followup_cutoff(ctx, cid):
    lo, hi = parse_numbers(ctx.reported(_ID + "followup-range"))
    cutoff = pd.Timestamp("2024-04-30")
    start = cutoff - pd.Timedelta(days=round(float(hi) * DAYS_PER_MONTH))
    ok = pd.Timestamp(ENROLMENT[0]) <= start <= pd.Timestamp(ENROLMENT[1])
    return _v(ctx, cid, "consistent" if ok else "discrepant",
              f"longest follow-up {hi} months -> start {start.date()}",
              f"The longest follow-up, {hi} months, ending on 2024-04-30 starts on "
              f"{start.date()}, {'inside' if ok else 'outside'} the enrolment years 2021–2022; "
              "the cut-off date itself is not otherwise published.")


@_check(_ID + "followup-median")
def _followup_median(ctx, cid):
    f = _facts(ctx)["all"]
    alive = f.n - len(f.deaths)
    lo = _months_between(ENROLMENT[1], "2024-04-30")
    hi = parse_numbers(ctx.reported(_ID + "followup-range"))[1]
    med = float(ctx.reported(cid))
    ok = lo <= med <= float(hi)
    return _v(ctx, cid, "consistent" if ok else "unverifiable",
              f"{alive}/{f.n} alive; survivors followed {fmt(lo, 1)}–{hi} months if censored at "
              "the cut-off",
              f"The {alive} of {f.n} patients alive (Table 2), if followed to the cut-off, were "
              f"followed {fmt(lo, 1)} (enrolled 2022-12-31) to {hi} months, so the median of all "
              f"{f.n} observation times lies in that range and {ctx.reported(cid)} is feasible; "
              "the times (and whether the median is a simple or reverse-KM one) are not "
              "published.")


@_check(_ID + "followup-range")
def _followup_range(ctx, cid):
    lo, hi = parse_numbers(ctx.reported(cid))
    longest = _months_between(ENROLMENT[0], "2024-04-30")
    six = _solved(ctx, "os6m-nonresp")
    ok = float(hi) <= longest
    return _v(ctx, cid, "consistent" if ok else "discrepant",
              f"longest possible {fmt(longest, 1)} months",
              f"{hi} months is within the longest follow-up possible (enrolment from 2021-01-01 "
              f"to the cut-off: {fmt(longest, 1)} months) and {lo} month fits the early deaths "
              f"(4 nonresponders died before 6 months, risk sets {seq_str(six.unique or ())}); "
              "the individual times are not published.")
