// RUN: mote-opt %s --mote-neon-select-kernels --split-input-file -verify-diagnostics | FileCheck %s

// Convolutions by shape: 1x1 -> the pointwise GEMM; 3x3 on images below 8x8 or with few channels -> the direct
// indirect-GEMM kernel; 3x3 with >= 32 channels on >= 8x8 -> Winograd F(4x4, 3x3); strided -> the GEMM over
// the taps; depthwise (group > 1) -> portable.
// Packed weights get offsets in op order, 64-byte aligned, and the function the total.
// CHECK-LABEL: func.func @convs
// CHECK-SAME: mote.packed_total_bytes = 352256 : i64
// CHECK: mote.conv {{.*}}mote.kernel = "conv2d_pointwise", mote.packed_bytes = 2048 : i64, mote.packed_layout = "conv1x1", mote.packed_offset = 0 : i64
// CHECK: mote.conv {{.*}}mote.kernel = "conv2d_direct3x3", mote.packed_bytes = 18432 : i64, mote.packed_layout = "conv3x3_direct", mote.packed_offset = 2048 : i64
// CHECK: mote.conv {{.*}}mote.kernel = "conv2d_winograd_f43", mote.packed_bytes = 147456 : i64, mote.packed_layout = "winograd_f43", mote.packed_offset = 20480 : i64
// CHECK: mote.conv {{.*}}mote.kernel = "conv2d_winograd_f43", mote.packed_bytes = 147456 : i64, mote.packed_layout = "winograd_f43", mote.packed_offset = 167936 : i64
// CHECK: mote.conv {{.*}}mote.kernel = "conv2d_taps", mote.packed_bytes = 36864 : i64, mote.packed_layout = "conv_taps", mote.packed_offset = 315392 : i64
// CHECK: mote.conv {{.*}}mote.kernel = "conv2d"
// CHECK-NOT: mote.packed
// CHECK: return
module attributes {mote.target = #mote.target<name = "neon", layout = "NHWC", activation_type = f32>} {
func.func @convs(%x: tensor<1x16x16x32xf32>) -> tensor<1x8x8x32xf32> {
  %w1 = mote.constant dense<1.0> : tensor<16x32x1x1xf32>
  %a = mote.conv %x, %w1 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x16x16x32xf32>, tensor<16x32x1x1xf32>) -> tensor<1x16x16x16xf32>
  %w3 = mote.constant dense<1.0> : tensor<32x16x3x3xf32>
  %b = mote.conv %a, %w3 {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x16x16x16xf32>, tensor<32x16x3x3xf32>) -> tensor<1x16x16x32xf32>
  %w4 = mote.constant dense<1.0> : tensor<32x32x3x3xf32>
  %c = mote.conv %b, %w4 {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x16x16x32xf32>, tensor<32x32x3x3xf32>) -> tensor<1x16x16x32xf32>
  %s = mote.slice %c {starts = array<i64: 0, 0, 0, 0>, limits = array<i64: 1, 8, 8, 32>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x16x16x32xf32>) -> tensor<1x8x8x32xf32>
  %d = mote.conv %s, %w4 {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x8x8x32xf32>, tensor<32x32x3x3xf32>) -> tensor<1x8x8x32xf32>
  %e = mote.conv %c, %w4 {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x16x16x32xf32>, tensor<32x32x3x3xf32>) -> tensor<1x8x8x32xf32>
  %f = mote.add %d, %e : (tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %wd = mote.constant dense<1.0> : tensor<32x1x3x3xf32>
  %g = mote.conv %f, %wd {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 32 : i64, channels_last = true} : (tensor<1x8x8x32xf32>, tensor<32x1x3x3xf32>) -> tensor<1x8x8x32xf32>
  return %g : tensor<1x8x8x32xf32>
}
}

// -----

