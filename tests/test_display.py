"""blina.display: one half-up rounding, no missing-value markers or reprs, tables in full."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from blina.display import (
    MISSING,
    Block,
    Link,
    Shown,
    as_table,
    cell,
    glue_all,
    interval,
    listing,
    md_escape,
    number,
    percent,
    readable,
)


def test_numbers_round_half_up_where_python_rounds_half_to_even():
    assert f"{0.125:.2f}" == "0.12" and number(0.125, 2) == "0.13"
    assert f"{2.675:.2f}" == "2.67" and number(2.675, 2) == "2.68"
    assert number(np.float64(38.6), 0) == "39"  # the mean age: 39 rounded, 38 truncated
    assert number(46.666667, 1) == "46.7"
    assert number(30) == "30" and number(np.int64(7)) == "7"
    assert percent(25, 30) == "83.3" and percent(3, 30, 0) == "10"
    assert interval(65.2788, 94.3578) == "65.3–94.4"


def test_shown_numbers_display_without_quotes():
    shown = number(83.333, 1)
    assert isinstance(shown, Shown) and shown == "83.3"
    assert repr(shown) == "83.3" and repr("83.3") == "'83.3'"


def test_bad_numbers_are_refused_with_their_name():
    with pytest.raises(ValueError, match="value must be finite, got nan"):
        number(float("nan"))
    with pytest.raises(ValueError, match="whole must not be 0"):
        percent(1, 0)
    with pytest.raises(ValueError, match="part must be a real number, got '3'"):
        percent("3", 10)


def test_cells_show_missing_values_as_a_dash_and_booleans_as_words():
    for missing in (None, np.nan, pd.NA, pd.NaT, ""):
        assert cell(missing) == MISSING
    assert cell(True) == "yes" and cell(np.bool_(False)) == "no"
    assert cell((24, 23, 21)) == "(24, 23, 21)"
    assert cell(np.float64(46.666667)) == "46.7" and cell(np.int64(3)) == "3"
    assert cell("adults with MRD >= 1e-3") == "adults with MRD ≥ 10⁻³"


def test_readable_and_listing():
    assert readable("x <= 1e-4") == "x ≤ 10⁻⁴"
    assert listing([9, 11, 24]) == "9, 11 and 24"
    assert listing([6, 26]) == "6 and 26" and listing([21]) == "21" and listing([]) == "none"


def test_a_table_shows_every_cell_whole():
    long = "The median age of the 30 patients in Table 1 is 33.5 years, not 38; " * 3
    frame = pd.DataFrame({"claim_id": ["a", "b"], "n": [1.0, np.nan],
                          "percent": [46.666667, 0.125], "why": [long, "short"]})
    table = as_table(frame)
    page = table._repr_html_()
    assert long.strip() in page.replace("&#x27;", "'") and "…" not in page
    assert "NaN" not in page and "nan" not in page
    assert table.frame["n"].tolist() == ["1", MISSING]  # counts stored as floats
    assert table.frame["percent"].tolist() == ["46.7", "0.1"]
    assert table.header == ("claim id", "n", "percent", "why")
    # the explanation is a full-width row under its row, not a squeezed last column
    assert page.count('<td colspan="3" class="detail" data-label="why">') == 2
    assert "<th scope=\"col\">why</th>" not in page
    assert str(table).splitlines()[0].split() == ["claim", "id", "n", "percent", "why"]


def test_a_table_index_is_shown_unless_it_is_a_plain_range():
    named = pd.DataFrame({"x": [1, 2]}, index=pd.Index([5, 6], name="patient"))
    assert as_table(named).header == ("patient", "x")
    assert as_table(pd.DataFrame({"x": [1, 2]})).header == ("x",)
    assert as_table(pd.Series([1, 2], index=["a", "b"], name="claims")).header == ("", "claims")


def test_a_table_as_markdown_for_the_pdf():
    frame = pd.DataFrame({"name": ["a|b", "*x*"], "value": [1.25, 2.0]})
    text = as_table(frame, 2, caption="Cap")._repr_markdown_()
    lines = text.splitlines()
    assert lines[0] == ":::{table} Cap" and lines[1] == ":widths: 4 5" and lines[-1] == ":::"
    assert "| a\\|b | 1.25 |" in text and "| \\*x\\* | 2.00 |" in text
    assert "|---|---:|" in text
    assert md_escape("$x_1$ [a](b)") == "\\$x\\_1\\$ \\[a\\](b)"


def test_links_point_to_the_chapter_in_html_and_markdown():
    table = as_table(pd.DataFrame({"section": [Link("3.2 Outcomes", "response")]}))
    assert '<a class="reference internal" href="response.html">3.2 Outcomes</a>' in \
        table._repr_html_()
    assert "[3.2 Outcomes](response.md)" in table._repr_markdown_()


def test_a_block_has_html_markdown_and_text():
    block = Block("<p>x</p>", "**x**", "x in words")
    assert block._repr_html_() == '<div class="blina-block"><p>x</p></div>'
    assert block._repr_markdown_() == "**x**"
    assert repr(block) == "x in words"


def test_glue_all_refuses_a_float(monkeypatch):
    import myst_nb

    glued = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: glued.update(
        {name: (repr(value), display)}))
    glue_all({"n": 30, "pct": percent(25, 30), "pair": (33, 34), "text": "15, 16 and 19"})
    assert glued == {"n": ("30", False), "pct": ("83.3", False), "pair": ("(33, 34)", False),
                     "text": ("15, 16 and 19", False)}
    with pytest.raises(ValueError, match=r"mean: format 38\.6 first"):
        glue_all({"mean": 38.6})
