"""Fault injection: each fault found by the fault-injection pass, injected, with its message.

Every test here failed before its fix (see the issue "The build never shows stale or wrong
numbers, and every failure says what failed").  Sections: numeric edges, the inverse KM size
guard, the data loaders, the audit command line, the book build (tiny books only).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2

from blina.stats.binomial import EXACT_MAX_N, clopper_pearson
from blina.stats.km import km_estimate, km_estimate_and_ci, km_table
from blina.stats.logrank import chi2_sf, logrank

# ---------------------------------------------------------------------------------------------
# numeric edges (blina.stats)


def test_chi2_sf_of_nan_is_an_error_not_a_p_value_of_one():
    with pytest.raises(ValueError, match=r"x must be a number, got nan"):
        chi2_sf(math.nan, 1)


@pytest.mark.parametrize(("x", "df"), [(1500.0, 1000), (1500.0, 1001), (10.0, 1000),
                                       (2.0e4, 20_000), (1.0e6, 999_999)])
def test_chi2_sf_with_many_degrees_of_freedom(x, df):
    assert chi2_sf(x, df) == pytest.approx(chi2.sf(x, df), rel=1e-9, abs=1e-300)


def test_chi2_sf_at_infinity_and_below_zero():
    assert chi2_sf(math.inf, 3) == 0.0
    assert chi2_sf(-2.0, 3) == 1.0


def test_chi2_sf_takes_numpy_integers_as_df():
    assert chi2_sf(3.841458820694124, np.int64(1)) == pytest.approx(0.05, rel=1e-12)


def test_clopper_pearson_with_huge_n_is_finite_and_centred():
    # 10^29 successes in 10^30 trials: the interval is 0.1 ± z·√(0.09/10^30) ≈ 0.1 ± 5.88e-16
    lo, hi = clopper_pearson(10**29, 10**30)
    half = 1.959963984540054 * math.sqrt(0.09 / 1e30)
    assert lo == pytest.approx(0.1 - half, abs=2e-17)
    assert hi == pytest.approx(0.1 + half, abs=2e-17)
    assert lo < 0.1 < hi


def test_clopper_pearson_where_the_beta_quantile_of_scipy_is_wrong():
    # scipy's betaincinv(1000, 10^9 - 999, 0.025) returns 1.9e-6, a point where the beta CDF is
    # already 1.0; the exact lower bound is near the gamma limit gammaincinv(1000, 0.025)/n
    from scipy.special import betainc, gammaincinv

    n, k = 10**9, 1000
    lo, hi = clopper_pearson(k, n)
    assert betainc(k, n - k + 1, lo) == pytest.approx(0.025, rel=1e-9)
    assert betainc(k + 1, n - k, hi) == pytest.approx(0.975, rel=1e-9)
    assert lo == pytest.approx(gammaincinv(k, 0.025) / n, rel=1e-5)


@pytest.mark.parametrize("k", [1, 7, 10**6, 10**14, 5 * 10**14, 10**15 - 3])
def test_clopper_pearson_large_sample_limits_agree_with_the_exact_interval_at_the_switch(k):
    # 10^15 trials: exact beta quantiles; 10^15 + 1: the large-sample limits.  One more trial
    # moves the interval by about k/n^2, a relative 1e-15
    n = EXACT_MAX_N
    exact, limit = clopper_pearson(k, n), clopper_pearson(k, n + 1)
    assert limit == pytest.approx(exact, rel=1e-8)
    assert 0 <= exact[0] < k / n < exact[1] <= 1


def test_clopper_pearson_takes_numpy_integers():
    assert clopper_pearson(np.int64(25), np.int32(30)) == pytest.approx((0.6528, 0.9436),
                                                                       abs=5e-5)


def test_km_estimate_and_ci_takes_numpy_integers():
    s, lo, hi = km_estimate_and_ci(np.array([24, 23, 21]))
    assert float(s) == pytest.approx(23 / 24 * 22 / 23 * 20 / 21)
    assert (lo, hi) == pytest.approx((0.65580, 0.95723), abs=5e-6)


def test_km_table_is_vectorised_and_agrees_with_the_product():
    t = np.array([1, 2, 2, 3, 5, 8, 8, 13], dtype=float)
    e = np.array([1, 1, 0, 1, 0, 1, 1, 0], dtype=bool)
    table = km_table(t, e)
    assert table["time"].tolist() == [1, 2, 3, 5, 8, 13]
    assert table["at_risk"].tolist() == [8, 7, 5, 4, 3, 1]
    s = 7 / 8 * 6 / 7 * 4 / 5 * 1 / 3
    assert table["survival"].iloc[-1] == pytest.approx(s)
    assert table["greenwood"].iloc[4] == pytest.approx(1 / 56 + 1 / 42 + 1 / 20 + 2 / 3)
    assert km_estimate(t, e, 10)[0] == pytest.approx(s)


def test_survival_input_errors_still_name_value_and_position():
    t = np.array([1.0, 2.0, np.nan, 4.0])
    with pytest.raises(ValueError, match=r"durations has a missing value \(NaN\) at position 2"):
        km_estimate(t, [1, 0, 1, 0], 1.0)
    with pytest.raises(ValueError, match=r"durations must be non-negative, got -1.0 at position 1"):
        logrank(np.array([1.0, -1.0]), [1, 1], ["a", "b"])
    with pytest.raises(ValueError, match=r"events must be 0/1 or boolean, got 2 at position 0"):
        km_estimate(np.array([1.0]), np.array([2]), 1.0)


# ---------------------------------------------------------------------------------------------
# the inverse Kaplan–Meier solver


def test_the_brute_force_refuses_sizes_it_cannot_finish():
    from blina.inverse_km import km_risk_sets_naive

    with pytest.raises(ValueError, match=r"2\^n subsets: n=60 is too many \(at most 20\)"):
        km_risk_sets_naive("50.00", None, None, 60)
    assert km_risk_sets_naive("50.00", None, None, 2) == [(2,)]


def test_the_solver_takes_numpy_integers_as_n():
    from blina.inverse_km import km_risk_sets, max_estimate, min_events

    assert (24, 23, 21) in km_risk_sets("87.30", "65.58", "95.72", np.int64(24))
    assert max_estimate(np.int64(30), np.int32(2)) == max_estimate(30, 2)
    assert min_events("87.30", np.int64(24)) == 2  # risk sets 21, 12: 20/21 · 11/12 = 0.873016


# ---------------------------------------------------------------------------------------------
# the audit command line


def _audit_cli(*args: str):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "blina", "audit", *args], capture_output=True,
                          text=True)


def test_audit_of_an_unknown_section_fails_listing_the_sections():
    res = _audit_cli("--section", "99")
    assert res.returncode == 2
    assert res.stdout == ""
    assert "audit: unknown section '99'; the ledger's sections are abstract, 2.2" in res.stderr
    assert "3.4" in res.stderr


def test_audit_of_an_unknown_status_fails_listing_the_statuses():
    res = _audit_cli("--status", "wrong")
    assert res.returncode == 2 and res.stdout == ""
    assert "invalid choice: 'wrong'" in res.stderr
    assert "reproduced" in res.stderr and "unverifiable" in res.stderr


# ---------------------------------------------------------------------------------------------
# the data loaders (copies of data/ files in tmp_path)

LOADERS = {"patients.csv": "load_cohort", "adverse_events.csv": "load_adverse_events",
           "claims.csv": "load_claims", "comparators.csv": "load_comparators",
           "patient_notes.csv": "load_patient_notes"}


def _data(name: str) -> bytes:
    from blina.data import data_path

    return data_path(name).read_bytes()


def _load(name: str, path):
    import blina.data

    return getattr(blina.data, LOADERS[name])(path)


@pytest.mark.parametrize("name", list(LOADERS))
def test_a_byte_order_mark_is_accepted_by_every_loader(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + _data(name))
    with_bom = _load(name, path)
    plain = _load(name, None)
    assert list(with_bom.columns) == list(plain.columns)
    assert with_bom.equals(plain)


@pytest.mark.parametrize("name", list(LOADERS))
def test_non_utf8_bytes_are_named_with_file_line_and_column(tmp_path, name):
    from blina.data import DataValidationError

    lines = _data(name).split(b"\n")
    field = lines[2].split(b",")
    field[0] = field[0] + b"\xe9"  # é in Latin-1, as an old spreadsheet saves it
    lines[2] = b",".join(field)
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(DataValidationError) as info:
        _load(name, path)
    header = lines[0].decode().split(",")[0]
    message = str(info.value)
    assert f"{name}: 1 problem(s); nothing was loaded" in message
    assert f"line 3, column {header!r}: byte 0xe9 is not UTF-8" in message


def _patients_with(tmp_path, line: int, column: str, value: str):
    text = _data("patients.csv").decode()
    rows = [r.split(",") for r in text.splitlines()]
    rows[line - 1][rows[0].index(column)] = value
    path = tmp_path / "patients.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_a_thirty_digit_age_is_a_validation_error_not_an_overflow(tmp_path):
    from blina.data import DataValidationError, load_cohort

    path = _patients_with(tmp_path, 2, "age", "1" * 30)
    with pytest.raises(DataValidationError) as info:
        load_cohort(path)
    assert ("line 2 (patient 1), column 'age': got '111111111111111111111111111111', "
            "expected a number of at most 18 characters") in str(info.value)


@pytest.mark.parametrize("name", list(LOADERS))
def test_an_empty_file_is_named(tmp_path, name):
    from blina.data import DataValidationError

    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(DataValidationError, match=rf"{name}: 1 problem\(s\); nothing was "
                                                  r"loaded\n  the file is empty \(no header row\)"):
        _load(name, path)


def test_a_ledger_without_claims_is_refused(tmp_path):
    from blina.data import DataValidationError, load_claims

    path = tmp_path / "claims.csv"
    path.write_bytes(_data("claims.csv").split(b"\n")[0] + b"\n")
    with pytest.raises(DataValidationError, match="expected at least one claim"):
        load_claims(path)


def _comparators(tmp_path, edit) -> object:
    lines = _data("comparators.csv").decode().splitlines()
    path = tmp_path / "comparators.csv"
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return path


def test_a_duplicated_comparator_study_is_refused(tmp_path):
    from blina.data import DataValidationError, load_comparators

    tower = next(i for i, line in enumerate(_data("comparators.csv").decode().splitlines())
                 if "TOWER" in line)
    path = _comparators(tmp_path, lambda lines: [*lines, lines[tower]])
    with pytest.raises(DataValidationError) as info:
        load_comparators(path)
    message = str(info.value)
    assert (f"line {tower + 1} (study Kantarjian et al. (TOWER)), column 'study': got "
            "'Kantarjian et al. (TOWER)', expected unique values (duplicate)") in message
    assert "column 'source': got 'kantarjian2017', expected unique values" in message


def test_a_missing_comparator_study_is_named(tmp_path):
    from blina.data import DataValidationError, load_comparators

    path = _comparators(tmp_path, lambda lines: [x for x in lines if "TOWER" not in x])
    with pytest.raises(DataValidationError, match=r"whole file: no row for source "
                                                  r"'kantarjian2017'"):
        load_comparators(path)


def test_a_million_bad_rows_are_rejected_fast_with_a_short_message(tmp_path):
    import time

    from blina.data import DataValidationError, load_cohort

    row = _data("patients.csv").split(b"\n")[1].replace(b",CR,", b",Cri,") + b"\n"
    path = tmp_path / "patients.csv"
    path.write_bytes(_data("patients.csv").split(b"\n")[0] + b"\n" + row * 10**6)
    t0 = time.perf_counter()
    with pytest.raises(DataValidationError) as info:
        load_cohort(path)
    assert time.perf_counter() - t0 < 5  # measured in bench/bench_loaders.py; generous here
    message = str(info.value)
    assert len(message) < 2000
    assert "patients.csv: 1 problem(s); nothing was loaded" in message
    assert "MB, more than the 1 MB a data file may hold" in message


def test_many_problems_are_capped_at_twenty_and_counted(tmp_path):
    from blina.data import DataValidationError, load_cohort

    lines = _data("patients.csv").decode().splitlines()
    bad = [lines[0]] + [x.replace(",M,", ",X,").replace(",F,", ",X,") for x in lines[1:]]
    path = tmp_path / "patients.csv"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_cohort(path)
    err = info.value
    assert err.count == 30 and len(err.problems) == 20
    assert "patients.csv: 30 problem(s); nothing was loaded (the first 20 follow)" in str(err)
    assert "line 21 (patient 20), column 'sex': got 'X'" in str(err)
    assert "line 22 (patient 21)" not in str(err)
    assert str(err).endswith("... and 10 more problem(s)")
