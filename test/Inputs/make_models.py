#!/usr/bin/env python3
"""Writes small ONNX models, good and deliberately broken, for the importer's error tests."""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def conv_model(weight: TensorProto, opset: int = 17) -> onnx.ModelProto:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 8, 8])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    node = helper.make_node("Conv", ["x", weight.name], ["y"], name="conv_0", pads=[1, 1, 1, 1])
    graph = helper.make_graph([node], "g", [x], [y], initializer=[weight])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    w = rng.standard_normal((16, 8, 3, 3)).astype(np.float32)

    # A valid model with its 4.6 KB weight inline: truncating it anywhere inside the graph breaks it.
    onnx.save(conv_model(numpy_helper.from_array(w, "w")), os.path.join(out, "small.onnx"))

    # The same weight as external data in weights.bin, beside the model.
    ext = os.path.join(out, "external")
    os.makedirs(ext, exist_ok=True)
    tensor = numpy_helper.from_array(w, "w")
    model = conv_model(tensor)
    onnx.external_data_helper.convert_model_to_external_data(
        model, all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
    onnx.save(model, os.path.join(ext, "model.onnx"))

    # External data that points outside the model's folder.
    escape = conv_model(numpy_helper.from_array(w, "w"))
    onnx.external_data_helper.convert_model_to_external_data(
        escape, all_tensors_to_one_file=True, location="../weights.bin", size_threshold=0)
    onnx.save_model(escape, os.path.join(out, "escape.onnx"), save_as_external_data=False)

    # An initializer whose declared shape is vastly larger than the bytes it stores.
    huge = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 20, 1 << 20, 8, 3],
                       raw_data=b"\0\0\0\0")
    onnx.save(conv_model(huge), os.path.join(out, "huge_dims.onnx"))

    # An initializer of a type Mote has no tensor type for.
    strings = helper.make_tensor("w", TensorProto.STRING, [1], [b"abc"])
    onnx.save(conv_model(strings), os.path.join(out, "string_weight.onnx"))

    # Named nodes (ONNX 1.12's textual syntax cannot name them): an unknown operator, and a node that
    # reads a value nothing defines.
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])
    for name, nodes in {
        "unknown_op.onnx": [helper.make_node("Relu", ["x"], ["t"], name="relu_0"),
                            helper.make_node("FooBar", ["t"], ["y"], name="Attention_17")],
        "undefined_input.onnx": [helper.make_node("Add", ["x", "nowhere"], ["y"], name="add")],
    }.items():
        graph = helper.make_graph(nodes, "g", [x], [y])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        onnx.save(model, os.path.join(out, name))


if __name__ == "__main__":
    main()
