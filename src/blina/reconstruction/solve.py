"""Solving the reconstruction: lexicographic tiers, the tie-break, and the chosen dataset.

Each tier of :mod:`blina.reconstruction.targets` is solved to optimality in turn and then fixed
(the count of its met targets may not fall); then the fewest patients lost to follow-up
(tier 6) and the fewest responders whose PFS is censored before their last contact (tier 7);
then a tie-break towards a seeded reference within a deterministic-time budget (tier 8).  See
:mod:`blina.reconstruction.model` for the model and what it finds.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from blina.reconstruction.evaluate import evaluate
from blina.reconstruction.files import COLUMNS, months
from blina.reconstruction.model import SurvivalModel

__all__ = ["SEEDS", "TIE_BREAK_DTIME", "Reconstruction", "reconstruct", "to_frame"]

#: seeds of the reference draws whose closest solutions are the candidates (tier 8)
SEEDS = (0,)


#: deterministic-time budget of each tie-break solve (tier 8; CP-SAT's work count, not
#: seconds): proving the closest dataset optimal takes far longer than finding it
TIE_BREAK_DTIME = 5.0


#: CP-SAT random seed (single worker: deterministic)
SOLVER_SEED = 20241218


@dataclass
class Reconstruction:
    """The solver's result: the times, the met flags per tier, and timings."""

    times: pd.DataFrame
    met: dict[str, bool]
    tiers: dict[int, int]
    seed: int
    candidates: list[dict] = field(default_factory=list)
    seconds: float = 0.0


def _solver():
    from ortools.sat.python import cp_model

    s = cp_model.CpSolver()
    s.parameters.num_search_workers = 1
    s.parameters.random_seed = SOLVER_SEED
    s.parameters.log_search_progress = False
    return s


def _solve(model: SurvivalModel, objective, maximize: bool, hint: dict | None,
           budget: float | None = None) -> tuple[int, dict, bool]:
    """Optimise ``objective``; return (value, solution, proven optimal).

    ``budget`` is a limit in CP-SAT's *deterministic* time (a count of work, not seconds, so
    the result does not depend on the machine's speed or load); without it the solve must
    reach proven optimality."""
    m = model.m
    m.ClearObjective()
    if maximize:
        m.Maximize(objective)
    else:
        m.Minimize(objective)
    m.ClearHints()
    if hint:
        for var, val in hint.items():
            m.AddHint(var, val)
    solver = _solver()
    if budget is not None:
        solver.parameters.max_deterministic_time = budget
    status = solver.Solve(m)
    ok = (model.cp.OPTIMAL,) if budget is None else (model.cp.OPTIMAL, model.cp.FEASIBLE)
    if status not in ok:
        raise RuntimeError(f"CP-SAT stopped with status {solver.StatusName(status)}")
    values = {v: solver.Value(v) for e in ("os", "pfs") for v in model.t[e].values()}
    values.update({v: solver.Value(v) for v in model.met.values()})
    return int(round(solver.ObjectiveValue())), values, status == model.cp.OPTIMAL


def to_frame(model: SurvivalModel, values: dict) -> pd.DataFrame:
    """The solution as the rows of ``data/reconstructed_survival.csv``."""
    rows = []
    for i in model.ids:
        os_d = int(values[model.t["os"][i]])
        pfs_d = int(values[model.t["pfs"][i]])
        rows.append({"patient": i, "os_days": os_d, "os_months": months(os_d),
                     "os_event": model.event["os"][i], "pfs_days": pfs_d,
                     "pfs_months": months(pfs_d), "pfs_event": model.event["pfs"][i]})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _score(cohort: pd.DataFrame, claims: pd.DataFrame, times: pd.DataFrame) -> tuple:
    """Post-hoc score of a candidate: (therapy 'no difference' unmet, sum |log10 p − log10
    p_pub| over printed p-values); smaller is better."""
    df = cohort.merge(times, on="patient")
    table = evaluate(df, claims)
    lr = table[table["figure"].str.startswith("p-")]
    miss_nodiff = int((~lr.loc[lr["published"] == "no difference", "met"]).sum())
    dist = 0.0
    for _, r in lr.iterrows():
        pub = r["published"]
        if pub == "no difference":
            continue
        p_rec = r["reconstructed"].split(" ")[0]
        p = float(p_rec.lstrip("<"))
        if pub.startswith("<"):
            if not r["met"]:
                dist += abs(math.log10(p) - math.log10(float(pub[1:])))
        else:
            dist += abs(math.log10(p) - math.log10(float(pub)))
    return miss_nodiff, round(dist, 12)


