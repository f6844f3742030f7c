// RUN: mote-opt %s -split-input-file -mote-fuse-rotary | FileCheck %s

// Llama's apply_rotary_pos_emb as exported: x transposed into heads, rotate_half by two last-axis slices,
// a negation and a concat, cos and sin [1, 1, S, D] broadcast over batch and heads. One region with the
// transpose inside (x is read only by the pattern).
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["rotary"]>} {
// CHECK-LABEL: func.func @llama
func.func @llama(%p: tensor<1x5x3x6xf32>, %cos: tensor<1x1x5x6xf32>, %sin: tensor<1x1x5x6xf32>) -> tensor<1x3x5x6xf32> {
  // CHECK: %[[F:.*]] = mote.fused "rotary"(%arg0, %arg1, %arg2) : (tensor<1x5x3x6xf32>, tensor<1x1x5x6xf32>, tensor<1x1x5x6xf32>) -> tensor<1x3x5x6xf32> {
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.transpose
  // CHECK: mote.neg
  // CHECK: mote.concat
  // CHECK: mote.add
  // CHECK-NEXT: mote.yield
  // CHECK: return %[[F]]
  %x = mote.transpose %p {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x5x3x6xf32>) -> tensor<1x3x5x6xf32>
  %xc = mote.mul %x, %cos : (tensor<1x3x5x6xf32>, tensor<1x1x5x6xf32>) -> tensor<1x3x5x6xf32>
  %hi = mote.slice %x {starts = array<i64: 0, 0, 0, 3>, limits = array<i64: 1, 3, 5, 6>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x3x5x6xf32>) -> tensor<1x3x5x3xf32>
  %n = mote.neg %hi : tensor<1x3x5x3xf32>
  %lo = mote.slice %x {starts = array<i64: 0, 0, 0, 0>, limits = array<i64: 1, 3, 5, 3>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x3x5x6xf32>) -> tensor<1x3x5x3xf32>
  %r = mote.concat %n, %lo {axis = -1 : i64} : (tensor<1x3x5x3xf32>, tensor<1x3x5x3xf32>) -> tensor<1x3x5x6xf32>
  %rs = mote.mul %r, %sin : (tensor<1x3x5x6xf32>, tensor<1x1x5x6xf32>) -> tensor<1x3x5x6xf32>
  %y = mote.add %xc, %rs : (tensor<1x3x5x6xf32>, tensor<1x3x5x6xf32>) -> tensor<1x3x5x6xf32>
  return %y : tensor<1x3x5x6xf32>
}
}

// -----

// The halves from a split (torch.chunk), operands in the other order everywhere, cos and sin [S, D]-like
// of rank 3; x is also returned, so its transpose stays outside and x is an input of the region.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["rotary"]>} {
// CHECK-LABEL: func.func @split_swapped
func.func @split_swapped(%p: tensor<2x4x3x8xf32>, %cos: tensor<1x4x8xf32>, %sin: tensor<1x4x8xf32>) -> (tensor<2x3x4x8xf32>, tensor<2x3x4x8xf32>) {
  // CHECK: %[[X:.*]] = mote.transpose
  // CHECK: %[[F:.*]] = mote.fused "rotary"(%[[X]], {{.*}}) :
  // CHECK-NOT: mote.transpose
  // CHECK: mote.split
  // CHECK: mote.yield
  // CHECK: return %[[F]], %[[X]]
  %x = mote.transpose %p {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x4x3x8xf32>) -> tensor<2x3x4x8xf32>
  %c = mote.reshape %cos : (tensor<1x4x8xf32>) -> tensor<1x1x4x8xf32>
  %s = mote.reshape %sin : (tensor<1x4x8xf32>) -> tensor<1x1x4x8xf32>
  %a, %b = mote.split %x {axis = 3 : i64, sizes = array<i64: 4, 4>} : (tensor<2x3x4x8xf32>) -> (tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>)
  %n = mote.neg %b : tensor<2x3x4x4xf32>
  %r = mote.concat %n, %a {axis = 3 : i64} : (tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>) -> tensor<2x3x4x8xf32>
  %rs = mote.mul %s, %r : (tensor<1x1x4x8xf32>, tensor<2x3x4x8xf32>) -> tensor<2x3x4x8xf32>
  %xc = mote.mul %c, %x : (tensor<1x1x4x8xf32>, tensor<2x3x4x8xf32>) -> tensor<2x3x4x8xf32>
  %y = mote.add %rs, %xc : (tensor<2x3x4x8xf32>, tensor<2x3x4x8xf32>) -> tensor<2x3x4x8xf32>
  return %y, %x : tensor<2x3x4x8xf32>, tensor<2x3x4x8xf32>
}
}

