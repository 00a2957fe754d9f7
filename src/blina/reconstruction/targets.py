"""The reconstruction's targets: the printed survival figures, each with a priority tier.

The figures are those of :mod:`blina.cohort.figures`, with the printed numbers of the ledger.
A tier (1 highest) orders what the solver meets first; see :mod:`blina.reconstruction.model`:

1. OS figures consistent with Table 2;
2. PFS figures;
3. figures that contradict Table 2 or tier 1: the all-patient OS and the natural reading of
   "100% vs. 95.46%" / "100% vs. 94.74%";
4. the medians and the six two-group log-rank p-values;
5. follow-up (median and range);
9. checked, not optimised (no p-value printed; the discussion's repeat of a median).

"100% vs. x%" between responders with and without further treatment (Figure 2c,d) has two
readings: *natural* (the first value for the group with further treatment) and *reversed*
(the printed values swapped between the groups); both are targets, the reversed one in the
tier of its endpoint, the natural one in tier 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from blina.cohort.figures import (
    FOLLOWUP_IDS,
    KM_FIGURES,
    LOGRANK_FIGURES,
    MEDIAN_FIGURES,
    KMFigure,
    printed_km,
    reported,
)
from blina.stats.rounding import decimals_of, parse_numbers

__all__ = [
    "KMTarget",
    "LogRankTarget",
    "MedianTarget",
    "followup_targets",
    "km_targets",
    "logrank_targets",
    "median_targets",
    "risk_sets",
]

#: tier of each figure's natural reading (see the module docstring)
_KM_TIERS = {"os2y-all": 3, "pfs2y-all": 2, "os2y-resp": 1, "pfs2y-resp": 2,
             "os2y-nonresp": 1, "pfs2y-nonresp": 2, "os6m-nonresp": 1, "os2y-further": 1,
             "os2y-nofurther": 1, "pfs2y-further": 2, "pfs2y-nofurther": 2,
             "os2y-resp-further": 3, "os2y-resp-nofurther": 3, "pfs2y-resp-further": 3,
             "pfs2y-resp-nofurther": 3}
#: the "100% vs. x%" pairs, (with further treatment, without), and the tier of the reversed
#: reading
_PAIRS = {("os2y-resp-further", "os2y-resp-nofurther"): 1,
          ("pfs2y-resp-further", "pfs2y-resp-nofurther"): 2}
#: figures whose printed upper limit is left out (it repeats the further group's)
_WITHOUT_UPPER = {"os2y-nofurther": "os2y-further"}
#: tiers of the p-values and medians that are checked but not optimised
_CHECKED_ONLY = {"p-os-therapy", "p-pfs-therapy", "median-os-nofurther-disc"}


@dataclass(frozen=True)
class KMTarget:
    """A printed Kaplan–Meier estimate (and CI) of one group at one time, as a target."""

    key: str
    claim_ids: tuple[str, ...]
    endpoint: str
    group: str
    at: float
    estimate: str
    lower: str | None = None
    upper: str | None = None
    tier: int = 1
    reading: str = ""
    use_upper: bool = True
    note: str = ""

    @property
    def label(self) -> str:
        rd = f", {self.reading} reading" if self.reading else ""
        return f"{self.endpoint.upper()} at {self.at:g} months, {self.group}{rd}"

    def risk_sets(self, n: int) -> tuple[tuple[int, ...], ...]:
        """The risk-set sequences (inverse Kaplan–Meier) matching the printed numbers, under
        single or double rounding (union, sorted); ``n`` is the group size."""
        return risk_sets(self.estimate, self.lower, self.upper if self.use_upper else None, n)


@cache
def risk_sets(est: str, lo: str | None, up: str | None, n: int) -> tuple[tuple[int, ...], ...]:
    """Every risk-set sequence of ``n`` patients printing as ``est (lo–up)`` under single or
    double rounding (:func:`blina.inverse_km.km_risk_sets`), sorted by events then descending."""
    from blina.inverse_km import km_risk_sets

    decs = tuple(decimals_of(x) if x is not None else 0 for x in (est, lo, up))
    found: set[tuple[int, ...]] = set()
    for rounding in ("single", "double"):
        res = km_risk_sets(est, lo, up, n, decimals=decs, rounding=rounding, limit=10_000)
        if not res.exhaustive:
            raise ValueError(f"too many risk-set sequences for {est} ({lo}–{up}), n={n}")
        found.update(res)
    return tuple(sorted(found, key=lambda s: (len(s), [-r for r in s])))


def _key(fig: KMFigure, reversed_: bool = False) -> str:
    """``os2y-all`` -> ``os24-all``; ``os6m-nonresp`` -> ``os6-nonresp``; ``-rev`` if reversed."""
    key = fig.stem.replace("2y", "24").replace("6m", "6")
    return key + "-rev" if reversed_ else key


def _natural(claims: pd.DataFrame, fig: KMFigure) -> KMTarget:
    p = printed_km(claims, fig)
    ids = (fig.estimate_id,) + ((fig.ci_id,) if p.lower is not None else ()) + fig.also
    note, reading = "", ""
    if fig.stem in _WITHOUT_UPPER:
        note = (f"upper limit {p.upper} repeats the "
                f"{KM_FIGURES[_WITHOUT_UPPER[fig.stem]].group} group's; not used as a constraint")
    if any(fig.stem in pair for pair in _PAIRS):
        reading = "natural"
    return KMTarget(_key(fig), ids, fig.endpoint, fig.group, fig.at, p.estimate, p.lower,
                    p.upper, _KM_TIERS[fig.stem], reading, fig.stem not in _WITHOUT_UPPER, note)


def _reversed(claims: pd.DataFrame, fig: KMFigure, partner: KMFigure, tier: int) -> KMTarget:
    return KMTarget(_key(fig, True), (fig.estimate_id,), fig.endpoint, fig.group, fig.at,
                    printed_km(claims, partner).estimate, tier=tier, reading="reversed")


def km_targets(claims: pd.DataFrame) -> tuple[KMTarget, ...]:
    """Every Kaplan–Meier target in registry order; each "100% vs. x%" pair is followed by
    its reversed reading."""
    out = []
    for fig in KM_FIGURES.values():
        out.append(_natural(claims, fig))
        for (a, b), tier in _PAIRS.items():
            if fig.stem == b:
                fa, fb = KM_FIGURES[a], KM_FIGURES[b]
                out += [_reversed(claims, fa, fb, tier), _reversed(claims, fb, fa, tier)]
    return tuple(out)


@dataclass(frozen=True)
class LogRankTarget:
    """A printed log-rank p-value ("<0.0001", "0.0129", or "no difference": p ≥ 0.05)."""

    key: str
    claim_id: str
    endpoint: str
    population: str
    by: str
    published: str
    tier: int = 4
    note: str = ""

    @property
    def label(self) -> str:
        return f"log-rank {self.endpoint.upper()}, {self.population} by {self.by}"


def logrank_targets(claims: pd.DataFrame) -> tuple[LogRankTarget, ...]:
    """Every log-rank target in registry order; "no differences" becomes "no difference"."""
    out = []
    for f in LOGRANK_FIGURES.values():
        printed = reported(claims, f.claim_id)
        checked = f.key in _CHECKED_ONLY
        published = "no difference" if printed.startswith("no difference") else printed
        note = "no p-value printed; read as p ≥ 0.05 (checked, not optimised)" if checked else ""
        out.append(LogRankTarget(f.key, f.claim_id, f.endpoint, f.population, f.by, published,
                                 9 if checked else 4, note))
    return tuple(out)


@dataclass(frozen=True)
class MedianTarget:
    """A printed median (months) or ``"undefined"``; ``plateau`` is the key of the
    :class:`KMTarget` whose risk sets put the curve at exactly 50% after the last event."""

    key: str
    claim_ids: tuple[str, ...]
    endpoint: str
    group: str
    published: str
    tier: int = 4
    plateau: str | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return f"median {self.endpoint.upper()}, {self.group}"


def median_targets(claims: pd.DataFrame) -> tuple[MedianTarget, ...]:
    """Every median target in registry order ("not defined" reads as "undefined")."""
    out = []
    for f in MEDIAN_FIGURES.values():
        printed = reported(claims, f.claim_ids[0])
        published = "undefined" if printed in ("undefined", "not defined") else printed
        checked = f.key in _CHECKED_ONLY
        note = "a repeat of a median of 3.4 by the discussion; not a target" if checked else ""
        plateau = _key(KM_FIGURES[f.plateau]) if f.plateau else None
        out.append(MedianTarget(f.key, f.claim_ids, f.endpoint, f.group, published,
                                9 if checked else 4, plateau, note))
    return tuple(out)


def followup_targets(claims: pd.DataFrame) -> dict[str, str]:
    """The printed follow-up: ``median``, ``min`` and ``max`` (months, as printed)."""
    _, median_id, range_id = FOLLOWUP_IDS
    low, high = parse_numbers(reported(claims, range_id))
    return {"median": reported(claims, median_id), "min": low, "max": high}
