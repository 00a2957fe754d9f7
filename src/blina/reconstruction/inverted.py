"""Every published Kaplan–Meier figure beside the risk-set sequences that reproduce it.

For each figure of :func:`blina.reconstruction.targets.km_targets` (both readings of the
"100% vs. x%" pairs), the inverse Kaplan–Meier (:func:`blina.inverse_km.km_risk_sets`, under
single or double rounding) lists every sequence of numbers at risk whose estimate — and
interval, where one is printed and used — prints as published.  The table says which printed
numbers the search matched: a figure whose upper limit repeats another group's is searched on
its estimate and lower limit only (the target's ``use_upper``), so its risk sets do not
reproduce the whole printed figure.  The last column counts the group's events in Table 2 over
the whole follow-up, which the events before the time point cannot exceed.
"""

from __future__ import annotations

import pandas as pd

from blina.cohort.groups import add_groups, survival_groups
from blina.display import cell
from blina.reconstruction.targets import KMTarget, km_targets

__all__ = ["inverted_figures", "matched_on", "risk_set_facts"]


def matched_on(target: KMTarget) -> str:
    """Which printed numbers the risk sets reproduce: ``"estimate"``, ``"estimate and CI"`` or
    ``"estimate and lower limit (upper limit not used)"``."""
    if target.lower is None:
        return "estimate"
    return "estimate and CI" if target.use_upper else \
        "estimate and lower limit (upper limit not used)"


def _shown(sets: tuple[tuple[int, ...], ...], at_most: int = 3) -> str:
    if not sets:
        return "none"
    shown = "; ".join(cell(s) for s in sets[:at_most])
    return shown + (f" … ({len(sets)} in all)" if len(sets) > at_most else "")


def inverted_figures(cohort: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """One row per published figure: ``figure`` (its label), ``key``, ``n`` (group size),
    ``published`` (estimate and printed interval), ``matched on`` (:func:`matched_on`),
    ``risk sets`` (up to three, then how many), ``sequences`` (their number) and ``events in
    Table 2`` (the group's deaths, or PFS events, over the whole follow-up)."""
    patients = add_groups(cohort).set_index("patient")
    groups = survival_groups(cohort)
    rows = []
    for target in km_targets(claims):
        ids = list(groups[target.group])
        sets = target.risk_sets(len(ids))
        printed = target.estimate + (f" ({target.lower}–{target.upper})" if target.lower else "")
        rows.append({"figure": target.label, "key": target.key, "n": len(ids),
                     "published": printed, "matched on": matched_on(target),
                     "risk sets": _shown(sets), "sequences": len(sets),
                     "events in Table 2": int(patients.loc[ids, f"{target.endpoint}_event"]
                                              .sum())})
    return pd.DataFrame(rows)


def risk_set_facts(cohort: pd.DataFrame, claims: pd.DataFrame) -> dict[str, object]:
    """For the prose: ``rs-<key>``, the first risk-set sequence of each figure (``"none"``
    when there is none), ``rsn-<key>`` how many there are, and ``n-<group>`` the size of each
    group a figure refers to."""
    groups = survival_groups(cohort)
    out: dict[str, object] = {f"n-{g}": len(ids) for g, ids in groups.items()}
    for target in km_targets(claims):
        sets = target.risk_sets(len(groups[target.group]))
        out[f"rs-{target.key}"] = cell(sets[0]) if sets else "none"
        out[f"rsn-{target.key}"] = len(sets)
    return out
