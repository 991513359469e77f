"""Runs the DfE validator and Pathways on the same return and prints where they
differ, rule by rule. For working on rules; the parity test does this at scale.

usage: compare.py PYTHON_WITH_LAC_VALIDATOR PATHWAYS_VALIDATE_EXAMPLE YEAR DIR [PREVIOUS_DIR] [--rules CODE,...]
Exit status 1 when they differ.
"""

import json
import subprocess
import sys
from pathlib import Path


def main(argv):
    python, ours, rest = argv[1], argv[2], argv[3:]
    here = Path(__file__).parent
    reference = json.loads(
        subprocess.run(
            [python, str(here / "lac_reference.py"), *rest], check=True, capture_output=True, text=True
        ).stdout
    )
    pathways = json.loads(subprocess.run([ours, *rest], check=True, capture_output=True, text=True).stdout)
    codes = set(pathways["rules_run"]) | set(pathways.get("rules_failed", []))
    if "--rules" not in rest:
        # Compare only the rules Pathways has so far.
        codes = codes | {e["code"] for e in pathways["errors"]}
    differ = False
    for code in sorted(codes | (set(reference["rules_run"]) if "--rules" in rest else set())):
        if code in reference.get("rules_failed", []):
            # The reference crashed on this return: there is nothing to compare with.
            print(f"{code}: the reference's own rule failed on this return; not compared")
            continue
        ref = {(e["table"], e["row"]) for e in reference["errors"] if e["code"] == code}
        got = {(e["table"], e["row"]) for e in pathways["errors"] if e["code"] == code}
        ran_ref = code in reference["rules_run"]
        ran_got = code in pathways["rules_run"]
        if ref != got or ran_ref != ran_got:
            differ = True
            print(f"{code}: reference ran={ran_ref} pathways ran={ran_got}")
            print(f"  only reference: {sorted(ref - got)[:20]}")
            print(f"  only pathways:  {sorted(got - ref)[:20]}")
    if "rules_failed" in reference and reference["rules_failed"]:
        print(f"reference failed to run: {reference['rules_failed']}")
    if not differ:
        print(f"same results for {len(codes)} rules")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
