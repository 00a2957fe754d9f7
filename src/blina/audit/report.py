"""Reports of the audit: published beside recomputed, counts, and the HTML the book shows.

The chapters ask for verdicts often; they come from one default :class:`AuditContext`
(:func:`default_context`), which loads the data once and computes each verdict once.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from blina.audit.engine import BASES, MARKS, STATUSES, AuditContext, audit
from blina.display import Block, Link, as_table, md_escape

__all__ = ["CARD_KINDS", "CARD_LABELS", "DISCREPANCY_KINDS", "LEDGER_COLUMNS", "SECTIONS",
           "TABLE_ONLY", "chapter_scorecard", "default_context", "findings_block",
           "findings_html", "label", "scorecard", "scorecard_facts", "scorecard_table",
           "section_facts", "section_scorecard", "section_summary", "side_by_side",
           "status_counts", "verdict_shares", "verdicts", "verdicts_block", "verdicts_html"]

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
#: each section of the ledger in the paper's order: its heading and the chapter that checks it
SECTIONS = {
    "abstract": ("Abstract", "audit"),
    "1": ("1 Introduction", "audit"),
    "2.1": ("2.1 Study design", "audit"),
    "2.2": ("2.2 Treatment", "methods"),
    "2.3": ("2.3 Assessment of remission", "methods"),
    "2.4": ("2.4 Statistical analysis", "audit"),
    "3.1": ("3.1 Patient characteristics", "characteristics"),
    "table1": ("Table 1", "characteristics"),
    "3.2": ("3.2 Outcomes", "response"),
    "3.3": ("3.3 Toxicity", "toxicity"),
    "table3": ("Table 3", "toxicity"),
    "3.4": ("3.4 Survival", "survival"),
    "figure1": ("Figure 1 caption", "audit"),
    "figure2": ("Figure 2 caption", "audit"),
    "4": ("4 Discussion", "discussion"),
    "5": ("5 Conclusion", "conclusions"),
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


#: the verdict columns of :func:`chapter_scorecard`: the statuses, with the coherent table rows
#: (basis ``table``) apart from the claims tested against the data, as :func:`section_scorecard`
CARD_KINDS = ("reproduced", "consistent", "table-only", "discrepant", "unverifiable")
#: how each of :data:`CARD_KINDS` is labelled on the page (mark and word)
CARD_LABELS = {**{s: label(s) for s in STATUSES}, "table-only": TABLE_ONLY}


def chapter_scorecard(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Claims per section of the paper and verdict, in the paper's order, with the chapter that
    checks each section (the front page's scorecard).

    Columns: ``section`` (the ledger's), ``heading`` and ``chapter`` (from :data:`SECTIONS`;
    a section missing there is its own heading, checked in the audit chapter), one count per
    kind of :data:`CARD_KINDS` (the counts of :func:`section_scorecard`), and ``claims``.
    """
    ledger = verdicts() if ledger is None else ledger
    counts = section_scorecard(ledger)
    counts.columns = list(CARD_KINDS)
    card = counts.reset_index()
    card.insert(1, "heading", [SECTIONS.get(s, (s, "audit"))[0] for s in card["section"]])
    card.insert(2, "chapter", [SECTIONS.get(s, (s, "audit"))[1] for s in card["section"]])
    card["claims"] = card[list(CARD_KINDS)].sum(axis=1)
    return card


def section_facts(section: str) -> dict[str, int]:
    """Claims of one section of the ledger and their verdicts, for the prose: keys
    ``<section>-claims`` and ``<section>-<status>`` (e.g. ``"3.1-unverifiable"``)."""
    table = verdicts()
    if section not in set(table["section"].astype(str)):
        raise ValueError(f"section {section!r} not in the ledger")
    counts = status_counts(table[table["section"].astype(str) == section])
    return {f"{section}-claims": int(counts.sum()),
            **{f"{section}-{status}": int(n) for status, n in counts.items()}}


def scorecard_facts(card: pd.DataFrame) -> dict[str, int]:
    """The totals of a :func:`chapter_scorecard` for the prose: ``claims`` and one per kind of
    :data:`CARD_KINDS`."""
    return {"claims": int(card["claims"].sum()), **{k: int(card[k].sum()) for k in CARD_KINDS}}


