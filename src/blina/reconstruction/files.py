"""The RECONSTRUCTED survival file: its contract, its loader and its writer.

``data/reconstructed_survival.csv`` holds times chosen by :mod:`blina.reconstruction.solve`
so that as many of the paper's survival figures as can hold together do hold.  The times are an
inference, not data: every table and figure built from them says *reconstructed*.

Months are ``days / DAYS_PER_MONTH`` (:data:`blina.study.DAYS_PER_MONTH`, 365.25/12) rounded
half up to two decimals (:func:`months`), exactly, in integers:
``hundredths = ⌊(200·16·d + 487) / (2·487)⌋`` for ``DAYS_PER_MONTH = 487/16``
(:data:`MONTH_HUNDREDTHS`).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from blina.cohort.groups import add_groups
from blina.study import DAYS_PER_MONTH

__all__ = [
    "COLUMNS",
    "FILENAME",
    "MONTH_HUNDREDTHS",
    "ReconstructionError",
    "load_reconstructed_survival",
    "months",
    "validate_reconstruction",
    "write_csv",
]

#: ``(a, b, c)`` with ``hundredths of a month = (a·days + b) // c`` (half-up rounding of
#: ``100·days/DAYS_PER_MONTH``)
MONTH_HUNDREDTHS = (200 * DAYS_PER_MONTH.denominator, DAYS_PER_MONTH.numerator,
                    2 * DAYS_PER_MONTH.numerator)

#: the columns of ``data/reconstructed_survival.csv``, in order
COLUMNS = ("patient", "os_days", "os_months", "os_event", "pfs_days", "pfs_months", "pfs_event")


FILENAME = "reconstructed_survival.csv"


class ReconstructionError(ValueError):
    """The reconstructed survival file breaks its contract (names the column and value)."""


def months(days: int) -> float:
    """``days / DAYS_PER_MONTH`` rounded half up to two decimals (exact, in integers)."""
    if isinstance(days, bool) or not isinstance(days, int | np.integer) or days < 0:
        raise ValueError(f"days must be a non-negative int, got {days!r}")
    a, b, c = MONTH_HUNDREDTHS
    return ((a * int(days) + b) // c) / 100


def _cohort() -> pd.DataFrame:
    from blina.data.files import load_cohort

    return load_cohort()


class _Rows:
    """Names the rows of a reconstructed file in messages: ``line 3 (patient 2)``."""

    def __init__(self, source: str | Path, pids: list[int]):
        self.source, self.pids = source, pids

    def error(self, msg: str) -> ReconstructionError:
        return ReconstructionError(f"{self.source}: {msg}")

    def at(self, k: int) -> str:
        return f"line {k + 2} (patient {self.pids[k]})"


def _patient_numbers(df: pd.DataFrame, cohort: pd.DataFrame, source) -> list[int]:
    """The ``patient`` column as ints, each of the cohort's patients exactly once."""
    pids: list[int] = []
    for k, p in enumerate(df["patient"]):
        try:
            if isinstance(p, bool) or pd.isna(p) or float(p) != int(float(p)):
                raise ValueError
            pids.append(int(float(p)))
        except (TypeError, ValueError):
            raise ReconstructionError(f"{source}: line {k + 2}, column patient: must be a whole "
                                      f"number, got {p!r}") from None
    expected = sorted(int(p) for p in cohort["patient"])
    if sorted(pids) != expected or len(set(pids)) != len(pids):
        missing = sorted(set(expected) - set(pids))
        extra = sorted(set(pids) - set(expected))
        dup = sorted({p for p in pids if pids.count(p) > 1})
        raise ReconstructionError(
            f"{source}: column patient must hold {expected[0]}..{expected[-1]} once each "
            f"({len(expected)} rows, got {len(pids)}); missing {missing}, unexpected "
            f"{extra}, duplicated {dup}")
    return pids


def _whole_days(df: pd.DataFrame, rows: _Rows) -> None:
    for col in ("os_days", "pfs_days"):
        for k, v in enumerate(df[col]):
            try:
                ok = not isinstance(v, bool) and not pd.isna(v) and float(v) >= 0 \
                    and float(v).is_integer()
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise rows.error(f"{rows.at(k)}, column {col}: must be a non-negative whole "
                                 f"number of days, got {v!r}")
        df[col] = df[col].astype(float).astype(int)


def _flags(df: pd.DataFrame, rows: _Rows) -> None:
    for col in ("os_event", "pfs_event"):
        vals = df[col]
        if vals.dtype == bool:
            continue
        mapped = vals.map({True: True, False: False, "true": True, "false": False,
                           "True": True, "False": False})
        bad_rows = np.flatnonzero(mapped.isna().to_numpy())
        if bad_rows.size:
            k = int(bad_rows[0])
            raise rows.error(f"{rows.at(k)}, column {col}: must be true/false, got "
                             f"{vals.iloc[k]!r}")
        df[col] = mapped.astype(bool)


