"""Writes overflow.onnx and its inputs (input_0.pb) into OUT_DIR: a model whose intermediate values exceed
f16's range (65,504) while its inputs, weights and outputs fit, the case that makes f16 Stable Diffusion
produce NaN/inf: attention scores q.k of ~1.5e5 before the 1/sqrt(d) scale (q and k ~ +-70 over 32
dimensions), and an elementwise chain (x * 100)^3 * 1e-6 whose middle reaches ~1e6.

usage: make_overflow_model.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(11)
    S, H, D = 16, 2, 32
    E = H * D
    x = rng.uniform(-1.0, 1.0, (1, S, E)).astype(np.float32)
    # Projections whose outputs are ~+-70 (q . k up to ~1.5e5); v stays small.
    wq = rng.choice([-1.0, 1.0], (E, E)).astype(np.float32) * 15.0
    wk = wq + rng.normal(0, 0.3, (E, E)).astype(np.float32)
    wv = rng.normal(0, 0.2, (E, E)).astype(np.float32)
    inits = [numpy_helper.from_array(a, n) for a, n in
             [(wq, "wq"), (wk, "wk"), (wv, "wv"), (np.array([1, S, H, D], np.int64), "heads"),
              (np.array([1, S, E], np.int64), "merged"), (np.array(1.0 / np.sqrt(D), np.float32), "scale"),
              (np.array(100.0, np.float32), "hundred"), (np.array(1e-6, np.float32), "micro")]]
    nodes = []
    for name, w in [("q", "wq"), ("k", "wk"), ("v", "wv")]:
        nodes += [helper.make_node("MatMul", ["x", w], [name + "_p"]),
                  helper.make_node("Reshape", [name + "_p", "heads"], [name + "_r"]),
                  helper.make_node("Transpose", [name + "_r"], [name + "_t"], perm=[0, 2, 1, 3])]
    nodes += [helper.make_node("Transpose", ["k_t"], ["k_tt"], perm=[0, 1, 3, 2]),
              helper.make_node("MatMul", ["q_t", "k_tt"], ["scores"]),  # ~1.5e5: beyond f16
              helper.make_node("Mul", ["scores", "scale"], ["scaled"]),
              helper.make_node("Softmax", ["scaled"], ["probs"], axis=-1),
              helper.make_node("MatMul", ["probs", "v_t"], ["ctx"]),
              helper.make_node("Transpose", ["ctx"], ["ctx_t"], perm=[0, 2, 1, 3]),
              helper.make_node("Reshape", ["ctx_t", "merged"], ["attn"]),
              helper.make_node("Mul", ["x", "hundred"], ["big"]),
              helper.make_node("Mul", ["big", "big"], ["big2"]),
              helper.make_node("Mul", ["big2", "big"], ["big3"]),  # ~1e6: beyond f16
              helper.make_node("Mul", ["big3", "micro"], ["cube"])]
    graph = helper.make_graph(
        nodes, "overflow", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, S, E])],
        [helper.make_tensor_value_info("attn", TensorProto.FLOAT, [1, S, E]),
         helper.make_tensor_value_info("cube", TensorProto.FLOAT, [1, S, E])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "overflow.onnx"))
    os.makedirs(os.path.join(out, "in"), exist_ok=True)
    with open(os.path.join(out, "in", "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x, "x").SerializeToString())
    q = x[0] @ wq
    k = x[0] @ wk
    print("largest |q.k| per head: %.3g" % max(np.abs(q[:, h * D:(h + 1) * D] @ k[:, h * D:(h + 1) * D].T).max()
                                              for h in range(H)))


if __name__ == "__main__":
    main()
