"""Figures: each returns a Figure whose alt text carries the numbers it shows."""

from __future__ import annotations

import base64
import re

import pytest
from matplotlib.figure import Figure

from blina.plots import figure_html, km_plot

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
    assert fig._suptitle.get_text() == "Overall survival (reconstructed times)"
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
