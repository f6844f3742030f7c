// mote-recognize-attention: softmax(q @ k^T [* c | / c] [+ mask | where]) @ v over the last axis becomes
// mote.attention with scale c (or 1 / c, or 1). A k^T made by a transpose of the last two axes gives
// its input as the key; any other k^T is transposed back by the pass. where(cond, scores, fill) becomes
// the additive mask where(cond, 0, fill) (where(cond, fill, scores): where(cond, fill, 0)). Rank-3
// [B*H, S, D] operands are viewed as [1, B*H, S, D] and the result reshaped back.
// RUN: mote-opt %s --split-input-file --mote-recognize-attention | FileCheck %s

// The exporters' form: K transposed on its last two axes, the scores scaled by 1 / sqrt(64).
// CHECK-LABEL: func.func @attn_mul_scale
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x16x64xf32>, %[[K:.*]]: tensor<1x8x16x64xf32>, %[[V:.*]]: tensor<1x8x16x64xf32>)
// CHECK-NOT: mote.transpose
// CHECK-NOT: mote.softmax
// CHECK: %[[O:.*]] = mote.attention %[[Q]], %[[K]], %[[V]] {scale = 1.250000e-01 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
// CHECK-NOT: mote.softmax
// CHECK-NOT: mote.matmul
// CHECK: return %[[O]]
func.func @attn_mul_scale(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %3 = mote.matmul %2, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %3 : tensor<1x8x16x64xf32>
}

// -----

// The scale constant on the left of the product; the softmax axis spelled as rank - 1; K and V shorter
// than Q (cross-attention), V of another head size.
// CHECK-LABEL: func.func @attn_mul_scale_lhs_cross
// CHECK-SAME: (%[[Q:.*]]: tensor<2x8x64x40xf32>, %[[K:.*]]: tensor<2x8x77x40xf32>, %[[V:.*]]: tensor<2x8x77x32xf32>)
// CHECK: %[[O:.*]] = mote.attention %[[Q]], %[[K]], %[[V]] {scale = 0.158113882 : f32} : (tensor<2x8x64x40xf32>, tensor<2x8x77x40xf32>, tensor<2x8x77x32xf32>) -> tensor<2x8x64x32xf32>
// CHECK-NOT: mote.softmax
// CHECK: return %[[O]]
func.func @attn_mul_scale_lhs_cross(%q: tensor<2x8x64x40xf32>, %k: tensor<2x8x77x40xf32>, %v: tensor<2x8x77x32xf32>) -> tensor<2x8x64x32xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<2x8x77x40xf32>) -> tensor<2x8x40x77xf32>
  %0 = mote.matmul %q, %kt : (tensor<2x8x64x40xf32>, tensor<2x8x40x77xf32>) -> tensor<2x8x64x77xf32>
  %c = mote.constant dense<0.158113882> : tensor<f32>
  %1 = mote.mul %c, %0 : (tensor<f32>, tensor<2x8x64x77xf32>) -> tensor<2x8x64x77xf32>
  %2 = mote.softmax %1 {axis = 3 : i64} : tensor<2x8x64x77xf32>
  %3 = mote.matmul %2, %v : (tensor<2x8x64x77xf32>, tensor<2x8x77x32xf32>) -> tensor<2x8x64x32xf32>
  return %3 : tensor<2x8x64x32xf32>
}

// -----

// Scores divided by sqrt(64) = 8: the scale is 1 / 8.
// CHECK-LABEL: func.func @attn_div_scale
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x16x64xf32>, %[[K:.*]]: tensor<1x8x16x64xf32>, %[[V:.*]]: tensor<1x8x16x64xf32>)
// CHECK-NOT: mote.div
// CHECK: %[[O:.*]] = mote.attention %[[Q]], %[[K]], %[[V]] {scale = 1.250000e-01 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
// CHECK-NOT: mote.div
// CHECK: return %[[O]]
func.func @attn_div_scale(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<8.000000e+00> : tensor<f32>
  %1 = mote.div %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %3 = mote.matmul %2, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %3 : tensor<1x8x16x64xf32>
}

// -----

