// Regression: folding a float -> i1 cast tests x != 0 before any truncation (0.5 and -0.25 are true).
// RUN: mote-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @cast_float_to_i1
// CHECK: %[[C:.*]] = mote.constant dense<[true, false, true, true]> : tensor<4xi1>
// CHECK-NOT: mote.cast
// CHECK: return %[[C]]
func.func @cast_float_to_i1() -> tensor<4xi1> {
  %c = mote.constant dense<[0.5, 0.0, -2.0, -0.25]> : tensor<4xf32>
  %0 = mote.cast %c {to = i1} : (tensor<4xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
