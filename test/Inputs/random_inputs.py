#!/usr/bin/env python3
"""Writes seeded standard-normal float inputs for an ONNX model's graph inputs, as calibration samples or test
inputs: OUT/test_data_set_K/input_I.pb for K < --samples (the layout `motec --calibration` and `--inputs` read).

  random_inputs.py MODEL OUT [--samples N] [--seed S]
"""
import argparse
import os

import numpy as np
import onnx
from onnx import numpy_helper

TYPES = {onnx.TensorProto.FLOAT: np.float32}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("out")
    parser.add_argument("--samples", type=int, default=2)
    parser.add_argument("--seed", type=int, default=99)
    args = parser.parse_args()
    model = onnx.load(args.model)
    initializers = {i.name for i in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initializers]
    rng = np.random.default_rng(args.seed)
    for k in range(args.samples):
        folder = os.path.join(args.out, "test_data_set_%d" % k)
        os.makedirs(folder, exist_ok=True)
        for i, value in enumerate(inputs):
            elem = value.type.tensor_type.elem_type
            if elem not in TYPES:
                raise SystemExit("random_inputs.py: input '%s' is not float" % value.name)
            shape = [d.dim_value for d in value.type.tensor_type.shape.dim]
            if any(d <= 0 for d in shape):
                raise SystemExit("random_inputs.py: input '%s' has a dynamic shape" % value.name)
            array = rng.standard_normal(shape).astype(TYPES[elem])
            with open(os.path.join(folder, "input_%d.pb" % i), "wb") as f:
                f.write(numpy_helper.from_array(array, value.name).SerializeToString())


if __name__ == "__main__":
    main()
