"""Dose schedules: days and doses, cumulative totals checked by hand, the figure, bad input."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from blina.cohort.schedule import (
    compare_schedules,
    cumulative_curve,
    cumulative_dose,
    infusion_schedule,
    short_course,
    short_course_dose_range,
    standard_cycle1,
)
from blina.plots import figure_html, schedule_plot


def test_standard_cycle1_days_and_doses():
    s = standard_cycle1()
    assert list(s.columns) == ["day", "dose_ug_per_day", "schedule"]
    assert s["day"].tolist() == list(range(1, 43))  # 28 infusion days + 14 days off
    assert s["dose_ug_per_day"].tolist() == [9] * 7 + [28] * 21 + [0] * 14
    assert set(s["schedule"]) == {"standard cycle 1"}
    assert len(standard_cycle1(include_rest=False)) == 28


def test_standard_cycle1_cumulative_by_hand():
    s = standard_cycle1()
    assert cumulative_dose(s) == 651.0  # 7*9 + 21*28 = 63 + 588
    assert cumulative_dose(s, 7) == 63.0
    assert cumulative_dose(s, 8) == 91.0  # 63 + 28
    assert cumulative_dose(s, 28) == cumulative_dose(s, 42) == 651.0
    curve = cumulative_curve(s)
    assert curve["cumulative_ug"].iloc[:3].tolist() == [9.0, 18.0, 27.0]
    assert "cumulative_ug" not in s.columns  # the input is not modified


@pytest.mark.parametrize(("days", "total"), [(6, 195.0), (7, 223.0), (8, 251.0), (9, 279.0),
                                              (10, 307.0)])
def test_short_course_totals(days, total):
    s = short_course(days)
    assert s["dose_ug_per_day"].tolist() == [9] * 3 + [28] * days
    assert cumulative_dose(s) == total  # 27 + 28 * days
    assert cumulative_dose(s, 3) == 27.0


def test_short_course_range_and_comparison():
    assert short_course_dose_range() == (195.0, 307.0)
    tab = compare_schedules()
    assert tab["total_ug"].tolist() == [651.0, 195.0, 307.0]
    assert tab["infusion_days"].tolist() == [28, 9, 13]
    assert tab["days_at_9"].tolist() == [7, 3, 3]
    assert tab["days_at_28"].tolist() == [21, 6, 10]
    assert tab["percent_of_standard"].round(2).tolist() == [100.0, 29.95, 47.16]


def test_infusion_schedule_general():
    s = infusion_schedule(0, 28, rest_days=14)  # a later standard cycle: 28 µg/day throughout
    assert cumulative_dose(s) == 784.0
    assert s["schedule"].iloc[0] == "28 µg/day × 28 d"
    assert infusion_schedule(3, 10)["schedule"].iloc[0] == "9 µg/day × 3 d, 28 µg/day × 10 d"


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match=r"full_dose_days must be between 6 and 10 .*got 11"):
        short_course(11)
    with pytest.raises(ValueError, match=r"full_dose_days must be between 6 and 10 .*got 5"):
        short_course(5)
    with pytest.raises(ValueError, match=r"full_dose_days must be an integer, got 7.5"):
        short_course(7.5)
    with pytest.raises(ValueError, match=r"full_dose_days must be an integer, got True"):
        short_course(True)
    with pytest.raises(ValueError, match=r"escalation_days must be at least 0, got -1"):
        infusion_schedule(-1, 5)
    with pytest.raises(ValueError, match=r"full_dose_days must be at least 1, got 0"):
        infusion_schedule(3, 0)
    with pytest.raises(ValueError, match=r"rest_days must be an integer, got '14'"):
        infusion_schedule(7, 21, rest_days="14")
    with pytest.raises(ValueError, match=r"escalation_days \+ full_dose_days must be at most 28 "
                                         r"\(one cycle\), got 7 \+ 22 = 29"):
        infusion_schedule(7, 22)
    with pytest.raises(ValueError, match=r"name must be a non-empty string, got ''"):
        infusion_schedule(3, 6, name="")
    with pytest.raises(ValueError, match=r"include_rest must be True or False, got 1"):
        standard_cycle1(include_rest=1)


def test_cumulative_dose_bad_input():
    s = short_course(6)
    with pytest.raises(ValueError, match=r"through_day must be at most 9 \(the schedule's last "
                                         r"day\), got 10"):
        cumulative_dose(s, 10)
    with pytest.raises(ValueError, match=r"through_day must be at least 1, got 0"):
        cumulative_dose(s, 0)
    with pytest.raises(ValueError, match=r"schedule must be a pandas DataFrame, got list"):
        cumulative_dose([9, 28])
    with pytest.raises(ValueError, match=r"schedule: missing column\(s\) \['schedule'\]"):
        cumulative_dose(s.drop(columns="schedule"))
    with pytest.raises(ValueError, match=r"column 'day' must run 1, 2, 3"):
        cumulative_dose(s.iloc[1:])
    bad = s.copy()
    bad.loc[0, "dose_ug_per_day"] = -9
    with pytest.raises(ValueError, match=r"'dose_ug_per_day' must hold non-negative numbers"):
        cumulative_dose(bad)
    with pytest.raises(ValueError, match=r"schedule is empty"):
        cumulative_dose(pd.DataFrame(columns=["day", "dose_ug_per_day", "schedule"]))


def test_schedule_plot_alt_text_axes_and_styles():
    fig = schedule_plot()
    assert isinstance(fig, Figure)
    alt = fig.alt_text
    assert "standard cycle 1: 9 µg/day on days 1–7, 28 µg/day on days 8–28, then 14 " \
           "treatment-free days; total 651 µg" in alt
    assert "9 µg/day on days 1–3, 28 µg/day on days 4–9; total 195 µg (30% of the standard" in alt
    assert "28 µg/day on days 4–13; total 307 µg (47% of the standard cycle 1)" in alt
    ax_dose, ax_cum = fig.axes
    assert ax_dose.get_xlabel() == ax_cum.get_xlabel() == "Day of treatment"
    assert ax_dose.get_ylabel() == "Daily dose (µg/day)"
    assert ax_cum.get_ylabel() == "Cumulative dose (µg)"
    styles = {str(line.get_linestyle()) for line in ax_dose.get_lines()}
    assert len(styles) == 3  # three schedules, three line styles: readable without colour
    assert "alt=" in figure_html(fig, "Dose schedules.")


def test_schedule_plot_bad_input():
    with pytest.raises(ValueError, match=r"full_dose_days must be a sequence of integers"):
        schedule_plot("6-10")
    with pytest.raises(ValueError, match=r"full_dose_days is empty"):
        schedule_plot([])
    with pytest.raises(ValueError, match=r"full_dose_days must be between 6 and 10 .*got 28"):
        schedule_plot([28])
