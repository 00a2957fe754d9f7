"""Tests of km_check (blina.inverse_km.check), its command line and its validation on real data.

The CI formulas are checked against hand computations (R's ``survfit`` formulas for the log and
plain intervals: ``exp(ln S ± z√V)`` and ``S ± z·S·√V``, clipped to [0, 1]) and against
lifelines' own Kaplan–Meier numbers on its bundled datasets; the searches against brute force.
"""

from __future__ import annotations

import csv
import json
import math
from decimal import Decimal
from fractions import Fraction
from itertools import combinations

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter

import blina
from blina.__main__ import main
from blina.data.paths import data_path
from blina.inverse_km import cli, km_check, km_risk_sets, km_risk_sets_naive, validation
from blina.inverse_km.budget import Deadline, OutOfTime
from blina.inverse_km.check import count_ranges
from blina.plots import typo_detection_plot
from blina.stats.km import ci_bounds, km_estimate_and_ci

Z = 1.959963984540054
JSON_KEYS = ["id", "feasible", "event_counts", "witnesses", "exhaustive", "solutions",
             "count_at_least", "rounding", "seconds", "undecided_counts"]


def dataset(loader: str) -> validation.Dataset:
    return next(d for d in validation.DATASETS if d.loader == loader)


# ---------------------------------------------------------------------------------------------
# the three CI types


def test_log_and_plain_intervals_by_hand():
    # 6 patients, deaths at risk 6, 5, 4: S = 1/2, V = 1/30 + 1/20 + 1/12 = 1/6
    s, lo, up = km_estimate_and_ci((6, 5, 4), ci="log")
    assert s == Fraction(1, 2)
    assert math.isclose(lo, 0.5 * math.exp(-Z * math.sqrt(1 / 6)))  # 0.22463
    assert round(lo, 5) == 0.22463
    assert up == 1.0  # 0.5·e^{+0.80016} = 1.113 is capped at 1
    s, lo, up = km_estimate_and_ci((6, 5, 4), ci="plain")
    assert math.isclose(lo, 0.5 - 0.5 * Z * math.sqrt(1 / 6)) and round(lo, 5) == 0.09992
    assert math.isclose(up, 0.5 + 0.5 * Z * math.sqrt(1 / 6)) and round(up, 5) == 0.90008
    # 3 patients, deaths at risk 3 and 2: S = 1/3, V = 1/6 + 1/2 = 2/3: the plain lower limit
    # 1/3·(1 − 1.96·0.8165) < 0 is clipped to 0
    _, lo, up = km_estimate_and_ci((3, 2), ci="plain")
    assert lo == 0.0 and math.isclose(up, (1 + Z * math.sqrt(2 / 3)) / 3)
    _, lo, _ = km_estimate_and_ci((3, 2), ci="loglog")
    assert round(lo, 6) == 0.008962


def test_ci_bounds_on_arrays_match_numbers():
    np = pytest.importorskip("numpy")
    x, v = np.array([0.1, 0.7, 2.0]), np.array([0.001, 0.02, 0.3])
    for kind in ("loglog", "log", "plain"):
        lows, ups = ci_bounds(kind, x, v, Z, np)
        for i in range(3):
            lo, up = ci_bounds(kind, float(x[i]), float(v[i]), Z)
            assert math.isclose(lows[i], lo) and math.isclose(ups[i], up)


def test_bad_ci_kind_raises():
    with pytest.raises(ValueError, match=r"^ci must be one of"):
        km_estimate_and_ci((5, 4), ci="logit")
    with pytest.raises(ValueError, match=r"^ci must be one of"):
        km_check(10, "50.0", ci="arcsine")


