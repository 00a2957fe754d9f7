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
    else:
        arr = np.asarray(list(values), dtype=object)
    if arr.size == 0:
        raise ValueError(f"{name} is empty: at least one patient is needed")
    return arr


def is_missing(v: object) -> bool:
    """True for ``None``, ``pd.NA``, ``pd.NaT`` and float NaN."""
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def durations_array(values: object, name: str = "durations") -> np.ndarray:
    """Finite, non-negative numbers as a float array."""
    arr = as_1d(name, values)
    out = np.empty(arr.size, dtype=float)
    for i, v in enumerate(arr):
        if is_missing(v):
            raise ValueError(f"{name} has a missing value (NaN) at position {i}")
        if isinstance(v, bool | np.bool_) or not isinstance(v, Real | np.number):
            raise ValueError(f"{name} must hold numbers, got {v!r} at position {i}")
        f = float(v)
        if not math.isfinite(f):
            raise ValueError(f"{name} must be finite, got {v!r} at position {i}")
        if f < 0:
            raise ValueError(f"{name} must be non-negative, got {v!r} at position {i}")
        out[i] = f
    return out


def events_array(values: object, name: str = "events") -> np.ndarray:
    """Event flags (booleans or 0/1) as a bool array."""
    arr = as_1d(name, values)
    out = np.empty(arr.size, dtype=bool)
    for i, v in enumerate(arr):
        if is_missing(v):
            raise ValueError(f"{name} has a missing value at position {i}")
        if isinstance(v, bool | np.bool_):
            out[i] = bool(v)
        elif isinstance(v, Real | np.number) and float(v) in (0.0, 1.0):
            out[i] = float(v) == 1.0
        else:
            raise ValueError(f"{name} must be 0/1 or boolean, got {v!r} at position {i}")
    return out


def group_labels(values: object, n: int, name: str = "groups") -> tuple[np.ndarray, list]:
    """Group labels as an object array and the levels in order (categorical order if any).

    ``n`` is the number of durations the labels must match; every level must have a patient.
    """
    arr = as_1d(name, values)
    if arr.size != n:
        raise ValueError(f"durations and {name} must have the same length, got {n} and "
                         f"{arr.size}")
    for i, v in enumerate(arr):
        if is_missing(v):
            raise ValueError(f"{name} has a missing value at position {i}")
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        levels = list(values.cat.categories)
    else:
        seen = list(dict.fromkeys(arr.tolist()))
        try:
            levels = sorted(seen)
        except TypeError:
            levels = seen
    for level in levels:
        if not np.any(arr == level):
            raise ValueError(f"{name} level {level!r} has no patients")
    return arr, levels


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
