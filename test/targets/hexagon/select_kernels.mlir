// RUN: mote-opt %s -split-input-file -mote-hexagon-select-kernels -verify-diagnostics | FileCheck %s

// The integer pipeline's ops and their HVX kernels; the float edges are the program's int8 inputs and outputs.
module attributes {mote.target = #mote.target<name = "hexagon", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @pipeline
func.func @pipeline(%x: tensor<1x4x4x8xf32>) -> tensor<1x8x4x4xf32> {
  %w = mote.constant dense<1> : tensor<8x8x3x3xi8>
  %b = mote.constant dense<0> : tensor<8xi32>
  %r = mote.constant dense<1> : tensor<2x8xi32>
  %v = mote.constant dense<1> : tensor<8x8xi8>
  // CHECK: mote.quantize_activation {{.*}}mote.kernel = "input_i8"
  %0 = mote.quantize_activation %x {scale = 0.05 : f32} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xi8>
  // CHECK: mote.integer_conv {{.*}}mote.kernel = "conv_i8_hvx_vrmpy"
  %1 = mote.integer_conv %0, %w, %b, %r {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, clamp_min = 0 : si32, clamp_max = 127 : si32} : (tensor<1x4x4x8xi8>, tensor<8x8x3x3xi8>, tensor<8xi32>, tensor<2x8xi32>) -> tensor<1x4x4x8xi8>
  // CHECK: mote.integer_matmul {{.*}}mote.kernel = "gemm_i8_hvx_vrmpy"
  %2 = mote.integer_matmul %1, %v, %b, %r {clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x4x4x8xi8>, tensor<8x8xi8>, tensor<8xi32>, tensor<2x8xi32>) -> tensor<1x4x4x8xi8>
  // CHECK: mote.integer_add {{.*}}mote.kernel = "add_i8"
  %3 = mote.integer_add %2, %0 {lhs_multiplier = 16384 : i32, rhs_multiplier = 8192 : i32, shift = 14 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x4x4x8xi8>, tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8>
  // CHECK: mote.integer_table {{.*}}mote.kernel = "table_i8"
  %4 = mote.integer_table %3 {table = dense<1> : tensor<256xi8>} : (tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8>
  // CHECK: mote.transpose {{.*}}mote.kernel = "copy_strided_i8"
  %5 = mote.transpose %4 {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x4x8xi8>) -> tensor<1x8x4x4xi8>
  // CHECK: mote.dequantize_activation {{.*}}mote.kernel = "output_i8"
  %6 = mote.dequantize_activation %5 {scale = 0.25 : f32} : (tensor<1x8x4x4xi8>) -> tensor<1x8x4x4xf32>
  return %6 : tensor<1x8x4x4xf32>
}
}

// -----

// Norms and attention name their width; int8 attention takes its dot products on vrmpy.
module attributes {mote.target = #mote.target<name = "hexagon", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @norm_attention
func.func @norm_attention(%x: tensor<1x2x4x8xf32>, %y: tensor<1x2x4x8xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) {
  %p = mote.constant dense<1> : tensor<2x8xi32>
  %t = mote.constant dense<[65536, 0]> : tensor<2xi32>
  %q8 = mote.quantize_activation %x {scale = 0.05 : f32} : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xi8>
  %q16 = mote.quantize_activation %y {scale = 0.0002 : f32} : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xi16>
  // CHECK: mote.integer_norm {{.*}}mote.kernel = "norm_i8"
  %n8 = mote.integer_norm %q8, %p {center = true, epsilon = 1 : i64, frac_bits = 8 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x2x4x8xi8>, tensor<2x8xi32>) -> tensor<1x2x4x8xi8>
  // CHECK: mote.integer_norm {{.*}}mote.kernel = "norm_i16"
  %n16 = mote.integer_norm %q16, %p {center = true, epsilon = 1 : i64, frac_bits = 8 : i32, clamp_min = -32767 : si32, clamp_max = 32767 : si32} : (tensor<1x2x4x8xi16>, tensor<2x8xi32>) -> tensor<1x2x4x8xi16>
  // CHECK: mote.integer_attention {{.*}}mote.kernel = "attention_i8_hvx_vrmpy"
  %a8 = mote.integer_attention %n8, %n8, %n8, %t {clamp_max = 127 : si32, clamp_min = -127 : si32, logit_mult = 49192 : i32, logit_shift = 6 : i32, out_mult = 51643 : i32, out_shift = 14 : i32} : (tensor<1x2x4x8xi8>, tensor<1x2x4x8xi8>, tensor<1x2x4x8xi8>, tensor<2xi32>) -> tensor<1x2x4x8xi8>
  // CHECK: mote.integer_attention {{.*}}mote.kernel = "attention_i16"
  %a16 = mote.integer_attention %n16, %n16, %n16, %t {clamp_max = 32767 : si32, clamp_min = -32767 : si32, logit_mult = 49192 : i32, logit_shift = 6 : i32, out_mult = 51643 : i32, out_shift = 14 : i32} : (tensor<1x2x4x8xi16>, tensor<1x2x4x8xi16>, tensor<1x2x4x8xi16>, tensor<2xi32>) -> tensor<1x2x4x8xi16>
  %o8 = mote.dequantize_activation %a8 {scale = 0.05 : f32} : (tensor<1x2x4x8xi8>) -> tensor<1x2x4x8xf32>
  %o16 = mote.dequantize_activation %a16 {scale = 0.0002 : f32} : (tensor<1x2x4x8xi16>) -> tensor<1x2x4x8xf32>
  return %o8, %o16 : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>
}
}

// -----

// A float op between the edges cannot run: the program computes in integers only (the first op to say so is
// the dequantize that feeds it).
module attributes {mote.target = #mote.target<name = "hexagon", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
func.func @float_op(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mote.quantize_activation %x {scale = 0.05 : f32} : (tensor<4xf32>) -> tensor<4xi8>
  // expected-error @+1 {{hexagon: mote.dequantize_activation hands an integer value to a float op; the program computes in integers only (that op has no integer form yet)}}
  %1 = mote.dequantize_activation %0 {scale = 0.05 : f32} : (tensor<4xi8>) -> tensor<4xf32>
  %2 = mote.softmax %1 {axis = 0 : i64} : tensor<4xf32>
  return %2 : tensor<4xf32>
}
}