// No scale (it was folded into the Q projection): scale 1.
// CHECK-LABEL: func.func @attn_no_scale
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x16x64xf32>, %[[K:.*]]: tensor<1x8x16x64xf32>, %[[V:.*]]: tensor<1x8x16x64xf32>)
// CHECK: %[[O:.*]] = mote.attention %[[Q]], %[[K]], %[[V]] {scale = 1.000000e+00 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
// CHECK-NOT: mote.softmax
// CHECK: return %[[O]]
func.func @attn_no_scale(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %1 = mote.softmax %0 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %2 = mote.matmul %1, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %2 : tensor<1x8x16x64xf32>
}

// -----

// An additive (causal) mask after the scale, broadcast over batch and heads.
// CHECK-LABEL: func.func @attn_additive_mask
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x16x64xf32>, %[[K:.*]]: tensor<1x8x16x64xf32>, %[[V:.*]]: tensor<1x8x16x64xf32>)
// CHECK: %[[M:.*]] = mote.constant dense_resource<causal_mask> : tensor<1x1x16x16xf32>
// CHECK-NOT: mote.add
// CHECK: %[[O:.*]] = mote.attention %[[Q]], %[[K]], %[[V]], %[[M]] {scale = 1.250000e-01 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x1x16x16xf32>) -> tensor<1x8x16x64xf32>
// CHECK-NOT: mote.add
// CHECK: return %[[O]]
func.func @attn_additive_mask(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %mask = mote.constant dense_resource<causal_mask> : tensor<1x1x16x16xf32>
  %2 = mote.add %1, %mask : (tensor<1x8x16x16xf32>, tensor<1x1x16x16xf32>) -> tensor<1x8x16x16xf32>
  %3 = mote.softmax %2 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %4 = mote.matmul %3, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %4 : tensor<1x8x16x64xf32>
}

// -----

// The mask first in the add, after a division; a padding mask [B, 1, 1, Sk] given as an input.
// CHECK-LABEL: func.func @attn_mask_first_div
// CHECK-SAME: (%[[Q:.*]]: tensor<2x8x16x64xf32>, %[[K:.*]]: tensor<2x8x16x64xf32>, %[[V:.*]]: tensor<2x8x16x64xf32>, %[[M:.*]]: tensor<2x1x1x16xf32>)
// CHECK: %[[O:.*]] = mote.attention %[[Q]], %[[K]], %[[V]], %[[M]] {scale = 1.250000e-01 : f32} : (tensor<2x8x16x64xf32>, tensor<2x8x16x64xf32>, tensor<2x8x16x64xf32>, tensor<2x1x1x16xf32>) -> tensor<2x8x16x64xf32>
// CHECK-NOT: mote.softmax
// CHECK: return %[[O]]
func.func @attn_mask_first_div(%q: tensor<2x8x16x64xf32>, %k: tensor<2x8x16x64xf32>, %v: tensor<2x8x16x64xf32>, %mask: tensor<2x1x1x16xf32>) -> tensor<2x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<2x8x16x64xf32>) -> tensor<2x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<2x8x16x64xf32>, tensor<2x8x64x16xf32>) -> tensor<2x8x16x16xf32>
  %c = mote.constant dense<8.000000e+00> : tensor<f32>
  %1 = mote.div %0, %c : (tensor<2x8x16x16xf32>, tensor<f32>) -> tensor<2x8x16x16xf32>
  %2 = mote.add %mask, %1 : (tensor<2x1x1x16xf32>, tensor<2x8x16x16xf32>) -> tensor<2x8x16x16xf32>
  %3 = mote.softmax %2 {axis = -1 : i64} : tensor<2x8x16x16xf32>
  %4 = mote.matmul %3, %v : (tensor<2x8x16x16xf32>, tensor<2x8x16x64xf32>) -> tensor<2x8x16x64xf32>
  return %4 : tensor<2x8x16x64xf32>
}

// -----

// An additive mask straight on the unscaled scores.
// CHECK-LABEL: func.func @attn_mask_no_scale
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x16x64xf32>, %[[K:.*]]: tensor<1x8x16x64xf32>, %[[V:.*]]: tensor<1x8x16x64xf32>, %[[M:.*]]: tensor<16x16xf32>)
// CHECK: %[[O:.*]] = mote.attention %[[Q]], %[[K]], %[[V]], %[[M]] {scale = 1.000000e+00 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<16x16xf32>) -> tensor<1x8x16x64xf32>
// CHECK: return %[[O]]
func.func @attn_mask_no_scale(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>, %mask: tensor<16x16xf32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %1 = mote.add %0, %mask : (tensor<1x8x16x16xf32>, tensor<16x16xf32>) -> tensor<1x8x16x16xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %3 = mote.matmul %2, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %3 : tensor<1x8x16x64xf32>
}

