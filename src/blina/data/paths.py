"""Where the project's data files live.

The package is installed editable from the repository (``pip install -e .``), so the data
directory is found relative to this file: ``<repo>/data``.  Set ``BLINA_DATA_DIR`` to
point the loaders somewhere else (tests use this to load corrupted copies).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    """Return the data directory (``$BLINA_DATA_DIR`` or ``<repo>/data``)."""
    env = os.environ.get("BLINA_DATA_DIR")
    return Path(env) if env else REPO_ROOT / "data"


def data_path(name: str) -> Path:
    """Return the path of a file in the data directory, failing clearly if it is absent."""
    path = data_dir() / name
    if not path.is_file():
        raise FileNotFoundError(
            f"data file not found: {path} (is the blina package installed editable from "
            f"the repository, or BLINA_DATA_DIR set to the folder holding {name}?)"
        )
    return path
