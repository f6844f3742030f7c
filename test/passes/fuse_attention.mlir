// RUN: mote-opt %s -split-input-file -mote-fuse-attention | FileCheck %s

// Self-attention as exporters write it: Q, K, V split into heads by transpose(0, 2, 1, 3) and the output
// merged back the same way. All four transposes join the attention in one region over [B, S, H, D].
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["attention"]>} {
// CHECK-LABEL: func.func @self_attention
func.func @self_attention(%q: tensor<1x6x2x8xf32>, %k: tensor<1x6x2x8xf32>, %v: tensor<1x6x2x8xf32>) -> tensor<1x6x2x8xf32> {
  // CHECK: %[[F:.*]] = mote.fused "attention"(%arg0, %arg1, %arg2) : (tensor<1x6x2x8xf32>, tensor<1x6x2x8xf32>, tensor<1x6x2x8xf32>) -> tensor<1x6x2x8xf32> {
  // CHECK-NEXT: ^bb0(%[[Q:.*]]: tensor<1x6x2x8xf32>, %[[K:.*]]: tensor<1x6x2x8xf32>, %[[V:.*]]: tensor<1x6x2x8xf32>):
  // CHECK-NEXT: %[[QT:.*]] = mote.transpose %[[Q]]
  // CHECK-NEXT: %[[KT:.*]] = mote.transpose %[[K]]
  // CHECK-NEXT: %[[VT:.*]] = mote.transpose %[[V]]
  // CHECK-NEXT: %[[A:.*]] = mote.attention %[[QT]], %[[KT]], %[[VT]]
  // CHECK-NEXT: %[[O:.*]] = mote.transpose %[[A]]
  // CHECK-NEXT: mote.yield %[[O]]
  // CHECK: return %[[F]]
  %0 = mote.transpose %q {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x6x2x8xf32>) -> tensor<1x2x6x8xf32>
  %1 = mote.transpose %k {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x6x2x8xf32>) -> tensor<1x2x6x8xf32>
  %2 = mote.transpose %v {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x6x2x8xf32>) -> tensor<1x2x6x8xf32>
  %3 = mote.attention %0, %1, %2 {scale = 0.35 : f32} : (tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  %4 = mote.transpose %3 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x2x6x8xf32>) -> tensor<1x6x2x8xf32>
  return %4 : tensor<1x6x2x8xf32>
}
}

// -----

// Only what this attention alone reads is absorbed: the query's transpose is used again (it stays a copy,
// read by the region in heads layout), the key comes in heads layout already (a cache), the mask stays
// as it is, another permutation stays out, and an output read by something else is written as [B, H, S, D].
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["attention"]>} {
// CHECK-LABEL: func.func @partial
func.func @partial(%q: tensor<1x6x4x8xf32>, %k: tensor<1x2x5x8xf32>, %v: tensor<1x5x2x8xf32>, %m: tensor<1x1x6x5xf32>)
    -> (tensor<1x4x6x8xf32>, tensor<1x4x6x8xf32>) {
  // CHECK: %[[QT:.*]] = mote.transpose %arg0
  // The region's inputs in the order its ops read them (the absorbed value transpose comes first).
  // CHECK: %[[F:.*]] = mote.fused "attention"(%arg2, %[[QT]], %arg1, %arg3) : (tensor<1x5x2x8xf32>, tensor<1x4x6x8xf32>, tensor<1x2x5x8xf32>, tensor<1x1x6x5xf32>) -> tensor<1x4x6x8xf32> {
  // CHECK-NEXT: ^bb0(%[[V:.*]]: tensor<1x5x2x8xf32>, %[[Q:.*]]: tensor<1x4x6x8xf32>, %[[K:.*]]: tensor<1x2x5x8xf32>, %[[M:.*]]: tensor<1x1x6x5xf32>):
  // CHECK-NEXT: %[[VT:.*]] = mote.transpose %[[V]]
  // CHECK-NEXT: %[[A:.*]] = mote.attention %[[Q]], %[[K]], %[[VT]], %[[M]]
  // CHECK-NEXT: mote.yield %[[A]]
  // CHECK: mote.neg %[[F]]
  %0 = mote.transpose %q {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x6x4x8xf32>) -> tensor<1x4x6x8xf32>
  %1 = mote.transpose %v {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x5x2x8xf32>) -> tensor<1x2x5x8xf32>
  %2 = mote.attention %0, %k, %1, %m {scale = 0.35 : f32} : (tensor<1x4x6x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>, tensor<1x1x6x5xf32>) -> tensor<1x4x6x8xf32>
  %3 = mote.neg %2 : tensor<1x4x6x8xf32>
  %4 = mote.add %0, %3 : (tensor<1x4x6x8xf32>, tensor<1x4x6x8xf32>) -> tensor<1x4x6x8xf32>
  return %3, %4 : tensor<1x4x6x8xf32>, tensor<1x4x6x8xf32>
}
}