def test_intervals_on_lifelines_data():
    """The leukemia data's 6-MP group at 10 weeks: lifelines' estimate and log(−log) CI equal
    ours from the risk sets; the log and plain CIs equal R's formulas with Greenwood's V from
    lifelines' own event table."""
    group, durations, events = validation.group_data(dataset("load_leukemia"))[0]
    assert group == "6-MP" and len(durations) == 21
    seq = validation.risk_sets_up_to(durations, events, 10)
    # 3 relapses at week 6 among 21 (one more censored there), one at 7 among 17, one at 10
    # among 15 (one censored at 9): Freireich et al.'s 6-MP arm
    assert seq == (21, 20, 19, 17, 15)
    kmf = KaplanMeierFitter().fit(durations, events)
    s, lo, up = km_estimate_and_ci(seq)
    assert math.isclose(float(s), kmf.survival_function_at_times(10).iloc[0])
    ci = kmf.confidence_interval_survival_function_.loc[10.0]
    assert math.isclose(lo, ci.iloc[0], rel_tol=1e-9) and math.isclose(up, ci.iloc[1],
                                                                         rel_tol=1e-9)
    table = kmf.event_table.loc[:10.0]
    v = sum(d / (n * (n - d)) for n, d in zip(table["at_risk"], table["observed"], strict=True)
            if d)
    s = float(s)
    _, lo, up = km_estimate_and_ci(seq, ci="log")
    assert math.isclose(lo, math.exp(math.log(s) - Z * math.sqrt(v)))
    assert math.isclose(up, min(1.0, math.exp(math.log(s) + Z * math.sqrt(v))))
    _, lo, up = km_estimate_and_ci(seq, ci="plain")
    assert math.isclose(lo, s - Z * s * math.sqrt(v)) and math.isclose(up,
                                                                       s + Z * s * math.sqrt(v))


def printed(seq, ci, decimals=2, rounding="single"):
    return validation.printed_figure(seq, ci, decimals, rounding)


@st.composite
def small_figure(draw):
    n = draw(st.integers(2, 11))
    seq = tuple(sorted(draw(st.sets(st.integers(2, n), min_size=1, max_size=n - 1)),
                       reverse=True))
    ci = draw(st.sampled_from(["log", "plain"]))
    decimals = draw(st.sampled_from([1, 2]))
    shift = draw(st.sampled_from([(0, 0), (0, 1), (-1, 0), (1, -1)]))
    return n, seq, ci, decimals, shift


@given(case=small_figure())
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_log_and_plain_searches_agree_with_brute_force(case):
    """Under the log and plain intervals (clipping and capping included) both exhaustive
    searches find exactly the sequences that brute force finds."""
    n, seq, ci, decimals, (d_lo, d_up) = case
    est, lo, up = printed(seq, ci, decimals)
    unit = Decimal(1).scaleb(-decimals)
    lo = str(max(Decimal(lo) + d_lo * unit, Decimal(0)))
    up = str(min(Decimal(up) + d_up * unit, Decimal(100)))
    assume(Decimal(lo) <= Decimal(est) <= Decimal(up))
    want = km_risk_sets_naive(est, lo, up, n, decimals=decimals, ci=ci)
    for strategy in ("auto", "branch"):
        res = km_risk_sets(est, lo, up, n, decimals=decimals, ci=ci, strategy=strategy,
                           limit=10**5)
        assert res.exhaustive and list(res) == want
    if (d_lo, d_up) == (0, 0):
        assert seq in want
    answer = km_check(n, est, lo, up, ci=ci, rounding="single", limit=10**5)
    assert answer.decided and answer.event_counts == tuple(sorted({len(s) for s in want}))


# ---------------------------------------------------------------------------------------------
# the answer


def test_the_papers_all_patient_os():
    answer = km_check(30, "82.62", "63.14", "92.37")
    assert answer.feasible and answer.decided and answer.exhaustive
    assert answer.event_counts == (5,) and answer.rounding == ("double",)
    assert answer.witnesses == {5: (29, 28, 27, 26, 24)}
    assert answer.describe() == ("feasible with 5 events only; unique risk sets "
                                 "(29, 28, 27, 26, 24); double rounding only")


