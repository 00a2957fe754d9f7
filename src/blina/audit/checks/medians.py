"""Checks of the printed medians (section 3.4 and the discussion).

Two median conventions differ on a flat stretch at exactly 50%: GraphPad Prism reports the
midpoint of the stretch, lifelines the first time S ≤ 0.5 (:mod:`blina.stats.summaries`).
"""

from __future__ import annotations

import math
from fractions import Fraction

from blina.audit.checks.risk_sets import (
    pct_text,
    seq_str,
    solved,
    verdict,
    who_ids,
)
from blina.audit.engine import CheckTable, Verdict
from blina.cohort.figures import SECTION_ID
from blina.inverse_km import max_estimate
from blina.stats.km import km_estimate_and_ci
from blina.stats.rounding import fmt
from blina.study import CUTOFF, ENROLMENT, NONRESPONDERS_DIED_WITHIN_MONTHS, months_between

CHECKS = CheckTable()
_ID = SECTION_ID


# ---------------------------------------------------------------- medians
@CHECKS.check(_ID + "os-all-median-undefined")
def _median_os_all(ctx, cid):
    f = ctx.group_facts["all"]
    d = len(f.deaths)
    r = math.ceil(1 / (1 - 0.5 ** (1 / d)))  # smallest r with (1 − 1/r)^d > 1/2
    cap = pct_text(max_estimate(f.n, d), 2)
    return verdict(ctx, cid, "consistent", f"{d} deaths among {f.n}; at most {cap}%",
                   f"Table 2 has only {d} deaths among {f.n} patients: the curve reaches 50% only "
                   f"if fewer than {r} were at risk at some death ((1 − 1/{r})^{d} = "
                   f"{pct_text(Fraction(r - 1, r) ** d, 2)}% > 50%), which no published number "
                   f"requires, so 'not defined' is feasible (e.g. {cap}% with no censoring before "
                   "the deaths); the times are not published.")


@CHECKS.check("disc-median-os-pfs-all-undefined")
def _median_all_disc(ctx, cid):
    f = ctx.group_facts["all"]
    s = solved(ctx, "pfs2y-all")
    seq = s.unique
    v_os = _median_os_all(ctx, cid)
    if seq is None:
        return v_os
    at24 = km_estimate_and_ci(seq)[0]
    rest = len(f.pfs_events) - len(seq)
    left = seq[-1] - 1
    ex = at24 * Fraction(left - rest, left)  # the remaining events at risk left, left-1, ...
    return verdict(ctx, cid, "consistent",
                   f"{v_os.recomputed}; PFS {pct_text(at24, 2)}% at 24 months",
                   f"OS: {len(f.deaths)} deaths among {f.n}, so the curve stays above 50% unless "
                   f"very few are at risk; PFS: the 2-year figure's risk sets {seq_str(seq)} leave "
                   f"{pct_text(at24, 2)}% with {left} at risk, and Table 2's {rest} remaining PFS "
                   f"events at risk {left}, {left - 1}, ... would still leave {pct_text(ex, 2)}% > "
                   "50%, so both medians can be undefined; the times are not published.")


def _median_undefined(ctx, cid, stem: str) -> Verdict:
    s = solved(ctx, stem)
    seq = s.unique
    what = "deaths" if s.fig.endpoint == "os" else "PFS events"
    if seq is None:
        return verdict(ctx, cid, "unverifiable", "—",
                       "The 2-year figure does not fix the risk sets.")
    at24 = km_estimate_and_ci(seq)[0]
    rest = len(s.events) - len(seq)
    if rest <= 0:
        return verdict(ctx, cid, "consistent", f"flat at {pct_text(at24, 2)}% after the last death",
                       f"The 2-year figure's risk sets {seq_str(seq)} hold all {len(s.events)} "
                       f"{what} of Table 2 in the group ({who_ids(s.events)}), so the curve stays "
                       f"at {pct_text(at24, 2)}% > 50% and the median is undefined.")
    left = seq[-1] - 1
    ex = at24 * Fraction(left - rest, left)
    later = [p for p in s.events if p not in s.facts.deaths] \
        if len(seq) == len(s.facts.deaths) else s.events
    return verdict(ctx, cid, "consistent", f"{pct_text(at24, 2)}% at 24 months",
                   f"The 2-year figure's risk sets {seq_str(seq)} give {pct_text(at24, 2)}% with "
                   f"{left} at risk; Table 2's {rest} other {what} ({who_ids(later)}) "
                   f"at risk {left}, {left - 1}, ... would leave {pct_text(ex, 2)}% > 50%, so an "
                   "undefined median is feasible; the times are not published.")


@CHECKS.check(_ID + "os-further-median-undefined")
def _median_os_further(ctx, cid):
    return _median_undefined(ctx, cid, "os2y-further")


@CHECKS.check(_ID + "pfs-further-median-undefined")
def _median_pfs_further(ctx, cid):
    return _median_undefined(ctx, cid, "pfs2y-further")


def plateau_end_window(os_median: float, pfs_median: float,
                       last_death: float = NONRESPONDERS_DIED_WITHIN_MONTHS
                       ) -> tuple[float, float] | None:
    """Feasible common end ``L`` of the 50% plateaus behind two Prism medians of one group.

    A curve at exactly 50% after its last event ``t`` has Prism median ``(t + E)/2``, ``E`` the
    end of the curve (Machin et al. 2006; :func:`blina.stats.summaries.median_survival`).  When
    the event-free patients are censored at their last follow-up for OS and PFS alike (section
    2.4), both curves end at the same ``L``; with ``0 < t_pfs ≤ t_os ≤ min(L, last_death)``,
    ``L = 2·os − t_os ∈ [max(os, 2·os − last_death), 2·pfs]``.  ``None`` if empty.
    """
    lo = max(os_median, 2 * os_median - last_death)
    hi = 2 * pfs_median
    if pfs_median > os_median:  # t_pfs <= t_os  <=>  pfs <= os
        return None
    return (lo, hi) if lo <= hi else None


