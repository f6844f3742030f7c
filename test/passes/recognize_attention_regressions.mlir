// Regressions of the attention recognition: cases that once rewrote wrongly, produced invalid IR or
// were missed; each comment says what went wrong.
// RUN: mote-opt %s --split-input-file --mote-recognize-attention | FileCheck %s

// Was a wrong rewrite. where(cond, scores, fill) equals scores + where(cond, 0, fill) only where the fill
// swamps the scores (fill = -inf; approximately for a huge negative fill, and not at all for a fully
// masked row). The pass turns every where into that additive mask whatever the fill: here fill = 0,
// where the masked scores are exactly 0, becomes the mask where(cond, 0, 0) = 0 and the masking is
// lost. Now: no rewrite unless the fill is a constant -inf (or at most a very negative constant).
// CHECK-LABEL: func.func @no_attn_where_zero_fill
// CHECK-NOT: mote.attention
// CHECK: mote.where
// CHECK: mote.softmax
// CHECK-NOT: mote.attention
// CHECK: return
func.func @no_attn_where_zero_fill(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>, %cond: tensor<1x1x16x16xi1>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %fill = mote.constant dense<0.000000e+00> : tensor<f32>
  %2 = mote.where %cond, %1, %fill : (tensor<1x1x16x16xi1>, tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %3 = mote.softmax %2 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %4 = mote.matmul %3, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %4 : tensor<1x8x16x64xf32>
}

// -----

// Was a wrong rewrite. The keys and values have batch 1 and the queries batch 2; the two matmuls broadcast
// the batch (valid ONNX MatMul). The pass only rejects operands of different rank, so it builds
// mote.attention with q batch 2 and k/v batch 1, outside the op's documented [B, H, S, D] contract (the
// verifier lets it through; the reference kernel then indexes k and v at batch 1, out of bounds).
// Now: no attention whose key/value batch differs from the query's (no rewrite, or k and v
// expanded to batch 2).
// CHECK-LABEL: func.func @attn_kv_batch_broadcast
// CHECK-NOT: mote.attention %{{.*}} : (tensor<2x8x16x64xf32>, tensor<1x8x16x64xf32>
// CHECK: return
func.func @attn_kv_batch_broadcast(%q: tensor<2x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>) -> tensor<2x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<2x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<2x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<2x8x16x16xf32>, tensor<f32>) -> tensor<2x8x16x16xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<2x8x16x16xf32>
  %3 = mote.matmul %2, %v : (tensor<2x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<2x8x16x64xf32>
  return %3 : tensor<2x8x16x64xf32>
}

// -----

// Invalid IR. Keys per head but one value head broadcast by the second matmul: the pass builds
// mote.attention with k [1, 8, 16, 64] and v [1, 1, 16, 64], which fails verification ("key and value
// disagree in batch, heads or length"), so mote-opt fails. (A query broadcast over heads, q [1, 1, S, D]
// against k [1, 8, S, D], fails the same way: "8 key/value heads to divide the 1 query heads".)
// Now: valid IR (no rewrite, or v expanded to 8 heads).
// CHECK-LABEL: func.func @attn_value_heads_broadcast
// CHECK-NOT: mote.attention %{{.*}}, tensor<1x1x16x64xf32>) ->
// CHECK: return
func.func @attn_value_heads_broadcast(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x1x16x64xf32>) -> tensor<1x8x16x64xf32> {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %3 = mote.matmul %2, %v : (tensor<1x8x16x16xf32>, tensor<1x1x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %3 : tensor<1x8x16x64xf32>
}

// -----

// Needless rewrite (numerically exact). The raw scores q @ k^T have another user: the pass checks that
// the probabilities are single-use but not the scores, the scaled scores or the masked scores, so it
// fires and keeps the [B, H, Sq, Sk] score matmul alive for the other user: the scores are computed
// twice and still materialized, which is what the composite is for avoiding. Now: no rewrite.
// CHECK-LABEL: func.func @no_attn_scores_shared
// CHECK-NOT: mote.attention
// CHECK: %[[S:.*]] = mote.matmul
// CHECK: mote.softmax
// CHECK-NOT: mote.attention
// CHECK: return %{{.*}}, %[[S]]
func.func @no_attn_scores_shared(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x16x64xf32>) -> (tensor<1x8x16x64xf32>, tensor<1x8x16x16xf32>) {
  %kt = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x16x64xf32>) -> tensor<1x8x64x16xf32>
  %0 = mote.matmul %q, %kt : (tensor<1x8x16x64xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x16x16xf32>
  %c = mote.constant dense<1.250000e-01> : tensor<f32>
  %1 = mote.mul %0, %c : (tensor<1x8x16x16xf32>, tensor<f32>) -> tensor<1x8x16x16xf32>
  %2 = mote.softmax %1 {axis = -1 : i64} : tensor<1x8x16x16xf32>
  %3 = mote.matmul %2, %v : (tensor<1x8x16x16xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return %3, %0 : tensor<1x8x16x64xf32>, tensor<1x8x16x16xf32>
}
