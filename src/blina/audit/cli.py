"""``python -m blina audit``: a verdict for every claim of the ledger, as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from blina.audit.engine import STATUSES, audit
from blina.audit.report import status_counts
from blina.data import load_claims

__all__ = ["add_arguments", "run"]

COLUMNS = ["claim_id", "section", "quote", "reported", "recomputed", "status", "basis",
           "explanation"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table",
                        help="output format (default: a text table)")
    parser.add_argument("--status", choices=STATUSES, help="only claims with this verdict")
    parser.add_argument("--section", help="only claims of this section (e.g. 3.4)")


def _print_table(table: pd.DataFrame) -> None:
    with pd.option_context("display.max_rows", None, "display.max_colwidth", 60,
                           "display.width", 200):
        print(table[["claim_id", "reported", "recomputed", "status"]].to_string(index=False))
    counts = status_counts(table)
    print("\n" + ", ".join(f"{k}: {v}" for k, v in counts.items()), f"(total {len(table)})")
    table_only = int((table["basis"] == "table").sum())
    if table_only:
        print(f"of which {table_only} consistent claims are table rows checked only for "
              "coherence with the table itself")


def run(args: argparse.Namespace) -> int:
    if args.section is not None:  # checked against the ledger before the (slower) audit
        sections = list(dict.fromkeys(load_claims()["section"].astype(str)))
        if args.section not in sections:
            print(f"audit: unknown section {args.section!r}; the ledger's sections are "
                  f"{', '.join(sections)}", file=sys.stderr)
            return 2
    table = audit()
    if args.section is not None:
        table = table[table.section.astype(str) == args.section]
    if args.status:
        table = table[table.status == args.status]
    if args.format == "json":
        records = table[COLUMNS].astype({"status": str, "section": str}).to_dict(
            orient="records")
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.format == "csv":
        table[COLUMNS].to_csv(sys.stdout, index=False)
    else:
        _print_table(table)
    return 0