// Matrix products: a constant right operand shared by every batch is packed; two activations are not.
// Elementwise and data-movement ops get their kernel families; reshapes are views.
// CHECK-LABEL: func.func @matmuls
// CHECK: mote.matmul {{.*}}mote.kernel = "matmul_packed", mote.packed_bytes = 1536 : i64, mote.packed_layout = "gemm_b"
// CHECK: mote.transpose {{.*}}mote.kernel = "copy_strided"
// CHECK: mote.matmul {{.*}}mote.kernel = "matmul"
// CHECK-NOT: packed
// CHECK: mote.reshape {{.*}}mote.kernel = "view"
// CHECK: mote.softmax {{.*}}mote.kernel = "softmax_f32"
// CHECK: mote.add {{.*}}mote.kernel = "binary_i64"
module attributes {mote.target = #mote.target<name = "neon", activation_type = f32>} {
func.func @matmuls(%x: tensor<2x8x16xf32>, %i: tensor<4xi64>) -> (tensor<16x8xf32>, tensor<4xi64>) {
  %w = mote.constant dense<1.0> : tensor<16x24xf32>
  %a = mote.matmul %x, %w : (tensor<2x8x16xf32>, tensor<16x24xf32>) -> tensor<2x8x24xf32>
  %t = mote.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<2x8x24xf32>) -> tensor<2x24x8xf32>
  %b = mote.matmul %a, %t : (tensor<2x8x24xf32>, tensor<2x24x8xf32>) -> tensor<2x8x8xf32>
  %r = mote.reshape %b : (tensor<2x8x8xf32>) -> tensor<16x8xf32>
  %s = mote.softmax %r {axis = -1 : i64} : tensor<16x8xf32>
  %j = mote.add %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %s, %j : tensor<16x8xf32>, tensor<4xi64>
}
}

// -----

// f16 storage: the f16 GEMM kernels take matmuls and 1x1 convolutions on f16 data with weights packed in
// f16 (half the bytes); kernels without an f16 version compute in f32 on widened copies.
// CHECK-LABEL: func.func @f16
// CHECK: mote.matmul {{.*}}mote.kernel = "matmul_packed_f16", mote.packed_bytes = 768 : i64, mote.packed_layout = "gemm_b_f16"
// CHECK: mote.conv {{.*}}mote.kernel = "conv1x1_packed_f16"
// CHECK: mote.cast {{.*}}mote.kernel = "convert_f16_to_f32"
module attributes {mote.target = #mote.target<name = "neon", layout = "NHWC", activation_type = f16>} {
func.func @f16(%x: tensor<1x8x16xf16>) -> tensor<1x8x24xf32> {
  %w0 = mote.constant dense<1.0> : tensor<16x24xf32>
  %w = mote.cast %w0 {to = f16} : (tensor<16x24xf32>) -> tensor<16x24xf16>
  %a = mote.matmul %x, %w : (tensor<1x8x16xf16>, tensor<16x24xf16>) -> tensor<1x8x24xf16>
  %r = mote.reshape %a : (tensor<1x8x24xf16>) -> tensor<1x1x8x24xf16>
  %k0 = mote.constant dense<1.0> : tensor<24x24x1x1xf32>
  %k = mote.cast %k0 {to = f16} : (tensor<24x24x1x1xf32>) -> tensor<24x24x1x1xf16>
  %c = mote.conv %r, %k {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x1x8x24xf16>, tensor<24x24x1x1xf16>) -> tensor<1x1x8x24xf16>
  %o = mote.reshape %c : (tensor<1x1x8x24xf16>) -> tensor<1x8x24xf16>
  %f = mote.cast %o {to = f32} : (tensor<1x8x24xf16>) -> tensor<1x8x24xf32>
  return %f : tensor<1x8x24xf32>
}
}

// -----

