// RUN: mote-opt %s -split-input-file -mote-quantize-activations | FileCheck %s
// RUN: mote-opt %s -split-input-file -mote-quantize-activations="activation-clip=max" | FileCheck %s --check-prefix=MAX
// RUN: not mote-opt %s -split-input-file -mote-quantize-activations="scheme=w8a16" 2>&1 | FileCheck %s --check-prefix=W8A16

// A convolution (int8 weight, scale 0.02 per channel, as mote-quantize-weights leaves it) and its ReLU: the
// input's range 12.7 gives scale 0.1, the ReLU's 25.4 scale 0.2 (abs_max ranges are twice: the MAX run). The
// bias 1.0 at the sums' scale 0.1 * 0.02 = 0.002 is 500; the multiplier 0.002 / 0.2 = 0.01 = 0.64 * 2^-6 is
// mult 41943 (0.64 * 65536), shift 6; the ReLU becomes the clamp at 0.
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @conv_relu
// MAX-LABEL: func.func @conv_relu
func.func @conv_relu(%x: tensor<1x4x4x2xf32> {mote.value_range = {abs_max = 25.4 : f32, mse_clip = 12.7 : f32}}) -> tensor<1x4x4x1xf32> {
  %q = mote.constant dense<[[[[1]], [[-2]]]]> : tensor<1x2x1x1xi8>
  %s = mote.constant dense<0.02> : tensor<1xf32>
  %w = mote.dequantize %q, %s {axis = 0 : i64} : (tensor<1x2x1x1xi8>, tensor<1xf32>) -> tensor<1x2x1x1xf32>
  %b = mote.constant dense<1.0> : tensor<1xf32>
  %c = mote.conv %x, %w, %b {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, mote.value_range = {abs_max = 60.0 : f32, mse_clip = 30.0 : f32}} : (tensor<1x4x4x2xf32>, tensor<1x2x1x1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  %r = mote.relu %c {mote.value_range = {abs_max = 50.8 : f32, mse_clip = 25.4 : f32}} : tensor<1x4x4x1xf32>
  return %r : tensor<1x4x4x1xf32>
}
// CHECK: %[[Q:.*]] = mote.quantize_activation %arg0 {scale = 1.000000e-01 : f32}
// CHECK-DAG: %[[B:.*]] = mote.constant dense<500> : tensor<1xi32>
// CHECK-DAG: %[[R:.*]] = mote.constant dense<{{\[}}[41943], [6]]> : tensor<2x1xi32>
// CHECK: %[[C:.*]] = mote.integer_conv %[[Q]], %{{.*}}, %[[B]], %[[R]] {clamp_max = 127 : si32, clamp_min = 0 : si32
// CHECK: %[[D:.*]] = mote.dequantize_activation %[[C]] {scale = 2.000000e-01 : f32}
// CHECK: return %[[D]]
// MAX: mote.quantize_activation %arg0 {scale = 2.000000e-01 : f32}
// MAX: mote.dequantize_activation %{{.*}} {scale = 4.000000e-01 : f32}
}

// -----

// MatMul + Add of a constant row (a linear layer as exporters write it): one integer matmul with the row as its
// bias. A matmul of two activations (attention's) and a value without a calibrated range stay float.
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @linear
func.func @linear(%x: tensor<3x4xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}},
                  %y: tensor<4x3xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}}) -> (tensor<3x2xf32>, tensor<3x3xf32>, tensor<3x2xf32>) {
  %q = mote.constant dense<1> : tensor<4x2xi8>
  %s = mote.constant dense<[0.01, 0.02]> : tensor<2xf32>
  %w = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<4x2xi8>, tensor<2xf32>) -> tensor<4x2xf32>
  %row = mote.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %m = mote.matmul %x, %w {mote.value_range = {abs_max = 2.0 : f32, mse_clip = 2.0 : f32}} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %a = mote.add %m, %row {mote.value_range = {abs_max = 2.54 : f32, mse_clip = 2.54 : f32}} : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %p = mote.matmul %x, %y {mote.value_range = {abs_max = 2.0 : f32, mse_clip = 2.0 : f32}} : (tensor<3x4xf32>, tensor<4x3xf32>) -> tensor<3x3xf32>
  %t = mote.sigmoid %a : tensor<3x2xf32>
  return %a, %p, %t : tensor<3x2xf32>, tensor<3x3xf32>, tensor<3x2xf32>
}
// The bias at the sums' scale 0.01 * [0.01, 0.02]: [5000, -2500].
// CHECK-DAG: mote.constant dense<[5000, -2500]> : tensor<2xi32>
// CHECK: %[[M:.*]] = mote.integer_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {clamp_max = 127 : si32, clamp_min = -127 : si32} : (tensor<3x4xi8>, tensor<4x2xi8>, tensor<2xi32>, tensor<2x2xi32>) -> tensor<3x2xi8>
// CHECK: %[[A:.*]] = mote.dequantize_activation %[[M]] {scale = 2.000000e-02 : f32}
// CHECK-NOT: mote.add
// CHECK: %[[P:.*]] = mote.matmul %arg0, %arg1
// CHECK: %[[T:.*]] = mote.sigmoid %[[A]]
// CHECK: return %[[A]], %[[P]], %[[T]]
}

// -----

// A [M, 1] constant added to a matmul broadcasts per row, not per column: not a bias, the add stays float.
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @column_add
func.func @column_add(%x: tensor<2x4xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}}) -> tensor<2x2xf32> {
  %q = mote.constant dense<1> : tensor<4x2xi8>
  %s = mote.constant dense<0.01> : tensor<2xf32>
  %w = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<4x2xi8>, tensor<2xf32>) -> tensor<4x2xf32>
  %col = mote.constant dense<[[0.5], [-0.5]]> : tensor<2x1xf32>
  %m = mote.matmul %x, %w {mote.value_range = {abs_max = 2.0 : f32, mse_clip = 2.0 : f32}} : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %a = mote.add %m, %col {mote.value_range = {abs_max = 2.54 : f32, mse_clip = 2.54 : f32}} : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x2xf32>
  return %a : tensor<2x2xf32>
}
// CHECK: mote.constant dense<0> : tensor<2xi32>
// CHECK: %[[M:.*]] = mote.integer_matmul
// CHECK: %[[D:.*]] = mote.dequantize_activation %[[M]]
// CHECK: mote.add %[[D]]
}

// -----

// A target with float activations: nothing changes.
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = f32, weight_types = [i8]>} {
// CHECK-LABEL: func.func @float_target
func.func @float_target(%x: tensor<4xf32> {mote.value_range = {abs_max = 1.0 : f32, mse_clip = 1.0 : f32}}) -> tensor<4xf32> {
  // CHECK-NEXT: mote.relu %arg0
  %r = mote.relu %x {mote.value_range = {abs_max = 1.0 : f32, mse_clip = 1.0 : f32}} : tensor<4xf32>
  return %r : tensor<4xf32>
}
}
// W8A16: error: --quantize=w8a16 on target 't': its 16-bit activations are not implemented yet (w8a8 is)
