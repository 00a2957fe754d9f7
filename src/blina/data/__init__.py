"""The data layer: where the files are, how they are validated, and their loaders.

- :mod:`blina.data.paths` — the data directory (``$BLINA_DATA_DIR`` or ``<repo>/data``);
- :mod:`blina.data.validation` — text schema → typed frame → typed schema, with errors that
  name file, line, row and column (:class:`DataValidationError`);
- :mod:`blina.data.files` — the published files and their loaders (``load_cohort`` ...);
- :mod:`blina.data.frames` — the argument check every table function uses
  (:func:`require_columns`).
"""

from blina.data.files import (
    load_adverse_events,
    load_claims,
    load_cohort,
    load_comparators,
    load_patient_notes,
)
from blina.data.frames import require_columns
from blina.data.paths import data_dir, data_path
from blina.data.validation import DataValidationError

__all__ = [
    "DataValidationError",
    "data_dir",
    "data_path",
    "load_adverse_events",
    "load_claims",
    "load_cohort",
    "load_comparators",
    "load_patient_notes",
    "require_columns",
]
