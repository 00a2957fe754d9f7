"""One registry of the survival figures the paper prints (section 3.4, abstract, discussion).

Each entry says *what* a figure is — endpoint, group, landmark, the paper's panel, the claim
ids of the ledger — never what it says: the printed numbers are read from
``data/claims.csv`` (:func:`blina.data.load_claims`), where they are transcribed once.

- :data:`PANELS` — the ten Kaplan–Meier panels of Figures 1 and 2 (endpoint, population,
  grouping);
- :data:`KM_FIGURES` — every printed Kaplan–Meier estimate (with its CI when printed), keyed
  by the ledger stem (``"os2y-all"`` for ``res-3.4-os2y-all-est`` / ``-ci``);
- :data:`LOGRANK_FIGURES` — the printed log-rank comparisons;
- :data:`MEDIAN_FIGURES` — the printed medians (or "undefined");
- :data:`FOLLOWUP_IDS` — the follow-up claims (cut-off, median, range).

:func:`printed_km` returns a figure's printed estimate, lower and upper limit (strings, as
printed) from a ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from blina.cohort.groups import add_groups
from blina.stats.rounding import parse_numbers

__all__ = [
    "FOLLOWUP_IDS",
    "KM_FIGURES",
    "LOGRANK_FIGURES",
    "MEDIAN_FIGURES",
    "PANELS",
    "SECTION_ID",
    "KMFigure",
    "LogRankFigure",
    "MedianFigure",
    "Panel",
    "PrintedKM",
    "printed_km",
    "reported",
]

#: the ledger's prefix of section 3.4 claim ids
SECTION_ID = "res-3.4-"


@dataclass(frozen=True)
class Panel:
    """One Kaplan–Meier panel of the paper's Figures 1 and 2."""

    figure: str          # "1a" ... "2f"
    endpoint: str        # "os" or "pfs"
    population: str      # "all" or "responders"
    by: str | None       # grouping column of add_groups(), or None for one curve

    def data(self, df: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``add_groups(df)`` this panel is drawn from: the population, without the
        patients whose group is undefined (Figures 2e/f compare further therapies, so the
        responders who had none are not in them)."""
        g = add_groups(df)
        if self.population == "responders":
            g = g[g["responder"]]
        return g[g[self.by].notna()] if self.by else g


PANELS = {
    "1a": Panel("1a", "os", "all", None),
    "1b": Panel("1b", "pfs", "all", None),
    "1c": Panel("1c", "os", "all", "responder"),
    "1d": Panel("1d", "pfs", "all", "responder"),
    "2a": Panel("2a", "os", "all", "further_treatment"),
    "2b": Panel("2b", "pfs", "all", "further_treatment"),
    "2c": Panel("2c", "os", "responders", "further_treatment"),
    "2d": Panel("2d", "pfs", "responders", "further_treatment"),
    "2e": Panel("2e", "os", "responders", "therapy_type"),
    "2f": Panel("2f", "pfs", "responders", "therapy_type"),
}


@dataclass(frozen=True)
class KMFigure:
    """A printed Kaplan–Meier estimate of one group at one landmark (months).

    ``stem`` names its ledger rows: ``res-3.4-<stem>-est`` and, when a CI is printed,
    ``res-3.4-<stem>-ci``; ``also`` lists other claims repeating the estimate (the abstract).
    """

    stem: str
    endpoint: str
    group: str           # a key of blina.cohort.groups.survival_groups()
    at: float
    panel: str
    also: tuple[str, ...] = ()

    @property
    def estimate_id(self) -> str:
        return f"{SECTION_ID}{self.stem}-est"

    @property
    def ci_id(self) -> str:
        return f"{SECTION_ID}{self.stem}-ci"

    @property
    def label(self) -> str:
        return f"{self.endpoint.upper()} at {self.at:g} months, {self.group}"


KM_FIGURES = {f.stem: f for f in (
    KMFigure("os2y-all", "os", "all", 24, "1a", also=("abs-os2y-all",)),
    KMFigure("pfs2y-all", "pfs", "all", 24, "1b", also=("abs-pfs2y-all",)),
    KMFigure("os2y-resp", "os", "responders", 24, "1c"),
    KMFigure("pfs2y-resp", "pfs", "responders", 24, "1d"),
    KMFigure("os2y-nonresp", "os", "nonresponders", 24, "1c"),
    KMFigure("pfs2y-nonresp", "pfs", "nonresponders", 24, "1d"),
    KMFigure("os6m-nonresp", "os", "nonresponders", 6, "1c"),
    KMFigure("os2y-further", "os", "further", 24, "2a"),
    KMFigure("os2y-nofurther", "os", "nofurther", 24, "2a"),
    KMFigure("pfs2y-further", "pfs", "further", 24, "2b"),
    KMFigure("pfs2y-nofurther", "pfs", "nofurther", 24, "2b"),
    KMFigure("os2y-resp-further", "os", "resp_further", 24, "2c"),
    KMFigure("os2y-resp-nofurther", "os", "resp_nofurther", 24, "2c"),
    KMFigure("pfs2y-resp-further", "pfs", "resp_further", 24, "2d"),
    KMFigure("pfs2y-resp-nofurther", "pfs", "resp_nofurther", 24, "2d"),
)}


class PrintedKM(NamedTuple):
    """A figure's printed estimate and limits, as strings (``None`` when not printed)."""

    estimate: str
    lower: str | None
    upper: str | None

    @property
    def label(self) -> str:
        if self.lower is None:
            return f"{self.estimate}%"
        return f"{self.estimate}% ({self.lower}–{self.upper})"


def reported(claims: pd.DataFrame, claim_id: str) -> str:
    """The ``reported`` field of one ledger row (``KeyError`` when it is not in the ledger)."""
    rows = claims.loc[claims["claim_id"] == claim_id, "reported"]
    if rows.empty:
        raise KeyError(f"claim {claim_id!r} is not in the ledger")
    return str(rows.iloc[0])


def printed_km(claims: pd.DataFrame, figure: KMFigure | str) -> PrintedKM:
    """The printed numbers of ``figure`` (or its stem) from the ledger ``claims``."""
    fig = KM_FIGURES[figure] if isinstance(figure, str) else figure
    estimate = parse_numbers(reported(claims, fig.estimate_id))[0]
    if fig.ci_id in set(claims["claim_id"]):
        lower, upper = parse_numbers(reported(claims, fig.ci_id))
        return PrintedKM(estimate, lower, upper)
    return PrintedKM(estimate, None, None)


@dataclass(frozen=True)
class LogRankFigure:
    """A printed log-rank comparison: ``population`` split by ``by`` (a column of
    :func:`blina.cohort.groups.add_groups`); the printed p-value is the claim's ``reported``
    ("<0.0001", "0.0129"; "no differences" is read as p ≥ 0.05)."""

    key: str
    claim_id: str
    endpoint: str
    population: str
    by: str

    @property
    def label(self) -> str:
        return f"log-rank {self.endpoint.upper()}, {self.population} by {self.by}"


LOGRANK_FIGURES = {f.key: f for f in (
    LogRankFigure("p-os-resp", SECTION_ID + "os-resp-p", "os", "all", "responder"),
    LogRankFigure("p-pfs-resp", SECTION_ID + "pfs-resp-p", "pfs", "all", "responder"),
    LogRankFigure("p-os-further", SECTION_ID + "os-further-p", "os", "all", "further_treatment"),
    LogRankFigure("p-pfs-further", SECTION_ID + "pfs-further-p", "pfs", "all",
                  "further_treatment"),
    LogRankFigure("p-os-resp-further", SECTION_ID + "os-resp-further-p", "os", "responders",
                  "further_treatment"),
    LogRankFigure("p-pfs-resp-further", SECTION_ID + "pfs-resp-further-p", "pfs", "responders",
                  "further_treatment"),
    LogRankFigure("p-os-therapy", SECTION_ID + "os-pfs-therapy-nodiff", "os", "responders",
                  "therapy_type"),
    LogRankFigure("p-pfs-therapy", SECTION_ID + "os-pfs-therapy-nodiff", "pfs", "responders",
                  "therapy_type"),
)}


@dataclass(frozen=True)
class MedianFigure:
    """A printed median (months) or "undefined"/"not defined" (the curve never falls to 50%).

    The printed value is the ``reported`` field of ``claim_ids[0]``.  ``plateau`` names the
    :class:`KMFigure` whose risk sets put the curve exactly at 50% after the group's last
    event (GraphPad Prism then reports the midpoint of the flat stretch,
    :func:`blina.stats.summaries.median_survival`).
    """

    key: str
    claim_ids: tuple[str, ...]
    endpoint: str
    group: str
    plateau: str | None = None

    @property
    def label(self) -> str:
        return f"median {self.endpoint.upper()}, {self.group}"


MEDIAN_FIGURES = {f.key: f for f in (
    MedianFigure("median-os-all", (SECTION_ID + "os-all-median-undefined",
                                   "disc-median-os-pfs-all-undefined"), "os", "all"),
    MedianFigure("median-pfs-all", ("disc-median-os-pfs-all-undefined",), "pfs", "all"),
    MedianFigure("median-os-further", (SECTION_ID + "os-further-median-undefined",), "os",
                 "further"),
    MedianFigure("median-pfs-further", (SECTION_ID + "pfs-further-median-undefined",), "pfs",
                 "further"),
    MedianFigure("median-os-nofurther", (SECTION_ID + "os-nofurther-median",), "os",
                 "nofurther", plateau="os2y-nofurther"),
    MedianFigure("median-pfs-nofurther", (SECTION_ID + "pfs-nofurther-median",), "pfs",
                 "nofurther", plateau="pfs2y-nofurther"),
    MedianFigure("median-os-nofurther-disc", ("disc-median-os-nofurther",), "os", "nofurther",
                 plateau="os2y-nofurther"),
)}

#: the follow-up claims: data cut-off, median follow-up, range of follow-up
FOLLOWUP_IDS = (SECTION_ID + "followup-cutoff", SECTION_ID + "followup-median",
                SECTION_ID + "followup-range")