// -----

// masked_fill(~causal, -inf) exported as Where(cond, scores, -inf): the additive mask where(cond, 0, -inf).
// CHECK-LABEL: func.func @attn_where_mask
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x16x64xf32>, %[[K:.*]]: tensor<1x8x16x64xf32>, %[[V:.*]]: tensor<1x8x16x64xf32>, %[[C:.*]]: tensor<1x1x16x16xi1>)
// CHECK-DAG: %[[FILL:.*]] = mote.constant dense<0xFF800000> : tensor<f32>
// CHECK-DAG: %[[ZERO:.*]] = mote.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[M:.*]] = mote.where %[[C]], %[[ZERO]], %[[FILL]] : (tensor<1x1x16x16xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x16x16xf32>
// CHECK: %[[O:.*]] = mote.attention %[[Q]], %[[K]], %[[V]], %[[M]] {scale = 1.250000e-01 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x1x16x16xf32>) -> tensor<1x8x16x64xf32>
// CHECK-NOT: mote.softmax
// CHECK: return %[[O]]
func.func @attn_where_mask(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>, %cond: tensor<1x1x16x16xi1>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %fill = mote.constant dense<0xFF800000> : tensor<f32>
  %2 = mote.where %cond, %1, %fill : (tensor<1x1x16x16xi1>, tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %3 = mote.softmax %2 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %4 = mote.matmul %3, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %4 : tensor<1x8x16x64xf32>
}

// -----

// The swapped where(cond, fill, scores) (cond marks the masked positions, fill = finfo(f32).min):
// the additive mask where(cond, fill, 0).
// CHECK-LABEL: func.func @attn_where_mask_swapped
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x16x64xf32>, %[[K:.*]]: tensor<1x8x16x64xf32>, %[[V:.*]]: tensor<1x8x16x64xf32>, %[[C:.*]]: tensor<1x1x16x16xi1>)
// CHECK-DAG: %[[FILL:.*]] = mote.constant dense<-3.40282347E+38> : tensor<f32>
// CHECK-DAG: %[[ZERO:.*]] = mote.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[M:.*]] = mote.where %[[C]], %[[FILL]], %[[ZERO]] : (tensor<1x1x16x16xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x16x16xf32>
// CHECK: %[[O:.*]] = mote.attention %[[Q]], %[[K]], %[[V]], %[[M]] {scale = 1.250000e-01 : f32}
// CHECK-NOT: mote.softmax
// CHECK: return %[[O]]
func.func @attn_where_mask_swapped(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>, %cond: tensor<1x1x16x16xi1>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %fill = mote.constant dense<-3.40282347E+38> : tensor<f32>
  %2 = mote.where %cond, %fill, %1 : (tensor<1x1x16x16xi1>, tensor<f32>, tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  %3 = mote.softmax %2 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %4 = mote.matmul %3, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %4 : tensor<1x8x16x64xf32>
}

// -----

// Heads folded into the batch (rank 3, [B*H, S, D], as older exporters write): q, k and v viewed as
// [1, B*H, S, D], the result reshaped back.
// CHECK-LABEL: func.func @attn_rank3
// CHECK-SAME: (%[[Q:.*]]: tensor<16x64x40xf32>, %[[K:.*]]: tensor<16x77x40xf32>, %[[V:.*]]: tensor<16x77x40xf32>)
// CHECK-DAG: %[[Q4:.*]] = mote.reshape %[[Q]] : (tensor<16x64x40xf32>) -> tensor<1x16x64x40xf32>
// CHECK-DAG: %[[K4:.*]] = mote.reshape %[[K]] : (tensor<16x77x40xf32>) -> tensor<1x16x77x40xf32>
// CHECK-DAG: %[[V4:.*]] = mote.reshape %[[V]] : (tensor<16x77x40xf32>) -> tensor<1x16x77x40xf32>
// CHECK: %[[O4:.*]] = mote.attention %[[Q4]], %[[K4]], %[[V4]] {scale = 0.158113882 : f32} : (tensor<1x16x64x40xf32>, tensor<1x16x77x40xf32>, tensor<1x16x77x40xf32>) -> tensor<1x16x64x40xf32>
// CHECK: %[[O:.*]] = mote.reshape %[[O4]] : (tensor<1x16x64x40xf32>) -> tensor<16x64x40xf32>
// CHECK-NOT: mote.softmax
// CHECK: return %[[O]]
func.func @attn_rank3(%q: tensor<16x64x40xf32>, %k: tensor<16x77x40xf32>, %v: tensor<16x77x40xf32>) -> tensor<16x64x40xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 2, 1>} : (tensor<16x77x40xf32>) -> tensor<16x40x77xf32>
  %0 = mote.matmul %q, %kt : (tensor<16x64x40xf32>, tensor<16x40x77xf32>) -> tensor<16x64x77xf32>
  %c = mote.constant dense<0.158113882> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<16x64x77xf32>, tensor<f32>) -> tensor<16x64x77xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<16x64x77xf32>
  %3 = mote.matmul %2, %v : (tensor<16x64x77xf32>, tensor<16x77x40xf32>) -> tensor<16x64x40xf32>
  return %3 : tensor<16x64x40xf32>
}

