"""What the checks share: reading a printed value, naming patients, and verdicts for rates
and counts recomputed from the published tables.

A percentage ``100·k/n`` matches a printed value when it rounds half up to it
(:func:`blina.stats.rounding.shown_as`).
"""

from __future__ import annotations

import pandas as pd

from blina.audit.engine import AuditContext, Verdict
from blina.stats.rounding import fmt, shown_as

__all__ = ["ae_by_event", "comparator", "count_verdict", "parts", "pct", "rate_verdict",
           "unverifiable", "who"]


def parts(reported: str) -> list[str]:
    """``"25; 83.3"`` -> ``["25", "83.3"]``."""
    return [p.strip() for p in reported.split(";")]


def who(df: pd.DataFrame, mask=None) -> str:
    """Patient numbers, e.g. ``"6, 9, 11"`` (``"none"`` when empty)."""
    sel = df if mask is None else df[mask]
    ids = [str(int(p)) for p in sel["patient"]]
    return ", ".join(ids) if ids else "none"


def pct(k: int, n: int, printed: str | None = None) -> str:
    """``100·k/n`` half-up with the printed value's decimals (one by default)."""
    decimals = len(printed.split(".")[1]) if printed and "." in printed else 1
    return fmt(100 * k / n, decimals)


def rate_verdict(k: int, n: int, printed_k: str, printed_pct: str, what: str,
                 other: str = "") -> Verdict:
    """Verdict for "k (p%)" of n: reproduced when the count matches and 100·k/n rounds to p."""
    shown = f"{k}/{n} = {pct(k, n, printed_pct)}%"
    ok = int(printed_k) == k and shown_as(100 * k / n, printed_pct)
    printed = f"{printed_k} ({printed_pct}%)"
    if ok:
        return Verdict("reproduced", shown, f"{what}: {shown}, as printed.{other}")
    return Verdict("discrepant", shown, f"{what}: {shown}, but the paper prints {printed}.{other}")


def count_verdict(k: int, printed: str, what: str, other: str = "") -> Verdict:
    """Verdict for a bare count: reproduced when ``k`` equals the printed integer."""
    if int(printed) == k:
        return Verdict("reproduced", str(k), f"{what}: {k}, as printed.{other}")
    return Verdict("discrepant", str(k), f"{what}: {k}, but the paper prints {printed}.{other}")


def unverifiable(why: str, recomputed: str = "—") -> Verdict:
    """An ``unverifiable`` verdict saying why."""
    return Verdict("unverifiable", recomputed, why)


def comparator(ctx: AuditContext, study: str) -> pd.Series | None:
    """The first row of the comparator table whose study starts with ``study``, or None."""
    table = ctx.comparators
    rows = table[table["study"].astype(str).str.startswith(study)]
    return None if rows.empty else rows.iloc[0]


def ae_by_event(ctx: AuditContext) -> pd.DataFrame:
    """Table 3 indexed by event."""
    return ctx.adverse_events.set_index("event")
