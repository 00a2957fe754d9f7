"""Figures: each returns a Figure whose alt text carries the numbers it shows."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from blina.plots import (
    ae_plot,
    at_risk_counts,
    figure_html,
    forest_plot,
    km_plot,
    response_by_burden_plot,
    schedule_plot,
    show,
    swimmer_plot,
)

T = [1, 2, 2.5, 3] + [30] * 20 + [1, 2, 3, 30, 29, 28]
E = [1, 1, 0, 1] + [0] * 20 + [1, 1, 1, 0, 0, 0]
G = ["yes"] * 24 + ["no"] * 6


def test_km_plot_groups_alt_text_and_at_risk():
    fig = km_plot(T, E, G, title="OS by further treatment",
                  labels={"yes": "Further", "no": "None"})
    assert isinstance(fig, Figure)
    alt = fig.alt_text
    assert "Further: 24 patients, 3 events, 87.3% (95% CI 65.6%–95.7%) at 24 months" in alt
    assert "None: 6 patients, 3 events, 50.0% (95% CI 11.1%–80.4%) at 24 months" in alt
    assert "Log-rank p = 0.0369" in alt
    assert "reconstructed" not in alt.lower()
    at_risk = [t.get_text().split() for t in fig.axes[1].get_xticklabels()]
    assert at_risk[0] == ["At", "risk", "None", "6", "Further", "24"]  # months 0
    assert at_risk[1] == ["3", "20"]  # month 6
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Months since start of blinatumomab"
    assert ax.get_ylabel() == "Survival (%)"
    styles = {ln.get_linestyle() for ln in ax.get_lines()} - {"None"}  # "None": censor marks
    assert len(styles) == 2  # distinct line styles, not colour alone


def test_km_plot_reconstructed_and_single_curve():
    fig = km_plot(T, E, title="Overall survival", reconstructed=True, at_risk=False, ci=False)
    assert fig.get_suptitle() == "Overall survival (reconstructed times)"
    assert fig.alt_text.startswith("Reconstructed-data Kaplan–Meier plot")
    assert "All patients: 30 patients, 6 events" in fig.alt_text
    assert "Log-rank" not in fig.alt_text


def test_km_plot_bad_input():
    with pytest.raises(ValueError, match=r"title must be a non-empty string, got ''"):
        km_plot(T, E, title="")
    with pytest.raises(ValueError, match=r"durations must be non-negative, got -1 at position 0"):
        km_plot([-1, 2], [1, 0], title="x")
    with pytest.raises(ValueError, match=r"labels has keys that are not groups: \['maybe'\]"):
        km_plot(T, E, G, title="x", labels={"maybe": "M"})
    with pytest.raises(ValueError, match=r"durations and groups must have the same length, got 30 "
                                         r"and 2"):
        km_plot(T, E, ["a", "b"], title="x")


def test_figure_html_has_alt_caption_and_small_png():
    fig = km_plot(T, E, G, title="OS")
    out = figure_html(fig, "Figure 2a. Overall survival by further treatment.")
    assert out.startswith("<figure") and out.endswith("</figure>")
    assert "<figcaption>Figure 2a. Overall survival by further treatment.</figcaption>" in out
    alt = re.search(r'alt="([^"]*)"', out).group(1)
    assert "87.3%" in alt
    png = base64.b64decode(re.search(r"base64,([^\"]+)", out).group(1))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) < 150_000


def test_figure_html_refuses_missing_alt_text():
    fig = Figure()
    with pytest.raises(ValueError, match=r"fig.alt_text is empty"):
        figure_html(fig, "caption")
    fig.alt_text = "x"
    with pytest.raises(ValueError, match=r"caption must be a non-empty string, got ''"):
        figure_html(fig, "")


# --- figures from the cohort ---------------------------------------------------------------


@pytest.fixture(scope="module")
def df():
    import pandas as pd

    import blina

    try:
        return blina.load_cohort()
    except ImportError:  # until blina.data lands: the raw CSV has the same columns
        return pd.read_csv(blina.data_path("patients.csv"))


@pytest.fixture(scope="module")
def ae():
    import pandas as pd

    import blina

    try:
        return blina.load_adverse_events()
    except ImportError:
        return pd.read_csv(blina.data_path("adverse_events.csv"))


def test_response_by_burden_plot(df):
    fig = response_by_burden_plot(df)
    alt = fig.alt_text
    assert "blasts > 50%: composite CR 9/13 (69.2%, 95% CI 38.6–90.9%)" in alt
    assert "MRD-negative 6/13 (46.2%" in alt
    assert "blasts ≤ 50%: composite CR 16/17 (94.1%" in alt
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Patients (%)"
    assert {p.get_hatch() for p in ax.patches} == {"", "///"}  # not colour alone
    bar_heights = sorted(round(p.get_height(), 1) for p in ax.patches)
    assert bar_heights == [35.3, 46.2, 69.2, 94.1]


def test_ae_plot(ae):
    fig = ae_plot(ae)
    alt = fig.alt_text
    assert "Neutropenia 22/30 (73.3%) any grade and 11/30 (36.7%) grade ≥ 3" in alt
    assert "Cytokine release syndrome 17/30 (56.7%) any grade and 4/30 (13.3%)" in alt
    assert alt.endswith("No patient had capillary leak syndrome, neurologic event, elevated "
                        "liver enzymes, infusion-related reaction.")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Patients with the event (% of N = 30)"
    assert len(ax.patches) == 22


def test_swimmer_plot_ordinal(df):
    fig = swimmer_plot(df)
    alt = fig.alt_text
    assert "in ordinal stages rather than time" in alt
    assert "16 CR, 9 CRi, 5 no response; 24 received further therapy" in alt
    assert "5 relapsed (patients 7, 13, 17, 18, 21)" in alt
    assert "6 died (patients 6, 9, 11, 13, 24, 26) and 24 were alive" in alt
    assert "reconstructed" not in alt
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "1"  # patient 1 on top


def fake_times(df):
    import numpy as np
    import pandas as pd

    dead = (df["vital_status"].astype(str) == "dead").to_numpy()
    os_m = np.where(dead, 6.0, 20.0) + np.arange(len(df)) / 10
    return pd.DataFrame({"patient": df["patient"], "os_months": os_m, "os_event": dead,
                         "pfs_months": os_m / 2, "pfs_event": dead})


def test_swimmer_plot_with_reconstructed_times(df):
    fig = swimmer_plot(df, fake_times(df))
    assert fig.get_suptitle() == "Course of each patient (reconstructed times)"
    assert fig.alt_text.startswith("Swimmer plot of the 30 patients on RECONSTRUCTED survival "
                                   "times (not published; up to 22.9 months)")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Months since start of blinatumomab (reconstructed)"
    # the warning sits inside the plot area, so a copied image keeps it
    marks = [t for t in ax.texts if t.get_text().startswith("RECONSTRUCTED")]
    assert len(marks) == 1 and marks[0].get_transform() == ax.transAxes
    x, y = marks[0].get_position()
    assert 0 <= x <= 1 and 0 <= y <= 1


def test_swimmer_plot_bad_times(df):
    times = fake_times(df)
    with pytest.raises(ValueError, match=r"times: patients do not match df \(missing \[30\], "
                                         r"extra \[\]\)"):
        swimmer_plot(df, times.iloc[:-1])
    with pytest.raises(ValueError, match=r"times: unknown column\(s\) \['pfs_event'\]"):
        swimmer_plot(df, times.drop(columns="pfs_event"))
    bad = times.assign(os_months=times["os_months"] * -1)
    with pytest.raises(ValueError, match=r"times column 'os_months' must be non-negative"):
        swimmer_plot(df, bad)
    with pytest.raises(ValueError, match=r"df: unknown column\(s\) \['relapse'\]"):
        swimmer_plot(df.drop(columns="relapse"))


def test_show_displays_html_figure(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    fig = km_plot(T, E, title="OS")
    show(fig, "Figure 1a.")
    assert len(shown) == 1
    assert "<figcaption>Figure 1a.</figcaption>" in shown[0]._repr_html_()
    assert 'alt="Kaplan–Meier plot' in shown[0]._repr_html_()
    # the PDF edition's builder takes Markdown: the same PNG as a data URI, then the caption
    markdown = shown[0]._repr_markdown_()
    assert markdown.startswith("![Kaplan–Meier plot") and "](data:image/png;base64," in markdown
    assert markdown.rstrip().endswith("*Figure 1a.*")
    assert repr(shown[0]) == "[figure] Figure 1a."
    assert fig.axes == []  # closed (cleared) after display


def test_schedule_totals_stay_inside_the_figure():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = schedule_plot()
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    width = fig.bbox.width
    labels = [t for ax in fig.axes for t in ax.texts if t.get_text().endswith("µg")]
    assert sorted(t.get_text() for t in labels) == ["195 µg", "307 µg", "651 µg"]
    for t in labels:
        box = t.get_window_extent(renderer)
        assert 0 <= box.x0 and box.x1 <= width, f"{t.get_text()} leaves the figure: {box}"


def test_forest_labels_read_as_notation():
    from blina.cohort.comparators import comparison_table

    fig = forest_plot(comparison_table())
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    blast = next(label for label in labels if label.startswith("Gokbuget et al. (BLAST)"))
    assert "MRD ≥ 10⁻³" in blast and ">=" not in blast and "1e-3" not in blast
    assert "MRD ≥ 10⁻³" in fig.alt_text


def test_estimate_text_has_no_interval_at_100_percent():
    from blina.plots.style import estimate_text

    assert estimate_text(1.0, 1.0, 1.0) == "100% (no event, so no interval)"
    assert estimate_text(55 / 63, 0.65584, 0.95718) == "87.3% (95% CI 65.6%–95.7%)"
    assert estimate_text(0.12345, 0.05, 0.25) == "12.3% (95% CI 5.0%–25.0%)"


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.floats(0.1, 30, allow_nan=False), st.booleans()), min_size=1,
                max_size=40))
def test_at_risk_counts_agree_with_lifelines(rows):
    """The table under the KM axis counts as lifelines' add_at_risk_counts does."""
    from lifelines import KaplanMeierFitter

    t = np.array([r[0] for r in rows])
    e = np.array([r[1] for r in rows])
    ticks = [0, 6, 12, 18, 24, 30]
    table = KaplanMeierFitter().fit(t, e).event_table
    expected = []
    for tick in ticks:
        upto = table.loc[:tick]
        expected.append(int((upto["at_risk"] - upto["removed"]).iloc[-1]) if not upto.empty
                        else 0)
    assert at_risk_counts(t, ticks) == expected


def test_median_conventions_plot_marks_both_medians():
    from blina.plots import median_conventions_plot

    fig = median_conventions_plot([2, 4, 6, 9, 12, 14], [1, 1, 1, 0, 0, 0])
    # S = 5/6 · 4/5 · 3/4 = 1/2 from month 6 to the last follow-up at 14: (6 + 14)/2 = 10
    assert "falls to exactly 50% at 6 months" in fig.alt_text
    assert "Prism's median (the midpoint of the flat stretch) is 10 months" in fig.alt_text
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "first time at 50%: 6 months" in labels
    assert "Prism: midpoint of the 50% stretch: 10 months" in labels