def curve_end_window(median: float, last_event: float = math.inf) -> tuple[float, float]:
    """Where a curve at exactly 50% after its last event ``t ≤ last_event`` must end for its
    Prism median ``(t + E)/2`` to be ``median``: ``E = 2·median − t``, ``t ∈ (0, min(E,
    last_event)]``, so ``E ∈ [max(median, 2·median − last_event), 2·median)``."""
    return max(median, 2 * median - last_event), 2 * median


def _median_conventions(seq, at24, s, survivors) -> str:
    return (f"The risk sets {seq_str(seq)} put the curve at exactly {pct_text(at24, 2)}% after "
            f"the last of Table 2's {len(seq)} events ({who_ids(s.events)}), with "
            f"{who_ids(survivors)} event-free. On a curve that stays at exactly 50% the two "
            "conventions differ: GraphPad Prism reports the midpoint of the flat stretch, (time "
            "of that last event + end of the curve)/2, the end being the last follow-up of "
            f"{who_ids(survivors)}; the first time with S ≤ 50% is the time of the last event "
            "itself (lifelines' own code computes S = 0.5000000000000001 there and reports no "
            "median at all)")


def _nofurther_median(ctx, cid, stem: str) -> Verdict:
    s = solved(ctx, stem, use_upper=stem != "os2y-nofurther")
    seq = s.unique
    printed = ctx.reported(cid)
    if seq is None:
        return verdict(ctx, cid, "unverifiable", "—",
                       "The 2-year figure does not fix the risk sets.")
    at24 = km_estimate_and_ci(seq)[0]
    survivors = tuple(p for p in s.facts.patients if p not in s.events)
    if at24 != Fraction(1, 2):
        rest = len(s.events) - len(seq)
        status = "discrepant" if at24 > Fraction(1, 2) and rest == 0 else "consistent"
        return verdict(ctx, cid, status, f"{pct_text(at24, 2)}% at 24 months",
                       f"The risk sets {seq_str(seq)} leave {pct_text(at24, 2)}% at 24 months with "
                       f"{rest} of Table 2's events to come, so a median of {printed} months is "
                       f"{'impossible' if status == 'discrepant' else 'feasible'}.")
    os_med = float(ctx.reported(_ID + "os-nofurther-median"))
    pfs_med = float(ctx.reported(_ID + "pfs-nofurther-median"))
    os_end = curve_end_window(os_med, NONRESPONDERS_DIED_WITHIN_MONTHS)
    pfs_end = curve_end_window(pfs_med)
    shared = plateau_end_window(os_med, pfs_med)
    admin = months_between(ENROLMENT[1], CUTOFF)
    head = _median_conventions(seq, at24, s, survivors)
    ends = (f"Prism's OS median {os_med:g} needs the OS curve to end between {os_end[0]:g} and "
            f"{os_end[1]:g} months (the last death within {NONRESPONDERS_DIED_WITHIN_MONTHS} "
            f"months), its PFS median {pfs_med:g} the PFS curve to end before {pfs_end[1]:g} "
            "months")
    if shared is None:
        return verdict(ctx, cid, "consistent", "OS and PFS curves end at different times",
                       f"{head}. {ends}; no common end fits both, so the event-free patients' "
                       "PFS was censored before their last contact (not as section 2.4 says); "
                       "the times are not published.")
    lo, hi = shared
    return verdict(ctx, cid, "consistent", f"curve ends: OS {os_end[0]:g}–{os_end[1]:g}, PFS "
                   f"< {pfs_end[1]:g}; common end {lo:g}–{hi:g} months",
                   f"{head}. {ends}. If, as section 2.4 says, event-free patients are censored "
                   f"at their last contact for OS and PFS alike, both curves end together, at "
                   f"{lo:g}–{hi:g} months, shorter than the {fmt(admin, 1)} months anyone "
                   f"enrolled by {ENROLMENT[1]} and alive had at the cut-off, so "
                   f"{who_ids(survivors)} left follow-up early; if PFS was censored at an earlier "
                   "disease assessment, the two ends differ. Either way the medians are "
                   "feasible; the times are not published.")


@CHECKS.check(_ID + "os-nofurther-median")
def _median_os_nofurther(ctx, cid):
    return _nofurther_median(ctx, cid, "os2y-nofurther")


@CHECKS.check(_ID + "pfs-nofurther-median")
def _median_pfs_nofurther(ctx, cid):
    return _nofurther_median(ctx, cid, "pfs2y-nofurther")


@CHECKS.check("disc-median-os-nofurther")
def _median_os_nofurther_disc(ctx, cid):
    printed = ctx.reported(cid)
    os_med = ctx.reported(_ID + "os-nofurther-median")
    pfs_med = ctx.reported(_ID + "pfs-nofurther-median")
    if printed == os_med:
        return verdict(ctx, cid, "consistent", os_med, f"Same median OS as section 3.4 ({os_med}).")
    other = (f" ({printed} is the median PFS there, so the discussion most likely swapped OS "
             "for PFS)" if printed == pfs_med else "")
    return verdict(ctx, cid, "discrepant", f"3.4: median OS {os_med}, PFS {pfs_med}",
                   f"Section 3.4 gives the median OS without further treatment as {os_med} months, "
                   f"not {printed}{other}; the two cannot both be the median OS of the same 6 "
                   "patients.")
