"""``python -m blina reconstruct``: regenerate (or ``--check``) the RECONSTRUCTED times."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd

from blina.reconstruction.files import FILENAME, write_csv

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help=f"output CSV (default: data/{FILENAME})")
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temporary file and compare with the committed "
                             "one (exit 1 if they differ)")


def _report_unmet(times: pd.DataFrame) -> None:
    from blina.data.files import load_cohort
    from blina.reconstruction.evaluate import evaluate

    table = evaluate(load_cohort().merge(times, on="patient"))
    print(f"{int(table['met'].sum())} of {len(table)} published survival figures met; not met:")
    for r in table[~table["met"]].itertuples():
        print(f"  {r.claim_id} [{r.figure}, tier {r.tier}]: published {r.published}, "
              f"reconstructed {r.reconstructed}")


def run(args: argparse.Namespace) -> int:
    from blina.data.paths import data_dir
    from blina.reconstruction import solve

    target = args.out or data_dir() / FILENAME
    result = solve.reconstruct(progress=lambda msg: print(msg, flush=True))
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = write_csv(result.times, Path(tmp) / FILENAME)
            same = target.is_file() and fresh.read_bytes() == target.read_bytes()
        print(f"{target}: {'identical' if same else 'DIFFERS from the regenerated file'} "
              f"({result.seconds:.1f} s)")
        return 0 if same else 1
    write_csv(result.times, target)
    print(f"wrote {target} ({result.seconds:.1f} s); RECONSTRUCTED times, see "
          "blina.reconstruction")
    _report_unmet(result.times)
    return 0
