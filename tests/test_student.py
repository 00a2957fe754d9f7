"""The student edition (tools/book/student.py, ``make student``) leaks no solution.

1. Leak test on a tiny book: a chapter with two exercises, one with a gated solution
   (``{solution-start}`` ... ``{solution-end}``, holding prose and a code cell whose output is
   computed, so its output text appears nowhere in the source) and one with a ``{solution}``
   directive. The student HTML, notebooks and zip contain every exercise statement and no
   solution text, solution code or solution output, while an ordinary cell's output is kept.
2. The stripping function on the real chapters (``book/*.md`` notebooks): the solutions found by
   an independent regular expression are exactly what is removed, every exercise stays verbatim,
   and the result is still a notebook with the solution cells gone.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import textwrap
import zipfile
from pathlib import Path

import jupytext
import pytest
import yaml
from booktools import HEADER, ROOT, executable_chapters

from tools.book import student

pytestmark = pytest.mark.slow  # the student edition of a small book built

# Exercise statements (must survive) and solution markers (must vanish). The solution cell
# builds its output from pieces, so "GIRAFFE-OUTPUT" exists only as an output.
STATEMENTS = ["Count the llamas in the first pen and report the total",
              "Explain why the alpacas outnumber the vicunas in winter"]
CHAPTER = HEADER + textwrap.dedent("""\
    # Drills

    ```{code-cell} ipython3
    print("ordinary" + "-" + "output")
    ```

    ## Exercises

    +++

    ````{exercise}
    :label: ex-llamas

    Difficulty 1 of 3 · practises: counting animals

    Count the llamas in the first pen and report the total.
    ````

    ```{code-cell} ipython3
    :tags: [answer, remove-cell]

    answer = ...
    ```

    +++

    ```{solution-start} ex-llamas
    :class: dropdown
    ```

    The zebra method gives eleven llamas after subtracting the hidden ones.

    ```{code-cell} ipython3
    token = "GIR" + "AFFE"
    print(token + "-" + "OUTPUT")
    ```

    ```{solution-end}
    ```

    +++

    ````{exercise}
    :label: ex-alpacas

    Difficulty 1 of 3 · practises: counting animals

    Explain why the alpacas outnumber the vicunas in winter.
    ````

    +++ {"tags": ["answer", "remove-cell"]}

    *Your explanation:*

    +++

    ````{solution} ex-alpacas
    :class: dropdown

    Okapi reasoning: vicunas migrate to lower pastures before the first snow.

    ```python
    okapi_count = 3
    ```
    ````
    """)
SECRETS = ["zebra method", "eleven llamas", "AFFE", "GIRAFFE-OUTPUT", "Okapi reasoning",
           "lower pastures", "okapi_count"]


def _texts(out: Path) -> dict[str, str]:
    """Every file of the student edition (and of the zip) as text, MathJax aside."""
    texts = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and "mathjax" not in path.parts and path.suffix != ".zip":
            if out / "src" in path.parents or out / ".doctrees" in path.parents:
                continue  # working files, not handed out
            texts[str(path.relative_to(out))] = path.read_bytes().decode("utf-8", "replace")
    with zipfile.ZipFile(out / student.ZIP_NAME) as zf:
        for name in zf.namelist():
            if "/mathjax/" not in name:
                texts[f"zip:{name}"] = zf.read(name).decode("utf-8", "replace")
    return texts


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    src = tmp_path_factory.mktemp("book")
    shutil.copy(ROOT / "references.bib", src / "references.bib")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["repository"]["url"] = "https://github.com/example-org/blina-book"  # Binder on
    (src / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (src / "_toc.yml").write_text("format: jb-book\nroot: book/index\n"
                                  "chapters:\n  - file: book/drills\n", encoding="utf-8")
    (src / "book").mkdir()
    (src / "book" / "index.md").write_text("# Tiny\n\nOne chapter of drills.\n", encoding="utf-8")
    (src / "book" / "drills.md").write_text(CHAPTER, encoding="utf-8")
    before = hashlib.sha256((src / "book" / "drills.md").read_bytes()).hexdigest()
    out = src / "_build" / "student"
    status = student.build_student(src, out, jobs=1)
    assert status == 0
    after = hashlib.sha256((src / "book" / "drills.md").read_bytes()).hexdigest()
    return out, before == after


def test_no_solution_text_code_or_output_anywhere_in_the_student_edition(edition):
    out, _ = edition
    texts = _texts(out)
    assert any(name.startswith("zip:") for name in texts) and len(texts) > 10
    found = [(name, s) for name, text in texts.items() for s in SECRETS if s in text]
    assert found == []


def test_every_exercise_statement_is_in_the_html_the_notebook_and_the_zip(edition):
    out, _ = edition
    page = (out / "html" / "book" / "drills.html").read_text(encoding="utf-8")
    notebook = (out / "notebooks" / "book" / "drills.ipynb").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / student.ZIP_NAME) as zf:
        zipped_nb = zf.read("blina-book-student/notebooks/book/drills.ipynb").decode()
        zipped_page = zf.read("blina-book-student/html/book/drills.html").decode()
        assert "blina-book-student/html/index.html" in zf.namelist()
    for statement in STATEMENTS:
        for name, text in [("html", page), ("notebook", notebook), ("zip notebook", zipped_nb),
                           ("zip html", zipped_page)]:
            assert statement in student.normalise(text), f"{statement!r} missing from {name}"


def test_ordinary_outputs_are_kept_so_outputs_are_really_searched(edition):
    out, _ = edition
    page = (out / "html" / "book" / "drills.html").read_text(encoding="utf-8")
    assert "ordinary-output" in page
    executed = json.loads((out / "html" / "_sources" / "book" / "drills.ipynb").read_text())
    printed = ["".join(o.get("text", "")) for c in executed["cells"] if c["cell_type"] == "code"
               for o in c["outputs"]]
    assert printed == ["ordinary-output\n"]


def test_notebooks_have_the_kept_cells_and_no_outputs(edition):
    out, _ = edition
    notebook = json.loads((out / "notebooks" / "book" / "drills.ipynb").read_text())
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert ["".join(c["source"]) for c in code] == ['print("ordinary" + "-" + "output")',
                                                    "answer = ..."]
    assert code[0]["outputs"] == []
    assert notebook["metadata"]["blina"] == {"chapter": "drills"}
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_an_exercise_without_an_answer_cell_is_reported():
    text = HEADER + "# Q\n\n````{exercise}\n:label: ex-q\n\nWhy?\n````\n\nMore text.\n"
    with pytest.raises(ValueError, match=r"ex-q: not in a cell of its own \(split with \+\+\+\); "
                       r"ex-q: no answer cell \(tagged answer\) right after it"):
        student.student_notebook(text, "q")


def test_no_launch_button_but_an_ipynb_download_in_the_student_html(edition):
    out, _ = edition
    page = (out / "html" / "book" / "drills.html").read_text(encoding="utf-8")
    assert "/v2/gh/" not in page and "mybinder" not in page  # it would open the solutions
    assert 'href="../_sources/book/drills.ipynb"' in page
    assert (out / "html" / "_sources" / "book" / "drills.ipynb").is_file()


def test_the_source_chapter_is_untouched_and_the_title_says_student_edition(edition):
    out, unchanged = edition
    assert unchanged
    page = (out / "html" / "book" / "drills.html").read_text(encoding="utf-8")
    assert "(student edition)" in page


# ---------------------------------------------------------------- the stripping function

GATED = re.compile(r"^```\{solution-start\}.*?^```\{solution-end\}\n```\n", re.S | re.M)
EXERCISE = re.compile(r"^````\{exercise\}.*?^````\n", re.S | re.M)


def _chapters_with_solutions():
    """Notebook chapters with gated solutions: those in the TOC, then drafts not yet in it."""
    found = [p for p in executable_chapters() if "{solution-start}" in p.read_text()]
    drafts = [p for p in sorted((ROOT / "book").glob("*.md")) if p not in found
              and p.read_text().startswith("---\njupytext:")
              and "{solution-start}" in p.read_text()]
    return found + drafts


@pytest.mark.parametrize("path", _chapters_with_solutions(), ids=lambda p: p.name)
def test_stripping_a_real_chapter_removes_exactly_its_solutions(path):
    text = path.read_text(encoding="utf-8")
    stripped = student.strip_solutions(text)
    gated = GATED.findall(text)
    assert len(gated) == text.count("{solution-start}") == text.count("{solution-end}") >= 1
    assert len(student.solution_spans(text)) == len(gated) + text.count("{solution}")
    for marker in ("{solution-start}", "{solution-end}", "{solution}"):
        assert marker not in stripped
    # every exercise is kept verbatim
    exercises = EXERCISE.findall(text)
    assert exercises and all(ex in stripped for ex in exercises)
    assert EXERCISE.findall(stripped) == exercises
    # nothing else changed: the same non-blank lines as the text minus the regex-found solutions
    expected = [ln for ln in GATED.sub("", text).splitlines() if ln.strip()]
    assert [ln for ln in stripped.splitlines() if ln.strip()] == expected
    # still a notebook, with the code cells of the solutions gone
    cells = [c for c in jupytext.reads(stripped, fmt="md:myst").cells if c.cell_type == "code"]
    solution_cells = sum(chunk.count("```{code-cell}") for chunk in gated)
    assert len(cells) == text.count("```{code-cell}") - solution_cells


def test_solution_directive_with_nested_fences_and_colon_fences():
    text = textwrap.dedent("""\
        Before.

        `````{solution} ex-a
        Secret one.

        ````{note}
        ```python
        secret = 2
        ```
        ````
        `````

        :::{solution} ex-b
        Secret two.
        :::

        After.
        """)
    assert student.strip_solutions(text) == "Before.\n\nAfter.\n"
    assert student.solution_spans(text) == [(2, 11), (12, 15)]


def test_solution_syntax_inside_a_literal_code_block_is_left_alone():
    text = textwrap.dedent("""\
        ````markdown
        ```{solution-start} ex-a
        ```
        Shown as an example.
        ```{solution-end}
        ```
        ````
        """)
    assert student.solution_spans(text) == []
    assert student.strip_solutions(text) == text


def test_an_unterminated_gated_solution_is_an_error_naming_its_line():
    text = "Intro.\n\n```{solution-start} ex-a\n```\n\nNo end.\n"
    with pytest.raises(ValueError, match=r"line 3: \{solution-start\} without \{solution-end\}"):
        student.strip_solutions(text)


def test_the_leak_check_finds_a_solution_sentence_rendered_as_html():
    solution = "```{solution-start} ex-a\n```\nThe *median* of the ages is 33.5, not 38.\n"
    prints = student.fingerprints(solution, kept="Compute the median of the ages.")
    assert prints == {"of the ages is 33.5, not 38"}
    page = "<p>The <em>median</em> of the ages is 33.5, not&nbsp;38.</p>"
    found = student.leaks({"page.html": page}, prints)
    assert found == ["page.html: 'of the ages is 33.5, not 38'"]
    assert student.leaks({"page.html": "<p>Compute the median of the ages.</p>"}, prints) == []
