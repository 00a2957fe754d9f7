"""Self-checking exercises: ``check("ex-resp-385", answer)`` says right, close or wrong.

The answer key (``book/_answers.json``, or ``$BLINA_ANSWERS``) holds no answer, only salted
SHA-256 digests of it, so a trainee who opens it learns nothing. For each exercise label it
stores what the answer looks like (``expects``), how it is compared (``decimals``: numbers are
rounded half-up to that many decimals first; ``ordered``: whether the order of a list
matters), a ``hint`` shown when an answer is close, and the digests:

- ``answer``: the digest of the whole canonical answer (see :func:`canonical`);
- ``coarse``: the digest at one decimal fewer (an answer right only to that precision is
  *close*);
- ``items``: one digest per element of a list answer (some elements right is *close*).

An answer that is right after multiplying or dividing every number by 100 (percent given as a
proportion, or the reverse) is also *close*. The digests are made from the worked solutions
by ``python -m tools.book.answers`` (each solution ends with ``check(label, answer)``): run
with ``$BLINA_RECORD_ANSWERS`` set, :func:`check` appends the canonical forms to that file
instead of judging them. With ``$BLINA_CHECK_LOG`` set, every verdict is appended to that
file as a JSON line (the grading tool reads it).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from numbers import Integral, Real
from pathlib import Path

__all__ = ["Result", "answer_key", "canonical", "check", "digest", "key_path", "record_forms"]

VERDICTS = ("right", "close", "wrong", "unanswered")
SYMBOLS = {"right": "✔", "close": "≈", "wrong": "✘", "unanswered": "…"}


def key_path() -> Path:
    """The answer key: ``$BLINA_ANSWERS``, else ``book/_answers.json`` of this repository."""
    given = os.environ.get("BLINA_ANSWERS")
    return Path(given) if given else Path(__file__).resolve().parents[2] / "book" / "_answers.json"


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def answer_key() -> dict[str, dict]:
    """Every exercise's key entry, by label (re-read when the file changes)."""
    path = key_path()
    if not path.is_file():
        raise FileNotFoundError(f"no answer key at {path} (set BLINA_ANSWERS to its path)")
    return _load(str(path), path.stat().st_mtime)


def _number(value, decimals: int | None) -> str:
    """A number as fixed-point text rounded half-up (``decimals=None``: exact integers)."""
    if decimals is None:
        if isinstance(value, Integral) or float(value).is_integer():
            return str(int(value))
        raise TypeError(f"{value!r} is not a whole number")
    if isinstance(value, Decimal):
        exact = value
    elif isinstance(value, Integral):
        exact = Decimal(int(value))
    elif isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(float(value)))  # the shortest text that reads back as the float
    text = str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def canonical(value, decimals: int | None = None, ordered: bool = True):
    """A JSON-ready form of an answer that two equal answers share.

    Booleans stay booleans; numbers (Python, NumPy, fractions) become fixed-point text rounded
    half-up to ``decimals``; strings are stripped and case-folded (prefixed ``s:``); lists,
    tuples, arrays and pandas Series become lists (the outermost one sorted when not
    ``ordered``; inner lists such as ``(k, n)`` pairs keep their order); sets become sorted
    lists; dicts become sorted ``[key, value]`` pairs.
    """
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # numpy scalars and arrays, pandas Series and Index
    if isinstance(value, bool):
        return value
    if isinstance(value, (Real, Decimal)):
        return _number(value, decimals)
    if isinstance(value, str):
        return "s:" + " ".join(value.split()).casefold()
    if isinstance(value, dict):
        return sorted(([canonical(k, decimals), canonical(v, decimals)]
                       for k, v in value.items()), key=json.dumps)
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v, decimals) for v in value), key=json.dumps)
    if isinstance(value, (list, tuple)):
        items = [canonical(v, decimals) for v in value]
        return items if ordered else sorted(items, key=json.dumps)
    raise TypeError(f"cannot compare an answer of type {type(value).__name__}")


def digest(salt: str, form) -> str:
    """SHA-256 of ``salt`` and the JSON text of a canonical form."""
    text = salt + json.dumps(form, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _scaled(value, factor):
    """``value`` with every number multiplied by ``factor`` (None if it holds no number)."""
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, (Real, Decimal)):
        return Decimal(str(float(value))) * factor
    if isinstance(value, (list, tuple)):
        return [_scaled(v, factor) for v in value]
    return None


