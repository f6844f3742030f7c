# Writes OUT/input_K.pb: the tensors of IN/input_K.pb with every value 0 (same names, types and shapes).
"""Usage: zero_inputs.py IN OUT"""
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

src, dst = sys.argv[1], sys.argv[2]
k = 0
while os.path.exists(os.path.join(src, f"input_{k}.pb")):
    t = onnx.load_tensor(os.path.join(src, f"input_{k}.pb"))
    a = numpy_helper.to_array(t)
    zero = numpy_helper.from_array(np.zeros_like(a), t.name)
    with open(os.path.join(dst, f"input_{k}.pb"), "wb") as f:
        f.write(zero.SerializeToString())
    k += 1
if k == 0:
    sys.exit(f"zero_inputs: {src} holds no input_0.pb")
