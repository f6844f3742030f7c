// mote-fc-to-conv2d: a matmul or gemm by a constant weight whose input rank exceeds fc_max_input_rank
// becomes a 1x1 mote.conv on the NCHW view [B, K, S, 1] of its input (a reshape to the NHWC view
// [B, S, 1, K], then a transpose), its weight re-laid as [N, K, 1, 1] and a per-channel bias add folded
// into the conv; products by activations, inputs within the limit and modules without a limit stay.
// RUN: mote-opt %s --split-input-file --mote-fc-to-conv2d | FileCheck %s

// A weight blob [K, N] reshapes for free to [K, N, 1, 1] but does not fold through a transpose: the
// transpose to [N, K, 1, 1] stays, a constant computation done when codegen packs the weights.
// CHECK-LABEL: func.func @rank3_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x32xf32>)
// CHECK-DAG: %[[W:.*]] = mote.constant dense_resource<w> : tensor<32x48x1x1xf32>
// CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<b> : tensor<48xf32>
// CHECK-NOT: mote.matmul
// CHECK: %[[V:.*]] = mote.reshape %[[X]] : (tensor<1x16x32xf32>) -> tensor<1x16x1x32xf32>
// CHECK: %[[VT:.*]] = mote.transpose %[[V]] {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x16x1x32xf32>) -> tensor<1x32x16x1xf32>
// CHECK: %[[WT:.*]] = mote.transpose %[[W]] {perm = array<i64: 1, 0, 2, 3>} : (tensor<32x48x1x1xf32>) -> tensor<48x32x1x1xf32>
// CHECK: %[[C:.*]] = mote.conv %[[VT]], %[[WT]], %[[B]] {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x32x16x1xf32>, tensor<48x32x1x1xf32>, tensor<48xf32>) -> tensor<1x48x16x1xf32>
// CHECK: %[[CT:.*]] = mote.transpose %[[C]] {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x48x16x1xf32>) -> tensor<1x16x1x48xf32>
// CHECK: %[[Y:.*]] = mote.reshape %[[CT]] : (tensor<1x16x1x48xf32>) -> tensor<1x16x48xf32>
// CHECK-NOT: mote.add
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 2, activation_type = f32>} {
  func.func @rank3_bias(%x: tensor<1x16x32xf32>) -> tensor<1x16x48xf32> {
    %w = mote.constant dense_resource<w> : tensor<32x48xf32>
    %b = mote.constant dense_resource<b> : tensor<48xf32>
    %0 = mote.matmul %x, %w : (tensor<1x16x32xf32>, tensor<32x48xf32>) -> tensor<1x16x48xf32>
    %1 = mote.add %b, %0 : (tensor<48xf32>, tensor<1x16x48xf32>) -> tensor<1x16x48xf32>
    return %1 : tensor<1x16x48xf32>
  }
}

// -----

