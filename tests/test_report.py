"""The audit's report builders: the HTML the audit chapter shows and the per-section summary."""

from __future__ import annotations

import re

import pytest

from blina import audit
from blina.audit.report import DISCREPANCY_KINDS


@pytest.fixture(scope="module")
def ledger():
    return audit.verdicts()


def test_verdicts_html_nests_sections_inside_statuses(ledger):
    page = audit.verdicts_html(ledger)
    summaries = re.findall(r"<summary><strong>(.*?)</strong>: (\d+) claims</summary>", page)
    assert summaries == [(audit.label(s), str(n)) for s, n in
                         audit.status_counts(ledger).items()]
    # one table per (status, section) pair present in the ledger
    pairs = ledger.groupby(["status", "section"], observed=True).size()
    assert page.count("<table") == len(pairs)
    assert page.startswith("<details><summary><strong>✔ reproduced")
    assert "<details open><summary><strong>✘ discrepant</strong>" in page


def test_findings_html_groups_every_discrepancy_once(ledger):
    page = audit.findings_html(ledger)
    headings = re.findall(r"<h4>(.*?) \((\d+)\)</h4>", page)
    discrepant = set(ledger.loc[ledger["status"] == "discrepant", "claim_id"])
    named = [c for ids in DISCREPANCY_KINDS.values() for c in ids if c in discrepant]
    counts = dict((k, int(n)) for k, n in headings)
    assert sum(counts.values()) == len(discrepant)
    assert counts.get("Other", 0) == len(discrepant - set(named))
    for cid in discrepant:
        assert page.count(f"<code>{cid}</code>") == 1, cid


def test_findings_html_escapes_the_explanations(ledger):
    changed = ledger.copy()
    row = changed.index[changed["claim_id"] == "res-3.3-heme-pct"][0]
    changed.loc[row, "explanation"] = "<script>alert(1)</script>"
    page = audit.findings_html(changed)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_section_summary_shares(ledger):
    s = audit.section_summary(ledger)
    assert s.loc["3.4", "claims"] == 40
    n34 = ledger[ledger["section"].astype(str) == "3.4"]
    supported = n34["status"].isin(["reproduced", "consistent"]).mean()
    assert s.loc["3.4", "supported %"] == round(100 * supported)
    assert list(s["supported %"]) == sorted(s["supported %"])  # least supported first
    # Table 3: 11 of its 12 rows are coherence checks of the table itself, not support
    assert (s.loc["table3", "supported %"], s.loc["table3", "table rows only %"]) == (8, 92)


def test_section_scorecard_has_a_column_for_table_rows(ledger):
    card = audit.section_scorecard(ledger)
    assert list(card.index[:3]) == ["abstract", "1", "2.1"]  # the paper's order
    assert card.loc["table3"].to_dict() == {"✔ reproduced": 1, "≈ consistent": 0,
                                            audit.report.TABLE_ONLY: 11, "✘ discrepant": 0,
                                            "? unverifiable": 0}
    assert int(card.to_numpy().sum()) == len(ledger)


def test_verdict_shares_quote_the_ledger(ledger):
    shares = audit.verdict_shares(ledger)
    status = ledger["status"].astype(str)
    assert shares["claims"] == str(len(ledger))
    assert int(shares["reproduced"]) + int(shares["consistent-data"]) \
        + int(shares["table-only"]) == int(status.isin(["reproduced", "consistent"]).sum())
    assert shares["most-discrepant"] == "3.4" and shares["most-discrepant-n"] == "12"
    k, n = shares["unverifiable-text"].split(" of ")
    assert int(n) == int((status == "unverifiable").sum()) and 0 < int(k) <= int(n)


def test_chapter_scorecard_counts_every_claim_once_in_the_papers_order(ledger):
    card = audit.chapter_scorecard(ledger)
    assert card["claims"].sum() == len(ledger) == 176
    assert list(card["section"][:4]) == ["abstract", "1", "2.1", "2.2"]
    rows = card.set_index("section")
    assert rows.loc["3.4", "claims"] == 40 and rows.loc["3.4", "chapter"] == "survival"
    # Table 3's coherent rows are counted apart from the claims consistent with the data
    assert rows.loc["table3", ["reproduced", "consistent", "table-only"]].tolist() == [1, 0, 11]
    assert rows.loc["figure2", "chapter"] == "audit"
    facts = audit.scorecard_facts(card)
    # the book's audit uses the reconstructed times too: four log-rank p-values and the two
    # "significantly better" statements built on them are shown possible
    assert facts == {"claims": 176, "reproduced": 48, "consistent": 48, "table-only": 11,
                     "discrepant": 28, "unverifiable": 41}


def test_scorecard_table_links_each_section_to_its_chapter(ledger):
    table = audit.scorecard_table(audit.chapter_scorecard(ledger))
    page = table._repr_html_()
    assert '<a class="reference internal" href="survival.html">3.4 Survival</a>' in page
    assert '<a class="reference internal" href="characteristics.html">Table 1</a>' in page
    assert "[4 Discussion](discussion.md)" in table._repr_markdown_()
    assert table.header[1:] == ("✔ reproduced", "≈ consistent", audit.report.TABLE_ONLY,
                                "✘ discrepant", "? unverifiable", "claims")


def test_section_facts(ledger):
    facts = audit.section_facts("3.1")
    assert facts["3.1-claims"] == 9
    assert facts["3.1-claims"] == sum(facts[f"3.1-{s}"] for s in audit.STATUSES)
    with pytest.raises(ValueError, match="section 'x' not in the ledger"):
        audit.section_facts("x")


def test_verdict_and_finding_blocks_carry_markdown_for_the_pdf(ledger):
    verdicts = audit.verdicts_block(ledger)
    assert verdicts._repr_html_() == f'<div class="blina-block">{audit.verdicts_html(ledger)}</div>'
    markdown = verdicts._repr_markdown_()
    for claim in ledger["claim_id"]:
        assert claim.replace("_", "\\_") in markdown, claim
    assert repr(verdicts).startswith("176 verdicts: 48 reproduced")
    findings = audit.findings_block(ledger)
    assert audit.findings_html(ledger) in findings._repr_html_()
    for claim in ledger.loc[ledger["status"] == "discrepant", "claim_id"]:
        assert claim in findings._repr_markdown_(), claim