// A type no kernel takes: an error naming the op and the type.
module attributes {mote.target = #mote.target<name = "neon", activation_type = f32>} {
func.func @f64(%x: tensor<4xf64>) -> tensor<4xf64> {
  // expected-error @+1 {{neon: no kernel for 'mote.relu' on 'tensor<4xf64>' (the NEON kernels take static tensors of f32, f16, i64, i32, bool, and i8 or i16 in the integer pipeline)}}
  %r = mote.relu %x : tensor<4xf64>
  return %r : tensor<4xf64>
}
}

// -----

// ONNX Gemm as exporters write linear layers runs the pointwise (1x1 convolution) GEMM kernel with the bias
// in its epilogue: B [N, K] (transB) packs as a 1x1 weight, B [K, N] (GPT-2's Conv1D) is transposed at load
// time. transA, a scale, or a C that is not a bias row take the portable loop.
// CHECK-LABEL: func.func @gemms
// CHECK: mote.gemm {{.*}}mote.kernel = "conv2d_pointwise", mote.packed_bytes = 1536 : i64, mote.packed_layout = "conv1x1_from_kn"
// CHECK: mote.gemm {{.*}}mote.kernel = "conv2d_pointwise", mote.packed_bytes = 1536 : i64, mote.packed_layout = "conv1x1", {{.*}}transB = true
// CHECK: mote.gemm {{.*}}mote.kernel = "gemm"
// CHECK-NOT: packed
// CHECK: mote.gemm {{.*}}mote.kernel = "gemm"
// CHECK-NOT: packed
// CHECK: return
module attributes {mote.target = #mote.target<name = "neon", activation_type = f32>} {
func.func @gemms(%x: tensor<8x16xf32>) -> (tensor<8x24xf32>, tensor<8x24xf32>, tensor<8x24xf32>, tensor<8x24xf32>) {
  %b = mote.constant dense<1.0> : tensor<16x24xf32>
  %bt = mote.constant dense<1.0> : tensor<24x16xf32>
  %c = mote.constant dense<1.0> : tensor<24xf32>
  %c2 = mote.constant dense<1.0> : tensor<8x24xf32>
  %0 = mote.gemm %x, %b, %c : (tensor<8x16xf32>, tensor<16x24xf32>, tensor<24xf32>) -> tensor<8x24xf32>
  %1 = mote.gemm %x, %bt, %c {transB = true} : (tensor<8x16xf32>, tensor<24x16xf32>, tensor<24xf32>) -> tensor<8x24xf32>
  %2 = mote.gemm %x, %b, %c {alpha = 0.5 : f32} : (tensor<8x16xf32>, tensor<16x24xf32>, tensor<24xf32>) -> tensor<8x24xf32>
  %3 = mote.gemm %x, %b, %c2 : (tensor<8x16xf32>, tensor<16x24xf32>, tensor<8x24xf32>) -> tensor<8x24xf32>
  return %0, %1, %2, %3 : tensor<8x24xf32>, tensor<8x24xf32>, tensor<8x24xf32>, tensor<8x24xf32>
}
}

// -----