def test_the_papers_copied_upper_limit_is_proved_impossible():
    # "50.0% (11.10–95.72)" for six patients: 95.72 is the other group's upper limit
    answer = km_check(6, "50.0", "11.10", "95.72")
    assert not answer.feasible and answer.decided and answer.exhaustive
    assert answer.event_counts == () and answer.rounding == ()
    assert answer.describe() == "impossible: no sequence of risk sets prints as given"


def test_every_count_has_a_witness_that_prints_as_given():
    """n = 440 (GBSG2, no hormonal therapy, 5 years): every count reported has a witness with
    exactly that many events that prints as the figure; the ends are proved impossible."""
    est, lo, up = "43.68", "37.79", "49.41"
    answer = km_check(440, est, lo, up)
    assert answer.decided and answer.event_counts == tuple(range(157, 239))
    for k, seq in answer.witnesses.items():
        assert len(seq) == k and seq[0] <= 440
        assert all(a > b for a, b in zip(seq, seq[1:], strict=False))
        assert printed(seq, "loglog") == (est, lo, up) or printed(
            seq, "loglog", rounding="double") == (est, lo, up)


def test_no_ci_printed():
    # 20% among 5 patients needs the four deaths of the top block (4/5·3/4·2/3·1/2)
    answer = km_check(5, "20")
    assert answer.event_counts == (4,) and answer.solutions == ((5, 4, 3, 2),)


def test_count_ranges():
    assert count_ranges([3, 4, 5, 7, 9, 10]) == "3–5, 7, 9–10"
    assert count_ranges([]) == ""


# ---------------------------------------------------------------------------------------------
# time budget and size


def test_deadline():
    deadline = Deadline(0.0)
    assert deadline.expired()
    with pytest.raises(OutOfTime):
        deadline.check()
    assert not Deadline(None).expired()
    with pytest.raises(ValueError, match="time budget"):
        Deadline(-1)


def test_time_budget_ends_with_undecided_counts():
    """The democracy data at 10 years (1187 regimes, S = 6.17%) has hundreds of possible
    counts: with 0.2 s the answer lists the ones not settled instead of running on."""
    answer = km_check(1187, "6.17", "4.63", "8.00", time_budget=0.2)
    assert not answer.decided and answer.undecided_counts
    assert set(answer.event_counts).isdisjoint(answer.undecided_counts)
    assert answer.seconds < 2.0  # stopped near its budget, not after the full search
    assert "undecided after" in answer.describe()
    assert answer.to_json()["undecided_counts"] == list(answer.undecided_counts)


def test_ten_thousand_patients_do_not_recurse():
    """n = 10,000 near 50%: every search is iterative (no RecursionError), within budget."""
    answer = km_check(10_000, "50.00", "49.02", "50.98", time_budget=3.0)
    assert answer.feasible
    for k, seq in answer.witnesses.items():
        assert len(seq) == k and printed(seq, "loglog") == ("50.00", "49.02", "50.98") or (
            printed(seq, "loglog", rounding="double") == ("50.00", "49.02", "50.98"))
    res = km_risk_sets("50.00", "49.02", "50.98", 10_000, limit=1, time_budget=3.0)
    assert len(res) <= 1


# ---------------------------------------------------------------------------------------------
# real data: recovery and a planted typo (a fast subset of the validation)


@pytest.mark.parametrize("loader", ["load_leukemia", "load_larynx", "load_psychiatric_patients"])
def test_recovery_on_real_datasets(loader):
    """Every true figure of the dataset, in every print style: the true number of events is
    among the counts and the true sequence among the solutions when they are exhaustive."""
    figures = list(validation.true_figures([dataset(loader)]))
    assert len(figures) >= 4
    for fig in figures:
        for ci in ("loglog", "log", "plain"):
            for decimals, rounding in ((2, "single"), (1, "double")):
                shown = printed(fig.risk_sets, ci, decimals, rounding)
                answer = km_check(fig.n, *shown, ci=ci)
                assert fig.events in answer.event_counts, (fig, ci, shown)
                if answer.exhaustive:
                    assert fig.risk_sets in answer.solutions


