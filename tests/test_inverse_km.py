"""Tests of the inverse Kaplan–Meier solver (blina.inverse_km, re-exported by blina.audit).

Every expected number is recomputed here independently of the module: the estimate exactly
with ``fractions.Fraction`` (``S = Π(1 − 1/r)``, Kaplan & Meier 1958) and the log(−log) 95%
interval from its formula (Greenwood 1926 variance ``V = Σ 1/(r(r − 1))``,
``lower/upper = S^exp(±z√V/|ln S|)``, Kalbfleisch & Prentice 2002), printed half up.
The solver is compared with a brute-force ``itertools`` enumeration written in this file.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from blina.inverse_km import RiskSetSolutions, km_risk_sets, max_estimate, min_events
from blina.inverse_km.bounds import admissible_window, max_v, min_v
from blina.inverse_km.heuristics import luby
from blina.inverse_km.middle import meet_in_the_middle
from blina.inverse_km.problem import parse_figure, solution_order
from blina.stats.km import km_estimate

Z = 1.959963984540054  # Φ⁻¹(0.975)


# ---------------------------------------------------------------------------------------------
# independent forward computation and printing


def est_exact(risk_sets) -> Fraction:
    s = Fraction(1)
    for r in risk_sets:
        s *= Fraction(r - 1, r)
    return s


def loglog_ci(risk_sets) -> tuple[float, float]:
    """log(−log) interval computed from the textbook formula (proportions)."""
    s = float(est_exact(risk_sets))
    v = sum(1.0 / (r * (r - 1)) for r in risk_sets)
    sigma = math.sqrt(v) / abs(math.log(s))
    return s ** math.exp(Z * sigma), s ** math.exp(-Z * sigma)


def half_up(value, decimals: int) -> Decimal:
    """Half-up rounding of a Fraction or float (floats via their shortest repr)."""
    q = Decimal(1).scaleb(-decimals)
    if isinstance(value, Fraction):  # exact: floor(value·10^d + 1/2)
        scaled = value * 10**decimals + Fraction(1, 2)
        return (Decimal(scaled.numerator // scaled.denominator) * q).quantize(q)
    return Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP)


def printed(risk_sets, decimals=(2, 2, 2), rounding="single") -> tuple[str, str, str]:
    """How a statistics package (single) or an author re-rounding its display (double) prints
    the estimate and the CI of ``risk_sets``, in percent."""
    s = est_exact(risk_sets) * 100
    if risk_sets and risk_sets[-1] == 1 or not risk_sets:
        lo = hi = s
    else:
        lo, hi = (100 * b for b in loglog_ci(risk_sets))
    out = []
    for value, d in zip((s, lo, hi), decimals, strict=True):
        if rounding == "double":
            shown = half_up(value, d + 1)
            out.append(str(shown.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)))
        else:
            out.append(str(half_up(value, d)))
    return tuple(out)


def naive(estimate, lower, upper, n, decimals=(2, 2, 2), rounding="single"):
    """All subsets of {1..n} (as decreasing tuples) that print as the given values."""
    want = (str(estimate), str(lower), str(upper))
    hits = [combo for k in range(n + 1) for combo in combinations(range(n, 0, -1), k)
            if printed(combo, decimals, rounding) == want]
    return sorted(hits, key=lambda s: (len(s), [-r for r in s]))


def risk_sets_of(durations, events, at) -> tuple[int, ...]:
    """Numbers at risk at each event up to ``at``, tied events expanded one by one."""
    out = []
    for t in sorted({d for d, e in zip(durations, events, strict=True) if e and d <= at}):
        at_risk = sum(1 for d in durations if d >= t)
        deaths = sum(1 for d, e in zip(durations, events, strict=True) if e and d == t)
        out.extend(range(at_risk, at_risk - deaths, -1))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# the paper's figures (section 3.4)


def test_hand_arithmetic_of_the_paper_sequences():
    # further treatment: 24 at risk, events at risk 24, 23, 21 (one censored between)
    s = Fraction(23, 24) * Fraction(22, 23) * Fraction(20, 21)
    assert s == Fraction(55, 63)
    assert half_up(100 * s, 2) == Decimal("87.30")
    lo, hi = loglog_ci((24, 23, 21))
    assert (half_up(100 * lo, 2), half_up(100 * hi, 2)) == (Decimal("65.58"), Decimal("95.72"))
    # no further treatment: 5/6·4/5·3/4 = 1/2, V = 1/30 + 1/20 + 1/12 = 1/6
    assert est_exact((6, 5, 4)) == Fraction(1, 2)
    lo, hi = loglog_ci((6, 5, 4))
    assert math.isclose(lo, math.exp(-math.log(2) * math.exp(Z * math.sqrt(1 / 6) / math.log(2))))
    assert 0.110945 < lo < 0.110950  # 11.0948…%: 11.09 once rounded, 11.10 only twice
    assert printed((6, 5, 4)) == ("50.00", "11.09", "80.37")
    assert printed((6, 5, 4), rounding="double") == ("50.00", "11.10", "80.37")
    # responders: 24/25 = 96.0%
    assert printed((25,), (1, 2, 2)) == ("96.0", "74.84", "99.43")
    # nonresponders at 6 months: 4/5·3/4·2/3·1/2 = 1/5
    assert est_exact((5, 4, 3, 2)) == Fraction(1, 5)
    assert printed((5, 4, 3, 2), (0, 2, 2)) == ("20", "0.84", "58.19")


def test_further_treatment_os_has_a_single_sequence():
    res = km_risk_sets(87.30, 65.58, 95.72, 24)
    assert isinstance(res, RiskSetSolutions)
    assert res.exhaustive and res.solutions == ((24, 23, 21),)
    assert res == [(24, 23, 21)]
    assert res.event_counts == (3,)


def test_no_further_treatment_needs_double_rounding():
    assert km_risk_sets(50.0, 11.10, 80.37, 6, rounding="double") == [(6, 5, 4)]
    res = km_risk_sets(50.0, 11.10, 80.37, 6, rounding="single")
    assert res == [] and res.exhaustive
    # and 11.09 (single rounding of 11.0948) gives the sequence back
    assert km_risk_sets("50.0", "11.09", "80.37", 6, decimals=(1, 2, 2)) == [(6, 5, 4)]


def test_no_further_treatment_printed_upper_9572_is_impossible():
    # the paper prints "50.0% 95%CI 11.10-95.72" for OS: 95.72 is the upper of the other group
    for rounding in ("single", "double"):
        res = km_risk_sets("50.0", "11.10", "95.72", 6, decimals=(1, 2, 2), rounding=rounding)
        assert res == [] and res.exhaustive


def test_responders_and_nonresponders():
    assert km_risk_sets(96.0, 74.84, 99.43, 25, decimals=(1, 2, 2)) == [(25,)]
    assert km_risk_sets(20, 0.84, 58.19, 5, decimals=(0, 2, 2)) == [(5, 4, 3, 2)]
    assert min_events(20, 5, decimals=0) == 4


def test_all_patients_os_cannot_have_six_deaths():
    # 82.62% among 30 allows at most 5 events (with 6 the best is 24/30 = 80%), yet 6 died
    assert max_estimate(30, 6) == Fraction(4, 5) < Fraction(82615, 100000)
    # brute force over every sequence with <= 5 events (more cannot reach 82.615%)
    hits = {"single": [], "double": []}
    for k in range(6):
        for combo in combinations(range(30, 0, -1), k):
            if Fraction(82545, 100000) <= est_exact(combo) < Fraction(82625, 100000):
                for rounding in hits:
                    if printed(combo, rounding=rounding) == ("82.62", "63.14", "92.37"):
                        hits[rounding].append(combo)
    # only double rounding prints it: 25/29 * 23/24 = 82.6149% -> 82.615 -> 82.62
    assert hits == {"single": [], "double": [(29, 28, 27, 26, 24)]}
    assert half_up(Fraction(575, 696) * 100, 2) == Decimal("82.61")
    for rounding, expected in hits.items():
        res = km_risk_sets("82.62", "63.14", "92.37", 30, rounding=rounding)
        assert res.exhaustive and list(res) == expected
    assert min_events("82.62", 30) == 3  # e.g. (30, 26, 9)
    alone = km_risk_sets("82.62", None, None, 30, limit=100_000)
    assert alone.exhaustive and max(alone.event_counts) <= 5
    for seq in alone:
        assert est_exact(seq) <= max_estimate(30, len(seq))


def test_exported_by_the_package():
    import blina

    assert blina.km_risk_sets is km_risk_sets


# ---------------------------------------------------------------------------------------------
# bounds and infeasible inputs


@given(n=st.integers(1, 200), data=st.data())
def test_max_estimate_is_the_top_block(n, data):
    d = data.draw(st.integers(0, n))
    assert max_estimate(n, d) == Fraction(n - d, n)
    assert est_exact(tuple(range(n, n - d, -1))) == max_estimate(n, d)  # attained


@given(n=st.integers(2, 14), data=st.data())
@settings(max_examples=60, deadline=None)
def test_no_subset_beats_max_estimate(n, data):
    d = data.draw(st.integers(1, n))
    best = max(est_exact(c) for c in combinations(range(n, 0, -1), d))
    assert best == max_estimate(n, d)


def test_estimate_above_every_bound_is_infeasible():
    # one event among 30 gives at most 29/30 = 96.67%; 97.00% needs fewer than one event
    assert max_estimate(30, 1) < Fraction(97, 100)
    res = km_risk_sets(97.00, None, None, 30)
    assert res == [] and res.exhaustive
    assert min_events(97.00, 30) is None
    # 95.24% among 25 with CI: feasible (one event at risk 21) ...
    assert km_risk_sets(95.24, 70.72, 99.32, 25) == [(21,)]
    # ... but not among 20 patients: 20/21 needs 21 at risk
    assert km_risk_sets(95.24, 70.72, 99.32, 20) == []


def test_solutions_respect_max_estimate():
    res = km_risk_sets(50, None, None, 20, decimals=0, limit=100_000)
    assert res.exhaustive and len(res) > 100
    for seq in res:
        s = est_exact(seq)
        assert Fraction(495, 1000) <= s < Fraction(505, 1000)
        assert s <= max_estimate(20, len(seq))
        assert all(a > b for a, b in zip(seq, seq[1:], strict=False)) and seq[-1] >= 1
    # one event at risk 2 (all others censored first) gives 1/2; the top block needs 10
    assert (2,) in res and tuple(range(20, 10, -1)) in res
    assert min(res.event_counts) == min_events(50, 20, decimals=0) == 1
    assert max(res.event_counts) == 10  # 11 events: max_estimate(20, 11) = 45% < 49.5%
    assert max_estimate(20, 11) < Fraction(495, 1000)


def test_degenerate_estimates():
    res = km_risk_sets(100, 100, 100, 10, decimals=0)  # no event: S = 1, CI (1, 1)
    assert res == [()]
    res = km_risk_sets(0, 0, 0, 5, decimals=0)  # last at risk died: S = 0; 2^4 sequences
    assert res.exhaustive and len(res) == 16
    assert all(seq[-1] == 1 for seq in res)
    assert sorted(res) == sorted((*c, 1) for k in range(5) for c in combinations(range(5, 1, -1),
                                                                                  k))


# ---------------------------------------------------------------------------------------------
# limit: never a silent truncation


def test_limit_is_explicit():
    full = km_risk_sets(50, None, None, 20, decimals=0, limit=100_000)
    assert full.exhaustive
    total = len(full)
    exact = km_risk_sets(50, None, None, 20, decimals=0, limit=total)
    assert exact.exhaustive and list(exact) == list(full)
    cut = km_risk_sets(50, None, None, 20, decimals=0, limit=total - 1)
    assert not cut.exhaustive
    assert len(cut) == total - 1 and cut.count_at_least >= total
    assert set(cut) < set(full)
    small = km_risk_sets(50, None, None, 20, decimals=0, limit=5)
    assert not small.exhaustive and len(small) == 5 and small.limit == 5


def test_limit_with_zero_estimate_counts_all():
    res = km_risk_sets(0, None, None, 15, decimals=0, limit=50)
    assert not res.exhaustive and len(res) == 50
    assert res.count_at_least == 2**14


# ---------------------------------------------------------------------------------------------
# agreement with brute force


@st.composite
def small_case(draw):
    n = draw(st.integers(1, 11))
    seq = tuple(sorted(draw(st.sets(st.integers(1, n), max_size=n)), reverse=True))
    decimals = tuple(draw(st.integers(0, 2)) for _ in range(3))
    rounding = draw(st.sampled_from(["single", "double"]))
    shift = tuple(draw(st.sampled_from([0, 0, 0, -1, 1])) for _ in range(3))
    return n, seq, decimals, rounding, shift


def strategy(name: str) -> str:
    """One of the two exhaustive searches: meet in the middle (the default for small n) or the
    branch and bound (the only one above ``MITM_MAX_N``)."""
    return "auto" if name == "middle" else "branch"


@pytest.mark.parametrize("how", ["middle", "branch"])
@given(case=small_case())
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_agrees_with_naive_enumeration(how, case):
    n, seq, decimals, rounding, shift = case
    values = []
    for text, d, k in zip(printed(seq, decimals, rounding), decimals, shift, strict=True):
        v = Decimal(text) + k * Decimal(1).scaleb(-d)  # sometimes one printed unit off
        values.append(str(min(max(v, Decimal(0)), Decimal(100)).quantize(
            Decimal(1).scaleb(-d))))
    est, lo, up = values
    assume(Decimal(lo) <= Decimal(est) <= Decimal(up))
    expected = naive(est, lo, up, n, decimals, rounding)
    res = km_risk_sets(est, lo, up, n, decimals=decimals, rounding=rounding, limit=10**6,
                       strategy=strategy(how))
    assert res.exhaustive
    assert list(res) == expected
    if shift == (0, 0, 0):
        assert seq in res


# ---------------------------------------------------------------------------------------------
# round trip from simulated censoring patterns


@st.composite
def censoring_pattern(draw, max_n):
    # the branch and bound is held to n <= 24: with n near 40 and many events (S below ~20%)
    # it can take minutes (its known limit, see km_risk_sets and bench/)
    n = draw(st.integers(2, max_n))
    durations = draw(st.lists(st.integers(1, 30), min_size=n, max_size=n))
    events = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    at = draw(st.integers(1, max(durations)))
    return durations, events, at


@pytest.mark.parametrize("how", ["middle", "branch"])
@given(data=st.data())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_round_trip_recovers_true_risk_sets(how, data):
    durations, events, at = data.draw(censoring_pattern(32 if how == "middle" else 24))
    n = len(durations)
    truth = risk_sets_of(durations, events, at)
    s, lo, hi = km_estimate(durations, events, at)  # blina.stats.km, handles ties itself
    assert math.isclose(s, float(est_exact(truth)), rel_tol=1e-12, abs_tol=1e-15)
    # print like a statistics package: the estimate exactly, the bounds from their floats
    est_p = str(half_up(est_exact(truth) * 100, 2))
    lo_p, hi_p = str(half_up(100 * lo, 2)), str(half_up(100 * hi, 2))
    res = km_risk_sets(est_p, lo_p, hi_p, n, limit=20_000, strategy=strategy(how))
    if truth and truth[-1] == 1:  # S = 0: every subset of {2..n} followed by risk set 1
        assert res.count_at_least == 2 ** (n - 1)
        assert res.exhaustive == (2 ** (n - 1) <= 20_000)
        if res.exhaustive:
            assert truth in res
        return
    assert res.exhaustive
    assert truth in res
    for seq in res:  # every answer really prints as given
        assert printed(seq) == (est_p, lo_p, hi_p)


# ---------------------------------------------------------------------------------------------
# input validation: ValueError naming the argument


@pytest.mark.parametrize(("args", "kwargs", "match"), [
    ((50, 10, 80, -3), {}, r"^n must"),
    ((50, 10, 80, 0), {}, r"^n must"),
    ((50, 10, 80, 6.0), {}, r"^n must"),
    ((50, 10, 80, True), {}, r"^n must"),
    ((100.5, 10, 80, 6), {"decimals": 1}, r"^estimate must be a percentage"),
    ((-1, None, None, 6), {"decimals": 0}, r"^estimate must be a percentage"),
    ((50, 10, 101, 6), {"decimals": 0}, r"^upper must be a percentage"),
    ((50, -0.5, 80, 6), {"decimals": 1}, r"^lower must be a percentage"),
    ((50, 60, 80, 6), {}, r"^lower must not exceed estimate"),
    ((50, 10, 40, 6), {}, r"^upper must not be below estimate"),
    ((50, 10, 80, 6), {"rounding": "triple"}, r"^rounding must be"),
    ((50, 10, 80, 6), {"rounding": None}, r"^rounding must be"),
    ((50, 10, 80, 6), {"decimals": -1}, r"^decimals must"),
    ((50, 10, 80, 6), {"decimals": 1.5}, r"^decimals must"),
    ((50, 10, 80, 6), {"decimals": (2, 2)}, r"^decimals must"),
    ((50, 10, 80, 6), {"decimals": (2, "2", 2)}, r"^decimals must"),
    (("50.05", 10, 80, 6), {"decimals": 1}, r"^estimate .* more than decimals=1"),
    ((50, "10.123", 80, 6), {}, r"^lower .* more than decimals=2"),
    (("fifty", 10, 80, 6), {}, r"^estimate must be a number"),
    ((None, 10, 80, 6), {}, r"^estimate must be a number"),
    ((float("nan"), 10, 80, 6), {}, r"^estimate must be finite"),
    ((50, 10, 80, 6), {"limit": 0}, r"^limit must"),
])
def test_bad_inputs_raise(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        km_risk_sets(*args, **kwargs)


def test_bad_inputs_of_helpers_raise():
    with pytest.raises(ValueError, match=r"^n must"):
        max_estimate(-1, 0)
    with pytest.raises(ValueError, match=r"^d must"):
        max_estimate(5, -1)
    with pytest.raises(ValueError, match=r"^d must be at most n=5"):
        max_estimate(5, 6)
    with pytest.raises(ValueError, match=r"^n must"):
        min_events(50, 0)
    with pytest.raises(ValueError, match=r"^rounding must"):
        min_events(50, 6, rounding="up")


def test_other_paper_figures():
    # all-patient PFS 78.35 (57.79-89.71): 27/30·24/25·21/22·19/20, printed only double-rounded
    seq = (30, 29, 28, 25, 22, 20)
    assert est_exact(seq) == Fraction(27 * 24 * 21 * 19, 30 * 25 * 22 * 20)
    assert printed(seq, rounding="double") == ("78.35", "57.79", "89.71")
    assert printed(seq) != ("78.35", "57.79", "89.71")
    assert km_risk_sets("78.35", "57.79", "89.71", 30, rounding="double") == [seq]
    assert km_risk_sets("78.35", "57.79", "89.71", 30) == []
    # further-treatment PFS 85.64 (61.72-95.14): 21/22·19/20·17/18
    assert printed((22, 20, 18)) == ("85.64", "61.72", "95.14")
    assert km_risk_sets("85.64", "61.72", "95.14", 24) == [(22, 20, 18)]
    # 95.46% among 3 responders without further treatment: 3 patients give 100, 66.67, 50, ...
    assert km_risk_sets("95.46", None, None, 3) == []
    assert max_estimate(3, 1) == Fraction(2, 3)


# ---------------------------------------------------------------------------------------------
# the search's bounds and schedule


def _a(r: int) -> float:
    return math.log(r / (r - 1))


def _b(r: int) -> float:
    return 1.0 / (r * (r - 1))


@pytest.mark.parametrize(("m", "k"), [(6, 1), (6, 3), (9, 2), (9, 4), (12, 5), (14, 6)])
def test_min_v_and_max_v_bound_every_k_subset(m, k):
    """Water filling never exceeds the ΔV of an actual subset of k risk sets ≤ m with its Δx,
    the top block plus one never falls below it, and water filling is +inf below the top
    block's Δx."""
    log_r = [-math.inf] + [math.log(r) for r in range(1, m + 1)]
    for combo in combinations(range(m, 1, -1), k):
        dx = sum(_a(r) for r in combo)
        dv = sum(_b(r) for r in combo)
        assert min_v(dx, k, m, log_r) <= dv * (1 + 1e-9), combo
        assert dv <= max_v(dx, k, m, log_r) * (1 + 1e-9), combo
    top = range(m, m - k, -1)
    dx_top = sum(_a(r) for r in top)
    v_top = sum(_b(r) for r in top)  # = k / (m (m − k)), telescoping
    assert math.isclose(v_top, k / (m * (m - k)))
    assert math.isclose(min_v(dx_top, k, m, log_r), v_top, rel_tol=1e-9)
    assert min_v(dx_top * 0.9, k, m, log_r) == math.inf


