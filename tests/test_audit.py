"""The audit as a whole: one verdict for every ledger row, the registry's coverage checks, and
the command line ``python -m blina audit`` (JSON, CSV and text table; errors)."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass

import pandas as pd
import pytest

from blina.__main__ import main
from blina.audit import (
    MARKS,
    STATUSES,
    AuditContext,
    Verdict,
    audit,
    registry,
    side_by_side,
    status_counts,
)
from blina.audit import scorecard as audit_scorecard
from blina.data.paths import data_path

FIELDS = ["claim_id", "section", "quote", "reported", "recomputed", "status", "basis",
          "explanation"]


@pytest.fixture(scope="module")
def ctx() -> AuditContext:
    return AuditContext(reconstructed=False)


@pytest.fixture(scope="module")
def table(ctx) -> pd.DataFrame:
    return audit(ctx)


@dataclass
class _Run:
    returncode: int
    stdout: str
    stderr: str


def _cli(*args: str) -> _Run:
    """``python -m blina audit ARGS`` run in this process (``main``), output captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["audit", *args])
        except SystemExit as stop:  # argparse rejects bad options with exit status 2
            code = stop.code
    return _Run(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def cli_json() -> list[dict]:
    res = _cli("--format", "json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


# ---------------------------------------------------------------- every row, one verdict
def test_every_ledger_row_gets_exactly_one_verdict(ctx, table):
    ledger = list(ctx.claims.claim_id)
    assert len(ledger) == 176 and len(set(ledger)) == 176
    assert list(table.claim_id) == ledger  # same rows, same order, no duplicates
    assert table["status"].notna().all()
    assert set(table["status"].astype(str)) <= set(STATUSES)
    assert table["explanation"].str.strip().str.len().gt(0).all()
    assert table["recomputed"].astype(str).str.strip().str.len().gt(0).all()


def test_registry_covers_the_ledger_exactly(ctx):
    assert set(registry()) == set(ctx.claims.claim_id)


def test_status_counts_of_the_whole_ledger(table):
    counts = status_counts(table)
    assert list(counts.index) == list(STATUSES)
    assert counts.sum() == 176
    assert counts.to_dict() == {"reproduced": 48, "consistent": 53, "discrepant": 28,
                                "unverifiable": 47}


def test_scorecard_keeps_the_table_rows_apart(table):
    card = audit_scorecard(table)
    assert card.loc["≈ consistent"].tolist() == [42, 11, 53]
    assert card.loc["total"].tolist() == [165, 11, 176]
    assert card["all"].iloc[:4].tolist() == status_counts(table).tolist()


def test_survival_verdicts_by_section(table):
    s34 = table[table.section == "3.4"]
    assert len(s34) == 40
    assert status_counts(s34).to_dict() == {"reproduced": 0, "consistent": 24, "discrepant": 12,
                                            "unverifiable": 4}


def test_audit_fails_loudly_when_a_claim_has_no_check(ctx):
    extra = ctx.claims.iloc[[0]].copy()
    extra["claim_id"] = "res-9.9-unchecked"
    claims = pd.concat([ctx.claims, extra], ignore_index=True)
    bad = AuditContext(cohort=ctx.cohort, adverse_events=ctx.adverse_events, claims=claims,
                       reconstructed=False)
    with pytest.raises(ValueError, match=r"claims without a check \['res-9.9-unchecked'\]"):
        audit(bad)


def test_audit_fails_loudly_when_a_check_names_an_unknown_claim(ctx):
    claims = ctx.claims[ctx.claims.claim_id != "res-3.4-os2y-all-est"]
    bad = AuditContext(cohort=ctx.cohort, adverse_events=ctx.adverse_events, claims=claims,
                       reconstructed=False)
    with pytest.raises(ValueError, match=r"not in the ledger \['res-3.4-os2y-all-est'\]"):
        audit(bad)


def test_chosen_claims_only(ctx):
    part = audit(ctx, ["res-3.4-os2y-all-est", "abs-n-30"])
    assert list(part.claim_id) == ["res-3.4-os2y-all-est", "abs-n-30"]
    assert list(part.status.astype(str)) == ["discrepant", "reproduced"]
    with pytest.raises(ValueError, match="nope"):
        audit(ctx, ["nope"])


def test_a_claim_cannot_have_two_checks():
    from blina.audit.checks.characteristics import CHECKS

    with pytest.raises(ValueError, match="has two checks"):
        CHECKS.check("abs-n-30")(lambda c, cid: Verdict("reproduced", "30", "x"))
    assert registry()["abs-n-30"].__name__ != "<lambda>"


def test_a_claim_cannot_have_checks_in_two_modules(monkeypatch):
    from blina.audit import engine
    from blina.audit.checks.characteristics import CHECKS

    monkeypatch.setattr(engine, "CHECK_MODULES",
                        (*engine.CHECK_MODULES, "blina.audit.checks.characteristics"))
    with pytest.raises(ValueError, match=r"have checks in two modules"):
        engine.registry()
    assert "abs-n-30" in CHECKS


@pytest.mark.parametrize("status, explanation, message", [
    ("fine", "x", "status must be one of"),
    ("reproduced", "  ", "needs an explanation"),
])
def test_verdict_rejects_bad_values(status, explanation, message):
    with pytest.raises(ValueError, match=message):
        Verdict(status, "1", explanation)


def test_reconstruction_is_none_without_the_file(tmp_path, monkeypatch, ctx):
    for name in ("patients.csv", "claims.csv", "adverse_events.csv"):
        (tmp_path / name).write_bytes(data_path(name).read_bytes())
    monkeypatch.setenv("BLINA_DATA_DIR", str(tmp_path))
    assert AuditContext().reconstructed is None
    assert AuditContext(reconstructed=False).reconstructed is None
    given = pd.DataFrame({"claim_id": []})
    assert AuditContext(reconstructed=given).reconstructed is given


def test_side_by_side_for_a_section():
    out = side_by_side(section="3.4")
    assert list(out.columns) == ["claim", "published", "recomputed", "verdict", "why"]
    assert len(out) == 40
    assert out.loc["res-3.4-os2y-all-est", "verdict"] == f"{MARKS['discrepant']} discrepant"
    with pytest.raises(ValueError, match="exactly one of"):
        side_by_side()


# ---------------------------------------------------------------- command line
def test_cli_json_has_every_field_for_every_claim(cli_json, ctx):
    assert isinstance(cli_json, list) and len(cli_json) == 176
    for obj in cli_json:
        assert set(FIELDS) <= set(obj), obj.get("claim_id")
        assert obj["status"] in STATUSES
        assert isinstance(obj["explanation"], str) and obj["explanation"].strip()
    assert [o["claim_id"] for o in cli_json] == list(ctx.claims.claim_id)
    by_id = {o["claim_id"]: o for o in cli_json}
    os_all = by_id["res-3.4-os2y-all-est"]
    assert (os_all["section"], os_all["reported"], os_all["status"]) == ("3.4", "82.62",
                                                                         "discrepant")
    assert "80.00%" in os_all["explanation"]


def test_cli_json_agrees_with_the_library(cli_json):
    table = audit(AuditContext())  # the CLI's context: with the reconstruction when present
    lib = dict(zip(table.claim_id, table.status.astype(str), strict=True))
    assert {o["claim_id"]: o["status"] for o in cli_json} == lib


def test_cli_table_and_filters():
    res = _cli("--section", "3.4", "--status", "discrepant")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["claim_id", "reported", "recomputed", "status"]
    assert "res-3.4-os2y-nofurther-ci" in res.stdout
    assert "abs-os2y-all" not in res.stdout  # another section
    assert lines[-1] == "reproduced: 0, consistent: 0, discrepant: 12, unverifiable: 0 (total 12)"


def test_cli_csv():
    res = _cli("--format", "csv", "--section", "abstract")
    assert res.returncode == 0, res.stderr
    df = pd.read_csv(io.StringIO(res.stdout), dtype=str)
    assert list(df.columns) == FIELDS
    assert set(df.section) == {"abstract"}
    assert df.set_index("claim_id").loc["abs-os2y-all", "status"] == "discrepant"


def test_cli_rejects_an_unknown_format():
    res = _cli("--format", "xml")
    assert res.returncode == 2
    assert "invalid choice: 'xml'" in res.stderr and "table" in res.stderr
    assert res.stdout == ""


def test_cli_rejects_an_unknown_section_listing_the_valid_ones():
    res = _cli("--section", "99")
    assert res.returncode == 2 and res.stdout == ""
    assert "unknown section '99'" in res.stderr
    assert ("abstract, 1, 2.1, 2.2, 2.3, 2.4, 3.1, table1, 3.2, 3.3, table3, 3.4, figure1, "
            "figure2, 4, 5") in res.stderr


def test_cli_rejects_an_unknown_status():
    res = _cli("--status", "maybe")
    assert res.returncode == 2
    assert "invalid choice: 'maybe'" in res.stderr
