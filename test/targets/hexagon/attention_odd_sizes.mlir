// The Hexagon attention kernel on odd sizes: int8 heads of d = 6 (not a multiple of vrmpy's 4 bytes), 37 keys
// (not a multiple of its 32 lanes), three query heads sharing one key/value head, dv = 5, and a mask. The keys
// are packed for vrmpy, the dot products taken on HVX; the outputs must equal the reference target's (the scalar
// sums of runtime/integer/IntegerMath.h) bit for bit.
// RUN: rm -rf %t && mkdir -p %t/in
// RUN: %python -c "import numpy as np; from onnx import numpy_helper; rng = np.random.default_rng(1); [open('%t/in/input_%%d.pb' %% i, 'wb').write(numpy_helper.from_array(rng.uniform(-2.5, 2.5, s).astype(np.float32), n).SerializeToString()) for i, (n, s) in enumerate([('q', (1, 3, 5, 6)), ('k', (1, 1, 37, 6)), ('v', (1, 1, 37, 5))])]"
// RUN: motec run %s --target=reference --inputs %t/in --output-dir %t/ref --quiet
// RUN: motec run %s --target=hexagon --inputs %t/in --output-dir %t/hexagon --quiet
// RUN: %python %S/../../../scripts/ort/compare.py %t/ref %t/hexagon --rtol 0 --atol 0 | FileCheck %s
// CHECK: PASS: all 1 output(s) match (rtol=0, atol=0)
// The outputs are not all saturated or zero (the comparison means something).
// RUN: %python -c "import numpy as np; from onnx import numpy_helper, TensorProto; t = TensorProto(); t.ParseFromString(open('%t/ref/output_0.pb', 'rb').read()); a = numpy_helper.to_array(t); print('distinct', len(np.unique(a)) > 20)" | FileCheck %s --check-prefix=SPREAD
// SPREAD: distinct True
module attributes {mote.opset = 17 : i64, mote.source = "att", mote.target = #mote.target<name = "hexagon", max_rank = 4, layout = "NHWC", native = ["layer_norm", "rms_norm", "gelu", "silu", "attention"], activation_type = i8, weight_types = [i8], vector_bytes = 128, fast_memory_bytes = 8388608>} {
  func.func @main(%q: tensor<1x3x5x6xf32> {mote.name = "q"}, %k: tensor<1x1x37x6xf32> {mote.name = "k"}, %v: tensor<1x1x37x5xf32> {mote.name = "v"}) -> (tensor<1x3x5x5xf32> {mote.name = "out"}) {
    %qi = mote.quantize_activation %q {scale = 0.02 : f32} : (tensor<1x3x5x6xf32>) -> tensor<1x3x5x6xi8>
    %ki = mote.quantize_activation %k {scale = 0.02 : f32} : (tensor<1x1x37x6xf32>) -> tensor<1x1x37x6xi8>
    %vi = mote.quantize_activation %v {scale = 0.02 : f32} : (tensor<1x1x37x5xf32>) -> tensor<1x1x37x5xi8>
    %t = mote.constant dense<[65536, 60000, 50000, 40000, 30000, 20000, 10000, 5000, 1000, 100, 0]> : tensor<11xi32>
    %m = mote.constant dense<0> : tensor<5x37xi32>
    %a = mote.integer_attention %qi, %ki, %vi, %t mask %m {clamp_max = 127 : si32, clamp_min = -127 : si32, logit_mult = 49192 : i32, logit_shift = 4 : i32, out_mult = 51643 : i32, out_shift = 14 : i32} : (tensor<1x3x5x6xi8>, tensor<1x1x37x6xi8>, tensor<1x1x37x5xi8>, tensor<11xi32>, tensor<5x37xi32>) -> tensor<1x3x5x5xi8>
    %o = mote.dequantize_activation %a {scale = 0.01 : f32} : (tensor<1x3x5x5xi8>) -> tensor<1x3x5x5xf32>
    return %o : tensor<1x3x5x5xf32>
  }
}
