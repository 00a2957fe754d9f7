"""Checks of the printed follow-up: cut-off, median and range (section 3.4).
"""

from __future__ import annotations

import datetime as dt

from blina.audit.checks.risk_sets import (
    seq_str,
    solved,
    verdict,
)
from blina.audit.engine import CheckTable
from blina.cohort.figures import SECTION_ID
from blina.stats.rounding import fmt, parse_numbers
from blina.study import CUTOFF, DAYS_PER_MONTH, ENROLMENT, months_between

CHECKS = CheckTable()
_ID = SECTION_ID


def _six_month_deaths(ctx) -> str:
    six = solved(ctx, "os6m-nonresp")
    k = len(six.unique or ())
    return f"{k} nonresponders died before 6 months, risk sets {seq_str(six.unique or ())}"


@CHECKS.check(_ID + "followup-cutoff")
def _followup_cutoff(ctx, cid):
    _, hi = parse_numbers(ctx.reported(_ID + "followup-range"))
    start = CUTOFF - dt.timedelta(days=round(float(hi) * float(DAYS_PER_MONTH)))
    ok = ENROLMENT[0] <= start <= ENROLMENT[1]
    years = f"{ENROLMENT[0].year}–{ENROLMENT[1].year}"
    return verdict(ctx, cid, "consistent" if ok else "discrepant",
                   f"longest follow-up {hi} months -> start {start}",
                   f"The longest follow-up, {hi} months, ending on {CUTOFF} starts on {start}, "
                   f"{'inside' if ok else 'outside'} the enrolment years {years}; the cut-off "
                   "date itself is not otherwise published.")


@CHECKS.check(_ID + "followup-median")
def _followup_median(ctx, cid):
    f = ctx.group_facts["all"]
    alive = f.n - len(f.deaths)
    lo = months_between(ENROLMENT[1], CUTOFF)
    hi = parse_numbers(ctx.reported(_ID + "followup-range"))[1]
    med = float(ctx.reported(cid))
    ok = lo <= med <= float(hi)
    return verdict(ctx, cid, "consistent" if ok else "unverifiable",
                   f"{alive}/{f.n} alive; survivors followed {fmt(lo, 1)}–{hi} months if "
                   "censored at the cut-off",
                   f"The {alive} of {f.n} patients alive (Table 2), if followed to the cut-off, "
                   f"were followed {fmt(lo, 1)} (enrolled {ENROLMENT[1]}) to {hi} months, so the "
                   f"median of all {f.n} observation times lies in that range and "
                   f"{ctx.reported(cid)} is feasible; the times (and whether the median is a "
                   "simple or reverse-KM one) are not published.")


@CHECKS.check(_ID + "followup-range")
def _followup_range(ctx, cid):
    lo, hi = parse_numbers(ctx.reported(cid))
    longest = months_between(ENROLMENT[0], CUTOFF)
    ok = float(hi) <= longest
    return verdict(ctx, cid, "consistent" if ok else "discrepant",
                   f"longest possible {fmt(longest, 1)} months",
                   f"{hi} months is within the longest follow-up possible (enrolment from "
                   f"{ENROLMENT[0]} to the cut-off: {fmt(longest, 1)} months) and {lo} month fits "
                   f"the early deaths ({_six_month_deaths(ctx)}); the individual times are not "
                   "published.")