def scorecard_table(card: pd.DataFrame):
    """A :func:`chapter_scorecard` as a table: each section of the paper links to the chapter
    that checks it; the verdict marks head the count columns."""
    shown = pd.DataFrame({
        "section of the paper (chapter)": [Link(h, c) for h, c in
                                           zip(card["heading"], card["chapter"], strict=True)],
        **{CARD_LABELS[k]: card[k] for k in CARD_KINDS}, "claims": card["claims"]})
    return as_table(shown, 0, index=False, words=False)


def _table_html(rows: pd.DataFrame, caption: str) -> str:
    """The rows as an escaped HTML table (cells whole and wrapped), with a caption."""
    table = rows[list(LEDGER_COLUMNS)].rename(columns=LEDGER_COLUMNS)
    return as_table(table, index=False, words=False, caption=caption)._repr_html_()


def _table_markdown(rows: pd.DataFrame, caption: str) -> str:
    table = rows[list(LEDGER_COLUMNS)].rename(columns=LEDGER_COLUMNS)
    return as_table(table, index=False, words=False, caption=caption)._repr_markdown_()


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


def verdicts_markdown(ledger: pd.DataFrame) -> str:
    """Every verdict as Markdown (the PDF edition): a bold heading per status, a table per
    section of the paper."""
    out = []
    for status in STATUSES:
        rows = ledger[ledger["status"] == status]
        out.append(f"**{label(status)}: {len(rows)} claims**\n")
        out += [_table_markdown(part, f"{label(status)}, section {sec}")
                for sec, part in rows.groupby("section", sort=False, observed=True)]
    return "\n".join(out)


def verdicts_block(ledger: pd.DataFrame) -> Block:
    """:func:`verdicts_html` for the web book and :func:`verdicts_markdown` for the PDF."""
    counts = ", ".join(f"{n} {s}" for s, n in status_counts(ledger).items())
    return Block(verdicts_html(ledger), verdicts_markdown(ledger),
                 f"{len(ledger)} verdicts: {counts}")


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


def _kinds(ledger: pd.DataFrame, kinds: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """The discrepant claim ids by kind (default :data:`DISCREPANCY_KINDS`, then "Other")."""
    kinds = dict(DISCREPANCY_KINDS if kinds is None else kinds)
    discrepant = list(ledger.loc[ledger["status"] == "discrepant", "claim_id"])
    kinds = {k: [c for c in ids if c in discrepant] for k, ids in kinds.items()}
    kinds["Other"] = [c for c in discrepant if not any(c in ids for ids in kinds.values())]
    return {k: ids for k, ids in kinds.items() if ids}


def findings_html(ledger: pd.DataFrame, kinds: dict[str, list[str]] | None = None) -> str:
    """The discrepant claims grouped by kind (default :data:`DISCREPANCY_KINDS`, then
    "Other"), each finding a paragraph with its explanation."""
    by_id = ledger.set_index("claim_id")
    return "".join(f"<h4>{html.escape(kind)} ({len(ids)})</h4>{_paragraphs(by_id, ids)}"
                   for kind, ids in _kinds(ledger, kinds).items())


def findings_markdown(ledger: pd.DataFrame, kinds: dict[str, list[str]] | None = None) -> str:
    """:func:`findings_html` as Markdown (the PDF edition)."""
    by_id = ledger.set_index("claim_id")
    out = []
    for kind, ids in _kinds(ledger, kinds).items():
        out.append(f"**{md_escape(kind)} ({len(ids)})**\n")
        rows_of = by_id.loc[ids]
        finding = rows_of["recomputed"] + rows_of["explanation"].str[:60]
        for _, rows in rows_of.groupby(finding, sort=False):
            first = rows.iloc[0]
            out.append(f"**{md_escape(first['verdict'])}** “{md_escape(first['quote'])}” "
                       f"(section {md_escape(first['section'])}, published "
                       f"{md_escape(first['reported'])}; "
                       f"{', '.join(md_escape(c) for c in rows.index)}). "
                       f"{md_escape(first['explanation'])}\n")
    return "\n".join(out)


def findings_block(ledger: pd.DataFrame, kinds: dict[str, list[str]] | None = None) -> Block:
    """:func:`findings_html` for the web book and :func:`findings_markdown` for the PDF."""
    found = _kinds(ledger, kinds)
    return Block(findings_html(ledger, kinds), findings_markdown(ledger, kinds),
                 f"{sum(len(ids) for ids in found.values())} discrepant claims in "
                 f"{len(found)} kinds")
