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
