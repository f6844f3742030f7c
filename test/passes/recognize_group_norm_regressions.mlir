// Regressions of the group norm recognition: cases that once rewrote wrongly, produced invalid IR or
// were missed; each comment says what went wrong.
// RUN: mote-opt %s --split-input-file --mote-recognize-group-norm | FileCheck %s

// A scale computed between the reshape back and the multiply: here an fp16 weight cast to f32, as a
// mixed-precision export writes it (the cast of a dense_resource weight does not fold). perChannel()
// creates the [C] reshape of the scale at the insertion point set to the reshape back (`out`), i.e.
// before the cast that defines the scale: the pass produces IR that fails verification ("operand #0
// does not dominate this use"), and `motec compile --compile-to=canonical` fails on the equivalent
// ONNX model. Now: the reshape of the scale is placed where the scale dominates it.
// CHECK-LABEL: func.func @gn_scale_defined_after_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<1x32x8x8xf32>)
// CHECK: %[[W:.*]] = mote.cast
// CHECK: %[[S:.*]] = mote.reshape %[[W]] : (tensor<32x1x1xf32>) -> tensor<32xf32>
// CHECK: %[[Y:.*]] = mote.group_norm %[[X]], %[[S]], %{{.*}} {epsilon = 9.99999974E-6 : f32, num_groups = 8 : i64}
// CHECK: return %[[Y]]
func.func @gn_scale_defined_after_reshape(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  %w16 = mote.constant dense_resource<gn_weight_f16> : tensor<32x1x1xf16>
  %w = mote.cast %w16 {to = f32} : (tensor<32x1x1xf16>) -> tensor<32x1x1xf32>
  %3 = mote.mul %2, %w : (tensor<1x32x8x8xf32>, tensor<32x1x1xf32>) -> tensor<1x32x8x8xf32>
  return %3 : tensor<1x32x8x8xf32>
}

// -----

// The same with the bias computed between the multiply and the add.
// CHECK-LABEL: func.func @gn_bias_defined_after_mul
// CHECK-SAME: (%[[X:.*]]: tensor<1x32x8x8xf32>)
// CHECK: %[[B16:.*]] = mote.cast
// CHECK: %[[B:.*]] = mote.reshape %[[B16]] : (tensor<32x1x1xf32>) -> tensor<32xf32>
// CHECK: %[[Y:.*]] = mote.group_norm %[[X]], %{{.*}}, %[[B]] {epsilon = 9.99999974E-6 : f32, num_groups = 8 : i64}
// CHECK: return %[[Y]]
func.func @gn_bias_defined_after_mul(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  %w = mote.constant dense_resource<gn_weight> : tensor<32x1x1xf32>
  %3 = mote.mul %2, %w : (tensor<1x32x8x8xf32>, tensor<32x1x1xf32>) -> tensor<1x32x8x8xf32>
  %bias16 = mote.constant dense_resource<gn_bias_f16> : tensor<32x1x1xf16>
  %bias = mote.cast %bias16 {to = f32} : (tensor<32x1x1xf16>) -> tensor<32x1x1xf32>
  %4 = mote.add %3, %bias : (tensor<1x32x8x8xf32>, tensor<32x1x1xf32>) -> tensor<1x32x8x8xf32>
  return %4 : tensor<1x32x8x8xf32>
}
