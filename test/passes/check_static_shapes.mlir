// mote-check-static-shapes: a module whose every shape is static passes unchanged; a dynamic function
// input or a dynamic op result is an error at its location.
// RUN: mote-opt %s --mote-check-static-shapes -split-input-file -verify-diagnostics
// RUN: mote-opt %s --mote-check-static-shapes -split-input-file -verify-diagnostics | FileCheck %s

// Static inputs and results everywhere, including a non-tensor input and a 0-d tensor.
// CHECK-LABEL: func.func @static_module
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[N:.*]]: i64, %[[S:.*]]: tensor<f32>) -> (tensor<6xf32>, tensor<2xi64>)
// CHECK: %[[M:.*]] = mote.mul %[[X]], %[[S]] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK: %[[R:.*]] = mote.reshape %[[M]] : (tensor<2x3xf32>) -> tensor<6xf32>
// CHECK: %[[SH:.*]] = mote.shape %[[X]] {end = 2 : i64, start = 0 : i64} : (tensor<2x3xf32>) -> tensor<2xi64>
// CHECK: return %[[R]], %[[SH]]
func.func @static_module(%x: tensor<2x3xf32>, %n: i64, %s: tensor<f32>) -> (tensor<6xf32>, tensor<2xi64>) {
  %0 = mote.mul %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = mote.reshape %0 : (tensor<2x3xf32>) -> tensor<6xf32>
  %2 = mote.shape %x {start = 0 : i64, end = 2 : i64} : (tensor<2x3xf32>) -> tensor<2xi64>
  return %1, %2 : tensor<6xf32>, tensor<2xi64>
}

// CHECK-LABEL: func.func @second_function
// CHECK: mote.constant dense<[1, 2]> : tensor<2xi64>
// A function the pass rejects is not printed.
// CHECK-NOT: @dynamic
func.func @second_function() -> tensor<2xi64> {
  %0 = mote.constant dense<[1, 2]> : tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// expected-error @+1 {{input 0 has a dynamic shape 'tensor<?x4xf32>'; bind it with --input-shape}}
func.func @dynamic_input(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}

// -----

// Every dynamic input is reported, by its position.
// expected-error @+2 {{input 1 has a dynamic shape 'tensor<1x?x64x64xf16>'; bind it with --input-shape}}
// expected-error @+1 {{input 2 has a dynamic shape 'tensor<?xi64>'; bind it with --input-shape}}
func.func @dynamic_inputs(%a: tensor<1x4xf32>, %b: tensor<1x?x64x64xf16>, %c: tensor<?xi64>) -> tensor<1x4xf32> {
  return %a : tensor<1x4xf32>
}

// -----

func.func @dynamic_result(%x: tensor<2x3xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{result has a dynamic shape 'tensor<?xf32>' after shape folding; its shape depends on data}}
  %0 = mote.reshape %x : (tensor<2x3xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// A dynamic input and the op that inherits its dynamic dimension are both reported.
// expected-error @+1 {{input 0 has a dynamic shape 'tensor<?x3xf32>'; bind it with --input-shape}}
func.func @dynamic_input_and_result(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{result has a dynamic shape 'tensor<?x3xf32>' after shape folding; its shape depends on data}}
  %0 = mote.relu %x : tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}
