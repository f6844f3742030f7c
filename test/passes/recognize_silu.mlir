// mote-recognize-silu: x * sigmoid(x), in either operand order, becomes mote.silu; a sigmoid of
// anything else, or a product that broadcasts x, stays as it is.
// RUN: mote-opt %s --split-input-file --mote-recognize-silu | FileCheck %s

// CHECK-LABEL: func.func @silu_sigmoid_rhs
// CHECK-SAME: (%[[X:.*]]: tensor<1x320x8x8xf32>)
// CHECK-NOT: mote.sigmoid
// CHECK: %[[Y:.*]] = mote.silu %[[X]] : tensor<1x320x8x8xf32>
// CHECK-NOT: mote.sigmoid
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @silu_sigmoid_rhs(%x: tensor<1x320x8x8xf32>) -> tensor<1x320x8x8xf32> {
  %0 = mote.sigmoid %x : tensor<1x320x8x8xf32>
  %1 = mote.mul %x, %0 : (tensor<1x320x8x8xf32>, tensor<1x320x8x8xf32>) -> tensor<1x320x8x8xf32>
  return %1 : tensor<1x320x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @silu_sigmoid_lhs
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x128xf16>)
// CHECK-NOT: mote.sigmoid
// CHECK: %[[Y:.*]] = mote.silu %[[X]] : tensor<1x16x128xf16>
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @silu_sigmoid_lhs(%x: tensor<1x16x128xf16>) -> tensor<1x16x128xf16> {
  %0 = mote.sigmoid %x : tensor<1x16x128xf16>
  %1 = mote.mul %0, %x : (tensor<1x16x128xf16>, tensor<1x16x128xf16>) -> tensor<1x16x128xf16>
  return %1 : tensor<1x16x128xf16>
}

// -----

// SiLU of a computed value (a conv output, as in a UNet resnet block).
// CHECK-LABEL: func.func @silu_of_conv
// CHECK: %[[C:.*]] = mote.conv
// CHECK-NOT: mote.sigmoid
// CHECK: %[[Y:.*]] = mote.silu %[[C]] : tensor<1x8x4x4xf32>
// CHECK: return %[[Y]]
func.func @silu_of_conv(%x: tensor<1x4x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w = mote.constant dense_resource<conv_weight> : tensor<8x4x3x3xf32>
  %b = mote.constant dense_resource<conv_bias> : tensor<8xf32>
  %0 = mote.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = mote.sigmoid %0 : tensor<1x8x4x4xf32>
  %2 = mote.mul %0, %1 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// The sigmoid has another user: the product still becomes silu, and the sigmoid stays for that user.
// CHECK-LABEL: func.func @silu_sigmoid_shared
// CHECK-SAME: (%[[X:.*]]: tensor<2x64xf32>)
// CHECK-DAG: %[[S:.*]] = mote.sigmoid %[[X]] : tensor<2x64xf32>
// CHECK-DAG: %[[Y:.*]] = mote.silu %[[X]] : tensor<2x64xf32>
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]], %[[S]]
func.func @silu_sigmoid_shared(%x: tensor<2x64xf32>) -> (tensor<2x64xf32>, tensor<2x64xf32>) {
  %0 = mote.sigmoid %x : tensor<2x64xf32>
  %1 = mote.mul %x, %0 : (tensor<2x64xf32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  return %1, %0 : tensor<2x64xf32>, tensor<2x64xf32>
}

// -----

// Two SiLUs in a row: each product is rewritten.
// CHECK-LABEL: func.func @silu_chain
// CHECK-SAME: (%[[X:.*]]: tensor<4x4xf32>)
// CHECK: %[[A:.*]] = mote.silu %[[X]] : tensor<4x4xf32>
// CHECK: %[[B:.*]] = mote.silu %[[A]] : tensor<4x4xf32>
// CHECK-NOT: mote.sigmoid
// CHECK: return %[[B]]
func.func @silu_chain(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = mote.sigmoid %x : tensor<4x4xf32>
  %1 = mote.mul %x, %0 : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %2 = mote.sigmoid %1 : tensor<4x4xf32>
  %3 = mote.mul %2, %1 : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %3 : tensor<4x4xf32>
}

// -----

// x * sigmoid(y) with y != x is a gate (GLU-like), not SiLU.
// CHECK-LABEL: func.func @no_silu_other_operand
// CHECK-NOT: mote.silu
// CHECK: mote.sigmoid
// CHECK: mote.mul
// CHECK-NOT: mote.silu
func.func @no_silu_other_operand(%x: tensor<2x64xf32>, %y: tensor<2x64xf32>) -> tensor<2x64xf32> {
  %0 = mote.sigmoid %y : tensor<2x64xf32>
  %1 = mote.mul %x, %0 : (tensor<2x64xf32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  return %1 : tensor<2x64xf32>
}

// -----

// Swish with beta != 1, x * sigmoid(2 * x), is not SiLU (and QuickGELU is not either).
// CHECK-LABEL: func.func @no_silu_scaled_sigmoid
// CHECK-NOT: mote.silu
// CHECK: mote.sigmoid
// CHECK: mote.mul
// CHECK-NOT: mote.silu
func.func @no_silu_scaled_sigmoid(%x: tensor<2x64xf32>) -> tensor<2x64xf32> {
  %c = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.mul %x, %c : (tensor<2x64xf32>, tensor<f32>) -> tensor<2x64xf32>
  %1 = mote.sigmoid %0 : tensor<2x64xf32>
  %2 = mote.mul %x, %1 : (tensor<2x64xf32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  return %2 : tensor<2x64xf32>
}
