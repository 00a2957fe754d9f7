"""The RECONSTRUCTED survival file: loader, contract errors and the audit table (evaluate)."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import blina
from blina.reconstruction import files as reconstructed
from blina.reconstruction.evaluate import evaluate
from blina.reconstruction.files import (
    COLUMNS,
    ReconstructionError,
    load_reconstructed_survival,
    months,
)
from blina.reconstruction.targets import km_targets, logrank_targets, median_targets

FILE = blina.data_path("reconstructed_survival.csv")


@pytest.fixture(scope="module")
def recon() -> pd.DataFrame:
    return load_reconstructed_survival()


@pytest.fixture(scope="module")
def table(recon) -> pd.DataFrame:
    return evaluate(recon)


def test_months_exact():
    assert months(487) == 16.00          # 487 days = 16 · 30.4375
    assert months(30) == 0.99            # 0.98563 -> 0.99
    assert months(731) == 24.02
    with pytest.raises(ValueError, match="non-negative int"):
        months(-1)


def test_loader_joins_the_cohort(recon):
    cohort = blina.load_cohort()
    assert len(recon) == 30
    assert list(recon.columns) == list(cohort.columns) + list(COLUMNS[1:])
    assert recon["patient"].tolist() == list(range(1, 31))
    pd.testing.assert_frame_equal(recon[cohort.columns], cohort)
    assert recon.attrs["reconstructed"] is True
    assert recon["os_event"].dtype == bool and recon["os_days"].dtype == np.int64
    # deaths of Table 2 carry the OS event
    assert recon.loc[recon["os_event"], "patient"].tolist() == [6, 9, 11, 13, 24, 26]


def test_loader_says_reconstructed():
    doc = load_reconstructed_survival.__doc__
    assert "RECONSTRUCTED" in doc and "not published data" in doc
    assert "RECONSTRUCTED" in reconstructed.__doc__


def _corrupt(tmp_path, edit) -> str:
    df = pd.read_csv(FILE, dtype=str, keep_default_na=False)
    df = edit(df)
    path = tmp_path / "recon.csv"
    df.to_csv(path, index=False)
    return path


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.csv"):
        load_reconstructed_survival(tmp_path / "nope.csv")


def test_missing_column(tmp_path):
    path = _corrupt(tmp_path, lambda d: d.drop(columns="pfs_event"))
    with pytest.raises(ReconstructionError, match=r"recon\.csv: columns .*missing \['pfs_event'\]"):
        load_reconstructed_survival(path)


def test_wrong_patient_count(tmp_path):
    path = _corrupt(tmp_path, lambda d: d[d["patient"] != "17"])
    with pytest.raises(ReconstructionError,
                       match=r"recon\.csv: column patient .*30 rows, got 29.*missing \[17\]"):
        load_reconstructed_survival(path)


def test_pfs_after_os(tmp_path):
    def edit(d):
        d.loc[d["patient"] == "5", ["pfs_days", "pfs_months"]] = ["600", "19.71"]
        return d

    path = _corrupt(tmp_path, edit)
    with pytest.raises(ReconstructionError,
                       match=r"recon\.csv: line 6 \(patient 5\), column pfs_days: must not "
                             r"exceed os_days, got 600 > 511"):
        load_reconstructed_survival(path)


def test_months_must_match_days(tmp_path):
    def edit(d):
        d.loc[d["patient"] == "2", "os_months"] = "26.40"
        return d

    path = _corrupt(tmp_path, edit)
    with pytest.raises(ReconstructionError,
                       match=r"line 3 \(patient 2\), column os_months: .*\(26\.45\), got '26\.40'"):
        load_reconstructed_survival(path)


@pytest.mark.parametrize(("col", "value", "msg"), [
    ("os_days", "-3", "must be a non-negative whole number of days, got '-3'"),
    ("os_days", "", "must be a non-negative whole number of days, got ''"),
    ("pfs_days", "12.5", "must be a non-negative whole number of days, got '12.5'"),
    ("os_event", "yes", "must be true/false, got 'yes'"),
])
def test_bad_values_named(tmp_path, col, value, msg):
    def edit(d):
        d.loc[d["patient"] == "4", col] = value
        return d

    path = _corrupt(tmp_path, edit)
    with pytest.raises(ReconstructionError) as err:
        load_reconstructed_survival(path)
    assert str(err.value) == f"{path}: line 5 (patient 4), column {col}: {msg}"


def test_event_must_match_table2(tmp_path):
    def edit(d):
        d.loc[d["patient"] == "13", "os_event"] = "false"  # patient 13 died (Table 2)
        return d

    path = _corrupt(tmp_path, edit)
    with pytest.raises(ReconstructionError,
                       match=r"line 14 \(patient 13\), column os_event: is False but Table 2 "
                             r"implies True"):
        load_reconstructed_survival(path)


def test_copy_of_committed_file_loads(tmp_path, recon):
    shutil.copy(FILE, tmp_path / "copy.csv")
    pd.testing.assert_frame_equal(load_reconstructed_survival(tmp_path / "copy.csv"), recon)


# --- evaluate -----------------------------------------------------------------------------


def test_evaluate_one_row_per_published_figure(table):
    assert list(table.columns) == ["claim_id", "section", "figure", "quantity", "published",
                                   "reconstructed", "met", "tier", "note"]
    figures = set(table["figure"])
    claims = blina.load_claims()
    assert {f.key for f in km_targets(claims)} <= figures
    assert {f.key for f in logrank_targets(claims)} <= figures
    assert {f.key for f in median_targets(claims)} <= figures
    assert {"followup-median", "followup-range", "nr-died-1y"} <= figures
    # estimate + CI rows per KM figure, abstract repeats: 53 rows in all
    assert len(table) == 53
    assert not table.duplicated(["claim_id", "figure", "quantity"]).any()
    assert table["met"].dtype == bool
    assert set(table["section"]) == {"3.4", "abstract", "4"}
    claims = set(pd.read_csv(blina.data_path("claims.csv"))["claim_id"])
    assert set(table["claim_id"]) <= claims


def _row(table, figure, ci=False):
    sel = table[(table["figure"] == figure) & (table["section"] == "3.4")]
    sel = sel[sel["quantity"].str.endswith("95% CI") == ci]
    assert len(sel) == 1, (figure, ci)
    return sel.iloc[0]


@pytest.mark.parametrize(("figure", "published", "reconstructed", "met"), [
    ("os24-resp", "96.0", "96.00", True),
    ("pfs24-all", "78.35", "78.35", True),
    ("os24-further", "87.30", "87.30", True),
    ("os6-nonresp", "20", "20.00", True),
    ("os24-all", "82.62", "79.86", False),           # 6 deaths: at most 80% possible
    ("os24-resp-further", "100", "95.45", False),    # natural reading: patient 13 died
    ("os24-resp-further-rev", "95.46", "95.45", True),  # 21/22 = 95.4545 double-rounded
    ("pfs24-resp-nofurther", "94.74", "100.00", False),
])
def test_evaluate_km_values(table, figure, published, reconstructed, met):
    r = _row(table, figure)
    assert (r["published"], r["reconstructed"], r["met"]) == (published, reconstructed, met)


def test_evaluate_ci_rows(table):
    r = _row(table, "os24-nofurther", ci=True)
    # lower 11.0949 prints as 11.10 only double-rounded; upper 95.72 is the further group's
    assert (r["published"], r["reconstructed"], r["met"]) == ("11.10–95.72", "11.09–80.37",
                                                              False)
    r = _row(table, "pfs24-nofurther", ci=True)
    assert (r["reconstructed"], r["met"]) == ("11.09–80.37", True)


@pytest.mark.parametrize(("figure", "p", "met"), [
    ("p-os-resp", "<0.0001", True),
    ("p-pfs-resp", "<0.0001", True),
    ("p-os-further", "0.01286", True),
    ("p-pfs-further", "0.009543", True),
    ("p-os-resp-further", "0.7119", True),
    ("p-pfs-resp-further", "0.7456", False),   # published 0.745
    ("p-os-therapy", "0.6259", True),          # "no difference" read as p >= 0.05
    ("p-pfs-therapy", "0.1822", True),
])
def test_evaluate_logrank(table, figure, p, met):
    r = _row(table, figure)
    assert r["reconstructed"].split(" ")[0] == p
    assert r["met"] == met


def test_evaluate_medians_and_followup(table):
    assert _row(table, "median-os-nofurther")[["reconstructed", "met"]].tolist() == ["10.54",
                                                                                     True]
    assert _row(table, "median-pfs-nofurther")[["reconstructed", "met"]].tolist() == ["7.45",
                                                                                      True]
    assert _row(table, "median-os-all")["reconstructed"] == "undefined"
    assert _row(table, "followup-median")[["reconstructed", "met"]].tolist() == ["17.04", True]
    assert _row(table, "followup-range")[["reconstructed", "met"]].tolist() == ["1.02–32.36",
                                                                                True]


def test_evaluate_reacts_to_the_times(recon):
    """Moving patient 13's death past two years changes the figures it pins."""
    df = recon.copy()
    i = df.index[df["patient"] == 13][0]
    df.loc[i, ["os_days", "os_months"]] = [800, months(800)]
    t = evaluate(df)
    assert not _row(t, "os24-resp")["met"]
    assert _row(t, "os24-resp-further-rev")["reconstructed"] == "100.00"
    assert _row(t, "os24-resp-further")["met"]  # the natural reading now holds


def test_evaluate_needs_columns(recon):
    with pytest.raises(ValueError, match=r"missing column\(s\) \['pfs_months'\]"):
        evaluate(recon.drop(columns="pfs_months"))