def test_planted_last_digit_typos_proved_impossible():
    """Leukemia, 6-MP group at 10 weeks: 75.29% (50.32–88.94) among 21 with 5 relapses;
    moving any printed digit by one makes the figure impossible."""
    fig = next(f for f in validation.true_figures([dataset("load_leukemia")])
               if f.group == "6-MP" and f.time == 10)
    assert fig.events == 5 and printed(fig.risk_sets, "loglog") == ("75.29", "50.32", "88.94")
    assert km_check(21, "75.29", "50.32", "88.94").event_counts == (5,)
    altered = [alt for kind, _, alt in validation.typos(("75.29", "50.32", "88.94"), [])
               if kind == "last digit ±1"]
    assert len(altered) == 6
    for alt in altered:
        answer = km_check(21, *alt)
        assert not answer.feasible and answer.decided, alt


def test_typos_are_planted_as_described():
    kinds = list(validation.typos(("87.30", "65.58", "95.72"), [("50.0", "11.10", "80.37")]))
    assert ("last digit ±1", "estimate", ("87.29", "65.58", "95.72")) in kinds
    assert ("digits transposed", "estimate", ("87.03", "65.58", "95.72")) in kinds
    assert ("bound copied", "lower", ("87.30", "11.10", "95.72")) in kinds
    assert all(Decimal(lo) <= Decimal(est) <= Decimal(up) for _, _, (est, lo, up) in kinds)


