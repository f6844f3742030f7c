#!/usr/bin/env python3
"""Prints the name, dtype, shape and values of ONNX TensorProto files, one line each, for FileCheck."""
import sys

import numpy as np
import onnx
from onnx import numpy_helper

for path in sys.argv[1:]:
    tensor = onnx.load_tensor(path)
    array = numpy_helper.to_array(tensor)
    values = np.array2string(array.flatten(), separator=", ", precision=6, threshold=64)
    print(f"{tensor.name} {array.dtype} {list(array.shape)} {values}")
