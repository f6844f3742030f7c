#!/usr/bin/python3
"""Compare two directories of ONNX backend-test outputs (output_K.pb).

    /usr/bin/python3 scripts/ort/compare.py EXPECTED_DIR ACTUAL_DIR [--rtol 1e-3] [--atol 1e-4]

Integers and bools must match exactly; floats pass when
|actual - expected| <= atol + rtol * |expected| elementwise (NaN matches NaN,
infinities must match exactly). Prints one line per output with the max abs
error and max rel error (abs err / max(|expected|, tiny)), then a summary.
Exits 1 if any output fails or the output counts, shapes or dtypes differ,
2 on bad arguments or unreadable files.

--cosine also prints, per float output, the cosine similarity of the two
(flattened) tensors and how many actual values are NaN or infinite where the
expected value is finite; with --min-cosine C an output also fails when its
cosine similarity is below C or it has such non-finite values.

--peak-rtol R prints, per float output, its max abs error as a fraction of the
largest expected magnitude (peak_rel) and fails the output above R or with
non-finite values: the bound for f16 results, where elementwise relative
errors of near-zero values say little, that still fails a wrong scale.
"""
import argparse
import os
import re
import sys

import numpy as np
from onnx import TensorProto, numpy_helper


def die(msg):
    print(f"compare: error: {msg}", file=sys.stderr)
    sys.exit(2)


def numbered(d):
    if not os.path.isdir(d):
        die(f"not a directory: {d}")
    found = {}
    for f in os.listdir(d):
        m = re.fullmatch(r"output_(\d+)\.pb", f)
        if m:
            found[int(m.group(1))] = os.path.join(d, f)
    return [found[k] for k in sorted(found)], sorted(found)


def load(path):
    t = TensorProto()
    try:
        with open(path, "rb") as fh:
            t.ParseFromString(fh.read())
        return t.name, numpy_helper.to_array(t)
    except Exception as e:  # noqa: BLE001 - report any decode problem the same way
        die(f"cannot read {path}: {e}")


def errors(exp, act):
    """Max abs and rel error over entries that are not matching NaN/inf pairs."""
    e = exp.astype(np.float64).ravel()
    a = act.astype(np.float64).ravel()
    same_special = (np.isnan(e) & np.isnan(a)) | (np.isinf(e) & (e == a))
    keep = ~same_special
    if not keep.any():
        return 0.0, 0.0
    e, a = e[keep], a[keep]
    diff = np.abs(a - e)
    tiny = np.finfo(exp.dtype).tiny if np.issubdtype(exp.dtype, np.floating) else 1.0
    rel = diff / np.maximum(np.abs(e), tiny)
    with np.errstate(invalid="ignore"):
        return float(np.max(diff)), float(np.max(rel))


def compare(exp, act, rtol, atol):
    """Returns (ok, max_abs, max_rel, n_bad)."""
    if exp.size == 0:
        return True, 0.0, 0.0, 0
    if np.issubdtype(exp.dtype, np.floating):
        e = exp.astype(np.float64)
        a = act.astype(np.float64)
        with np.errstate(invalid="ignore"):
            close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
        # isclose already treats inf == inf of the same sign as close.
        bad = int(np.count_nonzero(~close))
    else:  # integers and bools: exact
        bad = int(np.count_nonzero(exp != act))
        if exp.dtype == np.bool_:
            exp, act = exp.astype(np.int64), act.astype(np.int64)
    max_abs, max_rel = errors(exp, act)
    return bad == 0, max_abs, max_rel, bad


