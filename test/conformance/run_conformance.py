#!/usr/bin/python3
"""Run the ONNX backend test data through `motec run` and check it against a list of expected failures.

    /usr/bin/python3 test/conformance/run_conformance.py --motec build/bin/motec \\
        [--data /usr/share/libonnx-testdata/data] [--folders node,simple,...] [--filter REGEX] \\
        [--jobs 2] [--timeout 60] [--expectations FILE] [--update] [--verbose] [--json FILE]

Every test directory (model.onnx, test_data_set_N/{input,output}_K.pb) of the chosen folders runs
once per data set: `motec run model.onnx --inputs test_data_set_N --output-dir TMP --quiet`. The
outputs are compared as ONNX's backend runner does (onnx/backend/test/runner: same dtype, then
numpy's assert_allclose with rtol=1e-3, atol=1e-7 and NaN equal to NaN), except that shapes must match
exactly and integers and booleans must be equal. A test passes when all of its data sets pass.

Failures are classified:
  IMPORT    motec failed before running (the importer or the compiler rejected the model);
  RUN       the model compiled but the reference target failed while running it;
  MISMATCH  outputs differ (count, dtype, shape or values; the max abs/rel error is kept);
  CRASH     a signal, an exit code above 1, an LLVM crash report or a timeout.

The expectations file lists the tests that are not expected to pass, one per line,
`folder/test_name: reason`. The run fails (exit 1) on any unexpected failure, on any listed test
that passes (so the list stays true) and on any crash, listed or not. `--update` rewrites the file
from this run's results: existing reasons are kept, new entries get a generated reason (the failure
class and the first line of the message) for a human to edit.
"""
import argparse
import concurrent.futures
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import numpy_helper

FOLDERS = ["node", "simple", "pytorch-converted", "pytorch-operator"]
# onnx/backend/test/loader and case/node: every test of these folders uses the defaults.
RTOL = 1e-3
ATOL = 1e-7


# ---------------------------------------------------------------------------------------------
# Running one test
# ---------------------------------------------------------------------------------------------

def data_sets(test_dir):
    sets = []
    for entry in os.listdir(test_dir):
        m = re.fullmatch(r"test_data_set_(\d+)", entry)
        if m and os.path.isdir(os.path.join(test_dir, entry)):
            sets.append((int(m.group(1)), os.path.join(test_dir, entry)))
    return [path for _, path in sorted(sets)]


def numbered_files(folder, prefix):
    found = {}
    for entry in os.listdir(folder):
        m = re.fullmatch(prefix + r"_(\d+)\.pb", entry)
        if m:
            found[int(m.group(1))] = os.path.join(folder, entry)
    return [found[k] for k in sorted(found)]


def load_tensor(path):
    t = onnx.TensorProto()
    with open(path, "rb") as fh:
        t.ParseFromString(fh.read())
    return numpy_helper.to_array(t)


