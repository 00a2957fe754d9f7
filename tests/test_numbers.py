"""Printed-number arithmetic: half-up rounding, double rounding, parsing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from blina.stats.rounding import (
    decimals_of,
    fmt,
    normalise_dashes,
    parse_numbers,
    round_half_up,
    shown_as,
    shown_as_double,
)


def test_half_up_differs_from_python_round_on_ties():
    assert round(0.125, 2) == 0.12  # banker's rounding (and a binary tie)
    assert round_half_up(0.125, 2) == Decimal("0.13")
    assert round_half_up(2.675, 2) == Decimal("2.68")  # repr is '2.675'
    assert round_half_up(25 / 30 * 100, 1) == Decimal("83.3")


def test_single_versus_double_rounding_of_21_over_22():
    value = 21 / 22 * 100  # 95.4545...
    assert shown_as(value, "95.45")
    assert not shown_as(value, "95.46")
    assert shown_as_double(value, "95.46")  # 95.455 -> 95.46
    assert not shown_as_double(value, "95.45")


def test_shown_as_uses_the_printed_decimals():
    assert shown_as(40.0, "40")
    assert shown_as(12 / 30 * 100, "40.0")
    assert not shown_as(25 / 30 * 100, "83.8")
    assert shown_as(96.0, "96.0")


def test_parse_numbers_keeps_decimals_and_reads_range_dashes():
    assert parse_numbers("63.14\u201392.37") == ["63.14", "92.37"]
    assert parse_numbers("25/30") == ["25", "30"]
    assert parse_numbers("<0.0001") == ["0.0001"]
    assert normalise_dashes("Ph\u2010 B\u2011ALL \u2212 x") == "Ph- B-ALL - x"


def test_decimals_and_fmt():
    assert decimals_of("82.62") == 2
    assert decimals_of("20") == 0
    assert fmt(87.3015873, 2) == "87.30"
    with pytest.raises(ValueError, match="not a single printed number: '1-2'"):
        decimals_of("1-2")
    with pytest.raises(ValueError, match="printed value must be a non-empty string"):
        parse_numbers("")
    with pytest.raises(ValueError, match="cannot round nan"):
        round_half_up(float("nan"), 1)
