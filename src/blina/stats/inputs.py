"""Checking the arguments of the survival functions: durations, event flags, groups, times.

Each function converts one argument to a NumPy array (or a float) and raises ``ValueError``
naming the argument, the offending value and its position, so that a caller learns what to fix
rather than meeting a NaN three functions later.
"""

from __future__ import annotations

import math
from numbers import Real
from statistics import NormalDist

import numpy as np
import pandas as pd

__all__ = [
    "as_1d",
    "durations_array",
    "events_array",
    "group_labels",
    "is_missing",
    "level_codes",
    "time_point",
    "validate_survival_data",
    "z_for_level",
]


def z_for_level(level: object) -> float:
    """The two-sided standard normal quantile ``z = Φ⁻¹(1 − (1 − level)/2)`` (1.95996… for 95%)."""
    if isinstance(level, bool) or not isinstance(level, Real) or not 0 < level < 1:
        raise ValueError(f"level must be a number strictly between 0 and 1, got {level!r}")
    return NormalDist().inv_cdf(0.5 + float(level) / 2)


def as_1d(name: str, values: object) -> np.ndarray:
    """``values`` as a non-empty one-dimensional object array."""
    if values is None or isinstance(values, str | bytes) or np.ndim(values) != 1:
        raise ValueError(f"{name} must be a one-dimensional sequence, got {values!r}")
    if isinstance(values, pd.Series | pd.Index):
        arr = values.to_numpy(dtype=object)
    elif isinstance(values, np.ndarray):
        arr = values.astype(object)
    else:
        arr = np.asarray(list(values), dtype=object)
    if arr.size == 0:
        raise ValueError(f"{name} is empty: at least one patient is needed")
    return arr


def is_missing(v: object) -> bool:
    """True for ``None``, ``pd.NA``, ``pd.NaT`` and float NaN."""
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _numeric_array(values: object) -> np.ndarray | None:
    """``values`` as a one-dimensional float array when it is already a NumPy array or pandas
    Series of (non-boolean) numbers, so it can be checked in one pass; else ``None``."""
    if isinstance(values, pd.Series | pd.Index):
        if not (pd.api.types.is_numeric_dtype(values.dtype)
                and not pd.api.types.is_bool_dtype(values.dtype)):
            return None
        return values.to_numpy(dtype=float, na_value=np.nan)
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf" and values.ndim == 1:
        return values.astype(float, copy=False)
    return None


def _item(values: object, i: int) -> object:
    """Element ``i`` of an array or Series as a plain Python value (for a message)."""
    v = values.iloc[i] if isinstance(values, pd.Series) else values[i]
    return v.item() if isinstance(v, np.generic) else v


def _check_duration(name: str, v: object, i: int) -> float:
    if is_missing(v):
        raise ValueError(f"{name} has a missing value (NaN) at position {i}")
    if isinstance(v, bool | np.bool_) or not isinstance(v, Real | np.number):
        raise ValueError(f"{name} must hold numbers, got {v!r} at position {i}")
    f = float(v)
    if not math.isfinite(f):
        raise ValueError(f"{name} must be finite, got {v!r} at position {i}")
    if f < 0:
        raise ValueError(f"{name} must be non-negative, got {v!r} at position {i}")
    return f


def durations_array(values: object, name: str = "durations") -> np.ndarray:
    """Finite, non-negative numbers as a float array.

    A NumPy array or Series of numbers is checked in one vectorised pass (``O(n)`` in C: 10^6
    durations in milliseconds); anything else element by element.  Either way the first bad
    value is named with its position.
    """
    fast = _numeric_array(values)
    if fast is not None:
        if fast.size == 0:
            raise ValueError(f"{name} is empty: at least one patient is needed")
        bad = np.flatnonzero(~(np.isfinite(fast) & (fast >= 0)))
        if bad.size:
            i = int(bad[0])
            _check_duration(name, _item(values, i), i)
        return fast.copy()
    arr = as_1d(name, values)
    return np.array([_check_duration(name, v, i) for i, v in enumerate(arr)], dtype=float)


def _check_event(name: str, v: object, i: int) -> bool:
    if is_missing(v):
        raise ValueError(f"{name} has a missing value at position {i}")
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, Real | np.number) and float(v) in (0.0, 1.0):
        return float(v) == 1.0
    raise ValueError(f"{name} must be 0/1 or boolean, got {v!r} at position {i}")


def events_array(values: object, name: str = "events") -> np.ndarray:
    """Event flags (booleans or 0/1) as a bool array (vectorised for arrays, see
    :func:`durations_array`)."""
    if isinstance(values, np.ndarray) and values.dtype == bool and values.ndim == 1:
        if values.size == 0:
            raise ValueError(f"{name} is empty: at least one patient is needed")
        return values.copy()
    fast = _numeric_array(values)
    if fast is not None and fast.size:
        bad = np.flatnonzero((fast != 0) & (fast != 1))
        if bad.size:
            i = int(bad[0])
            _check_event(name, _item(values, i), i)
        return fast == 1
    arr = as_1d(name, values)
    return np.array([_check_event(name, v, i) for i, v in enumerate(arr)], dtype=bool)


def group_labels(values: object, n: int, name: str = "groups") -> tuple[np.ndarray, list]:
    """Group labels as an object array and the levels in order (categorical order if any).

    ``n`` is the number of durations the labels must match; every level must have a patient.
    Hash-based (``pandas.unique``, ``Index.get_indexer``): ``O(n)`` whatever the number of levels.
    """
    arr = as_1d(name, values)
    if arr.size != n:
        raise ValueError(f"durations and {name} must have the same length, got {n} and "
                         f"{arr.size}")
    missing = np.flatnonzero(pd.isna(arr))
    if missing.size:
        raise ValueError(f"{name} has a missing value at position {int(missing[0])}")
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        levels = list(values.cat.categories)
    else:
        seen = list(pd.unique(arr))
        try:
            levels = sorted(seen)
        except TypeError:
            levels = seen
    codes = level_codes(arr, levels)
    counts = np.bincount(codes[codes >= 0], minlength=len(levels))
    for level, count in zip(levels, counts, strict=True):
        if not count:
            raise ValueError(f"{name} level {level!r} has no patients")
    return arr, levels


def level_codes(labels: np.ndarray, levels: list) -> np.ndarray:
    """The position of each label in ``levels`` (``-1`` for a label not among them)."""
    return pd.Index(levels, dtype=object).get_indexer(labels)


def validate_survival_data(durations: object, events: object) -> tuple[np.ndarray, np.ndarray]:
    """Check and convert durations (finite, >= 0) and event flags (0/1 or bool).

    Returns ``(durations as float array, events as bool array)``; raises ``ValueError`` naming
    the argument, the offending value and its position.
    """
    t = durations_array(durations)
    e = events_array(events)
    if t.size != e.size:
        raise ValueError(f"durations and events must have the same length, got {t.size} and "
                         f"{e.size}")
    return t, e


def time_point(at: object, name: str = "at") -> float:
    """A finite, non-negative time as a float."""
    if isinstance(at, bool) or not isinstance(at, Real | np.number) or not math.isfinite(at):
        raise ValueError(f"{name} must be a finite number, got {at!r}")
    if at < 0:
        raise ValueError(f"{name} must be non-negative, got {at!r}")
    return float(at)