def _months_match_days(df: pd.DataFrame, rows: _Rows) -> None:
    for unit, col in (("os_days", "os_months"), ("pfs_days", "pfs_months")):
        for k, (d, m) in enumerate(zip(df[unit], df[col], strict=True)):
            try:
                ok = not pd.isna(m) and float(m) == months(int(d))
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise rows.error(f"{rows.at(k)}, column {col}: must be {unit} / "
                                 f"{float(DAYS_PER_MONTH)} rounded to 2 decimals "
                                 f"({months(int(d)):.2f}), got {m!r}")
        df[col] = df[col].astype(float)


def _events_as_in_table2(df: pd.DataFrame, cohort: pd.DataFrame, rows: _Rows) -> None:
    over = np.flatnonzero((df["pfs_days"] > df["os_days"]).to_numpy())
    if over.size:
        k = int(over[0])
        raise rows.error(f"{rows.at(k)}, column pfs_days: must not exceed os_days, got "
                         f"{df['pfs_days'].iloc[k]} > {df['os_days'].iloc[k]}")
    g = add_groups(cohort).set_index("patient").loc[rows.pids]
    for col in ("os_event", "pfs_event"):
        want = g[col].to_numpy(dtype=bool)
        got = df[col].to_numpy(dtype=bool)
        wrong = np.flatnonzero(want != got)
        if wrong.size:
            k = int(wrong[0])
            raise rows.error(f"{rows.at(k)}, column {col}: is {bool(got[k])} but Table 2 "
                             f"implies {bool(want[k])}")


def validate_reconstruction(times: pd.DataFrame, cohort: pd.DataFrame, *,
                            source: str | Path = FILENAME) -> pd.DataFrame:
    """Check the reconstructed times against their contract and Table 2; return typed copy.

    Contract: the columns :data:`COLUMNS`; one row per patient 1..30 (those of ``cohort``);
    integer days ``>= 0``; months equal to :func:`months` of the days; ``pfs_days <= os_days``;
    ``os_event`` true exactly for the patients who died (Table 2); ``pfs_event`` true exactly
    for nonresponders, relapses and deaths (:func:`blina.cohort.groups.add_groups`).  Raises
    :class:`ReconstructionError` naming ``source`` (the file), the line (header = line 1),
    the patient, the column and the offending value.
    """
    if not isinstance(times, pd.DataFrame):
        raise ReconstructionError(f"times must be a DataFrame, got {type(times).__name__}")
    if tuple(times.columns) != COLUMNS:
        missing = [c for c in COLUMNS if c not in times.columns]
        extra = [c for c in times.columns if c not in COLUMNS]
        raise ReconstructionError(
            f"{source}: columns must be {list(COLUMNS)} in this order; missing {missing}, "
            f"unexpected {extra}, got {list(times.columns)}")
    df = times.reset_index(drop=True).copy()
    rows = _Rows(source, _patient_numbers(df, cohort, source))
    _whole_days(df, rows)
    _flags(df, rows)
    _months_match_days(df, rows)
    _events_as_in_table2(df, cohort, rows)
    df["patient"] = rows.pids
    return df.sort_values("patient").reset_index(drop=True)


def load_reconstructed_survival(path: str | Path | None = None) -> pd.DataFrame:
    """The cohort joined with its RECONSTRUCTED survival times (not published data).

    Returns :func:`blina.load_cohort` (one row per patient) with the columns of
    ``data/reconstructed_survival.csv`` (or ``path``) added, all RECONSTRUCTED by
    :mod:`blina.reconstruction` from the paper's published figures — the paper gives no times:

    - ``os_days``, ``os_months``: days (and months = days / DAYS_PER_MONTH, 2 decimals) from
      day 1 of blinatumomab to death or last follow-up; ``os_event``: died (Table 2);
    - ``pfs_days``, ``pfs_months``: to relapse, death, the first bone-marrow assessment
      (nonresponders, section 2.4) or the last disease assessment (censored);
      ``pfs_event``: nonresponse, relapse or death (Table 2).

    Validated by :func:`validate_reconstruction` (patients 1..30, non-negative whole days,
    PFS ≤ OS, events as in Table 2); raises :class:`ReconstructionError` otherwise.
    """
    from blina.data.paths import data_path

    src = Path(path) if path is not None else data_path(FILENAME)
    if not src.is_file():
        raise FileNotFoundError(f"reconstructed survival file not found: {src}")
    times = pd.read_csv(src, dtype=str, keep_default_na=False)
    cohort = _cohort()
    checked = validate_reconstruction(times, cohort, source=src)
    out = cohort.merge(checked, on="patient", how="left", validate="1:1")
    out.attrs["reconstructed"] = True
    return out


def write_csv(times: pd.DataFrame, path: str | Path) -> Path:
    """Write the reconstructed times (``COLUMNS``, lower-case booleans, LF line ends).

    Written to a temporary file beside ``path`` and renamed over it, so a failure or an
    interruption never leaves a half-written file.
    """
    path = Path(path)
    out = times.copy()
    for col in ("os_event", "pfs_event"):
        out[col] = out[col].map({True: "true", False: "false"})
    for col in ("os_months", "pfs_months"):
        out[col] = out[col].map(lambda x: f"{x:.2f}")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        out.to_csv(partial, index=False, lineterminator="\n")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path
