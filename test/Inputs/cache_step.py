#!/usr/bin/env python3
"""A decode step of a decoder with past (examples/models/with_past.py) over a static KV cache of L rows, as
`motec compile --llm` runs it (passes/KvCache.cpp), checked against the model's own test set (eager PyTorch's
step after an 8-token prefill: past length P).

shapes MODEL_DIR L: prints the --input-shape flags importing the step for a past of L - 1 rows (what
mote-kv-cache turns into a cache of L).

make MODEL_DIR L OUT: writes OUT/NAME.pb, one per input of the cached step: input_ids and position_ids as in
the test set, each past_key_values.X as a cache of L rows (the test set's P past rows, then rows of 1e4 that the
step must neither read nor keep unless it writes them), cache_position = P; prints the --input flags.

check MODEL_DIR L RESULTS: RESULTS/output_K.pb are the cached step's outputs (logits, present.X ...): logits
must match the test set's (rtol 1e-3, atol 1e-4); each present cache must hold the test set's P + 1 present rows
(same tolerance), then the untouched 1e4 rows, exactly. Prints PASS or the first difference.
"""
import glob
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

FILL = 1e4


def load_set(model_dir):
    model = onnx.load(os.path.join(model_dir, "model.onnx"), load_external_data=False)
    test = os.path.join(model_dir, "test_data_set_0")
    inputs = {i.name: numpy_helper.to_array(onnx.load_tensor(os.path.join(test, f"input_{k}.pb")))
              for k, i in enumerate(model.graph.input)}
    outputs = {o.name: numpy_helper.to_array(onnx.load_tensor(os.path.join(test, f"output_{k}.pb")))
               for k, o in enumerate(model.graph.output)}
    return inputs, outputs, [o.name for o in model.graph.output]


def shapes(model_dir, L, _):
    inputs, _, _ = load_set(model_dir)
    flags = []
    for name, value in inputs.items():
        shape = list(value.shape)
        if name == "attention_mask":
            shape[1] = L
        elif name.startswith("past_key_values."):
            shape[2] = L - 1
        flags.append(f"--input-shape={name}:{'x'.join(map(str, shape))}")
    print(" ".join(flags))


def make(model_dir, L, out):
    inputs, _, _ = load_set(model_dir)
    os.makedirs(out, exist_ok=True)
    flags = []
    past = None
    for name, value in inputs.items():
        if name == "attention_mask":
            continue
        if name.startswith("past_key_values."):
            past = value.shape[2]
            cache = np.full(value.shape[:2] + (L,) + value.shape[3:], FILL, np.float32)
            cache[:, :, :past] = value
            value = cache
        path = os.path.join(out, name + ".pb")
        onnx.save_tensor(numpy_helper.from_array(value, name), path)
        flags.append(f"--input {name}={path}")
    path = os.path.join(out, "cache_position.pb")
    onnx.save_tensor(numpy_helper.from_array(np.array([past], np.int64), "cache_position"), path)
    flags.append(f"--input cache_position={path}")
    print(" ".join(flags))


def check(model_dir, L, results):
    _, expected, names = load_set(model_dir)
    got = [numpy_helper.to_array(onnx.load_tensor(f)) for f in sorted(glob.glob(os.path.join(results, "output_*.pb")),
                                                                    key=lambda f: int(f.split("_")[-1][:-3]))]
    if len(got) != len(names):
        sys.exit(f"FAIL: {len(got)} outputs, expected {len(names)}")
    for name, value in zip(names, got):
        want = expected[name]
        if name.startswith("present."):
            rows = want.shape[2]
            if value.shape[2] != L:
                sys.exit(f"FAIL: {name} has {value.shape[2]} rows, expected the cache's {L}")
            if not np.all(value[:, :, rows:] == FILL):
                sys.exit(f"FAIL: {name}: rows after {rows} were changed")
            value = value[:, :, :rows]
        if value.shape != want.shape or not np.allclose(value, want, rtol=1e-3, atol=1e-4):
            err = np.max(np.abs(value - want)) if value.shape == want.shape else value.shape
            sys.exit(f"FAIL: {name} differs from eager PyTorch ({err})")
    print(f"PASS: logits and {len(names) - 1} caches match")


if __name__ == "__main__":
    commands = {"shapes": shapes, "make": make, "check": check}
    if len(sys.argv) not in (4, 5) or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) == 5 else None)
