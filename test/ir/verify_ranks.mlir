// Regression: verifiers must check operand ranks and attribute sizes themselves, because MLIR runs
// each op's verify() before the InferTypeOpInterface check. These once crashed mote-opt.
// RUN: mote-opt %s -split-input-file -verify-diagnostics

func.func @split_axis_rank0(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'mote.split' op axis 0 is out of range for rank 0}}
  %0 = mote.split %x {axis = 0 : i64, sizes = array<i64: 1>} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @slice_empty_attrs(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'mote.slice' op expected one start, limit and step per dimension of 'tensor<4x4xf32>'}}
  %0 = mote.slice %x {starts = array<i64>, limits = array<i64>, steps = array<i64>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @gemm_scalar_a(%a: tensor<f32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'mote.gemm' op expects 2-D A and B, got 'tensor<f32>' and 'tensor<4x4xf32>'}}
  %0 = mote.gemm %a, %b : (tensor<f32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @attention_scalar_query(%q: tensor<f32>, %k: tensor<1x1x8x4xf32>, %v: tensor<1x1x8x4xf32>) -> tensor<1x1x8x4xf32> {
  // expected-error @+1 {{'mote.attention' op expected rank-4 [B, H, S, D] query, key and value, got 'tensor<f32>', 'tensor<1x1x8x4xf32>' and 'tensor<1x1x8x4xf32>'}}
  %0 = mote.attention %q, %k, %v {scale = 1.0 : f32} : (tensor<f32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>) -> tensor<1x1x8x4xf32>
  return %0 : tensor<1x1x8x4xf32>
}

// -----

func.func @conv_scalar_weight(%x: tensor<1x4x8x8xf32>, %w: tensor<f32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'mote.conv' op expected a weight of rank 4, got 'tensor<f32>'}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
       : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

func.func @conv_transpose_scalar_weight(%x: tensor<1x4x8x8xf32>, %w: tensor<f32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'mote.conv_transpose' op expected a weight of rank 4, got 'tensor<f32>'}}
  %0 = mote.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 1 : i64}
       : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}
