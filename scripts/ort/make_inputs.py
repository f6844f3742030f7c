#!/usr/bin/env python3
"""Writes seeded random input tensors (DIR/input_K.pb, graph-input order) for a model, so that Mote and
ONNX Runtime can be run on the same inputs. Floats are uniform in [0, 1); integers in [0, --int-high)."""
import argparse
import os

import numpy as np
import onnx
from onnx import numpy_helper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model")
    parser.add_argument("--out", required=True)
    parser.add_argument("--input-shape", action="append", default=[], help="NAME:1x3x640x640")
    parser.add_argument("--int-high", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    shapes = {}
    for spec in args.input_shape:
        name, dims = spec.rsplit(":", 1)
        shapes[name] = [int(d) for d in dims.split("x")] if dims else []
    model = onnx.load(args.model, load_external_data=False)
    initializers = {t.name for t in model.graph.initializer}
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)
    k = 0
    for value in model.graph.input:
        if value.name in initializers:
            continue
        tensor_type = value.type.tensor_type
        if value.name in shapes:
            shape = shapes[value.name]
        else:
            shape = [d.dim_value for d in tensor_type.shape.dim]
            if any(d <= 0 for d in shape):
                parser.error(f"input '{value.name}' has dynamic dimensions; give --input-shape")
        dtype = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[tensor_type.elem_type]
        if np.issubdtype(dtype, np.floating):
            data = rng.random(shape).astype(dtype)
        else:
            data = rng.integers(0, args.int_high, size=shape).astype(dtype)
        onnx.save_tensor(numpy_helper.from_array(data, value.name), os.path.join(args.out, f"input_{k}.pb"))
        k += 1


if __name__ == "__main__":
    main()
