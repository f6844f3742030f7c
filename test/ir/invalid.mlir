// Every verifier and type-inference error of the `mote` dialect, one case each.
// RUN: mote-opt %s -split-input-file -verify-diagnostics

// Note: with MLIR 22 an op's own verifier runs before the result-type inference check (the
// InferTypeOpInterface check is a region-level verifier), so the cases below reach each message with
// operands that pass the checks run before it.

//===----------------------------------------------------------------------===//
// Inferred result types
//===----------------------------------------------------------------------===//

func.func @add_wrong_result(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{'mote.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'mote.add' op failed to infer returned types}}
  %0 = mote.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// A comparison's result is i1 of the broadcast shape.
func.func @less_wrong_result(%x: tensor<4xf32>, %y: tensor<1xf32>) -> tensor<1xi1> {
  // expected-error @+2 {{'mote.less' op inferred type(s) 'tensor<4xi1>' are incompatible with return type(s) of operation 'tensor<1xi1>'}}
  // expected-error @+1 {{'mote.less' op failed to infer returned types}}
  %0 = mote.less %x, %y : (tensor<4xf32>, tensor<1xf32>) -> tensor<1xi1>
  return %0 : tensor<1xi1>
}

// -----

func.func @transpose_wrong_result(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{'mote.transpose' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'mote.transpose' op failed to infer returned types}}
  %0 = mote.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @cast_wrong_result(%x: tensor<4xf32>) -> tensor<4xi32> {
  // expected-error @+2 {{'mote.cast' op inferred type(s) 'tensor<4xi64>' are incompatible with return type(s) of operation 'tensor<4xi32>'}}
  // expected-error @+1 {{'mote.cast' op failed to infer returned types}}
  %0 = mote.cast %x {to = i64} : (tensor<4xf32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// (8 + 0 - 3) / 1 + 1 = 6, not 8.
func.func @conv_wrong_result(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+2 {{'mote.conv' op inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  // expected-error @+1 {{'mote.conv' op failed to infer returned types}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
       : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

func.func @add_no_broadcast(%x: tensor<2x3xf32>, %y: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{operands of shapes 'tensor<2x3xf32>' and 'tensor<4xf32>' do not broadcast}}
  // expected-error @+1 {{'mote.add' op failed to infer returned types}}
  %0 = mote.add %x, %y : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @where_no_broadcast(%c: tensor<2xi1>, %x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{operands of shapes 'tensor<2xi1>' and 'tensor<3xf32>' do not broadcast}}
  // expected-error @+1 {{'mote.where' op failed to infer returned types}}
  %0 = mote.where %c, %x, %y : (tensor<2xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @where_element_types(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xf16>) -> tensor<4xf32> {
  // expected-error @+1 {{'mote.where' op expected 'x' and 'y' of one element type, got 'tensor<4xf32>' and 'tensor<4xf16>'}}
  %0 = mote.where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @gelu_approximate(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mote.gelu' op expected approximate = "none", "tanh" or "sigmoid", got "fast"}}
  %0 = mote.gelu %x {approximate = "fast"} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Reductions, arg_max, softmax
//===----------------------------------------------------------------------===//

func.func @reduce_axis(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = mote.reduce_mean %x {axes = array<i64: 2>} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @reduce_negative_axis(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{axis -3 is out of range for rank 2}}
  %0 = mote.reduce_sum %x {axes = array<i64: 0, -3>} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @arg_max_axis(%x: tensor<1x77xi64>) -> tensor<1xi64> {
  // expected-error @+1 {{'mote.arg_max' op axis 2 is out of range for rank 2}}
  %0 = mote.arg_max %x {axis = 2 : i64, keepdims = false} : (tensor<1x77xi64>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

// -----

func.func @softmax_axis(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'mote.softmax' op axis 2 is out of range for rank 2}}
  %0 = mote.softmax %x {axis = 2 : i64} : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// matmul, gemm
//===----------------------------------------------------------------------===//

func.func @matmul_scalar(%x: tensor<f32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{matmul operands must have rank >= 1}}
  // expected-error @+1 {{'mote.matmul' op failed to infer returned types}}
  %0 = mote.matmul %x, %y : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @matmul_contraction(%x: tensor<2x3xf32>, %y: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{matmul contraction sizes differ: 'tensor<2x3xf32>' and 'tensor<4x5xf32>'}}
  // expected-error @+1 {{'mote.matmul' op failed to infer returned types}}
  %0 = mote.matmul %x, %y : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_batch(%x: tensor<2x4x3xf32>, %y: tensor<3x3x5xf32>) -> tensor<2x4x5xf32> {
  // expected-error @+2 {{matmul batch dimensions of 'tensor<2x4x3xf32>' and 'tensor<3x3x5xf32>' do not broadcast}}
  // expected-error @+1 {{'mote.matmul' op failed to infer returned types}}
  %0 = mote.matmul %x, %y : (tensor<2x4x3xf32>, tensor<3x3x5xf32>) -> tensor<2x4x5xf32>
  return %0 : tensor<2x4x5xf32>
}

// -----

// A rank-3 A: the verifier checks ranks before it reads the contraction dimensions.
func.func @gemm_rank(%a: tensor<2x4x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'mote.gemm' op expects 2-D A and B, got 'tensor<2x4x3xf32>' and 'tensor<4x5xf32>'}}
  %0 = mote.gemm %a, %b : (tensor<2x4x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// With transA, A's contraction dimension is its first.
func.func @gemm_contraction(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'mote.gemm' op contraction sizes differ: 3 vs 4}}
  %0 = mote.gemm %a, %b {transA = true} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @gemm_c(%a: tensor<2x4xf32>, %b: tensor<4x5xf32>, %c: tensor<3xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'mote.gemm' op 'C' of type 'tensor<3xf32>' does not broadcast to 'tensor<2x5xf32>'}}
  %0 = mote.gemm %a, %b, %c : (tensor<2x4xf32>, tensor<4x5xf32>, tensor<3xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

//===----------------------------------------------------------------------===//
// conv, conv_transpose
//===----------------------------------------------------------------------===//

func.func @conv_input_rank(%x: tensor<1x4xf32>, %w: tensor<4x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'mote.conv' op expected an input of rank >= 3 (N, C, spatial...)}}
  %0 = mote.conv %x, %w {strides = array<i64>, pads = array<i64>, dilations = array<i64>, group = 1 : i64}
       : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @conv_strides_count(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'mote.conv' op expected 2 strides, got 1}}
  %0 = mote.conv %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
       : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_pads_count(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'mote.conv' op expected 4 pads, got 2}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
       : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_dilations_count(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'mote.conv' op expected 2 dilations, got 3}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>, group = 1 : i64}
       : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_zero_stride(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'mote.conv' op expected strides and dilations >= 1}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 0>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
       : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_negative_pads(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x5x6xf32> {
  // expected-error @+1 {{'mote.conv' op expected non-negative pads}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: -1, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
       : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x5x6xf32>
  return %0 : tensor<1x4x5x6xf32>
}

// -----

func.func @conv_group(%x: tensor<1x4x8x8xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'mote.conv' op expected 'group' to divide 4 input and 8 output channels, got 3}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 3 : i64}
       : (tensor<1x4x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// With 2 groups the [8, 1, 3, 3] weight reads 1 * 2 = 2 input channels, not 4.
func.func @conv_weight_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'mote.conv' op weight 'tensor<8x1x3x3xf32>' expects 2 input channels, input has 4}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64}
       : (tensor<1x4x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_bias(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'mote.conv' op expected 'bias' of shape [8], got 'tensor<4xf32>'}}
  %0 = mote.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
       : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<4xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// A rank-3 weight for a rank-4 input: the verifier checks the weight's rank before its dimensions.
func.func @conv_weight_rank(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'mote.conv' op expected a weight of rank 4, got 'tensor<4x4x3xf32>'}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
       : (tensor<1x4x8x8xf32>, tensor<4x4x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_window(%x: tensor<1x4x8x4xf32>, %w: tensor<4x4x5x5xf32>) -> tensor<1x4x4x1xf32> {
  // expected-error @+2 {{convolution window of 5 (dilation 1) does not fit input extent 4 with pads 0, 0 on spatial axis 1}}
  // expected-error @+1 {{'mote.conv' op failed to infer returned types}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
       : (tensor<1x4x8x4xf32>, tensor<4x4x5x5xf32>) -> tensor<1x4x4x1xf32>
  return %0 : tensor<1x4x4x1xf32>
}

// -----

// The weight of a transposed convolution is [C, M / group, k...]: its first dimension is the input's 8
// channels, not 4.
func.func @conv_transpose_weight(%x: tensor<1x8x4x4xf32>, %w: tensor<4x8x2x2xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{'mote.conv_transpose' op weight 'tensor<4x8x2x2xf32>' and 'group' = 1 do not fit an input of 8 channels}}
  %0 = mote.conv_transpose %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 1 : i64}
       : (tensor<1x8x4x4xf32>, tensor<4x8x2x2xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

func.func @conv_transpose_group(%x: tensor<1x8x4x4xf32>, %w: tensor<8x4x2x2xf32>) -> tensor<1x12x8x8xf32> {
  // expected-error @+1 {{'mote.conv_transpose' op weight 'tensor<8x4x2x2xf32>' and 'group' = 3 do not fit an input of 8 channels}}
  %0 = mote.conv_transpose %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 3 : i64}
       : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>) -> tensor<1x12x8x8xf32>
  return %0 : tensor<1x12x8x8xf32>
}

// -----

func.func @conv_transpose_bias(%x: tensor<1x8x4x4xf32>, %w: tensor<8x4x2x2xf32>, %b: tensor<8xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'mote.conv_transpose' op expected 'bias' of shape [4], got 'tensor<8xf32>'}}
  %0 = mote.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 1 : i64}
       : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>, tensor<8xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

func.func @conv_transpose_zero_dilation(%x: tensor<1x8x4x4xf32>, %w: tensor<8x4x2x2xf32>) -> tensor<1x4x7x7xf32> {
  // expected-error @+1 {{'mote.conv_transpose' op expected strides and dilations >= 1}}
  %0 = mote.conv_transpose %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 0, 1>, output_padding = array<i64: 0, 0>, group = 1 : i64}
       : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>) -> tensor<1x4x7x8xf32>
  return %0 : tensor<1x4x7x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

func.func @max_pool_dilations(%x: tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'mote.max_pool' op expected 2 dilations, got 1}}
  %0 = mote.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1>, ceil_mode = false}
       : (tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

func.func @max_pool_zero_stride(%x: tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'mote.max_pool' op expected strides and dilations >= 1}}
  %0 = mote.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 0, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = false}
       : (tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

func.func @max_pool_input_rank(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{'mote.max_pool' op expected an input of rank >= 3 (N, C, spatial...)}}
  %0 = mote.max_pool %x {kernel_shape = array<i64>, strides = array<i64>, pads = array<i64>, dilations = array<i64>, ceil_mode = false}
       : (tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// The verifier does not check kernel_shape; type inference does.
func.func @max_pool_kernel_count(%x: tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+2 {{pooling attributes do not match input 'tensor<1x1x8x8xf32>'}}
  // expected-error @+1 {{'mote.max_pool' op failed to infer returned types}}
  %0 = mote.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = false}
       : (tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

func.func @average_pool_window(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x1x1xf32> {
  // expected-error @+2 {{pooling window of 5 does not fit input extent 4}}
  // expected-error @+1 {{'mote.average_pool' op failed to infer returned types}}
  %0 = mote.average_pool %x {kernel_shape = array<i64: 5, 5>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false, count_include_pad = false}
       : (tensor<1x1x4x4xf32>) -> tensor<1x1x1x1xf32>
  return %0 : tensor<1x1x1x1xf32>
}

// -----

func.func @average_pool_negative_pads(%x: tensor<1x1x8x8xf32>) -> tensor<1x1x3x4xf32> {
  // expected-error @+1 {{'mote.average_pool' op expected non-negative pads}}
  %0 = mote.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, -1, 0>, ceil_mode = false, count_include_pad = false}
       : (tensor<1x1x8x8xf32>) -> tensor<1x1x3x4xf32>
  return %0 : tensor<1x1x3x4xf32>
}

// -----

func.func @average_pool_strides_count(%x: tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'mote.average_pool' op expected 2 strides, got 3}}
  %0 = mote.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2, 2>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false, count_include_pad = false}
       : (tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

func.func @batch_norm_variance(%x: tensor<1x8x4x4xf32>, %c: tensor<8xf32>, %v: tensor<4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'mote.batch_norm' op expected 'variance' of shape [8], got 'tensor<4xf32>'}}
  %0 = mote.batch_norm %x, %c, %c, %c, %v {epsilon = 1.0e-05 : f32}
       : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

func.func @batch_norm_scale_rank(%x: tensor<1x8x4x4xf32>, %s: tensor<1x8xf32>, %c: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'mote.batch_norm' op expected 'scale' of shape [8], got 'tensor<1x8xf32>'}}
  %0 = mote.batch_norm %x, %s, %c, %c, %c {epsilon = 1.0e-05 : f32}
       : (tensor<1x8x4x4xf32>, tensor<1x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

func.func @instance_norm_rank(%x: tensor<2x8xf32>, %c: tensor<8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'mote.instance_norm' op expected an input of rank >= 3, got 'tensor<2x8xf32>'}}
  %0 = mote.instance_norm %x, %c, %c {epsilon = 1.0e-05 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @instance_norm_bias(%x: tensor<1x8x16xf32>, %c: tensor<8xf32>, %b: tensor<16xf32>) -> tensor<1x8x16xf32> {
  // expected-error @+1 {{'mote.instance_norm' op expected 'bias' of shape [8], got 'tensor<16xf32>'}}
  %0 = mote.instance_norm %x, %c, %b {epsilon = 1.0e-05 : f32} : (tensor<1x8x16xf32>, tensor<8xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  return %0 : tensor<1x8x16xf32>
}

// -----

func.func @group_norm_rank(%x: tensor<2x8xf32>, %c: tensor<8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'mote.group_norm' op expected an input of rank >= 3, got 'tensor<2x8xf32>'}}
  %0 = mote.group_norm %x, %c, %c {num_groups = 2 : i64, epsilon = 1.0e-05 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @group_norm_groups(%x: tensor<1x320x4x4xf32>, %c: tensor<320xf32>) -> tensor<1x320x4x4xf32> {
  // expected-error @+1 {{'mote.group_norm' op expected 'num_groups' to divide 320 channels, got 33}}
  %0 = mote.group_norm %x, %c, %c {num_groups = 33 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x320x4x4xf32>, tensor<320xf32>, tensor<320xf32>) -> tensor<1x320x4x4xf32>
  return %0 : tensor<1x320x4x4xf32>
}

// -----

func.func @group_norm_stats_result(%x: tensor<1x8x4x4xf32>) -> tensor<1x4x2xf16> {
  // expected-error @+2 {{'mote.group_norm_stats' op inferred type(s) 'tensor<1x4x2xf32>' are incompatible with return type(s) of operation 'tensor<1x4x2xf16>'}}
  // expected-error @+1 {{'mote.group_norm_stats' op failed to infer returned types}}
  %0 = mote.group_norm_stats %x {num_groups = 4 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x8x4x4xf32>) -> tensor<1x4x2xf16>
  return %0 : tensor<1x4x2xf16>
}

// -----

func.func @group_norm_stats_groups(%x: tensor<1x8x4x4xf32>) -> tensor<1x3x2xf32> {
  // expected-error @+1 {{'mote.group_norm_stats' op expected 'num_groups' to divide 8 channels, got 3}}
  %0 = mote.group_norm_stats %x {num_groups = 3 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x8x4x4xf32>) -> tensor<1x3x2xf32>
  return %0 : tensor<1x3x2xf32>
}

// -----

func.func @group_norm_apply_stats(%x: tensor<1x8x4x4xf32>, %s: tensor<1x2x2xf32>, %c: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'mote.group_norm_apply' op expected 'stats' of shape [1, 4, 2] and type f32, got 'tensor<1x2x2xf32>'}}
  %0 = mote.group_norm_apply %x, %s, %c, %c {num_groups = 4 : i64} : (tensor<1x8x4x4xf32>, tensor<1x2x2xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

func.func @group_norm_zero_groups(%x: tensor<1x320x4x4xf32>, %c: tensor<320xf32>) -> tensor<1x320x4x4xf32> {
  // expected-error @+1 {{'mote.group_norm' op expected 'num_groups' to divide 320 channels, got 0}}
  %0 = mote.group_norm %x, %c, %c {num_groups = 0 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x320x4x4xf32>, tensor<320xf32>, tensor<320xf32>) -> tensor<1x320x4x4xf32>
  return %0 : tensor<1x320x4x4xf32>
}

// -----

// GroupNormalization-18's per-group scale must be widened to per-channel before it becomes group_norm.
func.func @group_norm_scale(%x: tensor<1x320x4x4xf32>, %s: tensor<32xf32>, %c: tensor<320xf32>) -> tensor<1x320x4x4xf32> {
  // expected-error @+1 {{'mote.group_norm' op expected 'scale' of shape [320], got 'tensor<32xf32>'}}
  %0 = mote.group_norm %x, %s, %c {num_groups = 32 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x320x4x4xf32>, tensor<32xf32>, tensor<320xf32>) -> tensor<1x320x4x4xf32>
  return %0 : tensor<1x320x4x4xf32>
}

// -----

func.func @layer_norm_axis(%x: tensor<1x77x768xf32>, %s: tensor<768xf32>) -> tensor<1x77x768xf32> {
  // expected-error @+1 {{'mote.layer_norm' op axis 3 is out of range for rank 3}}
  %0 = mote.layer_norm %x, %s {axis = 3 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x77x768xf32>, tensor<768xf32>) -> tensor<1x77x768xf32>
  return %0 : tensor<1x77x768xf32>
}

// -----

func.func @layer_norm_bias(%x: tensor<1x77x768xf32>, %s: tensor<768xf32>, %b: tensor<77xf32>) -> tensor<1x77x768xf32> {
  // expected-error @+1 {{'mote.layer_norm' op expected scale and bias broadcastable to the normalized shape [768], got 'tensor<77xf32>'}}
  %0 = mote.layer_norm %x, %s, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x77x768xf32>, tensor<768xf32>, tensor<77xf32>) -> tensor<1x77x768xf32>
  return %0 : tensor<1x77x768xf32>
}

// -----

// A scale of higher rank than the normalized axes does not fit, even though it broadcasts.
func.func @rms_norm_scale_rank(%x: tensor<1x77x768xf32>, %s: tensor<1x768xf32>) -> tensor<1x77x768xf32> {
  // expected-error @+1 {{'mote.rms_norm' op expected scale and bias broadcastable to the normalized shape [768], got 'tensor<1x768xf32>'}}
  %0 = mote.rms_norm %x, %s {axis = -1 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x77x768xf32>, tensor<1x768xf32>) -> tensor<1x77x768xf32>
  return %0 : tensor<1x77x768xf32>
}

// -----

func.func @rms_norm_axis(%x: tensor<1x77x768xf32>, %s: tensor<768xf32>) -> tensor<1x77x768xf32> {
  // expected-error @+1 {{'mote.rms_norm' op axis -4 is out of range for rank 3}}
  %0 = mote.rms_norm %x, %s {axis = -4 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x77x768xf32>, tensor<768xf32>) -> tensor<1x77x768xf32>
  return %0 : tensor<1x77x768xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

func.func @attention_key_rank(%q: tensor<1x8x64x64xf32>, %k: tensor<8x77x64xf32>, %v: tensor<1x8x77x64xf32>) -> tensor<1x8x64x64xf32> {
  // expected-error @+1 {{'mote.attention' op expected rank-4 [B, H, S, D] query, key and value, got 'tensor<1x8x64x64xf32>', 'tensor<8x77x64xf32>' and 'tensor<1x8x77x64xf32>'}}
  %0 = mote.attention %q, %k, %v {scale = 0.125 : f32} : (tensor<1x8x64x64xf32>, tensor<8x77x64xf32>, tensor<1x8x77x64xf32>) -> tensor<1x8x64x64xf32>
  return %0 : tensor<1x8x64x64xf32>
}

// -----

// A rank-5 value: the verifier checks all three ranks first.
func.func @attention_value_rank(%q: tensor<1x8x64x64xf32>, %k: tensor<1x8x77x64xf32>, %v: tensor<1x8x77x64x1xf32>) -> tensor<1x8x64x64xf32> {
  // expected-error @+1 {{'mote.attention' op expected rank-4 [B, H, S, D] query, key and value, got 'tensor<1x8x64x64xf32>', 'tensor<1x8x77x64xf32>' and 'tensor<1x8x77x64x1xf32>'}}
  %0 = mote.attention %q, %k, %v {scale = 0.125 : f32} : (tensor<1x8x64x64xf32>, tensor<1x8x77x64xf32>, tensor<1x8x77x64x1xf32>) -> tensor<1x8x64x64xf32>
  return %0 : tensor<1x8x64x64xf32>
}

// -----

func.func @attention_head_size(%q: tensor<1x8x64x64xf32>, %k: tensor<1x8x77x32xf32>, %v: tensor<1x8x77x64xf32>) -> tensor<1x8x64x64xf32> {
  // expected-error @+1 {{'mote.attention' op query head size 64 differs from key head size 32}}
  %0 = mote.attention %q, %k, %v {scale = 0.125 : f32} : (tensor<1x8x64x64xf32>, tensor<1x8x77x32xf32>, tensor<1x8x77x64xf32>) -> tensor<1x8x64x64xf32>
  return %0 : tensor<1x8x64x64xf32>
}

// -----

func.func @attention_key_value(%q: tensor<1x8x64x64xf32>, %k: tensor<1x8x77x64xf32>, %v: tensor<1x8x76x64xf32>) -> tensor<1x8x64x64xf32> {
  // expected-error @+1 {{'mote.attention' op key 'tensor<1x8x77x64xf32>' and value 'tensor<1x8x76x64xf32>' disagree in batch, heads or length}}
  %0 = mote.attention %q, %k, %v {scale = 0.125 : f32} : (tensor<1x8x64x64xf32>, tensor<1x8x77x64xf32>, tensor<1x8x76x64xf32>) -> tensor<1x8x64x64xf32>
  return %0 : tensor<1x8x64x64xf32>
}

// -----

func.func @attention_heads(%q: tensor<1x8x64x64xf32>, %k: tensor<1x3x77x64xf32>, %v: tensor<1x3x77x64xf32>) -> tensor<1x8x64x64xf32> {
  // expected-error @+1 {{'mote.attention' op expected the 3 key/value heads to divide the 8 query heads}}
  %0 = mote.attention %q, %k, %v {scale = 0.125 : f32} : (tensor<1x8x64x64xf32>, tensor<1x3x77x64xf32>, tensor<1x3x77x64xf32>) -> tensor<1x8x64x64xf32>
  return %0 : tensor<1x8x64x64xf32>
}

// -----

// The mask's last dimension must be the key length 77 (or 1).
func.func @attention_mask(%q: tensor<1x8x64x64xf32>, %k: tensor<1x8x77x64xf32>, %v: tensor<1x8x77x64xf32>, %m: tensor<1x1x64x64xf32>) -> tensor<1x8x64x64xf32> {
  // expected-error @+1 {{'mote.attention' op mask 'tensor<1x1x64x64xf32>' does not broadcast to the scores [1, 8, 64, 77]}}
  %0 = mote.attention %q, %k, %v, %m {scale = 0.125 : f32} : (tensor<1x8x64x64xf32>, tensor<1x8x77x64xf32>, tensor<1x8x77x64xf32>, tensor<1x1x64x64xf32>) -> tensor<1x8x64x64xf32>
  return %0 : tensor<1x8x64x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Data movement and shape
//===----------------------------------------------------------------------===//

func.func @reshape_element_type(%x: tensor<2x3xf32>) -> tensor<6xf16> {
  // expected-error @+1 {{'mote.reshape' op cannot change the element type}}
  %0 = mote.reshape %x : (tensor<2x3xf32>) -> tensor<6xf16>
  return %0 : tensor<6xf16>
}

// -----

func.func @reshape_elements(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'mote.reshape' op cannot reshape 'tensor<2x3xf32>' (6 elements) to 'tensor<7xf32>' (7 elements)}}
  %0 = mote.reshape %x : (tensor<2x3xf32>) -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

func.func @expand_shape(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'mote.expand' op cannot broadcast 'tensor<2x3xf32>' to 'tensor<2x4xf32>'}}
  %0 = mote.expand %x : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Expand only adds dimensions and stretches size-1 ones; it never shrinks.
func.func @expand_shrinks(%x: tensor<4x3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'mote.expand' op cannot broadcast 'tensor<4x3xf32>' to 'tensor<1x3xf32>'}}
  %0 = mote.expand %x : (tensor<4x3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @expand_element_type(%x: tensor<3xf32>) -> tensor<2x3xf16> {
  // expected-error @+1 {{'mote.expand' op cannot broadcast 'tensor<3xf32>' to 'tensor<2x3xf16>'}}
  %0 = mote.expand %x : (tensor<3xf32>) -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// -----

func.func @transpose_not_permutation(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'mote.transpose' op perm [0, 0] is not a permutation}}
  %0 = mote.transpose %x {perm = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// The verifier rejects an out-of-range entry before inference could report "perm entry 2 is out of
// range" (unreachable from IR).
func.func @transpose_perm_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mote.transpose' op perm [0, 2] is not a permutation}}
  %0 = mote.transpose %x {perm = array<i64: 0, 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @transpose_perm_size(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+2 {{perm of 3 entries for rank 2}}
  // expected-error @+1 {{'mote.transpose' op failed to infer returned types}}
  %0 = mote.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// SameOperandsElementType rejects an operand-less concat before type inference could report
// "concat needs at least one input" (unreachable from IR).
func.func @concat_empty() -> tensor<0xf32> {
  // expected-error @+1 {{'mote.concat' op expected 1 or more operands, but found 0}}
  %0 = mote.concat {axis = 0 : i64} : () -> tensor<0xf32>
  return %0 : tensor<0xf32>
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'mote.concat' op failed to infer returned types}}
  %0 = mote.concat %a, %b {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x6xf32> {
  // expected-error @+2 {{concat inputs differ in rank: 'tensor<2x3xf32>' and 'tensor<3xf32>'}}
  // expected-error @+1 {{'mote.concat' op failed to infer returned types}}
  %0 = mote.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_off_axis(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+2 {{concat inputs 'tensor<2x3xf32>' and 'tensor<4x3xf32>' differ off the axis}}
  // expected-error @+1 {{'mote.concat' op failed to infer returned types}}
  %0 = mote.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @split_sizes(%x: tensor<1x64x1280xf32>) -> (tensor<1x64x640xf32>, tensor<1x64x600xf32>) {
  // expected-error @+1 {{'mote.split' op split sizes add up to 1240, axis 2 has 1280}}
  %0:2 = mote.split %x {axis = -1 : i64, sizes = array<i64: 640, 600>} : (tensor<1x64x1280xf32>) -> (tensor<1x64x640xf32>, tensor<1x64x600xf32>)
  return %0#0, %0#1 : tensor<1x64x640xf32>, tensor<1x64x600xf32>
}

// -----

func.func @slice_zero_step(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mote.slice' op step of dimension 0 is zero}}
  %0 = mote.slice %x {starts = array<i64: 0>, limits = array<i64: 4>, steps = array<i64: 0>} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @slice_not_normalized(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mote.slice' op slice [5, 8) step 1 is not normalized for dimension 1 of size 4}}
  %0 = mote.slice %x {starts = array<i64: 0, 5>, limits = array<i64: 2, 8>, steps = array<i64: 1, 1>} : (tensor<2x4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A reversed slice starts at most at dim - 1 and stops at least at -1.
func.func @slice_not_normalized_reverse(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mote.slice' op slice [4, -1) step -1 is not normalized for dimension 0 of size 4}}
  %0 = mote.slice %x {starts = array<i64: 4>, limits = array<i64: -1>, steps = array<i64: -1>} : (tensor<4xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// One more entry than dimensions: the verifier checks the counts before reading the entries.
func.func @slice_attr_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mote.slice' op expected one start, limit and step per dimension of 'tensor<4xf32>'}}
  %0 = mote.slice %x {starts = array<i64: 0, 0>, limits = array<i64: 4, 1>, steps = array<i64: 1, 1>} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @gather_axis(%t: tensor<10x4xf32>, %i: tensor<3xi64>) -> tensor<3x4xf32> {
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'mote.gather' op failed to infer returned types}}
  %0 = mote.gather %t, %i {axis = 2 : i64} : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @trilu_rank(%x: tensor<16xf32>) -> tensor<16xf32> {
  // expected-error @+1 {{'mote.trilu' op expected rank >= 2, got 'tensor<16xf32>'}}
  %0 = mote.trilu %x {upper = false, k = 0 : i64} : tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

func.func @resize_rank(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{'mote.resize' op expected input, result and scales of one rank}}
  %0 = mote.resize %x {mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor", scales = array<f32: 2.0, 2.0>}
       : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

func.func @resize_mode(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{'mote.resize' op mode "cubic" is not supported (nearest, linear)}}
  %0 = mote.resize %x {mode = "cubic", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor", scales = array<f32: 1.0, 1.0, 2.0, 2.0>}
       : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

func.func @resize_coordinate_mode(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{'mote.resize' op coordinate_transformation_mode "tf_crop_and_resize" is not supported}}
  %0 = mote.resize %x {mode = "linear", coordinate_transformation_mode = "tf_crop_and_resize", nearest_mode = "floor", scales = array<f32: 1.0, 1.0, 2.0, 2.0>}
       : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

func.func @resize_nearest_mode(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{'mote.resize' op nearest_mode "round" is not supported}}
  %0 = mote.resize %x {mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "round", scales = array<f32: 1.0, 1.0, 2.0, 2.0>}
       : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

func.func @pad_count(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+2 {{expected 8 pads for 'tensor<1x8x4x4xf32>'}}
  // expected-error @+1 {{'mote.pad' op failed to infer returned types}}
  %0 = mote.pad %x {pads = array<i64: 1, 1, 1, 1>, mode = "constant", value = 0.0 : f64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// 4 - 3 - 2 = -1 rows.
func.func @pad_crop(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+2 {{pads crop 'tensor<1x8x4x4xf32>' below zero size}}
  // expected-error @+1 {{'mote.pad' op failed to infer returned types}}
  %0 = mote.pad %x {pads = array<i64: 0, 0, -3, 0, 0, 0, -2, 0>, mode = "constant", value = 0.0 : f64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

func.func @pad_mode(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'mote.pad' op mode "wrap" is not supported (constant, reflect, edge)}}
  %0 = mote.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "wrap", value = 0.0 : f64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @fused_arg_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{input of type 'tensor<4xf32>' is taken by a body argument of type 'tensor<4xf16>'}}
  %0 = mote.fused "elementwise"(%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf16>):
    %1 = mote.relu %x : tensor<4xf32>
    mote.yield %1 : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @fused_yield_types(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{yields}}
  %0 = mote.fused "elementwise"(%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %1 = mote.relu %a : tensor<4xf32>
    mote.yield %1, %1 : tensor<4xf32>, tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// mote.dequantize
//===----------------------------------------------------------------------===//

// -----

func.func @dequantize_not_i8(%q: tensor<2x3xi32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{quantized values must be i8 or i4, got 'i32'}}
  %0 = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<2x3xi32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @dequantize_f16_result(%q: tensor<2x3xi8>, %s: tensor<3xf32>) -> tensor<2x3xf16> {
  // expected-error @+1 {{result must be f32}}
  %0 = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<2x3xi8>, tensor<3xf32>) -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// -----

func.func @dequantize_reshaped(%q: tensor<2x3xi8>, %s: tensor<3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{result shape must be the input's}}
  %0 = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<2x3xi8>, tensor<3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @dequantize_axis_out_of_range(%q: tensor<2x3xi8>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{axis 2 out of range for rank 2}}
  %0 = mote.dequantize %q, %s {axis = 2 : i64} : (tensor<2x3xi8>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @dequantize_scale_per_other_axis(%q: tensor<2x3xi8>, %s: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{scale must be 1-D with one value per index of axis 1}}
  %0 = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<2x3xi8>, tensor<2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @dequantize_blocks_wrong(%q: tensor<64x3xi4>, %s: tensor<3x3xf16>) -> tensor<64x3xf32> {
  // expected-error @+1 {{scale dim 0 must be 2 (one per block of 32 along axis 0)}}
  %0 = mote.dequantize %q, %s {axis = 0 : i64, block_size = 32 : i64} : (tensor<64x3xi4>, tensor<3x3xf16>) -> tensor<64x3xf32>
  return %0 : tensor<64x3xf32>
}

// -----

func.func @dequantize_blocks_rank(%q: tensor<64x3xi4>, %s: tensor<2xf16>) -> tensor<64x3xf32> {
  // expected-error @+1 {{a blockwise scale must have the input's rank}}
  %0 = mote.dequantize %q, %s {axis = 0 : i64, block_size = 32 : i64} : (tensor<64x3xi4>, tensor<2xf16>) -> tensor<64x3xf32>
  return %0 : tensor<64x3xf32>
}

// -----

func.func @dequantize_scale_i8(%q: tensor<2x3xi8>, %s: tensor<3xi8>) -> tensor<2x3xf32> {
  // expected-error @+1 {{operand #1 must be}}
  %0 = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// mote.lhs_quantization (the w4a8 scheme's int8 activations per row): a matmul or gemm over a dequantized
// i8/i4 weight, value "int8_per_row".
func.func @lhs_quantization_float_weight(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'mote.lhs_quantization' needs a 2-D weight given by mote.dequantize}}
  %0 = mote.matmul %x, %w {mote.lhs_quantization = "int8_per_row"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @lhs_quantization_value(%x: tensor<2x3xf32>, %q: tensor<3x4xi8>, %s: tensor<4xf32>) -> tensor<2x4xf32> {
  %w = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<3x4xi8>, tensor<4xf32>) -> tensor<3x4xf32>
  // expected-error @+1 {{'mote.lhs_quantization' must be "int8_per_row"}}
  %0 = mote.matmul %x, %w {mote.lhs_quantization = "int16"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @lhs_quantization_op(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mote.lhs_quantization' applies to mote.matmul, mote.gemm (transA = false) only}}
  %0 = mote.relu %x {mote.lhs_quantization = "int8_per_row"} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// "int8_per_tensor" (the w8a8 scheme): an i8 weight with one scale per output channel and a positive finite
// f32 mote.lhs_scale; also on group-1 convolutions.
func.func @lhs_per_tensor_no_scale(%x: tensor<2x3xf32>, %q: tensor<3x4xi8>, %s: tensor<4xf32>) -> tensor<2x4xf32> {
  %w = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<3x4xi8>, tensor<4xf32>) -> tensor<3x4xf32>
  // expected-error @+1 {{'mote.lhs_quantization' = "int8_per_tensor" needs 'mote.lhs_scale'}}
  %0 = mote.matmul %x, %w {mote.lhs_quantization = "int8_per_tensor"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @lhs_per_tensor_bad_scale(%x: tensor<2x3xf32>, %q: tensor<3x4xi8>, %s: tensor<4xf32>) -> tensor<2x4xf32> {
  %w = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<3x4xi8>, tensor<4xf32>) -> tensor<3x4xf32>
  // expected-error @+1 {{'mote.lhs_scale' must be a positive finite f32, got -1.000000e+00 : f32}}
  %0 = mote.matmul %x, %w {mote.lhs_quantization = "int8_per_tensor", mote.lhs_scale = -1.0 : f32} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @lhs_scale_alone(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mote.lhs_scale' goes with mote.lhs_quantization = "int8_per_tensor"}}
  %0 = mote.relu %x {mote.lhs_scale = 1.0 : f32} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @lhs_per_tensor_per_input_channel(%x: tensor<2x3xf32>, %q: tensor<3x4xi8>, %s: tensor<3xf32>) -> tensor<2x4xf32> {
  %w = mote.dequantize %q, %s {axis = 0 : i64} : (tensor<3x4xi8>, tensor<3xf32>) -> tensor<3x4xf32>
  // expected-error @+1 {{'mote.lhs_quantization' = "int8_per_tensor" needs an i8 weight with one scale per output channel (axis 1)}}
  %0 = mote.matmul %x, %w {mote.lhs_quantization = "int8_per_tensor", mote.lhs_scale = 0.5 : f32} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @lhs_per_tensor_grouped_conv(%x: tensor<1x4x5x5xf32>, %q: tensor<4x2x3x3xi8>, %s: tensor<4xf32>) -> tensor<1x4x5x5xf32> {
  %w = mote.dequantize %q, %s {axis = 0 : i64} : (tensor<4x2x3x3xi8>, tensor<4xf32>) -> tensor<4x2x3x3xf32>
  // expected-error @+1 {{'mote.lhs_quantization' applies to mote.matmul, mote.gemm (transA = false) and group-1 mote.conv only}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64, mote.lhs_quantization = "int8_per_tensor", mote.lhs_scale = 0.5 : f32} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// -----

func.func @lhs_per_row_conv(%x: tensor<1x2x5x5xf32>, %q: tensor<4x2x3x3xi8>, %s: tensor<4xf32>) -> tensor<1x4x5x5xf32> {
  %w = mote.dequantize %q, %s {axis = 0 : i64} : (tensor<4x2x3x3xi8>, tensor<4xf32>) -> tensor<4x2x3x3xf32>
  // expected-error @+1 {{'mote.lhs_quantization' applies to mote.matmul, mote.gemm (transA = false) only}}
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, mote.lhs_quantization = "int8_per_row"} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// -----

func.func @kv_write_too_many_rows(%c: tensor<1x2x4x8xf32>, %u: tensor<1x2x5x8xf32>, %p: tensor<1xi64>) -> tensor<1x2x4x8xf32> {
  // expected-error @+1 {{writes 5 rows into a cache of 4}}
  %0 = mote.kv_write %c, %u, %p : (tensor<1x2x4x8xf32>, tensor<1x2x5x8xf32>, tensor<1xi64>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @kv_write_other_heads(%c: tensor<1x2x4x8xf32>, %u: tensor<1x1x1x8xf32>, %p: tensor<1xi64>) -> tensor<1x2x4x8xf32> {
  // expected-error @+1 {{does not match the cache}}
  %0 = mote.kv_write %c, %u, %p : (tensor<1x2x4x8xf32>, tensor<1x1x1x8xf32>, tensor<1xi64>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @cache_attention_position(%q: tensor<1x4x1x8xf32>, %k: tensor<1x2x16x8xf32>, %p: tensor<2xi64>) -> tensor<1x4x1x8xf32> {
  // expected-error @+1 {{expected a one-element i64 position}}
  %0 = mote.cache_attention %q, %k, %k, %p {scale = 0.5 : f32} : (tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<2xi64>) -> tensor<1x4x1x8xf32>
  return %0 : tensor<1x4x1x8xf32>
}

// -----

func.func @cache_attention_heads(%q: tensor<1x3x1x8xf32>, %k: tensor<1x2x16x8xf32>, %p: tensor<1xi64>) -> tensor<1x3x1x8xf32> {
  // expected-error @+1 {{key/value heads to divide the 3 query heads}}
  %0 = mote.cache_attention %q, %k, %k, %p {scale = 0.5 : f32} : (tensor<1x3x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1xi64>) -> tensor<1x3x1x8xf32>
  return %0 : tensor<1x3x1x8xf32>
}

//===----------------------------------------------------------------------===//
// The integer-activation ops
//===----------------------------------------------------------------------===//

// -----

func.func @quantize_activation_zero_scale(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{scale must be positive and finite, got 0}}
  %0 = mote.quantize_activation %x {scale = 0.0 : f32} : (tensor<4xf32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @dequantize_activation_reshaped(%q: tensor<4xi8>) -> tensor<2x2xf32> {
  // expected-error @+1 {{result shape must be the input's}}
  %0 = mote.dequantize_activation %q {scale = 0.5 : f32} : (tensor<4xi8>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @integer_conv_channels(%x: tensor<1x4x4x8xi8>, %w: tensor<16x4x3x3xi8>, %b: tensor<16xi32>, %r: tensor<2x16xi32>) -> tensor<1x4x4x16xi8> {
  // expected-error @+1 {{input channels 8 differ from the weight's 4 times the group 1}}
  %0 = mote.integer_conv %x, %w, %b, %r {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x4x4x8xi8>, tensor<16x4x3x3xi8>, tensor<16xi32>, tensor<2x16xi32>) -> tensor<1x4x4x16xi8>
  return %0 : tensor<1x4x4x16xi8>
}

// -----

func.func @integer_conv_group(%x: tensor<1x4x4x8xi8>, %w: tensor<6x2x3x3xi8>, %b: tensor<6xi32>, %r: tensor<2x6xi32>) -> tensor<1x4x4x6xi8> {
  // expected-error @+1 {{group 4 must be positive and divide the output channels}}
  %0 = mote.integer_conv %x, %w, %b, %r {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 4 : i64, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x4x4x8xi8>, tensor<6x2x3x3xi8>, tensor<6xi32>, tensor<2x6xi32>) -> tensor<1x4x4x6xi8>
  return %0 : tensor<1x4x4x6xi8>
}

// -----

func.func @integer_conv_size(%x: tensor<1x4x4x8xi8>, %w: tensor<16x8x3x3xi8>, %b: tensor<16xi32>, %r: tensor<2x16xi32>) -> tensor<1x4x4x16xi8> {
  // expected-error @+1 {{output height 4 should be 2}}
  %0 = mote.integer_conv %x, %w, %b, %r {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x4x4x8xi8>, tensor<16x8x3x3xi8>, tensor<16xi32>, tensor<2x16xi32>) -> tensor<1x4x4x16xi8>
  return %0 : tensor<1x4x4x16xi8>
}

// -----

func.func @integer_conv_requant(%x: tensor<1x4x4x8xi8>, %w: tensor<16x8x3x3xi8>, %b: tensor<16xi32>, %r: tensor<16xi32>) -> tensor<1x4x4x16xi8> {
  // expected-error @+1 {{expected 'requant' of shape [2, 16] (multipliers, shifts), got 'tensor<16xi32>'}}
  %0 = mote.integer_conv %x, %w, %b, %r {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x4x4x8xi8>, tensor<16x8x3x3xi8>, tensor<16xi32>, tensor<16xi32>) -> tensor<1x4x4x16xi8>
  return %0 : tensor<1x4x4x16xi8>
}

// -----

func.func @integer_matmul_clamp(%x: tensor<3x16xi8>, %w: tensor<16x8xi8>, %b: tensor<8xi32>, %r: tensor<2x8xi32>) -> tensor<3x8xi8> {
  // expected-error @+1 {{clamp [5, 2] must be an int8 range}}
  %0 = mote.integer_matmul %x, %w, %b, %r {clamp_min = 5 : si32, clamp_max = 2 : si32} : (tensor<3x16xi8>, tensor<16x8xi8>, tensor<8xi32>, tensor<2x8xi32>) -> tensor<3x8xi8>
  return %0 : tensor<3x8xi8>
}

// -----

func.func @integer_matmul_reduction(%x: tensor<3x12xi8>, %w: tensor<16x8xi8>, %b: tensor<8xi32>, %r: tensor<2x8xi32>) -> tensor<3x8xi8> {
  // expected-error @+1 {{reduction 12 differs from the weight's 16}}
  %0 = mote.integer_matmul %x, %w, %b, %r {clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<3x12xi8>, tensor<16x8xi8>, tensor<8xi32>, tensor<2x8xi32>) -> tensor<3x8xi8>
  return %0 : tensor<3x8xi8>
}

// -----

func.func @integer_add_broadcast(%a: tensor<2x4xi8>, %b: tensor<4xi8>) -> tensor<2x4xi8> {
  // expected-error @+1 {{operands must have one shape (no broadcast)}}
  %0 = mote.integer_add %a, %b {lhs_multiplier = 1 : i32, rhs_multiplier = 1 : i32, shift = 0 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<2x4xi8>, tensor<4xi8>) -> tensor<2x4xi8>
  return %0 : tensor<2x4xi8>
}

// -----

func.func @integer_add_multiplier(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{multipliers must be in [0, 32767]}}
  %0 = mote.integer_add %a, %b {lhs_multiplier = 40000 : i32, rhs_multiplier = 1 : i32, shift = 0 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @integer_norm_rows(%a: tensor<1x16777216xi8>, %p: tensor<2x16777216xi32>) -> tensor<1x16777216xi8> {
  // expected-error @+1 {{rows of 16777216 values: the fixed-point arithmetic takes 1 to 2^24 - 1}}
  %0 = mote.integer_norm %a, %p {center = true, epsilon = 1 : i64, frac_bits = 16 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32, square_shift = 30 : i32} : (tensor<1x16777216xi8>, tensor<2x16777216xi32>) -> tensor<1x16777216xi8>
  return %0 : tensor<1x16777216xi8>
}

// -----

func.func @integer_norm_frac_bits(%a: tensor<2x2xi8>, %p: tensor<2x2xi32>) -> tensor<2x2xi8> {
  // expected-error @+1 {{frac_bits -1 must be in [0, 40]}}
  %0 = mote.integer_norm %a, %p {center = true, epsilon = 1 : i64, frac_bits = -1 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<2x2xi8>, tensor<2x2xi32>) -> tensor<2x2xi8>
  return %0 : tensor<2x2xi8>
}

// -----

func.func @integer_norm_gain(%a: tensor<2x2xi8>) -> tensor<2x2xi8> {
  %p = mote.constant dense<[[1073741824, 1], [0, 0]]> : tensor<2x2xi32>
  // expected-error @+1 {{gain 1073741824 out of (-1073741824, 1073741824)}}
  %0 = mote.integer_norm %a, %p {center = true, epsilon = 1 : i64, frac_bits = 16 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<2x2xi8>, tensor<2x2xi32>) -> tensor<2x2xi8>
  return %0 : tensor<2x2xi8>
}

// -----

func.func @integer_attention_heads(%q: tensor<1x3x2x4xi8>, %k: tensor<1x2x2x4xi8>, %t: tensor<8xi32>) -> tensor<1x3x2x4xi8> {
  // expected-error @+1 {{do not fit query}}
  %0 = mote.integer_attention %q, %k, %k, %t {logit_mult = 1 : i32, logit_shift = 0 : i32, out_mult = 1 : i32, out_shift = 0 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x3x2x4xi8>, tensor<1x2x2x4xi8>, tensor<1x2x2x4xi8>, tensor<8xi32>) -> tensor<1x3x2x4xi8>
  return %0 : tensor<1x3x2x4xi8>
}

// -----

func.func @integer_attention_table(%q: tensor<1x1x2x4xi8>) -> tensor<1x1x2x4xi8> {
  %t = mote.constant dense<[65536, 70000]> : tensor<2xi32>
  // expected-error @+1 {{table must start at 2^16 and not increase, down to no less than 0}}
  %0 = mote.integer_attention %q, %q, %q, %t {logit_mult = 1 : i32, logit_shift = 0 : i32, out_mult = 1 : i32, out_shift = 0 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<2xi32>) -> tensor<1x1x2x4xi8>
  return %0 : tensor<1x1x2x4xi8>
}

// -----

func.func @integer_attention_mask(%q: tensor<1x1x2x4xi8>) -> tensor<1x1x2x4xi8> {
  %t = mote.constant dense<[65536, 0]> : tensor<2xi32>
  %m = mote.constant dense<0> : tensor<2x2x2xi32>
  // expected-error @+1 {{mask must be [2, 2] or [1, 2, 2], got 'tensor<2x2x2xi32>'}}
  %0 = mote.integer_attention %q, %q, %q, %t mask %m {logit_mult = 1 : i32, logit_shift = 0 : i32, out_mult = 1 : i32, out_shift = 0 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<2xi32>, tensor<2x2x2xi32>) -> tensor<1x1x2x4xi8>
  return %0 : tensor<1x1x2x4xi8>
}

// -----

func.func @integer_attention_computed_table(%q: tensor<1x1x2x4xi8>, %t: tensor<8xi32>) -> tensor<1x1x2x4xi8> {
  // expected-error @+1 {{table and mask must be integer constants (their values bound the fixed-point arithmetic)}}
  %0 = mote.integer_attention %q, %q, %q, %t {logit_mult = 1 : i32, logit_shift = 0 : i32, out_mult = 1 : i32, out_shift = 0 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<8xi32>) -> tensor<1x1x2x4xi8>
  return %0 : tensor<1x1x2x4xi8>
}

// -----

func.func @integer_mul_multiplier(%a: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{product multiplier 70000 and shift 0 must be in [0, 65535] and [0, 31]}}
  %0 = mote.integer_mul %a, %a {multiplier = 70000 : i32, shift = 0 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @integer_sinusoid_count(%t: tensor<2xf32>) -> tensor<2x2xi8> {
  %f = mote.constant dense<[[274877906944, 300000000000, 1], [40, 45, 50]]> : tensor<2x3xi64>
  // expected-error @+1 {{result of 4 values, expected 2 inputs times 3 frequencies}}
  %0 = mote.integer_sinusoid %t, %f {phase = 0 : i64, multiplier = 65024 : i32, shift = 23 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<2xf32>, tensor<2x3xi64>) -> tensor<2x2xi8>
  return %0 : tensor<2x2xi8>
}

// -----

func.func @integer_sinusoid_frequency_range(%t: tensor<1xf32>) -> tensor<1x1xi8> {
  %f = mote.constant dense<[[549755813888], [40]]> : tensor<2x1xi64>
  // expected-error @+1 {{frequency 549755813888 out of (-2^39, 2^39)}}
  %0 = mote.integer_sinusoid %t, %f {phase = 0 : i64, multiplier = 65024 : i32, shift = 23 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1xf32>, tensor<2x1xi64>) -> tensor<1x1xi8>
  return %0 : tensor<1x1xi8>
}

// -----

func.func @integer_sinusoid_shift_range(%t: tensor<1xf32>) -> tensor<1x1xi8> {
  %f = mote.constant dense<[[5], [256]]> : tensor<2x1xi64>
  // expected-error @+1 {{frequency shift 256 out of [0, 255]}}
  %0 = mote.integer_sinusoid %t, %f {phase = 0 : i64, multiplier = 65024 : i32, shift = 23 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1xf32>, tensor<2x1xi64>) -> tensor<1x1xi8>
  return %0 : tensor<1x1xi8>
}

// -----

// An int64 input's product is taken modulo 2^64: shifts beyond 64 would lose fractions of a turn.
func.func @integer_sinusoid_int64_shift_range(%t: tensor<1xi64>) -> tensor<1x1xi8> {
  %f = mote.constant dense<[[5], [65]]> : tensor<2x1xi64>
  // expected-error @+1 {{frequency shift 65 out of [0, 64]}}
  %0 = mote.integer_sinusoid %t, %f {phase = 0 : i64, multiplier = 65024 : i32, shift = 23 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1xi64>, tensor<2x1xi64>) -> tensor<1x1xi8>
  return %0 : tensor<1x1xi8>
}

// -----

func.func @integer_sinusoid_computed_frequencies(%t: tensor<1xf32>, %f: tensor<2x1xi64>) -> tensor<1x1xi8> {
  // expected-error @+1 {{frequencies must be an integer constant}}
  %0 = mote.integer_sinusoid %t, %f {phase = 0 : i64, multiplier = 65024 : i32, shift = 23 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1xf32>, tensor<2x1xi64>) -> tensor<1x1xi8>
  return %0 : tensor<1x1xi8>
}

// -----

func.func @integer_sinusoid_phase(%t: tensor<1xf32>) -> tensor<1x1xi8> {
  %f = mote.constant dense<[[5], [40]]> : tensor<2x1xi64>
  // expected-error @+1 {{phase 4294967296 must be in [0, 2^32)}}
  %0 = mote.integer_sinusoid %t, %f {phase = 4294967296 : i64, multiplier = 65024 : i32, shift = 23 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1xf32>, tensor<2x1xi64>) -> tensor<1x1xi8>
  return %0 : tensor<1x1xi8>
}

// -----

func.func @integer_add_mixed_widths(%a: tensor<4xi8>, %b: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{operands and result must have one element type (int8 or int16), got 'i8' and 'i16'}}
  %0 = mote.integer_add %a, %b {lhs_multiplier = 1 : i32, rhs_multiplier = 1 : i32, shift = 0 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<4xi8>, tensor<4xi16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @integer_table_int16_size(%a: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{table must be tensor<513xi16>, got 'tensor<256xi8>'}}
  %0 = mote.integer_table %a {table = dense<0> : tensor<256xi8>} : (tensor<4xi16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @integer_mul_int16_clamp(%a: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{clamp [-40000, 32767] must be an int16 range}}
  %0 = mote.integer_mul %a, %a {multiplier = 40000 : i32, shift = 4 : i32, clamp_min = -40000 : si32, clamp_max = 32767 : si32} : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @integer_matmul_int16_reduction(%x: tensor<1x65536xi16>, %w: tensor<65536x2xi8>, %b: tensor<2xi32>, %r: tensor<2x2xi32>) -> tensor<1x2xi16> {
  // expected-error @+1 {{an int16 layer adds at most 65535 products per sum, got 65536}}
  %0 = mote.integer_matmul %x, %w, %b, %r {clamp_min = -32767 : si32, clamp_max = 32767 : si32} : (tensor<1x65536xi16>, tensor<65536x2xi8>, tensor<2xi32>, tensor<2x2xi32>) -> tensor<1x2xi16>
  return %0 : tensor<1x2xi16>
}

// -----

// 65536 * (2 * 65536 * 128)^2 = 2^66: a long int8 row needs its squares shifted too.
func.func @integer_norm_int8_square_shift(%x: tensor<1x65536xi8>, %p: tensor<2x65536xi32>) -> tensor<1x65536xi8> {
  // expected-error @+1 {{square_shift 1 leaves the squares of 65536 int8 values beyond 2^62}}
  %0 = mote.integer_norm %x, %p {center = true, epsilon = 1 : i64, frac_bits = 8 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32, square_shift = 1 : i32} : (tensor<1x65536xi8>, tensor<2x65536xi32>) -> tensor<1x65536xi8>
  return %0 : tensor<1x65536xi8>
}

// -----

func.func @integer_norm_int16_squares(%x: tensor<1x4096xi16>) -> tensor<1x4096xi16> {
  %p = mote.constant dense<1> : tensor<2x4096xi32>
  // expected-error @+1 {{square_shift 0 leaves the squares of 4096 int16 values beyond 2^62}}
  %0 = mote.integer_norm %x, %p {center = true, epsilon = 1 : i64, frac_bits = 8 : i32, clamp_min = -32767 : si32, clamp_max = 32767 : si32} : (tensor<1x4096xi16>, tensor<2x4096xi32>) -> tensor<1x4096xi16>
  return %0 : tensor<1x4096xi16>
}

// -----

func.func @integer_attention_mixed_widths(%q: tensor<1x1x2x4xi16>, %k: tensor<1x1x2x4xi8>) -> tensor<1x1x2x4xi16> {
  %t = mote.constant dense<[65536, 0]> : tensor<2xi32>
  // expected-error @+1 {{operands and result must have one element type (int8 or int16), got 'i16' and 'i8'}}
  %0 = mote.integer_attention %q, %k, %q, %t {logit_mult = 40000 : i32, logit_shift = 3 : i32, out_mult = 33000 : i32, out_shift = 15 : i32, clamp_min = -32767 : si32, clamp_max = 32767 : si32} : (tensor<1x1x2x4xi16>, tensor<1x1x2x4xi8>, tensor<1x1x2x4xi16>, tensor<2xi32>) -> tensor<1x1x2x4xi16>
  return %0 : tensor<1x1x2x4xi16>
}

// -----

func.func @integer_table_size(%a: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{table must be tensor<256xi8>, got 'tensor<128xi8>'}}
  %0 = mote.integer_table %a {table = dense<0> : tensor<128xi8>} : (tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @integer_matmul_requant_range(%x: tensor<3x16xi8>, %w: tensor<16x2xi8>, %b: tensor<2xi32>) -> tensor<3x2xi8> {
  %r = mote.constant dense<[[100, 100], [40, 3]]> : tensor<2x2xi32>
  // expected-error @+1 {{requantization shift 40 out of [0, 31]}}
  %0 = mote.integer_matmul %x, %w, %b, %r {clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<3x16xi8>, tensor<16x2xi8>, tensor<2xi32>, tensor<2x2xi32>) -> tensor<3x2xi8>
  return %0 : tensor<3x2xi8>
}

// -----

func.func @integer_matmul_requant_multiplier(%x: tensor<3x16xi8>, %w: tensor<16x2xi8>, %b: tensor<2xi32>) -> tensor<3x2xi8> {
  %r = mote.constant dense<[[70000, 100], [4, 3]]> : tensor<2x2xi32>
  // expected-error @+1 {{requantization multiplier 70000 out of [0, 65535]}}
  %0 = mote.integer_matmul %x, %w, %b, %r {clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<3x16xi8>, tensor<16x2xi8>, tensor<2xi32>, tensor<2x2xi32>) -> tensor<3x2xi8>
  return %0 : tensor<3x2xi8>
}