@pytest.mark.parametrize(("m", "k", "dx"), [(50, 3, 0.2), (50, 10, 0.5), (200, 40, 0.3),
                                            (1000, 40, 0.05), (30, 5, 1.5)])
def test_min_v_beats_the_simple_bounds(m, k, dx):
    log_r = [-math.inf] + [math.log(r) for r in range(1, m + 1)]
    bound = min_v(dx, k, m, log_r)
    top_block = math.expm1(dx) / m  # the cheapest completion with any number of risk sets
    equal_split = k * 4 * math.sinh(dx / k / 2) ** 2  # Karamata: equal parts
    assert bound >= max(top_block, equal_split) * (1 - 1e-12)


def test_luby_sequence():
    assert [luby(i) for i in range(1, 16)] == [1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8]


def test_large_n_every_held_solution_prints_as_given():
    """n = 1000 with 40 events: more than `limit` solutions, so not exhaustive, and each held
    sequence prints as the figure by the independent forward computation above."""
    truth = tuple(range(1000, 960, -1))[::2] + tuple(range(900, 880, -1))  # 20 + 20 events
    est, lo, up = printed(truth)
    res = km_risk_sets(est, lo, up, 1000, limit=50)
    assert not res.exhaustive and len(res) == 50 and res.count_at_least > 50
    for seq in res:
        assert all(a > b for a, b in zip(seq, seq[1:], strict=False)) and seq[0] <= 1000
        assert printed(seq) == (est, lo, up)


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_meet_in_the_middle_in_small_blocks_finds_the_same(chunk):
    """Pairs of halves are checked in blocks of about ``chunk``: tiny blocks (one low subset
    each, or a few) must give exactly what brute force gives."""
    cases = [("51.43", "11.78", "81.32", 10), ("27.50", "1.07", "69.26", 12),
             ("50", None, None, 9)]
    for est, lo, up, n in cases:
        decimals = 0 if lo is None else 2
        problem = parse_figure(est, lo, up, n, decimals).problem
        found = []
        assert meet_in_the_middle(problem, admissible_window(problem), found, 10**6,
                                  chunk=chunk)
        want = (naive(est, lo, up, n) if lo is not None else sorted(
            (c for k in range(n + 1) for c in combinations(range(n, 0, -1), k)
             if printed(c, (0, 0, 0))[0] == est), key=lambda s: (len(s), [-r for r in s])))
        assert sorted(found, key=solution_order) == want and want


