// Regression: a reversing slice keeps its input's type but is not the identity, so it must not fold
// to its input.
// RUN: mote-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @slice_reverse_constant
// CHECK: %[[C:.*]] = mote.constant dense<[4, 3, 2, 1]> : tensor<4xi64>
// CHECK-NOT: mote.slice
// CHECK: return %[[C]]
func.func @slice_reverse_constant() -> tensor<4xi64> {
  %c = mote.constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %0 = mote.slice %c {starts = array<i64: 3>, limits = array<i64: -1>, steps = array<i64: -1>} : (tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @slice_reverse_not_identity
// CHECK: %[[S:.*]] = mote.slice %{{.*}} {limits = array<i64: 4, -1>, starts = array<i64: 0, 7>, steps = array<i64: 1, -1>}
// CHECK: return %[[S]]
func.func @slice_reverse_not_identity(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = mote.slice %x {starts = array<i64: 0, 7>, limits = array<i64: 4, -1>, steps = array<i64: 1, -1>} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
