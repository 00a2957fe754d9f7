"""Fault injection: each fault found by the fault-injection pass, injected, with its message.

Every test here failed before its fix (see the issue "The build never shows stale or wrong
numbers, and every failure says what failed").  Sections: numeric edges, the inverse KM size
guard, the data loaders, the audit command line, the book build (tiny books only).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2

from blina.stats.binomial import EXACT_MAX_N, clopper_pearson
from blina.stats.km import km_estimate, km_estimate_and_ci, km_table
from blina.stats.logrank import chi2_sf, logrank

# ---------------------------------------------------------------------------------------------
# numeric edges (blina.stats)


def test_chi2_sf_of_nan_is_an_error_not_a_p_value_of_one():
    with pytest.raises(ValueError, match=r"x must be a number, got nan"):
        chi2_sf(math.nan, 1)


@pytest.mark.parametrize(("x", "df"), [(1500.0, 1000), (1500.0, 1001), (10.0, 1000),
                                       (2.0e4, 20_000), (1.0e6, 999_999)])
def test_chi2_sf_with_many_degrees_of_freedom(x, df):
    assert chi2_sf(x, df) == pytest.approx(chi2.sf(x, df), rel=1e-9, abs=1e-300)


def test_chi2_sf_at_infinity_and_below_zero():
    assert chi2_sf(math.inf, 3) == 0.0
    assert chi2_sf(-2.0, 3) == 1.0


def test_chi2_sf_takes_numpy_integers_as_df():
    assert chi2_sf(3.841458820694124, np.int64(1)) == pytest.approx(0.05, rel=1e-12)


def test_clopper_pearson_with_huge_n_is_finite_and_centred():
    # 10^29 successes in 10^30 trials: the interval is 0.1 ± z·√(0.09/10^30) ≈ 0.1 ± 5.88e-16
    lo, hi = clopper_pearson(10**29, 10**30)
    half = 1.959963984540054 * math.sqrt(0.09 / 1e30)
    assert lo == pytest.approx(0.1 - half, abs=2e-17)
    assert hi == pytest.approx(0.1 + half, abs=2e-17)
    assert lo < 0.1 < hi


def test_clopper_pearson_where_the_beta_quantile_of_scipy_is_wrong():
    # scipy's betaincinv(1000, 10^9 - 999, 0.025) returns 1.9e-6, a point where the beta CDF is
    # already 1.0; the exact lower bound is near the gamma limit gammaincinv(1000, 0.025)/n
    from scipy.special import betainc, gammaincinv

    n, k = 10**9, 1000
    lo, hi = clopper_pearson(k, n)
    assert betainc(k, n - k + 1, lo) == pytest.approx(0.025, rel=1e-9)
    assert betainc(k + 1, n - k, hi) == pytest.approx(0.975, rel=1e-9)
    assert lo == pytest.approx(gammaincinv(k, 0.025) / n, rel=1e-5)


@pytest.mark.parametrize("k", [1, 7, 10**6, 10**14, 5 * 10**14, 10**15 - 3])
def test_clopper_pearson_large_sample_limits_agree_with_the_exact_interval_at_the_switch(k):
    # 10^15 trials: exact beta quantiles; 10^15 + 1: the large-sample limits.  One more trial
    # moves the interval by about k/n^2, a relative 1e-15
    n = EXACT_MAX_N
    exact, limit = clopper_pearson(k, n), clopper_pearson(k, n + 1)
    assert limit == pytest.approx(exact, rel=1e-8)
    assert 0 <= exact[0] < k / n < exact[1] <= 1


def test_clopper_pearson_takes_numpy_integers():
    assert clopper_pearson(np.int64(25), np.int32(30)) == pytest.approx((0.6528, 0.9436),
                                                                       abs=5e-5)


def test_km_estimate_and_ci_takes_numpy_integers():
    s, lo, hi = km_estimate_and_ci(np.array([24, 23, 21]))
    assert float(s) == pytest.approx(23 / 24 * 22 / 23 * 20 / 21)
    assert (lo, hi) == pytest.approx((0.65580, 0.95723), abs=5e-6)


def test_km_table_is_vectorised_and_agrees_with_the_product():
    t = np.array([1, 2, 2, 3, 5, 8, 8, 13], dtype=float)
    e = np.array([1, 1, 0, 1, 0, 1, 1, 0], dtype=bool)
    table = km_table(t, e)
    assert table["time"].tolist() == [1, 2, 3, 5, 8, 13]
    assert table["at_risk"].tolist() == [8, 7, 5, 4, 3, 1]
    s = 7 / 8 * 6 / 7 * 4 / 5 * 1 / 3
    assert table["survival"].iloc[-1] == pytest.approx(s)
    assert table["greenwood"].iloc[4] == pytest.approx(1 / 56 + 1 / 42 + 1 / 20 + 2 / 3)
    assert km_estimate(t, e, 10)[0] == pytest.approx(s)


def test_survival_input_errors_still_name_value_and_position():
    t = np.array([1.0, 2.0, np.nan, 4.0])
    with pytest.raises(ValueError, match=r"durations has a missing value \(NaN\) at position 2"):
        km_estimate(t, [1, 0, 1, 0], 1.0)
    with pytest.raises(ValueError, match=r"durations must be non-negative, got -1.0 at position 1"):
        logrank(np.array([1.0, -1.0]), [1, 1], ["a", "b"])
    with pytest.raises(ValueError, match=r"events must be 0/1 or boolean, got 2 at position 0"):
        km_estimate(np.array([1.0]), np.array([2]), 1.0)


# ---------------------------------------------------------------------------------------------
# the inverse Kaplan–Meier solver


def test_the_brute_force_refuses_sizes_it_cannot_finish():
    from blina.inverse_km import km_risk_sets_naive

    with pytest.raises(ValueError, match=r"2\^n subsets: n=60 is too many \(at most 20\)"):
        km_risk_sets_naive("50.00", None, None, 60)
    assert km_risk_sets_naive("50.00", None, None, 2) == [(2,)]


def test_the_solver_takes_numpy_integers_as_n():
    from blina.inverse_km import km_risk_sets, max_estimate, min_events

    assert (24, 23, 21) in km_risk_sets("87.30", "65.58", "95.72", np.int64(24))
    assert max_estimate(np.int64(30), np.int32(2)) == max_estimate(30, 2)
    assert min_events("87.30", np.int64(24)) == 2  # risk sets 21, 12: 20/21 · 11/12 = 0.873016


# ---------------------------------------------------------------------------------------------
# the audit command line


def _audit_cli(*args: str):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "blina", "audit", *args], capture_output=True,
                          text=True)


def test_audit_of_an_unknown_section_fails_listing_the_sections():
    res = _audit_cli("--section", "99")
    assert res.returncode == 2
    assert res.stdout == ""
    assert ("audit: unknown section '99'; the ledger's sections are abstract, 1, 2.1, 2.2"
            in res.stderr)
    assert "3.4" in res.stderr


def test_audit_of_an_unknown_status_fails_listing_the_statuses():
    res = _audit_cli("--status", "wrong")
    assert res.returncode == 2 and res.stdout == ""
    assert "invalid choice: 'wrong'" in res.stderr
    assert "reproduced" in res.stderr and "unverifiable" in res.stderr


# ---------------------------------------------------------------------------------------------
# the data loaders (copies of data/ files in tmp_path)

LOADERS = {"patients.csv": "load_cohort", "adverse_events.csv": "load_adverse_events",
           "claims.csv": "load_claims", "comparators.csv": "load_comparators",
           "patient_notes.csv": "load_patient_notes"}


def _data(name: str) -> bytes:
    from blina.data import data_path

    return data_path(name).read_bytes()


def _load(name: str, path):
    import blina.data

    return getattr(blina.data, LOADERS[name])(path)


@pytest.mark.parametrize("name", list(LOADERS))
def test_a_byte_order_mark_is_accepted_by_every_loader(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + _data(name))
    with_bom = _load(name, path)
    plain = _load(name, None)
    assert list(with_bom.columns) == list(plain.columns)
    assert with_bom.equals(plain)


@pytest.mark.parametrize("name", list(LOADERS))
def test_non_utf8_bytes_are_named_with_file_line_and_column(tmp_path, name):
    from blina.data import DataValidationError

    lines = _data(name).split(b"\n")
    field = lines[2].split(b",")
    field[0] = field[0] + b"\xe9"  # é in Latin-1, as an old spreadsheet saves it
    lines[2] = b",".join(field)
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(DataValidationError) as info:
        _load(name, path)
    header = lines[0].decode().split(",")[0]
    message = str(info.value)
    assert f"{name}: 1 problem(s); nothing was loaded" in message
    assert f"line 3, column {header!r}: byte 0xe9 is not UTF-8" in message


def _patients_with(tmp_path, line: int, column: str, value: str):
    text = _data("patients.csv").decode()
    rows = [r.split(",") for r in text.splitlines()]
    rows[line - 1][rows[0].index(column)] = value
    path = tmp_path / "patients.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_a_thirty_digit_age_is_a_validation_error_not_an_overflow(tmp_path):
    from blina.data import DataValidationError, load_cohort

    path = _patients_with(tmp_path, 2, "age", "1" * 30)
    with pytest.raises(DataValidationError) as info:
        load_cohort(path)
    assert ("line 2 (patient 1), column 'age': got '111111111111111111111111111111', "
            "expected a number of at most 18 characters") in str(info.value)


@pytest.mark.parametrize("name", list(LOADERS))
def test_an_empty_file_is_named(tmp_path, name):
    from blina.data import DataValidationError

    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(DataValidationError, match=rf"{name}: 1 problem\(s\); nothing was "
                                                  r"loaded\n  the file is empty \(no header row\)"):
        _load(name, path)


def test_a_ledger_without_claims_is_refused(tmp_path):
    from blina.data import DataValidationError, load_claims

    path = tmp_path / "claims.csv"
    path.write_bytes(_data("claims.csv").split(b"\n")[0] + b"\n")
    with pytest.raises(DataValidationError, match="expected at least one claim"):
        load_claims(path)


def _comparators(tmp_path, edit) -> object:
    lines = _data("comparators.csv").decode().splitlines()
    path = tmp_path / "comparators.csv"
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return path


def test_a_duplicated_comparator_study_is_refused(tmp_path):
    from blina.data import DataValidationError, load_comparators

    tower = next(i for i, line in enumerate(_data("comparators.csv").decode().splitlines())
                 if "TOWER" in line)
    path = _comparators(tmp_path, lambda lines: [*lines, lines[tower]])
    with pytest.raises(DataValidationError) as info:
        load_comparators(path)
    message = str(info.value)
    assert (f"line {tower + 1} (study Kantarjian et al. (TOWER)), column 'study': got "
            "'Kantarjian et al. (TOWER)', expected unique values (duplicate)") in message
    assert "column 'source': got 'kantarjian2017', expected unique values" in message


def test_a_missing_comparator_study_is_named(tmp_path):
    from blina.data import DataValidationError, load_comparators

    path = _comparators(tmp_path, lambda lines: [x for x in lines if "TOWER" not in x])
    with pytest.raises(DataValidationError, match=r"whole file: no row for source "
                                                  r"'kantarjian2017'"):
        load_comparators(path)


def test_a_million_bad_rows_are_rejected_fast_with_a_short_message(tmp_path):
    import time

    from blina.data import DataValidationError, load_cohort

    row = _data("patients.csv").split(b"\n")[1].replace(b",CR,", b",Cri,") + b"\n"
    path = tmp_path / "patients.csv"
    path.write_bytes(_data("patients.csv").split(b"\n")[0] + b"\n" + row * 10**6)
    t0 = time.perf_counter()
    with pytest.raises(DataValidationError) as info:
        load_cohort(path)
    assert time.perf_counter() - t0 < 5  # measured in bench/bench_loaders.py; generous here
    message = str(info.value)
    assert len(message) < 2000
    assert "patients.csv: 1 problem(s); nothing was loaded" in message
    assert "MB, more than the 1 MB a data file may hold" in message


def test_many_problems_are_capped_at_twenty_and_counted(tmp_path):
    from blina.data import DataValidationError, load_cohort

    lines = _data("patients.csv").decode().splitlines()
    bad = [lines[0]] + [x.replace(",M,", ",X,").replace(",F,", ",X,") for x in lines[1:]]
    path = tmp_path / "patients.csv"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_cohort(path)
    err = info.value
    assert err.count == 30 and len(err.problems) == 20
    assert "patients.csv: 30 problem(s); nothing was loaded (the first 20 follow)" in str(err)
    assert "line 21 (patient 20), column 'sex': got 'X'" in str(err)
    assert "line 22 (patient 21)" not in str(err)
    assert str(err).endswith("... and 10 more problem(s)")


# ---------------------------------------------------------------------------------------------
# the book build (tiny books in tmp_path; the data from a copy named by $BLINA_DATA_DIR)

FILLER_PAGES = 6  # more than five pages to read: Sphinx reads in parallel only then


def _tiny_book(root, chapters: dict[str, str], filler: int = 0):
    """A book at ``root``: the repository's _config.yml, an index, ``chapters`` (name -> body
    of a MyST notebook) and ``filler`` plain pages."""
    import shutil

    from booktools import HEADER, ROOT

    (root / "book").mkdir(parents=True)
    for name in ("_config.yml", "references.bib"):
        shutil.copy(ROOT / name, root / name)
    (root / "book" / "index.md").write_text("# A tiny book\n\nFor fault injection.\n")
    names = list(chapters) + [f"page{i}" for i in range(filler)]
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/index\nchapters:\n"
                                   + "".join(f"  - file: book/{n}\n" for n in names))
    for name, body in chapters.items():
        (root / "book" / f"{name}.md").write_text(HEADER + f"# {name}\n\n" + body)
    for i in range(filler):
        (root / "book" / f"page{i}.md").write_text(f"# Page {i}\n\nPlain text.\n")
    return root


def _cell(code: str) -> str:
    return f"```{{code-cell}} ipython3\n{code}\n```\n\n"


def _data_copy(folder):
    import shutil

    from blina.data import data_dir

    folder.mkdir()
    for path in data_dir().glob("*.csv"):
        shutil.copy(path, folder / path.name)
    return folder


def _build(source, *args, data=None, jobs=1):
    import os
    import subprocess
    import sys

    from booktools import ROOT

    env = dict(os.environ)
    env.pop("BLINA_DATA_DIR", None)
    if data is not None:
        env["BLINA_DATA_DIR"] = str(data)
    return subprocess.run([sys.executable, "-m", "tools.book.build", "--source", str(source),
                           "--jobs", str(jobs), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True)


def _executed(proc) -> list[str]:
    """Chapters (file names) that myst-nb executed in a build."""
    import re

    return sorted(re.findall(r"/book/(\w+)\.md: Executing notebook", proc.stdout + proc.stderr))


def _set_age(data, patient: int, age: int) -> None:
    path = data / "patients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = lines[patient].split(",")
    fields[1] = str(age)
    lines[patient] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


MEAN_AGE = _cell("import blina") + _cell(
    "cohort = blina.load_cohort()\nprint(f\"MEAN AGE {cohort.age.mean():.2f}\")")
NO_DATA = _cell("print('NO DATA ' + str(6 * 7))")


@pytest.mark.slow
def test_an_edited_data_file_re_executes_exactly_the_chapters_that_read_it(tmp_path):
    book = _tiny_book(tmp_path / "book", {"ages": MEAN_AGE, "plain": NO_DATA})
    data = _data_copy(tmp_path / "data")
    page = book / "_build" / "html" / "book" / "ages.html"
    first = _build(book, data=data)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert _executed(first) == ["ages", "plain"]
    assert "MEAN AGE 38.60" in page.read_text(encoding="utf-8")

    _set_age(data, 1, 82)  # patient 1: 52 -> 82, the mean rises by 30/30 = 1 year
    second = _build(book, data=data)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert _executed(second) == ["ages"]  # the chapter without data stays cached
    assert "MEAN AGE 39.60" in page.read_text(encoding="utf-8")

    third = _build(book, data=data)  # nothing changed: not even Sphinx runs
    assert third.returncode == 0 and "nothing changed since the last build" in third.stdout

    path = data / "patients.csv"
    path.write_text(path.read_text().replace(",CRi,", ",Cri,", 1))
    broken = _build(book, data=data)
    assert broken.returncode == 1
    tail = broken.stdout.strip().splitlines()[-3:]
    assert tail[0] == "chapter book/ages.md, cell 2 of 2, line 18: cohort = blina.load_cohort()"
    assert tail[1].strip() == ("DataValidationError: data/patients.csv: 1 problem(s); nothing "
                               "was loaded")
    assert tail[2].strip().startswith("line 3 (patient 2), column 'response': got 'Cri'")
    assert "BOOK BUILD FAILED" in broken.stderr


@pytest.mark.slow
def test_an_output_sharing_the_cache_shows_what_another_build_executed_again(tmp_path):
    """Two outputs of one book share its execution cache (the HTML book and the PDF's LaTeX
    sources, a test's book): after the data change, the first build executes the chapter
    again, and the second, which executes nothing, must still show the new number."""
    book = _tiny_book(tmp_path / "book", {"ages": MEAN_AGE, "plain": NO_DATA})
    data = _data_copy(tmp_path / "data")
    one, two = tmp_path / "one" / "html", tmp_path / "two" / "html"
    for out in (one, two):
        assert _build(book, "--out", str(out), data=data).returncode == 0
    assert "MEAN AGE 38.60" in (two / "book" / "ages.html").read_text(encoding="utf-8")

    _set_age(data, 1, 82)
    first = _build(book, "--out", str(one), data=data)
    assert first.returncode == 0 and _executed(first) == ["ages"]
    second = _build(book, "--out", str(two), data=data)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert _executed(second) == [] and "nothing changed" not in second.stdout
    assert "MEAN AGE 39.60" in (two / "book" / "ages.html").read_text(encoding="utf-8")
    again = _build(book, "--out", str(two), data=data)
    assert again.returncode == 0 and "nothing changed since the last build" in again.stdout


@pytest.mark.slow
def test_an_edited_module_re_executes_the_chapter_that_imports_it(tmp_path):
    chapter = _cell("import helper\nprint(f'HELPER SAYS {helper.VALUE}')")
    book = _tiny_book(tmp_path / "book", {"uses": chapter, "plain": NO_DATA})
    (book / "book" / "helper.py").write_text("VALUE = 'one'\n")
    page = book / "_build" / "html" / "book" / "uses.html"
    assert _build(book).returncode == 0
    assert "HELPER SAYS one" in page.read_text(encoding="utf-8")
    (book / "book" / "helper.py").write_text("VALUE = 'two'\n")
    again = _build(book)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert _executed(again) == ["uses"]
    assert "HELPER SAYS two" in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_parallel_build_ends_with_the_chapter_the_cell_and_the_error(tmp_path):
    data = _data_copy(tmp_path / "data")
    path = data / "patients.csv"
    path.write_text(path.read_text().replace(",CRi,", ",Cri,", 1))
    book = _tiny_book(tmp_path / "book", {"ages": MEAN_AGE, "plain": NO_DATA},
                      filler=FILLER_PAGES)
    proc = _build(book, data=data, jobs=2)
    assert proc.returncode == 1
    assert " .. book/" in proc.stdout, "Sphinx did not read in parallel"
    tail = proc.stdout.strip().splitlines()[-3:]
    assert tail[0].startswith("chapter book/ages.md, cell 2 of 2, line 18: cohort = ")
    assert "DataValidationError: data/patients.csv" in tail[1]
    assert "line 3 (patient 2), column 'response': got 'Cri'" in tail[2]
    assert proc.stderr.strip().splitlines()[-1].startswith("BOOK BUILD FAILED")
    assert "Socket operation on non-socket" not in proc.stdout + proc.stderr


@pytest.mark.slow
def test_a_chapter_whose_kernel_dies_is_named_at_the_end(tmp_path):
    book = _tiny_book(tmp_path / "book", {"dies": _cell("import os\nos._exit(3)"),
                                          "plain": NO_DATA}, filler=FILLER_PAGES)
    proc = _build(book, jobs=2)
    assert proc.returncode == 1
    assert proc.stdout.strip().splitlines()[-1] == (
        "chapter book/dies.md: its reading never finished (the kernel or the Sphinx worker "
        "died; the traceback is above)")
    assert "DeadKernelError: Kernel died" in proc.stdout + proc.stderr


@pytest.mark.slow
def test_a_build_that_warned_keeps_failing_until_the_cause_is_fixed(tmp_path):
    book = _tiny_book(tmp_path / "book", {"plain": NO_DATA + "See {ref}`no-such-label`.\n"})
    for attempt in (1, 2):
        proc = _build(book)
        assert proc.returncode == 1, f"attempt {attempt} passed"
        assert "no-such-label" in proc.stdout.strip().splitlines()[-1]
        assert not (book / "_build" / ".doctrees" / "build_book.stamp").exists()
    chapter = book / "book" / "plain.md"
    chapter.write_text(chapter.read_text().replace("See {ref}`no-such-label`.\n", ""))
    fixed = _build(book)
    assert fixed.returncode == 0, fixed.stdout[-3000:] + fixed.stderr[-3000:]
    assert _executed(fixed) == []  # the chapter's code did not change: still cached


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


@pytest.mark.slow
def test_sigterm_to_make_stops_sphinx_and_the_kernels(tmp_path):
    import os
    import signal
    import subprocess
    import time

    from booktools import ROOT

    marker = tmp_path / "kernel.pids"
    chapter = _cell(f"import os, time\nopen({str(marker)!r}, 'w').write("
                    "f'{os.getpid()} {os.getppid()}')\ntime.sleep(300)")
    book = _tiny_book(tmp_path / "book", {"slow": chapter})
    make = subprocess.Popen(["make", "-s", "book", f"BOOK_ARGS=--source {book} --jobs 1"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 120
    while not (marker.is_file() and marker.read_text()) and time.monotonic() < deadline:
        assert make.poll() is None, make.communicate()
        time.sleep(0.2)
    kernel, sphinx = map(int, marker.read_text().split())
    make.send_signal(signal.SIGTERM)
    t0 = time.monotonic()
    out, err = make.communicate(timeout=30)
    stopped_in = time.monotonic() - t0
    assert make.returncode != 0
    assert "BOOK BUILD STOPPED by SIGTERM" in err
    assert stopped_in < 15
    time.sleep(0.5)
    assert not _alive(kernel) and not _alive(sphinx)
    html = book / "_build" / "html"
    before = {p: p.stat().st_mtime_ns for p in html.rglob("*")} if html.exists() else {}
    time.sleep(2)
    after = {p: p.stat().st_mtime_ns for p in html.rglob("*")} if html.exists() else {}
    assert before == after, "something still writes the HTML"
    assert (book / "_build" / ".doctrees" / "build_book.failed").is_file()
    assert not (book / "_build" / ".doctrees" / "build_book.stamp").exists()
    assert os.waitpid  # the make process is reaped by communicate()


def _tree(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_clean_builds_give_identical_html_and_notebook_downloads(tmp_path):
    import shutil

    figure = _cell("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [3, 1, 2])\nplt.show()")
    book = _tiny_book(tmp_path / "book", {"ages": MEAN_AGE, "figure": figure})
    trees = []
    for _ in range(2):
        shutil.rmtree(book / "_build", ignore_errors=True)
        proc = _build(book)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        trees.append(_tree(book / "_build" / "html"))
    assert "_sources/book/ages.ipynb" in trees[0]
    differ = [name for name in trees[0] if trees[0][name] != trees[1].get(name)]
    assert differ == [] and set(trees[0]) == set(trees[1])


@pytest.mark.slow
def test_the_student_zip_is_byte_identical_across_runs(tmp_path):
    from tools.book.student import ZIP_NAME, build_student

    body = ("```{exercise} Ages\n:label: ex-ages\n\nDifficulty 1 of 3 · practises: a mean\n\n"
            "Compute the mean age.\n```\n\n" + MEAN_AGE
            + "````{solution} ex-ages\nThe mean age of the thirty patients is printed above.\n"
            "````\n")
    book = _tiny_book(tmp_path / "book", {"ages": body})
    zips = []
    for run in range(2):
        assert build_student(book, tmp_path / "student", jobs=1) == 0, f"run {run}"
        zips.append((tmp_path / "student" / ZIP_NAME).read_bytes())
    assert zips[0] == zips[1]
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(zips[0])) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        notebook = zf.read("blina-book-student/notebooks/book/ages.ipynb").decode()
    assert '"id": "' in notebook and "thirty patients" not in notebook


# ---------------------------------------------------------------------------------------------
# the pieces of the build, without building


def test_a_kernel_records_inputs_under_its_roots_and_files_that_changed_while_it_ran(tmp_path):
    import json

    from tools.book.reads import Recorder, is_fresh, load_manifest, stale_manifests

    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    (root / "_build").mkdir()
    data, other, output = root / "data" / "a.csv", root / "data" / "b.csv", root / "_build" / "x"
    for path in (data, other, output):
        path.write_text("1,2\n")
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("not an input\n")
    recorder = Recorder(str(tmp_path / "inputs" / "m.json"), [str(root)])
    for path, mode in ((data, "r"), (other, "rb"), (output, "r"), (outside, "r"),
                       (root / "data" / "new.csv", "w")):
        recorder.hook("open", (str(path), mode, 0))
    other.write_text("1,2,3\n")  # edited while the chapter ran: its hash is unknown
    recorder.write()
    manifest = load_manifest(tmp_path / "inputs" / "m.json")
    assert sorted(manifest["files"]) == [str(data), str(other)]
    assert manifest["files"][str(other)] is None
    assert json.loads((tmp_path / "inputs" / "m.json").read_text())["env"] == manifest["env"]
    assert not is_fresh(manifest)  # a file whose content is unknown is never fresh
    manifest["files"].pop(str(other))
    assert is_fresh(manifest)
    data.write_text("1,3\n")
    assert not is_fresh(manifest)
    assert stale_manifests(tmp_path / "inputs") == [tmp_path / "inputs" / "m.json"]


def test_the_data_folder_variable_is_part_of_what_a_chapter_read(monkeypatch):
    from tools.book.reads import input_env, is_fresh

    monkeypatch.setenv("BLINA_DATA_DIR", "/one")
    monkeypatch.setenv("BLINA_VALIDATED_DIR", "/build/.validated")  # where, not what: ignored
    manifest = {"env": input_env(), "files": {}}
    assert manifest["env"] == {"BLINA_DATA_DIR": "/one"}
    assert is_fresh(manifest)
    monkeypatch.setenv("BLINA_DATA_DIR", "/two")
    assert not is_fresh(manifest)


REPORT = """Traceback (most recent call last):
  File "/x/jupyter_cache/executors/utils.py", line 58, in single_nb_execution
nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:
------------------
cohort = blina.load_cohort()
print(cohort.age.mean())
------------------


\x1b[0;31m---------------------------------------------------------------------------\x1b[0m
\x1b[0;31mDataValidationError\x1b[0m                       Traceback (most recent call last)
Cell \x1b[0;32mIn[2], line 1\x1b[0m
\x1b[0;32m----> 1\x1b[0m cohort \x1b[38;5;241m=\x1b[39m blina\x1b[38;5;241m.\x1b[39mload_cohort()
\x1b[0;31mDataValidationError\x1b[0m: data/patients.csv: 1 problem(s); nothing was loaded
  line 3 (patient 2), column 'response': got 'Cri', expected one of CR, CRi, no response
"""


def test_a_failure_report_is_reduced_to_chapter_cell_and_exception(tmp_path):
    from booktools import HEADER

    from tools.book.failures import failure_summary

    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "ages.md").write_text(
        HEADER + "# Ages\n\n```{code-cell} ipython3\nimport blina\n```\n\n```{code-cell} "
        "ipython3\ncohort = blina.load_cohort()\nprint(cohort.age.mean())\n```\n")
    reports = tmp_path / "html" / "reports" / "book"
    reports.mkdir(parents=True)
    (reports / "ages.err.log").write_text(REPORT)
    warnings = tmp_path / "warnings.log"
    warnings.write_text("/b/book/x.md:3: WARNING: undefined label: 'nope' [ref.ref]\n"
                        "/b/book/ages.md: WARNING: Executing notebook failed: CellExecutionError"
                        " [mystnb.exec]\n")
    summary = failure_summary(tmp_path, tmp_path / "html", warnings, tmp_path / "reading")
    assert summary.splitlines() == [
        "chapter book/ages.md, cell 2 of 2, line 18: cohort = blina.load_cohort()",
        "    DataValidationError: data/patients.csv: 1 problem(s); nothing was loaded",
        "      line 3 (patient 2), column 'response': got 'Cri', expected one of CR, CRi, "
        "no response",
        "/b/book/x.md:3: WARNING: undefined label: 'nope' [ref.ref]",
    ]


def test_the_student_zip_is_never_half_written(tmp_path):
    from tools.book.student import write_zip

    (tmp_path / "html").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "html" / "index.html").write_text("<p>book</p>")
    archive = tmp_path / "edition.zip"
    write_zip(archive, tmp_path, "README\n")
    good = archive.read_bytes()
    (tmp_path / "html" / "index.html").touch()  # a newer time stamp: the same zip
    write_zip(archive, tmp_path, "README\n")
    assert archive.read_bytes() == good
    with pytest.raises(TypeError):
        write_zip(archive, tmp_path, None)  # fails after the zip was opened
    assert archive.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edition.zip", "html", "notebooks"]


def test_downloaded_notebooks_get_fixed_cell_ids():
    import nbformat

    from tools.book.ext import reproducible_notebook

    def notebook():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1"),
                                             nbformat.v4.new_markdown_cell("x")])
        nb.cells[0].metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00"}
        return nb

    a, b = reproducible_notebook(notebook(), "book/ages"), reproducible_notebook(notebook(),
                                                                                 "book/ages")
    assert nbformat.writes(a) == nbformat.writes(b)
    assert [c.id for c in a.cells][1].endswith("-1") and "execution" not in a.cells[0].metadata
    nbformat.validate(a)
