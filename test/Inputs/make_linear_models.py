#!/usr/bin/env python3
"""Writes a block of linear layers twice: as ONNX `Gemm` (how torch.onnx exports Hugging Face GPT-2's
Conv1D, transB=0 with a bias, and nn.Linear on 2-D inputs, transB=1 with a bias; plus one without a bias) and
as the same layers written with MatMul + Add. Both get the same weights, one input and the output numpy
computed in float64, in the ONNX backend-test layout:

    OUT/gemm/model.onnx, OUT/matmul/model.onnx, OUT/{gemm,matmul}/test_data_set_0/{input_0,output_0}.pb

usage: make_linear_models.py OUT [--rows M] [--width D] [--hidden H] [--seed S]
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def write(folder, graph, x, y):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="mote-test")
    onnx.checker.check_model(model)
    os.makedirs(os.path.join(folder, "test_data_set_0"), exist_ok=True)
    onnx.save(model, os.path.join(folder, "model.onnx"))
    onnx.save_tensor(numpy_helper.from_array(x, "x"), os.path.join(folder, "test_data_set_0", "input_0.pb"))
    onnx.save_tensor(numpy_helper.from_array(y, "y"), os.path.join(folder, "test_data_set_0", "output_0.pb"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--rows", type=int, default=64)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--hidden", type=int, default=1024)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    M, D, H = a.rows, a.width, a.hidden
    rng = np.random.default_rng(a.seed)
    f32 = np.float32
    x = rng.standard_normal((M, D)).astype(f32)
    w1 = (rng.standard_normal((D, H)) / np.sqrt(D)).astype(f32)  # Conv1D weight [in, out]
    b1 = rng.standard_normal(H).astype(f32)
    w2 = (rng.standard_normal((D, H)) / np.sqrt(H)).astype(f32)  # nn.Linear weight [out, in]
    b2 = rng.standard_normal(D).astype(f32)
    w3 = (rng.standard_normal((D, D // 4 + 3)) / np.sqrt(D)).astype(f32)

    # float64 oracle
    h = np.maximum(x.astype(np.float64) @ w1 + b1, 0.0)
    r = h @ w2.T.astype(np.float64) + b2 + x
    y = (r @ w3).astype(f32)

    init = lambda name, v: numpy_helper.from_array(v, name)
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [M, D])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [M, w3.shape[1]])]
    weights = [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2), init("w3", w3)]

    gemm = helper.make_graph([
        helper.make_node("Gemm", ["x", "w1", "b1"], ["g1"], name="conv1d_fc"),
        helper.make_node("Relu", ["g1"], ["h"], name="act"),
        helper.make_node("Gemm", ["h", "w2", "b2"], ["g2"], name="linear_proj", transB=1),
        helper.make_node("Add", ["g2", "x"], ["r"], name="residual"),
        helper.make_node("Gemm", ["r", "w3"], ["y"], name="head", alpha=1.0, beta=1.0),
    ], "linear_gemm", inputs, outputs, weights)
    write(os.path.join(a.out, "gemm"), gemm, x, y)

    w2t = init("w2t", np.ascontiguousarray(w2.T))
    matmul = helper.make_graph([
        helper.make_node("MatMul", ["x", "w1"], ["m1"], name="fc"),
        helper.make_node("Add", ["m1", "b1"], ["g1"], name="fc_bias"),
        helper.make_node("Relu", ["g1"], ["h"], name="act"),
        helper.make_node("MatMul", ["h", "w2t"], ["m2"], name="proj"),
        helper.make_node("Add", ["m2", "b2"], ["g2"], name="proj_bias"),
        helper.make_node("Add", ["g2", "x"], ["r"], name="residual"),
        helper.make_node("MatMul", ["r", "w3"], ["y"], name="head"),
    ], "linear_matmul", inputs, outputs, [init("w1", w1), init("b1", b1), w2t, init("b2", b2), init("w3", w3)])
    write(os.path.join(a.out, "matmul"), matmul, x, y)


if __name__ == "__main__":
    main()