// Rank 4 without bias: batch 2, the 3x5 rows are 15 tokens. A bias [1, 1, 48] is per channel too.
// CHECK-LABEL: func.func @rank4
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5x32xf32>)
// CHECK: %[[V:.*]] = mote.reshape %[[X]] : (tensor<2x3x5x32xf32>) -> tensor<2x15x1x32xf32>
// CHECK: %[[VT:.*]] = mote.transpose %[[V]] {perm = array<i64: 0, 3, 1, 2>} : (tensor<2x15x1x32xf32>) -> tensor<2x32x15x1xf32>
// CHECK: %[[C:.*]] = mote.conv %[[VT]], %{{.*}} {{{.*}}} : (tensor<2x32x15x1xf32>, tensor<16x32x1x1xf32>) -> tensor<2x16x15x1xf32>
// CHECK: %[[CT:.*]] = mote.transpose %[[C]] {perm = array<i64: 0, 2, 3, 1>} : (tensor<2x16x15x1xf32>) -> tensor<2x15x1x16xf32>
// CHECK: %[[Y:.*]] = mote.reshape %[[CT]] : (tensor<2x15x1x16xf32>) -> tensor<2x3x5x16xf32>
// CHECK: return %[[Y]]
// CHECK-LABEL: func.func @rank4_bias
// CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<b> : tensor<48xf32>
// CHECK: mote.conv %{{.*}}, %{{.*}}, %[[B]] {{{.*}}} : (tensor<1x32x16x1xf32>, tensor<48x32x1x1xf32>, tensor<48xf32>) -> tensor<1x48x16x1xf32>
// CHECK-NOT: mote.add
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 2, activation_type = f32>} {
  func.func @rank4(%x: tensor<2x3x5x32xf32>) -> tensor<2x3x5x16xf32> {
    %w = mote.constant dense_resource<w> : tensor<32x16xf32>
    %0 = mote.matmul %x, %w : (tensor<2x3x5x32xf32>, tensor<32x16xf32>) -> tensor<2x3x5x16xf32>
    return %0 : tensor<2x3x5x16xf32>
  }
  func.func @rank4_bias(%x: tensor<1x4x4x32xf32>) -> tensor<1x4x4x48xf32> {
    %w = mote.constant dense_resource<w> : tensor<32x48xf32>
    %b = mote.constant dense_resource<b> : tensor<1x1x48xf32>
    %0 = mote.matmul %x, %w : (tensor<1x4x4x32xf32>, tensor<32x48xf32>) -> tensor<1x4x4x48xf32>
    %1 = mote.add %0, %b : (tensor<1x4x4x48xf32>, tensor<1x1x48xf32>) -> tensor<1x4x4x48xf32>
    return %1 : tensor<1x4x4x48xf32>
  }
}

// -----

// An exporter's [N, K] weight transposed for MatMul is used as it is: no transpose of the weight.
// CHECK-LABEL: func.func @transposed_weight
// CHECK: %[[W:.*]] = mote.constant dense_resource<w> : tensor<48x32x1x1xf32>
// CHECK: mote.conv %{{.*}}, %[[W]] {{{.*}}} : (tensor<1x32x16x1xf32>, tensor<48x32x1x1xf32>) -> tensor<1x48x16x1xf32>
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 2, activation_type = f32>} {
  func.func @transposed_weight(%x: tensor<1x16x32xf32>) -> tensor<1x16x48xf32> {
    %w = mote.constant dense_resource<w> : tensor<48x32xf32>
    %wt = mote.transpose %w {perm = array<i64: 1, 0>} : (tensor<48x32xf32>) -> tensor<32x48xf32>
    %0 = mote.matmul %x, %wt : (tensor<1x16x32xf32>, tensor<32x48xf32>) -> tensor<1x16x48xf32>
    return %0 : tensor<1x16x48xf32>
  }
}

// -----

// f16, inline constants (which fold through the transpose), a single token: with S = 1 the views
// only move unit dimensions, so they are reshapes and no transpose is left.
// CHECK-LABEL: func.func @f16_one_token
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x8xf16>)
// CHECK-DAG: %[[W:.*]] = mote.constant dense<{{.*}}> : tensor<4x8x1x1xf16>
// CHECK-DAG: %[[B:.*]] = mote.constant dense<{{.*}}> : tensor<4xf16>
// CHECK-NOT: mote.transpose
// CHECK: %[[V:.*]] = mote.reshape %[[X]] : (tensor<1x1x8xf16>) -> tensor<1x8x1x1xf16>
// CHECK: %[[C:.*]] = mote.conv %[[V]], %[[W]], %[[B]] {{{.*}}} : (tensor<1x8x1x1xf16>, tensor<4x8x1x1xf16>, tensor<4xf16>) -> tensor<1x4x1x1xf16>
// CHECK: %[[Y:.*]] = mote.reshape %[[C]] : (tensor<1x4x1x1xf16>) -> tensor<1x1x4xf16>
// CHECK-NOT: mote.transpose
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 2, activation_type = f16>} {
  func.func @f16_one_token(%x: tensor<1x1x8xf16>) -> tensor<1x1x4xf16> {
    %w = mote.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0],
                              [1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<8x4xf16>
    %b = mote.constant dense<[0.5, 1.5, 2.5, 3.5]> : tensor<4xf16>
    %0 = mote.matmul %x, %w : (tensor<1x1x8xf16>, tensor<8x4xf16>) -> tensor<1x1x4xf16>
    %1 = mote.add %0, %b : (tensor<1x1x4xf16>, tensor<4xf16>) -> tensor<1x1x4xf16>
    return %1 : tensor<1x1x4xf16>
  }
}

