"""blina: the computations behind the replication book for Yin et al. (2024).

Yin J, Cai X, Qian B, Liu Y, Li D. Short-course blinatumomab treatment as a bridge to
further salvage therapy for relapsed/refractory B-ALL. Cancer Medicine 2024;13:e70515.
doi:10.1002/cam4.70515

Layers, each a folder, arrows pointing down (a layer imports only the ones listed after it):

- ``plots``          figures drawn from what the layers below computed;
- ``audit``          one verdict for every claim of the paper;
- ``reconstruction`` RECONSTRUCTED patient-level survival times;
- ``inverse_km``     every risk-set sequence behind a printed Kaplan–Meier figure;
- ``cohort``         the patients, their groups, the paper's figure registry, response, safety;
- ``stats``          Kaplan–Meier, log-rank, binomial intervals, printed-number rounding;
- ``data``           the data files, their schemas and loaders;
- ``study``          the study's facts (cut-off, enrolment, month length, thresholds).

The most used functions are re-exported here and imported on first use, so ``import blina``
stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it (imported lazily on first attribute access)
_EXPORTS = {
    "load_cohort": "blina.data.files",
    "load_adverse_events": "blina.data.files",
    "load_claims": "blina.data.files",
    "load_comparators": "blina.data.files",
    "load_patient_notes": "blina.data.files",
    "load_reconstructed_survival": "blina.reconstruction.files",
    "DataValidationError": "blina.data.validation",
    "data_path": "blina.data.paths",
    "km_risk_sets": "blina.inverse_km",
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