// -----

// Rank 3 with an additive [B*H, S, S] mask, in half precision: the mask broadcasts against the
// [1, B*H, S, S] scores as it is.
// CHECK-LABEL: func.func @attn_rank3_mask_f16
// CHECK-SAME: (%[[Q:.*]]: tensor<8x16x64xf16>, %[[K:.*]]: tensor<8x16x64xf16>, %[[V:.*]]: tensor<8x16x64xf16>, %[[M:.*]]: tensor<8x16x16xf16>)
// CHECK-DAG: %[[Q4:.*]] = mote.reshape %[[Q]] : (tensor<8x16x64xf16>) -> tensor<1x8x16x64xf16>
// CHECK-DAG: %[[K4:.*]] = mote.reshape %[[K]] : (tensor<8x16x64xf16>) -> tensor<1x8x16x64xf16>
// CHECK-DAG: %[[V4:.*]] = mote.reshape %[[V]] : (tensor<8x16x64xf16>) -> tensor<1x8x16x64xf16>
// CHECK: %[[O4:.*]] = mote.attention %[[Q4]], %[[K4]], %[[V4]], %[[M]] {scale = 1.250000e-01 : f32} : (tensor<1x8x16x64xf16>, tensor<1x8x16x64xf16>, tensor<1x8x16x64xf16>, tensor<8x16x16xf16>) -> tensor<1x8x16x64xf16>
// CHECK: %[[O:.*]] = mote.reshape %[[O4]] : (tensor<1x8x16x64xf16>) -> tensor<8x16x64xf16>
// CHECK: return %[[O]]
func.func @attn_rank3_mask_f16(%q: tensor<8x16x64xf16>, %k: tensor<8x16x64xf16>, %v: tensor<8x16x64xf16>, %mask: tensor<8x16x16xf16>) -> tensor<8x16x64xf16> {
  %kt = mote.transpose %k {perm = array<i64: 0, 2, 1>} : (tensor<8x16x64xf16>) -> tensor<8x64x16xf16>
  %0 = mote.matmul %q, %kt : (tensor<8x16x64xf16>, tensor<8x64x16xf16>) -> tensor<8x16x16xf16>
  %c = mote.constant dense<1.250000e-01> : tensor<f16>
  %1 = mote.mul %0, %c : (tensor<8x16x16xf16>, tensor<f16>) -> tensor<8x16x16xf16>
  %2 = mote.add %1, %mask : (tensor<8x16x16xf16>, tensor<8x16x16xf16>) -> tensor<8x16x16xf16>
  %3 = mote.softmax %2 {axis = -1 : i64} : tensor<8x16x16xf16>
  %4 = mote.matmul %3, %v : (tensor<8x16x16xf16>, tensor<8x16x64xf16>) -> tensor<8x16x64xf16>
  return %4 : tensor<8x16x64xf16>
}

// -----

