"""Command line: ``python -m blina COMMAND`` (also installed as ``blina``).

Each command lives in the module that owns its concept and exposes
``add_arguments(parser)`` and ``run(args) -> int``; this file only dispatches.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from blina import __version__

# command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("blina.audit.cli",
              "a verdict for every numeric claim of the paper (data/claims.csv)"),
    "km-check": ("blina.inverse_km.cli", "is a printed Kaplan–Meier estimate and CI possible, "
                 "and with how many events? (one figure or a CSV table)"),
    "reconstruct": ("blina.reconstruction.cli", "rebuild data/reconstructed_survival.csv, the "
                    "RECONSTRUCTED survival times (CP-SAT; --check compares)"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m blina",
        description="Replication tools for Yin et al. (2024), short-course blinatumomab.",
    )
    parser.add_argument("--version", action="version", version=f"blina {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module)
        importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return importlib.import_module(args._module).run(args)


if __name__ == "__main__":
    sys.exit(main())
