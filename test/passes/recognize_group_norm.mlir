// mote-recognize-group-norm: reshape [N, C, ...] -> [N, G, ...], instance_norm with unit scale and zero
// bias, reshape back to [N, C, ...], then an optional * scale and + bias of shape [C, 1, ...] or
// [1, C, 1, ...], becomes mote.group_norm with [C] parameters (ones and zeros when absent).
// RUN: mote-opt %s --split-input-file --mote-recognize-group-norm | FileCheck %s

// What torch.onnx.export (opset <= 17) writes for nn.GroupNorm(8, 32): Reshape, InstanceNormalization,
// Reshape, Mul, Add, with the affine parameters unsqueezed to [C, 1, 1].
// CHECK-LABEL: func.func @gn_torch_export
// CHECK-SAME: (%[[X:.*]]: tensor<1x32x8x8xf32>)
// The parameters are reshaped to [C] (the reshape of a weight folds into the weight).
// CHECK-DAG: %[[W:.*]] = mote.constant dense_resource<gn_weight> : tensor<32xf32>
// CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<gn_bias> : tensor<32xf32>
// CHECK-NOT: mote.instance_norm
// CHECK: %[[Y:.*]] = mote.group_norm %[[X]], %[[W]], %[[B]] {epsilon = 9.99999974E-6 : f32, num_groups = 8 : i64} : (tensor<1x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x32x8x8xf32>
// CHECK-NOT: mote.instance_norm
// CHECK-NOT: mote.mul
// CHECK-NOT: mote.add
// CHECK: return %[[Y]]
func.func @gn_torch_export(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  %w = mote.constant dense_resource<gn_weight> : tensor<32x1x1xf32>
  %3 = mote.mul %2, %w : (tensor<1x32x8x8xf32>, tensor<32x1x1xf32>) -> tensor<1x32x8x8xf32>
  %bias = mote.constant dense_resource<gn_bias> : tensor<32x1x1xf32>
  %4 = mote.add %3, %bias : (tensor<1x32x8x8xf32>, tensor<32x1x1xf32>) -> tensor<1x32x8x8xf32>
  return %4 : tensor<1x32x8x8xf32>
}

// -----

// [1, C, 1, 1] parameters, batch 2, the parameters on the left of their ops, the grouped value of rank 4.
// CHECK-LABEL: func.func @gn_params_1c11
// CHECK-SAME: (%[[X:.*]]: tensor<2x32x8x8xf32>)
// CHECK-DAG: %[[W:.*]] = mote.constant dense_resource<gn_weight> : tensor<32xf32>
// CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<gn_bias> : tensor<32xf32>
// CHECK: %[[Y:.*]] = mote.group_norm %[[X]], %[[W]], %[[B]] {epsilon = 9.99999974E-6 : f32, num_groups = 4 : i64} : (tensor<2x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<2x32x8x8xf32>
// CHECK-NOT: mote.instance_norm
// CHECK: return %[[Y]]
func.func @gn_params_1c11(%x: tensor<2x32x8x8xf32>) -> tensor<2x32x8x8xf32> {
  %0 = mote.reshape %x : (tensor<2x32x8x8xf32>) -> tensor<2x4x8x64xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<4xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<4xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<2x4x8x64xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x8x64xf32>
  %2 = mote.reshape %1 : (tensor<2x4x8x64xf32>) -> tensor<2x32x8x8xf32>
  %w = mote.constant dense_resource<gn_weight> : tensor<1x32x1x1xf32>
  %3 = mote.mul %w, %2 : (tensor<1x32x1x1xf32>, tensor<2x32x8x8xf32>) -> tensor<2x32x8x8xf32>
  %bias = mote.constant dense_resource<gn_bias> : tensor<1x32x1x1xf32>
  %4 = mote.add %bias, %3 : (tensor<1x32x1x1xf32>, tensor<2x32x8x8xf32>) -> tensor<2x32x8x8xf32>
  return %4 : tensor<2x32x8x8xf32>
}

// -----

// No affine parameters: scale of ones and bias of zeros, per channel; epsilon from the instance norm.
// CHECK-LABEL: func.func @gn_no_affine
// CHECK-SAME: (%[[X:.*]]: tensor<1x32x8x8xf32>)
// CHECK-DAG: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<32xf32>
// CHECK-DAG: %[[ZEROS:.*]] = mote.constant dense<0.000000e+00> : tensor<32xf32>
// CHECK: %[[Y:.*]] = mote.group_norm %[[X]], %[[ONES]], %[[ZEROS]] {epsilon = 9.99999997E-7 : f32, num_groups = 8 : i64} : (tensor<1x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x32x8x8xf32>
// CHECK-NOT: mote.reshape
// CHECK: return %[[Y]]
func.func @gn_no_affine(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999997E-7 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  return %2 : tensor<1x32x8x8xf32>
}

