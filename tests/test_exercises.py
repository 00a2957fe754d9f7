"""Self-checking exercises (blina.exercises) and the answer key book/_answers.json.

The key is made from the worked solutions (tools/book/answers.py); here a small key is made the
same way from hand-checked answers, so each verdict can be asserted exactly. The real key is
checked for completeness (every exercise of every chapter, and nothing else) and for holding no
answer in plain text.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction

import jupytext
import numpy as np
import pandas as pd
import pytest
from booktools import executable_chapters

from blina import exercises
from blina.exercises import canonical, check, digest, record_forms
from tools.book.answers import fill

EXERCISE = re.compile(r"^````\{exercise\}\n:label: (ex-[\w-]+)", re.M)


def _key(tmp_path, monkeypatch, specs: dict[str, tuple[dict, object]]):
    """Write a key for ``{label: (spec, right answer)}`` and point blina.exercises at it."""
    records = [{"label": label, **record_forms(answer, spec)}
               for label, (spec, answer) in specs.items()]
    key = fill({label: {"chapter": "drills", "expects": "e", "hint": "h", **spec}
                for label, (spec, _) in specs.items()}, records)
    path = tmp_path / "_answers.json"
    path.write_text(json.dumps(key), encoding="utf-8")
    monkeypatch.setenv("BLINA_ANSWERS", str(path))
    monkeypatch.delenv("BLINA_CHECK_LOG", raising=False)
    monkeypatch.delenv("BLINA_RECORD_ANSWERS", raising=False)
    return key


@pytest.fixture
def key(tmp_path, monkeypatch):
    # hand-checked: 25/30 -> exact 95% CI 65.3-94.4%; 5/13 and 10/26 print as 38.5%
    return _key(tmp_path, monkeypatch, {
        "ex-ci": ({"decimals": 1, "ordered": True}, (65.3, 94.4)),
        "ex-fractions": ({"decimals": None, "ordered": False}, [(5, 13), (10, 26)]),
        "ex-event": ({"decimals": 1, "ordered": True}, ("Thrombocytopenia", 11 / 19 * 100)),
    })


def test_canonical_rounds_half_up_and_normalises_types():
    assert canonical(0.125, 2) == "0.13"  # half-up, not banker's rounding
    assert canonical(np.float64(2.675), 2) == "2.68"  # the float's shortest text is 2.675
    assert canonical(Fraction(1, 3), 3) == "0.333"
    assert canonical(-0.001, 2) == "0.00"
    assert canonical(np.int64(21)) == "21" and canonical(21.0) == "21"
    assert canonical(True) is True
    assert canonical("  Thrombo  cytopenia ") == "s:thrombo cytopenia"
    assert canonical(pd.Series([1, 2])) == ["1", "2"]
    assert canonical({(10, 26), (5, 13)}) == [["10", "26"], ["5", "13"]]
    assert canonical([(10, 26), (5, 13)], ordered=False) == [["10", "26"], ["5", "13"]]
    assert canonical([(13, 5)], ordered=False) == [["13", "5"]]  # inner pairs keep their order
    with pytest.raises(TypeError, match="not a whole number"):
        canonical(0.5)
    with pytest.raises(TypeError, match="cannot compare an answer of type object"):
        canonical(object())


def test_digest_is_salted_sha256_of_the_json_form():
    import hashlib

    assert digest("ab", ["1", "2"]) == hashlib.sha256(b'ab["1","2"]').hexdigest()
    assert digest("ab", "1") != digest("cd", "1")


def test_right_answers_in_any_equivalent_form(key):
    assert check("ex-ci", (65.3, 94.4)).verdict == "right"
    assert check("ex-ci", np.array([65.31, 94.36])).verdict == "right"
    assert check("ex-fractions", [(10, 26), (5, 13)]).verdict == "right"
    assert check("ex-fractions", {(5, 13), (10, 26)}).verdict == "right"
    assert check("ex-event", ("thrombocytopenia", 57.9)).verdict == "right"
    assert bool(check("ex-ci", (65.3, 94.4)))


def test_close_answers_get_a_reason_and_the_hint(key):
    coarse = check("ex-ci", (65, 94))
    assert coarse.verdict == "close"
    assert coarse.message == "Right when rounded to 0 decimals; give 1. Hint: h"
    unit = check("ex-ci", (0.653, 0.944))
    assert (unit.verdict, unit.message) == (
        "close", "The numbers are right but the unit is not: give percent.")
    half = check("ex-fractions", [(5, 13), (4, 13)])
    assert (half.verdict, half.message) == ("close", "1 of 2 parts are right. Hint: h")


def test_wrong_unanswered_and_unknown(key):
    wrong = check("ex-ci", (60.0, 90.0))
    assert (wrong.verdict, wrong.message) == ("wrong", "Not right yet. Expected: e.")
    assert check("ex-ci", "sixty").verdict == "wrong"
    assert check("ex-ci", ...).verdict == "unanswered"
    assert repr(check("ex-ci", (60.0, 90.0))).startswith("✘ ex-ci: wrong.")
    assert 'role="status"' in check("ex-ci", (65.3, 94.4))._repr_html_()
    with pytest.raises(KeyError, match="no exercise 'ex-nope' in the answer key"):
        check("ex-nope", 1)


def test_a_check_log_records_every_verdict(key, tmp_path, monkeypatch):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("BLINA_CHECK_LOG", str(log))
    check("ex-ci", (65.3, 94.4))
    check("ex-fractions", [(1, 2)])
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert [(x["label"], x["verdict"]) for x in lines] == [("ex-ci", "right"),
                                                          ("ex-fractions", "wrong")]


def test_fill_refuses_an_incomplete_key():
    with pytest.raises(ValueError, match=r"without a recorded solution: \['ex-b'\]"):
        fill({"ex-a": {}, "ex-b": {}}, [{"label": "ex-a", "answer": "1", "coarse": None,
                                          "items": []}])


# ---------------------------------------------------------------- the real key

def test_the_key_lists_every_exercise_of_every_chapter_and_nothing_else():
    key = exercises.answer_key()
    found = {}
    for chapter in executable_chapters():
        for label in EXERCISE.findall(chapter.read_text(encoding="utf-8")):
            found[label] = chapter.stem
    assert len(found) == 29
    assert {label: spec["chapter"] for label, spec in key.items()} == found


@pytest.mark.parametrize("chapter", executable_chapters(), ids=lambda p: p.name)
def test_every_exercise_has_an_answer_cell_and_a_check_of_its_own_label(chapter):
    cells = jupytext.read(chapter).cells
    for i, cell in enumerate(cells):
        labels = EXERCISE.findall(cell.source) if cell.cell_type == "markdown" else []
        if not labels:
            continue
        answer, checker = cells[i + 1], cells[i + 2]
        assert "answer" in answer.metadata.get("tags", []), labels
        assert answer.source.splitlines()[-1] == "answer = ..."
        assert f'check("{labels[0]}", answer)' in checker.source
        assert "remove-cell" in answer.metadata["tags"] + checker.metadata["tags"]


def test_the_key_holds_digests_only():
    for label, spec in exercises.answer_key().items():
        assert set(spec) == {"chapter", "expects", "decimals", "ordered", "hint", "salt",
                             "answer", "coarse", "items"}, label
        for value in [spec["answer"], spec["coarse"], *spec["items"]]:
            assert value is None or re.fullmatch(r"[0-9a-f]{64}", value), label
        assert re.fullmatch(r"[0-9a-f]{16}", spec["salt"])
    salts = [s["salt"] for s in exercises.answer_key().values()]
    assert len(set(salts)) == len(salts)
