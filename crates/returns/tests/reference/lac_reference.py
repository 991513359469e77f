"""Runs the DfE community SSDA903 validator (PyPI `csc-validator-be-903`, module
`lac_validator`) on a folder of CSV tables and prints the result in the shape
`pathways validate-903 --format json` prints, so the two can be compared.

usage: lac_reference.py YEAR DIR [PREVIOUS_DIR] [--rules CODE,CODE] [--shared]
       lac_reference.py --batch [--shared] < CASES
YEAR is the year the collection ends (2025 = the year ending 31 March 2025).

Each rule sees the tables as read. The validator itself hands every rule a shallow
copy of the same tables, and some rules change them in place: rule 365 fills every
blank DEC with the collection's last day, so every rule that runs after it sees
open episodes as ended on 31 March. Which rules run after 365 is the order Python
lists the rule files in on the machine it is installed on, so a full run's result
depends on the machine. `--shared` keeps the validator's own behaviour for looking
into that; without it each rule gets a deep copy and a rule's result is the same
whether it runs alone (`--rules`) or with the rest.

With --batch, each line of standard input is `YEAR DIR [PREVIOUS_DIR]` and each
result is printed as one line of JSON as soon as it is ready, so many returns are
validated for the price of one start-up (loading pandas and the rules takes seconds).
A return the validator cannot read at all gives {"error": "..."}.
"""

import contextlib
import importlib
import io
import json
import logging
import sys
import time
import warnings
from pathlib import Path


def isolate_rules():
    """Each rule gets its own deep copy of the tables (see the module notes)."""
    import lac_validator.lac_validator as engine

    def deep_copy(data_store):
        return {k: v.copy(deep=True) if k != "metadata" else v for k, v in data_store.items()}

    engine.copy_datastore = deep_copy


def run(year, folder, previous, rules):
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
    # Some rules print to stdout (and pandas warns on stderr); keep stdout for the JSON.
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
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
    return {
        "rules": sorted(str(code) for code in registry),
        "rules_run": validator.dones,
        "rules_failed": validator.fails,
        "errors": errors,
        "seconds": seconds,
    }


def main(argv):
    if "--shared" in argv:
        argv = [a for a in argv if a != "--shared"]
    else:
        isolate_rules()
    rules = None
    if "--rules" in argv:
        at = argv.index("--rules")
        rules = argv[at + 1].split(",")
        argv = argv[:at] + argv[at + 2 :]
    logging.disable(logging.CRITICAL)
    if len(argv) > 1 and argv[1] == "--batch":
        for line in sys.stdin:
            parts = line.split()
            if not parts:
                continue
            previous = Path(parts[2]) if len(parts) > 2 else None
            try:
                result = run(int(parts[0]), Path(parts[1]), previous, rules)
            except Exception as e:  # a return the validator cannot read at all
                result = {"error": f"{type(e).__name__}: {e}"}
            print(json.dumps(result), flush=True)
        return
    year, folder = int(argv[1]), Path(argv[2])
    previous = Path(argv[3]) if len(argv) > 3 else None
    print(json.dumps(run(year, folder, previous, rules)))


if __name__ == "__main__":
    main(sys.argv)
