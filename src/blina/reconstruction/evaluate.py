"""Every printed survival figure beside its value on the RECONSTRUCTED times.

A printed number is *met* when the reconstructed value prints as it under single or under
double half-up rounding (:func:`blina.stats.rounding.shown_as_either`; the paper rounds twice
in places).  p-values "<0.0001" and "no difference" read as p < 0.0001 and p ≥ 0.05.  Every
Kaplan–Meier quantity is computed from the months column, whose order is that of the days
(distinct days give distinct month values).  A "2-year" estimate of a group whose follow-up
ends before 24 months is the value at the end of its curve (what GraphPad Prism shows there);
the table says so in its note.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from blina.cohort.groups import add_groups, survival_groups
from blina.reconstruction.files import COLUMNS, load_reconstructed_survival
from blina.reconstruction.targets import (
    KMTarget,
    followup_targets,
    km_targets,
    logrank_targets,
    median_targets,
)
from blina.stats.km import km_table
from blina.stats.logrank import logrank
from blina.stats.rounding import decimals_of, fmt, shown_as_either
from blina.stats.summaries import median_survival, reverse_km_median
from blina.study import (
    CUTOFF,
    ENROLMENT,
    LANDMARK_MONTHS,
    MAX_FOLLOWUP_DAYS,
    NONRESPONDERS_DIED_WITHIN_MONTHS,
)

__all__ = ["EVALUATION_COLUMNS", "evaluate"]

#: the columns of :func:`evaluate`'s table
EVALUATION_COLUMNS = ["claim_id", "section", "figure", "quantity", "published", "reconstructed",
                      "met", "tier", "note"]
NR_DIED_CLAIM = "res-3.4-os-nonresp-died-1y"


def _curve(t: np.ndarray, e: np.ndarray, at: float) -> tuple[float, float, float, float]:
    """Estimate and CI at ``at`` (value at the end of the curve if follow-up ends earlier),
    and the last follow-up time."""
    tab = km_table(t, e)
    rows = tab[tab["time"] <= at]
    if rows.empty:
        return 1.0, 1.0, 1.0, float(t.max())
    r = rows.iloc[-1]
    return float(r.survival), float(r.lower), float(r.upper), float(t.max())


def _split(df: pd.DataFrame, ids: tuple[int, ...], endpoint: str) -> tuple[np.ndarray, np.ndarray]:
    sub = df.set_index("patient").loc[list(ids)]
    return (sub[f"{endpoint}_months"].to_numpy(dtype=float),
            sub[f"{endpoint}_event"].to_numpy(dtype=bool))


def _km_note(target: KMTarget, n: int, last: float, s: float) -> str:
    notes = []
    if target.reading:
        notes.append(f"{target.reading} reading of '100% vs. ...'")
    if target.note:
        notes.append(target.note)
    if not target.risk_sets(n) and target.estimate.strip("0.") != "":
        notes.append(f"no risk-set sequence of {n} patients prints as {target.estimate}%")
    if last < target.at and s > 0:
        notes.append(f"curve ends at {last:g} months")
    return "; ".join(notes)


def _km_rows(df: pd.DataFrame, groups: dict, targets) -> list[dict]:
    rows = []
    for fig in targets:
        t, e = _split(df, groups[fig.group], fig.endpoint)
        s, lo, hi, last = _curve(t, e, fig.at)
        note = _km_note(fig, len(t), last, s)
        d_est = decimals_of(fig.estimate)
        rows.append(dict(claim_id=fig.claim_ids[0], figure=fig.key, quantity=fig.label,
                         published=fig.estimate, reconstructed=fmt(100 * s, max(d_est, 2)),
                         met=shown_as_either(100 * s, fig.estimate), tier=fig.tier, note=note))
        if fig.lower is not None:
            ci_ok = shown_as_either(100 * lo, fig.lower) and shown_as_either(100 * hi, fig.upper)
            rows.append(dict(claim_id=fig.claim_ids[1], figure=fig.key,
                             quantity=fig.label + ", 95% CI",
                             published=f"{fig.lower}–{fig.upper}",
                             reconstructed=f"{fmt(100 * lo, 2)}–{fmt(100 * hi, 2)}",
                             met=ci_ok, tier=fig.tier, note=note))
        for cid in fig.claim_ids[2:]:  # the abstract repeats the estimate
            rows.append({**rows[-1 - (fig.lower is not None)], "claim_id": cid})
    return rows


def _p_met(p: float, published: str) -> bool:
    if published.startswith("<"):
        return p < float(published[1:])
    if published == "no difference":
        return p >= 0.05
    return shown_as_either(p, published)


def _logrank_rows(df: pd.DataFrame, groups: dict, targets) -> list[dict]:
    g = add_groups(df)
    rows = []
    for fig in targets:
        sub = g[g["patient"].isin(groups[fig.population])]
        sub = sub[sub[fig.by].notna()]  # therapy type: responders with a follow-up therapy
        res = logrank(sub[f"{fig.endpoint}_months"], sub[f"{fig.endpoint}_event"], sub[fig.by])
        shown = "<0.0001" if res.p < 1e-4 else f"{res.p:.4g}"
        rows.append(dict(claim_id=fig.claim_id, figure=fig.key, quantity=fig.label,
                         published=fig.published, reconstructed=f"{shown} (chi2 "
                         f"{res.statistic:.3f}, df {res.df})", met=_p_met(res.p, fig.published),
                         tier=fig.tier, note=fig.note))
    return rows


def _median_rows(df: pd.DataFrame, groups: dict, targets) -> list[dict]:
    rows = []
    for fig in targets:
        t, e = _split(df, groups[fig.group], fig.endpoint)
        med = median_survival(t, e, convention="prism")
        med_ll = median_survival(t, e, convention="lifelines")
        shown = "undefined" if math.isinf(med) else f"{med:.2f}"
        if fig.published == "undefined":
            met = math.isinf(med)
        else:
            met = not math.isinf(med) and shown_as_either(med, fig.published)
        note = fig.note
        if not math.isinf(med_ll) and med_ll != med:
            note = "; ".join(x for x in (note, f"lifelines convention: {med_ll:.2f}") if x)
        for cid in fig.claim_ids:
            rows.append(dict(claim_id=cid, figure=fig.key, quantity=fig.label + " (Prism)",
                             published=fig.published, reconstructed=shown, met=met,
                             tier=fig.tier, note=note))
    return rows


def _followup_rows(df: pd.DataFrame, printed: dict[str, str]) -> list[dict]:
    t = df["os_months"].to_numpy(dtype=float)
    e = df["os_event"].to_numpy(dtype=bool)
    med = float(np.median(t))
    rev = reverse_km_median(t, e)
    return [
        dict(claim_id="res-3.4-followup-cutoff", figure="followup-cutoff",
             quantity=f"longest follow-up fits enrolment {ENROLMENT[0].year}–{ENROLMENT[1].year} "
                      f"and cut-off {CUTOFF}",
             published=CUTOFF.isoformat(), reconstructed=f"{df['os_days'].max()} days",
             met=bool(df["os_days"].max() <= MAX_FOLLOWUP_DAYS), tier=5,
             note=f"at most {MAX_FOLLOWUP_DAYS} days (first enrolment day to the cut-off)"),
        dict(claim_id="res-3.4-followup-median", figure="followup-median",
             quantity="median follow-up (months), median of all observation times",
             published=printed["median"], reconstructed=f"{med:.2f}",
             met=shown_as_either(med, printed["median"]), tier=5,
             note=f"reverse Kaplan–Meier median: {rev:.2f}"),
        dict(claim_id="res-3.4-followup-range", figure="followup-range",
             quantity="range of follow-up (months)",
             published=f"{printed['min']}–{printed['max']}",
             reconstructed=f"{t.min():.2f}–{t.max():.2f}",
             met=shown_as_either(t.min(), printed["min"])
             and shown_as_either(t.max(), printed["max"]), tier=5, note=""),
    ]


def _further_better(df: pd.DataFrame, groups: dict, p_rows: dict) -> list[dict]:
    better = []
    for ep in ("os", "pfs"):
        sf = _curve(*_split(df, groups["further"], ep), LANDMARK_MONTHS)[0]
        sn = _curve(*_split(df, groups["nofurther"], ep), LANDMARK_MONTHS)[0]
        rec = p_rows[f"p-{ep}-further"]["reconstructed"].split(" ")[0]
        better.append((sf > sn and float(rec.lstrip("<")) < 0.05,
                       f"{ep.upper()} {100 * sf:.1f}% vs {100 * sn:.1f}%, p {rec}"))
    return [dict(claim_id=cid, figure="further-better",
                 quantity="2-year OS and PFS better with further treatment (p < 0.05)",
                 published="significantly better", reconstructed="; ".join(b[1] for b in better),
                 met=all(b[0] for b in better), tier=4, note="")
            for cid in ("abs-os-pfs-further-better", "disc-os-pfs-further-better")]


def _statement_rows(df: pd.DataFrame, groups: dict, lr: list[dict]) -> list[dict]:
    t, e = _split(df, groups["nonresponders"], "os")
    died = bool(e.all() and (t <= NONRESPONDERS_DIED_WITHIN_MONTHS).all())
    rows = [dict(claim_id=NR_DIED_CLAIM, figure="nr-died-1y",
                 quantity="every nonresponder died within 12 months", published="1",
                 reconstructed=f"last death at {t.max():.2f} months", met=died, tier=1, note="")]
    p = {r["figure"]: r for r in lr}
    rows += _further_better(df, groups, p)
    rows.append(_three_therapies(df, groups))
    return rows


#: the further therapies the discussion compares ("chemotherapy, CAR-T therapy, and allo-HSCT")
DISCUSSION_THERAPIES = ("chemotherapy", "CAR-T", "HSCT")


def _three_therapies(df: pd.DataFrame, groups: dict) -> dict:
    """The discussion's "no significant difference" among three further therapies: OS and PFS
    log-rank tests over the responders of those three groups (2 df)."""
    g = add_groups(df)
    sub = g[g["patient"].isin(groups["responders"])
            & g["therapy_type"].isin(DISCUSSION_THERAPIES)]
    labels = sub["therapy_type"].astype(str)
    shown, met = [], True
    for ep in ("os", "pfs"):
        res = logrank(sub[f"{ep}_months"], sub[f"{ep}_event"], labels)
        shown.append(f"{ep.upper()} p {res.p:.4g} (chi2 {res.statistic:.3f}, df {res.df})")
        met = met and res.p >= 0.05
    return dict(claim_id="disc-os-pfs-therapy-nodiff", figure="therapy-nodiff",
                quantity="no difference among chemotherapy, CAR-T and HSCT (OS and PFS, "
                         "p ≥ 0.05)", published="no difference", reconstructed="; ".join(shown),
                met=met, tier=9, note="")


def _in_ledger_order(out: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Section 3.4 rows first, then the abstract's and the discussion's, each in ledger order."""
    out["section"] = [("abstract" if c.startswith("abs-") else "4" if c.startswith("disc-")
                       else "3.4") for c in out["claim_id"]]
    ledger = {c: i for i, c in enumerate(claims["claim_id"])}
    out["_s"] = out["section"].map({"3.4": 0, "abstract": 1, "4": 2})
    out["_l"] = out["claim_id"].map(lambda c: ledger.get(c, 10_000))
    out = out.sort_values(["_s", "_l"], kind="stable").drop(columns=["_s", "_l"])
    return out[EVALUATION_COLUMNS].reset_index(drop=True)


def evaluate(df: pd.DataFrame | None = None, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every published survival figure beside its value on the RECONSTRUCTED times.

    ``df`` is :func:`load_reconstructed_survival` (the default) or any frame with its columns;
    ``claims`` the ledger (default: :func:`blina.data.load_claims`).  One row per (claim,
    quantity) with the columns :data:`EVALUATION_COLUMNS`; ``met`` as in the module docstring.
    """
    from blina.data.files import load_claims

    df = load_reconstructed_survival() if df is None else df
    claims = load_claims() if claims is None else claims
    need = {"patient", "response", "followup_therapy", "vital_status", "relapse", *COLUMNS}
    missing = sorted(need - set(df.columns))
    if missing:
        raise ValueError(f"df is missing column(s) {missing}")
    groups = survival_groups(df)
    km = _km_rows(df, groups, km_targets(claims))
    lr = _logrank_rows(df, groups, logrank_targets(claims))
    rows = km + lr + _median_rows(df, groups, median_targets(claims)) \
        + _followup_rows(df, followup_targets(claims)) + _statement_rows(df, groups, lr)
    return _in_ledger_order(pd.DataFrame(rows), claims)
