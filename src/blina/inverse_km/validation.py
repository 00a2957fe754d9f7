"""The check on real trial data: lifelines' bundled datasets, where the truth is known.

Each dataset is split by its natural groups; at two or three landmark times per dataset the
true Kaplan–Meier figure of each group (its risk sets, tied events expanded, as
:mod:`blina.stats.km` does) is printed as a paper would print it — 2 or 1 decimals, single or
double rounding, log(−log), log or plain CI — and :func:`blina.inverse_km.km_check` is asked,
as a reader would, without knowing the rounding (``rounding="either"``).  Two questions:

1. *recovery*: is the true number of events among ``event_counts``, and the true sequence
   among ``solutions`` whenever those are exhaustive?  (Both must always hold: the check is
   sound only if they do.)  How often does the figure pin the count down uniquely?
2. *sensitivity*: plant the typos papers make — the last digit off by one, a bound copied from
   another group or time, two adjacent digits transposed — into the 2-decimal log(−log)
   figures, and count how often the check proves the altered figure impossible.

:func:`validation_rows` yields one row per checked figure; :func:`write_validation` writes them
to ``data/km_check_validation.csv``; :func:`recovery_summary` and
:func:`detection_table` summarise that file for the book (:func:`blina.plots.typo_detection_plot`
draws the latter).
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from blina.inverse_km.check import km_check
from blina.stats.km import CI_KINDS, event_table, km_estimate_and_ci

__all__ = [
    "COLUMNS",
    "DATASETS",
    "N_BANDS",
    "TYPO_KINDS",
    "Dataset",
    "TrueFigure",
    "band_labels",
    "detection_table",
    "group_data",
    "n_band",
    "printed_figure",
    "recovery_summary",
    "true_figures",
    "typos",
    "validation_rows",
    "write_validation",
]

#: the kinds of planted typo, in the order the book shows them
TYPO_KINDS = ("last digit ±1", "bound copied", "digits transposed")
#: bands of group size for the tables (upper edges; the last band is open)
N_BANDS = ((1, 50), (51, 200), (201, 500), (501, 1200))
COLUMNS = ["dataset", "group", "time", "n", "events", "ci", "decimals", "printed_rounding",
           "kind", "field", "estimate", "lower", "upper", "feasible", "decided", "unique",
           "counts", "true_count_found", "exhaustive", "true_sequence_found", "seconds"]


@dataclass(frozen=True)
class Dataset:
    """A lifelines dataset: loader name, duration and event columns, how to name each row's
    group, the landmark times (in the dataset's unit), and its key in references.bib."""

    name: str
    loader: str
    duration: str
    event: str
    group: Callable[[pd.DataFrame], pd.Series]
    times: tuple[float, ...]
    unit: str
    cite: str


def _column(name: str, labels: dict | None = None) -> Callable[[pd.DataFrame], pd.Series]:
    def group(df: pd.DataFrame) -> pd.Series:
        col = df[name]
        return col.map(labels) if labels else col.astype(str)
    return group


def _larynx_stage(df: pd.DataFrame) -> pd.Series:
    stage = np.select([df["Stage_II"] == 1, df["Stage_III"] == 1, df["Stage_IV"] == 1],
                      ["II", "III", "IV"], "I")
    return pd.Series(stage, index=df.index).radd("stage ")


def _kidney_group(df: pd.DataFrame) -> pd.Series:
    group = np.select([df["black_male"] == 1, df["white_male"] == 1, df["black_female"] == 1],
                      ["black male", "white male", "black female"], "white female")
    return pd.Series(group, index=df.index)


DATASETS = (
    Dataset("GBSG2 breast cancer", "load_gbsg2", "time", "cens",
            _column("horTh", {"no": "no hormonal therapy", "yes": "hormonal therapy"}),
            (365, 1095, 1825), "days", "schumacher1994"),
    Dataset("Rossi recidivism", "load_rossi", "week", "arrest",
            _column("fin", {0: "no financial aid", 1: "financial aid"}), (13, 26, 39),
            "weeks", "rossi1980"),
    Dataset("larynx cancer", "load_larynx", "time", "death", _larynx_stage, (1, 3, 5),
            "years", "kardaun1983"),
    Dataset("leukemia remission", "load_leukemia", "t", "status",
            _column("Rx", {0: "6-MP", 1: "placebo"}), (5, 10, 20), "weeks", "freireich1963"),
    Dataset("lymphoma", "load_lymphoma", "Time", "Censor",
            _column("Stage_group", {1: "stage group 1", 2: "stage group 2"}),
            (50, 150, 300), "days", "statsdirectlymphoma"),
    Dataset("kidney transplant", "load_kidney_transplant", "time", "death", _kidney_group,
            (365, 1095, 1825), "days", "klein1997"),
    Dataset("NCCTG lung cancer", "load_lung", "time", "status",
            _column("sex", {1: "male", 2: "female"}), (180, 365, 730), "days", "loprinzi1994"),
    Dataset("glioma radioimmunotherapy", "load_g3", "time", "event", _column("group"),
            (24, 48), "months", "grana2002"),
    Dataset("psychiatric inpatients", "load_psychiatric_patients", "T", "C",
            _column("sex", {1: "male", 2: "female"}), (10, 20, 30), "years", "woolson1981"),
    Dataset("democracy and dictatorship", "load_dd", "duration", "observed",
            _column("democracy"), (5, 10, 20), "years", "cheibub2010"),
)


def group_data(dataset: Dataset) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """``(group, durations, events)`` for each group of ``dataset``, in sorted group order."""
    import lifelines.datasets

    df = getattr(lifelines.datasets, dataset.loader)()
    groups = dataset.group(df)
    out = []
    for label in sorted(groups.unique()):
        rows = df[groups == label]
        out.append((str(label), rows[dataset.duration].to_numpy(dtype=float),
                    rows[dataset.event].to_numpy().astype(int)))
    return out


@dataclass(frozen=True)
class TrueFigure:
    """A group's true Kaplan–Meier figure at ``time``: its ``n`` patients and the risk sets
    of the events up to ``time`` (tied events expanded one at a time)."""

    dataset: str
    group: str
    time: float
    n: int
    risk_sets: tuple[int, ...]

    @property
    def events(self) -> int:
        return len(self.risk_sets)


def risk_sets_up_to(durations: np.ndarray, events: np.ndarray, at: float) -> tuple[int, ...]:
    """The numbers at risk at each event up to ``at``: ``d`` deaths with ``n`` at risk give
    ``n, n − 1, ..., n − d + 1`` (the same ``S`` and ``V``, :mod:`blina.stats.km`)."""
    times, at_risk, deaths, _ = event_table(durations, events)
    out: list[int] = []
    for t, n_i, d_i in zip(times, at_risk, deaths, strict=True):
        if t <= at and d_i:
            out.extend(range(int(n_i), int(n_i) - int(d_i), -1))
    return tuple(out)


def true_figures(datasets=DATASETS) -> Iterator[TrueFigure]:
    """Every group at every landmark time within its follow-up, with ``0 < S < 1``."""
    for dataset in datasets:
        for group, durations, events in group_data(dataset):
            for at in dataset.times:
                if at > durations.max():
                    continue
                seq = risk_sets_up_to(durations, events, at)
                if seq and seq[-1] > 1:
                    yield TrueFigure(dataset.name, group, at, len(durations), seq)


def _half_up(value: Fraction | float, decimals: int) -> Decimal:
    """``value`` rounded half up: exactly for a ``Fraction``, from the shortest repr for a
    float (as :func:`blina.stats.rounding.round_half_up`)."""
    quantum = Decimal(1).scaleb(-decimals)
    if isinstance(value, Fraction):
        scaled = value * 10**decimals + Fraction(1, 2)
        return (Decimal(scaled.numerator // scaled.denominator) * quantum).quantize(quantum)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def printed_figure(risk_sets: tuple[int, ...], ci: str, decimals: int,
                   rounding: str) -> tuple[str, str, str]:
    """How a paper prints the figure of ``risk_sets`` in percent: the estimate exactly, the
    bounds from their floats; ``"double"``: shown with one more decimal, then rounded again."""
    s, lower, upper = km_estimate_and_ci(risk_sets, ci=ci)
    out = []
    for value in (s * 100, 100 * lower, 100 * upper):
        if rounding == "double":
            shown = _half_up(value, decimals + 1)
            out.append(str(shown.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)))
        else:
            out.append(str(_half_up(value, decimals)))
    return out[0], out[1], out[2]


def _last_digit(value: str, step: int) -> str | None:
    quantum = Decimal(1).scaleb(Decimal(value).as_tuple().exponent)
    moved = Decimal(value) + step * quantum
    return str(moved) if 0 <= moved <= 100 else None


def _transposed(value: str) -> list[str]:
    """``value`` with each pair of adjacent digits swapped (the decimal point kept in place),
    when that changes it: ``"87.30"`` gives ``"78.30"``, ``"83.70"``, ``"87.03"``."""
    digits = [c for c in value if c.isdigit()]
    out = []
    for i in range(len(digits) - 1):
        if digits[i] == digits[i + 1]:
            continue
        swapped = digits[:]
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
        it = iter(swapped)
        text = "".join(next(it) if c.isdigit() else c for c in value)
        text = str(Decimal(text)) if Decimal(text) >= 1 else text  # no leading zeros kept
        if Decimal(text) <= 100 and text != value:
            out.append(text)
    return out


def typos(figure: tuple[str, str, str],
          others: list[tuple[str, str, str]]) -> Iterator[tuple[str, str, tuple[str, str, str]]]:
    """``(kind, field, altered figure)`` for each planted typo of ``figure`` (see the module
    docstring); ``others`` are the same dataset's figures of other groups and times, whose
    bounds may be copied.  Only altered figures with ``lower ≤ estimate ≤ upper`` are kept."""
    def valid(f):
        return Decimal(f[1]) <= Decimal(f[0]) <= Decimal(f[2]) and f != figure

    seen = set()
    for i, field in enumerate(("estimate", "lower", "upper")):
        candidates = [("last digit ±1", _last_digit(figure[i], step)) for step in (-1, 1)]
        candidates += [("digits transposed", t) for t in _transposed(figure[i])]
        if i:
            candidates += [("bound copied", other[i]) for other in others]
        for kind, value in candidates:
            if value is None:
                continue
            altered = tuple(value if j == i else figure[j] for j in range(3))
            if valid(altered) and (kind, altered) not in seen:
                seen.add((kind, altered))
                yield kind, field, altered


def _check_row(fig: TrueFigure, ci: str, decimals: int, rounding: str, kind: str, field: str,
               printed: tuple[str, str, str], time_budget: float) -> dict:
    """Run :func:`km_check` on one printed figure and describe the answer as a row."""
    answer = km_check(fig.n, *printed, ci=ci, rounding="either", time_budget=time_budget)
    is_true = kind == "true"
    return {
        "dataset": fig.dataset, "group": fig.group, "time": fig.time, "n": fig.n,
        "events": fig.events, "ci": ci, "decimals": decimals, "printed_rounding": rounding,
        "kind": kind, "field": field, "estimate": printed[0], "lower": printed[1],
        "upper": printed[2], "feasible": answer.feasible, "decided": answer.decided,
        "unique": answer.decided and len(answer.event_counts) == 1,
        "counts": len(answer.event_counts),
        "true_count_found": (fig.events in answer.event_counts) if is_true else "",
        "exhaustive": answer.exhaustive,
        "true_sequence_found": (fig.risk_sets in answer.solutions
                                if is_true and answer.exhaustive else ""),
        "seconds": round(answer.seconds, 4)}


def validation_rows(datasets=DATASETS, *, time_budget: float = 10.0,
                    typo_figures: bool = True) -> Iterator[dict]:
    """One row per checked figure: every true figure in every print style, then (with
    ``typo_figures``) the planted typos of the 2-decimal log(−log) single-rounded ones."""
    figures = list(true_figures(datasets))
    for fig in figures:
        for ci in CI_KINDS:
            for decimals in (2, 1):
                for rounding in ("single", "double"):
                    printed = printed_figure(fig.risk_sets, ci, decimals, rounding)
                    yield _check_row(fig, ci, decimals, rounding, "true", "", printed,
                                     time_budget)
    if not typo_figures:
        return
    for fig in figures:
        base = printed_figure(fig.risk_sets, "loglog", 2, "single")
        others = [printed_figure(o.risk_sets, "loglog", 2, "single") for o in figures
                  if o.dataset == fig.dataset and (o.group, o.time) != (fig.group, fig.time)]
        for kind, field, altered in typos(base, others):
            yield _check_row(fig, "loglog", 2, "single", kind, field, altered, time_budget)


def write_validation(path: str | Path, rows, progress: Callable[[int], None] | None = None
                     ) -> int:
    """Write ``rows`` to the CSV ``path`` atomically (a temporary file renamed at the end, so
    an interrupted run leaves the old file whole); returns the number of rows."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                count += 1
                if progress is not None:
                    progress(count)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return count


def n_band(n: int) -> str:
    """The label of the band of :data:`N_BANDS` that holds ``n`` (``"51–200"``)."""
    for lo, hi in N_BANDS:
        if lo <= n <= hi:
            return f"{lo}–{hi}"
    return f">{N_BANDS[-1][1]}"


def band_labels() -> list[str]:
    """The labels of :data:`N_BANDS`, in order, then the open band above them."""
    return [f"{lo}–{hi}" for lo, hi in N_BANDS] + [f">{N_BANDS[-1][1]}"]


def _as_bool(series: pd.Series) -> pd.Series:
    return series.astype(str).str.lower().eq("true")


def recovery_summary(df: pd.DataFrame) -> dict:
    """Rates over the true figures of the validation file, as plain Python numbers.

    ``count_recovered``: share of true figures whose true number of events is among the
    answer's counts; ``missed`` of them are not, ``missed_undecided`` of those because the time
    budget ran out (never proved impossible when ``missed == missed_undecided``);
    ``sequence_recovered``: share of exhaustive answers holding the true sequence; ``unique``:
    share allowing one count only; ``decided``: share of ALL checked figures (typos included)
    settled within the budget; solve times in seconds.
    """
    true = df[df["kind"] == "true"]
    exhaustive = true[_as_bool(true["exhaustive"])]
    missed = true[~_as_bool(true["true_count_found"])]
    return {
        "figures": len(true), "groups": int(true.groupby(["dataset", "group"]).ngroups),
        "datasets": int(true["dataset"].nunique()),
        "count_recovered": float(_as_bool(true["true_count_found"]).mean()),
        "missed": len(missed),
        "missed_undecided": int((~_as_bool(missed["decided"])).sum()),
        "exhaustive": len(exhaustive),
        "sequence_recovered": float(_as_bool(exhaustive["true_sequence_found"]).mean()),
        "unique": float(_as_bool(true["unique"]).mean()),
        "decided": float(_as_bool(df["decided"]).mean()),
        "median_seconds": float(df["seconds"].median()),
        "max_seconds": float(df["seconds"].max())}


def detection_table(df: pd.DataFrame) -> pd.DataFrame:
    """Share of planted typos proved impossible, by kind of typo (rows) and band of ``n``
    (columns), with the number of typos in each cell."""
    typo = df[df["kind"] != "true"].copy()
    typo["proved impossible"] = ~_as_bool(typo["feasible"]) & _as_bool(typo["decided"])
    typo["n band"] = typo["n"].map(n_band)
    order = [b for b in band_labels() if b in set(typo["n band"])]
    rate = typo.pivot_table(index="kind", columns="n band", values="proved impossible",
                            aggfunc="mean").reindex(index=list(TYPO_KINDS), columns=order)
    rate["all n"] = typo.groupby("kind")["proved impossible"].mean()
    count = typo.groupby("kind").size().reindex(list(TYPO_KINDS))
    rate["typos"] = count
    return rate