// -----

// Nothing to absorb (no head transposes, or another permutation): the attention stays a plain op.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["attention"]>} {
// CHECK-LABEL: func.func @nothing
func.func @nothing(%q: tensor<1x2x6x8xf32>, %k: tensor<1x2x8x6xf32>) -> tensor<1x2x6x8xf32> {
  // CHECK-NOT: mote.fused
  // CHECK: mote.attention
  %0 = mote.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x8x6xf32>) -> tensor<1x2x6x8xf32>
  %1 = mote.attention %q, %0, %0 {scale = 0.35 : f32} : (tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  return %1 : tensor<1x2x6x8xf32>
}
}

// -----

// A target without `attention` in its fusions keeps the copies.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["elementwise"]>} {
// CHECK-LABEL: func.func @not_listed
func.func @not_listed(%q: tensor<1x6x2x8xf32>, %k: tensor<1x2x6x8xf32>) -> tensor<1x2x6x8xf32> {
  // CHECK-NOT: mote.fused
  %0 = mote.transpose %q {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x6x2x8xf32>) -> tensor<1x2x6x8xf32>
  %1 = mote.attention %0, %k, %k {scale = 0.35 : f32} : (tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  return %1 : tensor<1x2x6x8xf32>
}
}

// -----

// A head split of a last-axis window of a merged projection comes along with its transpose: the region
// reads the merged result, and the kernel reads the window in place.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["attention"]>} {
// CHECK-LABEL: func.func @merged_projection
func.func @merged_projection(%qkv: tensor<1x6x48xf32>) -> tensor<1x6x2x8xf32> {
  // CHECK: %[[F:.*]] = mote.fused "attention"(%arg0) : (tensor<1x6x48xf32>) -> tensor<1x6x2x8xf32>
  // CHECK-COUNT-3: mote.slice
  // CHECK-NOT: mote.fused
  // CHECK: mote.attention
  %q = mote.slice %qkv {starts = array<i64: 0, 0, 0>, limits = array<i64: 1, 6, 16>, steps = array<i64: 1, 1, 1>} : (tensor<1x6x48xf32>) -> tensor<1x6x16xf32>
  %k = mote.slice %qkv {starts = array<i64: 0, 0, 16>, limits = array<i64: 1, 6, 32>, steps = array<i64: 1, 1, 1>} : (tensor<1x6x48xf32>) -> tensor<1x6x16xf32>
  %v = mote.slice %qkv {starts = array<i64: 0, 0, 32>, limits = array<i64: 1, 6, 48>, steps = array<i64: 1, 1, 1>} : (tensor<1x6x48xf32>) -> tensor<1x6x16xf32>
  %q4 = mote.reshape %q : (tensor<1x6x16xf32>) -> tensor<1x6x2x8xf32>
  %k4 = mote.reshape %k : (tensor<1x6x16xf32>) -> tensor<1x6x2x8xf32>
  %v4 = mote.reshape %v : (tensor<1x6x16xf32>) -> tensor<1x6x2x8xf32>
  %qt = mote.transpose %q4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x6x2x8xf32>) -> tensor<1x2x6x8xf32>
  %kt = mote.transpose %k4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x6x2x8xf32>) -> tensor<1x2x6x8xf32>
  %vt = mote.transpose %v4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x6x2x8xf32>) -> tensor<1x2x6x8xf32>
  %o = mote.attention %qt, %kt, %vt {scale = 0.35 : f32} : (tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  %ot = mote.transpose %o {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x2x6x8xf32>) -> tensor<1x6x2x8xf32>
  return %ot : tensor<1x6x2x8xf32>
}
}

// -----

