"""The comparison table (blina.cohort.comparators) and forest plot of the discussion chapter."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

import blina
from blina.cohort import comparators as context
from blina.data.files import COMPARATOR_COLUMNS
from blina.data.paths import data_dir
from blina.plots.forest import forest_plot


@pytest.fixture(scope="module")
def comparators() -> pd.DataFrame:
    return blina.load_comparators()


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    return blina.load_cohort()


@pytest.fixture(scope="module")
def table(comparators, cohort) -> pd.DataFrame:
    return context.comparison_table(comparators, cohort)


def _row(table: pd.DataFrame, study: str) -> pd.Series:
    rows = table[table["study"].str.startswith(study)]
    assert len(rows) == 1, study
    return rows.iloc[0]


def _fake(**kw) -> pd.DataFrame:
    base = {"study": "Fake et al.", "year": 2020, "journal": "J", "design": "d",
            "population": "adults", "setting": "relapsed/refractory", "n_treated": 5,
            "endpoint": "CR", "responders": 0, "n_evaluated": 5, "rate_pct": 0.0,
            "median_os_months": np.nan, "note": "", "source": "fake2020"}
    return pd.DataFrame([{**base, **kw}])


# ---------------------------------------------------------------- data/comparators.csv
def test_comparators_file_columns_and_sources(comparators):
    assert list(comparators.columns) == COMPARATOR_COLUMNS
    assert len(comparators) == 8
    bib = (data_dir().parent / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,\s]+),", bib))
    assert set(comparators["source"]) <= keys
    assert not comparators["study"].str.startswith("Yin").any()  # the index comes from the cohort


def test_blank_counts_stay_blank(comparators):
    blank = comparators[comparators["responders"].isna()]["study"].tolist()
    assert blank == ["Kantarjian et al. (TOWER)", "Aldoss et al."]


# ---------------------------------------------------------------- the table
def test_index_study_from_the_cohort(table):
    r = table.iloc[0]
    assert r["study"] == context.INDEX_STUDY and bool(r["index_study"])
    assert r["endpoint"] == "CR/CRi after one short course"
    assert (int(r["responders"]), int(r["n_evaluated"])) == (25, 30)
    assert r["rate_pct"] == 83.3
    assert r["percent"] == pytest.approx(250 / 3)
    # Clopper–Pearson 25/30: 65.28% – 94.36% (beta quantiles B(.025; 25, 6), B(.975; 26, 5))
    assert r["lower"] == pytest.approx(65.2788, abs=1e-3)
    assert r["upper"] == pytest.approx(94.3578, abs=1e-3)
    assert r["source"] == "yin2024"


def test_index_row_follows_the_data(cohort):
    changed = cohort.copy()
    first_cr = changed.index[changed["response"] == "CR"][0]
    changed.loc[first_cr, "response"] = "no response"
    r = context.index_row(changed)
    assert (r["responders"], r["n_evaluated"], r["rate_pct"]) == (24, 30, 80.0)


def test_zhou_interval_matches_its_publication(table):
    # Zhou et al. 2022 print "41/90 ... 95% CI: 35.0–56.4"
    r = _row(table, "Zhou")
    assert (round(r["lower"], 1), round(r["upper"], 1)) == (35.0, 56.4)


def test_topp_and_martinelli_intervals(table):
    topp, mart = _row(table, "Topp"), _row(table, "Martinelli")
    assert (round(topp["lower"], 1), round(topp["upper"], 1)) == (35.7, 50.2)
    assert round(topp["percent"], 1) == 42.9 and topp["rate_pct"] == 43.0
    assert (round(mart["lower"], 1), round(mart["upper"], 1)) == (21.9, 51.2)


def test_no_interval_without_a_count(table):
    for study, rate in (("Kantarjian", 44.0), ("Aldoss", 51.0)):
        r = _row(table, study)
        assert math.isnan(r["lower"]) and math.isnan(r["upper"])
        assert r["percent"] == rate and r["ci_note"] == context.NO_COUNT
    assert (table["ci_note"] == context.EXACT).sum() == 7


def test_order_index_first_then_by_year(table):
    assert table["year"].iloc[1:].is_monotonic_increasing
    assert len(table) == 9
    assert len(context.comparison_table(include_index=False)) == 8


def test_edge_intervals_in_closed_form(cohort):
    # k = 0: upper = 1 − (α/2)^(1/n);  k = n: lower = (α/2)^(1/n)
    zero = context.comparison_table(_fake(responders=0, n_evaluated=5), cohort,
                                    include_index=False).iloc[0]
    assert zero["lower"] == 0 and zero["upper"] == pytest.approx(100 * (1 - 0.025 ** 0.2))
    assert zero["upper"] == pytest.approx(52.182, abs=1e-3)
    full = context.comparison_table(_fake(responders=5, n_evaluated=5, rate_pct=100.0),
                                    cohort, include_index=False).iloc[0]
    assert full["lower"] == pytest.approx(100 * 0.025 ** 0.2) and full["upper"] == 100
    # a 90% interval is narrower: k = 0 gives 1 − 0.05^(1/5)
    narrow = context.comparison_table(_fake(), cohort, include_index=False, level=0.9).iloc[0]
    assert narrow["upper"] == pytest.approx(100 * (1 - 0.05 ** 0.2))


def test_errors(comparators, cohort):
    with pytest.raises(ValueError, match=r"missing column\(s\) \['source'\]"):
        context.comparison_table(comparators.drop(columns="source"), cohort)
    with pytest.raises(ValueError, match="responders=6 must be between 0 and n_evaluated=5"):
        context.comparison_table(_fake(responders=6), cohort)
    with pytest.raises(ValueError, match="responders must be a whole number"):
        context.comparison_table(_fake(responders=2.5), cohort)
    with pytest.raises(ValueError, match="n_evaluated must be a whole number"):
        context.comparison_table(_fake(n_evaluated=-3), cohort)
    with pytest.raises(ValueError, match="comparators must be a pandas DataFrame"):
        context.comparison_table([1, 2], cohort)
    with pytest.raises(ValueError, match="nothing to compare"):
        context.comparison_table(_fake().iloc[:0], cohort, include_index=False)
    with pytest.raises(ValueError, match="cohort is empty"):
        context.index_row(cohort.iloc[:0])


# ---------------------------------------------------------------- the plot
def test_forest_plot(table):
    fig = forest_plot(table)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(table)
    for label, (_, r) in zip(labels, table.iterrows(), strict=True):
        flat = label.replace("\n", " ")
        assert r["study"] in flat and r["endpoint"] in flat and r["population"][:20] in flat
    assert "different setting" in labels[list(table["study"]).index("Gokbuget et al. (BLAST)")]
    assert "Response rate (%" in ax.get_xlabel() and ax.get_xlim() == (0, 100)
    # greyscale-readable: every mark is grey or black (kinds differ by marker shape)
    for line in ax.lines:
        for c in (line.get_color(), line.get_markerfacecolor(), line.get_markeredgecolor()):
            r, g, b = to_rgb(c)
            assert r == g == b
    assert {line.get_marker() for line in ax.lines} >= {"D", "s", "o"}
    alt = fig.alt_text
    assert "25 of 30, 83.3%, 65.3% to 94.4% (exact)" in alt
    assert "Kantarjian et al. (TOWER) 2017" in alt and alt.count("no interval") == 2
    assert "not pooled" in alt


def test_forest_plot_errors(table):
    with pytest.raises(ValueError, match=r"missing column\(s\) \['lower'\]"):
        forest_plot(table.drop(columns="lower"))
    with pytest.raises(ValueError, match="df is empty"):
        forest_plot(table.iloc[:0])
    with pytest.raises(ValueError, match="df must be a pandas DataFrame"):
        forest_plot("table")