def first_error_line(text):
    """The first `error:` line of motec's stderr (else its first non-empty line)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if "error:" in line:
            return line
    return lines[0] if lines else ""


class Completed:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run_motec(args, timeout):
    """Runs motec in its own process group, so that a timeout kills everything it started; returns
    a Completed, or None on timeout."""
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, errors="replace",
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=max(0.1, timeout))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None
    return Completed(proc.returncode, stdout, stderr)


def is_crash(proc):
    if proc.returncode < 0 or proc.returncode > 1:
        return True
    return "PLEASE submit a bug report" in proc.stderr or "Stack dump:" in proc.stderr


def crash_message(proc):
    if proc.returncode < 0:
        try:
            name = signal.Signals(-proc.returncode).name
        except ValueError:
            name = str(-proc.returncode)
        what = f"killed by {name}"
    else:
        what = f"exit code {proc.returncode}"
    detail = first_error_line(proc.stderr)
    return what + (f": {detail}" if detail else "")


def compare_output(expected, actual):
    """None when `actual` matches, else (message, max_abs, max_rel)."""
    if expected.dtype != actual.dtype:
        return f"dtype {actual.dtype}, expected {expected.dtype}", None, None
    if expected.shape != actual.shape:
        return f"shape {list(actual.shape)}, expected {list(expected.shape)}", None, None
    if expected.size == 0:
        return None
    if expected.dtype == object:
        if np.array_equal(expected, actual):
            return None
        return "string values differ", None, None
    if not np.issubdtype(expected.dtype, np.floating):
        bad = expected != actual
        if not bad.any():
            return None
        diff = np.abs(expected.astype(np.float64) - actual.astype(np.float64))
        return f"{int(bad.sum())} of {expected.size} elements differ", float(diff.max()), None
    e = expected.astype(np.float64)
    a = actual.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.isclose(a, e, rtol=RTOL, atol=ATOL, equal_nan=True)
        # isclose calls inf == inf close; a sign or position difference in infinities is not.
        close &= ~(np.isinf(e) ^ np.isinf(a)) | (np.isnan(e) & np.isnan(a))
    if close.all():
        return None
    bad = ~close
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        diff = np.abs(a - e)
        rel = diff / np.maximum(np.abs(e), np.finfo(np.float64).tiny)
    finite = bad & np.isfinite(diff)
    max_abs = float(diff[finite].max()) if finite.any() else float("inf")
    max_rel = float(rel[finite].max()) if finite.any() else float("inf")
    return (f"{int(bad.sum())} of {expected.size} elements differ, max abs error {max_abs:.3g}, "
            f"max rel error {max_rel:.3g}"), max_abs, max_rel


def graph_inputs(model_path):
    """The model's graph inputs that are not initializers, by name, in order."""
    model = onnx.load(model_path, load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    return [i.name for i in model.graph.input if i.name not in initializers]


def classify_exit1(motec, model, data_set, proc, deadline):
    """IMPORT or RUN for a `motec run` that exited 1: compiling alone tells which side failed."""
    message = first_error_line(proc.stderr)
    try:
        names = graph_inputs(model)
    except Exception:  # noqa: BLE001 - an unreadable model is the importer's failure
        return "IMPORT", message
    args = [motec, "compile", model, "-o", os.devnull, "--quiet"]
    for name, path in zip(names, numbered_files(data_set, "input")):
        try:
            shape = load_tensor(path).shape
        except Exception:  # noqa: BLE001
            return "IMPORT", message
        args.append(f"--input-shape={name}:" + "x".join(str(d) for d in shape))
    compiled = run_motec(args, max(1.0, deadline - time.monotonic()))
    if compiled is None:
        return "IMPORT", message
    if is_crash(compiled):
        return "CRASH", "motec compile: " + crash_message(compiled)
    return ("IMPORT" if compiled.returncode != 0 else "RUN"), message


def run_test(job):
    """Runs one test directory; returns a result dict (status PASS or a failure class)."""
    key, test_dir, motec, timeout = job
    start = time.monotonic()
    deadline = start + timeout
    model = os.path.join(test_dir, "model.onnx")
    result = {"test": key, "status": "PASS", "message": "", "max_abs": None, "max_rel": None}

    def finish(status, message, max_abs=None, max_rel=None):
        result.update(status=status, message=message, max_abs=max_abs, max_rel=max_rel)
        result["seconds"] = time.monotonic() - start
        return result

    sets = data_sets(test_dir)
    if not sets:
        return finish("IMPORT", "test has no test_data_set_N folder")
    for data_set in sets:
        where = "" if len(sets) == 1 else os.path.basename(data_set) + ": "
        with tempfile.TemporaryDirectory(prefix="mote-conformance-") as out_dir:
            args = [motec, "run", model, "--inputs", data_set, "--output-dir", out_dir, "--quiet"]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return finish("CRASH", f"timeout: more than {timeout:g} s")
            proc = run_motec(args, remaining)
            if proc is None:
                return finish("CRASH", f"timeout: more than {timeout:g} s")
            if is_crash(proc):
                return finish("CRASH", where + crash_message(proc))
            if proc.returncode != 0:
                status, message = classify_exit1(motec, model, data_set, proc, deadline)
                return finish(status, where + message)
            expected_files = numbered_files(data_set, "output")
            actual_files = numbered_files(out_dir, "output")
            if len(actual_files) != len(expected_files):
                return finish("MISMATCH", f"{where}{len(actual_files)} outputs, expected "
                                          f"{len(expected_files)}")
            for k, (exp_path, act_path) in enumerate(zip(expected_files, actual_files)):
                try:
                    expected = load_tensor(exp_path)
                except Exception as e:  # noqa: BLE001 - test data the runner cannot read
                    return finish("IMPORT", f"{where}cannot read expected output_{k}: {e}")
                try:
                    actual = load_tensor(act_path)
                except Exception as e:  # noqa: BLE001 - motec wrote a broken file
                    return finish("MISMATCH", f"{where}cannot read motec's output_{k}: {e}")
                bad = compare_output(expected, actual)
                if bad is not None:
                    message, max_abs, max_rel = bad
                    return finish("MISMATCH", f"{where}output_{k}: {message}", max_abs, max_rel)
    return finish("PASS", "")


# ---------------------------------------------------------------------------------------------
# Expectations
# ---------------------------------------------------------------------------------------------

def read_expectations(path):
    """{folder/test: reason} in file order; '#' comments and blank lines are ignored."""
    expected = {}
    if not path or not os.path.exists(path):
        return expected
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, sep, reason = line.partition(":")
            if not sep or "/" not in key:
                sys.exit(f"run_conformance: error: {path}:{number}: expected 'folder/test_name: reason'")
            expected[key.strip()] = reason.strip()
    return expected


HEADER = """\
# ONNX backend tests (ONNX 1.12, libonnx-testdata) that Mote is not expected to pass, one per line:
#   folder/test_name: reason
# test/conformance/run_conformance.py fails on a test that fails without being listed here and on a
# listed test that passes; `--update` rewrites this file from a run and keeps the reasons.
"""


def generated_reason(result):
    message = result["message"].replace("\n", " ").strip()
    message = re.sub(r"^motec: error: ", "", message)
    return f"{result['status']}: {message}"[:240]


def write_expectations(path, old, results, selected):
    """Keeps entries outside this run's selection; within it, lists exactly the failing tests."""
    entries = {k: v for k, v in old.items() if k not in selected}
    for r in results:
        if r["status"] != "PASS":
            entries[r["test"]] = old.get(r["test"]) or generated_reason(r)
    order = {f: i for i, f in enumerate(FOLDERS)}

    def sort_key(k):
        folder, _, name = k.partition("/")
        return (order.get(folder, len(order)), folder, name)

    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        folder = None
        for key in sorted(entries, key=sort_key):
            if key.partition("/")[0] != folder:
                folder = key.partition("/")[0]
                fh.write(f"\n# {folder}\n")
            fh.write(f"{key}: {entries[key]}\n")


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

def collect(data, folders, pattern):
    tests = []
    for folder in folders:
        root = os.path.join(data, folder)
        if not os.path.isdir(root):
            sys.exit(f"run_conformance: error: no folder {root}")
        for name in sorted(os.listdir(root)):
            test_dir = os.path.join(root, name)
            key = f"{folder}/{name}"
            if not os.path.isfile(os.path.join(test_dir, "model.onnx")):
                continue
            if pattern and not pattern.search(key):
                continue
            tests.append((key, test_dir))
    return tests


def main():
    # Piped into head or less, stop quietly rather than with a BrokenPipeError.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--motec", default=os.path.join(here, "..", "..", "build", "bin", "motec"))
    parser.add_argument("--data", default="/usr/share/libonnx-testdata/data")
    parser.add_argument("--folders", default=",".join(FOLDERS),
                        help="comma-separated folders of --data (default: %(default)s)")
    parser.add_argument("--filter", help="only tests whose folder/test_name matches this regex")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per test")
    parser.add_argument("--expectations", default=os.path.join(here, "expectations.txt"))
    parser.add_argument("--update", action="store_true",
                        help="rewrite --expectations from this run's results")
    parser.add_argument("--verbose", action="store_true", help="print every test's result")
    parser.add_argument("--json", help="write every test's result to this file")
    args = parser.parse_args()

    motec = os.path.abspath(args.motec)
    if not os.access(motec, os.X_OK):
        sys.exit(f"run_conformance: error: motec not found at {motec}")
    folders = [f for f in args.folders.split(",") if f]
    pattern = re.compile(args.filter) if args.filter else None
    tests = collect(args.data, folders, pattern)
    expectations = read_expectations(args.expectations)

    begin = time.monotonic()
    jobs = [(key, test_dir, motec, args.timeout) for key, test_dir in tests]
    results = []
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for r in pool.map(run_test, jobs, chunksize=4):
            results.append(r)
            if args.verbose:
                line = f"{r['status']:8} {r['test']}"
                print(line + (f": {r['message']}" if r["message"] else ""), flush=True)
    elapsed = time.monotonic() - begin

    # Per folder: passed, expected failures, unexpected failures, unexpected passes.
    stats = {f: [0, 0, 0, 0] for f in folders}
    unexpected_fail, unexpected_pass = [], []
    classes = {}
    for r in results:
        folder = r["test"].partition("/")[0]
        listed = r["test"] in expectations
        if r["status"] == "PASS":
            if listed:
                stats[folder][3] += 1
                unexpected_pass.append(r)
            else:
                stats[folder][0] += 1
        else:
            classes[r["status"]] = classes.get(r["status"], 0) + 1
            if listed and r["status"] != "CRASH":
                stats[folder][1] += 1
            else:
                stats[folder][2] += 1
                unexpected_fail.append(r)
    # Listed tests that no longer exist make the list untrue as well (only checked on full runs).
    selected = {key for key, _ in tests}
    stale = []
    if not pattern:
        stale = sorted(k for k in expectations
                       if k.partition("/")[0] in folders and k not in selected)

    for r in unexpected_fail:
        extra = r["message"]
        print(f"UNEXPECTED {r['status']}: {r['test']}: {extra}")
    for r in unexpected_pass:
        print(f"UNEXPECTED PASS: {r['test']} (listed: {expectations[r['test']]})")
    for key in stale:
        print(f"STALE EXPECTATION: {key} is listed but is not a test")

    print()
    print(f"{'folder':20} {'passed':>7} {'exp-fail':>9} {'unexp-fail':>11} {'unexp-pass':>11}")
    totals = [0, 0, 0, 0]
    for folder in folders:
        s = stats[folder]
        totals = [a + b for a, b in zip(totals, s)]
        print(f"{folder:20} {s[0]:7} {s[1]:9} {s[2]:11} {s[3]:11}")
    print(f"{'total':20} {totals[0]:7} {totals[1]:9} {totals[2]:11} {totals[3]:11}")
    print("failure classes: " + (", ".join(f"{c} {n}" for c, n in sorted(classes.items())) or "none"))
    print(f"{len(results)} tests in {elapsed:.1f} s with {args.jobs} jobs")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1)
    if args.update:
        write_expectations(args.expectations, expectations, results, selected)
        print(f"updated {args.expectations}")

    passed = totals[0]
    failed = len(unexpected_fail) + len(unexpected_pass) + len(stale)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
