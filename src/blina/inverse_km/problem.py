"""The inverse problem: printed values, the intervals they stand for, and the answer's type.

A figure printed as ``estimate (lower–upper)`` among ``n`` patients stands for every true
estimate and bound that round to the printed strings (:func:`blina.stats.rounding.
printed_interval`).  :class:`Problem` holds those intervals as proportions and decides whether a
sequence of risk sets matches: the estimate exactly (``fractions.Fraction``), the interval
bounds in double precision within ``CI_TOLERANCE`` of their intervals' edges (the printing
software's own doubles may land on either side of an edge; no real value is that close to an
edge, so this never changes a verdict in practice).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from numbers import Integral

from blina.stats.km import Z975, check_ci, check_z, ci_bounds, km_estimate_and_ci
from blina.stats.rounding import ROUNDINGS, Printed, as_decimal, printed_interval

__all__ = [
    "CI_TOLERANCE",
    "PREFILTER_TOLERANCE",
    "CIPrefilter",
    "Figure",
    "Problem",
    "RiskSetSolutions",
    "check_count",
    "check_decimals",
    "in_interval",
    "parse_figure",
    "solution_order",
]

#: Tolerance (proportion units) on the edges of a CI bound's rounding interval.
CI_TOLERANCE = 1e-10
#: Tolerance of the float pre-filter of the CI (:class:`CIPrefilter`); ``Problem.matches``
#: decides with ``CI_TOLERANCE``, so the pre-filter only has to be wider.
PREFILTER_TOLERANCE = 1e-8

Interval = tuple[Fraction, Fraction]


def check_count(name: str, value: object, *, minimum: int) -> int:
    """``value`` if it is an int ``>= minimum`` (not a bool), else ``ValueError`` naming it."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)  # NumPy integers too


def check_decimals(name: str, decimals: object) -> int:
    """``decimals`` if it is a non-negative int, else ``ValueError`` naming it."""
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"{name} must be a non-negative int, got {decimals!r}")
    return decimals


def in_interval(value: float, iv: tuple[Fraction, Fraction] | None) -> bool:
    """``value`` in the half-open ``iv`` widened by ``CI_TOLERANCE``; True when ``iv`` is None
    (the bound was not printed)."""
    if iv is None:
        return True
    return float(iv[0]) - CI_TOLERANCE <= value < float(iv[1]) + CI_TOLERANCE


def solution_order(seq: tuple[int, ...]) -> tuple[int, list[int]]:
    """Sort key of the answers: by number of events, then by descending risk sets."""
    return len(seq), [-r for r in seq]


@dataclass(frozen=True)
class Problem:
    """``n`` patients and the intervals (proportions, half-open) a matching sequence must hit:
    the estimate's ``s_iv`` and the CI bounds' ``lo_iv``/``up_iv`` (``None``: not printed),
    the bounds being those of the ``ci`` interval (:data:`blina.stats.km.CI_KINDS`)."""

    n: int
    s_iv: Interval
    lo_iv: Interval | None
    up_iv: Interval | None
    z: float
    ci: str = "loglog"

    def ci_ok(self, lower: float, upper: float) -> bool:
        """Both printed bounds reproduced (within ``CI_TOLERANCE``)."""
        return in_interval(lower, self.lo_iv) and in_interval(upper, self.up_iv)

    def matches(self, seq: tuple[int, ...]) -> bool:
        """The exact acceptance rule: ``S = Π(1 − 1/r)`` in ``s_iv`` and the CI
        (:func:`blina.stats.km.km_estimate_and_ci`) in the bounds' intervals."""
        s, lower, upper = km_estimate_and_ci(seq, z=self.z, ci=self.ci)
        return self.s_iv[0] <= s < self.s_iv[1] and self.ci_ok(lower, upper)

    @property
    def has_ci(self) -> bool:
        return self.lo_iv is not None or self.up_iv is not None


@dataclass(frozen=True)
class CIPrefilter:
    """A cheap float test of the CI on ``(x, V)``, ``x = −ln S``, before the exact check.

    Accepts when each printed bound's interval, widened by ``PREFILTER_TOLERANCE``, holds the
    bound :func:`blina.stats.km.ci_bounds` computes for the problem's CI type.
    Works on numbers (``xp=math``) and element-wise on arrays (``xp=numpy``; the caller keeps
    ``x > 0``).  A scalar ``x ≤ 0`` or infinite ``x`` is accepted: the exact check decides.
    """

    z: float
    lo: tuple[float, float] | None
    up: tuple[float, float] | None
    ci: str = "loglog"
    tolerance: float = PREFILTER_TOLERANCE

    @classmethod
    def of(cls, problem: Problem) -> CIPrefilter:
        def floats(iv):
            return None if iv is None else (float(iv[0]), float(iv[1]))

        return cls(problem.z, floats(problem.lo_iv), floats(problem.up_iv), problem.ci)

    def __call__(self, x, v, xp=math):
        if xp is math and (x <= 0 or math.isinf(x)):
            return True
        lower, upper = ci_bounds(self.ci, x, v, self.z, xp)
        tol, ok = self.tolerance, True
        if self.lo is not None:
            ok = ok & (self.lo[0] - tol <= lower) & (lower < self.lo[1] + tol)
        if self.up is not None:
            ok = ok & (self.up[0] - tol <= upper) & (upper < self.up[1] + tol)
        return ok