// -----

// Scale only: bias of zeros.
// CHECK-LABEL: func.func @gn_scale_only
// CHECK-SAME: (%[[X:.*]]: tensor<1x32x8x8xf32>)
// CHECK-DAG: %[[W:.*]] = mote.constant dense_resource<gn_weight> : tensor<32xf32>
// CHECK-DAG: %[[ZEROS:.*]] = mote.constant dense<0.000000e+00> : tensor<32xf32>
// CHECK: %[[Y:.*]] = mote.group_norm %[[X]], %[[W]], %[[ZEROS]] {epsilon = 9.99999974E-6 : f32, num_groups = 8 : i64}
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @gn_scale_only(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  %w = mote.constant dense_resource<gn_weight> : tensor<32x1x1xf32>
  %3 = mote.mul %2, %w : (tensor<1x32x8x8xf32>, tensor<32x1x1xf32>) -> tensor<1x32x8x8xf32>
  return %3 : tensor<1x32x8x8xf32>
}

// -----

// Bias only: scale of ones.
// CHECK-LABEL: func.func @gn_bias_only
// CHECK-SAME: (%[[X:.*]]: tensor<1x32x8x8xf32>)
// CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<gn_bias> : tensor<32xf32>
// CHECK-DAG: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<32xf32>
// CHECK: %[[Y:.*]] = mote.group_norm %[[X]], %[[ONES]], %[[B]] {epsilon = 9.99999974E-6 : f32, num_groups = 8 : i64}
// CHECK-NOT: mote.add
// CHECK: return %[[Y]]
func.func @gn_bias_only(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  %bias = mote.constant dense_resource<gn_bias> : tensor<32x1x1xf32>
  %3 = mote.add %2, %bias : (tensor<1x32x8x8xf32>, tensor<32x1x1xf32>) -> tensor<1x32x8x8xf32>
  return %3 : tensor<1x32x8x8xf32>
}

// -----

// A rank-3 [N, C, L] input (GroupNorm over a 1-D signal), [C, 1] parameters, half precision.
// CHECK-LABEL: func.func @gn_rank3_f16
// CHECK-SAME: (%[[X:.*]]: tensor<1x64x100xf16>, %[[W:.*]]: tensor<64x1xf16>, %[[B:.*]]: tensor<64x1xf16>)
// CHECK-DAG: %[[S1:.*]] = mote.reshape %[[W]] : (tensor<64x1xf16>) -> tensor<64xf16>
// CHECK-DAG: %[[B1:.*]] = mote.reshape %[[B]] : (tensor<64x1xf16>) -> tensor<64xf16>
// CHECK: %[[Y:.*]] = mote.group_norm %[[X]], %[[S1]], %[[B1]] {epsilon = 9.99999974E-6 : f32, num_groups = 16 : i64} : (tensor<1x64x100xf16>, tensor<64xf16>, tensor<64xf16>) -> tensor<1x64x100xf16>
// CHECK-NOT: mote.instance_norm
// CHECK: return %[[Y]]
func.func @gn_rank3_f16(%x: tensor<1x64x100xf16>, %w: tensor<64x1xf16>, %bias: tensor<64x1xf16>) -> tensor<1x64x100xf16> {
  %0 = mote.reshape %x : (tensor<1x64x100xf16>) -> tensor<1x16x400xf16>
  %s = mote.constant dense<1.000000e+00> : tensor<16xf16>
  %b = mote.constant dense<0.000000e+00> : tensor<16xf16>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x16x400xf16>, tensor<16xf16>, tensor<16xf16>) -> tensor<1x16x400xf16>
  %2 = mote.reshape %1 : (tensor<1x16x400xf16>) -> tensor<1x64x100xf16>
  %3 = mote.mul %2, %w : (tensor<1x64x100xf16>, tensor<64x1xf16>) -> tensor<1x64x100xf16>
  %4 = mote.add %3, %bias : (tensor<1x64x100xf16>, tensor<64x1xf16>) -> tensor<1x64x100xf16>
  return %4 : tensor<1x64x100xf16>
}

// -----

