"""The patient groups the paper compares, and the per-patient facts derived from Table 2.

Every group is derived from Table 2 alone (:func:`add_groups` adds the columns):

- ``responder``: response CR or CRi (composite complete remission); nonresponders: the rest;
- ``further_treatment``: any follow-up therapy after blinatumomab (``followup_therapy !=
  "none"``), which includes two nonresponders who went on to CAR-T;
- ``therapy_type`` among responders (Figure 2e,f): chemotherapy, CAR-T, HSCT and
  blinatumomab.  Patient 3 received CAR-T followed by allo-HSCT; section 3.2 counts eight
  allo-HSCT and three CAR-T patients, which only adds up with patient 3 in the HSCT group, so
  that is the rule here;
- ``relapsed``: Table 2 says "Yes" (an empty cell, as for four nonresponders, is no relapse);
- ``os_event``: died; ``pfs_event``: nonresponse, relapse or death (section 2.4).

:func:`survival_groups` names every group a survival figure refers to (``all``,
``responders``, ``further``, ``resp_nofurther``, ``therapy:HSCT`` ...) and
:func:`group_facts` gives each one's patients, deaths, PFS events and relapses.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from blina.data.frames import require_columns

__all__ = [
    "GROUP_NAMES",
    "THERAPY_GROUPS",
    "THERAPY_LEVELS",
    "GroupFacts",
    "add_groups",
    "further_treatment",
    "group_facts",
    "relapsed",
    "responder",
    "survival_groups",
    "therapy_type",
]

THERAPY_GROUPS = {
    "Chemotherapy": "chemotherapy",
    "CART": "CAR-T",
    "Allo-HSCT": "HSCT",
    "CART+allo-HSCT": "HSCT",
    "Blina": "blinatumomab",
}
THERAPY_LEVELS = ["chemotherapy", "CAR-T", "HSCT", "blinatumomab"]

#: the survival groups in words, as the book and the verdicts name them
GROUP_NAMES = {
    "all": "patients",
    "responders": "responders",
    "nonresponders": "nonresponders",
    "further": "patients with further treatment",
    "nofurther": "patients without further treatment",
    "resp_further": "responders with further treatment",
    "resp_nofurther": "responders without further treatment",
}


def responder(df: pd.DataFrame) -> pd.Series:
    """True for composite complete remission (CR or CRi)."""
    require_columns(df, ["response"], allow_empty=True)
    return df["response"].isin(["CR", "CRi"]).astype(bool)


def further_treatment(df: pd.DataFrame) -> pd.Series:
    """True when any therapy followed blinatumomab (Table 2, follow-up therapy not "No")."""
    require_columns(df, ["followup_therapy"], allow_empty=True)
    return (df["followup_therapy"] != "none").astype(bool)


def relapsed(df: pd.DataFrame) -> pd.Series:
    """True when Table 2 records a relapse (an empty relapse cell counts as none)."""
    require_columns(df, ["relapse"], allow_empty=True)
    return df["relapse"].astype("boolean").fillna(False).astype(bool)


def therapy_type(df: pd.DataFrame) -> pd.Series:
    """The follow-up therapy group of Figure 2e,f (NaN for patients without one)."""
    require_columns(df, ["followup_therapy"], allow_empty=True)
    unknown = set(df["followup_therapy"]) - set(THERAPY_GROUPS) - {"none"}
    if unknown:
        raise ValueError(f"followup_therapy has values without a therapy group: {sorted(unknown)}")
    out = df["followup_therapy"].map(THERAPY_GROUPS)
    return pd.Series(pd.Categorical(out, categories=THERAPY_LEVELS), index=df.index,
                     name="therapy_type")


def add_groups(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with the columns ``responder``, ``further_treatment``, ``therapy_type``,
    ``relapsed``, ``os_event`` (died) and ``pfs_event`` (nonresponse, relapse or death)."""
    require_columns(df, ["response", "followup_therapy", "vital_status", "relapse"],
                    allow_empty=True)
    out = df.copy()
    out["responder"] = responder(df)
    out["further_treatment"] = further_treatment(df)
    out["therapy_type"] = therapy_type(df)
    out["relapsed"] = relapsed(df)
    out["os_event"] = (df["vital_status"] == "dead").astype(bool)
    out["pfs_event"] = ~out["responder"] | out["relapsed"] | out["os_event"]
    return out


def survival_groups(cohort: pd.DataFrame) -> dict[str, tuple[int, ...]]:
    """Patient numbers of every group a published survival figure refers to.

    ``all``; ``responders`` (CR or CRi) and ``nonresponders``; ``further`` and ``nofurther``
    (any follow-up therapy after blinatumomab, Table 2); ``resp_further`` and
    ``resp_nofurther`` (responders with and without it, Figure 2c,d); and one group per
    follow-up therapy type among responders (``therapy:chemotherapy`` ..., Figure 2e,f).
    """
    g = add_groups(cohort)
    pid = g["patient"].astype(int)
    resp, fur = g["responder"], g["further_treatment"]
    out = {
        "all": pid,
        "responders": pid[resp],
        "nonresponders": pid[~resp],
        "further": pid[fur],
        "nofurther": pid[~fur],
        "resp_further": pid[resp & fur],
        "resp_nofurther": pid[resp & ~fur],
    }
    for level in g["therapy_type"].cat.categories:
        out[f"therapy:{level}"] = pid[resp & (g["therapy_type"] == level)]
    return {k: tuple(int(x) for x in v) for k, v in out.items()}


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
        """The group's events for ``endpoint`` (``"os"``: deaths, ``"pfs"``: PFS events)."""
        if endpoint not in ("os", "pfs"):
            raise ValueError(f"endpoint must be 'os' or 'pfs', got {endpoint!r}")
        return self.deaths if endpoint == "os" else self.pfs_events


def group_facts(cohort: pd.DataFrame) -> dict[str, GroupFacts]:
    """:class:`GroupFacts` of every group of :func:`survival_groups`, from Table 2."""
    g = add_groups(cohort).set_index("patient")

    def who(ids: tuple[int, ...], column: str) -> tuple[int, ...]:
        return tuple(p for p in ids if bool(g.at[p, column]))

    return {name: GroupFacts(name, ids, who(ids, "os_event"), who(ids, "pfs_event"),
                             who(ids, "relapsed"))
            for name, ids in survival_groups(cohort).items()}
