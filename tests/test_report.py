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
