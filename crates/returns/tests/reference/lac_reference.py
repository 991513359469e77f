"""Runs the DfE community SSDA903 validator (PyPI `csc-validator-be-903`, module
`lac_validator`) on a folder of CSV tables and prints the result in the shape
`pathways validate-903 --format json` prints, so the two can be compared.

usage: lac_reference.py YEAR DIR [PREVIOUS_DIR] [--rules CODE,CODE]
YEAR is the year the collection ends (2025 = the year ending 31 March 2025).
"""

import contextlib
import importlib
import io
import json
import logging
import sys
import time
from pathlib import Path


def main(argv):
    rules = None
    if "--rules" in argv:
        at = argv.index("--rules")
        rules = argv[at + 1].split(",")
        argv = argv[:at] + argv[at + 2 :]
    year, folder = int(argv[1]), Path(argv[2])
    previous = Path(argv[3]) if len(argv) > 3 else None
    logging.disable(logging.CRITICAL)

    import pandas as pd
    from lac_validator.lac_validator import LacValidator

    files = [
        {"name": p.name, "file_content": p.read_bytes(), "description": "This year"}
        for p in sorted(folder.glob("*.csv"))
    ]
    if previous is not None:
        files += [
            {"name": p.name, "file_content": p.read_bytes(), "description": "Prev year"}
            for p in sorted(previous.glob("*.csv"))
        ]
    ruleset = f"lac{year - 1}_{str(year)[2:]}"
    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    started = time.perf_counter()
    # Some rules print to stdout; keep it for the JSON.
    with contextlib.redirect_stdout(io.StringIO()):
        validator = LacValidator(
            metadata={"collectionYear": str(year), "localAuthority": "E09000027"},
            files=files,
            registry=registry,
            selected_rules=rules,
        )
    seconds = time.perf_counter() - started
    errors = []
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for column in frame.columns:
            if not str(column).startswith("ERR_"):
                continue
            code = column[4:]
            for row in frame.index[frame[column] == True]:  # noqa: E712
                child = frame.at[row, "CHILD"] if "CHILD" in frame.columns else None
                errors.append(
                    {
                        "table": table,
                        "row": int(row),
                        "code": code,
                        "child": None if pd.isna(child) else str(child),
                    }
                )
    errors.sort(key=lambda e: (e["code"], e["table"], e["row"]))
    print(
        json.dumps(
            {
                "rules_run": validator.dones,
                "rules_failed": validator.fails,
                "errors": errors,
                "seconds": seconds,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv)
