// RUN: mote-opt %s -split-input-file -mote-fuse-elementwise | FileCheck %s

// A per-channel bias, then SiLU, then a residual add: one region whose inputs are the activation, the
// bias (read periodically) and the residual.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["elementwise"]>} {
// CHECK-LABEL: func.func @chain
func.func @chain(%x: tensor<1x4x4x8xf32>, %b: tensor<8xf32>, %r: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  // CHECK: %[[F:.*]] = mote.fused "elementwise"(%arg0, %arg1, %arg2) : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  // CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<1x4x4x8xf32>, %[[B:.*]]: tensor<8xf32>, %[[R:.*]]: tensor<1x4x4x8xf32>):
  // CHECK-NEXT: %[[S:.*]] = mote.add %[[A]], %[[B]]
  // CHECK-NEXT: %[[T:.*]] = mote.silu %[[S]]
  // CHECK-NEXT: %[[U:.*]] = mote.add %[[T]], %[[R]]
  // CHECK-NEXT: mote.yield %[[U]]
  // CHECK: return %[[F]]
  %0 = mote.add %x, %b : (tensor<1x4x4x8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %1 = mote.silu %0 : tensor<1x4x4x8xf32>
  %2 = mote.add %1, %r : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %2 : tensor<1x4x4x8xf32>
}
}

// -----

// A value used after the region is also a result of it (computed once, stored once).
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["elementwise"]>} {
// CHECK-LABEL: func.func @used_twice
func.func @used_twice(%x: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  // CHECK: %[[F:.*]]:2 = mote.fused "elementwise"(%arg0) : (tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>)
  // CHECK: mote.relu
  // CHECK: mote.neg
  // CHECK: mote.yield
  // CHECK: return %[[F]]#0, %[[F]]#1
  %0 = mote.relu %x : tensor<16xf32>
  %1 = mote.neg %0 : tensor<16xf32>
  return %0, %1 : tensor<16xf32>, tensor<16xf32>
}
}

// -----

// Must not fuse: the matmul between relu and add uses relu's result, so the add cannot join relu's
// region (the region would be computed after the matmul needs it).
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["elementwise"]>} {
// CHECK-LABEL: func.func @user_in_between
func.func @user_in_between(%x: tensor<4x4xf32>, %w: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // CHECK-NOT: mote.fused
  // CHECK: mote.relu
  // CHECK: mote.matmul
  // CHECK: mote.add
  %0 = mote.relu %x : tensor<4x4xf32>
  %1 = mote.matmul %0, %w : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %2 = mote.add %0, %1 : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %2 : tensor<4x4xf32>
}
}

// -----

// Must not fuse: a broadcast along a non-leading dimension ([4, 1] against [4, 8]) is not a periodic read
// (the add stays out; the relu and neg after it fuse), and integer ops have no fused kernel.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["elementwise"]>} {
// CHECK-LABEL: func.func @not_periodic
func.func @not_periodic(%x: tensor<4x8xf32>, %c: tensor<4x1xf32>, %i: tensor<8xi64>) -> (tensor<4x8xf32>, tensor<8xi64>) {
  // CHECK: %[[ADD:.*]] = mote.add %arg0, %arg1
  // CHECK-NEXT: mote.fused "elementwise"(%[[ADD]]) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: mote.relu
  // CHECK-NEXT: mote.neg
  // CHECK-NEXT: mote.yield
  // CHECK-NEXT: }
  // CHECK-NEXT: mote.abs %arg2
  // CHECK-NEXT: mote.neg
  // CHECK-NOT: mote.fused
  %0 = mote.add %x, %c : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %1 = mote.relu %0 : tensor<4x8xf32>
  %2 = mote.neg %1 : tensor<4x8xf32>
  %3 = mote.abs %i : tensor<8xi64>
  %4 = mote.neg %3 : tensor<8xi64>
  return %2, %4 : tensor<4x8xf32>, tensor<8xi64>
}
}

// -----