// -----

// f16 with several tokens: the inline weight is transposed at compile time.
// CHECK-LABEL: func.func @f16
// CHECK-DAG: %[[W:.*]] = mote.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}3.000000e+00]]], {{\[\[\[}}2.000000e+00]], {{\[\[}}4.000000e+00]]]]> : tensor<2x2x1x1xf16>
// CHECK: %[[VT:.*]] = mote.transpose %{{.*}} {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x8x1x2xf16>) -> tensor<1x2x8x1xf16>
// CHECK: mote.conv %[[VT]], %[[W]] {{{.*}}} : (tensor<1x2x8x1xf16>, tensor<2x2x1x1xf16>) -> tensor<1x2x8x1xf16>
// CHECK-NOT: mote.matmul
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 2, activation_type = f16>} {
  func.func @f16(%x: tensor<1x8x2xf16>) -> tensor<1x8x2xf16> {
    %w = mote.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf16>
    %0 = mote.matmul %x, %w : (tensor<1x8x2xf16>, tensor<2x2xf16>) -> tensor<1x8x2xf16>
    return %0 : tensor<1x8x2xf16>
  }
}

// -----

// Gemm inputs are 2-D, so gemm is rewritten only under fc_max_input_rank = 1: M rows are M tokens.
// With transB the weight is already [N, K]; C [N] is the bias.
// CHECK-LABEL: func.func @gemm_transb
// CHECK-SAME: (%[[A:.*]]: tensor<4x32xf32>)
// CHECK-DAG: %[[W:.*]] = mote.constant dense_resource<w> : tensor<16x32x1x1xf32>
// CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<b> : tensor<16xf32>
// CHECK-NOT: mote.gemm
// CHECK: %[[V:.*]] = mote.reshape %[[A]] : (tensor<4x32xf32>) -> tensor<1x4x1x32xf32>
// CHECK: %[[VT:.*]] = mote.transpose %[[V]] {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x1x32xf32>) -> tensor<1x32x4x1xf32>
// CHECK: %[[C:.*]] = mote.conv %[[VT]], %[[W]], %[[B]] {{{.*}}} : (tensor<1x32x4x1xf32>, tensor<16x32x1x1xf32>, tensor<16xf32>) -> tensor<1x16x4x1xf32>
// CHECK: %[[CT:.*]] = mote.transpose %[[C]] {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x16x4x1xf32>) -> tensor<1x4x1x16xf32>
// CHECK: %[[Y:.*]] = mote.reshape %[[CT]] : (tensor<1x4x1x16xf32>) -> tensor<4x16xf32>
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 1, activation_type = f32>} {
  func.func @gemm_transb(%a: tensor<4x32xf32>) -> tensor<4x16xf32> {
    %w = mote.constant dense_resource<w> : tensor<16x32xf32>
    %b = mote.constant dense_resource<b> : tensor<16xf32>
    %0 = mote.gemm %a, %w, %b {transB = true} : (tensor<4x32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<4x16xf32>
    return %0 : tensor<4x16xf32>
  }
}

// -----

// One row (a time embedding): reshapes only. transA: A [K, M] is already the NCHW view.
// C that is not per channel is added to the result.
// CHECK-LABEL: func.func @gemm_one_row
// CHECK-SAME: (%[[A:.*]]: tensor<1x32xf32>)
// CHECK-DAG: %[[W:.*]] = mote.constant dense_resource<w> : tensor<16x32x1x1xf32>
// CHECK-NOT: mote.transpose
// CHECK: %[[V:.*]] = mote.reshape %[[A]] : (tensor<1x32xf32>) -> tensor<1x32x1x1xf32>
// CHECK: %[[C:.*]] = mote.conv %[[V]], %[[W]], %{{.*}} {{{.*}}} : (tensor<1x32x1x1xf32>, tensor<16x32x1x1xf32>, tensor<16xf32>) -> tensor<1x16x1x1xf32>
// CHECK: %[[Y:.*]] = mote.reshape %[[C]] : (tensor<1x16x1x1xf32>) -> tensor<1x16xf32>
// CHECK: return %[[Y]]
// CHECK-LABEL: func.func @gemm_transa_matrix_c
// CHECK-SAME: (%[[A:.*]]: tensor<32x4xf32>, %[[CM:.*]]: tensor<4x16xf32>)
// CHECK-NOT: mote.gemm
// CHECK: %[[V:.*]] = mote.reshape %[[A]] : (tensor<32x4xf32>) -> tensor<1x32x4x1xf32>
// CHECK: %[[WT:.*]] = mote.transpose %{{.*}} {perm = array<i64: 1, 0, 2, 3>} : (tensor<32x16x1x1xf32>) -> tensor<16x32x1x1xf32>
// CHECK: %[[C:.*]] = mote.conv %[[V]], %[[WT]] {{{.*}}} : (tensor<1x32x4x1xf32>, tensor<16x32x1x1xf32>) -> tensor<1x16x4x1xf32>
// CHECK: %[[R:.*]] = mote.reshape %{{.*}} : (tensor<1x4x1x16xf32>) -> tensor<4x16xf32>
// CHECK: %[[Y:.*]] = mote.add %[[R]], %[[CM]]
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 1, activation_type = f32>} {
  func.func @gemm_one_row(%a: tensor<1x32xf32>) -> tensor<1x16xf32> {
    %w = mote.constant dense_resource<w> : tensor<16x32xf32>
    %b = mote.constant dense_resource<b> : tensor<1x16xf32>
    %0 = mote.gemm %a, %w, %b {transB = true} : (tensor<1x32xf32>, tensor<16x32xf32>, tensor<1x16xf32>) -> tensor<1x16xf32>
    return %0 : tensor<1x16xf32>
  }
  func.func @gemm_transa_matrix_c(%a: tensor<32x4xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
    %w = mote.constant dense_resource<w> : tensor<32x16xf32>
    %0 = mote.gemm %a, %w, %c {transA = true} : (tensor<32x4xf32>, tensor<32x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
    return %0 : tensor<4x16xf32>
  }
}

// -----

// Not rewritten: alpha != 1 (scaling the weight would round differently), a non-constant B, a gemm
// within fc_max_input_rank = 2.
// CHECK-LABEL: func.func @gemm_alpha
// CHECK-NOT: mote.{{conv|reshape|transpose}}
// CHECK: mote.gemm
// CHECK-NOT: mote.{{conv|reshape|transpose}}
// CHECK-LABEL: func.func @gemm_activation_b
// CHECK-NOT: mote.{{conv|reshape|transpose}}
// CHECK: mote.gemm
// CHECK-NOT: mote.{{conv|reshape|transpose}}
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 1, activation_type = f32>} {
  func.func @gemm_alpha(%a: tensor<4x32xf32>) -> tensor<4x16xf32> {
    %w = mote.constant dense_resource<w> : tensor<16x32xf32>
    %0 = mote.gemm %a, %w {transB = true, alpha = 0.5 : f32} : (tensor<4x32xf32>, tensor<16x32xf32>) -> tensor<4x16xf32>
    return %0 : tensor<4x16xf32>
  }
  func.func @gemm_activation_b(%a: tensor<4x32xf32>, %w: tensor<16x32xf32>) -> tensor<4x16xf32> {
    %0 = mote.gemm %a, %w {transB = true} : (tensor<4x32xf32>, tensor<16x32xf32>) -> tensor<4x16xf32>
    return %0 : tensor<4x16xf32>
  }
}