def test_committed_validation_file_is_reproducible():
    """The leukemia rows of data/km_check_validation.csv are what the code gives now."""
    path = data_path("km_check_validation.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        committed = [r for r in csv.DictReader(fh) if r["dataset"] == "leukemia remission"]
    assert committed
    fresh = list(validation.validation_rows([dataset("load_leukemia")]))
    assert len(fresh) == len(committed)
    for old, new in zip(committed, fresh, strict=True):
        for column in validation.COLUMNS:
            if column != "seconds":
                assert old[column] == str(new[column]), (column, old, new)


def test_recovery_summary_of_committed_file():
    """Counted by hand from the file: a true count is missed only when undecided (never proved
    impossible), every exhaustive answer holds the true sequence, and the values are plain
    Python numbers (myst-nb's glue cannot format numpy scalars)."""
    df = pd.read_csv(data_path("km_check_validation.csv"))
    summary = validation.recovery_summary(df)
    true = df[df["kind"] == "true"]
    missed = true[true["true_count_found"].astype(str) != "True"]
    assert summary["figures"] == len(true) == 780
    assert summary["missed"] == len(missed) == summary["missed_undecided"]
    assert not missed["decided"].any()
    assert summary["count_recovered"] == pytest.approx(1 - len(missed) / len(true))
    assert summary["sequence_recovered"] == 1.0
    assert all(type(v) in (int, float) for v in summary.values())


def test_typo_detection_plot_alt_text_names_every_band():
    rates = validation.detection_table(pd.read_csv(data_path("km_check_validation.csv")))
    fig = typo_detection_plot(rates)
    assert "bound copied: n 1–50 100%" in fig.alt_text
    bands = [c for c in rates.columns if c not in ("all n", "typos")]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [f"n {b}" for b in bands]


# ---------------------------------------------------------------------------------------------
# the command line


def run_cli(capsys, *args):
    status = main(["km-check", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_cli_single_figure_in_words(capsys):
    status, out, _ = run_cli(capsys, "30", "82.62", "63.14", "92.37")
    assert status == 0
    assert out.strip() == ("82.62 (63.14–92.37) among 30 (loglog CI): feasible with 5 events "
                           "only; unique risk sets (29, 28, 27, 26, 24); double rounding only")


def test_cli_table_json_keys_and_order(tmp_path, capsys):
    table = tmp_path / "figures.csv"
    table.write_text("id,n,estimate,lower,upper,ci\nos,30,82.62,63.14,92.37,\n"
                     "pfs,24,85.64,61.72,95.14,loglog\nbad,6,50.0,11.10,95.72,\n"
                     "alone,5,20,,,\n", encoding="utf-8")
    status, out, err = run_cli(capsys, "--input", str(table), "--format", "json")
    assert status == 0 and "4 figures checked" in err
    answers = json.loads(out)
    assert [a["id"] for a in answers] == ["os", "pfs", "bad", "alone"]
    assert all(list(a) == JSON_KEYS for a in answers)
    assert answers[1]["event_counts"] == [3] and answers[1]["witnesses"] == {"3": [22, 20, 18]}
    assert answers[2]["feasible"] is False and answers[2]["undecided_counts"] == []
    assert answers[3]["solutions"] == [[5, 4, 3, 2]]


def test_cli_csv_output(tmp_path, capsys):
    table = tmp_path / "figures.csv"
    table.write_text("id,n,estimate,lower,upper\nos,30,82.62,63.14,92.37\n", encoding="utf-8")
    status, out, _ = run_cli(capsys, "--input", str(table), "--format", "csv", "--ci", "loglog")
    rows = list(csv.DictReader(out.splitlines()))
    assert status == 0 and rows[0]["event_counts"] == "5" and rows[0]["rounding"] == "double"


@pytest.mark.parametrize(("content", "message"), [
    ("id,n,estimate,upper\na,30,82.62,92.37\n", "missing column(s) 'lower'"),
    ("id,n,estimate,lower,upper\na,30,82.62,63.14,92.37\nb,6,fifty,1,2\n",
     "line 3 (row 2), column 'estimate': estimate must be a number"),
    ("id,n,estimate,lower,upper\na,6,50.0,60.0,80.0\n",
     "line 2 (row 1), column 'lower': lower must not exceed estimate"),
    ("id,n,estimate,lower,upper\na,0,50.0,10.0,80.0\n",
     "line 2 (row 1), column 'n': must be at least 1"),
    ("id,n,estimate,lower,upper\na,six,50.0,10.0,80.0\n",
     "line 2 (row 1), column 'n': not a whole number"),
    ("id,n,estimate,lower,upper,ci\na,6,50.0,10.0,80.0,logit\n",
     "line 2 (row 1), column 'ci': must be one of"),
])
def test_cli_bad_table_names_file_row_and_column(tmp_path, capsys, content, message):
    table = tmp_path / "figures.csv"
    table.write_text(content, encoding="utf-8")
    status, out, err = run_cli(capsys, "--input", str(table))
    assert status == 2 and out == ""
    assert str(table) in err and message in err


def test_cli_bad_single_figure(capsys):
    status, _, err = run_cli(capsys, "30", "82.62", "63.14")
    assert status == 2 and "N ESTIMATE LOWER UPPER" in err
    status, _, err = run_cli(capsys, "0", "50.0")
    assert status == 2 and "at least 1" in err


def test_cli_interrupt_exits_non_zero(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "km_check", interrupted)
    status, _, err = run_cli(capsys, "30", "82.62", "63.14", "92.37")
    assert status == 130 and "interrupted" in err


def test_km_check_is_exported_lazily():
    assert blina.km_check is km_check


def test_brute_force_event_counts_for_one_figure():
    """n = 12: the counts of km_check are exactly those of all sequences, found by brute
    force over the 4096 subsets."""
    est, lo, up = printed((12, 11, 9, 6, 4), "loglog")
    want = {len(c) for k in range(1, 12) for c in combinations(range(12, 1, -1), k)
            if printed(c, "loglog") == (est, lo, up)}
    assert 5 in want and want == {len(s) for s in km_risk_sets_naive(est, lo, up, 12)}
    assert set(km_check(12, est, lo, up, rounding="single").event_counts) == want
