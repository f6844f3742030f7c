#!/usr/bin/env python3
"""Writes a copy of an ONNX model with its inputs bound to static shapes and ONNX's own shape inference
(with data propagation) recorded as value_info, so that motec can compare every value's shape with an
oracle it did not compute: `motec compile` warns where a declared static shape differs from its own."""
import argparse

import onnx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model")
    parser.add_argument("output")
    parser.add_argument("--input-shape", action="append", default=[], help="NAME:1x4x64x64")
    args = parser.parse_args()
    model = onnx.load(args.model)
    shapes = {}
    for spec in args.input_shape:
        name, dims = spec.rsplit(":", 1)
        shapes[name] = [int(d) for d in dims.split("x")] if dims else []
    for value in model.graph.input:
        if value.name in shapes:
            dims = value.type.tensor_type.shape.dim
            for dim, size in zip(dims, shapes[value.name]):
                dim.Clear()
                dim.dim_value = size
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True, data_prop=True)
    print(f"{args.model}: ONNX inferred {len(inferred.graph.value_info)} value shapes")
    onnx.save(inferred, args.output)


if __name__ == "__main__":
    main()
