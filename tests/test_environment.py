"""The local .venv and Binder's environment.yml cannot drift apart.

environment.yml is the single place where versions are pinned.  Locally, tools/pins.py feeds
its pip section to pip; Binder gives the same file to conda.  These tests fail when a package is
pinned in one place and not the other, when a dependency is left unpinned, or when the installed
version differs from its pin.
"""

from __future__ import annotations

import importlib.metadata as md
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ENV = ROOT / "environment.yml"

TOOLS = ROOT / "tools"


def _pins_module():
    # run it as the Makefile does (before .venv exists) and parse its output
    out = subprocess.run([sys.executable, str(TOOLS / "pins.py"), str(ENV)],
                         check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line]


def _yaml_pip_section() -> list[str]:
    env = yaml.safe_load(ENV.read_text(encoding="utf-8"))
    pips = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pips) == 1, "environment.yml must have exactly one pip section"
    return pips[0]


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pinned() -> dict[str, str]:
    pins = {}
    for req in _yaml_pip_section():
        if req == "-e .":
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", req)
        assert m, f"environment.yml pip entry {req!r} is not an exact pin (name==version)"
        pins[_canon(m.group(1))] = m.group(2)
    return pins


def test_local_parser_reads_exactly_what_conda_reads():
    assert _pins_module() == _yaml_pip_section()


def test_environment_is_binder_ready():
    env = yaml.safe_load(ENV.read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]
    pip = _yaml_pip_section()
    assert "-e ." in pip, "Binder must install the blina package itself"
    pins = _pinned()
    assert pins["jupyter-book"] == "1.0.4.post1"
    assert "jupytext" in pins, "jupytext makes .md chapters open as notebooks in JupyterLab"
    major = int(pins["pandas"].split(".")[0])
    assert major < 3, "lifelines needs pandas < 3"


def test_every_package_dependency_is_pinned_in_environment_yml():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _pinned()
    for dep in project["dependencies"]:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+", dep), (
            f"pyproject.toml dependency {dep!r} carries a version: pin it in environment.yml only")
        assert _canon(dep) in pins, (
            f"pyproject.toml depends on {dep!r}, not pinned in environment.yml")


def test_installed_versions_equal_the_pins():
    mismatches = {}
    for name, version in _pinned().items():
        try:
            installed = md.version(name)
        except md.PackageNotFoundError:
            installed = None
        if installed != version:
            mismatches[name] = (version, installed)
    assert not mismatches, f"pinned vs installed differ (run `make venv`): {mismatches}"


def test_no_second_place_pins_versions():
    for extra in ["requirements.txt", "requirements-dev.txt", "setup.cfg", "setup.py", "Pipfile"]:
        assert not (ROOT / extra).exists(), f"{extra} would be a second place to pin versions"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make book" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M), ".ci/run must call `make test`"
