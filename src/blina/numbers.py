"""Reading and rounding numbers the way a paper prints them.

A printed value such as ``83.3`` stands for every true value that rounds to it: with half-up
rounding to ``d`` decimals, the interval ``[p - 0.5·10^-d, p + 0.5·10^-d)``.  Statistics
packages and people round half up (GraphPad Prism, SPSS and Excel all display 95.4545… as
95.45 and 0.125 as 0.13), so that is the rule used throughout.  ``Decimal`` arithmetic keeps
the boundary cases exact.

Reference: IEEE 754 / ISO 80000-1 Annex B (rounding rules); Goldberg (1991), *What every
computer scientist should know about floating-point arithmetic*, for why binary floats cannot
decide ties such as 2.675.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"


def normalise_dashes(text: str) -> str:
    """Replace the typographic hyphens and dashes (U+2010–U+2014, U+2212) with ``-``."""
    return text.translate({ord(c): "-" for c in _DASHES})


def parse_numbers(printed: str) -> list[str]:
    """Return the numbers in ``printed`` as strings, keeping their printed decimals.

    ``"63.14–92.37"`` gives ``["63.14", "92.37"]``; ``"25/30"`` gives ``["25", "30"]``.
    A range's dash is not read as a minus sign.
    """
    if not isinstance(printed, str) or not printed.strip():
        raise ValueError(f"printed value must be a non-empty string, got {printed!r}")
    text = normalise_dashes(printed)
    return [m.group(0).lstrip("+") for m in re.finditer(r"\d+(?:\.\d+)?", text)]


def decimals_of(printed: str) -> int:
    """Number of decimals printed in a single number, e.g. ``"95.46"`` gives 2."""
    nums = _NUMBER.fullmatch(printed.strip())
    if not nums:
        raise ValueError(f"not a single printed number: {printed!r}")
    return len(printed.strip().split(".")[1]) if "." in printed else 0


def round_half_up(value: float, decimals: int) -> Decimal:
    """Round ``value`` half up to ``decimals`` places, deciding ties on the float's shortest repr.

    ``round_half_up(95.45454545, 2) == Decimal("95.45")``; ``round_half_up(0.125, 2) ==
    Decimal("0.13")`` (Python's ``round`` gives 0.12: it rounds half to even).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError(f"cannot round {value!r}")
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def shown_as(value: float, printed: str) -> bool:
    """True when ``value`` rounds half up to ``printed`` at the printed number of decimals."""
    return round_half_up(value, decimals_of(printed)) == Decimal(printed.strip())


def shown_as_double(value: float, printed: str) -> bool:
    """True when ``value`` shown with one more decimal, then rounded again, gives ``printed``.

    Double rounding: software displays ``d + 1`` decimals and an author rounds that display to
    ``d``.  95.4545… displays as 95.455 and is then printed as 95.46, where single rounding
    gives 95.45.
    """
    d = decimals_of(printed)
    display = round_half_up(value, d + 1)
    return display.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP) == Decimal(
        printed.strip())


def fmt(value: float, decimals: int) -> str:
    """Format ``value`` half-up with ``decimals`` places (``fmt(83.333, 1) == "83.3"``)."""
    return str(round_half_up(value, decimals))