def record_forms(value, spec: dict) -> dict:
    """The canonical forms a key entry is made from: whole answer, one decimal fewer, items."""
    decimals, ordered = spec.get("decimals"), spec.get("ordered", True)
    forms = {"answer": canonical(value, decimals, ordered), "coarse": None, "items": []}
    if decimals:
        forms["coarse"] = canonical(value, decimals - 1, ordered)
    if isinstance(forms["answer"], list) and len(forms["answer"]) > 1:
        forms["items"] = forms["answer"]
    return forms


@dataclass(frozen=True)
class Result:
    """A verdict on one answer, shown as one line in the notebook."""

    label: str
    verdict: str
    message: str

    def __bool__(self) -> bool:
        return self.verdict == "right"

    def __repr__(self) -> str:
        return f"{SYMBOLS[self.verdict]} {self.label}: {self.verdict}. {self.message}".strip()

    def _repr_html_(self) -> str:
        colour = {"right": "#1b5e20", "close": "#8a5a00", "wrong": "#b71c1c",
                  "unanswered": "#444"}[self.verdict]
        return (f'<p role="status" class="blina-check blina-check-{self.verdict}" '
                f'style="color:{colour}"><strong>{SYMBOLS[self.verdict]} {self.label}: '
                f"{self.verdict}.</strong> {html.escape(self.message)}</p>")


def _same(value, spec: dict, decimals: int | None, ordered: bool) -> bool:
    """Whether ``value`` (None: no) has the key's digest at ``decimals``."""
    try:
        return value is not None and digest(spec["salt"], canonical(
            value, decimals, ordered)) == spec["answer"]
    except (TypeError, ValueError, ArithmeticError):
        return False


def _judge(label: str, answer, spec: dict) -> tuple[str, str]:
    salt = spec["salt"]
    decimals, ordered = spec.get("decimals"), spec.get("ordered", True)
    expects = f"Expected: {spec['expects']}."
    try:
        form = canonical(answer, decimals, ordered)
    except (TypeError, ValueError, ArithmeticError) as err:
        return "wrong", f"This answer cannot be compared ({err}). {expects}"
    if digest(salt, form) == spec["answer"]:
        return "right", ""
    hint = f"Hint: {spec['hint']}" if spec.get("hint") else expects
    if decimals and spec.get("coarse") and digest(salt, canonical(answer, decimals - 1,
                                                                   ordered)) == spec["coarse"]:
        coarser = f"{decimals - 1} decimal{'' if decimals == 2 else 's'}"
        return "close", f"Right when rounded to {coarser}; give {decimals}. {hint}"
    for factor, unit in ((Decimal(100), "percent"), (Decimal("0.01"), "a proportion")):
        if _same(_scaled(answer, factor), spec, decimals, ordered):
            return "close", f"The numbers are right but the unit is not: give {unit}."
    items = spec.get("items") or []
    if items and isinstance(form, list):
        if ordered:
            hits = sum(i < len(items) and digest(salt, f) == items[i] for i, f in enumerate(form))
        else:
            hits = len({digest(salt, f) for f in form} & set(items))
        if hits:
            return "close", f"{hits} of {len(items)} parts are right. {hint}"
    return "wrong", f"Not right yet. {expects}"


def _append(path: str, record: dict) -> None:
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def check(label: str, answer) -> Result:
    """Judge ``answer`` to the exercise ``label`` against the answer key (see the module)."""
    key = answer_key()
    if label not in key:
        raise KeyError(f"no exercise {label!r} in the answer key {key_path()}")
    spec = key[label]
    recording = os.environ.get("BLINA_RECORD_ANSWERS")
    if recording and answer is not Ellipsis:
        _append(recording, {"label": label, **record_forms(answer, spec)})
        return Result(label, "right", "(recorded for the answer key)")
    if answer is Ellipsis or answer is None:
        result = Result(label, "unanswered", "Replace the ... in the answer cell with your "
                        f"answer and run both cells. Expected: {spec['expects']}.")
    else:
        result = Result(label, *_judge(label, answer, spec))
    log = os.environ.get("BLINA_CHECK_LOG")
    if log:
        _append(log, asdict(result))
    return result
