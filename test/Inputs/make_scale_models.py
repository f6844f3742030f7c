#!/usr/bin/env python3
"""Writes two models whose size is in their structure, not their weights: OUT/chain.onnx, a chain of N Relu
nodes (default 200,000), and OUT/sum.onnx, one Sum of K graph inputs (default 20,000). A pass or import
step quadratic in the node or input count shows on them as minutes and gigabytes.

usage: make_scale_models.py OUT [--nodes N] [--inputs K]
"""
import argparse
import os

import onnx
from onnx import TensorProto, helper


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--nodes", type=int, default=200000)
    p.add_argument("--inputs", type=int, default=20000)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    f32 = lambda name: helper.make_tensor_value_info(name, TensorProto.FLOAT, [4])
    nodes = [helper.make_node("Relu", [f"v{i}"], [f"v{i + 1}"]) for i in range(a.nodes)]
    chain = helper.make_graph(nodes, "chain", [f32("v0")], [f32(f"v{a.nodes}")])
    onnx.save(helper.make_model(chain, opset_imports=[helper.make_opsetid("", 17)]), os.path.join(a.out, "chain.onnx"))
    inputs = [f32(f"x{i}") for i in range(a.inputs)]
    total = helper.make_graph([helper.make_node("Sum", [f"x{i}" for i in range(a.inputs)], ["y"])], "sum", inputs, [f32("y")])
    onnx.save(helper.make_model(total, opset_imports=[helper.make_opsetid("", 17)]), os.path.join(a.out, "sum.onnx"))


if __name__ == "__main__":
    main()