def reconstruct(cohort: pd.DataFrame | None = None, *, claims: pd.DataFrame | None = None,
                seeds: Iterable[int] = SEEDS,
                progress: Callable[[str], None] | None = None) -> Reconstruction:
    """Solve the model of the module docstring; return the chosen :class:`Reconstruction`.

    ``cohort`` and ``claims`` default to :func:`blina.load_cohort` and
    :func:`blina.data.load_claims`.  ``progress`` receives one line per
    stage (the CLI prints them).  Deterministic: one worker, fixed solver seed, no wall-clock
    limit (tier 8 has a deterministic-time budget, :data:`TIE_BREAK_DTIME`).
    """
    say = progress or (lambda _msg: None)
    from blina.data.files import load_claims, load_cohort

    cohort = load_cohort() if cohort is None else cohort
    claims = load_claims() if claims is None else claims
    t0 = time.perf_counter()
    model = SurvivalModel(cohort, claims)
    say(f"model: {len(model.ids)} patients, {len(model.met)} published targets, "
        f"{len(model.m.Proto().variables)} variables, {len(model.m.Proto().constraints)} "
        "constraints")
    hint: dict | None = None
    tiers: dict[int, int] = {}
    for tier in sorted(set(model.tier_of.values())):
        flags = [model.met[k] for k, t in model.tier_of.items() if t == tier]
        best, hint, _ = _solve(model, sum(flags), True, hint)
        model.m.Add(sum(flags) >= best)
        tiers[tier] = best
        say(f"tier {tier}: {best} of {len(flags)} targets met "
            f"({time.perf_counter() - t0:.1f} s)")
    for tier, (name, terms) in ((6, ("patients lost to follow-up", model.lost_to_followup())),
                                (7, ("PFS censored before last contact",
                                     model.early_pfs_censoring()))):
        best, hint, _ = _solve(model, sum(terms), False, hint)
        model.m.Add(sum(terms) <= best)
        tiers[tier] = best
        say(f"tier {tier}: {best} {name} ({time.perf_counter() - t0:.1f} s)")
    candidates = []
    for seed in seeds:
        ref = model.reference(seed)
        dist_expr = model.distance(ref)
        dist, values, proven = _solve(model, dist_expr, False, hint, TIE_BREAK_DTIME)
        times = to_frame(model, values)
        score = _score(cohort, claims, times)
        candidates.append({"seed": seed, "distance": dist, "score": score, "times": times,
                           "met": {k: bool(values[v]) for k, v in model.met.items()}})
        say(f"tier 8, seed {seed}: distance {dist} days "
            f"({'optimal' if proven else 'best within the budget'}), p-value score {score} "
            f"({time.perf_counter() - t0:.1f} s)")
    best = min(candidates, key=lambda c: (c["score"], SEEDS.index(c["seed"])
                                          if c["seed"] in SEEDS else c["seed"]))
    say(f"chosen: seed {best['seed']}")
    return Reconstruction(times=best["times"], met=best["met"], tiers=tiers, seed=best["seed"],
                          candidates=[{k: v for k, v in c.items() if k != "times"}
                                      for c in candidates],
                          seconds=time.perf_counter() - t0)