// K^T made straight from the [B, S, H, D] projection by one transpose (perm 0, 2, 3, 1): that
// transpose is not a swap of the last two axes, so the pass transposes k^T back to [B, H, S, D]; the
// two transposes fold into the head split (0, 2, 1, 3).
// CHECK-LABEL: func.func @attn_key_transposed_from_bshd
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x16x64xf32>, %[[KP:.*]]: tensor<1x16x8x64xf32>, %[[V:.*]]: tensor<1x8x16x64xf32>)
// CHECK: %[[K:.*]] = mote.transpose %[[KP]] {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x16x8x64xf32>) -> tensor<1x8x16x64xf32>
// CHECK: %[[O:.*]] = mote.attention %[[Q]], %[[K]], %[[V]] {scale = 1.250000e-01 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
// CHECK: return %[[O]]
func.func @attn_key_transposed_from_bshd(%q: tensor<1x8x16x64xf32>, %kp: tensor<1x16x8x64xf32>, %v: tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %kp {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x16x8x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %3 = mote.matmul %2, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %3 : tensor<1x8x16x64xf32>
}

// -----

// K^T given as an input (a pre-transposed key cache): the pass transposes it back.
// CHECK-LABEL: func.func @attn_key_pretransposed
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x1x64xf32>, %[[KT:.*]]: tensor<1x8x64x32xf32>, %[[V:.*]]: tensor<1x8x32x64xf32>)
// CHECK: %[[K:.*]] = mote.transpose %[[KT]] {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x64x32xf32>) -> tensor<1x8x32x64xf32>
// CHECK: %[[O:.*]] = mote.attention %[[Q]], %[[K]], %[[V]] {scale = 1.250000e-01 : f32} : (tensor<1x8x1x64xf32>, tensor<1x8x32x64xf32>, tensor<1x8x32x64xf32>) -> tensor<1x8x1x64xf32>
// CHECK: return %[[O]]
func.func @attn_key_pretransposed(%q: tensor<1x8x1x64xf32>, %kt: tensor<1x8x64x32xf32>, %v: tensor<1x8x32x64xf32>) -> tensor<1x8x1x64xf32> {
  %0 = mote.matmul %q, %kt : (tensor<1x8x1x64xf32>, tensor<1x8x64x32xf32>) -> tensor<1x8x1x32xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x1x32xf32>, tensor<f32>) -> tensor<1x8x1x32xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<1x8x1x32xf32>
  %3 = mote.matmul %2, %v : (tensor<1x8x1x32xf32>, tensor<1x8x32x64xf32>) -> tensor<1x8x1x64xf32>
  return %3 : tensor<1x8x1x64xf32>
}

// -----

// The probabilities are also returned (output_attentions): the softmax must stay, so no rewrite.
// CHECK-LABEL: func.func @no_attn_probs_shared
// CHECK-NOT: mote.attention
// CHECK: %[[P:.*]] = mote.softmax
// CHECK: %[[O:.*]] = mote.matmul %[[P]]
// CHECK-NOT: mote.attention
// CHECK: return %[[O]], %[[P]]
func.func @no_attn_probs_shared(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>) -> (tensor<1x8x16x64xf32>, tensor<1x8x16x16xf32>) {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %3 = mote.matmul %2, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %3, %2 : tensor<1x8x16x64xf32>, tensor<1x8x16x16xf32>
}

// -----

// Softmax over the query axis (2), not the key axis.
// CHECK-LABEL: func.func @no_attn_softmax_not_last
// CHECK-NOT: mote.attention
// CHECK: mote.softmax %{{.*}} {axis = 2 : i64}
// CHECK-NOT: mote.attention
// CHECK: return
func.func @no_attn_softmax_not_last(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %2 = mote.softmax %1 {axis = 2 : i64} : tensor<1x8x16x16xf32>
  %3 = mote.matmul %2, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %3 : tensor<1x8x16x64xf32>
}

// -----

// The probabilities on the right of the second matmul (v^T @ p) is not p @ v.
// CHECK-LABEL: func.func @no_attn_probs_on_right
// CHECK-NOT: mote.attention
// CHECK: %[[P:.*]] = mote.softmax
// CHECK: mote.matmul %{{.*}}, %[[P]]
// CHECK-NOT: mote.attention
// CHECK: return
func.func @no_attn_probs_on_right(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %vt: tensor<1x8x64x16xf32>) -> tensor<1x8x64x16xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %3 = mote.matmul %vt, %2 : (tensor<1x8x64x16xf32>, tensor<1x8x16x16xf32>) -> tensor<1x8x64x16xf32>
  return %3 : tensor<1x8x64x16xf32>
}

