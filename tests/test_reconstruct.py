"""The CP-SAT reconstruction: regeneration is byte-identical, hard constraints hold, CLI."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest

import blina
from blina.__main__ import main
from blina.reconstruction import model
from blina.reconstruction import solve as rc
from blina.reconstruction.files import months, write_csv
from blina.study import MAX_FOLLOWUP_DAYS

pytestmark = pytest.mark.slow  # one CP-SAT solve (~20–40 s) shared by the module

FILE = blina.data_path("reconstructed_survival.csv")
DEATHS = {6, 9, 11, 13, 24, 26}                 # Table 2
RELAPSES = {7, 13, 17, 18, 21}
NONRESPONDERS = {6, 9, 11, 24, 26}


@pytest.fixture(scope="module")
def solved():
    """One full solve (about 20 s on one core), shared by the tests below."""
    lines: list[str] = []
    return rc.reconstruct(blina.load_cohort(), progress=lines.append), lines


@pytest.fixture(scope="module")
def committed() -> pd.DataFrame:
    return pd.read_csv(FILE)


def test_regeneration_is_byte_identical(solved, tmp_path):
    result, _ = solved
    fresh = write_csv(result.times, tmp_path / "fresh.csv")
    assert fresh.read_bytes() == FILE.read_bytes()


def test_tiers_and_progress(solved):
    result, lines = solved
    # lexicographic optimum: tiers 1, 2, 5 all met; tier 3 impossible; tier 4 11 of 12
    assert result.tiers == {1: 8, 2: 7, 3: 0, 4: 11, 5: 2, 6: 1, 7: 6}
    assert result.seed == 0
    assert [ln.split(":")[0] for ln in lines] == [
        "model", "tier 1", "tier 2", "tier 3", "tier 4", "tier 5", "tier 6", "tier 7",
        "tier 8, seed 0", "chosen"]
    assert lines[4].startswith("tier 4: 11 of 12 targets met")
    unmet = sorted(k for k, v in result.met.items() if not v)
    assert unmet == ["os24-all", "os24-resp-further", "os24-resp-nofurther",
                     "p-pfs-resp-further", "pfs24-resp-further", "pfs24-resp-nofurther"]


def test_cli_check_and_out(solved, tmp_path, monkeypatch, capsys):
    result, _ = solved
    monkeypatch.setattr(rc, "reconstruct", lambda **_kw: result)
    assert main(["reconstruct", "--check"]) == 0
    assert "identical" in capsys.readouterr().out
    out = tmp_path / "r.csv"
    assert main(["reconstruct", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert out.read_bytes() == FILE.read_bytes()
    assert "RECONSTRUCTED" in printed and "43 of 53 published survival figures met" in printed
    assert "res-3.4-pfs-resp-further-p [p-pfs-resp-further, tier 4]: published 0.745" in printed
    out.write_bytes(out.read_bytes().replace(b"912,29.96", b"913,30.00"))
    assert main(["reconstruct", "--check", "--out", str(out)]) == 1
    assert "DIFFERS" in capsys.readouterr().out


def test_cli_registered():
    from blina.__main__ import COMMANDS, build_parser

    assert COMMANDS["reconstruct"][0] == "blina.reconstruction.cli"
    args = build_parser().parse_args(["reconstruct", "--check"])
    assert isinstance(args, argparse.Namespace) and args.check and args.out is None


# --- hard constraints on the committed file -----------------------------------------------


def test_events_match_table2(committed):
    assert set(committed.loc[committed["os_event"], "patient"]) == DEATHS
    assert set(committed.loc[committed["pfs_event"], "patient"]) == DEATHS | RELAPSES \
        | NONRESPONDERS


def test_times_in_window(committed):
    assert (committed["pfs_days"] <= committed["os_days"]).all()
    assert committed["os_days"].between(1, MAX_FOLLOWUP_DAYS).all()
    assert committed["os_days"].is_unique and committed["pfs_days"].is_unique
    assert committed["os_months"].tolist() == [months(d) for d in committed["os_days"]]
    assert committed["pfs_months"].tolist() == [months(d) for d in committed["pfs_days"]]


def test_nonresponder_pfs_rule(committed):
    lo, hi = model.BM_WINDOW
    nr = committed[committed["patient"].isin(NONRESPONDERS)]
    assert nr["pfs_days"].between(lo, hi).all()          # first bone-marrow assessment
    assert (nr["pfs_days"] < nr["os_days"]).all()
    rel = committed[committed["patient"].isin(RELAPSES)]
    assert (rel["pfs_days"] > lo).all()                   # relapse after documented remission
    assert (rel.loc[rel["patient"].isin(DEATHS), "pfs_days"]
            < rel.loc[rel["patient"].isin(DEATHS), "os_days"]).all()
    # every nonresponder died within a year (3.4)
    assert (nr["os_months"] <= 12).all()


def test_days_upto_matches_month_values():
    for tau in (6, 12, 24):
        d = model.days_upto(tau)
        assert months(d) <= tau < months(d + 1)


def test_chi2_window():
    lo, hi = model.chi2_window("0.0129")
    # single rounding [0.01285, 0.01295), double [0.012845, 0.012945): union
    from scipy.stats import chi2

    assert lo == pytest.approx(chi2.isf(0.01295, 1)) and hi == pytest.approx(chi2.isf(0.012845, 1))
    lo, hi = model.chi2_window("<0.0001")
    assert hi is None and lo == pytest.approx(15.1367, abs=1e-4)
