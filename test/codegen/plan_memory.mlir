// RUN: mote-opt %s --mote-plan-memory --split-input-file -verify-diagnostics | FileCheck %s

// A reshape aliases its input; the add overwrites the dying sigmoid result in place; the input is kept.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: {mote.offset = [[X:[0-9]+]] : i64}
// CHECK-SAME: mote.arena_bytes = 8192 : i64
// CHECK: %[[R:.*]] = mote.relu %arg0 {mote.offset = [[R_OFF:[0-9]+]] : i64}
// CHECK: mote.reshape %[[R]] {mote.offset = [[R_OFF]] : i64}
// CHECK: %[[S:.*]] = mote.sigmoid %{{.*}} {mote.offset = [[S_OFF:[0-9]+]] : i64}
// CHECK: mote.add %[[S]], %arg0 {mote.offset = [[S_OFF]] : i64}
func.func @chain(%arg0: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %0 = mote.relu %arg0 : tensor<16x64xf32>
  %1 = mote.reshape %0 : (tensor<16x64xf32>) -> tensor<1024xf32>
  %2 = mote.reshape %1 : (tensor<1024xf32>) -> tensor<16x64xf32>
  %3 = mote.sigmoid %2 : tensor<16x64xf32>
  %4 = mote.add %3, %arg0 : (tensor<16x64xf32>, tensor<16x64xf32>) -> tensor<16x64xf32>
  return %4 : tensor<16x64xf32>
}

// -----

// expected-error @+1 {{argument #0: memory planning needs a tensor of static shape, got 'tensor<?x4xf32>'}}
func.func @dynamic(%arg0: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %arg0 : tensor<?x4xf32>
}
