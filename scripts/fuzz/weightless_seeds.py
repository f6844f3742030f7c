#!/usr/bin/python3
"""Writes weightless copies of ONNX models as fuzzing seeds: every floating-point initializer of more
than 16 elements becomes a ConstantOfShape node (same name, shape and type, one value), so the graph's
structure stays whole while the file shrinks from megabytes to tens of kilobytes; graph inputs get the
static shapes of the model folder's input_shapes.txt (NAME:1x4x16x16 lines) when there is one.

    /usr/bin/python3 scripts/fuzz/weightless_seeds.py OUT_DIR MODEL.onnx [MODEL.onnx ...]
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT_TYPES = {TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.DOUBLE, TensorProto.BFLOAT16}


def weightless(model):
    graph = model.graph
    kept, nodes = [], []
    for init in graph.initializer:
        count = int(np.prod(init.dims)) if len(init.dims) else 1
        if init.data_type not in FLOAT_TYPES or count <= 16:
            kept.append(init)
            continue
        shape_name = init.name + "__shape"
        nodes.append(helper.make_node("Constant", [], [shape_name],
                                      value=numpy_helper.from_array(np.array(init.dims, np.int64))))
        value = helper.make_tensor("value", init.data_type, [1], [0.01])
        nodes.append(helper.make_node("ConstantOfShape", [shape_name], [init.name], value=value))
    del graph.initializer[:]
    graph.initializer.extend(kept)
    old = list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes + old)
    return model


def bind_input_shapes(model, shapes_file):
    if not os.path.exists(shapes_file):
        return
    shapes = {}
    for line in open(shapes_file):
        name, _, dims = line.strip().partition(":")
        if name:
            shapes[name] = [int(d) for d in dims.split("x")] if dims else []
    for value in model.graph.input:
        if value.name not in shapes:
            continue
        tensor_shape = value.type.tensor_type.shape
        del tensor_shape.dim[:]
        for d in shapes[value.name]:
            tensor_shape.dim.add().dim_value = d


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for path in sys.argv[2:]:
        name = os.path.basename(os.path.dirname(path)) or os.path.splitext(os.path.basename(path))[0]
        model = weightless(onnx.load(path))
        bind_input_shapes(model, os.path.join(os.path.dirname(path), "input_shapes.txt"))
        onnx.save(model, os.path.join(out, f"tiny_{name}.onnx"))


if __name__ == "__main__":
    main()
