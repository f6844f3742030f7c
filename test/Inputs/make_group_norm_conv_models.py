#!/usr/bin/env python3
"""Writes small ONNX models around the group-norm-in-convolution and upsampling fusions, in shapes the corpus
does not have, each with a seeded input: DIR/<name>/model.onnx and DIR/<name>/test_data_set_0/input_0.pb.

- gn_block: batch 2, 20 channels in 5 groups, then in 2 groups of 10 (straddling the kernels' 16-channel
  tiles), 5x7 pixels (tiles of 16 pixels end part-way); a strided
  convolution, GroupNormalization-18 (per-group scale and bias) and SiLU written as x * sigmoid(x), a dilated
  3x3 convolution plus the strided one's result (residual), then the norm again read by a 1x1 convolution.
- upsample: a convolution's result upsampled 2x (nearest, asymmetric, floor) and read by a 1x1 convolution,
  whose result is upsampled again and read by a 3x3 convolution with stride 2; the sum of the last two.
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(out, name, graph, x, opset):
    d = os.path.join(out, name, "test_data_set_0")
    os.makedirs(d, exist_ok=True)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    if opset <= 17:  # (this onnx package's checker predates GroupNormalization-18)
        onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, name, "model.onnx"))
    with open(os.path.join(d, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x, "x").SerializeToString())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    def tensor(name, shape, scale=1.0, offset=0.0):
        return numpy_helper.from_array((rng.standard_normal(shape) * scale + offset).astype(np.float32), name)

    def conv(name, x, w, b, k, stride=1, pad=0, dil=1):
        return helper.make_node("Conv", [x, w, b], [name], name=name, kernel_shape=[k, k], strides=[stride] * 2,
                                pads=[pad] * 4, dilations=[dil] * 2)

    # gn_block: 20 channels, the first norm in 5 groups of 4 (whole groups in each 16-channel tile), the second
    # in 2 groups of 10 (groups straddling tiles)
    c = 20
    inits = [tensor("w0", (c, 4, 3, 3), 0.3), tensor("b0", (c,), 1.0, 2.0),
             tensor("s1", (5,), 0.5, 1.0), tensor("t1", (5,), 0.5),
             tensor("w1", (c, c, 3, 3), 0.2), tensor("b1", (c,)),
             tensor("s2", (2,), 0.5, 1.0), tensor("t2", (2,), 0.5),
             tensor("w2", (5, c, 1, 1), 0.3), tensor("b2", (5,))]
    nodes = [conv("c0", "x", "w0", "b0", 3, stride=2, pad=1),
             helper.make_node("GroupNormalization", ["c0", "s1", "t1"], ["n1"], name="norm1", num_groups=5, epsilon=1e-5),
             helper.make_node("Sigmoid", ["n1"], ["sig1"], name="sig1"),
             helper.make_node("Mul", ["n1", "sig1"], ["a1"], name="silu1"),
             conv("c1", "a1", "w1", "b1", 3, pad=2, dil=2),
             helper.make_node("Add", ["c1", "c0"], ["r1"], name="residual"),
             helper.make_node("GroupNormalization", ["r1", "s2", "t2"], ["n2"], name="norm2", num_groups=2, epsilon=1e-5),
             conv("y", "n2", "w2", "b2", 1)]
    graph = helper.make_graph(nodes, "gn_block", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4, 9, 13])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5, 5, 7])], inits)
    save(args.out, "gn_block", graph, rng.standard_normal((2, 4, 9, 13)).astype(np.float32), 18)

    # upsample
    inits = [numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales"),
             tensor("w0", (6, 3, 3, 3), 0.5), tensor("b0", (6,)),
             tensor("wa", (6, 6, 1, 1), 0.5), tensor("ba", (6,)),
             tensor("wb", (6, 6, 3, 3), 0.3), tensor("bb", (6,))]
    resize = dict(mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor")
    nodes = [conv("c0", "x", "w0", "b0", 3, pad=1),
             helper.make_node("Resize", ["c0", "", "scales"], ["u1"], name="up1", **resize),
             conv("ca", "u1", "wa", "ba", 1),
             helper.make_node("Resize", ["ca", "", "scales"], ["u2"], name="up2", **resize),
             conv("cb", "u2", "wb", "bb", 3, stride=2, pad=1),
             helper.make_node("Add", ["cb", "ca"], ["y"], name="sum")]
    graph = helper.make_graph(nodes, "upsample", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 5, 6])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 6, 10, 12])], inits)
    save(args.out, "upsample", graph, rng.standard_normal((1, 3, 5, 6)).astype(np.float32), 17)


if __name__ == "__main__":
    main()