// The grouped input has another user: the norm is still recognized and the reshape stays for it.
// CHECK-LABEL: func.func @gn_grouped_shared
// CHECK-SAME: (%[[X:.*]]: tensor<1x32x8x8xf32>)
// CHECK-DAG: %[[G:.*]] = mote.reshape %[[X]] : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
// CHECK-DAG: %[[Y:.*]] = mote.group_norm %[[X]]
// CHECK-NOT: mote.instance_norm
// CHECK: return %[[Y]], %[[G]]
func.func @gn_grouped_shared(%x: tensor<1x32x8x8xf32>) -> (tensor<1x32x8x8xf32>, tensor<1x8x256xf32>) {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  return %2, %0 : tensor<1x32x8x8xf32>, tensor<1x8x256xf32>
}

// -----

// The normalized value (before the affine step) has another user: group_norm with unit scale and zero
// bias replaces it, and the multiply and add stay, reading the group_norm.
// CHECK-LABEL: func.func @gn_normalized_shared
// CHECK-SAME: (%[[X:.*]]: tensor<1x32x8x8xf32>)
// CHECK-DAG: %[[W:.*]] = mote.constant dense_resource<gn_weight> : tensor<32x1x1xf32>
// CHECK-DAG: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<32xf32>
// CHECK-DAG: %[[ZEROS:.*]] = mote.constant dense<0.000000e+00> : tensor<32xf32>
// CHECK: %[[N:.*]] = mote.group_norm %[[X]], %[[ONES]], %[[ZEROS]] {epsilon = 9.99999974E-6 : f32, num_groups = 8 : i64}
// CHECK: %[[Y:.*]] = mote.mul %[[N]], %[[W]]
// CHECK: return %[[Y]], %[[N]]
func.func @gn_normalized_shared(%x: tensor<1x32x8x8xf32>) -> (tensor<1x32x8x8xf32>, tensor<1x32x8x8xf32>) {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  %w = mote.constant dense_resource<gn_weight> : tensor<32x1x1xf32>
  %3 = mote.mul %2, %w : (tensor<1x32x8x8xf32>, tensor<32x1x1xf32>) -> tensor<1x32x8x8xf32>
  return %3, %2 : tensor<1x32x8x8xf32>, tensor<1x32x8x8xf32>
}

// -----

// A multiplier that broadcasts along the last axis ([8] against [1, 32, 4, 8]) is not per channel: the
// norm gets unit scale and the multiply stays.
// CHECK-LABEL: func.func @gn_multiplier_not_per_channel
// CHECK-SAME: (%[[X:.*]]: tensor<1x32x4x8xf32>, %[[V:.*]]: tensor<8xf32>)
// CHECK-DAG: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<32xf32>
// CHECK-DAG: %[[ZEROS:.*]] = mote.constant dense<0.000000e+00> : tensor<32xf32>
// CHECK: %[[N:.*]] = mote.group_norm %[[X]], %[[ONES]], %[[ZEROS]]
// CHECK: %[[Y:.*]] = mote.mul %[[N]], %[[V]]
// CHECK: return %[[Y]]
func.func @gn_multiplier_not_per_channel(%x: tensor<1x32x4x8xf32>, %v: tensor<8xf32>) -> tensor<1x32x4x8xf32> {
  %0 = mote.reshape %x : (tensor<1x32x4x8xf32>) -> tensor<1x8x128xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x128xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x128xf32>
  %2 = mote.reshape %1 : (tensor<1x8x128xf32>) -> tensor<1x32x4x8xf32>
  %3 = mote.mul %2, %v : (tensor<1x32x4x8xf32>, tensor<8xf32>) -> tensor<1x32x4x8xf32>
  return %3 : tensor<1x32x4x8xf32>
}

// -----

// An instance norm with its own (non-unit) scale is not the plain statistics step.
// CHECK-LABEL: func.func @no_gn_instance_scale
// CHECK-NOT: mote.group_norm
// CHECK: mote.instance_norm
// CHECK-NOT: mote.group_norm
// CHECK: return
func.func @no_gn_instance_scale(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<2.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  return %2 : tensor<1x32x8x8xf32>
}

// -----

// A per-group learned scale (not a splat) is not unit either.
// CHECK-LABEL: func.func @no_gn_instance_weight
// CHECK-NOT: mote.group_norm
// CHECK: mote.instance_norm
// CHECK-NOT: mote.group_norm
// CHECK: return
func.func @no_gn_instance_weight(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense_resource<in_weight> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  return %2 : tensor<1x32x8x8xf32>
}

