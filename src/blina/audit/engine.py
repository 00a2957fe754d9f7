"""The audit engine: verdicts, the context the checks share, and the mapper over the ledger.

Each claim in the ledger (``data/claims.csv``) gets a :class:`Verdict` with one of four
statuses:

``reproduced``
    recomputed from the published data and equal at the printed precision (half-up rounding);
``consistent``
    cannot be recomputed exactly from what is published, but shown feasible, e.g. a
    Kaplan–Meier estimate and CI whose risk-set sequences agree with the deaths in Table 2;
``discrepant``
    the recomputed value differs, or the claim cannot be true given the published data or
    another published number (the explanation says which);
``unverifiable``
    needs data the paper does not publish (event times, for instance).

Each verdict also says what it rests on (:data:`BASES`): ``data`` — recomputed from, or tested
against, the published data or the paper's other numbers; ``table`` — the claim *is* a row of a
table (Table 3), so only the row's internal coherence can be checked.  A coherent table row is
"consistent" but is not evidence; scorecards show such rows apart (:func:`scorecard`).

A check is a small function ``check(ctx, claim_id) -> Verdict`` registered for one or more
claim ids in its module's :class:`CheckTable` (``@CHECKS.check("res-3.2-cr-16", ...)``), in
the style of the R package scrutiny: one small test per kind of claim, and :func:`audit` maps
them over the ledger.  :func:`audit` fails loudly if a ledger row has no check or a check names
a claim that is not in the ledger.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

__all__ = ["BASES", "CHECK_MODULES", "MARKS", "STATUSES", "AuditContext", "CheckTable",
           "Verdict", "audit", "registry"]

STATUSES = ("reproduced", "consistent", "discrepant", "unverifiable")
#: a visible mark beside each status word, so the verdict never rests on colour alone
MARKS = {"reproduced": "✔", "consistent": "≈", "discrepant": "✘", "unverifiable": "?"}
#: what a verdict rests on (see the module docstring)
BASES = ("data", "table")
#: the modules holding the checks, by section of the paper
CHECK_MODULES = (
    "blina.audit.checks.introduction",
    "blina.audit.checks.methods",
    "blina.audit.checks.characteristics",
    "blina.audit.checks.response",
    "blina.audit.checks.toxicity",
    "blina.audit.checks.km_estimates",
    "blina.audit.checks.medians",
    "blina.audit.checks.comparisons",
    "blina.audit.checks.followup",
    "blina.audit.checks.discussion",
)


@dataclass(frozen=True)
class Verdict:
    """The audit's answer for one claim."""

    status: str
    recomputed: str
    explanation: str
    basis: str = "data"

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if self.basis not in BASES:
            raise ValueError(f"basis must be one of {BASES}, got {self.basis!r}")
        if not self.explanation.strip():
            raise ValueError("a verdict needs an explanation")


