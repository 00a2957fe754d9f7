"""Unit tests of the pieces of blina.inverse_km: each bound and each search strategy.

Expected values are recomputed here from the formulas (``a(r) = ln(r/(r−1))``,
``b(r) = 1/(r(r−1))``, ``ln(−ln bound) = ln x ± z√V/x``) or by brute force over subsets.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction
from itertools import combinations, islice

import numpy as np
import pytest

from blina.inverse_km import km_risk_sets, km_risk_sets_naive
from blina.inverse_km.bounds import (
    EMPTY_RANGE,
    CIBand,
    admissible_window,
    allowed_event_counts,
    block_min_v,
    first_of_two_range,
    greedy_max_v,
    greenwood_of_log_factor,
    log_factor_of_greenwood,
    max_v,
    risk_set_range,
    trim_window,
    x_window,
)
from blina.inverse_km.branch import Collector, DepthFirst, SearchSpace
from blina.inverse_km.budget import Deadline
from blina.inverse_km.construct import constructed_witness
from blina.inverse_km.counts import (
    CountSearch,
    TwoEndedCountSearch,
    count_target,
    even_spread,
    neighbour_witness,
    spread_witness,
)
from blina.inverse_km.heuristics import GuidedDives, Steering
from blina.inverse_km.middle import meet_in_the_middle, subset_sums
from blina.inverse_km.problem import CIPrefilter, parse_figure
from blina.inverse_km.search import Enumeration
from blina.stats.km import km_estimate_and_ci

Z = 1.959963984540054


def a(r: int) -> float:
    return math.log(r / (r - 1))


def b(r: int) -> float:
    return 1.0 / (r * (r - 1))


def space_of(est, lo, up, n, **kw):
    problem = parse_figure(est, lo, up, n, **kw).problem
    return problem, SearchSpace.build(problem, admissible_window(problem))


# ---------------------------------------------------------------------------------------------
# bounds


def test_greenwood_term_is_f_of_the_log_factor():
    for r in range(2, 60):
        assert math.isclose(greenwood_of_log_factor(a(r)), b(r), rel_tol=1e-12)
        assert math.isclose(log_factor_of_greenwood(b(r)), a(r), rel_tol=1e-12)
    assert log_factor_of_greenwood(math.inf) == math.inf


def test_x_window_is_minus_log_of_the_estimate_interval():
    assert x_window((Fraction(1, 2), Fraction(3, 4))) == (-math.log(0.75), -math.log(0.5))
    assert x_window((Fraction(0), Fraction(1, 100))) == (-math.log(0.01), math.inf)
    assert x_window((Fraction(99, 100), Fraction(101, 100)))[0] == -math.inf


def test_ci_band_at_one_x_is_the_root_v_interval_of_both_bounds():
    """87.30 (65.58–95.72): at the true x each printed bound's interval gives √V between
    x(ln(−ln edge) − ln x)/z at its two edges; the band is the intersection."""
    problem = parse_figure("87.30", "65.58", "95.72", 24).problem
    band = CIBand.of(problem)
    x = a(24) + a(23) + a(21)
    tol = 1e-10

    def w_lower(edge):  # lower = exp(−x e^{zw/x})  ⇔  w = x(ln(−ln lower) − ln x)/z
        return x * (math.log(-math.log(edge)) - math.log(x)) / Z

    def w_upper(edge):  # upper = exp(−x e^{−zw/x})
        return -x * (math.log(-math.log(edge)) - math.log(x)) / Z

    lo = max(w_lower(0.65585 + tol), w_upper(0.95715 - tol))
    hi = min(w_lower(0.65575 - tol), w_upper(0.95725 + tol))
    v_lo, v_hi = band.v_bounds(x, x)
    assert math.isclose(v_lo, lo**2, rel_tol=1e-8) and math.isclose(v_hi, hi**2, rel_tol=1e-8)
    assert v_lo <= b(24) + b(23) + b(21) <= v_hi  # the true V fits
    assert v_hi < 0.0062 and v_lo > 0.0061  # a band 0.1% wide


def test_ci_band_without_a_printed_lower_edge_has_no_bound_there():
    problem = parse_figure("20", "0.00", "58.19", 5, decimals=(0, 2, 2)).problem
    band = CIBand.of(problem)
    assert len(band.constraints) == 3  # ln(−ln(−0.00005)) = +inf: no upper bound from lower
    no_ci = CIBand.of(parse_figure("20", None, None, 5, decimals=0).problem)
    assert no_ci.constraints == () and no_ci.v_bounds(0.1, 2.0) == (0.0, math.inf)


def test_trim_window_drops_only_x_without_room():
    problem = parse_figure("95.85", "94.38", "96.93", 1000).problem
    band = CIBand.of(problem)
    x1, x2 = x_window(problem.s_iv)
    t1, t2 = trim_window(band, x1, x2)
    assert x1 < t1 < t2 <= x2 and t2 - t1 < (x2 - x1) / 3  # a thin wedge at the top
    for x in np.linspace(x1, t1, 200)[:-1]:
        assert not band.has_room(x, x)
    assert band.has_room(t1, t2)
    # the lower bound needs √V ≈ 0.010, the upper √V ≈ 0.16: no x has room for both
    clash = parse_figure("50.00", "49.00", "70.00", 100).problem
    assert trim_window(CIBand.of(clash), *x_window(clash.s_iv)) == (math.inf, -math.inf)


def test_allowed_event_counts_keep_every_count_that_has_a_solution():
    """Soundness against brute force: for n = 12, every number of events of some printed
    sequence's solutions is allowed; and the wedge/sliver figures of the paper's bench."""
    rng = random.Random(3)
    n = 12
    log_r = [-math.inf] + [math.log(r) for r in range(1, n + 1)]
    for _ in range(25):
        seq = tuple(sorted(rng.sample(range(2, n + 1), rng.randint(1, 8)), reverse=True))
        s = math.prod((r - 1) / r for r in seq)
        v = sum(b(r) for r in seq)
        lo = s ** math.exp(Z * math.sqrt(v) / -math.log(s))
        up = s ** math.exp(-Z * math.sqrt(v) / -math.log(s))
        printed = [f"{100 * t:.2f}" for t in (s, lo, up)]
        truth = {len(t) for t in km_risk_sets_naive(*printed, n)}
        problem = parse_figure(*printed, n).problem
        window = admissible_window(problem)
        allowed = allowed_event_counts(window.band, n, max(window.x_lo, 0), window.x_hi, log_r)
        assert truth <= set(allowed) and len(seq) in allowed
    wedge = parse_figure("95.85", "94.38", "96.93", 1000).problem
    assert admissible_window(wedge) is not None
    assert SearchSpace.build(wedge, admissible_window(wedge)) is None  # every count ruled out
    assert space_of("95.82", "94.36", "96.92", 1000)[1].counts == (41,)


def test_risk_set_range_inverts_the_log_factor():
    assert risk_set_range(a(10), a(5), 100) == (5, 10)
    assert risk_set_range(a(10), a(5), 8) == (5, 8)
    assert risk_set_range(a(10), a(5), 100, r_floor=7) == (7, 10)
    assert risk_set_range(a(5), a(10), 100) == EMPTY_RANGE
    assert risk_set_range(0.0, math.inf, 9) == (2, 9)


def test_first_of_two_range_holds_every_pair():
    m = 40
    pairs = [(r1, r2) for r1 in range(3, m + 1) for r2 in range(2, r1)]
    rng = random.Random(5)
    for _ in range(40):
        r1, r2 = rng.choice(pairs)
        dx, dv = a(r1) + a(r2), b(r1) + b(r2)
        a0, a1, b0, b1 = dx * 0.99, dx * 1.01, dv * 0.98, dv * 1.02
        lo, hi = first_of_two_range(a0, a1, b0, b1, m)
        for s1, s2 in pairs:
            if a0 <= a(s1) + a(s2) <= a1 and b0 <= b(s1) + b(s2) <= b1:
                assert lo <= s1 <= hi, (s1, s2)


def test_ci_prefilter_on_numbers_and_arrays():
    problem = parse_figure("87.30", "65.58", "95.72", 24).problem
    near = CIPrefilter.of(problem)
    x, v = a(24) + a(23) + a(21), b(24) + b(23) + b(21)
    assert near(x, v) and not near(x, v * 1.01) and not near(x * 1.01, v)
    assert near(0.0, v) and near(math.inf, v)  # left to the exact check
    xs, vs = np.array([x, x, x * 1.01]), np.array([v, v * 1.01, v])
    assert near(xs, vs, np).tolist() == [True, False, False]


# ---------------------------------------------------------------------------------------------
# meet in the middle


def test_subset_sums_enumerate_every_subset():
    xs, vs = subset_sums([2, 3])
    assert np.allclose(xs, [0, math.log(2), math.log(1.5), math.log(3)])
    assert np.allclose(vs, [0, 1 / 2, 1 / 6, 2 / 3])
    xs, _ = subset_sums(list(range(2, 12)))
    assert len(xs) == 2**10 and math.isclose(xs[-1], math.log(11))  # all of 2..11: S = 1/11


def test_meet_in_the_middle_finds_the_paper_sequence_and_declines_huge_windows():
    problem = parse_figure("87.30", "65.58", "95.72", 24).problem
    found = []
    assert meet_in_the_middle(problem, admissible_window(problem), found, 10)
    assert found == [(24, 23, 21)]
    wide = parse_figure("50", None, None, 44, decimals=0).problem  # 4·10⁹ pairs in the window
    found = []
    assert not meet_in_the_middle(wide, admissible_window(wide), found, 10) and found == []


# ---------------------------------------------------------------------------------------------
# branch and bound and the helpers


def test_depth_first_complete_search_equals_brute_force():
    for est, lo, up, n in [("51.43", "11.78", "81.32", 10), ("27.50", "1.07", "69.26", 12)]:
        problem, space = space_of(est, lo, up, n)
        found = []
        collector = Collector(problem, found, 10**6)
        for _ in DepthFirst(space, collector, space.plan(0.0, 0.0, n, 0)).steps():
            pass
        want = km_risk_sets_naive(est, lo, up, n)
        assert sorted(found) == sorted(want) and want


def test_depth_first_stops_at_the_cap():
    problem, space = space_of("50", None, None, 20, decimals=0)
    found = []
    collector = Collector(problem, found, 7)
    for _ in DepthFirst(space, collector, space.plan(0.0, 0.0, 20, 0)).steps():
        pass
    assert len(found) == 7 and all(problem.matches(s) for s in found)


def test_guided_dives_and_steering_only_report_matching_sequences():
    """n = 1000, 40 events: each helper alone finds solutions within a few thousand steps,
    and every one prints as the figure (checked exactly)."""
    truth = tuple(range(1000, 960, -1))[::2] + tuple(range(900, 880, -1))
    s = Fraction(math.prod(r - 1 for r in truth), math.prod(truth))
    assert f"{100 * float(s):.2f}" == "95.80"
    problem, space = space_of("95.80", "94.32", "96.91", 1000)
    root = space.plan(0.0, 0.0, 1000, 0)
    for make in (lambda c: GuidedDives(space, c, root), lambda c: Steering(space, c)):
        found = []
        collector = Collector(problem, found, 20)
        for _ in islice(make(collector).steps(), 200_000):
            if collector.full:
                break
        assert len(found) == 20 and all(problem.matches(seq) for seq in found)


def test_harvest_walks_a_sliver_of_solutions():
    """95.82 (94.36–96.92) among 1000: from the top block of 40 plus 547, the harvest reaches
    548 (one risk set moved by one) and the other members of the sliver."""
    problem, space = space_of("95.82", "94.36", "96.92", 1000)
    top = list(range(1000, 960, -1))
    found = [tuple(top + [547])]
    collector = Collector(problem, found, 10**6)
    for _ in Steering(space, collector).harvest(top + [547]):
        pass
    assert tuple(top + [548]) in found and len(found) > 2
    assert set(found) <= set(km_risk_sets("95.82", "94.36", "96.92", 1000).solutions)


# ---------------------------------------------------------------------------------------------
# the bounds and searches of km_check


@pytest.mark.parametrize(("lo", "hi"), [(2, 9), (3, 12), (5, 14), (2, 13), (7, 16)])
def test_block_and_greedy_bounds_hold_every_subset(lo, hi):
    """For k risk sets from lo..hi: the block bound never exceeds an actual ΔV, the greedy
    bound never falls below it, blocks attain the block bound, and with lo = 2 the greedy
    bound is at most the top-block-plus-one bound."""
    log_r = [-math.inf] + [math.log(r) for r in range(1, hi + 1)]
    for k in range(1, hi - lo + 1):
        for combo in combinations(range(lo, hi + 1), k):
            dx, dv = sum(a(r) for r in combo), sum(b(r) for r in combo)
            assert block_min_v(dx, k, hi, lo) <= dv * (1 + 1e-9), combo
            assert dv <= greedy_max_v(dx, k, lo, hi, log_r) * (1 + 1e-9), combo
            if lo == 2:
                assert greedy_max_v(dx, k, 2, hi) <= max_v(dx, k, hi, log_r) * (1 + 1e-9)
        block = range(hi, hi - k, -1)
        dx = sum(a(r) for r in block)
        assert math.isclose(block_min_v(dx, k, hi, lo), sum(b(r) for r in block), rel_tol=1e-9)


def test_block_bound_closed_form():
    # the block 201..300 adds x = ln(300/200) and V = 100/(300·200); f(x)/k is the same
    x = math.log(1.5)
    assert math.isclose(block_min_v(x, 100, 1000), 100 / (300 * 200), rel_tol=1e-12)
    assert block_min_v(x, 100, 250) == math.inf  # the block would need risk sets above 250
    assert math.isclose(block_min_v(math.log(101), 100, 1000), 100 / 101)  # 2..101, V = 1 − 1/101
    assert block_min_v(math.log(102), 100, 1000) == math.inf  # beyond the bottom block
    assert block_min_v(x, 100, 1000, floor=250) == math.inf  # ... or above a floor


def test_ci_band_of_log_and_plain_intervals():
    """At the true x the band holds the true V for every CI type, and the plain lower limit
    printed as 0.00 (clipped) gives no upper bound on √V."""
    seq = (20, 19, 17, 12)
    x, v = sum(a(r) for r in seq), sum(b(r) for r in seq)
    for ci in ("loglog", "log", "plain"):
        s, lo, up = km_estimate_and_ci(seq, ci=ci)
        shown = [f"{100 * t:.2f}" for t in (float(s), lo, up)]
        band = CIBand.of(parse_figure(*shown, 20, ci=ci).problem)
        v_lo, v_hi = band.v_bounds(x, x)
        assert v_lo <= v <= v_hi and v_hi < 1.01 * v_lo + 1e-4, ci
    clipped = CIBand.of(parse_figure("33.33", "0.00", "86.68", 3, ci="plain").problem)
    assert [c[2:] for c in clipped.constraints] == [(-1, True), (1, True), (1, False)]


@pytest.mark.parametrize("kind", [CountSearch, TwoEndedCountSearch])
def test_count_searches_equal_brute_force(kind):
    """n = 12: for every count the bounds allow, each search finds a witness exactly when
    brute force has a sequence with that many events."""
    for seq in [(12, 11, 9, 6, 4), (12, 10, 9, 8, 7, 5, 3), (11, 7)]:
        s, lo, up = km_estimate_and_ci(seq)
        shown = [f"{100 * t:.2f}" for t in (float(s), lo, up)]
        problem, space = space_of(*shown, 12)
        truth = {len(t) for t in km_risk_sets_naive(*shown, 12)}
        assert len(seq) in truth
        for k in space.counts:
            search = kind(space, k)
            for _ in search.steps():
                pass
            assert search.finished and (search.witness is not None) == (k in truth), (seq, k)
            if search.witness is not None:
                assert len(search.witness) == k and problem.matches(search.witness)


def test_constructions_and_targets_give_matching_witnesses():
    """GBSG2 without hormonal therapy at 5 years (n = 440): the spread construction, the two
    blocks with a free pair and the walk to a neighbouring count each give sequences of the
    count asked for that match; the count's target lies in the window and its band."""
    problem, space = space_of("43.68", "37.79", "49.41", 440)
    witness = spread_witness(space, 199)
    assert witness is not None and len(witness) == 199 and problem.matches(witness)
    pair = constructed_witness(space, 190)
    assert pair is not None and len(pair) == 190 and problem.matches(pair)
    assert all(p > q for p, q in zip(pair, pair[1:], strict=False))
    nxt = neighbour_witness(space, witness, 200)
    assert nxt is not None and len(nxt) == 200 and problem.matches(nxt)
    x, v = count_target(space, 199)
    assert space.x_lo <= x <= space.x_hi and space.v_lo <= v <= space.v_hi


def test_even_spread_inverts_its_own_approximation():
    # 50 risk sets spread over [100, 400] add about ρ ln 4 and j/(uc), ρ = 50/300
    j, u, c = 50, 100.0, 400.0
    target = (j / (c - u) * math.log(c / u), j / (u * c))
    u2, c2 = even_spread(target, 0.0, 0.0, j)
    assert math.isclose(u2, u, rel_tol=1e-5) and math.isclose(c2, c, rel_tol=1e-5)


def test_enumeration_resumes_where_it_stopped():
    """The schedule stopped by a deadline and resumed ends with exactly the solutions of an
    uninterrupted run."""
    problem, space = space_of("50", None, None, 16, decimals=0)
    whole = []
    assert Enumeration(space, Collector(problem, whole, 10**6)).run()
    found = []
    enumeration = Enumeration(space, Collector(problem, found, 10**6))
    rounds = 0
    while not enumeration.run(Deadline(0.0005)):
        rounds += 1
    assert rounds > 1 and enumeration.complete and sorted(found) == sorted(whole)
