"""What the survival checks share: the inverse Kaplan–Meier of a printed figure, in words.

The paper prints no event or censoring times, so a Kaplan–Meier figure is checked backwards:
the inverse Kaplan–Meier (:func:`blina.inverse_km.km_risk_sets`) lists every sequence of
numbers at risk ``r_1 > r_2 > ...`` at the events before the time point whose estimate
``Π(1 − 1/r_i)`` (Kaplan & Meier 1958) and log(−log) Greenwood interval (Greenwood 1926;
Kalbfleisch & Prentice 2002) print as published.  The number of events in a sequence is then
compared with Table 2 (deaths for OS; nonresponse, relapse or death for PFS, section 2.4) for
the group (:func:`blina.cohort.groups.group_facts`), and with the other printed figures.

Rounding model.  The paper's survival figures follow **double half-up rounding**
(:data:`ROUNDING`): the software displayed one more decimal than printed and the authors
rounded that display again (:func:`blina.stats.rounding.printed_interval`).  Five printed
numbers arise only that way (:data:`ROUNDING_EVIDENCE`) and no figure needs single rounding, so
the verdicts search under double rounding and say where single rounding finds nothing.

When ``data/reconstructed_survival.csv`` exists, an explanation also quotes the value on that
RECONSTRUCTED dataset (:func:`with_reconstruction`); Kaplan–Meier verdicts never depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from blina.audit.engine import AuditContext, Verdict
from blina.cohort.figures import KM_FIGURES, KMFigure, PrintedKM, printed_km
from blina.cohort.groups import GROUP_NAMES, GroupFacts
from blina.stats.km import km_estimate_and_ci
from blina.stats.rounding import decimals_of, fmt

__all__ = ["NO_TIMES", "ROUNDING", "ROUNDING_EVIDENCE", "Solved", "count_text", "km_text",
           "pct_text", "seq_str", "seqs_text", "single_rounding_note", "solve", "solved",
           "verdict", "who_ids", "with_reconstruction"]

#: the rounding model of the paper's survival figures (see the module docstring)
ROUNDING = "double"
#: printed value -> (risk sets, which number) it comes from, for the figures only double
#: rounding explains (e.g. "11.10" is the lower limit of (6, 5, 4), 11.0948)
ROUNDING_EVIDENCE = {
    "82.62": ((29, 28, 27, 26, 24), "estimate"),
    "57.79": ((30, 29, 28, 25, 22, 20), "lower"),
    "11.10": ((6, 5, 4), "lower"),
    "95.46": ((22,), "estimate"),
}
NO_TIMES = ("the log-rank p-value depends on the event and censoring times, which are not "
            "published")


@cache
def solve(estimate: str, lower: str | None, upper: str | None, n: int,
          rounding: str = ROUNDING) -> tuple[tuple[int, ...], ...]:
    """All risk-set sequences printing as ``estimate (lower–upper)`` among ``n`` patients.

    :func:`blina.inverse_km.km_risk_sets` with each number's printed decimals; raises if the
    search is not exhaustive (never the case for this paper's figures).
    """
    from blina.inverse_km import km_risk_sets

    decs = tuple(decimals_of(x) if x is not None else 0 for x in (estimate, lower, upper))
    res = km_risk_sets(estimate, lower, upper, n, decimals=decs, rounding=rounding,
                       limit=100_000)
    if not res.exhaustive:
        raise ValueError(f"more than 100000 risk-set sequences for {estimate} ({lower}–{upper}), "
                         f"n={n}: no verdict possible")
    return tuple(res)


def seq_str(seq: tuple[int, ...]) -> str:
    """``(24, 23, 21)``; ``(25,)`` for one event; ``() (no event)`` for none."""
    if not seq:
        return "() (no event)"
    return "(" + ", ".join(map(str, seq)) + ("," if len(seq) == 1 else "") + ")"


def count_text(k: int, word: str) -> str:
    """``1 death``, ``3 deaths``; ``1 PFS event``."""
    return f"{k} {word}" if k == 1 else f"{k} {word}s"


def seqs_text(seqs) -> str:
    """Sequences joined by "or" (``"none"`` when there are none)."""
    return " or ".join(seq_str(s) for s in seqs) if seqs else "none"


def pct_text(x: Fraction | float, decimals: int = 4) -> str:
    """A proportion as a percentage with ``decimals`` places (half up)."""
    return fmt(100 * float(x), decimals)


def km_text(seq: tuple[int, ...]) -> str:
    """``87.3016% (65.5803–95.7229)`` for a sequence."""
    s, lo, up = km_estimate_and_ci(seq)
    if not seq or seq[-1] == 1:
        return f"{pct_text(s, 2)}%"
    return f"{pct_text(s)}% ({pct_text(lo)}–{pct_text(up)})"


def who_ids(ids) -> str:
    """Patient numbers joined by commas (``"none"`` when empty)."""
    ids = list(ids)
    return ", ".join(map(str, ids)) if ids else "none"


def single_rounding_note(est: str, lo: str | None, up: str | None, n: int) -> str:
    """Says when only double rounding finds a sequence."""
    if solve(est, lo, up, n, "double") and not solve(est, lo, up, n, "single"):
        return " (double rounding; none under single rounding)"
    return ""


@dataclass(frozen=True)
class Solved:
    """A printed figure with its group's facts and its risk-set sequences."""

    fig: KMFigure
    facts: GroupFacts
    printed: PrintedKM
    seqs: tuple[tuple[int, ...], ...]

    @property
    def est(self) -> str:
        return self.printed.estimate

    @property
    def lo(self) -> str | None:
        return self.printed.lower

    @property
    def up(self) -> str | None:
        return self.printed.upper

    @property
    def label(self) -> str:
        if self.lo is not None and self.up is None:
            return f"{self.est}% (lower limit {self.lo})"
        return self.printed.label

    @property
    def unique(self) -> tuple[int, ...] | None:
        return self.seqs[0] if len(self.seqs) == 1 else None

    @property
    def events(self) -> tuple[int, ...]:
        return self.facts.events(self.fig.endpoint)

    def recomputed(self) -> str:
        if not self.seqs:
            return "no risk-set sequence"
        if len(self.seqs) > 3:
            return f"{len(self.seqs)} risk-set sequences"
        return "; ".join(f"{seq_str(s)}: {km_text(s)}" for s in self.seqs)

    def intro(self) -> str:
        """'<label> among n <group>: only risk sets X, i.e. k events before t months'."""
        what = "death" if self.fig.endpoint == "os" else "PFS event"
        head = (f"{self.fig.endpoint.upper()} {self.label} among the {self.facts.n} "
                f"{GROUP_NAMES[self.facts.name]}")
        note = single_rounding_note(self.est, self.lo, self.up, self.facts.n)
        if not self.seqs:
            return f"{head}: no risk-set sequence prints as this{note}"
        ks = sorted({len(s) for s in self.seqs})
        k = " or ".join(map(str, ks))
        what = what if ks == [1] else what + "s"
        return (f"{head}: only risk sets {seqs_text(self.seqs)}{note}, i.e. {k} {what} before "
                f"{self.fig.at:g} months")


def solved(ctx: AuditContext, stem: str, *, use_upper: bool = True) -> Solved:
    """The figure ``stem`` of :data:`blina.cohort.figures.KM_FIGURES`, solved."""
    fig = KM_FIGURES[stem]
    facts = ctx.group_facts[fig.group]
    p = printed_km(ctx.claims, fig)
    if not use_upper:
        p = PrintedKM(p.estimate, p.lower, None)
    return Solved(fig, facts, p, solve(p.estimate, p.lower, p.upper, facts.n))


def with_reconstruction(ctx: AuditContext, cid: str, v: Verdict) -> Verdict:
    """Append the RECONSTRUCTED value (if the reconstruction exists) to the explanation."""
    table = ctx.reconstructed
    if table is None:
        return v
    rows = table[table["claim_id"] == cid]
    if rows.empty:
        return v
    bits = [f"{r.quantity}: {r.reconstructed} ({'meets' if r.met else 'misses'} {r.published})"
            for r in rows.itertuples()]
    return Verdict(v.status, v.recomputed,
                   f"{v.explanation} On the RECONSTRUCTED times: {'; '.join(bits)}.", v.basis)


def verdict(ctx: AuditContext, cid: str, status: str, recomputed: str,
            explanation: str) -> Verdict:
    """A verdict whose explanation also quotes the reconstruction (:func:`with_reconstruction`)."""
    return with_reconstruction(ctx, cid, Verdict(status, recomputed, explanation))
