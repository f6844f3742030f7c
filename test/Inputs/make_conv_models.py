#!/usr/bin/env python3
"""Writes single-convolution ONNX models of odd sizes (and a conv + residual + ReLU block, a skip concatenation, a
depthwise + pointwise block, a convolution's sine) with a seeded input each: DIR/<name>/model.onnx and DIR/<name>/test_data_set_0/input_0.pb."""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# name: (Cin, Cout, kernel, stride, pad, dilation, H, W)
CONVS = {
    "k3": (5, 7, 3, 1, 1, 1, 6, 6),
    "k1": (5, 13, 1, 1, 0, 1, 5, 3),
    "k3s2": (9, 14, 3, 2, 1, 1, 9, 7),
    "k3d2": (3, 12, 3, 1, 2, 2, 11, 13),
    "wide": (64, 24, 3, 1, 1, 1, 16, 16),  # more output pixels than one 112-row block of the int8 GEMM
}


def save(out, name, graph, x):
    d = os.path.join(out, name, "test_data_set_0")
    os.makedirs(d, exist_ok=True)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), os.path.join(out, name, "model.onnx"))
    with open(os.path.join(d, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x, "x").SerializeToString())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    for name, (cin, cout, k, stride, pad, dil, h, w) in CONVS.items():
        weight = numpy_helper.from_array(rng.standard_normal((cout, cin, k, k)).astype(np.float32), "w")
        bias = numpy_helper.from_array(rng.standard_normal((cout,)).astype(np.float32), "b")
        node = helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv", kernel_shape=[k, k], strides=[stride] * 2,
                                pads=[pad] * 4, dilations=[dil] * 2)
        graph = helper.make_graph([node], name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, cin, h, w])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [weight, bias])
        save(args.out, name, graph, rng.standard_normal((1, cin, h, w)).astype(np.float32))
    # A residual block: relu(conv2(relu(conv1(x))) + x), the convolutions' epilogues fused on NEON.
    c = 6
    inits = [numpy_helper.from_array(rng.standard_normal((c, c, 3, 3)).astype(np.float32) * 0.3, n) for n in ("w1", "w2")]
    nodes = [helper.make_node("Conv", ["x", "w1"], ["a"], name="conv1", pads=[1] * 4),
             helper.make_node("Relu", ["a"], ["b"], name="relu1"),
             helper.make_node("Conv", ["b", "w2"], ["c"], name="conv2", pads=[1] * 4),
             helper.make_node("Add", ["c", "x"], ["d"], name="add"),
             helper.make_node("Relu", ["d"], ["y"], name="relu2")]
    graph = helper.make_graph(nodes, "residual", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, 7, 5])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    save(args.out, "residual", graph, rng.standard_normal((1, c, 7, 5)).astype(np.float32))
    # A skip concatenation, as a U-Net's decoder reads its encoder: conv2(concat(relu(conv1(x)), x)), the two
    # pieces of different ranges.
    c = 5
    inits = [numpy_helper.from_array(rng.standard_normal((c, c, 3, 3)).astype(np.float32) * 0.5, "w1"),
             numpy_helper.from_array(rng.standard_normal((7, 2 * c, 1, 1)).astype(np.float32) * 0.3, "w2")]
    nodes = [helper.make_node("Conv", ["x", "w1"], ["a"], name="conv1", pads=[1] * 4),
             helper.make_node("Relu", ["a"], ["b"], name="relu1"),
             helper.make_node("Concat", ["b", "x"], ["cat"], name="concat", axis=1),
             helper.make_node("Conv", ["cat", "w2"], ["y"], name="conv2")]
    graph = helper.make_graph(nodes, "concat", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, 6, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    save(args.out, "concat", graph, rng.standard_normal((1, c, 6, 4)).astype(np.float32))
    # A MobileNet block: depthwise 3x3 (stride 2) + ReLU, pointwise 1x1.
    c = 6
    inits = [numpy_helper.from_array(rng.standard_normal((c, 1, 3, 3)).astype(np.float32) * 0.5, "wd"),
             numpy_helper.from_array(rng.standard_normal((c,)).astype(np.float32), "bd"),
             numpy_helper.from_array(rng.standard_normal((9, c, 1, 1)).astype(np.float32) * 0.4, "wp")]
    nodes = [helper.make_node("Conv", ["x", "wd", "bd"], ["a"], name="depthwise", group=c, pads=[1] * 4, strides=[2, 2]),
             helper.make_node("Relu", ["a"], ["b"], name="relu"),
             helper.make_node("Conv", ["b", "wp"], ["y"], name="pointwise")]
    graph = helper.make_graph(nodes, "depthwise", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, 9, 7])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    save(args.out, "depthwise", graph, rng.standard_normal((1, c, 9, 7)).astype(np.float32))

    # The sine of a convolution's output: no integer form takes it (only a model input's sine times frequencies).
    c = 4
    inits = [numpy_helper.from_array(rng.standard_normal((c, c, 1, 1)).astype(np.float32) * 0.5, "w")]
    nodes = [helper.make_node("Conv", ["x", "w"], ["a"], name="conv"),
             helper.make_node("Sin", ["a"], ["y"], name="sine")]
    graph = helper.make_graph(nodes, "sine", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, 3, 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    save(args.out, "sine", graph, rng.standard_normal((1, c, 3, 3)).astype(np.float32))


if __name__ == "__main__":
    main()
