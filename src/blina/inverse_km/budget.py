"""Time budgets: a deadline that long searches poll, and the exception that ends them."""

from __future__ import annotations

import math
import time

__all__ = ["Deadline", "OutOfTime"]


class OutOfTime(Exception):
    """The deadline passed: the search stopped; what it found so far is still valid."""


class Deadline:
    """``seconds`` from now (``None``: never), on ``time.perf_counter``.

    :meth:`check` raises :class:`OutOfTime` once the deadline has passed; searches call it
    every few hundred steps, so they overrun by well under a millisecond.
    """

    def __init__(self, seconds: float | None = None) -> None:
        if seconds is not None and (not isinstance(seconds, int | float) or seconds < 0
                                    or math.isnan(seconds)):
            raise ValueError(f"time budget must be a non-negative number of seconds, got "
                             f"{seconds!r}")
        self.start = time.perf_counter()
        self.end = math.inf if seconds is None else self.start + seconds

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    @property
    def remaining(self) -> float:
        return self.end - time.perf_counter()

    def expired(self) -> bool:
        return time.perf_counter() >= self.end

    def check(self) -> None:
        """Raise :class:`OutOfTime` if the deadline has passed."""
        if time.perf_counter() >= self.end:
            raise OutOfTime

    def sooner(self, seconds: float) -> Deadline:
        """A deadline ``seconds`` from now, or this one if it comes first."""
        other = Deadline()
        other.start, other.end = self.start, min(self.end, time.perf_counter() + seconds)
        return other
