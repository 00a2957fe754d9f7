"""The one check of a table argument: a non-empty DataFrame with the columns a function needs."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["require_columns"]


def require_columns(df: object, cols: Sequence[str], name: str = "df", *,
                    allow_empty: bool = False) -> pd.DataFrame:
    """Check ``df`` is a DataFrame with ``cols`` (and rows, unless ``allow_empty``); return it.

    Raises ``ValueError`` naming the argument and what is wrong: not a DataFrame, the missing
    columns (with the ones it has), or no rows.
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{name}: unknown column(s) {missing}; it has {list(df.columns)}")
    if df.empty and not allow_empty:
        raise ValueError(f"{name} is empty: at least one patient is needed")
    return df
