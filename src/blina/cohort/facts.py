"""The numbers the chapters' prose quotes, computed from the data (for myst-nb ``glue``).

A chapter calls one function here and glues the result (:func:`blina.display.glue_all`); its
text then writes ``{glue:text}`key``` wherever it quotes one of the numbers, so a change in the
data can never leave the text behind.  Every value is already formatted for display
(:mod:`blina.display`: half-up rounding, lists written as prose); keys are stable names.
"""

from __future__ import annotations

import pandas as pd

from blina.cohort import schedule
from blina.cohort.groups import add_groups
from blina.cohort.response import high_burden, relapse_table, response_rates
from blina.cohort.safety import HEMATOLOGIC, ae_table, hematologic_summary
from blina.display import interval, listing, number, percent

__all__ = ["conclusion_facts", "discussion_facts", "response_facts", "safety_facts",
           "schedule_facts"]


def _ids(df: pd.DataFrame, mask) -> list[int]:
    return [int(p) for p in df.loc[mask, "patient"]]


def _rate(key: str, k: int, n: int, lower: float, upper: float) -> dict[str, object]:
    """``<key>-n``, ``-N``, ``-pct`` (one decimal), ``-ci`` and the limits to whole percent."""
    return {f"{key}-n": k, f"{key}-N": n, f"{key}-pct": percent(k, n),
            f"{key}-ci": interval(lower, upper), f"{key}-low": number(lower, 0),
            f"{key}-high": number(upper, 0)}


def _nonresponder_facts(g: pd.DataFrame) -> dict[str, object]:
    non = ~g["responder"]
    high = high_burden(g)
    very_high = non & (g["bm_blast_pct"] > 80)
    low = non & ~high
    cart = non & g["followup_therapy"].astype(str).str.startswith("CART")
    nothing = non & ~g["further_treatment"]
    first_low = _ids(g, low)[0] if low.any() else None
    return {
        "nonresp-n": int(non.sum()), "nonresp-pct-all": percent(int(non.sum()), len(g)),
        "nonresp-over-80": int(very_high.sum()),
        "nonresp-low-patient": first_low if first_low is not None else "none",
        "nonresp-low-blasts": number(float(g.loc[g["patient"] == first_low, "bm_blast_pct"]
                                           .iloc[0]), 0) if first_low is not None else "—",
        "high-n": int(high.sum()), "high-nonresp": int((non & high).sum()),
        "high-nonresp-pct": percent(int((non & high).sum()), int(high.sum())),
        "nonresp-over-high-pct": percent(int(non.sum()), int(high.sum())),
        "high-nonresp-ids": listing(_ids(g, non & high)),
        "nonresp-cart-ids": listing(_ids(g, cart)),
        "nonresp-nothing-ids": listing(_ids(g, nothing)),
        "nonresp-died": int((non & g["os_event"]).sum()),
    }


def _relapse_facts(g: pd.DataFrame) -> dict[str, object]:
    table = relapse_table(g).set_index("group")
    out = {}
    for key, group in (("relapse-chemo", "chemotherapy"), ("relapse-cart", "CAR-T"),
                       ("relapse-hsct", "HSCT")):
        row = table.loc[group] if group in table.index else None
        out[f"{key}-n"] = int(row["n"]) if row is not None else 0
        ids = str(row["patients"]).split(", ") if row is not None and row["patients"] else []
        out[f"{key}-ids"] = listing(ids)
    for key, group in (("relapse-further", "with further treatment"),
                       ("relapse-all", "all responders")):
        row = table.loc[group]
        out.update(_rate(key, int(row["n"]), int(row["N"]), row["lower"], row["upper"]))
    return out


