#!/usr/bin/env python3
"""SSDA903 validation speed and memory: Pathways against the DfE's community
validator (`csc-validator-be-903`, module `lac_validator`) on synthetic returns of
1,000, 10,000 and 50,000 children (this year's return and last year's).

Usage: bench/validate_903.py [--sizes 1000,10000,50000] [--year 2026] [--seed 1]
           [--error-rate 0.02] [--python PATH] [--skip-reference-above N]
           [--work DIR] [--no-build] [--repeat N]

The returns are written by the `synthetic_903` example and validated by the
`validate_903` example (release builds), each in its own process, timed by wall
clock with its peak resident memory (`wait4`); Pathways' time is the median of
`--repeat` runs (default 5), the reference's a single run. The reference is run through
`crates/returns/tests/reference/lac_reference.py`; its own count of seconds
(validation only, without loading pandas and the rules) is shown beside the wall
clock. It runs as the validator does itself (`--shared`: every rule on the same
tables), not with the parity test's copy per rule. It takes minutes at 50,000 children: `--skip-reference-above 10000` leaves
it out there. PYTHON defaults to $PATHWAYS_LAC_PYTHON, then python3. Standard
library only.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REFERENCE = os.path.join(ROOT, "crates", "returns", "tests", "reference", "lac_reference.py")


def measured(command):
    """Runs `command`; returns (wall seconds, peak RSS in MB, stdout).

    The command is started by a fresh, small Python process (this script with
    `--measure`), not by this one: a child counts the memory of the process that
    started it until it runs its own program, and this process holds the last
    results, which would be taken for the command's peak."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as figures:
        process = subprocess.run([sys.executable, os.path.abspath(__file__), "--measure", figures.name, "--",
                                  *command], stdout=out, stderr=err)
        if process.returncode != 0:
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
            sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
        seconds, peak_kb = figures.read().split()
        out.seek(0)
        return float(seconds), int(peak_kb) / 1024, out.read().decode("utf-8", "replace")


def measure(figures, command):
    """Runs `command` with this process's output, and writes its wall seconds and
    peak RSS (kB) to the file `figures`; exits with the command's status."""
    started = time.perf_counter()
    process = subprocess.Popen(command)
    # wait4 gives this child's own peak memory (RUSAGE_CHILDREN would give the
    # largest of all children so far).
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    with open(figures, "w") as f:
        f.write(f"{seconds} {usage.ru_maxrss}\n")
    sys.exit(os.waitstatus_to_exitcode(status))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--error-rate", type=float, default=0.02)
    parser.add_argument("--python", default=os.environ.get("PATHWAYS_LAC_PYTHON", "python3"))
    parser.add_argument("--skip-reference-above", type=int, default=None, metavar="N")
    parser.add_argument("--work", default=None, help="folder for the returns (default: a temporary one)")
    parser.add_argument("--no-build", action="store_true", help="use the release examples already built")
    parser.add_argument("--repeat", type=int, default=5, help="runs of Pathways per size (median reported)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    examples = os.path.join(target, "release", "examples")
    if not args.no_build:
        subprocess.run(
            ["cargo", "build", "--release", "-p", "pathways-returns",
             "--example", "synthetic_903", "--example", "validate_903"],
            cwd=ROOT, check=True,
        )
    generate = os.path.join(examples, "synthetic_903")
    validate = os.path.join(examples, "validate_903")

    work = args.work or tempfile.mkdtemp(prefix="pathways-903-bench-")
    rows = []
    for size in sizes:
        folder = os.path.join(work, f"{args.year}-{size}")
        if not os.path.isdir(folder):
            subprocess.run([generate, str(size), str(args.year), str(args.seed), folder, str(args.error_rate)],
                           check=True, stdout=subprocess.DEVNULL)
        previous = os.path.join(folder, "previous")
        with open(os.path.join(folder, "episodes.csv")) as f:
            episodes = sum(1 for _ in f) - 1
        # Pathways' runs are short, so one busy moment on a shared machine moves them a
        # lot: the median of several runs (peak memory is the largest seen).
        runs = [measured([validate, str(args.year), folder, previous]) for _ in range(args.repeat)]
        ours_s = sorted(r[0] for r in runs)[len(runs) // 2]
        ours_mb = max(r[1] for r in runs)
        ours_out = runs[0][2]
        ours = json.loads(ours_out)
        if args.skip_reference_above is not None and size > args.skip_reference_above:
            ref_s = ref_mb = ref_own = None
            ref_errors = None
        else:
            ref_s, ref_mb, ref_out = measured([args.python, REFERENCE, str(args.year), folder, previous, "--shared"])
            reference = json.loads(ref_out)
            ref_own = reference["seconds"]
            ref_errors = len(reference["errors"])
        rows.append((size, episodes, ref_s, ref_own, ours_s, ref_mb, ours_mb, ref_errors, len(ours["errors"]),
                     len(ours["rules_run"])))
        print(f"{size} children done", file=sys.stderr)

    print(f"SSDA903 {args.year - 1}-{str(args.year)[2:]}, seed {args.seed}, error rate {args.error_rate}, "
          f"returns in {work}")
    print(f"{'children':>9} {'episodes':>9} {'reference s':>12} {'(validating)':>13} {'Pathways s':>11} "
          f"{'ratio':>7} {'reference MB':>13} {'Pathways MB':>12} {'rules':>6} {'errors ref/ours':>16}")
    for size, episodes, ref_s, ref_own, ours_s, ref_mb, ours_mb, ref_errors, our_errors, rules in rows:
        def show(value, spec):
            return format(value, spec) if value is not None else "-"
        ratio = f"{ref_s / ours_s:7.0f}" if ref_s is not None else f"{'-':>7}"
        print(f"{size:>9} {episodes:>9} {show(ref_s, '12.2f'):>12} {show(ref_own, '13.2f'):>13} {ours_s:11.3f} "
              f"{ratio} {show(ref_mb, '13.0f'):>13} {ours_mb:12.0f} {rules:>6} "
              f"{show(ref_errors, 'd') + '/' + str(our_errors):>16}")
    print("ratio: reference wall clock / Pathways wall clock. errors: (table, row, rule) flagged by all the rules "
          "together; they differ where Pathways has not got a rule (or the postcode lookup) and where the "
          "validator's rule 365 changes the tables the rules after it see (see lac_reference.py).")


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--measure" and sys.argv[3] == "--":
        measure(sys.argv[2], sys.argv[4:])
    main()
