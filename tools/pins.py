"""Print the pip section of environment.yml as a pip requirements file.

environment.yml is the project's single source of pinned versions.  Binder reads it with
conda; locally there is no conda, so ``make venv`` feeds this script's output to pip.
It runs on the bare system Python before any package is installed, so it parses the small
subset of YAML that environment.yml uses (a ``- pip:`` list of plain strings) by hand;
tests/test_environment.py checks that this parse equals PyYAML's.

Usage: python tools/pins.py [environment.yml]  >  requirements.txt
"""

from __future__ import annotations

import sys
from pathlib import Path


def pip_requirements(path: str | Path = "environment.yml") -> list[str]:
    """Return the entries of the ``pip:`` list in ``path``, in file order."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    reqs: list[str] = []
    indent = None
    for raw in lines:
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        stripped = line.strip()
        if indent is None:
            if stripped == "- pip:":
                indent = len(line) - len(line.lstrip())
            continue
        if len(line) - len(line.lstrip()) <= indent:
            break
        if not stripped.startswith("- "):
            raise SystemExit(f"{path}: unexpected line in the pip section: {raw!r}")
        reqs.append(stripped[2:].strip())
    if indent is None:
        raise SystemExit(f"{path}: no '- pip:' section found")
    return reqs


if __name__ == "__main__":
    for req in pip_requirements(sys.argv[1] if len(sys.argv) > 1 else "environment.yml"):
        print(req)
