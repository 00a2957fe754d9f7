"""Reports of the audit: published beside recomputed, counts, and the HTML the book shows.

The chapters ask for verdicts often; they come from one default :class:`AuditContext`
(:func:`default_context`), which loads the data once and computes each verdict once.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from blina.audit.engine import BASES, MARKS, STATUSES, AuditContext, audit

__all__ = ["DISCREPANCY_KINDS", "LEDGER_COLUMNS", "TABLE_ONLY", "default_context",
           "findings_html", "label", "scorecard", "section_scorecard", "section_summary",
           "side_by_side", "status_counts", "verdict_shares", "verdicts", "verdicts_html"]

_DEFAULT: list[AuditContext] = []

#: the discrepant claims grouped by the kind of slip behind them (the rest are "Other")
DISCREPANCY_KINDS = {
    "Slips in typing or copying": ["res-3.3-heme-pct", "res-3.4-os2y-nofurther-ci",
                                   "disc-median-os-nofurther", "met-2.3-bm-neutrophil-1000"],
    "A number taken with the wrong denominator or read from the wrong rows": [
        "abs-high-burden-cr-13", "res-3.2-nonresp-5", "res-3.2-nonresp-death-causes",
        "res-3.2-relapse-by-therapy", "disc-multilinear-no-mrd"],
    "A summary statistic the table does not give": ["res-3.1-age-median",
                                                    "res-3.2-blast-median"],
    "Survival figures that cannot all hold": [
        "res-3.4-os2y-all-est", "res-3.4-os2y-all-ci", "abs-os2y-all", "res-3.4-pfs2y-resp-est",
        "res-3.4-pfs2y-resp-ci", "res-3.4-pfs2y-further-est", "res-3.4-pfs2y-further-ci"],
    "Two values printed the wrong way round": [
        "res-3.4-os2y-resp-further-est", "res-3.4-os2y-resp-nofurther-est",
        "res-3.4-pfs2y-resp-further-est", "res-3.4-pfs2y-resp-nofurther-est"],
    "A cited source that does not give the number": ["disc-trials-cr-34-43"],
    "The paper contradicting itself": ["met-2.2-short-course-lt10d", "disc-short-course-lt10d",
                                       "disc-nonresp-28d-after-7to10d", "disc-os-pfs-hsct-better",
                                       "res-3.4-pfs-resp-further-p"],
}
#: the ledger columns of the verdict tables, with their headings
LEDGER_COLUMNS = {"claim_id": "claim id", "quote": "claim (quoted)", "reported": "published",
                  "recomputed": "recomputed", "verdict": "verdict", "explanation": "why"}


def default_context() -> AuditContext:
    """The audit context of the project's own data (created on first use, then reused)."""
    if not _DEFAULT:
        _DEFAULT.append(AuditContext())
    return _DEFAULT[0]


def verdicts() -> pd.DataFrame:
    """The audit of the project's data: the ledger with ``recomputed``, ``status``,
    ``explanation`` and ``verdict`` (the status with its mark)."""
    out = audit(default_context())
    out["verdict"] = out["status"].astype(str).map(label)
    return out


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
    ctx = default_context()
    ledger = ctx.claims
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
    table = audit(ctx, ids)
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


