// RUN: mote-opt %s --mote-opencl-select-kernels --split-input-file -verify-diagnostics | FileCheck %s

// Convolutions of every shape get a kernel generated for them (the emitter picks the GEMM tile for 1x1 ones,
// the direct convolution for the others). Nothing is packed: OpenCL kernels read weights as the weights file
// holds them (total 0). Elementwise, storage conversion at the edges, views.
// CHECK-LABEL: func.func @convs
// CHECK-SAME: mote.packed_total_bytes = 0 : i64
// CHECK: mote.cast {{.*}}mote.kernel = "cast_f32_to_store"
// CHECK-COUNT-4: mote.conv {{.*}}mote.kernel = "generated_linear"
// CHECK: mote.silu {{.*}}mote.kernel = "unary"
// CHECK: mote.add {{.*}}mote.kernel = "binary"
// CHECK: mote.reshape {{.*}}mote.kernel = "view"
// CHECK: mote.cast {{.*}}mote.kernel = "cast_store_to_f32"
// CHECK-NOT: mote.packed_layout
module attributes {mote.target = #mote.target<name = "opencl", layout = "NHWC", activation_type = f16>} {
func.func @convs(%in: tensor<1x16x16x32xf32>) -> tensor<1x64x32xf32> {
  %x = mote.cast %in {to = f16} : (tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf16>
  %w1 = mote.constant dense<1.0> : tensor<32x32x1x1xf16>
  %a = mote.conv %x, %w1 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x16x16x32xf16>, tensor<32x32x1x1xf16>) -> tensor<1x16x16x32xf16>
  %w3 = mote.constant dense<1.0> : tensor<32x32x3x3xf16>
  %b = mote.conv %a, %w3 {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x16x16x32xf16>, tensor<32x32x3x3xf16>) -> tensor<1x16x16x32xf16>
  %c = mote.conv %b, %w3 {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x16x16x32xf16>, tensor<32x32x3x3xf16>) -> tensor<1x8x8x32xf16>
  %wd = mote.constant dense<1.0> : tensor<32x1x3x3xf16>
  %d = mote.conv %c, %wd {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 32 : i64, channels_last = true} : (tensor<1x8x8x32xf16>, tensor<32x1x3x3xf16>) -> tensor<1x8x8x32xf16>
  %e = mote.silu %d : tensor<1x8x8x32xf16>
  %f = mote.add %e, %c : (tensor<1x8x8x32xf16>, tensor<1x8x8x32xf16>) -> tensor<1x8x8x32xf16>
  %g = mote.reshape %f : (tensor<1x8x8x32xf16>) -> tensor<1x64x32xf16>
  %out = mote.cast %g {to = f32} : (tensor<1x64x32xf16>) -> tensor<1x64x32xf32>
  return %out : tensor<1x64x32xf32>
}
}

// -----

