#!/usr/bin/env python3
"""Writes the inputs of the prefill call of a decoder with past (examples/models/with_past.py): the prompt of
MODEL_DIR/generation.json, an attention mask of ones, positions 0..P-1 and empty past keys and values (past
length 0), in the ONNX backend-test layout (OUT/input_K.pb, in the model's input order), and prints the
--input-shape flags that bind them.

usage: prefill_inputs.py MODEL_DIR OUT
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    model_dir, out = sys.argv[1:]
    prompt = json.load(open(os.path.join(model_dir, "generation.json")))["prompt_ids"]
    model = onnx.load(os.path.join(model_dir, "model.onnx"), load_external_data=False)
    os.makedirs(out, exist_ok=True)
    flags = []
    for k, info in enumerate(model.graph.input):
        dims = [d.dim_value if d.HasField("dim_value") else None for d in info.type.tensor_type.shape.dim]
        if info.name == "input_ids":
            value = np.array([prompt], np.int64)
        elif info.name == "attention_mask":
            value = np.ones([1, len(prompt)], np.int64)
        elif info.name == "position_ids":
            value = np.arange(len(prompt), dtype=np.int64)[None, :]
        else:  # past_key_values.{i}.key/.value [batch, kv_heads, past, head_dim]
            value = np.zeros([1, dims[1], 0, dims[3]], np.float32)
        onnx.save_tensor(numpy_helper.from_array(value, info.name), os.path.join(out, f"input_{k}.pb"))
        flags.append(f"--input-shape={info.name}:{'x'.join(str(d) for d in value.shape)}")
    print(" ".join(flags))


if __name__ == "__main__":
    main()
