// RUN: mote-opt %s --mote-plan-memory --split-input-file -verify-diagnostics | FileCheck %s

// A reshape aliases its input; the sigmoid overwrites the relu result, which dies at it, in place; the input
// stays in the app's buffer and the returned add is computed into the app's output buffer: the arena is one
// 16x64 f32 buffer (4096 bytes).
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%arg0: tensor<16x64xf32>) -> tensor<16x64xf32>
// CHECK-SAME: mote.arena_bytes = 4096 : i64
// CHECK: %[[R:.*]] = mote.relu %arg0 {mote.offset = [[R_OFF:[0-9]+]] : i64}
// CHECK: mote.reshape %[[R]] {mote.offset = [[R_OFF]] : i64}
// CHECK: %[[S:.*]] = mote.sigmoid %{{.*}} {mote.offset = [[R_OFF]] : i64}
// CHECK: mote.add %[[S]], %arg0 {mote.output = 0 : i64}
func.func @chain(%arg0: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %0 = mote.relu %arg0 : tensor<16x64xf32>
  %1 = mote.reshape %0 : (tensor<16x64xf32>) -> tensor<1024xf32>
  %2 = mote.reshape %1 : (tensor<1024xf32>) -> tensor<16x64xf32>
  %3 = mote.sigmoid %2 : tensor<16x64xf32>
  %4 = mote.add %3, %arg0 : (tensor<16x64xf32>, tensor<16x64xf32>) -> tensor<16x64xf32>
  return %4 : tensor<16x64xf32>
}

// -----

// A value returned twice is computed into the first output (the second is a copy); a returned input and a
// returned view of the first result take no arena memory either.
// CHECK-LABEL: func.func @outputs
// CHECK-SAME: mote.arena_bytes = 0 : i64
// CHECK: %[[E:.*]] = mote.exp %arg0 {mote.output = 0 : i64}
// CHECK: mote.reshape %[[E]] {mote.output = 0 : i64}
func.func @outputs(%arg0: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x2xf32>) {
  %0 = mote.exp %arg0 : tensor<4xf32>
  %1 = mote.reshape %0 : (tensor<4xf32>) -> tensor<2x2xf32>
  return %0, %0, %arg0, %1 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x2xf32>
}

// -----

// expected-error @+1 {{argument #0: memory planning needs a tensor of static shape, got 'tensor<?x4xf32>'}}
func.func @dynamic(%arg0: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %arg0 : tensor<?x4xf32>
}