// -----

// A non-zero instance-norm bias.
// CHECK-LABEL: func.func @no_gn_instance_bias
// CHECK-NOT: mote.group_norm
// CHECK: mote.instance_norm
// CHECK-NOT: mote.group_norm
// CHECK: return
func.func @no_gn_instance_bias(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<5.000000e-01> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  return %2 : tensor<1x32x8x8xf32>
}

// -----

// Reshaped back to [N, C, H*W] instead of the input's [N, C, H, W].
// CHECK-LABEL: func.func @no_gn_reshape_back_other_shape
// CHECK-NOT: mote.group_norm
// CHECK: mote.instance_norm
// CHECK: mote.reshape %{{.*}} : (tensor<1x8x256xf32>) -> tensor<1x32x64xf32>
// CHECK-NOT: mote.group_norm
// CHECK: return
func.func @no_gn_reshape_back_other_shape(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x64xf32> {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x64xf32>
  return %2 : tensor<1x32x64xf32>
}

// -----

// The instance norm's result has another user besides the reshape back.
// CHECK-LABEL: func.func @no_gn_instance_norm_shared
// CHECK-NOT: mote.group_norm
// CHECK: %[[N:.*]] = mote.instance_norm
// CHECK-NOT: mote.group_norm
// CHECK: return %{{.*}}, %[[N]]
func.func @no_gn_instance_norm_shared(%x: tensor<1x32x8x8xf32>) -> (tensor<1x32x8x8xf32>, tensor<1x8x256xf32>) {
  %0 = mote.reshape %x : (tensor<1x32x8x8xf32>) -> tensor<1x8x256xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x256xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x256xf32>
  %2 = mote.reshape %1 : (tensor<1x8x256xf32>) -> tensor<1x32x8x8xf32>
  return %2, %1 : tensor<1x32x8x8xf32>, tensor<1x8x256xf32>
}

// -----

// An instance norm of the input itself (no grouping reshape) is InstanceNorm, not GroupNorm.
// CHECK-LABEL: func.func @no_gn_plain_instance_norm
// CHECK-NOT: mote.group_norm
// CHECK: mote.instance_norm
// CHECK-NOT: mote.group_norm
// CHECK: return
func.func @no_gn_plain_instance_norm(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %s = mote.constant dense<1.000000e+00> : tensor<32xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<32xf32>
  %0 = mote.instance_norm %x, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x32x8x8xf32>
  return %0 : tensor<1x32x8x8xf32>
}

// -----

// The grouping reshape mixes the two instances of the batch ([2, 32, 8, 8] -> [1, 8, 512]).
// CHECK-LABEL: func.func @no_gn_batch_mixed
// CHECK-NOT: mote.group_norm
// CHECK: mote.instance_norm
// CHECK-NOT: mote.group_norm
// CHECK: return
func.func @no_gn_batch_mixed(%x: tensor<2x32x8x8xf32>) -> tensor<2x32x8x8xf32> {
  %0 = mote.reshape %x : (tensor<2x32x8x8xf32>) -> tensor<1x8x512xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<8xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<8xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x512xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x512xf32>
  %2 = mote.reshape %1 : (tensor<1x8x512xf32>) -> tensor<2x32x8x8xf32>
  return %2 : tensor<2x32x8x8xf32>
}

// -----

// 4 "groups" of 6 channels do not split channels evenly ([1, 6, 4, 4] -> [1, 4, 24]): each row mixes
// channels, so this is not a group norm.
// CHECK-LABEL: func.func @no_gn_groups_do_not_divide
// CHECK-NOT: mote.group_norm
// CHECK: mote.instance_norm
// CHECK-NOT: mote.group_norm
// CHECK: return
func.func @no_gn_groups_do_not_divide(%x: tensor<1x6x4x4xf32>) -> tensor<1x6x4x4xf32> {
  %0 = mote.reshape %x : (tensor<1x6x4x4xf32>) -> tensor<1x4x24xf32>
  %s = mote.constant dense<1.000000e+00> : tensor<4xf32>
  %b = mote.constant dense<0.000000e+00> : tensor<4xf32>
  %1 = mote.instance_norm %0, %s, %b {epsilon = 9.99999974E-6 : f32} : (tensor<1x4x24xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x24xf32>
  %2 = mote.reshape %1 : (tensor<1x4x24xf32>) -> tensor<1x6x4x4xf32>
  return %2 : tensor<1x6x4x4xf32>
}