// f16 storage: 3x3 convolutions with channels in multiples of 8 run Winograd F(2x2, 3x3) in f16 arithmetic; the
// others the direct kernel in f16 arithmetic, or in F(4x4, 3x3)'s shapes the f32 Winograd kernel on widened
// copies; binary and unary ops have f16 kernels.
// CHECK-LABEL: func.func @f16_convs
// CHECK: mote.conv {{.*}}mote.kernel = "conv3x3_packed_f16", mote.packed_bytes = 6912 : i64, mote.packed_layout = "conv3x3_f16"
// CHECK: mote.conv {{.*}}mote.kernel = "conv2d_winograd_f23_f16", mote.packed_bytes = 32768 : i64, mote.packed_layout = "winograd_f23_f16"
// CHECK: mote.add {{.*}}mote.kernel = "binary_f16"
// CHECK: mote.silu {{.*}}mote.kernel = "unary_f16"
// CHECK: mote.conv {{.*}}mote.kernel = "conv2d_winograd_f43", mote.kernel_widens, mote.packed_bytes = 165888 : i64
module attributes {mote.target = #mote.target<name = "neon", layout = "NHWC", activation_type = f16>} {
func.func @f16_convs(%x: tensor<1x16x16x12xf16>) -> tensor<1x16x16x36xf16> {
  %w0 = mote.constant dense<1.0> : tensor<32x12x3x3xf32>
  %w = mote.cast %w0 {to = f16} : (tensor<32x12x3x3xf32>) -> tensor<32x12x3x3xf16>
  %a = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x16x16x12xf16>, tensor<32x12x3x3xf16>) -> tensor<1x16x16x32xf16>
  %v0 = mote.constant dense<1.0> : tensor<32x32x3x3xf32>
  %v = mote.cast %v0 {to = f16} : (tensor<32x32x3x3xf32>) -> tensor<32x32x3x3xf16>
  %b = mote.conv %a, %v {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x16x16x32xf16>, tensor<32x32x3x3xf16>) -> tensor<1x16x16x32xf16>
  %c = mote.add %a, %b : (tensor<1x16x16x32xf16>, tensor<1x16x16x32xf16>) -> tensor<1x16x16x32xf16>
  %d = mote.silu %c : tensor<1x16x16x32xf16>
  %u0 = mote.constant dense<1.0> : tensor<36x32x3x3xf32>
  %u = mote.cast %u0 {to = f16} : (tensor<36x32x3x3xf32>) -> tensor<36x32x3x3xf16>
  %e = mote.conv %d, %u {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x16x16x32xf16>, tensor<36x32x3x3xf16>) -> tensor<1x16x16x36xf16>
  return %e : tensor<1x16x16x36xf16>
}
}

// -----

// f16 storage: layer and RMS norms have f16 kernels (statistics in f32, no widened copy, NormF16.cpp).
// CHECK-LABEL: func.func @f16_norms
// CHECK: mote.layer_norm {{.*}}mote.kernel = "layer_norm_f16"
// CHECK-NOT: mote.kernel_widens
// CHECK: mote.rms_norm {{.*}}mote.kernel = "rms_norm_f16"
module attributes {mote.target = #mote.target<name = "neon", layout = "NHWC", activation_type = f16>} {
func.func @f16_norms(%x: tensor<1x7x40xf16>, %s: tensor<40xf16>, %b: tensor<40xf16>) -> tensor<1x7x40xf16> {
  %a = mote.layer_norm %x, %s, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x7x40xf16>, tensor<40xf16>, tensor<40xf16>) -> tensor<1x7x40xf16>
  %r = mote.rms_norm %a, %s {axis = -1 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x7x40xf16>, tensor<40xf16>) -> tensor<1x7x40xf16>
  return %r : tensor<1x7x40xf16>
}
}

// -----

// f16 storage: a strided (downsampling) 3x3 convolution runs the f16 direct kernel too; in f32 it is the
// portable loop.
// CHECK-LABEL: func.func @f16_strided
// CHECK: mote.conv {{.*}}mote.kernel = "conv3x3_packed_f16", mote.packed_bytes = 9216 : i64, mote.packed_layout = "conv3x3_f16"
module attributes {mote.target = #mote.target<name = "neon", layout = "NHWC", activation_type = f16>} {
func.func @f16_strided(%x: tensor<1x16x16x16xf16>) -> tensor<1x8x8x32xf16> {
  %w0 = mote.constant dense<1.0> : tensor<32x16x3x3xf32>
  %w = mote.cast %w0 {to = f16} : (tensor<32x16x3x3xf32>) -> tensor<32x16x3x3xf16>
  %a = mote.conv %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x16x16x16xf16>, tensor<32x16x3x3xf16>) -> tensor<1x8x8x32xf16>
  return %a : tensor<1x8x8x32xf16>
}
}
