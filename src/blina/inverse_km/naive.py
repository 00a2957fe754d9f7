"""The reference answer by brute force, for checking the searches on small problems."""

from __future__ import annotations

from itertools import combinations

from blina.inverse_km.problem import parse_figure, solution_order
from blina.stats.km import Z975
from blina.stats.rounding import Printed

__all__ = ["km_risk_sets_naive"]


def km_risk_sets_naive(estimate: Printed, lower: Printed | None, upper: Printed | None, n: int,
                       *, decimals: int | tuple[int, int, int] = 2, rounding: str = "single",
                       z: float = Z975, ci: str = "loglog") -> list[tuple[int, ...]]:
    """Reference answer by brute force: test all ``2^n`` subsets of ``{1..n}`` (small ``n``).

    Same acceptance rule as :func:`blina.inverse_km.km_risk_sets` (``S = Π(1 − 1/r_i)`` exact,
    the ``ci`` interval within ``CI_TOLERANCE``; Kaplan & Meier 1958, Greenwood 1926,
    Kalbfleisch & Prentice 2002) but no pruning.  Same order as its solutions.
    """
    problem = parse_figure(estimate, lower, upper, n, decimals, rounding, z, ci).problem
    found = [combo for k in range(n + 1) for combo in combinations(range(n, 0, -1), k)
             if problem.matches(combo)]
    return sorted(found, key=solution_order)