@dataclass(frozen=True)
class Figure:
    """A printed figure as parsed: the values, their decimals, the rounding model, and the
    rounding intervals in percent (``None`` for a bound not printed)."""

    n: int
    values: tuple[Decimal, Decimal | None, Decimal | None]
    decimals: tuple[int, int, int]
    rounding: str
    z: float
    intervals: tuple[Interval, Interval | None, Interval | None]
    ci: str = "loglog"
    problem: Problem = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        prop = [None if iv is None else (iv[0] / 100, iv[1] / 100) for iv in self.intervals]
        object.__setattr__(self, "problem", Problem(self.n, prop[0], prop[1], prop[2], self.z,
                                                    self.ci))


def _decimals_triple(decimals: object) -> tuple[int, int, int]:
    if isinstance(decimals, tuple | list):
        if len(decimals) != 3:
            raise ValueError(f"decimals must be an int or a 3-tuple of ints, got {decimals!r}")
        return tuple(check_decimals("decimals", d) for d in decimals)
    return (check_decimals("decimals", decimals),) * 3


def _percentage(name: str, value: Printed, d: int) -> Decimal:
    dec = as_decimal(name, value)
    if not 0 <= dec <= 100:
        raise ValueError(f"{name} must be a percentage between 0 and 100, got {value!r}")
    if -dec.as_tuple().exponent > d and dec != dec.quantize(Decimal(1).scaleb(-d)):
        raise ValueError(f"{name} {value!r} has more than decimals={d} decimals")
    return dec


def parse_figure(estimate: Printed, lower: Printed | None, upper: Printed | None, n: int,
                 decimals: int | Sequence[int] = 2, rounding: str = "single",
                 z: float = Z975, ci: str = "loglog") -> Figure:
    """Check and parse a printed figure; ``ValueError`` naming the argument at fault.

    Each value must be a percentage in ``[0, 100]`` with at most its ``decimals``, and
    ``lower ≤ estimate ≤ upper``; each stands for its :func:`printed_interval` under
    ``rounding`` (``"single"`` or ``"double"``); the bounds are of the ``ci`` type.
    """
    n = check_count("n", n, minimum=1)
    z = check_z(z)
    ci = check_ci(ci)
    if rounding not in ROUNDINGS:
        raise ValueError(f"rounding must be 'single' or 'double', got {rounding!r}")
    decs = _decimals_triple(decimals)
    est = _percentage("estimate", estimate, decs[0])
    lo = None if lower is None else _percentage("lower", lower, decs[1])
    up = None if upper is None else _percentage("upper", upper, decs[2])
    if lo is not None and lo > est:
        raise ValueError(f"lower must not exceed estimate={est}, got {lower!r}")
    if up is not None and up < est:
        raise ValueError(f"upper must not be below estimate={est}, got {upper!r}")
    ivs = tuple(None if v is None else printed_interval(v, d, rounding)
                for v, d in zip((est, lo, up), decs, strict=True))
    return Figure(n, (est, lo, up), decs, rounding, z, ivs, ci)


@dataclass(frozen=True, eq=False)
class RiskSetSolutions(Sequence):
    """The risk-set sequences matching a printed estimate and CI (a ``Sequence`` of tuples).

    ``exhaustive`` is False when more than ``limit`` sequences exist, or when the time budget
    ran out first (``timed_out``): then only the sequences found (at most ``limit``, in search
    order, sorted) are held and ``count_at_least`` is a lower bound on how many there are.
    ``*_interval`` are the exact rounding intervals used, in percent (``None`` when the value
    was not printed); ``ci`` the interval type.  Compares equal to a list or tuple of the
    same sequences.
    """

    solutions: tuple[tuple[int, ...], ...]
    exhaustive: bool
    count_at_least: int
    n: int
    estimate: Decimal
    lower: Decimal | None
    upper: Decimal | None
    decimals: tuple[int, int, int]
    rounding: str
    z: float
    limit: int
    estimate_interval: Interval
    lower_interval: Interval | None
    upper_interval: Interval | None
    ci: str = "loglog"
    timed_out: bool = False

    def __len__(self) -> int:
        return len(self.solutions)

    def __getitem__(self, index):  # type: ignore[override]
        return self.solutions[index]

    def __iter__(self) -> Iterator[tuple[int, ...]]:
        return iter(self.solutions)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RiskSetSolutions):
            return self.__dict__ == other.__dict__
        if isinstance(other, list | tuple):
            return list(self.solutions) == list(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.solutions, self.exhaustive, self.n, self.estimate, self.rounding))

    @property
    def event_counts(self) -> tuple[int, ...]:
        """Distinct numbers of events among the solutions held, ascending."""
        return tuple(sorted({len(s) for s in self.solutions}))