// Norms, attention (one query row per work-item, no score matrix), data movement by element width, gather and
// argmax of int64 ids, index arithmetic in int64.
// CHECK-LABEL: func.func @transformer
// CHECK: mote.gather {{.*}}mote.kernel = "gather"
// CHECK: mote.layer_norm {{.*}}mote.kernel = "generated_norm"
// CHECK: mote.rms_norm {{.*}}mote.kernel = "generated_norm"
// CHECK: mote.transpose {{.*}}mote.kernel = "copy_strided"
// CHECK: mote.attention {{.*}}mote.kernel = "attention"
// CHECK: mote.arg_max {{.*}}mote.kernel = "arg_max_i64"
// CHECK: mote.add {{.*}}mote.kernel = "binary_i64"
module attributes {mote.target = #mote.target<name = "opencl", layout = "NHWC", activation_type = f32>} {
func.func @transformer(%ids: tensor<1x8xi64>) -> (tensor<1x2x8x4xf32>, tensor<1xi64>) {
  %table = mote.constant dense<0.5> : tensor<16x8xf32>
  %h = mote.gather %table, %ids {axis = 0 : i64} : (tensor<16x8xf32>, tensor<1x8xi64>) -> tensor<1x8x8xf32>
  %s = mote.constant dense<1.0> : tensor<8xf32>
  %n = mote.layer_norm %h, %s, %s {axis = 2 : i64, epsilon = 1.0e-5 : f32} : (tensor<1x8x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x8xf32>
  %r = mote.rms_norm %n, %s {axis = 2 : i64, epsilon = 1.0e-5 : f32} : (tensor<1x8x8xf32>, tensor<8xf32>) -> tensor<1x8x8xf32>
  %q = mote.reshape %r : (tensor<1x8x8xf32>) -> tensor<1x8x2x4xf32>
  %t = mote.transpose %q {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x8x2x4xf32>) -> tensor<1x2x8x4xf32>
  %a = mote.attention %t, %t, %t {scale = 0.5 : f32} : (tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  %m = mote.arg_max %ids {axis = 1 : i64, keepdims = false} : (tensor<1x8xi64>) -> tensor<1xi64>
  %one = mote.constant dense<1> : tensor<1xi64>
  %p = mote.add %m, %one : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %a, %p : tensor<1x2x8x4xf32>, tensor<1xi64>
}
}

// -----

// Quantized weights are refused at the op until the OpenCL kernels widen them.
module attributes {mote.target = #mote.target<name = "opencl", layout = "NHWC", activation_type = f32>} {
func.func @quantized(%x: tensor<4x8xf32>) -> tensor<4x2xf32> {
  %q = mote.constant dense<1> : tensor<8x2xi8>
  %s = mote.constant dense<0.5> : tensor<2xf32>
  %w = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<8x2xi8>, tensor<2xf32>) -> tensor<8x2xf32>
  // expected-error @+1 {{opencl: 'mote.matmul' reads quantized weights (--quantize), which the opencl target does not run yet: compile without --quantize}}
  %y = mote.matmul %x, %w : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}
}

// -----

// An op the library has no kernel for names the op; mixed float storage names the types.
module attributes {mote.target = #mote.target<name = "opencl", layout = "NHWC", activation_type = f32>} {
func.func @unsupported(%c: tensor<4x8xi1>) -> tensor<4x8xi1> {
  // expected-error @+1 {{opencl: 'mote.not' is not supported by the opencl target yet}}
  %y = mote.not %c : tensor<4x8xi1>
  return %y : tensor<4x8xi1>
}
}

// -----

// A KV-cache export's attention mask: comparisons of int64 or float values, And, Or, Where over floats.
module attributes {mote.target = #mote.target<name = "opencl", layout = "NHWC", activation_type = f32>} {
// CHECK-LABEL: func.func @mask
// CHECK: mote.equal {{.*}}mote.kernel = "compare_i64"
// CHECK: mote.less {{.*}}mote.kernel = "compare"
// CHECK: mote.and {{.*}}mote.kernel = "logical"
// CHECK: mote.or {{.*}}mote.kernel = "logical"
// CHECK: mote.where {{.*}}mote.kernel = "where_select"
func.func @mask(%ids: tensor<1x9xi64>, %k: tensor<i64>, %x: tensor<1x9xf32>, %y: tensor<1x9xf32>) -> tensor<1x9xf32> {
  %0 = mote.equal %ids, %k : (tensor<1x9xi64>, tensor<i64>) -> tensor<1x9xi1>
  %1 = mote.less %x, %y : (tensor<1x9xf32>, tensor<1x9xf32>) -> tensor<1x9xi1>
  %2 = mote.and %0, %1 : (tensor<1x9xi1>, tensor<1x9xi1>) -> tensor<1x9xi1>
  %3 = mote.or %2, %1 : (tensor<1x9xi1>, tensor<1x9xi1>) -> tensor<1x9xi1>
  %4 = mote.where %3, %x, %y : (tensor<1x9xi1>, tensor<1x9xf32>, tensor<1x9xf32>) -> tensor<1x9xf32>
  return %4 : tensor<1x9xf32>
}
}

// -----

// PP-OCR's ops: batch norm (folded into a per-channel f32 scale and shift by the emitter), pools, transposed
// convolutions, parameterized activations.
// CHECK-LABEL: func.func @detector
// CHECK: mote.batch_norm {{.*}}mote.kernel = "batch_norm"
// CHECK: mote.hard_sigmoid {{.*}}mote.kernel = "unary"
// CHECK: mote.clip {{.*}}mote.kernel = "unary"
// CHECK: mote.average_pool {{.*}}mote.kernel = "pool2d"
// CHECK: mote.conv_transpose {{.*}}mote.kernel = "conv_transpose2d"
module attributes {mote.target = #mote.target<name = "opencl", layout = "NHWC", activation_type = f32>} {
func.func @detector(%x: tensor<1x8x8x4xf32>) -> (tensor<1x1x1x4xf32>, tensor<1x16x16x4xf32>) {
  %s = mote.constant dense<1.0> : tensor<4xf32>
  %n = mote.batch_norm %x, %s, %s, %s, %s {channels_last = true, epsilon = 1.0e-5 : f32} : (tensor<1x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
  %h = mote.hard_sigmoid %n {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<1x8x8x4xf32>
  %c = mote.clip %h {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x8x8x4xf32>
  %p = mote.average_pool %c {kernel_shape = array<i64: 8, 8>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false, count_include_pad = false, channels_last = true} : (tensor<1x8x8x4xf32>) -> tensor<1x1x1x4xf32>
  %w = mote.constant dense<1.0> : tensor<4x4x2x2xf32>
  %t = mote.conv_transpose %c, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 1 : i64, channels_last = true} : (tensor<1x8x8x4xf32>, tensor<4x4x2x2xf32>) -> tensor<1x16x16x4xf32>
  return %p, %t : tensor<1x1x1x4xf32>, tensor<1x16x16x4xf32>
}
}

// -----

// Fused regions run as kernels generated for them.
// CHECK-LABEL: func.func @regions
// CHECK: mote.fused "norm_elementwise"{{.*}}mote.kernel = "generated_norm_elementwise"
// CHECK: mote.fused "elementwise"{{.*}}mote.kernel = "generated_elementwise"
module attributes {mote.target = #mote.target<name = "opencl", layout = "NHWC", activation_type = f32>} {
func.func @regions(%x: tensor<1x4x4x8xf32>, %s: tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  %n = mote.fused "norm_elementwise"(%x, %s) : (tensor<1x4x4x8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  ^bb0(%a: tensor<1x4x4x8xf32>, %b: tensor<8xf32>):
    %g = mote.group_norm %a, %b, %b {channels_last = true, epsilon = 1.0e-5 : f32, num_groups = 2 : i64} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
    %y = mote.silu %g : tensor<1x4x4x8xf32>
    mote.yield %y : tensor<1x4x4x8xf32>
  }
  %e = mote.fused "elementwise"(%n, %s) : (tensor<1x4x4x8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  ^bb0(%a: tensor<1x4x4x8xf32>, %b: tensor<8xf32>):
    %m = mote.mul %a, %b : (tensor<1x4x4x8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
    %t = mote.tanh %m : tensor<1x4x4x8xf32>
    mote.yield %t : tensor<1x4x4x8xf32>
  }
  return %e : tensor<1x4x4x8xf32>
}
}
