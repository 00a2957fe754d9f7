"""The patient groups the paper compares in its survival figures (section 3.4).

Every group is derived from Table 2 alone:

- *responders*: response CR or CRi (composite complete remission); *nonresponders*: the rest;
- *further treatment*: any follow-up therapy after blinatumomab (``followup_therapy != "none"``),
  which includes two nonresponders who went on to CAR-T;
- *therapy type* among responders (Figure 2e,f): chemotherapy, CAR-T, HSCT and blinatumomab.
  Patient 3 received CAR-T followed by allo-HSCT; the text of 3.2 counts eight allo-HSCT and three
  CAR-T patients, which only adds up with patient 3 in the HSCT group, so that is the rule here.

``FIGURES`` lists the ten Kaplan–Meier panels with their endpoint, population and grouping.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

THERAPY_GROUPS = {
    "Chemotherapy": "chemotherapy",
    "CART": "CAR-T",
    "Allo-HSCT": "HSCT",
    "CART+allo-HSCT": "HSCT",
    "Blina": "blinatumomab",
}
THERAPY_LEVELS = ["chemotherapy", "CAR-T", "HSCT", "blinatumomab"]


def _require(df: pd.DataFrame, cols: list[str]) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"df is missing column(s) {missing}; got {list(df.columns)}")


def responder(df: pd.DataFrame) -> pd.Series:
    """True for composite complete remission (CR or CRi)."""
    _require(df, ["response"])
    return df["response"].isin(["CR", "CRi"]).astype(bool)


def further_treatment(df: pd.DataFrame) -> pd.Series:
    """True when any therapy followed blinatumomab (Table 2, follow-up therapy not "No")."""
    _require(df, ["followup_therapy"])
    return (df["followup_therapy"] != "none").astype(bool)


def therapy_type(df: pd.DataFrame) -> pd.Series:
    """The follow-up therapy group of Figure 2e,f (NaN for patients without one)."""
    _require(df, ["followup_therapy"])
    unknown = set(df["followup_therapy"]) - set(THERAPY_GROUPS) - {"none"}
    if unknown:
        raise ValueError(f"followup_therapy has values without a therapy group: {sorted(unknown)}")
    out = df["followup_therapy"].map(THERAPY_GROUPS)
    return pd.Series(pd.Categorical(out, categories=THERAPY_LEVELS), index=df.index,
                     name="therapy_type")


def add_groups(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with the columns ``responder``, ``further_treatment``, ``therapy_type``,
    ``os_event`` (died) and ``pfs_event`` (nonresponse, relapse or death)."""
    _require(df, ["response", "followup_therapy", "vital_status", "relapse"])
    out = df.copy()
    out["responder"] = responder(df)
    out["further_treatment"] = further_treatment(df)
    out["therapy_type"] = therapy_type(df)
    out["os_event"] = (df["vital_status"] == "dead").astype(bool)
    out["pfs_event"] = (~out["responder"]) | df["relapse"].fillna(False).astype(bool) \
        | out["os_event"]
    return out


@dataclass(frozen=True)
class Panel:
    """One Kaplan–Meier panel of the paper."""

    figure: str          # "1a" ... "2f"
    endpoint: str        # "OS" or "PFS"
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


FIGURES = {
    "1a": Panel("1a", "OS", "all", None),
    "1b": Panel("1b", "PFS", "all", None),
    "1c": Panel("1c", "OS", "all", "responder"),
    "1d": Panel("1d", "PFS", "all", "responder"),
    "2a": Panel("2a", "OS", "all", "further_treatment"),
    "2b": Panel("2b", "PFS", "all", "further_treatment"),
    "2c": Panel("2c", "OS", "responders", "further_treatment"),
    "2d": Panel("2d", "PFS", "responders", "further_treatment"),
    "2e": Panel("2e", "OS", "responders", "therapy_type"),
    "2f": Panel("2f", "PFS", "responders", "therapy_type"),
}