def test_small_n_with_most_patients_dead_is_fast_enough_to_test():
    """The case that takes the branch and bound seconds (n = 23, 12 events, S = 12.73%):
    meet in the middle proves its four sequences at once; each prints as given."""
    res = km_risk_sets("12.73", "0.83", "41.24", 23)
    assert res.exhaustive and len(res) == 4 and res.event_counts == (12,)
    for seq in res:
        assert printed(seq) == ("12.73", "0.83", "41.24")


def test_a_thin_wedge_at_n_1000_is_proved_impossible():
    """95.85 (94.38–96.93) among 1000: 40 events need more Greenwood variance than the CI
    allows at that estimate (even as one block), 41 cannot reach it (top block of 40 plus one
    far risk set is the most), 42 or more overshoot the estimate: no sequence, and the
    search says so at once."""
    res = km_risk_sets("95.85", "94.38", "96.93", 1000)
    assert res.exhaustive and list(res) == []
    assert len(km_risk_sets("95.85", "94.38", "96.94", 1000, limit=5)) == 5  # one unit up: many


def test_a_sliver_at_n_1000_is_listed_completely():
    """95.82 (94.36–96.92) among 1000 admits only sequences close to the top block of 40
    plus one far risk set: the search finishes (exhaustive) and holds the two such sequences
    checked by hand (…, 961, 547) and (…, 961, 548), while 546 and 549 miss (the upper limit
    prints 96.91, the estimate 95.83)."""
    res = km_risk_sets("95.82", "94.36", "96.92", 1000)
    top = tuple(range(1000, 960, -1))
    assert res.exhaustive and res.event_counts == (41,)
    assert top + (547,) in res and top + (548,) in res
    assert top + (546,) not in res and top + (549,) not in res
    assert printed(top + (546,))[2] == "96.91" and printed(top + (549,))[0] == "95.83"
    for seq in res:
        assert printed(seq) == ("95.82", "94.36", "96.92")
