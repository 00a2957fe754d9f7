"""Inverse Kaplan–Meier: every sequence of risk sets that reproduces a printed estimate and CI.

A Kaplan–Meier estimate at time ``t`` is determined by the numbers at risk ``r_1 > r_2 > ...``
just before each event before ``t`` (Kaplan & Meier 1958):

    S = Π (1 − 1/r_i),        V = Σ 1/(r_i (r_i − 1))        (Greenwood 1926),

and the log(−log) 95% interval used by GraphPad Prism and lifelines (Kalbfleisch & Prentice
2002, §1.3; Collett 2015, §2.2.3) is, with ``x = −ln S`` and ``σ = √V / x``,

    lower = S^exp(+zσ),   upper = S^exp(−zσ),   i.e.  ln(−ln bound) = ln x ± zσ.

Tied events are expanded one at a time (:mod:`blina.stats.km`), so a risk-set sequence is a
strictly decreasing tuple ``n ≥ r_1 > ... > r_k ≥ 1``, i.e. a subset of ``{1, ..., n}``.
:func:`km_risk_sets` inverts the forward computation of :mod:`blina.stats.km`.

Conventions at the edges: the empty sequence has ``S = 1`` and ``r_k = 1`` gives ``S = 0``;
there the interval is taken as degenerate, ``lower = upper = S``.  The estimate is checked
exactly; the bounds in double precision within ``CI_TOLERANCE`` (:mod:`.problem`).

The package, one idea per module:

- :mod:`.problem` — printed values, their rounding intervals, the acceptance rule, the answer;
- :mod:`.bounds` — the CI as bounds on ``V``, water filling, top block plus one, trimming and
  ruling out numbers of events;
- :mod:`.middle` — meet in the middle (small ``n``, exhaustive);
- :mod:`.branch` — the search space and the complete depth-first branch and bound;
- :mod:`.heuristics` — guided dives with Luby restarts, local steering and harvest;
- :mod:`.events` — the largest estimate for ``d`` events, the fewest events for an estimate;
- :mod:`.naive` — the brute-force reference.
"""

from __future__ import annotations

from blina.inverse_km.bounds import admissible_window
from blina.inverse_km.branch import Collector, SearchSpace
from blina.inverse_km.budget import Deadline, OutOfTime
from blina.inverse_km.check import km_check
from blina.inverse_km.events import max_estimate, min_events, zero_estimate_sequences
from blina.inverse_km.middle import MITM_CHUNK, MITM_MAX_N, meet_in_the_middle
from blina.inverse_km.naive import km_risk_sets_naive
from blina.inverse_km.problem import (
    CI_TOLERANCE,
    Problem,
    RiskSetSolutions,
    check_count,
    parse_figure,
    solution_order,
)
from blina.inverse_km.search import Enumeration
from blina.stats.km import Z975
from blina.stats.rounding import Printed

__all__ = [
    "CI_TOLERANCE",
    "MITM_CHUNK",
    "MITM_MAX_N",
    "STRATEGIES",
    "RiskSetSolutions",
    "km_check",
    "km_risk_sets",
    "km_risk_sets_naive",
    "max_estimate",
    "min_events",
]

#: ``"auto"``: meet in the middle up to ``MITM_MAX_N`` patients, branch and bound above;
#: ``"branch"``: the branch and bound whatever ``n`` (both are exhaustive).
STRATEGIES = ("auto", "branch")


def km_risk_sets(estimate: Printed, lower: Printed | None, upper: Printed | None, n: int, *,
                 decimals: int | tuple[int, int, int] = 2, rounding: str = "single",
                 limit: int = 1000, z: float = Z975, ci: str = "loglog",
                 strategy: str = "auto", time_budget: float | None = None) -> RiskSetSolutions:
    """Every risk-set sequence whose KM estimate and CI print as given.

    ``estimate``, ``lower``, ``upper`` are the printed percentages (``lower``/``upper`` may be
    ``None``: not printed), ``decimals`` their printed decimals (one int or a 3-tuple), each
    standing for its :func:`blina.stats.rounding.printed_interval` under ``rounding``.  Returns
    the tuples ``n ≥ r_1 > ... > r_k ≥ 1`` with ``S = Π(1 − 1/r_i)`` in the estimate's
    interval and the ``ci`` interval (:func:`blina.stats.km.ci_bounds`; by default log(−log),
    ``S^exp(±zσ)``, ``σ = √(Σ 1/(r_i(r_i−1)))/|ln S|``) in the bounds' intervals (Kaplan &
    Meier 1958; Greenwood 1926; Kalbfleisch & Prentice 2002), sorted by number of events and
    then by descending risk sets.  More than ``limit`` solutions, or no end within
    ``time_budget`` seconds: ``exhaustive=False``, and the ones held are those found first.

    Up to ``MITM_MAX_N`` patients the answer comes from meet in the middle
    (:mod:`blina.inverse_km.middle`); above, or with ``strategy="branch"``, from the branch
    and bound (:mod:`blina.inverse_km.branch`), which takes turns with guided dives and local
    steering from ``SLICE_FROM_N`` patients on (:mod:`blina.inverse_km.search`).  Only the
    complete search can finish; when it does, every solution has been found.
    :func:`km_check` answers the question of which numbers of events are possible, faster.

    Cost: the paper's figures take milliseconds together and ``n = 1000`` with 40 events
    about a second at most.  The branch and bound is exponential in the worst case: figures
    whose admissible region is a sliver holding a few hundred packed solutions take seconds.
    """
    check_count("n", n, minimum=1)
    limit = check_count("limit", limit, minimum=1)
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    figure = parse_figure(estimate, lower, upper, n, decimals, rounding, z, ci)
    deadline = Deadline(time_budget)
    problem = figure.problem
    cap = limit + 1
    found: list[tuple[int, ...]] = []
    extra = zero_estimate_sequences(problem, found, cap)
    done = True
    if len(found) < cap:
        try:
            done = _search(problem, found, cap, strategy, deadline)
        except OutOfTime:
            done = False
    exhaustive = done and len(found) < cap
    kept = sorted(found[:limit], key=solution_order)
    count = len(found) if exhaustive else max(len(found), extra)
    est, lo, up = figure.values
    ivs = figure.intervals
    return RiskSetSolutions(
        solutions=tuple(kept), exhaustive=exhaustive, count_at_least=count, n=n,
        estimate=est, lower=lo, upper=up, decimals=figure.decimals, rounding=rounding,
        z=figure.z, limit=limit, estimate_interval=ivs[0], lower_interval=ivs[1],
        upper_interval=ivs[2], ci=ci, timed_out=not done)


def _search(problem: Problem, found: list[tuple[int, ...]], cap: int, strategy: str,
            deadline: Deadline) -> bool:
    """Append the solutions with ``S > 0`` to ``found`` (up to ``cap`` in all); False when the
    deadline came first."""
    if problem.matches(()):  # the empty sequence: S = 1, degenerate CI
        found.append(())
        if len(found) >= cap:
            return True
    window = admissible_window(problem)
    if window is None:
        return True
    if (strategy == "auto" and 2 <= problem.n <= MITM_MAX_N
            and meet_in_the_middle(problem, window, found, cap, deadline=deadline)):
        return True
    space = SearchSpace.build(problem, window)
    if space is not None:
        return Enumeration(space, Collector(problem, found, cap)).run(deadline)
    return True

