// RUN: mote-opt %s -split-input-file -mote-merge-sibling-matmuls | FileCheck %s

// Q, K and V projections of one input for one attention: one matmul by the weights side by side (row k
// of the merged weight is row k of each weight in turn), and a slice of the last axis per projection.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["sibling_matmuls"]>} {
// CHECK-LABEL: func.func @qkv
func.func @qkv(%x: tensor<1x3x2xf32>) -> tensor<1x1x3x2xf32> {
  // CHECK: %[[W:.*]] = mote.constant dense_resource<merged_projection> : tensor<2x6xf32>
  // CHECK-NEXT: %[[P:.*]] = mote.matmul %arg0, %[[W]] : (tensor<1x3x2xf32>, tensor<2x6xf32>) -> tensor<1x3x6xf32>
  // CHECK-NEXT: mote.slice %[[P]] {limits = array<i64: 1, 3, 2>, starts = array<i64: 0, 0, 0>
  // CHECK-NEXT: mote.slice %[[P]] {limits = array<i64: 1, 3, 4>, starts = array<i64: 0, 0, 2>
  // CHECK-NEXT: mote.slice %[[P]] {limits = array<i64: 1, 3, 6>, starts = array<i64: 0, 0, 4>
  // CHECK-NOT: mote.matmul
  // CHECK: dialect_resources
  // CHECK-NEXT: builtin
  // The merged rows: [1 2 | 5 6 | 9 10] and [3 4 | 7 8 | 11 12] (little-endian f32, after the alignment word).
  // CHECK-NEXT: merged_projection: "0x040000000000803F000000400000A0400000C040000010410000204100004040000080400000E040000000410000304100004041"
  %wq = mote.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %wk = mote.constant dense<[[5.0, 6.0], [7.0, 8.0]]> : tensor<2x2xf32>
  %wv = mote.constant dense<[[9.0, 10.0], [11.0, 12.0]]> : tensor<2x2xf32>
  %q = mote.matmul %x, %wq : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %k = mote.matmul %x, %wk : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %v = mote.matmul %x, %wv : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %q4 = mote.reshape %q : (tensor<1x3x2xf32>) -> tensor<1x3x1x2xf32>
  %k4 = mote.reshape %k : (tensor<1x3x2xf32>) -> tensor<1x3x1x2xf32>
  %v4 = mote.reshape %v : (tensor<1x3x2xf32>) -> tensor<1x3x1x2xf32>
  %qt = mote.transpose %q4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %kt = mote.transpose %k4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %vt = mote.transpose %v4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %o = mote.attention %qt, %kt, %vt {scale = 0.5 : f32} : (tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x3x2xf32>
  return %o : tensor<1x1x3x2xf32>
}
}

// -----

// Projections of one input for two attentions stay apart (the merged result would live from the first to
// the last); a projection that no attention reads in heads, or whose weight is read twice, stays alone.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["sibling_matmuls"]>} {
// CHECK-LABEL: func.func @apart
func.func @apart(%x: tensor<1x3x2xf32>, %q: tensor<1x1x3x2xf32>) -> (tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>) {
  // CHECK-NOT: merged_projection
  // CHECK-COUNT-4: mote.matmul
  %w1 = mote.constant dense<1.0> : tensor<2x2xf32>
  %w2 = mote.constant dense<2.0> : tensor<2x2xf32>
  %w3 = mote.constant dense<3.0> : tensor<2x2xf32>
  %k1 = mote.matmul %x, %w1 : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %k2 = mote.matmul %x, %w2 : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %plain = mote.matmul %x, %w3 : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %twice = mote.matmul %x, %w3 : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %r1 = mote.reshape %k1 : (tensor<1x3x2xf32>) -> tensor<1x3x1x2xf32>
  %r2 = mote.reshape %k2 : (tensor<1x3x2xf32>) -> tensor<1x3x1x2xf32>
  %t1 = mote.transpose %r1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %t2 = mote.transpose %r2 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %o1 = mote.attention %q, %t1, %q {scale = 0.5 : f32} : (tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x3x2xf32>
  %o2 = mote.attention %q, %t2, %q {scale = 0.5 : f32} : (tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x3x2xf32>
  return %o1, %o2, %plain, %twice : tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>
}
}

// -----

// SwiGLU: silu(x W_gate) * (x W_up) -> one matmul by [W_gate | W_up] and two slices the elementwise fusion
// reads in place. Not merged: a gate whose activation is also read elsewhere, and a product of one
// projection by itself.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["sibling_matmuls"]>} {
// CHECK-LABEL: func.func @swiglu
func.func @swiglu(%x: tensor<1x3x2xf32>, %y: tensor<1x3x2xf32>) -> (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) {
  // CHECK: %[[W:.*]] = mote.constant dense_resource<merged_projection> : tensor<2x8xf32>
  // CHECK-NEXT: %[[P:.*]] = mote.matmul %arg0, %[[W]] : (tensor<1x3x2xf32>, tensor<2x8xf32>) -> tensor<1x3x8xf32>
  // CHECK-NEXT: %[[G:.*]] = mote.slice %[[P]] {limits = array<i64: 1, 3, 4>, starts = array<i64: 0, 0, 0>
  // CHECK-NEXT: %[[U:.*]] = mote.slice %[[P]] {limits = array<i64: 1, 3, 8>, starts = array<i64: 0, 0, 4>
  // CHECK-NEXT: %[[S:.*]] = mote.silu %[[G]]
  // CHECK-NEXT: mote.mul %[[S]], %[[U]]
  // CHECK-COUNT-3: mote.matmul %arg1
  %wg = mote.constant dense<1.0> : tensor<2x4xf32>
  %wu = mote.constant dense<2.0> : tensor<2x4xf32>
  %g = mote.matmul %x, %wg : (tensor<1x3x2xf32>, tensor<2x4xf32>) -> tensor<1x3x4xf32>
  %u = mote.matmul %x, %wu : (tensor<1x3x2xf32>, tensor<2x4xf32>) -> tensor<1x3x4xf32>
  %s = mote.silu %g : tensor<1x3x4xf32>
  %m = mote.mul %s, %u : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %wg2 = mote.constant dense<3.0> : tensor<2x4xf32>
  %wu2 = mote.constant dense<4.0> : tensor<2x4xf32>
  %g2 = mote.matmul %y, %wg2 : (tensor<1x3x2xf32>, tensor<2x4xf32>) -> tensor<1x3x4xf32>
  %u2 = mote.matmul %y, %wu2 : (tensor<1x3x2xf32>, tensor<2x4xf32>) -> tensor<1x3x4xf32>
  %s2 = mote.silu %g2 : tensor<1x3x4xf32>
  %m2 = mote.mul %s2, %u2 : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %w5 = mote.constant dense<5.0> : tensor<2x4xf32>
  %sq = mote.matmul %y, %w5 : (tensor<1x3x2xf32>, tensor<2x4xf32>) -> tensor<1x3x4xf32>
  %m3 = mote.mul %sq, %sq : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  return %m, %m2, %s2, %m3 : tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>
}
}

