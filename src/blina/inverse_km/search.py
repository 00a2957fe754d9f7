"""The schedule of the branch and bound: the complete search taking turns with the helpers.

The complete search (largest risk sets first: packed solutions come early) runs alone for
``WARMUP_STEPS`` steps, which finishes most problems; then, from ``SLICE_FROM_N`` patients on,
it takes turns of ``TURN_STEPS`` with guided dives and local steering
(:mod:`blina.inverse_km.heuristics`), which find spread solutions fast in large problems.  Only
the complete search can finish; when it does, every solution has been found.  Below
``SLICE_FROM_N`` the helpers would only slow the proof down.

:class:`Enumeration` runs that schedule under a :class:`~blina.inverse_km.budget.Deadline`
and can be resumed where it stopped.
"""

from __future__ import annotations

from collections.abc import Iterator

from blina.inverse_km.branch import Collector, DepthFirst, SearchSpace
from blina.inverse_km.budget import Deadline
from blina.inverse_km.heuristics import GuidedDives, Steering

__all__ = ["TURN_STEPS", "WARMUP_STEPS", "Enumeration"]

WARMUP_STEPS = 4096  # children planned by the complete search before the helpers start
TURN_STEPS = 64  # children planned per turn of each search
_POLL = 16  # warm-up steps between two looks at the clock


class Enumeration:
    """The schedule of the module docstring for one search space, resumable.

    ``done`` once the collector is full or the complete search has ended; ``complete`` says
    the latter, with the collector not full (then every solution is in the collector).
    """

    def __init__(self, space: SearchSpace, collector: Collector) -> None:
        self.space, self.collector = space, collector
        self.complete = False
        self.done = False
        self._turns = self._schedule()

    def _schedule(self) -> Iterator[None]:
        """The turns, yielding between them (the caller looks at the clock there)."""
        space, collector = self.space, self.collector
        root = space.plan(0.0, 0.0, space.n, 0)
        complete = DepthFirst(space, collector, root).steps()
        for step in range(WARMUP_STEPS):
            if next(complete, StopIteration) is StopIteration:
                self.complete = not collector.full  # a full collector stops the walk early
                return
            if collector.full:
                return
            if step % _POLL == _POLL - 1:
                yield
        helpers = ([GuidedDives(space, collector, root).steps(),
                    Steering(space, collector).steps()] if space.large else [])
        while True:
            for _ in range(TURN_STEPS):
                if next(complete, StopIteration) is StopIteration:
                    self.complete = not collector.full
                    return
                if collector.full:
                    return
            for helper in helpers:
                for _ in range(TURN_STEPS):
                    if next(helper, StopIteration) is StopIteration or collector.full:
                        break
                if collector.full:
                    return
            yield

    def run(self, deadline: Deadline | None = None) -> bool:
        """Advance until done or ``deadline``; True when done."""
        while not self.done:
            if deadline is not None and deadline.expired():
                return False
            if next(self._turns, StopIteration) is StopIteration:
                self.done = True
        return True
