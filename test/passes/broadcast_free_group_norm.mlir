// mote-broadcast-free-group-norm: where the module's target has no group_norm kernel, group_norm
// becomes reshape [N, G, C/G, S] -> mean over (2, 3) -> sub -> mul -> mean -> add eps -> sqrt -> div ->
// reshape back -> mul scale [1, C, 1, ...] -> add bias [1, C, 1, ...]: no value of rank above max_rank,
// no mote.expand, and each elementwise op broadcasts at most one operand against a value of its own
// rank (or a scalar epsilon). A native group_norm, or a module without a target, is left alone; a
// target that allows no implicit broadcasting is an error at the op.
// RUN: mote-opt %s --split-input-file --verify-diagnostics --mote-broadcast-free-group-norm | FileCheck %s

// The OpenCL-style target: rank <= 4, no explicit broadcast, group_norm not native.
// CHECK-LABEL: func.func @gn_rank4
// CHECK-SAME: (%[[X:.*]]: tensor<2x32x8x8xf32>)
// CHECK-NOT: mote.group_norm
// CHECK: %[[G:.*]] = mote.reshape %[[X]] : (tensor<2x32x8x8xf32>) -> tensor<2x8x4x64xf32>
// CHECK: %[[MEAN:.*]] = mote.reduce_mean %[[G]] {axes = array<i64: 2, 3>} : (tensor<2x8x4x64xf32>) -> tensor<2x8x1x1xf32>
// CHECK: %[[D:.*]] = mote.sub %[[G]], %[[MEAN]] : (tensor<2x8x4x64xf32>, tensor<2x8x1x1xf32>) -> tensor<2x8x4x64xf32>
// CHECK: %[[SQ:.*]] = mote.mul %[[D]], %[[D]] : (tensor<2x8x4x64xf32>, tensor<2x8x4x64xf32>) -> tensor<2x8x4x64xf32>
// CHECK: %[[VAR:.*]] = mote.reduce_mean %[[SQ]] {axes = array<i64: 2, 3>} : (tensor<2x8x4x64xf32>) -> tensor<2x8x1x1xf32>
// CHECK: %[[EPS:.*]] = mote.constant dense<9.99999974E-6> : tensor<f32>
// CHECK: %[[VE:.*]] = mote.add %[[VAR]], %[[EPS]] : (tensor<2x8x1x1xf32>, tensor<f32>) -> tensor<2x8x1x1xf32>
// CHECK: %[[STD:.*]] = mote.sqrt %[[VE]] : tensor<2x8x1x1xf32>
// CHECK: %[[N:.*]] = mote.div %[[D]], %[[STD]] : (tensor<2x8x4x64xf32>, tensor<2x8x1x1xf32>) -> tensor<2x8x4x64xf32>
// CHECK: %[[BACK:.*]] = mote.reshape %[[N]] : (tensor<2x8x4x64xf32>) -> tensor<2x32x8x8xf32>
// The reshape of a weight folds into the weight.
// CHECK: %[[W:.*]] = mote.constant dense_resource<gn_weight> : tensor<1x32x1x1xf32>
// CHECK: %[[S:.*]] = mote.mul %[[BACK]], %[[W]] : (tensor<2x32x8x8xf32>, tensor<1x32x1x1xf32>) -> tensor<2x32x8x8xf32>
// CHECK: %[[B:.*]] = mote.constant dense_resource<gn_bias> : tensor<1x32x1x1xf32>
// CHECK: %[[Y:.*]] = mote.add %[[S]], %[[B]] : (tensor<2x32x8x8xf32>, tensor<1x32x1x1xf32>) -> tensor<2x32x8x8xf32>
// CHECK-NOT: mote.expand
// CHECK-NOT: {{tensor<[0-9]+x[0-9]+x[0-9]+x[0-9]+x[0-9]+x}}
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, native = ["layer_norm"], activation_type = f32>} {
  func.func @gn_rank4(%x: tensor<2x32x8x8xf32>) -> tensor<2x32x8x8xf32> {
    %w = mote.constant dense_resource<gn_weight> : tensor<32xf32>
    %b = mote.constant dense_resource<gn_bias> : tensor<32xf32>
    %y = mote.group_norm %x, %w, %b {num_groups = 8 : i64, epsilon = 1.0e-05 : f32} : (tensor<2x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<2x32x8x8xf32>
    return %y : tensor<2x32x8x8xf32>
  }
}

// -----

// Parameters that are values, not constants, are reshaped to [1, C, 1, 1] by ops; several norms in one
// module are all rewritten.
// CHECK-LABEL: func.func @gn_value_params
// CHECK-SAME: (%[[X:.*]]: tensor<1x64x4x4xf32>, %[[W:.*]]: tensor<64xf32>, %[[B:.*]]: tensor<64xf32>)
// CHECK: mote.reshape %[[X]] : (tensor<1x64x4x4xf32>) -> tensor<1x32x2x16xf32>
// CHECK: %[[WR:.*]] = mote.reshape %[[W]] : (tensor<64xf32>) -> tensor<1x64x1x1xf32>
// CHECK: %[[S:.*]] = mote.mul %{{.*}}, %[[WR]] : (tensor<1x64x4x4xf32>, tensor<1x64x1x1xf32>) -> tensor<1x64x4x4xf32>
// CHECK: %[[BR:.*]] = mote.reshape %[[B]] : (tensor<64xf32>) -> tensor<1x64x1x1xf32>
// CHECK: %[[Y0:.*]] = mote.add %[[S]], %[[BR]]
// CHECK: mote.reshape %[[Y0]] : (tensor<1x64x4x4xf32>) -> tensor<1x4x16x16xf32>
// CHECK: mote.reduce_mean {{.*}} : (tensor<1x4x16x16xf32>) -> tensor<1x4x1x1xf32>
// CHECK-NOT: mote.group_norm
// CHECK-NOT: mote.expand
// CHECK: return
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, activation_type = f32>} {
  func.func @gn_value_params(%x: tensor<1x64x4x4xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<1x64x4x4xf32> {
    %0 = mote.group_norm %x, %w, %b {num_groups = 32 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x64x4x4xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x4x4xf32>
    %1 = mote.group_norm %0, %w, %b {num_groups = 4 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x64x4x4xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x4x4xf32>
    return %1 : tensor<1x64x4x4xf32>
  }
}

// -----

// What recognition makes of a group norm without affine parameters (ones and zeros): no mul, no add.
// CHECK-LABEL: func.func @gn_no_affine
// CHECK: %[[N:.*]] = mote.div
// CHECK: %[[Y:.*]] = mote.reshape %[[N]] : (tensor<1x8x2x16xf32>) -> tensor<1x16x4x4xf32>
// CHECK-NOT: mote.mul
// CHECK-NOT: mote.add
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, activation_type = f32>} {
  func.func @gn_no_affine(%x: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
    %ones = mote.constant dense<1.000000e+00> : tensor<16xf32>
    %zeros = mote.constant dense<0.000000e+00> : tensor<16xf32>
    %y = mote.group_norm %x, %ones, %zeros {num_groups = 8 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
    return %y : tensor<1x16x4x4xf32>
  }
}

// -----

// Rank 3 [N, C, L]: the grouped view is still rank 4, the parameters [1, C, 1].
// CHECK-LABEL: func.func @gn_rank3
// CHECK-SAME: (%[[X:.*]]: tensor<1x32x10xf16>, %[[W:.*]]: tensor<32xf16>, %[[B:.*]]: tensor<32xf16>)
// CHECK: %[[G:.*]] = mote.reshape %[[X]] : (tensor<1x32x10xf16>) -> tensor<1x4x8x10xf16>
// CHECK: mote.reduce_mean %[[G]] {axes = array<i64: 2, 3>} : (tensor<1x4x8x10xf16>) -> tensor<1x4x1x1xf16>
// CHECK: mote.constant dense<1.001360e-05> : tensor<f16>
// CHECK: mote.reshape %{{.*}} : (tensor<1x4x8x10xf16>) -> tensor<1x32x10xf16>
// CHECK: mote.reshape %[[W]] : (tensor<32xf16>) -> tensor<1x32x1xf16>
// CHECK: mote.reshape %[[B]] : (tensor<32xf16>) -> tensor<1x32x1xf16>
// CHECK: %[[Y:.*]] = mote.add {{.*}} : (tensor<1x32x10xf16>, tensor<1x32x1xf16>) -> tensor<1x32x10xf16>
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, activation_type = f16>} {
  func.func @gn_rank3(%x: tensor<1x32x10xf16>, %w: tensor<32xf16>, %b: tensor<32xf16>) -> tensor<1x32x10xf16> {
    %y = mote.group_norm %x, %w, %b {num_groups = 4 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x32x10xf16>, tensor<32xf16>, tensor<32xf16>) -> tensor<1x32x10xf16>
    return %y : tensor<1x32x10xf16>
  }
}

// -----

// Rank 5 [N, C, D, H, W] where the target allows it (max_rank 0: no limit): spatial axes flattened into
// one, so the grouped view is rank 4, not the exporters' rank 6.
// CHECK-LABEL: func.func @gn_rank5
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x2x4x4xf32>, %[[W:.*]]: tensor<16xf32>, %[[B:.*]]: tensor<16xf32>)
// CHECK: %[[G:.*]] = mote.reshape %[[X]] : (tensor<1x16x2x4x4xf32>) -> tensor<1x4x4x32xf32>
// CHECK: mote.reduce_mean %[[G]] {axes = array<i64: 2, 3>} : (tensor<1x4x4x32xf32>) -> tensor<1x4x1x1xf32>
// CHECK: mote.reshape %{{.*}} : (tensor<1x4x4x32xf32>) -> tensor<1x16x2x4x4xf32>
// CHECK: mote.reshape %[[W]] : (tensor<16xf32>) -> tensor<1x16x1x1x1xf32>
// CHECK: %[[Y:.*]] = mote.add
// CHECK-NOT: {{tensor<[0-9]+x[0-9]+x[0-9]+x[0-9]+x[0-9]+x[0-9]+x}}
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", explicit_broadcast = false, activation_type = f32>} {
  func.func @gn_rank5(%x: tensor<1x16x2x4x4xf32>, %w: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<1x16x2x4x4xf32> {
    %y = mote.group_norm %x, %w, %b {num_groups = 4 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x16x2x4x4xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x2x4x4xf32>
    return %y : tensor<1x16x2x4x4xf32>
  }
}

// -----

// A target limited to rank 3: the grouped view is [N, G, C/G * L], reduced over its last axis.
// CHECK-LABEL: func.func @gn_max_rank3
// CHECK-SAME: (%[[X:.*]]: tensor<2x32x10xf32>
// CHECK: %[[G:.*]] = mote.reshape %[[X]] : (tensor<2x32x10xf32>) -> tensor<2x8x40xf32>
// CHECK: mote.reduce_mean %[[G]] {axes = array<i64: 2>} : (tensor<2x8x40xf32>) -> tensor<2x8x1xf32>
// CHECK-NOT: {{tensor<[0-9]+x[0-9]+x[0-9]+x[0-9]+x}}
// CHECK: return
module attributes {mote.target = #mote.target<name = "t", max_rank = 3, explicit_broadcast = false, activation_type = f32>} {
  func.func @gn_max_rank3(%x: tensor<2x32x10xf32>, %w: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<2x32x10xf32> {
    %y = mote.group_norm %x, %w, %b {num_groups = 8 : i64, epsilon = 1.0e-05 : f32} : (tensor<2x32x10xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<2x32x10xf32>
    return %y : tensor<2x32x10xf32>
  }
}

// -----

// A target with a group norm kernel keeps the fused op.
// CHECK-LABEL: func.func @gn_native
// CHECK: %[[Y:.*]] = mote.group_norm
// CHECK-NOT: mote.reduce_mean
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, native = ["group_norm"], activation_type = f32>} {
  func.func @gn_native(%x: tensor<1x32x8x8xf32>, %w: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<1x32x8x8xf32> {
    %y = mote.group_norm %x, %w, %b {num_groups = 8 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x32x8x8xf32>
    return %y : tensor<1x32x8x8xf32>
  }
}

// -----

// No target: no constraints, nothing to do.
// CHECK-LABEL: func.func @gn_no_target
// CHECK: %[[Y:.*]] = mote.group_norm
// CHECK-NOT: mote.reduce_mean
// CHECK: return %[[Y]]
func.func @gn_no_target(%x: tensor<1x32x8x8xf32>, %w: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<1x32x8x8xf32> {
  %y = mote.group_norm %x, %w, %b {num_groups = 8 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x32x8x8xf32>
  return %y : tensor<1x32x8x8xf32>
}

// -----

// Other composites are not this pass's business.
// CHECK-LABEL: func.func @other_composites
// CHECK: mote.layer_norm
// CHECK: mote.attention
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, activation_type = f32>} {
  func.func @other_composites(%x: tensor<1x16x32xf32>, %w: tensor<32xf32>, %q: tensor<1x2x16x8xf32>) -> (tensor<1x16x32xf32>, tensor<1x2x16x8xf32>) {
    %0 = mote.layer_norm %x, %w, %w {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x16x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
    %1 = mote.attention %q, %q, %q {scale = 0.35 : f32} : (tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>) -> tensor<1x2x16x8xf32>
    return %0, %1 : tensor<1x16x32xf32>, tensor<1x2x16x8xf32>
  }
}

// -----

// Without implicit broadcasting the per-group statistics cannot meet the values they normalize.
module attributes {mote.target = #mote.target<name = "strict", max_rank = 4, implicit_broadcast = false, explicit_broadcast = false, activation_type = f32>} {
  func.func @gn_no_broadcast(%x: tensor<1x32x8x8xf32>, %w: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<1x32x8x8xf32> {
    // expected-error @+1 {{cannot decompose mote.group_norm for target 'strict': it has no group_norm kernel and allows no implicit broadcasting, and group normalization has no form without broadcasting its statistics}}
    %y = mote.group_norm %x, %w, %b {num_groups = 8 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x32x8x8xf32>
    return %y : tensor<1x32x8x8xf32>
  }
}

// -----

// The grouped view needs static shapes (the canonical phase guarantees them; a hand-written module may not).
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, activation_type = f32>} {
  func.func @gn_dynamic(%x: tensor<?x32x8x8xf32>, %w: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<?x32x8x8xf32> {
    // expected-error @+1 {{cannot decompose mote.group_norm of dynamic shape 'tensor<?x32x8x8xf32>'}}
    %y = mote.group_norm %x, %w, %b {num_groups = 8 : i64, epsilon = 1.0e-05 : f32} : (tensor<?x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32x8x8xf32>
    return %y : tensor<?x32x8x8xf32>
  }
}

// -----

// channels_last (NHWC): the grouped view is [N, H*W, G, C/G], statistics over axes 1 and 3, and the
// affine parameters broadcast as [1, 1, 1, C].
// CHECK-LABEL: func.func @channels_last
// CHECK: %[[V:.*]] = mote.reshape %{{.*}} : (tensor<1x8x8x32xf32>) -> tensor<1x64x8x4xf32>
// CHECK: mote.reduce_mean %[[V]] {axes = array<i64: 1, 3>
// CHECK-SAME: -> tensor<1x1x8x1xf32>
// CHECK: mote.reshape %{{.*}} : (tensor<1x64x8x4xf32>) -> tensor<1x8x8x32xf32>
// CHECK: mote.mul {{.*}} : (tensor<1x8x8x32xf32>, tensor<1x1x1x32xf32>) -> tensor<1x8x8x32xf32>
// CHECK-NOT: mote.group_norm
// CHECK-NOT: mote.expand
module attributes {mote.target = #mote.target<name = "gpu", max_rank = 4, explicit_broadcast = false, layout = "NHWC", activation_type = f32>} {
  func.func @channels_last(%x: tensor<1x8x8x32xf32>, %s: tensor<32xf32>) -> tensor<1x8x8x32xf32> {
    %b = mote.constant dense<0.0> : tensor<32xf32>
    %y = mote.group_norm %x, %s, %b {num_groups = 8 : i64, epsilon = 1.0e-05 : f32, channels_last = true} : (tensor<1x8x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x8x8x32xf32>
    return %y : tensor<1x8x8x32xf32>
  }
}