// -----

// The FC -> Conv2D form (OpenCL): 1x1 channels-last convolutions of one input, one with a bias and one without,
// read by one attention through head splits. One convolution by the weights stacked along the output
// channels, biases likewise (zeros for the member without one); the merged [1, 3, 1, 4] result is viewed as
// [1, 3, 4] and each head split reads its last-axis window of that view.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["sibling_matmuls"]>} {
// CHECK-LABEL: func.func @conv_qkv
func.func @conv_qkv(%x: tensor<1x3x1x2xf32>, %v: tensor<1x1x3x2xf32>) -> tensor<1x1x3x2xf32> {
  // CHECK-DAG: %[[W:.*]] = mote.constant dense_resource<merged_projection> : tensor<4x2x1x1xf32>
  // CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<merged_bias> : tensor<4xf32>
  // CHECK: %[[C:.*]] = mote.conv %arg0, %[[W]], %[[B]] {{.*}} -> tensor<1x3x1x4xf32>
  // CHECK-NEXT: %[[R:.*]] = mote.reshape %[[C]] : (tensor<1x3x1x4xf32>) -> tensor<1x3x4xf32>
  // CHECK-NEXT: %[[Q:.*]] = mote.slice %[[R]] {limits = array<i64: 1, 3, 2>, starts = array<i64: 0, 0, 0>
  // CHECK-NEXT: %[[K:.*]] = mote.slice %[[R]] {limits = array<i64: 1, 3, 4>, starts = array<i64: 0, 0, 2>
  // CHECK-NEXT: mote.reshape %[[Q]] : (tensor<1x3x2xf32>) -> tensor<1x3x1x2xf32>
  // CHECK-NEXT: mote.reshape %[[K]] : (tensor<1x3x2xf32>) -> tensor<1x3x1x2xf32>
  // CHECK-NOT: mote.conv
  // Weight rows [1 2], [3 4] then [5 6], [7 8]; biases [0.5 0.5] then zeros.
  // CHECK-DAG: merged_projection: "0x040000000000803F0000004000004040000080400000A0400000C0400000E04000000041"
  // CHECK-DAG: merged_bias: "0x040000000000003F0000003F0000000000000000"
  %wq = mote.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %bq = mote.constant dense<0.5> : tensor<2xf32>
  %wk = mote.constant dense<[[[[5.0]], [[6.0]]], [[[7.0]], [[8.0]]]]> : tensor<2x2x1x1xf32>
  %q = mote.conv %x, %wq, %bq {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x3x1x2xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x3x1x2xf32>
  %k = mote.conv %x, %wk {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x3x1x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x3x1x2xf32>
  %q4 = mote.reshape %q : (tensor<1x3x1x2xf32>) -> tensor<1x3x1x2xf32>
  %k4 = mote.reshape %k : (tensor<1x3x1x2xf32>) -> tensor<1x3x1x2xf32>
  // (The head splits into one head of 2 are identities here; a real model's split H * D into H, D.)
  %qt = mote.transpose %q4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %kt = mote.transpose %k4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %o = mote.attention %qt, %kt, %v {scale = 0.5 : f32} : (tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x3x2xf32>
  return %o : tensor<1x1x3x2xf32>
}
}

// -----

// One head (a VAE decoder's mid-block attention): each projection's [1, 3, 1, 2] result viewed as [1, 1, 3, 2]
// and read by the attention with no transpose. Merged the same way; each view reads its window.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["sibling_matmuls"]>} {
// CHECK-LABEL: func.func @conv_single_head
func.func @conv_single_head(%x: tensor<1x3x1x2xf32>, %v: tensor<1x1x3x2xf32>) -> tensor<1x1x3x2xf32> {
  // CHECK: %[[C:.*]] = mote.conv %arg0, {{.*}} -> tensor<1x3x1x4xf32>
  // CHECK-NEXT: %[[R:.*]] = mote.reshape %[[C]] : (tensor<1x3x1x4xf32>) -> tensor<1x3x4xf32>
  // CHECK-NEXT: %[[Q:.*]] = mote.slice %[[R]] {limits = array<i64: 1, 3, 2>, starts = array<i64: 0, 0, 0>
  // CHECK-NEXT: %[[K:.*]] = mote.slice %[[R]] {limits = array<i64: 1, 3, 4>, starts = array<i64: 0, 0, 2>
  // CHECK-NEXT: %[[QH:.*]] = mote.reshape %[[Q]] : (tensor<1x3x2xf32>) -> tensor<1x1x3x2xf32>
  // CHECK-NEXT: %[[KH:.*]] = mote.reshape %[[K]] : (tensor<1x3x2xf32>) -> tensor<1x1x3x2xf32>
  // CHECK-NEXT: mote.attention %[[QH]], %[[KH]], %arg1
  %wq = mote.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %wk = mote.constant dense<[[[[5.0]], [[6.0]]], [[[7.0]], [[8.0]]]]> : tensor<2x2x1x1xf32>
  %q = mote.conv %x, %wq {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x3x1x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x3x1x2xf32>
  %k = mote.conv %x, %wk {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x3x1x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x3x1x2xf32>
  %qh = mote.reshape %q : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %kh = mote.reshape %k : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %o = mote.attention %qh, %kh, %v {scale = 0.5 : f32} : (tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x3x2xf32>
  return %o : tensor<1x1x3x2xf32>
}
}

// -----

// Projections with biases (CLIP, BERT): each matmul's only reader adds a constant [N] bias. One matmul by the
// weights side by side plus one add of the biases side by side (zeros for a member without one), then the
// slices of the sum.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["sibling_matmuls"]>} {
// CHECK-LABEL: func.func @biased_qkv
func.func @biased_qkv(%x: tensor<1x3x2xf32>, %v: tensor<1x1x3x2xf32>) -> tensor<1x1x3x2xf32> {
  // CHECK: %[[W:.*]] = mote.constant dense_resource<merged_projection> : tensor<2x4xf32>
  // CHECK-NEXT: %[[P:.*]] = mote.matmul %arg0, %[[W]] : (tensor<1x3x2xf32>, tensor<2x4xf32>) -> tensor<1x3x4xf32>
  // CHECK-NEXT: %[[B:.*]] = mote.constant dense_resource<merged_bias> : tensor<4xf32>
  // CHECK-NEXT: %[[S:.*]] = mote.add %[[P]], %[[B]]
  // CHECK-NEXT: mote.slice %[[S]] {limits = array<i64: 1, 3, 2>, starts = array<i64: 0, 0, 0>
  // CHECK-NEXT: mote.slice %[[S]] {limits = array<i64: 1, 3, 4>, starts = array<i64: 0, 0, 2>
  // CHECK-NOT: mote.add
  // CHECK-NOT: mote.matmul
  // Biases [0.5 -1] then zeros.
  // CHECK: merged_bias: "0x040000000000003F000080BF0000000000000000"
  %wq = mote.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %bq = mote.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %wk = mote.constant dense<[[5.0, 6.0], [7.0, 8.0]]> : tensor<2x2xf32>
  %q = mote.matmul %x, %wq : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %qb = mote.add %q, %bq : (tensor<1x3x2xf32>, tensor<2xf32>) -> tensor<1x3x2xf32>
  %k = mote.matmul %x, %wk : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %q4 = mote.reshape %qb : (tensor<1x3x2xf32>) -> tensor<1x3x1x2xf32>
  %k4 = mote.reshape %k : (tensor<1x3x2xf32>) -> tensor<1x3x1x2xf32>
  %qt = mote.transpose %q4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %kt = mote.transpose %k4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %o = mote.attention %qt, %kt, %v {scale = 0.5 : f32} : (tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x3x2xf32>
  return %o : tensor<1x1x3x2xf32>
}
}