def cosine(exp, act):
    """(cosine similarity, count of actual NaN/inf where expected is finite) of float tensors."""
    e = exp.astype(np.float64).ravel()
    a = act.astype(np.float64).ravel()
    finite = np.isfinite(e)
    nonfinite = int(np.count_nonzero(finite & ~np.isfinite(a)))
    keep = finite & np.isfinite(a)
    e, a = e[keep], a[keep]
    ne, na = float(np.linalg.norm(e)), float(np.linalg.norm(a))
    if ne == 0.0 and na == 0.0:
        return 1.0, nonfinite
    if ne == 0.0 or na == 0.0:
        return 0.0, nonfinite
    return float(np.dot(e, a) / (ne * na)), nonfinite


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("expected_dir")
    p.add_argument("actual_dir")
    p.add_argument("--rtol", type=float, default=1e-3)
    p.add_argument("--atol", type=float, default=1e-4)
    p.add_argument("--cosine", action="store_true",
                   help="also print the cosine similarity and non-finite count of each float output")
    p.add_argument("--min-cosine", type=float, default=None,
                   help="with --cosine: fail an output below this cosine similarity or with NaN/inf values")
    p.add_argument("--peak-rtol", type=float, default=None,
                   help="also fail a float output whose max abs error exceeds this fraction of its largest "
                        "expected magnitude (a bound for low precisions that still catches a wrong scale)")
    args = p.parse_args()

    exp_files, exp_idx = numbered(args.expected_dir)
    act_files, act_idx = numbered(args.actual_dir)
    failed = 0
    if not exp_files:
        print(f"FAIL: no output_K.pb files in {args.expected_dir}")
        return 1
    if exp_idx != act_idx:
        print(f"FAIL: output count/numbering differs: expected {exp_idx}, actual {act_idx}")
        failed += 1

    act_by_idx = dict(zip(act_idx, act_files))
    for k, ef in zip(exp_idx, exp_files):
        if k not in act_by_idx:
            print(f"output_{k}: FAIL missing in {args.actual_dir}")
            failed += 1
            continue
        ename, exp = load(ef)
        aname, act = load(act_by_idx[k])
        label = f"output_{k}" + (f" ({ename})" if ename else "")
        if ename and aname and ename != aname:
            label += f" [actual named {aname}]"
        if exp.dtype != act.dtype:
            print(f"{label}: FAIL dtype {act.dtype} != expected {exp.dtype}")
            failed += 1
            continue
        if exp.shape != act.shape:
            print(f"{label}: FAIL shape {act.shape} != expected {exp.shape}")
            failed += 1
            continue
        ok, max_abs, max_rel, bad = compare(exp, act, args.rtol, args.atol)
        shape = "x".join(map(str, exp.shape)) or "scalar"
        verdict = "PASS" if ok else f"FAIL ({bad} of {exp.size} elements differ)"
        print(f"{label} {exp.dtype}[{shape}]: max_abs={max_abs:.3e} max_rel={max_rel:.3e} {verdict}")
        if not ok:
            failed += 1
        if args.peak_rtol is not None and np.issubdtype(exp.dtype, np.floating) and exp.size:
            finite = np.isfinite(exp)
            peak = float(np.max(np.abs(exp[finite]))) if finite.any() else 0.0
            nonfinite = int(np.count_nonzero(finite & ~np.isfinite(act)))
            peak_rel = max_abs / peak if peak > 0 else (0.0 if max_abs == 0 else float("inf"))
            high = peak_rel > args.peak_rtol or nonfinite > 0
            print(f"{label}: peak_rel={peak_rel:.3e} (max_abs {max_abs:.3e} of peak {peak:.3e}) nonfinite={nonfinite}"
                  + (f" FAIL (peak-rtol {args.peak_rtol:g}, no NaN/inf)" if high else ""))
            if high:
                failed += 1
        if args.cosine and np.issubdtype(exp.dtype, np.floating) and exp.size:
            cos, nonfinite = cosine(exp, act)
            low = args.min_cosine is not None and (cos < args.min_cosine or nonfinite > 0)
            print(f"{label}: cosine={cos:.7f} max_abs={max_abs:.3e} nonfinite={nonfinite}"
                  + (f" FAIL (min cosine {args.min_cosine}, no NaN/inf)" if low else ""))
            if low:
                failed += 1

    tol = f"(rtol={args.rtol:g}, atol={args.atol:g})"
    if failed:
        print(f"FAIL: {failed} problem(s) {tol}")
    else:
        print(f"PASS: all {len(exp_files)} output(s) match {tol}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