// -----

// Must NOT fuse: the halves in the wrong order (concat(-x[:D/2], x[D/2:]) is not rotate_half); a partial
// rotary dimension (halves of 2 out of 8); the rotated tensor used twice; cos broadcast along the last axis.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["rotary"]>} {
// CHECK-LABEL: func.func @not_rotary
// CHECK-NOT: mote.fused
// CHECK: return
func.func @not_rotary(%x: tensor<1x2x4x8xf32>, %cos: tensor<1x1x4x8xf32>, %sin: tensor<1x1x4x8xf32>, %c1: tensor<1x1x4x1xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) {
  %lo = mote.slice %x {starts = array<i64: 0, 0, 0, 0>, limits = array<i64: 1, 2, 4, 4>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %hi = mote.slice %x {starts = array<i64: 0, 0, 0, 4>, limits = array<i64: 1, 2, 4, 8>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %n = mote.neg %lo : tensor<1x2x4x4xf32>
  %r = mote.concat %n, %hi {axis = -1 : i64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x8xf32>
  %rs = mote.mul %r, %sin : (tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x4x8xf32>
  %xc = mote.mul %x, %cos : (tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x4x8xf32>
  %y = mote.add %xc, %rs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>

  %plo = mote.slice %x {starts = array<i64: 0, 0, 0, 0>, limits = array<i64: 1, 2, 4, 2>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x2xf32>
  %phi = mote.slice %x {starts = array<i64: 0, 0, 0, 2>, limits = array<i64: 1, 2, 4, 4>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x2xf32>
  %pass = mote.slice %x {starts = array<i64: 0, 0, 0, 4>, limits = array<i64: 1, 2, 4, 8>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %pn = mote.neg %phi : tensor<1x2x4x2xf32>
  %pr = mote.concat %pn, %plo, %pass {axis = -1 : i64} : (tensor<1x2x4x2xf32>, tensor<1x2x4x2xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x8xf32>
  %prs = mote.mul %pr, %sin : (tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x4x8xf32>
  %pxc = mote.mul %x, %cos : (tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x4x8xf32>
  %py = mote.add %pxc, %prs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>

  %tlo = mote.slice %x {starts = array<i64: 0, 0, 0, 0>, limits = array<i64: 1, 2, 4, 4>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %thi = mote.slice %x {starts = array<i64: 0, 0, 0, 4>, limits = array<i64: 1, 2, 4, 8>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %tn = mote.neg %thi : tensor<1x2x4x4xf32>
  %tr = mote.concat %tn, %tlo {axis = -1 : i64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x8xf32>
  %trs = mote.mul %tr, %sin : (tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x4x8xf32>
  %txc = mote.mul %x, %cos : (tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x4x8xf32>
  %ty = mote.add %txc, %trs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>

  %blo = mote.slice %x {starts = array<i64: 0, 0, 0, 0>, limits = array<i64: 1, 2, 4, 4>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %bhi = mote.slice %x {starts = array<i64: 0, 0, 0, 4>, limits = array<i64: 1, 2, 4, 8>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %bn = mote.neg %bhi : tensor<1x2x4x4xf32>
  %br = mote.concat %bn, %blo {axis = -1 : i64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x8xf32>
  %brs = mote.mul %br, %sin : (tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x4x8xf32>
  %bxc = mote.mul %x, %c1 : (tensor<1x2x4x8xf32>, tensor<1x1x4x1xf32>) -> tensor<1x2x4x8xf32>
  %by = mote.add %bxc, %brs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %y, %py, %ty, %tr, %by : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>
}
}

// -----

// A target without the `rotary` fusion keeps the ops.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["elementwise"]>} {
// CHECK-LABEL: func.func @no_fusion
// CHECK-NOT: mote.fused
func.func @no_fusion(%x: tensor<1x1x2x4xf32>, %cos: tensor<1x1x2x4xf32>, %sin: tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32> {
  %lo = mote.slice %x {starts = array<i64: 0, 0, 0, 0>, limits = array<i64: 1, 1, 2, 2>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %hi = mote.slice %x {starts = array<i64: 0, 0, 0, 2>, limits = array<i64: 1, 1, 2, 4>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %n = mote.neg %hi : tensor<1x1x2x2xf32>
  %r = mote.concat %n, %lo {axis = -1 : i64} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32>
  %rs = mote.mul %r, %sin : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>
  %xc = mote.mul %x, %cos : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>
  %y = mote.add %xc, %rs : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>
  return %y : tensor<1x1x2x4xf32>
}
}
