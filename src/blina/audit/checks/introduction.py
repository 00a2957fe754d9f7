"""Checks of the introduction (section 1) and the abstract's background.

These sentences report other studies' results or describe practice; nothing in this paper's
data bears on them.  Where the comparator table (:func:`blina.data.load_comparators`) holds the
cited study, the check quotes it; otherwise the verdict says which references the claim rests
on.
"""

from __future__ import annotations

from blina.audit.checks.common import comparator, unverifiable
from blina.audit.engine import CheckTable

CHECKS = CheckTable()

#: what each introduction figure describes, and its references
_CITED = {
    "intro-5y-survival-60-70": "5-year OS of adults with Ph-negative B-ALL treated on "
                               "pediatric-inspired protocols [1–4]",
    "intro-ages-40-60": "the upper age limit of those protocols [1–4]",
    "intro-longterm-survival-40-50": "long-term survival of adult ALL [5–7]",
    "intro-rr-cr-20-30": "CR rates of relapsed/refractory B-ALL after salvage chemotherapy "
                         "[8–11]",
    "intro-rr-3y-survival-6-26": "3-year OS of relapsed/refractory B-ALL [8–11]",
}


@CHECKS.check(*_CITED)
def _cited_background(ctx, cid):
    return unverifiable(
        f"A figure of the cited studies ({_CITED[cid]}), not of this one; those studies are "
        "not in the comparator table (data/comparators.csv holds blinatumomab studies), and "
        "the paper's data cannot bear on them.")


@CHECKS.check("intro-blina-vs-chemo")
def _blina_vs_chemo(ctx, cid):
    tower = comparator(ctx, "Kantarjian")
    held = ("" if tower is None else
            f" The comparator table holds the blinatumomab arm of TOWER [14] ({tower.rate_pct:g}% "
            f"{tower.endpoint}, median OS {tower.median_os_months:g} months) but the chemotherapy "
            "arm only in a free-text note, and no 6-month PFS.")
    return unverifiable("A comparison reported by the cited trials [12–14]; this single-arm "
                        "study has no chemotherapy group." + held)


@CHECKS.check("abs-cost-dose-reduction")
def _cost(ctx, cid):
    return unverifiable("A statement about prices and prescribing in China: the paper "
                        "publishes no cost, dose or prescribing data (Tables 1–3 hold none).")
