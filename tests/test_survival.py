"""Kaplan–Meier, Greenwood/log(−log) CI, medians and log-rank against hand arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from scipy.stats import CensoredData, ecdf

from blina.stats import logrank as survival
from blina.stats.km import km_estimate, km_from_risk_sets, km_table
from blina.stats.logrank import logrank
from blina.stats.summaries import median_survival, survival_at

Z = 1.959963984540054


def data_from_risk_sets(n: int, risk_sets: tuple[int, ...], follow_up: float = 30.0):
    """Durations/events with one death at each risk set (month i), censoring in between."""
    t, e = [], []
    at_risk, month = n, 1.0
    for r in risk_sets:
        while at_risk > r:  # censor until r remain
            t.append(month - 0.5)
            e.append(0)
            at_risk -= 1
        t.append(month)
        e.append(1)
        at_risk -= 1
        month += 1
    t += [follow_up] * at_risk
    e += [0] * at_risk
    return t, e


def by_hand(risk_sets):
    """S, lower, upper straight from the formulas (Greenwood, log(−log))."""
    s = math.prod(1 - 1 / r for r in risk_sets)
    v = sum(1 / (r * (r - 1)) for r in risk_sets)
    sigma = math.sqrt(v) / abs(math.log(s))
    return s, s ** math.exp(Z * sigma), s ** math.exp(-Z * sigma)


# --- hand-checked values -----------------------------------------------------------------


def test_further_treatment_group_24_23_21():
    t, e = data_from_risk_sets(24, (24, 23, 21))
    s, lo, hi = km_estimate(t, e, at=24)
    assert round(100 * s, 3) == 87.302
    assert round(100 * lo, 3) == 65.580
    assert round(100 * hi, 3) == 95.723


def test_no_further_group_6_5_4():
    t, e = data_from_risk_sets(6, (6, 5, 4))
    s, lo, hi = km_estimate(t, e, at=24)
    assert s == 0.5
    assert round(100 * lo, 3) == 11.095
    assert round(100 * hi, 3) == 80.371


@pytest.mark.parametrize(("n", "risk_sets", "printed"), [
    (25, (25,), ("96.00", "74.84", "99.43")),          # responders' 2-year OS as printed
    (5, (5, 4, 3, 2), ("20.00", "0.84", "58.19")),     # nonresponders' 6-month OS as printed
    (10, (10,), ("90.00", "47.30", "98.53")),          # by hand: S=.9, V=1/90
])
def test_published_and_hand_values(n, risk_sets, printed):
    t, e = data_from_risk_sets(n, risk_sets)
    got = km_estimate(t, e, at=len(risk_sets) + 0.5)
    assert tuple(f"{100 * x:.2f}" for x in got) == printed


def test_hand_formula_many_sequences():
    for seq in [(30, 29), (30, 28, 20, 11), (12, 7, 3), (8, 6, 4, 2), (50, 49, 48, 47, 46)]:
        t, e = data_from_risk_sets(seq[0] + 2, seq)
        assert km_estimate(t, e, at=len(seq) + 0.5) == pytest.approx(by_hand(seq), abs=1e-12)
        assert km_from_risk_sets(seq) == pytest.approx(by_hand(seq), abs=1e-12)


def test_tied_deaths_equal_expanded_risk_sets():
    # two deaths at once at risk 10 == single deaths at risk 10 then 9 (Greenwood unchanged)
    t = [1, 1] + [20] * 8
    e = [1, 1] + [0] * 8
    assert km_estimate(t, e, 5) == pytest.approx(km_from_risk_sets((10, 9)), abs=1e-12)


def test_censoring_tied_with_event_counts_as_at_risk():
    # the patient censored at month 2 is at risk for the death at month 2
    t, e = [2, 2, 5, 5], [1, 0, 0, 0]
    assert km_estimate(t, e, 2)[0] == 0.75
    assert km_table(t, e)["at_risk"].tolist() == [4, 2]


def test_km_table_columns_and_values():
    tab = km_table([1, 2, 3, 30, 30, 30], [1, 1, 1, 0, 0, 0])
    assert tab["at_risk"].tolist() == [6, 5, 4, 3]
    assert tab["greenwood"].iloc[2] == pytest.approx(1 / 30 + 1 / 20 + 1 / 12)
    assert tab["survival"].iloc[-1] == pytest.approx(0.5)
    assert tab["censored"].tolist() == [0, 0, 0, 3]


def test_edges_s_equal_one_and_zero():
    assert km_estimate([5, 6, 7], [1, 1, 0], at=2) == (1.0, 1.0, 1.0)
    assert km_estimate([1, 2], [1, 1], at=2) == (0.0, 0.0, 0.0)
    # once the curve is at 0 it is known beyond the last follow-up
    assert km_estimate([1, 2], [1, 1], at=24) == (0.0, 0.0, 0.0)
    assert km_from_risk_sets(()) == (1.0, 1.0, 1.0)


def test_at_equal_to_last_follow_up_allowed():
    assert km_estimate([1, 5], [1, 0], at=5)[0] == 0.5


def test_level_changes_width():
    t, e = data_from_risk_sets(24, (24, 23, 21))
    _, lo90, hi90 = km_estimate(t, e, 24, level=0.90)
    _, lo95, hi95 = km_estimate(t, e, 24)
    assert lo95 < lo90 < hi90 < hi95


# --- independent implementations -----------------------------------------------------------


def random_data(seed: int, n: int = 40):
    rng = np.random.default_rng(seed)
    t = np.round(rng.exponential(20, n), 1)
    e = rng.random(n) < 0.6
    return t, e


@pytest.mark.filterwarnings("ignore:The confidence interval is undefined")
@pytest.mark.parametrize("seed", range(8))
def test_matches_scipy_ecdf_loglog(seed):
    t, e = random_data(seed)
    res = ecdf(CensoredData(uncensored=t[e], right=t[~e]))
    ci = res.sf.confidence_interval(method="log-log")
    for at in (5.0, 10.0, 15.0):
        s, lo, hi = km_estimate(t, e, at)
        if 0 < s < 1:
            assert s == pytest.approx(res.sf.evaluate(at), abs=1e-12)
            assert lo == pytest.approx(ci.low.evaluate(at), abs=1e-9)
            assert hi == pytest.approx(ci.high.evaluate(at), abs=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_matches_lifelines(seed):
    t, e = random_data(seed)
    kmf = KaplanMeierFitter().fit(t, e)
    tab = km_table(t, e)
    expected = kmf.survival_function_.loc[tab["time"]].iloc[:, 0].to_numpy()
    np.testing.assert_allclose(tab["survival"], expected, atol=1e-12)
    inner = (tab["survival"] > 0) & (tab["survival"] < 1)
    ci = kmf.confidence_interval_.loc[tab["time"][inner]].to_numpy()
    np.testing.assert_allclose(tab.loc[inner, ["lower", "upper"]].to_numpy(), ci, atol=1e-9)


# --- medians -------------------------------------------------------------------------------


def test_median_flat_at_half_until_end():
    t, e = [1, 2, 3, 30, 30, 30], [1, 1, 1, 0, 0, 0]
    assert median_survival(t, e) == 3.0
    assert median_survival(t, e, convention="prism") == 16.5  # (3 + 30) / 2
    # lifelines itself misses the exact 50% in floating point: that is why we compute exactly
    assert math.isinf(KaplanMeierFitter().fit(t, e).median_survival_time_)


def test_median_flat_then_drop():
    t, e = [1, 2, 5, 6], [1, 1, 1, 1]
    assert median_survival(t, e) == 2.0
    assert median_survival(t, e, convention="prism") == 3.5


def test_median_crossing_below_half_same_in_both():
    t, e = [1, 2, 3], [1, 1, 1]
    assert median_survival(t, e) == median_survival(t, e, "prism") == 2.0


def test_median_not_reached_is_inf():
    assert median_survival([1, 10, 10, 10], [1, 0, 0, 0], "prism") == math.inf
    assert median_survival([1, 10, 10, 10], [1, 0, 0, 0]) == math.inf


# --- survival_at ---------------------------------------------------------------------------


@pytest.fixture()
def surv_df():
    t1, e1 = data_from_risk_sets(24, (24, 23, 21))
    t2, e2 = data_from_risk_sets(6, (6, 5, 4))
    return pd.DataFrame({"os_months": t1 + t2, "os_event": e1 + e2,
                         "further": ["yes"] * 24 + ["no"] * 6})


def test_survival_at_by_group(surv_df):
    tab = survival_at(surv_df, group="further", times=(24,))
    assert list(tab.columns) == ["further", "time", "n", "events", "at_risk", "estimate",
                                 "lower", "upper", "printed"]
    assert tab["further"].tolist() == ["no", "yes"]
    assert tab["printed"].tolist() == ["50.00 (11.09–80.37)", "87.30 (65.58–95.72)"]
    assert tab["n"].tolist() == [6, 24]
    assert tab["events"].tolist() == [3, 3]
    assert tab["at_risk"].tolist() == [3, 20]


def test_survival_at_overall_and_times(surv_df):
    tab = survival_at(surv_df, times=(0.5, 24))
    assert "further" not in tab.columns
    assert tab["estimate"].iloc[0] == 1.0
    assert tab["n"].tolist() == [30, 30]


def test_survival_at_custom_columns_and_beyond(surv_df):
    df = surv_df.rename(columns={"os_months": "T", "os_event": "E"})
    with pytest.raises(ValueError, match=r"times: at=40 is beyond the last follow-up time 30"):
        survival_at(df, times=(40,), duration_col="T", event_col="E")
    tab = survival_at(df, times=(40,), duration_col="T", event_col="E", beyond_followup="nan")
    assert math.isnan(tab["estimate"].iloc[0])
    assert tab["printed"].iloc[0] == "beyond follow-up"


def test_survival_at_errors(surv_df):
    with pytest.raises(ValueError, match=r"group: unknown column 'arm'"):
        survival_at(surv_df, group="arm")
    with pytest.raises(ValueError, match=r"endpoint must be one of \('os', 'pfs'\), got 'efs'"):
        survival_at(surv_df, endpoint="efs")
    with pytest.raises(ValueError, match=r"duration_col: unknown column 'pfs_months'"):
        survival_at(surv_df, endpoint="pfs")
    cat = surv_df.assign(further=pd.Categorical(surv_df["further"], ["yes", "no", "maybe"]))
    with pytest.raises(ValueError, match=r"group column 'further' level 'maybe' has no patients"):
        survival_at(cat, group="further")
    with pytest.raises(ValueError, match=r"times must be non-negative, got -1"):
        survival_at(surv_df, times=(-1,))


# --- log-rank ------------------------------------------------------------------------------


def test_logrank_two_groups_by_hand():
    # deaths A at 1, 2; B at 3, 4: O_A − E_A = 2 − (1/2 + 1/3), V = 1/4 + 2/9 → chi2 = 49/17
    res = logrank([1, 2, 3, 4], [1, 1, 1, 1], ["A", "A", "B", "B"])
    assert res.statistic == pytest.approx(49 / 17)
    assert res.df == 1
    assert res.p == pytest.approx(math.erfc(math.sqrt(49 / 34)))  # chi2(1) tail = 0.08956
    assert round(res.p, 5) == 0.08956
    assert res.groups == ("A", "B")


def test_logrank_three_groups():
    t, e = random_data(3, 45)
    g = np.repeat(["x", "y", "z"], 15)
    res = logrank(t, e, g)
    assert res.df == 2
    from lifelines.statistics import multivariate_logrank_test
    assert res.statistic == pytest.approx(multivariate_logrank_test(t, g, e).test_statistic)


def test_logrank_needs_two_groups():
    with pytest.raises(ValueError, match=r"groups must contain at least two groups, got \['A'\]"):
        logrank([1, 2], [1, 1], ["A", "A"])


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(("durations", "events", "message"), [
    ([1, -2], [1, 0], r"durations must be non-negative, got -2 at position 1"),
    ([1, float("nan")], [1, 0], r"durations has a missing value \(NaN\) at position 1"),
    ([1, "x"], [1, 0], r"durations must hold numbers, got 'x' at position 1"),
    ([1, math.inf], [1, 0], r"durations must be finite, got inf at position 1"),
    ([1, 2], [1, 2], r"events must be 0/1 or boolean, got 2 at position 1"),
    ([1, 2], [1, "yes"], r"events must be 0/1 or boolean, got 'yes' at position 1"),
    ([1, 2], pd.array([True, None], dtype="boolean"), r"events has a missing value at position 1"),
    ([1, 2, 3], [1, 0], r"durations and events must have the same length, got 3 and 2"),
    ([], [], r"durations is empty"),
    (5, [1], r"durations must be a one-dimensional sequence, got 5"),
])
def test_bad_input(durations, events, message):
    with pytest.raises(ValueError, match=message):
        km_estimate(durations, events, at=1)
    with pytest.raises(ValueError, match=message):
        median_survival(durations, events)
    with pytest.raises(ValueError, match=message):
        km_table(durations, events)


def test_bad_time_point_and_level():
    with pytest.raises(ValueError, match=r"at=31 is beyond the last follow-up time 30 of "):
        km_estimate([1, 30], [1, 0], at=31)
    with pytest.raises(ValueError, match=r"at must be non-negative, got -1"):
        km_estimate([1, 30], [1, 0], at=-1)
    with pytest.raises(ValueError, match=r"at must be a finite number, got nan"):
        km_estimate([1, 30], [1, 0], at=float("nan"))
    with pytest.raises(ValueError, match=r"level must be a number strictly between 0 and 1, "
                                         r"got 95$"):
        km_estimate([1, 30], [1, 0], at=2, level=95)
    with pytest.raises(ValueError, match=r"convention must be one of \('lifelines', 'prism'\)"):
        median_survival([1, 2], [1, 1], convention="R")


def test_bad_risk_sets():
    with pytest.raises(ValueError, match=r"strictly decreasing, got \(5, 5\)"):
        km_from_risk_sets((5, 5))
    with pytest.raises(ValueError, match=r"integers >= 1, got 0"):
        km_from_risk_sets((3, 0))
    with pytest.raises(ValueError, match=r"starts at 25, more than n=24"):
        km_from_risk_sets((25,), n=24)


def test_bad_groups():
    with pytest.raises(ValueError, match=r"durations and groups must have the same length, got 3 "
                                         r"and 2"):
        logrank([1, 2, 3], [1, 1, 1], ["a", "b"])
    with pytest.raises(ValueError, match=r"groups has a missing value at position 1"):
        logrank([1, 2, 3], [1, 1, 1], ["a", None, "b"])
    cat = pd.Series(pd.Categorical(["a", "b", "a"], categories=["a", "b", "c"]))
    with pytest.raises(ValueError, match=r"groups level 'c' has no patients"):
        logrank([1, 2, 3], [1, 1, 1], cat)


# --- properties ----------------------------------------------------------------------------

durations_events = st.integers(min_value=1, max_value=25).flatmap(lambda n: st.tuples(
    st.lists(st.integers(min_value=0, max_value=40), min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n)))


@settings(max_examples=150, deadline=None)
@given(durations_events)
def test_property_curve_monotone_bounded_and_ci_contains(data):
    t, e = data
    tab = km_table(t, e)
    s = tab["survival"].to_numpy()
    assert np.all(np.diff(s) <= 1e-15)
    assert np.all((s >= 0) & (s <= 1))
    assert np.all(tab["lower"] <= s + 1e-12) and np.all(s <= tab["upper"] + 1e-12)
    assert np.all((tab["lower"] >= 0) & (tab["upper"] <= 1))
    for at in {0, max(t) / 2, max(t)}:
        est, lo, hi = km_estimate(t, e, at)
        assert 0 <= lo <= est <= hi <= 1


@settings(max_examples=60, deadline=None)
@given(durations_events, st.randoms(use_true_random=False))
def test_property_logrank_symmetric_in_group_order(data, rnd):
    t, e = data
    if len(t) < 2:
        return
    g = ["a" if i % 2 else "b" for i in range(len(t))]
    rnd.shuffle(g)
    if len(set(g)) < 2 or not any(e):
        return
    swapped = ["b" if x == "a" else "a" for x in g]
    r1, r2 = logrank(t, e, g), logrank(t, e, swapped)
    assert r1.statistic == pytest.approx(r2.statistic, rel=1e-9, abs=1e-12)
    assert r1.p == pytest.approx(r2.p, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=2, max_value=40).flatmap(lambda n: st.tuples(
    st.just(n), st.sets(st.integers(min_value=2, max_value=n), max_size=min(n - 1, 8)))))
def test_property_risk_sets_round_trip(case):
    # data built from any strictly decreasing risk sets give the same S and CI as the formula
    n, sets = case
    seq = tuple(sorted(sets, reverse=True))
    t, e = data_from_risk_sets(n, seq)
    got = km_estimate(t, e, at=len(seq) + 0.5)
    assert got == pytest.approx(km_from_risk_sets(seq, n=n), abs=1e-12)
    if seq:
        assert got == pytest.approx(by_hand(seq), abs=1e-12)


# ---------------------------------------------------------------------------------------------
# the log-rank test is computed directly; lifelines is the reference it must agree with


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 15), st.booleans(), st.integers(0, 3)),
                min_size=3, max_size=30))
def test_logrank_agrees_with_lifelines(rows):
    from lifelines.statistics import multivariate_logrank_test

    t = np.array([r[0] for r in rows], dtype=float)
    e = np.array([r[1] for r in rows])
    g = np.array([r[2] for r in rows])
    assume(len(set(g.tolist())) >= 2 and e.any())
    ours = survival.logrank(t, e, g)
    ref = multivariate_logrank_test(t, g, e)
    assert ours.df == ref.degrees_of_freedom
    assert ours.statistic == pytest.approx(ref.test_statistic, abs=1e-9)
    assert ours.p == pytest.approx(ref.p_value, abs=1e-9)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 7])
def test_chi2_sf_matches_scipy(df):
    from scipy.stats import chi2

    for x in (0.01, 0.5, 1.0, 3.84, 10.0, 40.0):
        assert survival.chi2_sf(x, df) == pytest.approx(chi2.sf(x, df), rel=1e-12)
    assert survival.chi2_sf(0.0, df) == 1.0


def test_chi2_sf_rejects_bad_df():
    with pytest.raises(ValueError, match="df must be a positive integer, got 0"):
        survival.chi2_sf(1.0, 0)