// -----

// The probabilities are not multiplied by anything (a classifier's softmax over logits of rank 3).
// CHECK-LABEL: func.func @no_attn_no_value_matmul
// CHECK-NOT: mote.attention
// CHECK: mote.softmax
// CHECK-NOT: mote.attention
// CHECK: return
func.func @no_attn_no_value_matmul(%q: tensor<1x16x64xf32>, %k: tensor<1x16x64xf32>) -> tensor<1x16x16xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 2, 1>} : (tensor<1x16x64xf32>) -> tensor<1x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x16x64xf32>, tensor<1x64x16xf32>) -> tensor<1x16x16xf32>
  %1 = mote.softmax %0 {axis = -1 : i64} : tensor<1x16x16xf32>
  return %1 : tensor<1x16x16xf32>
}

// -----

// A scale that is not a constant (a learned temperature given as an input).
// CHECK-LABEL: func.func @no_attn_variable_scale
// CHECK-NOT: mote.attention
// CHECK: mote.softmax
// CHECK-NOT: mote.attention
// CHECK: return
func.func @no_attn_variable_scale(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>, %t: tensor<1x8x1x1xf32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %1 = mote.mul %0, %t : (tensor<1x8x16x16xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x16x16xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %3 = mote.matmul %2, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %3 : tensor<1x8x16x64xf32>
}

// -----

// A division by a non-constant.
// CHECK-LABEL: func.func @no_attn_variable_divisor
// CHECK-NOT: mote.attention
// CHECK: mote.div
// CHECK-NOT: mote.attention
// CHECK: return
func.func @no_attn_variable_divisor(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>, %t: tensor<f32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %1 = mote.div %0, %t : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %3 = mote.matmul %2, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %3 : tensor<1x8x16x64xf32>
}

// -----

// The mask added before the scale: (q @ k^T + mask) * c is not q @ k^T * c + mask.
// CHECK-LABEL: func.func @no_attn_mask_before_scale
// CHECK-NOT: mote.attention
// CHECK: mote.softmax
// CHECK-NOT: mote.attention
// CHECK: return
func.func @no_attn_mask_before_scale(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>, %mask: tensor<1x1x16x16xf32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %1 = mote.add %0, %mask : (tensor<1x8x16x16xf32>, tensor<1x1x16x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %2 = mote.mul %1, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %3 = mote.softmax %2 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %4 = mote.matmul %3, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %4 : tensor<1x8x16x64xf32>
}

// -----

// The softmax input is not a product of queries and keys.
// CHECK-LABEL: func.func @no_attn_scores_not_matmul
// CHECK-NOT: mote.attention
// CHECK: mote.softmax
// CHECK-NOT: mote.attention
// CHECK: return
func.func @no_attn_scores_not_matmul(%s: tensor<1x8x16x16xf32>, %v: tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32> {
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %0 = mote.mul %s, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %1 = mote.softmax %0 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %2 = mote.matmul %1, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %2 : tensor<1x8x16x64xf32>
}

// -----

// Rank 2 (a single head without batch) is outside the pattern.
// CHECK-LABEL: func.func @no_attn_rank2
// CHECK-NOT: mote.attention
// CHECK: mote.softmax
// CHECK-NOT: mote.attention
// CHECK: return
func.func @no_attn_rank2(%q: tensor<16x64xf32>, %k: tensor<16x64xf32>, %v: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 1, 0>} : (tensor<16x64xf32>) -> tensor<64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<16x16xf32>
  %1 = mote.softmax %0 {axis = -1 : i64} : tensor<16x16xf32>
  %2 = mote.matmul %1, %v : (tensor<16x16xf32>, tensor<16x64xf32>) -> tensor<16x64xf32>
  return %2 : tensor<16x64xf32>
}

// -----

// The value operand is a shared weight matrix (rank 2), not per-head values.
// CHECK-LABEL: func.func @no_attn_value_rank2
// CHECK-NOT: mote.attention
// CHECK: mote.softmax
// CHECK-NOT: mote.attention
// CHECK: return
func.func @no_attn_value_rank2(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %w: tensor<16x64xf32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %1 = mote.softmax %0 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %2 = mote.matmul %1, %w : (tensor<1x8x16x16xf32>, tensor<16x64xf32>) -> tensor<1x8x16x64xf32>
  return %2 : tensor<1x8x16x64xf32>
}

// -----

// Grouped-query attention: keys and values repeated per query group (Llama's repeat_kv) are used
// unrepeated; mote.attention maps query head h to key/value head h / 2 itself.
// CHECK-LABEL: func.func @gqa_repeated_heads
// CHECK-SAME: (%[[Q:.*]]: tensor<1x4x16x8xf32>, %[[K:.*]]: tensor<1x2x16x8xf32>, %[[V:.*]]: tensor<1x2x16x8xf32>)
// CHECK: %[[A:.*]] = mote.attention %[[Q]], %[[K]], %[[V]]
// CHECK-SAME: (tensor<1x4x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>) -> tensor<1x4x16x8xf32>
// CHECK: return %[[A]]
func.func @gqa_repeated_heads(%q: tensor<1x4x16x8xf32>, %k: tensor<1x2x16x8xf32>, %v: tensor<1x2x16x8xf32>) -> tensor<1x4x16x8xf32> {
  %k5 = mote.reshape %k : (tensor<1x2x16x8xf32>) -> tensor<1x2x1x16x8xf32>
  %ke = mote.expand %k5 : (tensor<1x2x1x16x8xf32>) -> tensor<1x2x2x16x8xf32>
  %kr = mote.reshape %ke : (tensor<1x2x2x16x8xf32>) -> tensor<1x4x16x8xf32>
  %v5 = mote.reshape %v : (tensor<1x2x16x8xf32>) -> tensor<1x2x1x16x8xf32>
  %ve = mote.expand %v5 : (tensor<1x2x1x16x8xf32>) -> tensor<1x2x2x16x8xf32>
  %vr = mote.reshape %ve : (tensor<1x2x2x16x8xf32>) -> tensor<1x4x16x8xf32>
  %kt = mote.transpose %kr {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x4x16x8xf32>) -> tensor<1x4x8x16xf32>
  %s = mote.matmul %q, %kt : (tensor<1x4x16x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x16x16xf32>
  %p = mote.softmax %s {axis = -1 : i64} : tensor<1x4x16x16xf32>
  %o = mote.matmul %p, %vr : (tensor<1x4x16x16xf32>, tensor<1x4x16x8xf32>) -> tensor<1x4x16x8xf32>
  return %o : tensor<1x4x16x8xf32>
}

// -----

// Grouped-query attention through torch.repeat_interleave on the head axis: each key/value head split off,
// repeated alone (reshape -> expand -> reshape to [B, 2, S, D]) and the pieces concatenated in order, keys
// by a split, values by slices. Used unrepeated as above.
// CHECK-LABEL: func.func @gqa_repeat_interleave
// CHECK-SAME: (%[[Q:.*]]: tensor<1x4x6x8xf32>, %[[K:.*]]: tensor<1x2x6x8xf32>, %[[V:.*]]: tensor<1x2x6x8xf32>)
// CHECK: %[[A:.*]] = mote.attention %[[Q]], %[[K]], %[[V]]
// CHECK: return %[[A]]
func.func @gqa_repeat_interleave(%q: tensor<1x4x6x8xf32>, %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x8xf32>) -> tensor<1x4x6x8xf32> {
  %k0, %k1 = mote.split %k {axis = 1 : i64, sizes = array<i64: 1, 1>} : (tensor<1x2x6x8xf32>) -> (tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>)
  %k05 = mote.reshape %k0 : (tensor<1x1x6x8xf32>) -> tensor<1x1x1x6x8xf32>
  %k0e = mote.expand %k05 : (tensor<1x1x1x6x8xf32>) -> tensor<1x1x2x6x8xf32>
  %k0r = mote.reshape %k0e : (tensor<1x1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  %k15 = mote.reshape %k1 : (tensor<1x1x6x8xf32>) -> tensor<1x1x1x6x8xf32>
  %k1e = mote.expand %k15 : (tensor<1x1x1x6x8xf32>) -> tensor<1x1x2x6x8xf32>
  %k1r = mote.reshape %k1e : (tensor<1x1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  %kr = mote.concat %k0r, %k1r {axis = 1 : i64} : (tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>) -> tensor<1x4x6x8xf32>
  %v0 = mote.slice %v {starts = array<i64: 0, 0, 0, 0>, limits = array<i64: 1, 1, 6, 8>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x6x8xf32>) -> tensor<1x1x6x8xf32>
  %v1 = mote.slice %v {starts = array<i64: 0, 1, 0, 0>, limits = array<i64: 1, 2, 6, 8>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x6x8xf32>) -> tensor<1x1x6x8xf32>
  %v05 = mote.reshape %v0 : (tensor<1x1x6x8xf32>) -> tensor<1x1x1x6x8xf32>
  %v0e = mote.expand %v05 : (tensor<1x1x1x6x8xf32>) -> tensor<1x1x2x6x8xf32>
  %v0r = mote.reshape %v0e : (tensor<1x1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  %v15 = mote.reshape %v1 : (tensor<1x1x6x8xf32>) -> tensor<1x1x1x6x8xf32>
  %v1e = mote.expand %v15 : (tensor<1x1x1x6x8xf32>) -> tensor<1x1x2x6x8xf32>
  %v1r = mote.reshape %v1e : (tensor<1x1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  %vr = mote.concat %v0r, %v1r {axis = 1 : i64} : (tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>) -> tensor<1x4x6x8xf32>
  %kt = mote.transpose %kr {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x4x6x8xf32>) -> tensor<1x4x8x6xf32>
  %s = mote.matmul %q, %kt : (tensor<1x4x6x8xf32>, tensor<1x4x8x6xf32>) -> tensor<1x4x6x6xf32>
  %p = mote.softmax %s {axis = -1 : i64} : tensor<1x4x6x6xf32>
  %o = mote.matmul %p, %vr : (tensor<1x4x6x6xf32>, tensor<1x4x6x8xf32>) -> tensor<1x4x6x8xf32>
  return %o : tensor<1x4x6x8xf32>
}

// -----

// Not a repetition of heads in order: the pieces concatenated as [k1, k1, k0, k0] stay repeated.
// CHECK-LABEL: func.func @gqa_pieces_out_of_order
// CHECK: %[[KR:.*]] = mote.concat
// CHECK: mote.attention %{{.*}}, %[[KR]], %[[KR]]
func.func @gqa_pieces_out_of_order(%q: tensor<1x4x6x8xf32>, %k: tensor<1x2x6x8xf32>) -> tensor<1x4x6x8xf32> {
  %k0, %k1 = mote.split %k {axis = 1 : i64, sizes = array<i64: 1, 1>} : (tensor<1x2x6x8xf32>) -> (tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>)
  %k05 = mote.reshape %k0 : (tensor<1x1x6x8xf32>) -> tensor<1x1x1x6x8xf32>
  %k0e = mote.expand %k05 : (tensor<1x1x1x6x8xf32>) -> tensor<1x1x2x6x8xf32>
  %k0r = mote.reshape %k0e : (tensor<1x1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  %k15 = mote.reshape %k1 : (tensor<1x1x6x8xf32>) -> tensor<1x1x1x6x8xf32>
  %k1e = mote.expand %k15 : (tensor<1x1x1x6x8xf32>) -> tensor<1x1x2x6x8xf32>
  %k1r = mote.reshape %k1e : (tensor<1x1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  %kr = mote.concat %k1r, %k0r {axis = 1 : i64} : (tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>) -> tensor<1x4x6x8xf32>
  %kt = mote.transpose %kr {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x4x6x8xf32>) -> tensor<1x4x8x6xf32>
  %s = mote.matmul %q, %kt : (tensor<1x4x6x8xf32>, tensor<1x4x8x6xf32>) -> tensor<1x4x6x6xf32>
  %p = mote.softmax %s {axis = -1 : i64} : tensor<1x4x6x6xf32>
  %o = mote.matmul %p, %kr : (tensor<1x4x6x6xf32>, tensor<1x4x6x8xf32>) -> tensor<1x4x6x8xf32>
  return %o : tensor<1x4x6x8xf32>
}
