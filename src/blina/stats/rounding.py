"""Reading and rounding numbers the way a paper prints them.

A printed value such as ``83.3`` stands for every true value that rounds to it: with half-up
rounding to ``d`` decimals, the interval ``[p − ½·10^−d, p + ½·10^−d)``.  Statistics packages
and people round half up (GraphPad Prism, SPSS and Excel all display 95.4545… as 95.45 and
0.125 as 0.13), so that is the rule used throughout.  A paper may also round *twice*: the
software displays ``d + 1`` decimals and the authors round that display to ``d``
(:func:`printed_interval` with ``rounding="double"``).  ``Decimal`` and ``Fraction`` arithmetic
keeps the boundary cases exact.

Reference: IEEE 754 / ISO 80000-1 Annex B (rounding rules); Goldberg (1991), *What every
computer scientist should know about floating-point arithmetic*, for why binary floats cannot
decide ties such as 2.675.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from numbers import Real

__all__ = [
    "ROUNDINGS",
    "Printed",
    "as_decimal",
    "decimals_of",
    "fmt",
    "normalise_dashes",
    "parse_numbers",
    "printed_interval",
    "round_half_up",
    "shown_as",
    "shown_as_double",
    "shown_as_either",
]

#: the two rounding models of a printed number (see :func:`printed_interval`)
ROUNDINGS = ("single", "double")
#: a printed number as the caller holds it
Printed = int | float | str | Decimal

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


def as_decimal(name: str, value: Printed) -> Decimal:
    """``value`` as an exact ``Decimal`` (a float by its shortest repr); ``ValueError`` naming
    ``name`` for anything that is not a finite number or numeric string."""
    if isinstance(value, bool) or not isinstance(value, Real | str | Decimal):
        raise ValueError(f"{name} must be a number or numeric string, got {value!r}")
    try:
        dec = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{name} must be a number or numeric string, got {value!r}") from None
    if not dec.is_finite():
        raise ValueError(f"{name} must be finite, got {value!r}")
    return dec


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


def shown_as_either(value: float, printed: str) -> bool:
    """True when ``value`` prints as ``printed`` under single or under double rounding."""
    return shown_as(value, printed) or shown_as_double(value, printed)


def fmt(value: float, decimals: int) -> str:
    """Format ``value`` half-up with ``decimals`` places (``fmt(83.333, 1) == "83.3"``)."""
    return str(round_half_up(value, decimals))


def printed_interval(value: Printed, decimals: int, rounding: str = "single") -> tuple[
        Fraction, Fraction]:
    """Half-open interval ``[lo, hi)`` of true values that are printed as ``value``.

    ``rounding="single"``: half-up rounding to ``d = decimals`` places, so ``p`` stands for
    ``[p − ½·10^−d, p + ½·10^−d)``.  ``rounding="double"``: the software displayed ``d + 1``
    decimals (half-up) and the authors rounded that display half-up to ``d``: the displays
    ``p − 0.5u, p − 0.4u, ..., p + 0.4u`` (``u = 10^−d``) round to ``p`` and each stands for
    ``[q − 0.05u, q + 0.05u)``; their union is ``[p − 0.55u, p + 0.45u)``.  E.g. ``"82.6"``
    single is ``[82.55, 82.65)``, double ``[82.545, 82.645)`` (82.645 displays as 82.65, which
    the authors would round to 82.7).  Exact ``Fraction`` bounds, in the units printed.
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative int, got {decimals!r}")
    p = Fraction(as_decimal("value", value))
    u = Fraction(1, 10**decimals)
    if rounding == "single":
        return p - u / 2, p + u / 2
    if rounding == "double":
        return p - u * Fraction(11, 20), p + u * Fraction(9, 20)
    raise ValueError(f"rounding must be one of {ROUNDINGS}, got {rounding!r}")
