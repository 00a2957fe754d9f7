"""The audit layer: one verdict for every claim of the paper (``data/claims.csv``).

- :mod:`blina.audit.engine` — :class:`Verdict`, :class:`AuditContext`, the check tables and
  :func:`audit`, which maps the checks over the ledger;
- :mod:`blina.audit.checks` — the checks, by part of the paper;
- :mod:`blina.audit.report` — published beside recomputed, status counts, the book's HTML;
- :mod:`blina.audit.cli` — ``python -m blina audit``.

The names the chapters use are re-exported here.
"""

from blina.audit.engine import MARKS, STATUSES, AuditContext, Verdict, audit, registry
from blina.audit.report import (
    default_context,
    findings_html,
    label,
    scorecard,
    section_scorecard,
    section_summary,
    side_by_side,
    status_counts,
    verdict_shares,
    verdicts,
    verdicts_html,
)

__all__ = ["MARKS", "STATUSES", "AuditContext", "Verdict", "audit", "default_context",
           "findings_html", "label", "registry", "scorecard",
           "section_scorecard", "section_summary", "side_by_side",
           "status_counts", "verdict_shares", "verdicts", "verdicts_html"]
