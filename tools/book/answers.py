"""Make the answer key's digests from the worked solutions: ``python -m tools.book.answers``.

``book/_answers.json`` lists every exercise with what its answer looks like (``expects``,
``decimals``, ``ordered``, ``hint``: written by hand). This command executes every chapter in a
fresh kernel with ``$BLINA_RECORD_ANSWERS`` set, so that the ``check(label, answer)`` at the end
of each solution records the canonical forms of the solution's own answer
(:func:`blina.exercises.record_forms`) instead of judging it, and writes their salted digests
into the key. A label's salt is kept once made, so an unchanged answer keeps its digests.

Fails (exit 1, key unchanged) when a chapter does not run, when an exercise of the key has no
recorded solution, or when a solution checks a label that the key does not list.

Usage: python -m tools.book.answers [--key PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

import jupytext
from nbclient import NotebookClient

from blina.exercises import digest, key_path
from tools.book.toc import executable_chapters


def record(chapters: list[Path], log: Path) -> list[dict]:
    """Execute ``chapters`` with the recording switched on; return the records."""
    os.environ["BLINA_RECORD_ANSWERS"] = str(log)
    try:
        for chapter in chapters:
            notebook = jupytext.read(chapter)
            NotebookClient(notebook, timeout=120, kernel_name="python3",
                           resources={"metadata": {"path": str(chapter.parent)}}).execute()
            print(f"  executed {chapter.name}", flush=True)
    finally:
        del os.environ["BLINA_RECORD_ANSWERS"]
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def fill(key: dict[str, dict], records: list[dict]) -> dict[str, dict]:
    """``key`` with salt, answer, coarse and item digests from the (last) record of each label."""
    by_label = {r["label"]: r for r in records}
    unknown = sorted(set(by_label) - set(key))
    missing = sorted(set(key) - set(by_label))
    if unknown or missing:
        raise ValueError(f"solutions check labels not in the key: {unknown}; "
                         f"key labels without a recorded solution: {missing}")
    filled = {}
    for label, spec in key.items():
        forms = by_label[label]
        salt = spec.get("salt") or secrets.token_hex(8)
        filled[label] = {**{k: spec[k] for k in ("chapter", "expects", "decimals", "ordered",
                                                  "hint")},
                         "salt": salt, "answer": digest(salt, forms["answer"]),
                         "coarse": None if forms["coarse"] is None
                         else digest(salt, forms["coarse"]),
                         "items": [digest(salt, f) for f in forms["items"]]}
    return filled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--key", type=Path, default=key_path(), help="the answer key to update")
    args = parser.parse_args(argv)
    key = json.loads(args.key.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        try:
            records = record(executable_chapters(), Path(tmp) / "answers.jsonl")
            filled = fill(key, records)
        except Exception as err:  # a failing cell or an incomplete key: leave the key alone
            print(f"ANSWER KEY NOT UPDATED: {err}", file=sys.stderr)
            return 1
    out = args.key.with_suffix(".tmp")
    out.write_text(json.dumps(filled, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out.replace(args.key)
    print(f"{len(filled)} exercises in {args.key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