class AuditContext:
    """The published data, loaded once, and what the checks derive from it, computed once.

    Give ``cohort``, ``adverse_events``, ``claims``, ``comparators`` to audit other data (e.g. a
    corrected copy of Table 3); ``reconstructed`` is the evaluation table of the reconstructed
    survival times (:func:`blina.reconstruction.evaluate.evaluate`), ``False`` for none, or
    ``None`` to evaluate ``data/reconstructed_survival.csv`` when it exists.
    """

    def __init__(self, cohort=None, adverse_events=None, claims=None, reconstructed=None,
                 comparators=None):
        self._given = {"cohort": cohort, "adverse_events": adverse_events, "claims": claims,
                       "reconstructed": reconstructed, "comparators": comparators}
        self._verdicts: dict[str, Verdict] = {}

    def _load(self, name: str, loader: str):
        given = self._given[name]
        if given is not None:
            return given
        from blina.data import files

        return getattr(files, loader)()

    @cached_property
    def cohort(self) -> pd.DataFrame:
        return self._load("cohort", "load_cohort")

    @cached_property
    def adverse_events(self) -> pd.DataFrame:
        return self._load("adverse_events", "load_adverse_events")

    @cached_property
    def claims(self) -> pd.DataFrame:
        return self._load("claims", "load_claims")

    @cached_property
    def comparators(self) -> pd.DataFrame:
        return self._load("comparators", "load_comparators")

    @cached_property
    def patients(self) -> pd.DataFrame:
        """The cohort with the group columns of :func:`blina.cohort.groups.add_groups`, the
        ``high_burden`` flag and ``mrd_neg`` (bool); treat as read-only."""
        from blina.cohort.groups import add_groups
        from blina.cohort.response import high_burden

        g = add_groups(self.cohort)
        g["mrd_neg"] = g["mrd_negative"].astype(bool)
        g["high_burden"] = high_burden(g)
        return g

    @cached_property
    def group_facts(self) -> dict:
        """:func:`blina.cohort.groups.group_facts` of the cohort."""
        from blina.cohort.groups import group_facts

        return group_facts(self.cohort)

    @cached_property
    def reconstructed(self) -> pd.DataFrame | None:
        """The evaluation of the RECONSTRUCTED times, or None (see the class docstring)."""
        given = self._given["reconstructed"]
        if given is False:
            return None
        if given is not None:
            return given
        from blina.data.paths import data_dir
        from blina.reconstruction.evaluate import evaluate
        from blina.reconstruction.files import FILENAME, load_reconstructed_survival

        if not (data_dir() / FILENAME).is_file():
            return None
        return evaluate(load_reconstructed_survival(), self.claims)

    def reported(self, claim_id: str) -> str:
        """The ``reported`` field of one ledger row."""
        from blina.cohort.figures import reported

        return reported(self.claims, claim_id)

    def verdict(self, check: Callable[[AuditContext, str], Verdict], claim_id: str) -> Verdict:
        """``check(self, claim_id)``, computed once per context."""
        if claim_id not in self._verdicts:
            self._verdicts[claim_id] = check(self, claim_id)
        return self._verdicts[claim_id]


CheckFn = Callable[[AuditContext, str], Verdict]


class CheckTable(dict):
    """A check module's checks by claim id; :meth:`check` is the registering decorator."""

    def check(self, *claim_ids: str) -> Callable[[CheckFn], CheckFn]:
        """Register ``fn(ctx, claim_id) -> Verdict`` as the check of each of ``claim_ids``."""

        def register(fn: CheckFn) -> CheckFn:
            for cid in claim_ids:
                if cid in self:
                    raise ValueError(f"claim {cid!r} has two checks: {self[cid].__name__} and "
                                     f"{fn.__name__}")
                self[cid] = fn
            return fn

        return register


def registry() -> dict[str, CheckFn]:
    """Every check of :data:`CHECK_MODULES` by claim id (a claim with two checks is an error)."""
    out: dict[str, CheckFn] = {}
    for name in CHECK_MODULES:
        table = importlib.import_module(name).CHECKS
        twice = sorted(set(out) & set(table))
        if twice:
            raise ValueError(f"claims {twice} have checks in two modules (one is {name})")
        out.update(table)
    return out


def audit(ctx: AuditContext | None = None, claim_ids: Iterable[str] | None = None
          ) -> pd.DataFrame:
    """Run every check; return the ledger with ``recomputed``, ``status``, ``explanation``,
    ``basis``.

    Raises ``ValueError`` if a ledger row has no check or a check names an unknown claim, so
    no claim can silently go without a verdict.  With ``claim_ids`` only those claims are
    checked (each must be in the ledger and have a check).
    """
    ctx = ctx or AuditContext()
    checks = registry()
    all_ids = list(ctx.claims.claim_id)
    ids = all_ids if claim_ids is None else list(claim_ids)
    unknown = sorted(set(checks) - set(ids)) if claim_ids is None else sorted(set(ids)
                                                                              - set(all_ids))
    missing = [c for c in ids if c not in checks]
    if missing or unknown:
        raise ValueError(f"audit coverage: claims without a check {missing}; "
                         f"checks for claims not in the ledger {unknown}")
    rows = []
    for cid in ids:
        v = ctx.verdict(checks[cid], cid)
        rows.append({"claim_id": cid, "recomputed": v.recomputed, "status": v.status,
                     "explanation": v.explanation, "basis": v.basis})
    chosen = ctx.claims.set_index("claim_id").loc[ids].reset_index()
    out = chosen.merge(pd.DataFrame(rows), on="claim_id", how="left", validate="1:1")
    out["status"] = pd.Categorical(out["status"], categories=list(STATUSES))
    return out
