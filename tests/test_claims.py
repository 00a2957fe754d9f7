"""The claims ledger (data/claims.csv): well-formed, and every quote verbatim from the paper.

The project does not ship the paper's text. The quote test reads it from ``../shared/paper/``
next to the repository (present in CI) or from ``$BLINA_PAPER_DIR``, and is skipped with the
path it looked at when the text is absent.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from blina.stats.rounding import normalise_dashes, parse_numbers

REPO = Path(__file__).resolve().parents[1]
CLAIMS = REPO / "data" / "claims.csv"
COLUMNS = ["claim_id", "section", "quote", "reported", "kind", "denominator", "note"]
SECTIONS = {"abstract", "1", "2.1", "2.2", "2.3", "2.4", "3.1", "table1", "3.2", "table2", "3.3",
            "table3", "3.4", "figure1", "figure2", "4", "5"}
KINDS = {"count", "percent", "median", "mean", "range", "km_estimate", "km_ci", "p_value",
         "followup", "dose", "duration", "statement"}
PREFIX = {"abstract": "abs-", "1": "intro-", "2.1": "met-2.1-", "2.4": "met-2.4-",
          "figure1": "fig-1", "figure2": "fig-2", "2.2": "met-2.2-", "2.3": "met-2.3-",
          "3.1": "res-3.1-", "3.2": "res-3.2-", "3.3": "res-3.3-", "3.4": "res-3.4-",
          "table1": "tab-1-", "table2": "tab-2-", "table3": "tab-3-", "4": "disc-", "5": "con-5-"}
SURVIVAL_KINDS = {"km_estimate", "km_ci", "p_value", "followup"}


def paper_dir() -> Path:
    env = os.environ.get("BLINA_PAPER_DIR")
    return Path(env) if env else REPO.parent / "shared" / "paper"


def paper_text() -> str:
    where = paper_dir()
    files = sorted(where.glob("*.txt")) if where.is_dir() else []
    if not files:
        pytest.skip(f"paper text not found at {where}; set BLINA_PAPER_DIR")
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def normalise(text: str) -> str:
    """Only whitespace (any Unicode space, collapsed) and dash/hyphen characters."""
    return re.sub(r"\s+", " ", normalise_dashes(text)).strip()


_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {"twenty": 20, "thirty": 30}
_WORD = re.compile(r"\b(twenty|thirty)(?:-(one|two|three|four|five|six|seven|eight|nine))?\b"
                   r"|\b(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\b")


def words_to_digits(text: str) -> str:
    """Spell-out numbers to digits: ``"Twenty-five patients"`` -> ``"25 patients"``."""

    def repl(m: re.Match) -> str:
        if m.group(3):
            return str(_UNITS[m.group(3)])
        return str(_TENS[m.group(1)] + (_UNITS[m.group(2)] if m.group(2) else 0))

    return _WORD.sub(repl, normalise_dashes(text).lower())


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    import blina

    try:
        return blina.load_claims()
    except ImportError:  # until blina.data lands: the raw CSV, every column as text
        return pd.read_csv(CLAIMS, dtype=str, keep_default_na=False)


def test_words_to_digits():
    assert words_to_digits("Twenty\u2010five patients, nine and Thirty") == "25 patients, 9 and 30"
    assert words_to_digits("none of the twelve") == "none of the 12"


def test_columns_and_ids_unique(claims):
    assert list(claims.columns) == COLUMNS
    dup = claims.claim_id[claims.claim_id.duplicated()].tolist()
    assert dup == []
    assert len(claims) >= 140


def test_sections_kinds_and_prefixes(claims):
    assert set(claims.section.astype(str)) <= SECTIONS
    assert set(claims.kind.astype(str)) <= KINDS
    bad = [(c, s) for c, s in zip(claims.claim_id, claims.section, strict=True)
           if not c.startswith(PREFIX[s])]
    assert bad == []


def test_denominators_are_positive_ints_or_empty(claims):
    dens = [d for d in claims.denominator if not pd.isna(d) and d != ""]
    assert all(float(d).is_integer() and 0 < float(d) <= 30 for d in dens)


def is_survival_id(claim_id: str, section: str) -> bool:
    """The rule the survival check modules register by: section 3.4, or an id containing
    ``-os``, ``-pfs`` or ``followup``."""
    return section == "3.4" or re.search(r"-os|-pfs|followup", claim_id) is not None


def test_survival_ids_follow_the_naming_rule(claims):
    """Outside 3.4 a survival claim carries an ``os``/``pfs`` token (``os``, ``os2y``) and
    no other claim matches the survival rule by accident (e.g. an ``-osteo`` or ``followup``
    inside a non-survival id); survival kinds only occur in survival ids."""
    wrong = []
    for cid, section, kind in zip(claims.claim_id, claims.section, claims.kind, strict=True):
        token = any(re.fullmatch(r"(os|pfs)(\d+[my])?", t) for t in cid.split("-"))
        if section != "3.4" and token != is_survival_id(cid, section):
            wrong.append(cid)
        if kind in SURVIVAL_KINDS and not is_survival_id(cid, section):
            wrong.append(cid)
    assert wrong == []
    outside = sorted(c for c, s in zip(claims.claim_id, claims.section, strict=True)
                     if s != "3.4" and is_survival_id(c, s))
    assert outside == ["abs-os-pfs-further-better", "abs-os2y-all", "abs-pfs2y-all",
                       "disc-median-os-nofurther", "disc-median-os-pfs-all-undefined",
                       "disc-os-pfs-further-better", "disc-os-pfs-hsct-better",
                       "disc-os-pfs-therapy-nodiff", "fig-1cd-os-pfs-better",
                       "fig-2ab-os-pfs-better", "fig-2cd-os-pfs-nodiff",
                       "fig-2ef-os-pfs-responders", "met-2.4-pfs-nonresponders"]


def test_counts_per_section(claims, capsys):
    counts = Counter(claims.section)
    with capsys.disabled():
        print("\nclaims per section:", dict(sorted(counts.items())), "total", len(claims))
    assert counts["3.4"] >= 35 and counts["3.2"] >= 20 and counts["table3"] == 12


def test_every_quote_is_verbatim_in_the_paper(claims):
    paper = normalise(paper_text())
    missing = [(c, q) for c, q in zip(claims.claim_id, claims.quote, strict=True)
               if normalise(q) not in paper]
    assert missing == []


def test_quotes_keep_the_papers_characters(claims):
    """The ledger copies the paper's Unicode hyphens rather than typing ASCII ones."""
    quote = claims.set_index("claim_id").loc["res-3.2-cr-25", "quote"]
    assert quote == "Twenty\u2010five patients (83.3%) achieved morphological CR"


def test_quote_check_catches_a_misquote(claims):
    paper = normalise(paper_text())
    assert normalise("The median age was 33.5 years") not in paper
    assert normalise("The median age was 38 years") in paper


def test_reported_numbers_appear_in_the_quote(claims):
    """Every number of ``reported`` is printed in the quote (spelled-out numbers count), unless
    the note says how the number was read ("read as", "printed as", "surrounding")."""
    unexplained = []
    for row in claims.itertuples():
        in_quote = set(parse_numbers(words_to_digits(row.quote)) or [])
        try:
            wanted = parse_numbers(row.reported)
        except ValueError:
            wanted = []
        absent = [n for n in wanted if n not in in_quote]
        note = row.note if isinstance(row.note, str) else ""
        if absent and not re.search(r"read as|printed as|surrounding", note):
            unexplained.append((row.claim_id, absent))
    assert unexplained == []