// -----

// CHECK-LABEL: func.func @gemm_within_limit
// CHECK-NOT: mote.{{conv|reshape|transpose}}
// CHECK: mote.gemm
// CHECK-NOT: mote.{{conv|reshape|transpose}}
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 2, activation_type = f32>} {
  func.func @gemm_within_limit(%a: tensor<4x32xf32>) -> tensor<4x16xf32> {
    %w = mote.constant dense_resource<w> : tensor<16x32xf32>
    %0 = mote.gemm %a, %w {transB = true} : (tensor<4x32xf32>, tensor<16x32xf32>) -> tensor<4x16xf32>
    return %0 : tensor<4x16xf32>
  }
}

// -----

// No target: no limit.
// CHECK-LABEL: func.func @no_target
// CHECK-NOT: mote.{{conv|reshape|transpose}}
// CHECK: mote.matmul
// CHECK-NOT: mote.{{conv|reshape|transpose}}
func.func @no_target(%x: tensor<1x16x32xf32>) -> tensor<1x16x48xf32> {
  %w = mote.constant dense_resource<w> : tensor<32x48xf32>
  %0 = mote.matmul %x, %w : (tensor<1x16x32xf32>, tensor<32x48xf32>) -> tensor<1x16x48xf32>
  return %0 : tensor<1x16x48xf32>
}

