"""The reference answer by brute force, for checking the searches on small problems."""

from __future__ import annotations

from itertools import combinations
from numbers import Integral

from blina.inverse_km.problem import parse_figure, solution_order
from blina.stats.km import Z975
from blina.stats.rounding import Printed

__all__ = ["NAIVE_MAX_N", "km_risk_sets_naive"]

#: the most patients the brute force accepts: 2^20 ≈ 10^6 subsets take seconds, 2^60 never end
NAIVE_MAX_N = 20


def km_risk_sets_naive(estimate: Printed, lower: Printed | None, upper: Printed | None, n: int,
                       *, decimals: int | tuple[int, int, int] = 2, rounding: str = "single",
                       z: float = Z975, ci: str = "loglog") -> list[tuple[int, ...]]:
    """Reference answer by brute force: test all ``2^n`` subsets of ``{1..n}`` (small ``n``).

    Same acceptance rule as :func:`blina.inverse_km.km_risk_sets` (``S = Π(1 − 1/r_i)`` exact,
    the ``ci`` interval within ``CI_TOLERANCE``; Kaplan & Meier 1958, Greenwood 1926,
    Kalbfleisch & Prentice 2002) but no pruning.  Same order as its solutions.  Refuses
    ``n > NAIVE_MAX_N`` (the ``2^n`` tests would not end).
    """
    if isinstance(n, Integral) and not isinstance(n, bool) and n > NAIVE_MAX_N:
        raise ValueError(f"km_risk_sets_naive tests all 2^n subsets: n={n} is too many (at most "
                         f"{NAIVE_MAX_N}); use km_risk_sets")
    problem = parse_figure(estimate, lower, upper, n, decimals, rounding, z, ci).problem
    found = [combo for k in range(n + 1) for combo in combinations(range(n, 0, -1), k)
             if problem.matches(combo)]
    return sorted(found, key=solution_order)
