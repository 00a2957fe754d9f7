"""Replication audit: one verdict for every claim in ``data/claims.csv``.

Each claim in the ledger gets a :class:`Verdict` with one of four statuses:

``reproduced``
    recomputed from the published data and equal at the printed precision (half-up rounding);
``consistent``
    cannot be recomputed exactly from what is published, but shown feasible, e.g. a
    Kaplan–Meier estimate and CI whose risk-set sequences (:func:`km_risk_sets`) agree with the
    deaths in Table 2;
``discrepant``
    the recomputed value differs, or the claim cannot be true given the published data or
    another published number (the explanation says which);
``unverifiable``
    needs data the paper does not publish (event times, for instance).

The checks live in :mod:`blina.checks` (tables and text) and :mod:`blina.survival_checks`
(section 3.4, using the inverse Kaplan–Meier of :mod:`blina.inverse_km`); each registers
itself for one or more claim ids with :func:`check`.  :func:`audit` runs them all and fails
loudly if a ledger row has no check, or a check names a claim that is not in the ledger.

Command line: ``python -m blina audit [--format table|json|csv] [--status S] [--section S]``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from blina.inverse_km import RiskSetSolutions, km_risk_sets, max_estimate, min_events

__all__ = ["STATUSES", "MARKS", "Verdict", "AuditContext", "check", "registry", "audit",
           "verdicts", "label", "side_by_side", "status_counts", "km_risk_sets",
           "RiskSetSolutions", "max_estimate", "min_events"]

STATUSES = ("reproduced", "consistent", "discrepant", "unverifiable")
#: a visible mark beside each status word, so the verdict never rests on colour alone
MARKS = {"reproduced": "✔", "consistent": "≈", "discrepant": "✘", "unverifiable": "?"}

CHECK_MODULES = ("blina.checks", "blina.survival_checks")


@dataclass(frozen=True)
class Verdict:
    """The audit's answer for one claim."""

    status: str
    recomputed: str
    explanation: str

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if not self.explanation.strip():
            raise ValueError("a verdict needs an explanation")


class AuditContext:
    """The published data, loaded once and shared by every check."""

    def __init__(self, cohort=None, adverse_events=None, claims=None, reconstructed=None):
        self._given = {"cohort": cohort, "adverse_events": adverse_events, "claims": claims,
                       "reconstructed": reconstructed}

    @cached_property
    def cohort(self) -> pd.DataFrame:
        from blina.data import load_cohort

        c = self._given["cohort"]
        return load_cohort() if c is None else c

    @cached_property
    def adverse_events(self) -> pd.DataFrame:
        from blina.data import load_adverse_events

        a = self._given["adverse_events"]
        return load_adverse_events() if a is None else a

    @cached_property
    def claims(self) -> pd.DataFrame:
        from blina.data import load_claims

        c = self._given["claims"]
        return load_claims() if c is None else c

    @cached_property
    def reconstructed(self) -> pd.DataFrame | None:
        """:func:`blina.reconstructed.evaluate` of ``data/reconstructed_survival.csv``, or None.

        ``None`` when the file does not exist (or ``reconstructed=False`` was given); a given
        DataFrame is used as is.  Survival checks only *mention* these RECONSTRUCTED values.
        """
        given = self._given["reconstructed"]
        if given is False:
            return None
        if given is not None:
            return given
        from blina.paths import data_dir
        from blina.reconstructed import FILENAME, evaluate

        if not (data_dir() / FILENAME).is_file():
            return None
        return evaluate()

    def reported(self, claim_id: str) -> str:
        """The ``reported`` field of one ledger row."""
        rows = self.claims.loc[self.claims.claim_id == claim_id, "reported"]
        if rows.empty:
            raise KeyError(f"claim {claim_id!r} is not in the ledger")
        return str(rows.iloc[0])


CheckFn = Callable[[AuditContext, str], Verdict]
_REGISTRY: dict[str, CheckFn] = {}