// -----

// fc_max_input_rank = 0: no limit.
// CHECK-LABEL: func.func @limit_zero
// CHECK-NOT: mote.{{conv|reshape|transpose}}
// CHECK: mote.matmul
// CHECK-NOT: mote.{{conv|reshape|transpose}}
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 0, activation_type = f32>} {
  func.func @limit_zero(%x: tensor<1x16x32xf32>) -> tensor<1x16x48xf32> {
    %w = mote.constant dense_resource<w> : tensor<32x48xf32>
    %0 = mote.matmul %x, %w : (tensor<1x16x32xf32>, tensor<32x48xf32>) -> tensor<1x16x48xf32>
    return %0 : tensor<1x16x48xf32>
  }
}

// -----

// Within the limit, or not a product by a constant weight (attention's batched products, a weight
// that is an activation): unchanged.
// CHECK-LABEL: func.func @rank2_input
// CHECK-NOT: mote.{{conv|reshape|transpose}}
// CHECK: mote.matmul
// CHECK-NOT: mote.{{conv|reshape|transpose}}
// CHECK-LABEL: func.func @batched_activations
// CHECK-NOT: mote.{{conv|reshape|transpose}}
// CHECK: mote.matmul
// CHECK-NOT: mote.{{conv|reshape|transpose}}
// CHECK-LABEL: func.func @activation_weight
// CHECK-NOT: mote.{{conv|reshape|transpose}}
// CHECK: mote.matmul
// CHECK-NOT: mote.{{conv|reshape|transpose}}
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 2, activation_type = f32>} {
  func.func @rank2_input(%x: tensor<16x32xf32>) -> tensor<16x48xf32> {
    %w = mote.constant dense_resource<w> : tensor<32x48xf32>
    %0 = mote.matmul %x, %w : (tensor<16x32xf32>, tensor<32x48xf32>) -> tensor<16x48xf32>
    return %0 : tensor<16x48xf32>
  }
  func.func @batched_activations(%q: tensor<1x2x16x8xf32>, %k: tensor<1x2x8x16xf32>) -> tensor<1x2x16x16xf32> {
    %0 = mote.matmul %q, %k : (tensor<1x2x16x8xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x16x16xf32>
    return %0 : tensor<1x2x16x16xf32>
  }
  func.func @activation_weight(%x: tensor<1x16x32xf32>, %w: tensor<32x48xf32>) -> tensor<1x16x48xf32> {
    %0 = mote.matmul %x, %w : (tensor<1x16x32xf32>, tensor<32x48xf32>) -> tensor<1x16x48xf32>
    return %0 : tensor<1x16x48xf32>
  }
}

// -----

// The layer is rewritten but the add stays: a bias that differs per token, a bias that is an
// activation, a product that has another user.
// CHECK-LABEL: func.func @bias_per_token
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x32xf32>)
// CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<b> : tensor<16x48xf32>
// CHECK: mote.conv %{{.*}}, %{{.*}} {{{.*}}} : (tensor<1x32x16x1xf32>, tensor<48x32x1x1xf32>) -> tensor<1x48x16x1xf32>
// CHECK: %[[R:.*]] = mote.reshape %{{.*}} : (tensor<1x16x1x48xf32>) -> tensor<1x16x48xf32>
// CHECK: %[[Y:.*]] = mote.add %[[R]], %[[B]]
// CHECK: return %[[Y]]
// CHECK-LABEL: func.func @bias_activation
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x32xf32>, %[[B:.*]]: tensor<48xf32>)
// CHECK: mote.conv %{{.*}}, %{{.*}} {{{.*}}} : (tensor<1x32x16x1xf32>, tensor<48x32x1x1xf32>) -> tensor<1x48x16x1xf32>
// CHECK: %[[R:.*]] = mote.reshape %{{.*}} : (tensor<1x16x1x48xf32>) -> tensor<1x16x48xf32>
// CHECK: %[[Y:.*]] = mote.add %[[R]], %[[B]]
// CHECK: return %[[Y]]
// CHECK-LABEL: func.func @product_used_twice
// CHECK: mote.conv %{{.*}}, %{{.*}} {{{.*}}} : (tensor<1x32x16x1xf32>, tensor<48x32x1x1xf32>) -> tensor<1x48x16x1xf32>
// CHECK: %[[R:.*]] = mote.reshape %{{.*}} : (tensor<1x16x1x48xf32>) -> tensor<1x16x48xf32>
// CHECK: %[[Y:.*]] = mote.add %[[R]], %{{.*}}
// CHECK: return %[[Y]], %[[R]]
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 2, activation_type = f32>} {
  func.func @bias_per_token(%x: tensor<1x16x32xf32>) -> tensor<1x16x48xf32> {
    %w = mote.constant dense_resource<w> : tensor<32x48xf32>
    %b = mote.constant dense_resource<b> : tensor<16x48xf32>
    %0 = mote.matmul %x, %w : (tensor<1x16x32xf32>, tensor<32x48xf32>) -> tensor<1x16x48xf32>
    %1 = mote.add %0, %b : (tensor<1x16x48xf32>, tensor<16x48xf32>) -> tensor<1x16x48xf32>
    return %1 : tensor<1x16x48xf32>
  }
  func.func @bias_activation(%x: tensor<1x16x32xf32>, %b: tensor<48xf32>) -> tensor<1x16x48xf32> {
    %w = mote.constant dense_resource<w> : tensor<32x48xf32>
    %0 = mote.matmul %x, %w : (tensor<1x16x32xf32>, tensor<32x48xf32>) -> tensor<1x16x48xf32>
    %1 = mote.add %0, %b : (tensor<1x16x48xf32>, tensor<48xf32>) -> tensor<1x16x48xf32>
    return %1 : tensor<1x16x48xf32>
  }
  func.func @product_used_twice(%x: tensor<1x16x32xf32>) -> (tensor<1x16x48xf32>, tensor<1x16x48xf32>) {
    %w = mote.constant dense_resource<w> : tensor<32x48xf32>
    %b = mote.constant dense_resource<b> : tensor<48xf32>
    %0 = mote.matmul %x, %w : (tensor<1x16x32xf32>, tensor<32x48xf32>) -> tensor<1x16x48xf32>
    %1 = mote.add %0, %b : (tensor<1x16x48xf32>, tensor<48xf32>) -> tensor<1x16x48xf32>
    return %1, %0 : tensor<1x16x48xf32>, tensor<1x16x48xf32>
  }
}

// -----

// An empty input (a 0-token sequence) has no convolution view: the matmul stays, for the legality check to
// report, instead of a conv whose type inference fails.
// CHECK-LABEL: func.func @empty_input
// CHECK: mote.matmul
// CHECK-NOT: mote.conv
module attributes {mote.target = #mote.target<name = "t", fc_max_input_rank = 2, activation_type = f32>} {
func.func @empty_input(%x: tensor<2x0x4xf32>) -> tensor<2x0x8xf32> {
  %w = mote.constant dense<1.0> : tensor<4x8xf32>
  %y = mote.matmul %x, %w : (tensor<2x0x4xf32>, tensor<4x8xf32>) -> tensor<2x0x8xf32>
  return %y : tensor<2x0x8xf32>
}
}
