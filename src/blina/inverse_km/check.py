"""``km_check``: is a printed Kaplan–Meier figure possible, and with how many events?

A figure is ``estimate (lower–upper)`` among ``n`` patients, as printed in a paper.
:func:`km_check` answers, for every rounding model asked for (single, double or either) and
the CI type the paper used (log(−log), log or plain):

- ``event_counts``: every number of events before the landmark for which some risk-set
  sequence prints as given, each with a ``witness`` sequence; every other count is proved
  impossible, unless the time budget ran out first (then it is listed as undecided);
- ``solutions``: all sequences when the enumeration finished (``exhaustive``), else the first
  ``limit`` found; ``count_at_least`` how many are known;
- ``rounding``: the rounding models under which some sequence exists.

The work per rounding model: the bounds rule out most counts at once
(:mod:`blina.inverse_km.bounds`); up to ``MITM_MAX_N`` patients a meet-in-the-middle census
settles everything (:func:`~blina.inverse_km.middle.census_by_meet_in_the_middle`); above, a
short enumeration (:class:`~blina.inverse_km.search.Enumeration`) is followed by the per-count
decisions of :mod:`blina.inverse_km.counts`, and the enumeration then resumes with what is
left of its share of the budget.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from blina.inverse_km.bounds import admissible_window
from blina.inverse_km.branch import Collector, SearchSpace
from blina.inverse_km.budget import Deadline, OutOfTime
from blina.inverse_km.counts import decide_counts
from blina.inverse_km.events import zero_estimate_prints, zero_estimate_sequences
from blina.inverse_km.middle import MITM_MAX_N, census_by_meet_in_the_middle
from blina.inverse_km.problem import Figure, check_count, parse_figure, solution_order
from blina.inverse_km.search import Enumeration
from blina.stats.km import Z975, check_ci
from blina.stats.rounding import ROUNDINGS, Printed, as_decimal

__all__ = ["CHECK_ROUNDINGS", "ENUMERATION_SECONDS", "KMCheck", "km_check"]

#: ``"either"``: a figure is possible if it prints under single or under double rounding.
CHECK_ROUNDINGS = (*ROUNDINGS, "either")
#: Seconds of each of the two enumeration phases of a rounding model (at most a tenth of its
#: budget): enough to finish small problems and to fill ``limit`` in large ones; proving a
#: large sliver complete can take longer, and then ``exhaustive`` stays False.
ENUMERATION_SECONDS = 0.05


@dataclass
class _ModelAnswer:
    """What one rounding model gives: witnesses per count, undecided counts, solutions."""

    witnesses: dict[int, tuple[int, ...]] = field(default_factory=dict)
    undecided: set[int] = field(default_factory=set)
    found: list[tuple[int, ...]] = field(default_factory=list)
    exhaustive: bool = True
    count_at_least: int = 0


@dataclass(frozen=True)
class KMCheck:
    """The answer of :func:`km_check` for one figure (see the module docstring).

    ``feasible`` is True when some sequence is proved to print as given; False with
    ``undecided_counts`` empty means proved impossible; False with counts undecided means not
    settled within the time budget.
    """

    id: str | None
    n: int
    figure: str
    ci: str
    feasible: bool
    event_counts: tuple[int, ...]
    witnesses: dict[int, tuple[int, ...]]
    undecided_counts: tuple[int, ...]
    exhaustive: bool
    solutions: tuple[tuple[int, ...], ...]
    count_at_least: int
    rounding: tuple[str, ...]
    seconds: float

    @property
    def decided(self) -> bool:
        """Every number of events is settled (witness or proof)."""
        return not self.undecided_counts

    def to_json(self) -> dict:
        """The JSON object of ``km-check --format json`` (keys in the documented order)."""
        return {"id": self.id, "feasible": self.feasible,
                "event_counts": list(self.event_counts),
                "witnesses": {str(k): list(s) for k, s in sorted(self.witnesses.items())},
                "exhaustive": self.exhaustive, "solutions": [list(s) for s in self.solutions],
                "count_at_least": self.count_at_least, "rounding": list(self.rounding),
                "seconds": round(self.seconds, 6),
                "undecided_counts": list(self.undecided_counts)}

    def describe(self) -> str:
        """The answer in words, e.g. "feasible with 5 events only; unique risk sets (29, 28,
        27, 26, 24)"."""
        parts = []
        if self.feasible:
            only = " only" if len(self.event_counts) == 1 and self.decided else ""
            noun = "event" if self.event_counts == (1,) else "events"
            parts.append(f"feasible with {count_ranges(self.event_counts)} {noun}{only}")
            parts.append(self._solutions_in_words())
            if len(self.rounding) == 1:
                parts.append(f"{self.rounding[0]} rounding only")
        elif self.decided:
            parts.append("impossible: no sequence of risk sets prints as given")
        if not self.decided:
            parts.append(f"undecided after {self.seconds:.1f} s: "
                         f"{count_ranges(self.undecided_counts)} events not settled")
        return "; ".join(parts)

    def _solutions_in_words(self) -> str:
        if self.exhaustive and len(self.solutions) == 1:
            return f"unique risk sets {_shown(self.solutions[0])}"
        if self.exhaustive:
            return f"{len(self.solutions)} risk-set sequences"
        return f"at least {self.count_at_least} risk-set sequences"


