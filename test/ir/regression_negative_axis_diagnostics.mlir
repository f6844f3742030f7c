// Regression: negative axes print as negative numbers in diagnostics (I64Attr getters return
// uint64_t, which printed -3 as 18446744073709551613).
// RUN: mote-opt %s -split-input-file -verify-diagnostics

func.func @softmax_negative_axis(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'mote.softmax' op axis -3 is out of range for rank 2}}
  %0 = mote.softmax %x {axis = -3 : i64} : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @arg_max_negative_axis(%x: tensor<1x77xi64>) -> tensor<1xi64> {
  // expected-error @+1 {{'mote.arg_max' op axis -3 is out of range for rank 2}}
  %0 = mote.arg_max %x {axis = -3 : i64, keepdims = false} : (tensor<1x77xi64>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

// -----

func.func @gather_negative_axis(%t: tensor<10x4xf32>, %i: tensor<3xi64>) -> tensor<3x4xf32> {
  // expected-error @+2 {{axis -3 is out of range for rank 2}}
  // expected-error @+1 {{'mote.gather' op failed to infer returned types}}
  %0 = mote.gather %t, %i {axis = -3 : i64} : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @concat_negative_axis(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+2 {{axis -3 is out of range for rank 2}}
  // expected-error @+1 {{'mote.concat' op failed to infer returned types}}
  %0 = mote.concat %a, %b {axis = -3 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}
