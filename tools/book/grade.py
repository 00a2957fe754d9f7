"""Grade returned student notebooks: ``make grade SUBMISSIONS=DIR`` runs this.

Every ``.ipynb`` under ``SUBMISSIONS`` (sub-folders included; checkpoints and the output folder
skipped) is executed top to bottom in a fresh kernel, in a separate process with a time limit
(``--timeout``, default 120 s). Cells that raise do not stop the run (the later exercises are
still graded; the errors are reported). Each exercise is scored by the same check the trainee
runs in the notebook, :func:`blina.exercises.check`: while the notebook runs,
``$BLINA_CHECK_LOG`` makes every check cell append its verdict to a log that this tool reads,
so a score is what the submitted answer earns when re-run, never what the saved notebook shows.

Which exercises a notebook owes: those of its chapter in the answer key (the chapter is in the
notebook's metadata, written by ``make student``, or else the chapter of the first label its
check cells name). An exercise whose check never ran is *missing*; after a crash or a time-out
the exercises not reached are *not run*.

Output, in ``--out`` (default ``SUBMISSIONS/graded``), written only when every notebook has
been run:

- ``grades.csv``: one row per submitted file: ``file``, ``chapter``, ``status`` (``ok``,
  ``ok, N cells raised an error``, ``kernel died in cell N``, ``timed out after S s``, ``not a
  notebook: ...``), ``score`` (right = 1, close = 0.5), ``max_score``, ``seconds``, then one
  column per exercise with its verdict (right, close, wrong, unanswered, missing, not run);
- ``feedback/<file>.md``: one file per submission with every verdict, its message (the hint
  for close answers) and the errors raised.

Usage: python -m tools.book.grade SUBMISSIONS [--out DIR] [--timeout SECONDS]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from blina.exercises import answer_key

POINTS = {"right": 1.0, "close": 0.5}
CHECK_CALL = re.compile(r"""check\(\s*["'](?P<label>ex-[\w-]+)["']""")
GRACE = 20  # seconds the child gets beyond the limit to stop its kernel


@dataclass
class Graded:
    """One submission's outcome."""

    file: str
    chapter: str = ""
    status: str = "ok"
    seconds: float = 0.0
    verdicts: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (verdict, msg)
    errors: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(POINTS.get(v, 0.0) for v, _ in self.verdicts.values())


# ---------------------------------------------------------------- one notebook (child process)

def _on_alarm(signum, frame):
    raise TimeoutError("time limit reached")


def run_one(notebook_path: Path, log: Path, result: Path, limit: float) -> int:
    """Execute one notebook (in this process, which ``grade`` starts) and write ``result``."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    notebook = nbformat.read(notebook_path, as_version=4)
    os.environ["BLINA_CHECK_LOG"] = str(log)
    outcome = {"status": "ok", "errors": []}
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGTERM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    with tempfile.TemporaryDirectory() as workdir:
        client = NotebookClient(notebook, timeout=int(limit) + 1, kernel_name="python3",
                                allow_errors=True, resources={"metadata": {"path": workdir}})
        try:
            client.execute()
        except TimeoutError:
            outcome["status"] = f"timed out after {limit:g} s"
        except DeadKernelError:
            outcome["status"] = f"kernel died in cell {_current_cell(notebook)}"
        except Exception as err:  # nbclient's own failures (e.g. a cell timeout)
            outcome["status"] = f"stopped in cell {_current_cell(notebook)}: {err}"[:300]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    for number, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                outcome["errors"].append(f"cell {number}: {output['ename']}: "
                                         f"{output['evalue']}"[:300])
    if outcome["status"] == "ok" and outcome["errors"]:
        count = len(outcome["errors"])
        outcome["status"] = f"ok, {count} cell{'' if count == 1 else 's'} raised an error"
    result.write_text(json.dumps(outcome), encoding="utf-8")
    return 0


def _current_cell(notebook) -> int:
    """Number (from 1) of the last code cell that has started executing."""
    started = [i for i, c in enumerate(notebook.cells, start=1)
               if c.cell_type == "code" and c.get("execution_count") is not None]
    return started[-1] if started else 1


# ---------------------------------------------------------------- the whole run (parent)

def _chapter_of(notebook: dict, key: dict[str, dict]) -> str:
    chapter = notebook.get("metadata", {}).get("blina", {}).get("chapter")
    if chapter:
        return chapter
    for cell in notebook.get("cells", []):
        for found in CHECK_CALL.finditer("".join(cell.get("source", ""))):
            if found["label"] in key:
                return key[found["label"]]["chapter"]
    return ""


def _execute(path: Path, limit: float) -> tuple[dict, list[dict], float]:
    """Run ``path`` in a child process; return its outcome, its check log and the time."""
    with tempfile.TemporaryDirectory() as tmp:
        log, result = Path(tmp) / "checks.jsonl", Path(tmp) / "result.json"
        log.touch()
        command = [sys.executable, "-m", "tools.book.grade", "--run-one", str(path),
                   "--log", str(log), "--result", str(result), "--timeout", str(limit)]
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[2],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            _, stderr = child.communicate(timeout=limit + GRACE)
        except subprocess.TimeoutExpired:
            child.kill()
            _, stderr = child.communicate()
        except KeyboardInterrupt:
            child.terminate()
            child.wait(timeout=GRACE)
            raise
        seconds = time.perf_counter() - start
        if result.is_file():
            outcome = json.loads(result.read_text(encoding="utf-8"))
        elif seconds >= limit:
            outcome = {"status": f"timed out after {limit:g} s", "errors": []}
        else:
            last = (stderr or "").strip().splitlines()[-1:] or ["no message"]
            outcome = {"status": f"could not be run: {last[0]}"[:300], "errors": []}
        checks = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()
                  if line.strip()]
    return outcome, checks, seconds


def grade_one(path: Path, root: Path, key: dict[str, dict], limit: float) -> Graded:
    """Grade one submitted file."""
    graded = Graded(path.relative_to(root).as_posix())
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(notebook.get("cells"), list)
    except (ValueError, AssertionError, UnicodeDecodeError) as err:
        graded.status = f"not a notebook: {err.__class__.__name__}"
        return graded
    graded.chapter = _chapter_of(notebook, key)
    outcome, checks, graded.seconds = _execute(path, limit)
    graded.status, graded.errors = outcome["status"], outcome["errors"]
    owed = [label for label, spec in key.items() if spec["chapter"] == graded.chapter]
    logged = {c["label"]: (c["verdict"], c["message"]) for c in checks if c["label"] in owed}
    finished = graded.status.startswith("ok")
    for label in owed:
        graded.verdicts[label] = logged.get(label) or (
            ("missing", "The check cell of this exercise did not run.") if finished
            else ("not run", f"Not reached: the notebook {graded.status}."))
    return graded


def submissions(folder: Path, out: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*.ipynb"))
            if ".ipynb_checkpoints" not in p.parts and out not in p.parents]


def grades_csv(results: list[Graded], labels: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "chapter", "status", "score", "max_score", "seconds", *labels])
    for g in results:
        writer.writerow([g.file, g.chapter, g.status, f"{g.score:g}", len(g.verdicts),
                         f"{g.seconds:.1f}", *(g.verdicts.get(lb, ("",))[0] for lb in labels)])
    return buffer.getvalue()


def feedback(g: Graded) -> str:
    lines = [f"# Feedback: {g.file}", "", f"- chapter: {g.chapter or 'unknown'}",
             f"- run: {g.status} ({g.seconds:.1f} s)",
             f"- score: {g.score:g} of {len(g.verdicts)} (right 1, close 0.5)", "",
             "| exercise | verdict | message |", "| --- | --- | --- |"]
    lines += [f"| {label} | {v} | {m.replace('|', '/')} |" for label, (v, m) in g.verdicts.items()]
    if not g.verdicts:
        lines.append("| (none) | | no exercise of a known chapter was found |")
    if g.errors:
        lines += ["", "Cells that raised an error:", "", *(f"- {e}" for e in g.errors)]
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def grade(folder: Path, out: Path, limit: float) -> list[Graded]:
    """Grade every submission under ``folder``; write ``grades.csv`` and feedback into ``out``."""
    key = answer_key()
    paths = submissions(folder, out)
    if not paths:
        raise FileNotFoundError(f"no .ipynb files under {folder}")
    results = []
    for number, path in enumerate(paths, start=1):
        g = grade_one(path, folder, key, limit)
        results.append(g)
        print(f"[{number}/{len(paths)}] {g.file}: {g.score:g}/{len(g.verdicts)} ({g.status}, "
              f"{g.seconds:.1f} s)", flush=True)
    labels = [lb for lb in key if any(lb in g.verdicts for g in results)]
    for g in results:
        _write(out / "feedback" / (re.sub(r"[^\w.-]+", "_", g.file) + ".md"), feedback(g))
    _write(out / "grades.csv", grades_csv(results, labels))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=Path, nargs="?", help="folder of returned notebooks")
    parser.add_argument("--out", type=Path, help="output folder (default SUBMISSIONS/graded)")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds allowed per notebook (default 120)")
    parser.add_argument("--run-one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        return run_one(args.run_one, args.log, args.result, args.timeout)
    if args.submissions is None:
        parser.error("give the folder of returned notebooks")
    folder = args.submissions.resolve()
    if not folder.is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return 2
    out = (args.out or folder / "graded").resolve()
    try:
        results = grade(folder, out, args.timeout)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: no grades written", file=sys.stderr)
        return 130
    print(f"{len(results)} notebooks graded: {out / 'grades.csv'}, feedback in {out / 'feedback'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