def _shown(seq: tuple[int, ...], most: int = 12) -> str:
    if len(seq) <= most:
        return "(" + ", ".join(map(str, seq)) + ")"
    head = ", ".join(map(str, seq[:most // 2]))
    tail = ", ".join(map(str, seq[-most // 2:]))
    return f"({head}, …, {tail})"


def count_ranges(counts) -> str:
    """``(3, 4, 5, 7)`` as ``"3–5, 7"``."""
    counts = sorted(counts)
    runs: list[list[int]] = []
    for k in counts:
        if runs and k == runs[-1][1] + 1:
            runs[-1][1] = k
        else:
            runs.append([k, k])
    return ", ".join(str(lo) if lo == hi else f"{lo}–{hi}" for lo, hi in runs)


def printed_decimals(name: str, value: Printed | None) -> int:
    """Decimals of ``value`` as printed (``"87.30"`` has 2; a float by its shortest repr)."""
    if value is None:
        return 0
    return max(0, -as_decimal(name, value).as_tuple().exponent)


def _zero_and_empty(figure: Figure, answer: _ModelAnswer, cap: int) -> None:
    """The edge solutions: no event (``S = 1``) and an event at risk 1 (``S = 0``, any count
    from 1 to ``n``, witness ``(k, k − 1, ..., 1)``)."""
    problem = figure.problem
    if problem.matches(()):
        answer.found.append(())
        answer.witnesses[0] = ()
    if zero_estimate_prints(problem):
        answer.count_at_least += zero_estimate_sequences(problem, answer.found, cap)
        for k in range(1, problem.n + 1):
            answer.witnesses.setdefault(k, tuple(range(k, 0, -1)))


def _enumerate_and_decide(space: SearchSpace, answer: _ModelAnswer, cap: int,
                          deadline: Deadline, skip: set[int]) -> None:
    """The general path: enumeration, per-count decisions, more enumeration."""
    enumeration = Enumeration(space, Collector(space.problem, answer.found, cap))
    share = min(ENUMERATION_SECONDS, deadline.remaining / 10)
    enumeration.run(deadline.sooner(share))
    known = {len(s): s for s in answer.found if s and s[-1] != 1}
    if enumeration.complete:  # every solution is known: so is every count
        answer.witnesses.update(known)
        answer.exhaustive = len(answer.found) < cap
        return
    wanted = [k for k in space.counts if k not in skip]
    verdicts = decide_counts(space, deadline, known, wanted)
    answer.witnesses.update(verdicts.witnesses)
    answer.undecided |= verdicts.undecided
    if not answer.witnesses and skip:  # this model's own evidence that it admits any
        others = [k for k in space.counts if k in skip]
        first = decide_counts(space, deadline, known, others, enough=1)
        answer.witnesses.update(first.witnesses)
    enumeration.run(deadline.sooner(share))
    answer.exhaustive = enumeration.complete and len(answer.found) < cap
    if enumeration.complete:
        answer.witnesses.update({len(s): s for s in answer.found if s and s[-1] != 1})
        answer.undecided.clear()


def _check_model(figure: Figure, limit: int, deadline: Deadline, skip: set[int]) -> _ModelAnswer:
    """One rounding model's answer; counts in ``skip`` (witnessed under another model) need
    no decision unless this model has no witness of its own."""
    answer = _ModelAnswer()
    cap = limit + 1
    _zero_and_empty(figure, answer, cap)
    problem = figure.problem
    window = admissible_window(problem)
    space = None if window is None else SearchSpace.build(problem, window)
    if space is None:
        return answer
    try:
        if 2 <= problem.n <= MITM_MAX_N:
            census = census_by_meet_in_the_middle(problem, window, answer.found, cap,
                                                  deadline=deadline)
            if census is not None:
                answer.witnesses.update(census)
                answer.exhaustive = len(answer.found) < cap
                return answer
        _enumerate_and_decide(space, answer, cap, deadline, skip)
    except OutOfTime:
        answer.exhaustive = False
        answer.undecided |= {k for k in space.counts if k not in answer.witnesses}
    return answer


def _merged(answers: dict[str, _ModelAnswer], limit: int) -> dict:
    """The per-model answers combined: a count is feasible if feasible under some model and
    undecided if undecided under some model and witnessed under none."""
    witnesses: dict[int, tuple[int, ...]] = {}
    for answer in answers.values():
        for k, seq in answer.witnesses.items():
            witnesses.setdefault(k, seq)
    undecided = set().union(*(a.undecided for a in answers.values())) - set(witnesses)
    union = sorted({s for a in answers.values() for s in (*a.found, *a.witnesses.values())},
                   key=solution_order)
    exhaustive = all(a.exhaustive for a in answers.values()) and len(union) <= limit
    count = max([len(union)] + [a.count_at_least for a in answers.values()])
    return {"feasible": bool(witnesses), "event_counts": tuple(sorted(witnesses)),
            "witnesses": dict(sorted(witnesses.items())),
            "undecided_counts": tuple(sorted(undecided)), "exhaustive": exhaustive,
            "solutions": tuple(union[:limit]), "count_at_least": count,
            "rounding": tuple(m for m, a in answers.items() if a.witnesses)}


def km_check(n: int, estimate: Printed, lower: Printed | None = None,
             upper: Printed | None = None, *, ci: str = "loglog", rounding: str = "either",
             limit: int = 100, time_budget: float | None = 10.0,
             decimals: tuple[int, int, int] | None = None, z: float = Z975,
             id: str | None = None) -> KMCheck:  # noqa: A002  (the figure's id, as in the CSV)
    """Check one printed Kaplan–Meier figure (see the module docstring).

    ``estimate``, ``lower``, ``upper``: percentages as printed (strings keep their decimals,
    e.g. ``"87.30"``; ``lower``/``upper`` may be ``None``); ``decimals`` overrides the
    decimals read from them.  ``ci``: ``"loglog"`` (Prism, SAS, Stata, lifelines), ``"log"``
    (R's default) or ``"plain"``.  ``rounding``: ``"single"``, ``"double"`` or ``"either"``.
    ``time_budget``: seconds for the whole figure (``None``: no limit), after which open
    counts are reported in ``undecided_counts``.  E.g. ``km_check(30, "82.62", "63.14",
    "92.37")`` is feasible with 5 events only, under double rounding only.
    """
    started = time.perf_counter()
    check_count("n", n, minimum=1)
    limit = check_count("limit", limit, minimum=1)
    check_ci(ci)
    if rounding not in CHECK_ROUNDINGS:
        raise ValueError(f"rounding must be one of {CHECK_ROUNDINGS}, got {rounding!r}")
    if decimals is None:
        decimals = tuple(printed_decimals(name, v) for name, v in
                         (("estimate", estimate), ("lower", lower), ("upper", upper)))
    models = ROUNDINGS if rounding == "either" else (rounding,)
    figures = {m: parse_figure(estimate, lower, upper, n, decimals, m, z, ci) for m in models}
    deadline = Deadline(time_budget)
    answers: dict[str, _ModelAnswer] = {}
    for i, (model, figure) in enumerate(figures.items()):
        share = deadline.sooner(deadline.remaining / (len(models) - i))
        skip = {k for a in answers.values() for k in a.witnesses}
        answers[model] = _check_model(figure, limit, share, skip)
    merged = _merged(answers, limit)
    return KMCheck(id=id, n=n, figure=_figure_text(figures[models[0]]), ci=ci,
                   seconds=time.perf_counter() - started, **merged)


def _figure_text(figure: Figure) -> str:
    est, lo, up = (None if v is None else str(v) for v in figure.values)
    return est + ("" if lo is None and up is None else f" ({lo or '?'}–{up or '?'})")