// GPT-2's fused QKV projection [1, 6, 48] split in three along the last axis: each piece, read only by its
// head split, becomes a last-axis window slice that joins the region with the head split, so the kernel
// reads Q, K and V in place; the split goes. A split along another axis stays.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["attention"]>} {
// CHECK-LABEL: func.func @split_qkv
func.func @split_qkv(%qkv: tensor<1x6x48xf32>, %x: tensor<2x6x16xf32>) -> (tensor<1x6x2x8xf32>, tensor<1x6x16xf32>) {
  // CHECK: %[[F:.*]] = mote.fused "attention"(%arg0) : (tensor<1x6x48xf32>) -> tensor<1x6x2x8xf32> {
  // CHECK-NEXT: ^bb0(%[[QKV:.*]]: tensor<1x6x48xf32>):
  // CHECK-NEXT: mote.slice %[[QKV]] {limits = array<i64: 1, 6, 16>, starts = array<i64: 0, 0, 0>
  // CHECK-NEXT: mote.slice %[[QKV]] {limits = array<i64: 1, 6, 32>, starts = array<i64: 0, 0, 16>
  // CHECK-NEXT: mote.slice %[[QKV]] {limits = array<i64: 1, 6, 48>, starts = array<i64: 0, 0, 32>
  // CHECK: mote.attention
  // CHECK: mote.yield
  // CHECK-NOT: mote.split %arg0
  // CHECK: mote.split %arg1 {axis = 0 : i64
  %s:3 = mote.split %qkv {axis = 2 : i64, sizes = array<i64: 16, 16, 16>} : (tensor<1x6x48xf32>) -> (tensor<1x6x16xf32>, tensor<1x6x16xf32>, tensor<1x6x16xf32>)
  %q = mote.reshape %s#0 : (tensor<1x6x16xf32>) -> tensor<1x6x2x8xf32>
  %k = mote.reshape %s#1 : (tensor<1x6x16xf32>) -> tensor<1x6x2x8xf32>
  %v = mote.reshape %s#2 : (tensor<1x6x16xf32>) -> tensor<1x6x2x8xf32>
  %0 = mote.transpose %q {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x6x2x8xf32>) -> tensor<1x2x6x8xf32>
  %1 = mote.transpose %k {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x6x2x8xf32>) -> tensor<1x2x6x8xf32>
  %2 = mote.transpose %v {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x6x2x8xf32>) -> tensor<1x2x6x8xf32>
  %3 = mote.attention %0, %1, %2 {scale = 0.35 : f32} : (tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  %4 = mote.transpose %3 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x2x6x8xf32>) -> tensor<1x6x2x8xf32>
  %t:2 = mote.split %x {axis = 0 : i64, sizes = array<i64: 1, 1>} : (tensor<2x6x16xf32>) -> (tensor<1x6x16xf32>, tensor<1x6x16xf32>)
  return %4, %t#0 : tensor<1x6x2x8xf32>, tensor<1x6x16xf32>
}
}

// -----

// One head: [1, 1, S, D] views of last-axis windows of a merged projection (a VAE decoder's mid-block
// attention after mote-merge-sibling-matmuls) come along with no transpose; the kernel reads the windows in
// place.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["attention"]>} {
// CHECK-LABEL: func.func @single_head_windows
func.func @single_head_windows(%qkv: tensor<1x6x24xf32>) -> tensor<1x1x6x8xf32> {
  // CHECK: %[[F:.*]] = mote.fused "attention"(%arg0) : (tensor<1x6x24xf32>) -> tensor<1x1x6x8xf32>
  // CHECK-COUNT-3: mote.slice
  // CHECK-NOT: mote.fused
  // CHECK: mote.attention
  // CHECK-NEXT: mote.yield
  // CHECK: return %[[F]]
  %q = mote.slice %qkv {starts = array<i64: 0, 0, 0>, limits = array<i64: 1, 6, 8>, steps = array<i64: 1, 1, 1>} : (tensor<1x6x24xf32>) -> tensor<1x6x8xf32>
  %k = mote.slice %qkv {starts = array<i64: 0, 0, 8>, limits = array<i64: 1, 6, 16>, steps = array<i64: 1, 1, 1>} : (tensor<1x6x24xf32>) -> tensor<1x6x8xf32>
  %v = mote.slice %qkv {starts = array<i64: 0, 0, 16>, limits = array<i64: 1, 6, 24>, steps = array<i64: 1, 1, 1>} : (tensor<1x6x24xf32>) -> tensor<1x6x8xf32>
  %q4 = mote.reshape %q : (tensor<1x6x8xf32>) -> tensor<1x1x6x8xf32>
  %k4 = mote.reshape %k : (tensor<1x6x8xf32>) -> tensor<1x1x6x8xf32>
  %v4 = mote.reshape %v : (tensor<1x6x8xf32>) -> tensor<1x1x6x8xf32>
  %o = mote.attention %q4, %k4, %v4 {scale = 0.35 : f32} : (tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>) -> tensor<1x1x6x8xf32>
  return %o : tensor<1x1x6x8xf32>
}
}