// A target that lists no fusions keeps every op.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32>} {
// CHECK-LABEL: func.func @no_fusions
func.func @no_fusions(%x: tensor<16xf32>) -> tensor<16xf32> {
  // CHECK-NOT: mote.fused
  %0 = mote.relu %x : tensor<16xf32>
  %1 = mote.neg %0 : tensor<16xf32>
  return %1 : tensor<16xf32>
}
}

// -----

// A group norm read only by the SiLU after it leads a norm_elementwise region; a layer norm whose result
// is also returned does not (its kernel would have to store it twice), and its add fuses alone.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["elementwise", "norm_elementwise"]>} {
// CHECK-LABEL: func.func @norms
func.func @norms(%x: tensor<1x4x4x8xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>, %r: tensor<1x4x4x8xf32>) -> (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) {
  // CHECK: mote.fused "norm_elementwise"(%arg0, %arg1, %arg2)
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.group_norm
  // CHECK-NEXT: mote.silu
  // CHECK-NEXT: mote.yield
  %0 = mote.group_norm %x, %s, %b {num_groups = 2 : i64, epsilon = 1.0e-5 : f32, channels_last = true} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %1 = mote.silu %0 : tensor<1x4x4x8xf32>
  // CHECK: %[[LN:.*]] = mote.layer_norm
  // CHECK-NEXT: mote.fused "elementwise"(%[[LN]], %arg3)
  %2 = mote.layer_norm %1, %s, %b {axis = 3 : i64, epsilon = 1.0e-5 : f32} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %3 = mote.add %2, %r : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %4 = mote.relu %3 : tensor<1x4x4x8xf32>
  return %1, %2, %4 : tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>
}
}

// -----

// Slices that only the region reads, of its shape, taking a window of the last axis (GEGLU's halves),
// join the region; a slice of another axis, or one read again outside, stays a copy.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["elementwise"]>} {
// CHECK-LABEL: func.func @slices
func.func @slices(%x: tensor<2x3x8xf32>) -> (tensor<2x3x4xf32>, tensor<1x3x8xf32>, tensor<2x3x4xf32>) {
  // CHECK: %[[S:.*]] = mote.slice %arg0 {limits = array<i64: 2, 3, 4>
  // CHECK: %[[R:.*]] = mote.slice %arg0 {limits = array<i64: 1, 3, 8>
  // CHECK: %[[F:.*]] = mote.fused "elementwise"(%arg0, %[[S]])
  // CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<2x3x8xf32>, %[[B:.*]]: tensor<2x3x4xf32>):
  // CHECK-NEXT: %[[H:.*]] = mote.slice %[[A]] {limits = array<i64: 2, 3, 8>, starts = array<i64: 0, 0, 4>
  // CHECK-NEXT: %[[G:.*]] = mote.gelu %[[H]]
  // CHECK-NEXT: mote.mul %[[B]], %[[G]]
  %lo = mote.slice %x {starts = array<i64: 0, 0, 0>, limits = array<i64: 2, 3, 4>, steps = array<i64: 1, 1, 1>} : (tensor<2x3x8xf32>) -> tensor<2x3x4xf32>
  %hi = mote.slice %x {starts = array<i64: 0, 0, 4>, limits = array<i64: 2, 3, 8>, steps = array<i64: 1, 1, 1>} : (tensor<2x3x8xf32>) -> tensor<2x3x4xf32>
  %rows = mote.slice %x {starts = array<i64: 0, 0, 0>, limits = array<i64: 1, 3, 8>, steps = array<i64: 1, 1, 1>} : (tensor<2x3x8xf32>) -> tensor<1x3x8xf32>
  %g = mote.gelu %hi : tensor<2x3x4xf32>
  %y = mote.mul %lo, %g : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %r = mote.neg %rows : tensor<1x3x8xf32>
  return %y, %r, %lo : tensor<2x3x4xf32>, tensor<1x3x8xf32>, tensor<2x3x4xf32>
}
}