def response_facts(df: pd.DataFrame) -> dict[str, object]:
    """The numbers of the response chapter's prose (section 3.2 and Table 2).

    Counts of deaths, third relapses, responders with and without further treatment (and who
    they are), the nonresponders by burden and what followed for them, the relapses by
    therapy and among responders with further treatment and among all responders.
    """
    g = add_groups(df)
    resp = g["responder"]
    overall = response_rates(g).set_index("outcome")
    cr = overall.loc["composite CR"]
    return {
        "n": len(g), "deaths": int(g["os_event"].sum()),
        "third-relapse": int((g["disease_status"].astype(str) == "3R").sum()),
        "third-relapse-responders": int(((g["disease_status"].astype(str) == "3R")
                                         & resp).sum()),
        "responders": int(resp.sum()),
        "responders-further": int((resp & g["further_treatment"]).sum()),
        "responders-nofurther": int((resp & ~g["further_treatment"]).sum()),
        "responders-nofurther-ids": listing(_ids(g, resp & ~g["further_treatment"])),
        **_rate("ccr", int(cr["n"]), int(cr["N"]), cr["lower"], cr["upper"]),
        **_nonresponder_facts(g), **_relapse_facts(g),
    }


def safety_facts(ae: pd.DataFrame, n: int) -> dict[str, object]:
    """The numbers of the toxicity chapter's prose (section 3.3 and Table 3).

    For each event of Table 3 its counts (``<event>-any``, ``<event>-severe``, the event
    lower-cased with hyphens, e.g. ``cytokine-release-syndrome-any``); the events never seen
    (``unseen-n``, ``unseen``); the hematologic counts, their sum and the Fréchet bounds on
    patients with any of them, at any grade and at grade ≥ 3 (``heme-…``, ``severe-heme-…``);
    the percentages of 25 and 26 of ``n`` (``pct-25``, ``pct-26``).
    """
    table = ae_table(ae, n)
    heme = hematologic_summary(ae, n)
    out: dict[str, object] = {"n": n}
    for row in table.itertuples():
        key = str(row.event).lower().replace(" ", "-")
        out[f"{key}-any"], out[f"{key}-severe"] = int(row.any_grade), int(row.grade_3_plus)
    unseen = table.loc[table["any_grade"] == 0, "event"].str.lower().tolist()
    out.update({"unseen-n": len(unseen), "unseen": listing(unseen)})
    for prefix, col, bounds in (("heme", "any_grade", heme.any_grade_bounds),
                                ("severe-heme", "grade_3_plus", heme.grade_3_plus_bounds)):
        counts = heme.table.set_index("event")[col]
        out.update({f"{prefix}-counts": listing(int(counts[e]) for e in HEMATOLOGIC),
                    f"{prefix}-sum": int(counts.sum()), f"{prefix}-min": bounds[0],
                    f"{prefix}-max": bounds[1],
                    f"{prefix}-min-pct": percent(bounds[0], n)})
    out.update({"over-half": n // 2 + 1, "pct-25": percent(25, n), "pct-26": percent(26, n)})
    return out


def schedule_facts() -> dict[str, object]:
    """The numbers of the background chapter's prose: the two schedules side by side.

    Step-up and full-dose days of the standard cycle 1 and of the short course (shortest and
    longest), the total doses (µg) and the short course's totals as percentages of the
    standard cycle's; the first day of the standard cycle whose cumulative dose reaches the
    longest short course, the dose by then and the day the longest short course ends; the
    full-dose days a short step-up needs to reach the standard total, exactly and whole.
    """
    standard = schedule.standard_cycle1()
    total = schedule.cumulative_dose(standard)
    shortest, longest = (schedule.short_course(f) for f in schedule.PAPER_FULL_DOSE_DAYS)
    low, high = (schedule.cumulative_dose(s) for s in (shortest, longest))
    curve = schedule.cumulative_curve(standard)
    overtaken = curve.loc[curve["cumulative_ug"] >= high].iloc[0]
    step_up = schedule.SHORT_ESCALATION_DAYS * schedule.LOW_DOSE_UG
    needed = (total - step_up) / schedule.FULL_DOSE_UG
    short_of, over = int(needed), int(needed) + 1
    dose = {d: schedule.cumulative_dose(schedule.infusion_schedule(
        schedule.SHORT_ESCALATION_DAYS, d)) for d in (short_of, over)}
    return {
        "standard-low-days": int((standard["dose_ug_per_day"] == schedule.LOW_DOSE_UG).sum()),
        "standard-full-days": int((standard["dose_ug_per_day"] == schedule.FULL_DOSE_UG).sum()),
        "short-low-days": schedule.SHORT_ESCALATION_DAYS,
        "short-full-min": schedule.PAPER_FULL_DOSE_DAYS[0],
        "short-full-max": schedule.PAPER_FULL_DOSE_DAYS[1],
        "standard-total": number(total), "short-total-min": number(low),
        "short-total-max": number(high), "short-pct-min": percent(low, total, 0),
        "short-pct-max": percent(high, total, 0), "overtaken-day": int(overtaken["day"]),
        "overtaken-dose": number(overtaken["cumulative_ug"]),
        "longest-ends": len(longest), "step-up-dose": number(step_up),
        "needed-days": number(needed, 1), "short-of-days": short_of, "over-days": over,
        "short-of-dose": number(dose[short_of]), "over-dose": number(dose[over]),
    }


def discussion_facts(df: pd.DataFrame, table: pd.DataFrame) -> dict[str, object]:
    """The numbers of the discussion chapter's prose: the comparator table ``table``
    (:func:`blina.cohort.comparators.comparison_table`) and the index study's own counts.

    Studies beside the index study and those without an interval; composite CR and CR alone
    with their exact intervals; patients with fewer than 10% blasts (and how many of them did
    not respond); MRD negativity over all patients and over responders; the patients without
    further treatment, split into nonresponders and responders.
    """
    g = add_groups(df)
    rates = response_rates(g).set_index("outcome")
    low = g["bm_blast_pct"] < 10
    nofurther = ~g["further_treatment"]
    mrd, resp = int(g["mrd_negative"].sum()), int(g["responder"].sum())
    out = {"n": len(g), "others": int((~table["index_study"]).sum()),
           "no-interval": int(table["lower"].isna().sum()),
           "low-blasts": int(low.sum()), "low-blasts-nonresp": int((low & ~g["responder"]).sum()),
           "mrd-n": mrd, "mrd-pct": percent(mrd, len(g)), "responders": resp,
           "mrd-of-resp-pct": percent(mrd, resp),
           "nofurther": int(nofurther.sum()),
           "nofurther-nonresp": int((nofurther & ~g["responder"]).sum()),
           "nofurther-resp": int((nofurther & g["responder"]).sum())}
    for key, outcome in (("ccr", "composite CR"), ("cr", "CR")):
        r = rates.loc[outcome]
        out.update(_rate(key, int(r["n"]), int(r["N"]), r["lower"], r["upper"]))
    return out


def conclusion_facts(df: pd.DataFrame, ae: pd.DataFrame) -> dict[str, object]:
    """The numbers the conclusions chapter repeats: responders, course length (infusion days
    of the shortest and longest short course), neurological events and CRS (any grade and
    grade ≥ 3), further therapy, MRD negativity (of all and of responders), deaths."""
    g = add_groups(df)
    events = ae_table(ae, len(g)).set_index("event")
    days = [len(schedule.short_course(f)) for f in schedule.PAPER_FULL_DOSE_DAYS]
    mrd, resp = int(g["mrd_negative"].sum()), int(g["responder"].sum())
    return {"n": len(g), "ccr-n": resp, "days-min": min(days), "days-max": max(days),
            "neuro": "no" if not events.loc["Neurologic event", "any_grade"]
            else int(events.loc["Neurologic event", "any_grade"]),
            "crs": int(events.loc["Cytokine release syndrome", "any_grade"]),
            "crs-severe": int(events.loc["Cytokine release syndrome", "grade_3_plus"]),
            "further": int(g["further_treatment"].sum()), "mrd": mrd,
            "mrd-of-resp": percent(mrd, resp, 0), "deaths": int(g["os_event"].sum())}
