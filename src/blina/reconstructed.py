"""RECONSTRUCTED survival times: the loader, the published survival figures, and their audit.

The paper prints no event or censoring times.  ``data/reconstructed_survival.csv`` holds a
*reconstructed* patient-level dataset: times chosen by :mod:`blina.reconstruct` (a seeded,
deterministic constraint-programming search) so that as many of the paper's survival figures
as can hold together do hold.  The times are an inference, not data: every table and figure
built from them must say *reconstructed*.

This module is light (no solver import) so the book can load and audit the reconstruction:

- :func:`load_reconstructed_survival` — the cohort of ``data/patients.csv`` joined with the
  RECONSTRUCTED columns ``os_days, os_months, os_event, pfs_days, pfs_months, pfs_event``;
- :data:`KM_FIGURES`, :data:`LOGRANK_FIGURES`, :data:`MEDIAN_FIGURES`, :data:`FOLLOWUP` — every
  survival figure of the paper (section 3.4, the abstract and the discussion) as a
  machine-readable target, with the priority tier the reconstruction gives it;
- :func:`evaluate` — each published figure beside its value on the reconstruction, met or not.

Conventions.  Months are days / 30.4375 (365.25/12), written with two decimals; every
Kaplan–Meier quantity is computed from the months column, whose order is that of the days
(distinct days give distinct month values).  A printed number is *met* when the reconstructed
value prints as it under single or under double half-up rounding (the paper rounds twice in
places: :func:`blina.numbers.shown_as_double`).  A "2-year" estimate of a group whose follow-up
ends before 24 months is the value at the end of its curve (what GraphPad Prism shows there);
the table says so in its note.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from blina.groups import add_groups
from blina.numbers import decimals_of, round_half_up, shown_as, shown_as_double

__all__ = [
    "COLUMNS",
    "DAYS_PER_MONTH",
    "FOLLOWUP",
    "KM_FIGURES",
    "LOGRANK_FIGURES",
    "MEDIAN_FIGURES",
    "ReconstructionError",
    "KMFigure",
    "LogRankFigure",
    "MedianFigure",
    "evaluate",
    "load_reconstructed_survival",
    "months",
    "survival_groups",
]

#: days per month (365.25 / 12), the conversion used for every month value
DAYS_PER_MONTH = Fraction(487, 16)
#: the columns of ``data/reconstructed_survival.csv``, in order
COLUMNS = ("patient", "os_days", "os_months", "os_event", "pfs_days", "pfs_months", "pfs_event")
FILENAME = "reconstructed_survival.csv"


class ReconstructionError(ValueError):
    """The reconstructed survival file breaks its contract (names the column and value)."""


def months(days: int) -> float:
    """``days / 30.4375`` rounded half up to two decimals (exact, via fractions)."""
    if isinstance(days, bool) or not isinstance(days, int | np.integer) or days < 0:
        raise ValueError(f"days must be a non-negative int, got {days!r}")
    hundredths = (3200 * int(days) + 487) // 974  # floor(100·days·16/487 + 1/2)
    return hundredths / 100


# ---------------------------------------------------------------------------------------------
# groups


def survival_groups(cohort: pd.DataFrame) -> dict[str, tuple[int, ...]]:
    """Patient numbers of every group a published survival figure refers to.

    ``all``; ``responders`` (CR or CRi) and ``nonresponders``; ``further`` and ``nofurther``
    (any follow-up therapy after blinatumomab, Table 2); ``resp_further`` and
    ``resp_nofurther`` (responders with and without it, Figure 2c,d); and one group per
    follow-up therapy type among responders (``therapy:chemotherapy`` ..., Figure 2e,f), from
    :func:`blina.groups.add_groups`.
    """
    g = add_groups(cohort)
    pid = g["patient"].astype(int)
    resp = g["responder"]
    fur = g["further_treatment"]
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


# ---------------------------------------------------------------------------------------------
# the published figures


@dataclass(frozen=True)
class KMFigure:
    """A published Kaplan–Meier estimate (and CI) of one group at one time.

    ``tier`` is the priority the reconstruction gives it (1 highest; see
    :mod:`blina.reconstruct`).  ``reading`` is ``"natural"`` or ``"reversed"`` for the two
    readings of "100% vs. 95.46%" (Figure 2c,d), else empty.  ``use_upper=False`` leaves the
    printed upper limit out of the constraint (the no-further OS upper limit 95.72 is a copy of
    the further group's).
    """

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
        return _risk_sets(self.estimate, self.lower, self.upper if self.use_upper else None, n)


@cache
def _risk_sets(est: str, lo: str | None, up: str | None, n: int) -> tuple[tuple[int, ...], ...]:
    from blina.inverse_km import km_risk_sets

    decs = tuple(decimals_of(x) if x is not None else 0 for x in (est, lo, up))
    found: set[tuple[int, ...]] = set()
    for rounding in ("single", "double"):
        res = km_risk_sets(est, lo, up, n, decimals=decs, rounding=rounding, limit=10_000)
        if not res.exhaustive:
            raise ValueError(f"too many risk-set sequences for {est} ({lo}–{up}), n={n}")
        found.update(res)
    return tuple(sorted(found, key=lambda s: (len(s), [-r for r in s])))


@dataclass(frozen=True)
class LogRankFigure:
    """A published log-rank comparison: ``population`` split by ``by`` (a column of
    :func:`blina.groups.add_groups`).  ``published`` is the printed p-value ("<0.0001",
    "0.0129") or ``"no difference"`` (read as p ≥ 0.05)."""

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


@dataclass(frozen=True)
class MedianFigure:
    """A published median (months) or ``"undefined"`` (the curve never falls to 50%).

    Printed medians follow GraphPad Prism's convention (:func:`blina.survival.median_survival`);
    ``plateau`` names the :class:`KMFigure` whose risk sets put the curve exactly at 50% after
    the group's last event — the structure the reconstruction encodes the median for.
    """

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


_ID = "res-3.4-"
KM_FIGURES: tuple[KMFigure, ...] = (
    KMFigure("os24-all", (_ID + "os2y-all-est", _ID + "os2y-all-ci", "abs-os2y-all"), "os", "all",
             24, "82.62", "63.14", "92.37", tier=3,
             note="needs 5 deaths before 24 months (max with 6 deaths is 80%)"),
    KMFigure("pfs24-all", (_ID + "pfs2y-all-est", _ID + "pfs2y-all-ci", "abs-pfs2y-all"), "pfs",
             "all", 24, "78.35", "57.79", "89.71", tier=2),
    KMFigure("os24-resp", (_ID + "os2y-resp-est", _ID + "os2y-resp-ci"), "os", "responders", 24,
             "96.0", "74.84", "99.43", tier=1),
    KMFigure("pfs24-resp", (_ID + "pfs2y-resp-est", _ID + "pfs2y-resp-ci"), "pfs", "responders",
             24, "95.24", "70.72", "99.32", tier=2),
    KMFigure("os24-nonresp", (_ID + "os2y-nonresp-est",), "os", "nonresponders", 24, "0", tier=1),
    KMFigure("pfs24-nonresp", (_ID + "pfs2y-nonresp-est",), "pfs", "nonresponders", 24, "0",
             tier=2),
    KMFigure("os6-nonresp", (_ID + "os6m-nonresp-est", _ID + "os6m-nonresp-ci"), "os",
             "nonresponders", 6, "20", "0.84", "58.19", tier=1),
    KMFigure("os24-further", (_ID + "os2y-further-est", _ID + "os2y-further-ci"), "os", "further",
             24, "87.30", "65.58", "95.72", tier=1),
    KMFigure("os24-nofurther", (_ID + "os2y-nofurther-est", _ID + "os2y-nofurther-ci"), "os",
             "nofurther", 24, "50.0", "11.10", "95.72", tier=1, use_upper=False,
             note="upper limit 95.72 repeats the further group's; not used as a constraint"),
    KMFigure("pfs24-further", (_ID + "pfs2y-further-est", _ID + "pfs2y-further-ci"), "pfs",
             "further", 24, "85.64", "61.72", "95.14", tier=2),
    KMFigure("pfs24-nofurther", (_ID + "pfs2y-nofurther-est", _ID + "pfs2y-nofurther-ci"),
             "pfs", "nofurther", 24, "50.0", "11.10", "80.37", tier=2),
    KMFigure("os24-resp-further", (_ID + "os2y-resp-further-est",), "os", "resp_further", 24,
             "100", tier=3, reading="natural"),
    KMFigure("os24-resp-nofurther", (_ID + "os2y-resp-nofurther-est",), "os", "resp_nofurther",
             24, "95.46", tier=3, reading="natural", note="impossible with 3 patients"),
    KMFigure("os24-resp-further-rev", (_ID + "os2y-resp-further-est",), "os", "resp_further", 24,
             "95.46", tier=1, reading="reversed"),
    KMFigure("os24-resp-nofurther-rev", (_ID + "os2y-resp-nofurther-est",), "os",
             "resp_nofurther", 24, "100", tier=1, reading="reversed"),
    KMFigure("pfs24-resp-further", (_ID + "pfs2y-resp-further-est",), "pfs", "resp_further", 24,
             "100", tier=3, reading="natural"),
    KMFigure("pfs24-resp-nofurther", (_ID + "pfs2y-resp-nofurther-est",), "pfs",
             "resp_nofurther", 24, "94.74", tier=3, reading="natural",
             note="impossible with 3 patients"),
    KMFigure("pfs24-resp-further-rev", (_ID + "pfs2y-resp-further-est",), "pfs", "resp_further",
             24, "94.74", tier=2, reading="reversed"),
    KMFigure("pfs24-resp-nofurther-rev", (_ID + "pfs2y-resp-nofurther-est",), "pfs",
             "resp_nofurther", 24, "100", tier=2, reading="reversed"),
)

LOGRANK_FIGURES: tuple[LogRankFigure, ...] = (
    LogRankFigure("p-os-resp", _ID + "os-resp-p", "os", "all", "responder", "<0.0001"),
    LogRankFigure("p-pfs-resp", _ID + "pfs-resp-p", "pfs", "all", "responder", "<0.0001"),
    LogRankFigure("p-os-further", _ID + "os-further-p", "os", "all", "further_treatment",
                  "0.0129"),
    LogRankFigure("p-pfs-further", _ID + "pfs-further-p", "pfs", "all", "further_treatment",
                  "0.0095"),
    LogRankFigure("p-os-resp-further", _ID + "os-resp-further-p", "os", "responders",
                  "further_treatment", "0.712"),
    LogRankFigure("p-pfs-resp-further", _ID + "pfs-resp-further-p", "pfs", "responders",
                  "further_treatment", "0.745"),
    LogRankFigure("p-os-therapy", _ID + "os-pfs-therapy-nodiff", "os", "responders",
                  "therapy_type", "no difference", tier=9,
                  note="no p-value printed; read as p ≥ 0.05 (checked, not optimised)"),
    LogRankFigure("p-pfs-therapy", _ID + "os-pfs-therapy-nodiff", "pfs", "responders",
                  "therapy_type", "no difference", tier=9,
                  note="no p-value printed; read as p ≥ 0.05 (checked, not optimised)"),
)

MEDIAN_FIGURES: tuple[MedianFigure, ...] = (
    MedianFigure("median-os-all", (_ID + "os-all-median-undefined",
                                   "disc-median-os-pfs-all-undefined"), "os", "all", "undefined"),
    MedianFigure("median-pfs-all", ("disc-median-os-pfs-all-undefined",), "pfs", "all",
                 "undefined"),
    MedianFigure("median-os-further", (_ID + "os-further-median-undefined",), "os", "further",
                 "undefined"),
    MedianFigure("median-pfs-further", (_ID + "pfs-further-median-undefined",), "pfs",
                 "further", "undefined"),
    MedianFigure("median-os-nofurther", (_ID + "os-nofurther-median",), "os", "nofurther",
                 "10.5", plateau="os24-nofurther"),
    MedianFigure("median-pfs-nofurther", (_ID + "pfs-nofurther-median",), "pfs", "nofurther",
                 "7.4", plateau="pfs24-nofurther"),
    MedianFigure("median-os-nofurther-disc", ("disc-median-os-nofurther",), "os", "nofurther",
                 "7.4", tier=9, note="the discussion's figure; 3.4 gives 10.5 (7.4 is the PFS "
                 "median); not a target"),
)

#: follow-up: 3.4 "By the end of the follow-up period (April 30, 2024), the median follow-up
#: was 17 months (range 1–32.4 months)"; enrolment 2021–2022 (2.1, 3.1)
FOLLOWUP = {
    "cutoff": "2024-04-30",
    "enrolment": ("2021-01-01", "2022-12-31"),
    "median": "17",
    "min": "1",
    "max": "32.4",
    "definition": "simple",  # median and range of every patient's observation (OS) time
    "claim_ids": (_ID + "followup-cutoff", _ID + "followup-median", _ID + "followup-range"),
}
#: the longest possible observation: enrolment on 2021-01-01, cut-off 2024-04-30 (days)
MAX_FOLLOWUP_DAYS = 1215
#: patients alive at the cut-off and enrolled by 2022-12-31 were followed at least this long
ADMIN_MIN_DAYS = 486
#: "all nonresponders died within 1 year"
NR_DIED_CLAIM = _ID + "os-nonresp-died-1y"


# ---------------------------------------------------------------------------------------------
# loading and validation


def _cohort() -> pd.DataFrame:
    from blina.data import load_cohort

    return load_cohort()


def validate_reconstruction(times: pd.DataFrame, cohort: pd.DataFrame, *,
                            source: str | Path = FILENAME) -> pd.DataFrame:
    """Check the reconstructed times against their contract and Table 2; return typed copy.

    Contract: the columns :data:`COLUMNS`; one row per patient 1..30 (those of ``cohort``);
    integer days ``>= 0``; months equal to :func:`months` of the days; ``pfs_days <= os_days``;
    ``os_event`` true exactly for the patients who died (Table 2); ``pfs_event`` true exactly
    for nonresponders, relapses and deaths (:func:`blina.groups.add_groups`).  Raises
    :class:`ReconstructionError` naming ``source`` (the file), the line (header = line 1),
    the patient, the column and the offending value.
    """
    if not isinstance(times, pd.DataFrame):
        raise ReconstructionError(f"times must be a DataFrame, got {type(times).__name__}")

    def bad(msg: str) -> ReconstructionError:
        return ReconstructionError(f"{source}: {msg}")

    if tuple(times.columns) != COLUMNS:
        missing = [c for c in COLUMNS if c not in times.columns]
        extra = [c for c in times.columns if c not in COLUMNS]
        raise bad(f"columns must be {list(COLUMNS)} in this order; missing {missing}, "
                  f"unexpected {extra}, got {list(times.columns)}")
    df = times.reset_index(drop=True).copy()
    expected = sorted(int(p) for p in cohort["patient"])
    pids: list[int] = []
    for k, p in enumerate(df["patient"]):
        try:
            if isinstance(p, bool) or pd.isna(p) or float(p) != int(float(p)):
                raise ValueError
            pids.append(int(float(p)))
        except (TypeError, ValueError):
            raise bad(f"line {k + 2}, column patient: must be a whole number, got {p!r}") \
                from None

    def where(k: int) -> str:
        return f"line {k + 2} (patient {pids[k]})"

    if sorted(pids) != expected or len(set(pids)) != len(pids):
        missing = sorted(set(expected) - set(pids))
        extra = sorted(set(pids) - set(expected))
        dup = sorted({p for p in pids if pids.count(p) > 1})
        raise bad(f"column patient must hold {expected[0]}..{expected[-1]} once each "
                  f"({len(expected)} rows, got {len(pids)}); missing {missing}, unexpected "
                  f"{extra}, duplicated {dup}")
    for col in ("os_days", "pfs_days"):
        for k, v in enumerate(df[col]):
            try:
                ok = not isinstance(v, bool) and not pd.isna(v) and float(v) >= 0 \
                    and float(v).is_integer()
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise bad(f"{where(k)}, column {col}: must be a non-negative whole number of "
                          f"days, got {v!r}")
        df[col] = df[col].astype(float).astype(int)
    for col in ("os_event", "pfs_event"):
        vals = df[col]
        if vals.dtype != bool:
            mapped = vals.map({True: True, False: False, "true": True,
                               "false": False, "True": True, "False": False})
            bad_rows = np.flatnonzero(mapped.isna().to_numpy())
            if bad_rows.size:
                k = int(bad_rows[0])
                raise bad(f"{where(k)}, column {col}: must be true/false, got {vals.iloc[k]!r}")
            df[col] = mapped.astype(bool)
    for unit, col in (("os_days", "os_months"), ("pfs_days", "pfs_months")):
        for k, (d, m) in enumerate(zip(df[unit], df[col], strict=True)):
            try:
                ok = not pd.isna(m) and float(m) == months(int(d))
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise bad(f"{where(k)}, column {col}: must be {unit}/30.4375 rounded to 2 "
                          f"decimals ({months(int(d)):.2f}), got {m!r}")
        df[col] = df[col].astype(float)
    over = np.flatnonzero((df["pfs_days"] > df["os_days"]).to_numpy())
    if over.size:
        k = int(over[0])
        raise bad(f"{where(k)}, column pfs_days: must not exceed os_days, got "
                  f"{df['pfs_days'].iloc[k]} > {df['os_days'].iloc[k]}")
    g = add_groups(cohort).set_index("patient").loc[pids]
    for col in ("os_event", "pfs_event"):
        want = g[col].to_numpy(dtype=bool)
        got = df[col].to_numpy(dtype=bool)
        wrong = np.flatnonzero(want != got)
        if wrong.size:
            k = int(wrong[0])
            raise bad(f"{where(k)}, column {col}: is {bool(got[k])} but Table 2 implies "
                      f"{bool(want[k])}")
    df["patient"] = pids
    return df.sort_values("patient").reset_index(drop=True)


def load_reconstructed_survival(path: str | Path | None = None) -> pd.DataFrame:
    """The cohort joined with its RECONSTRUCTED survival times (not published data).

    Returns :func:`blina.load_cohort` (one row per patient) with the columns of
    ``data/reconstructed_survival.csv`` (or ``path``) added, all RECONSTRUCTED by
    :mod:`blina.reconstruct` from the paper's published figures — the paper gives no times:

    - ``os_days``, ``os_months``: days (and months = days/30.4375, 2 decimals) from day 1 of
      blinatumomab to death or last follow-up; ``os_event``: died (Table 2);
    - ``pfs_days``, ``pfs_months``: to relapse, death, the first bone-marrow assessment
      (nonresponders, section 2.4) or the last disease assessment (censored);
      ``pfs_event``: nonresponse, relapse or death (Table 2).

    Validated by :func:`validate_reconstruction` (patients 1..30, non-negative whole days,
    PFS ≤ OS, events as in Table 2); raises :class:`ReconstructionError` otherwise.
    """
    from blina.paths import data_path

    src = Path(path) if path is not None else data_path(FILENAME)
    if not src.is_file():
        raise FileNotFoundError(f"reconstructed survival file not found: {src}")
    times = pd.read_csv(src, dtype=str, keep_default_na=False)
    cohort = _cohort()
    checked = validate_reconstruction(times, cohort, source=src)
    out = cohort.merge(checked, on="patient", how="left", validate="1:1")
    out.attrs["reconstructed"] = True
    return out


# ---------------------------------------------------------------------------------------------
# evaluation


def _printed_ok(value: float, printed: str) -> bool:
    return shown_as(value, printed) or shown_as_double(value, printed)


def _fmt(x: float, decimals: int) -> str:
    return str(round_half_up(x, decimals))


def _curve(t: np.ndarray, e: np.ndarray, at: float) -> tuple[float, float, float, float]:
    """Estimate and CI at ``at`` (value at the end of the curve if follow-up ends earlier),
    and the last follow-up time."""
    from blina.survival import km_table

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


def _km_rows(df: pd.DataFrame, groups: dict) -> list[dict]:
    rows = []
    for fig in KM_FIGURES:
        t, e = _split(df, groups[fig.group], fig.endpoint)
        s, lo, hi, last = _curve(t, e, fig.at)
        note = fig.note
        if last < fig.at and s > 0:
            note = "; ".join(x for x in (note, f"curve ends at {last:g} months") if x)
        if fig.reading:
            note = "; ".join(x for x in (f"{fig.reading} reading of '100% vs. ...'", note) if x)
        d_est = decimals_of(fig.estimate)
        est_ok = _printed_ok(100 * s, fig.estimate)
        rows.append(dict(claim_id=fig.claim_ids[0], figure=fig.key, quantity=fig.label,
                         published=fig.estimate, reconstructed=_fmt(100 * s, max(d_est, 2)),
                         met=est_ok, tier=fig.tier, note=note))
        if fig.lower is not None:
            ci_ok = _printed_ok(100 * lo, fig.lower) and _printed_ok(100 * hi, fig.upper)
            rows.append(dict(claim_id=fig.claim_ids[1], figure=fig.key,
                             quantity=fig.label + ", 95% CI",
                             published=f"{fig.lower}–{fig.upper}",
                             reconstructed=f"{_fmt(100 * lo, 2)}–{_fmt(100 * hi, 2)}",
                             met=ci_ok, tier=fig.tier, note=note))
        for cid in fig.claim_ids[2:]:  # the abstract repeats the estimate
            rows.append({**rows[-1 - (fig.lower is not None)], "claim_id": cid})
    return rows


def _logrank_rows(df: pd.DataFrame, groups: dict) -> list[dict]:
    from blina.survival import logrank

    g = add_groups(df)
    rows = []
    for fig in LOGRANK_FIGURES:
        sub = g[g["patient"].isin(groups[fig.population])]
        sub = sub[sub[fig.by].notna()]  # therapy type: responders with a follow-up therapy
        res = logrank(sub[f"{fig.endpoint}_months"], sub[f"{fig.endpoint}_event"], sub[fig.by])
        p = res.p
        if fig.published.startswith("<"):
            met = p < float(fig.published[1:])
        elif fig.published == "no difference":
            met = p >= 0.05
        else:
            met = _printed_ok(p, fig.published)
        shown = "<0.0001" if p < 1e-4 else f"{p:.4g}"
        rows.append(dict(claim_id=fig.claim_id, figure=fig.key, quantity=fig.label,
                         published=fig.published, reconstructed=f"{shown} (chi2 "
                         f"{res.statistic:.3f}, df {res.df})", met=met, tier=fig.tier,
                         note=fig.note))
    return rows


def _median_rows(df: pd.DataFrame, groups: dict) -> list[dict]:
    from blina.survival import median_survival

    rows = []
    for fig in MEDIAN_FIGURES:
        t, e = _split(df, groups[fig.group], fig.endpoint)
        med = median_survival(t, e, convention="prism")
        med_ll = median_survival(t, e, convention="lifelines")
        if fig.published == "undefined":
            met, shown = math.isinf(med), "undefined" if math.isinf(med) else f"{med:.2f}"
        else:
            met = not math.isinf(med) and _printed_ok(med, fig.published)
            shown = "undefined" if math.isinf(med) else f"{med:.2f}"
        note = fig.note
        if not math.isinf(med_ll) and med_ll != med:
            note = "; ".join(x for x in (note, f"lifelines convention: {med_ll:.2f}") if x)
        for cid in fig.claim_ids:
            rows.append(dict(claim_id=cid, figure=fig.key, quantity=fig.label + " (Prism)",
                             published=fig.published, reconstructed=shown, met=met,
                             tier=fig.tier, note=note))
    return rows


def reverse_km_median(t: np.ndarray, e: np.ndarray) -> float:
    """Median follow-up by the reverse Kaplan–Meier method (Schemper & Smith 1996): the
    Kaplan–Meier median with censoring as the event and deaths as censored (Prism
    convention)."""
    from blina.survival import median_survival

    return median_survival(t, ~np.asarray(e, dtype=bool), convention="prism")


def _followup_rows(df: pd.DataFrame) -> list[dict]:
    t = df["os_months"].to_numpy(dtype=float)
    e = df["os_event"].to_numpy(dtype=bool)
    med = float(np.median(t))
    rev = reverse_km_median(t, e)
    cut_id, med_id, rng_id = FOLLOWUP["claim_ids"]
    return [
        dict(claim_id=cut_id, figure="followup-cutoff",
             quantity="longest follow-up fits enrolment 2021–2022 and cut-off 2024-04-30",
             published=FOLLOWUP["cutoff"], reconstructed=f"{df['os_days'].max()} days",
             met=bool(df["os_days"].max() <= MAX_FOLLOWUP_DAYS), tier=5,
             note=f"at most {MAX_FOLLOWUP_DAYS} days (2021-01-01 to 2024-04-30)"),
        dict(claim_id=med_id, figure="followup-median",
             quantity="median follow-up (months), median of all observation times",
             published=FOLLOWUP["median"], reconstructed=f"{med:.2f}",
             met=_printed_ok(med, FOLLOWUP["median"]), tier=5,
             note=f"reverse Kaplan–Meier median: {rev:.2f}"),
        dict(claim_id=rng_id, figure="followup-range", quantity="range of follow-up (months)",
             published=f"{FOLLOWUP['min']}–{FOLLOWUP['max']}",
             reconstructed=f"{t.min():.2f}–{t.max():.2f}",
             met=_printed_ok(t.min(), FOLLOWUP["min"]) and _printed_ok(t.max(), FOLLOWUP["max"]),
             tier=5, note=""),
    ]


def _statement_rows(df: pd.DataFrame, groups: dict, lr: list[dict], km: list[dict]) -> list[dict]:
    t, e = _split(df, groups["nonresponders"], "os")
    died = bool(e.all() and (t <= 12).all())
    rows = [dict(claim_id=NR_DIED_CLAIM, figure="nr-died-1y",
                 quantity="every nonresponder died within 12 months", published="1",
                 reconstructed=f"last death at {t.max():.2f} months", met=died, tier=1, note="")]
    p = {r["figure"]: r for r in lr}
    better = []
    for ep in ("os", "pfs"):
        tf, ef = _split(df, groups["further"], ep)
        tn, en = _split(df, groups["nofurther"], ep)
        sf = _curve(tf, ef, 24)[0]
        sn = _curve(tn, en, 24)[0]
        rec = p[f"p-{ep}-further"]["reconstructed"].split(" ")[0]
        pval = float(rec.lstrip("<"))
        better.append((sf > sn and pval < 0.05, f"{ep.upper()} {100 * sf:.1f}% vs "
                       f"{100 * sn:.1f}%, p {rec}"))
    for cid in ("abs-os-pfs-further-better", "disc-os-pfs-further-better"):
        rows.append(dict(claim_id=cid, figure="further-better",
                         quantity="2-year OS and PFS better with further treatment (p < 0.05)",
                         published="significantly better",
                         reconstructed="; ".join(b[1] for b in better),
                         met=all(b[0] for b in better), tier=4, note=""))
    ther = [p["p-os-therapy"], p["p-pfs-therapy"]]
    rows.append(dict(claim_id="disc-os-pfs-therapy-nodiff", figure="therapy-nodiff",
                     quantity="no difference among further therapies (OS and PFS, p ≥ 0.05)",
                     published="no difference",
                     reconstructed="; ".join(r["reconstructed"] for r in ther),
                     met=all(r["met"] for r in ther), tier=9, note=""))
    return rows


def evaluate(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every published survival figure beside its value on the RECONSTRUCTED times.

    ``df`` is :func:`load_reconstructed_survival` (the default) or any frame with its columns.
    Returns one row per (claim, quantity) with columns ``claim_id, section, figure, quantity,
    published, reconstructed, met, tier, note``: section 3.4 rows first in the ledger's order,
    then the abstract and discussion.  ``met`` means the reconstructed value prints as
    published (single or double half-up rounding; p-values "<0.0001" and "no difference" read
    as p < 0.0001 and p ≥ 0.05).  Kaplan–Meier quantities use
    :mod:`blina.survival` (log(−log) CI, Prism medians, lifelines log-rank).
    """
    df = load_reconstructed_survival() if df is None else df
    need = {"patient", "response", "followup_therapy", "vital_status", "relapse",
            *COLUMNS}
    missing = sorted(need - set(df.columns))
    if missing:
        raise ValueError(f"df is missing column(s) {missing}")
    groups = survival_groups(df)
    km = _km_rows(df, groups)
    lr = _logrank_rows(df, groups)
    rows = km + lr + _median_rows(df, groups) + _followup_rows(df) \
        + _statement_rows(df, groups, lr, km)
    out = pd.DataFrame(rows)
    out["section"] = [("abstract" if c.startswith("abs-") else "4" if c.startswith("disc-")
                       else "3.4") for c in out["claim_id"]]
    order = {"3.4": 0, "abstract": 1, "4": 2}
    try:
        ledger = _ledger_order()
    except (ImportError, FileNotFoundError):
        ledger = {}
    out["_s"] = out["section"].map(order)
    out["_l"] = out["claim_id"].map(lambda c: ledger.get(c, 10_000))
    out = out.sort_values(["_s", "_l"], kind="stable").drop(columns=["_s", "_l"])
    cols = ["claim_id", "section", "figure", "quantity", "published", "reconstructed", "met",
            "tier", "note"]
    return out[cols].reset_index(drop=True)


def _ledger_order() -> dict[str, int]:
    from blina.paths import data_path

    ids = pd.read_csv(data_path("claims.csv"), usecols=["claim_id"])["claim_id"]
    return {c: i for i, c in enumerate(ids)}


def exact_estimate(risk_sets: tuple[int, ...]) -> Decimal:
    """``Π(1 − 1/r)`` as a Decimal percentage (for hand checks in tests and the book)."""
    s = Fraction(1)
    for r in risk_sets:
        s *= Fraction(r - 1, r)
    return Decimal(s.numerator * 100) / Decimal(s.denominator)