def check(*claim_ids: str, into: dict | None = None) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn(ctx, claim_id) -> Verdict`` as the check of each of ``claim_ids``
    (and also in ``into``, a check module's own table by claim id)."""

    def register(fn: CheckFn) -> CheckFn:
        for cid in claim_ids:
            if cid in _REGISTRY:
                raise ValueError(f"claim {cid!r} has two checks: {_REGISTRY[cid].__name__} "
                                 f"and {fn.__name__}")
            _REGISTRY[cid] = fn
            if into is not None:
                into[cid] = fn
        return fn

    return register


def registry() -> dict[str, CheckFn]:
    """All registered checks (importing the check modules on first use)."""
    for module in CHECK_MODULES:
        importlib.import_module(module)
    return dict(_REGISTRY)


def audit(ctx: AuditContext | None = None, claim_ids: Iterable[str] | None = None
          ) -> pd.DataFrame:
    """Run every check; return the ledger with ``recomputed``, ``status``, ``explanation``.

    Raises ``ValueError`` if a ledger row has no check or a check names an unknown claim, so
    no claim can silently go without a verdict.  With ``claim_ids`` only those claims are
    checked (each must be in the ledger and have a check).
    """
    ctx = ctx or AuditContext()
    checks = registry()
    all_ids = list(ctx.claims.claim_id)
    if claim_ids is None:
        ids = all_ids
        unknown = sorted(set(checks) - set(ids))
    else:
        ids = list(claim_ids)
        unknown = sorted(set(ids) - set(all_ids))
    missing = [c for c in ids if c not in checks]
    if missing or unknown:
        raise ValueError(f"audit coverage: claims without a check {missing}; "
                         f"checks for claims not in the ledger {unknown}")
    rows = []
    for cid in ids:
        v = checks[cid](ctx, cid)
        rows.append({"claim_id": cid, "recomputed": v.recomputed, "status": v.status,
                     "explanation": v.explanation})
    chosen = ctx.claims.set_index("claim_id").loc[ids].reset_index()
    out = chosen.merge(pd.DataFrame(rows), on="claim_id", how="left", validate="1:1")
    out["status"] = pd.Categorical(out["status"], categories=list(STATUSES))
    return out


_AUDIT_CACHE: dict[str, pd.DataFrame] = {}


def verdicts() -> pd.DataFrame:
    """The audit of the default data, computed once per process (chapters call this often)."""
    if "default" not in _AUDIT_CACHE:
        _AUDIT_CACHE["default"] = audit()
    return _AUDIT_CACHE["default"].copy()


_CTX: dict[str, AuditContext] = {}
_ONE: dict[str, dict] = {}


def _ledger() -> pd.DataFrame:
    if "default" not in _CTX:
        _CTX["default"] = AuditContext()
    return _CTX["default"].claims


def _verdicts_for(ids: list[str]) -> pd.DataFrame:
    """Verdicts of the chosen claims only (a chapter need not wait for the whole audit)."""
    if "default" in _AUDIT_CACHE:
        full = _AUDIT_CACHE["default"].set_index("claim_id")
        return full.loc[ids].reset_index()
    todo = [c for c in ids if c not in _ONE]
    if todo:
        _ledger()
        part = audit(_CTX["default"], todo)
        for rec in part.to_dict(orient="records"):
            _ONE[rec["claim_id"]] = rec
    return pd.DataFrame([_ONE[c] for c in ids])


def label(status: str) -> str:
    """Status word with its mark, e.g. ``"✔ reproduced"``."""
    return f"{MARKS[status]} {status}"


def side_by_side(claim_ids: Iterable[str] | None = None, *, section: str | None = None,
                 explain: bool = True) -> pd.DataFrame:
    """Published beside recomputed, with the verdict, for the chosen claims.

    Select by ``claim_ids`` (in the given order) or by ``section`` (as in the ledger).
    Returns a DataFrame with columns *claim*, *published*, *recomputed*, *verdict* and (with
    ``explain``) *why*; the quote is the claim's short verbatim fragment.
    """
    if (claim_ids is None) == (section is None):
        raise ValueError("give exactly one of claim_ids or section")
    ledger = _ledger()
    if claim_ids is not None:
        ids = list(claim_ids)
        unknown = [c for c in ids if c not in set(ledger.claim_id)]
        if unknown:
            raise ValueError(f"claim_ids not in the ledger: {unknown}")
    else:
        if section not in set(ledger.section):
            raise ValueError(f"section {section!r} not in the ledger; sections are "
                             f"{sorted(set(ledger.section))}")
        ids = list(ledger.claim_id[ledger.section == section])
    table = _verdicts_for(ids)
    out = pd.DataFrame({
        "claim": table["quote"].to_numpy(),
        "published": table["reported"].to_numpy(),
        "recomputed": table["recomputed"].to_numpy(),
        "verdict": [label(s) for s in table["status"]],
    }, index=pd.Index(table["claim_id"].to_numpy(), name="claim id"))
    if explain:
        out["why"] = table["explanation"].to_numpy()
    return out


def status_counts(table: pd.DataFrame | None = None) -> pd.Series:
    """Number of claims per status (all four statuses, zeros included)."""
    table = verdicts() if table is None else table
    return table["status"].value_counts().reindex(list(STATUSES), fill_value=0)


# ---------------------------------------------------------------- command line
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table",
                        help="output format (default: a text table)")
    parser.add_argument("--status", choices=STATUSES, help="only claims with this verdict")
    parser.add_argument("--section", help="only claims of this section (e.g. 3.4)")


def run(args: argparse.Namespace) -> int:
    table = audit()
    if args.status:
        table = table[table.status == args.status]
    if args.section:
        table = table[table.section == args.section]
    cols = ["claim_id", "section", "quote", "reported", "recomputed", "status", "explanation"]
    if args.format == "json":
        records = table[cols].astype({"status": str}).to_dict(orient="records")
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.format == "csv":
        table[cols].to_csv(sys.stdout, index=False)
    else:
        with pd.option_context("display.max_rows", None, "display.max_colwidth", 60,
                               "display.width", 200):
            print(table[["claim_id", "reported", "recomputed", "status"]].to_string(index=False))
        counts = status_counts(table)
        print("\n" + ", ".join(f"{k}: {v}" for k, v in counts.items()),
              f"(total {len(table)})")
    return 0
