"""blina: the computations behind the replication book for Yin et al. (2024).

Yin J, Cai X, Qian B, Liu Y, Li D. Short-course blinatumomab treatment as a bridge to
further salvage therapy for relapsed/refractory B-ALL. Cancer Medicine 2024;13:e70515.
doi:10.1002/cam4.70515

One module per concept: ``data`` (loaders and schemas), ``cohort``, ``response``,
``survival``, ``safety``, ``audit`` (claim verdicts, inverse Kaplan-Meier), ``reconstruct``
(reconstructed survival times) and ``plots``.  The most used functions are re-exported
here and imported on first use, so ``import blina`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it (imported lazily on first attribute access)
_EXPORTS = {
    "load_cohort": "blina.data",
    "load_adverse_events": "blina.data",
    "load_claims": "blina.data",
    "load_comparators": "blina.data",
    "load_reconstructed_survival": "blina.reconstructed",
    "DataValidationError": "blina.data",
    "data_path": "blina.paths",
    "km_check": "blina.inverse_km",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'blina' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
