"""Code quality gates that belong in the suite: ruff, the CLI help, the package version."""

from __future__ import annotations

import subprocess
import sys

from booktools import ROOT


def test_ruff_is_clean():
    paths = ["src", "tests", "tools", "bench"]
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", *paths], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cli_help_lists_commands():
    proc = subprocess.run([sys.executable, "-m", "blina", "--help"], capture_output=True,
                          text=True, check=True)
    assert "usage: python -m blina" in proc.stdout
    from blina.__main__ import COMMANDS

    for name in COMMANDS:
        assert name in proc.stdout


def test_version():
    import blina

    assert blina.__version__.count(".") == 2