def scorecard(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Claims per verdict, with the table rows checked only for coherence shown apart.

    Columns: ``tested against the data`` (basis ``data``), ``table row, coherence only`` (basis
    ``table``: a row of Table 3 is its own only source) and ``all``; one row per status, labelled
    with its mark, and a total.
    """
    table = verdicts() if table is None else table
    counts = pd.crosstab(table["status"], table["basis"]).reindex(
        index=list(STATUSES), columns=list(BASES), fill_value=0)
    out = pd.DataFrame({"tested against the data": counts["data"],
                        "table row, coherence only": counts["table"]})
    out["all"] = out.sum(axis=1)
    out.loc["total"] = out.sum()
    out.index = [label(s) if s in MARKS else s for s in out.index]
    return out


#: the column of a scorecard holding the table rows checked only for coherence
TABLE_ONLY = "≈ consistent (table row only)"


def section_scorecard(ledger: pd.DataFrame) -> pd.DataFrame:
    """Claims per section (rows, in the paper's order) and verdict (columns, with their marks);
    the coherent table rows are a column of their own (:data:`TABLE_ONLY`)."""
    order = list(dict.fromkeys(ledger["section"].astype(str)))
    kind = [TABLE_ONLY if b == "table" else label(str(st))
            for st, b in zip(ledger["status"], ledger["basis"], strict=True)]
    columns = [label(s) for s in STATUSES]
    columns.insert(2, TABLE_ONLY)
    counts = pd.crosstab(pd.Categorical(ledger["section"].astype(str), categories=order),
                         pd.Categorical(kind, categories=columns), dropna=False)
    return counts.rename_axis(index="section", columns=None)


def verdict_shares(ledger: pd.DataFrame) -> dict[str, str]:
    """The counts the audit chapter's prose quotes, as text: ``claims``, ``reproduced``,
    ``consistent-data`` (consistent against the data), ``table-only``, ``discrepant``,
    ``unverifiable-text`` ("31 of 41": unverifiable claims in the introduction, methods and
    discussion, of all unverifiable ones), ``most-discrepant`` (the section with the most
    discrepancies) and ``most-discrepant-n``."""
    status = ledger["status"].astype(str)
    section = ledger["section"].astype(str)
    text_sections = {"1", "2.1", "2.2", "2.3", "2.4", "4"}
    unverifiable = status == "unverifiable"
    discrepant = section[status == "discrepant"].value_counts()
    return {
        "claims": str(len(ledger)),
        "reproduced": str(int((status == "reproduced").sum())),
        "consistent-data": str(int(((status == "consistent") & (ledger["basis"] == "data"))
                                   .sum())),
        "table-only": str(int((ledger["basis"] == "table").sum())),
        "discrepant": str(int((status == "discrepant").sum())),
        "unverifiable-text": f"{int((unverifiable & section.isin(text_sections)).sum())} of "
                             f"{int(unverifiable.sum())}",
        "most-discrepant": str(discrepant.index[0]),
        "most-discrepant-n": str(int(discrepant.iloc[0])),
    }


def section_summary(ledger: pd.DataFrame) -> pd.DataFrame:
    """Claims per section with the shares (%) supported by the data (reproduced or consistent,
    table rows checked only for coherence left out), table rows only, and unverifiable; least
    supported first."""
    supported = ledger["status"].isin(["reproduced", "consistent"]) & (ledger["basis"] == "data")
    section = ledger["section"].astype(str)
    summary = pd.DataFrame({"claims": section.value_counts(),
                            "supported %": 100 * supported.groupby(section).mean(),
                            "table rows only %": 100 * (ledger["basis"] == "table")
                            .groupby(section).mean(),
                            "unverifiable %": 100 * (ledger["status"] == "unverifiable")
                            .groupby(section).mean()})
    return summary.round(0).sort_values("supported %")


def _table_html(rows: pd.DataFrame, caption: str) -> str:
    """The rows as an escaped HTML table without the index, with a caption."""
    table = rows[list(LEDGER_COLUMNS)].rename(columns=LEDGER_COLUMNS).to_html(
        index=False, escape=True, border=0)
    return table.replace(">", f"><caption>{html.escape(caption)}</caption>", 1)


def _status_block(ledger: pd.DataFrame, status: str) -> str:
    rows = ledger[ledger["status"] == status]
    inner = "".join(
        f"<details><summary>section {html.escape(sec)}: {len(part)}</summary>"
        f"{_table_html(part, f'{label(status)}, section {sec}')}</details>"
        for sec, part in rows.groupby("section", sort=False, observed=True))
    opened = " open" if status == "discrepant" else ""
    return (f"<details{opened}><summary><strong>{label(status)}</strong>: {len(rows)} "
            f"claims</summary><div style='margin-left: 1em'>{inner}</div></details>")


def verdicts_html(ledger: pd.DataFrame) -> str:
    """Every verdict as nested ``<details>`` blocks: one per status, one per section inside."""
    return "".join(_status_block(ledger, s) for s in STATUSES)


def _paragraphs(by_id: pd.DataFrame, ids: list[str]) -> str:
    """One ``<p>`` per distinct finding (claims with the same recomputed value and the same
    opening of the explanation, e.g. an estimate and its interval, share one)."""
    out = []
    rows_of = by_id.loc[ids]
    finding = rows_of["recomputed"] + rows_of["explanation"].str[:60]
    for _, rows in rows_of.groupby(finding, sort=False):
        first = rows.iloc[0]
        out.append(f"<p><strong>{html.escape(first['verdict'])}</strong> "
                   f"“{html.escape(first['quote'])}” (section {html.escape(first['section'])}, "
                   f"published {html.escape(first['reported'])}; "
                   f"{', '.join(f'<code>{c}</code>' for c in rows.index)}). "
                   f"{html.escape(first['explanation'])}</p>")
    return "".join(out)


def findings_html(ledger: pd.DataFrame, kinds: dict[str, list[str]] | None = None) -> str:
    """The discrepant claims grouped by kind (default :data:`DISCREPANCY_KINDS`, then
    "Other"), each finding a paragraph with its explanation."""
    kinds = dict(DISCREPANCY_KINDS if kinds is None else kinds)
    by_id = ledger.set_index("claim_id")
    discrepant = list(by_id.index[by_id["status"] == "discrepant"])
    kinds = {k: [c for c in ids if c in discrepant] for k, ids in kinds.items()}
    kinds["Other"] = [c for c in discrepant if not any(c in ids for ids in kinds.values())]
    return "".join(f"<h4>{html.escape(kind)} ({len(ids)})</h4>{_paragraphs(by_id, ids)}"
                   for kind, ids in kinds.items() if ids)
