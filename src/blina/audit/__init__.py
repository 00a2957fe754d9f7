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
    chapter_scorecard,
    default_context,
    findings_block,
    findings_html,
    label,
    scorecard,
    scorecard_facts,
    scorecard_table,
    section_facts,
    section_scorecard,
    section_summary,
    side_by_side,
    status_counts,
    verdict_shares,
    verdicts,
    verdicts_block,
    verdicts_html,
)

__all__ = ["MARKS", "STATUSES", "AuditContext", "Verdict", "audit", "chapter_scorecard",
           "default_context", "findings_block", "findings_html", "label", "registry",
           "scorecard", "scorecard_facts", "scorecard_table", "section_facts",
           "section_scorecard", "section_summary", "side_by_side", "status_counts",
           "verdict_shares", "verdicts", "verdicts_block", "verdicts_html"]
