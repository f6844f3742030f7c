// mote-recognize-layer-norm: d = x - mean(x), d / sqrt(mean(d^2) + eps) with the square as pow(d, 2) or
// d * d and both means over the same trailing axes, then an optional * gamma and + beta that broadcast
// over the normalized axes, becomes mote.layer_norm (gamma of ones when there is none, no bias when
// there is no beta). Anything else stays as it is.
// RUN: mote-opt %s --split-input-file --mote-recognize-layer-norm | FileCheck %s

// What exporters before opset 17 write for nn.LayerNorm(64): ReduceMean, Sub, Pow, ReduceMean, Add,
// Sqrt, Div, Mul, Add.
// CHECK-LABEL: func.func @ln_pow_gamma_beta
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-DAG: %[[G:.*]] = mote.constant dense_resource<ln_weight> : tensor<64xf32>
// CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<ln_bias> : tensor<64xf32>
// CHECK-NOT: mote.reduce_mean
// CHECK: %[[Y:.*]] = mote.layer_norm %[[X]], %[[G]], %[[B]] {axis = 2 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
// CHECK-NOT: mote.reduce_mean
// CHECK-NOT: mote.add
// CHECK: return %[[Y]]
func.func @ln_pow_gamma_beta(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %g = mote.constant dense_resource<ln_weight> : tensor<64xf32>
  %7 = mote.mul %6, %g : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  %b = mote.constant dense_resource<ln_bias> : tensor<64xf32>
  %8 = mote.add %7, %b : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  return %8 : tensor<1x16x64xf32>
}

// -----

// The square as d * d, the affine parameters and epsilon on the left of their ops.
// CHECK-LABEL: func.func @ln_mul_square_params_first
// CHECK-SAME: (%[[X:.*]]: tensor<1x77x768xf32>)
// CHECK-DAG: %[[G:.*]] = mote.constant dense_resource<ln_weight> : tensor<768xf32>
// CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<ln_bias> : tensor<768xf32>
// CHECK-NOT: mote.sub
// CHECK: %[[Y:.*]] = mote.layer_norm %[[X]], %[[G]], %[[B]] {axis = 2 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<1x77x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x77x768xf32>
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @ln_mul_square_params_first(%x: tensor<1x77x768xf32>) -> tensor<1x77x768xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: 2>} : (tensor<1x77x768xf32>) -> tensor<1x77x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x77x768xf32>, tensor<1x77x1xf32>) -> tensor<1x77x768xf32>
  %2 = mote.mul %1, %1 : (tensor<1x77x768xf32>, tensor<1x77x768xf32>) -> tensor<1x77x768xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: 2>} : (tensor<1x77x768xf32>) -> tensor<1x77x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %eps, %3 : (tensor<f32>, tensor<1x77x1xf32>) -> tensor<1x77x1xf32>
  %5 = mote.sqrt %4 : tensor<1x77x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x77x768xf32>, tensor<1x77x1xf32>) -> tensor<1x77x768xf32>
  %g = mote.constant dense_resource<ln_weight> : tensor<768xf32>
  %7 = mote.mul %g, %6 : (tensor<768xf32>, tensor<1x77x768xf32>) -> tensor<1x77x768xf32>
  %b = mote.constant dense_resource<ln_bias> : tensor<768xf32>
  %8 = mote.add %b, %7 : (tensor<768xf32>, tensor<1x77x768xf32>) -> tensor<1x77x768xf32>
  return %8 : tensor<1x77x768xf32>
}

// -----

// Neither gamma nor beta: gamma of ones, no bias operand.
// CHECK-LABEL: func.func @ln_no_affine
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<64xf32>
// CHECK: %[[Y:.*]] = mote.layer_norm %[[X]], %[[ONES]] {axis = 2 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
// CHECK-NOT: mote.div
// CHECK: return %[[Y]]
func.func @ln_no_affine(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %6 : tensor<1x16x64xf32>
}

// -----

// Gamma only.
// CHECK-LABEL: func.func @ln_gamma_only
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK: %[[G:.*]] = mote.constant dense_resource<ln_weight> : tensor<64xf32>
// CHECK: %[[Y:.*]] = mote.layer_norm %[[X]], %[[G]] {axis = 2 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @ln_gamma_only(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %g = mote.constant dense_resource<ln_weight> : tensor<64xf32>
  %7 = mote.mul %6, %g : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  return %7 : tensor<1x16x64xf32>
}

// -----

// Beta only: gamma of ones and the bias.
// CHECK-LABEL: func.func @ln_beta_only
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<ln_bias> : tensor<64xf32>
// CHECK-DAG: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<64xf32>
// CHECK: %[[Y:.*]] = mote.layer_norm %[[X]], %[[ONES]], %[[B]] {axis = 2 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
// CHECK-NOT: mote.add
// CHECK: return %[[Y]]
func.func @ln_beta_only(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %b = mote.constant dense_resource<ln_bias> : tensor<64xf32>
  %7 = mote.add %6, %b : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  return %7 : tensor<1x16x64xf32>
}

// -----

// Statistics over the two trailing axes (axis 1 of a rank-3 value) with [16, 64] parameters.
// CHECK-LABEL: func.func @ln_two_trailing_axes
// CHECK-SAME: (%[[X:.*]]: tensor<2x16x64xf32>, %[[G:.*]]: tensor<16x64xf32>, %[[B:.*]]: tensor<16x64xf32>)
// CHECK: %[[Y:.*]] = mote.layer_norm %[[X]], %[[G]], %[[B]] {axis = 1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>) -> tensor<2x16x64xf32>
// CHECK-NOT: mote.reduce_mean
// CHECK: return %[[Y]]
func.func @ln_two_trailing_axes(%x: tensor<2x16x64xf32>, %g: tensor<16x64xf32>, %b: tensor<16x64xf32>) -> tensor<2x16x64xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: -2, -1>} : (tensor<2x16x64xf32>) -> tensor<2x1x1xf32>
  %1 = mote.sub %x, %0 : (tensor<2x16x64xf32>, tensor<2x1x1xf32>) -> tensor<2x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<2x16x64xf32>, tensor<f32>) -> tensor<2x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: 1, 2>} : (tensor<2x16x64xf32>) -> tensor<2x1x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<2x1x1xf32>, tensor<f32>) -> tensor<2x1x1xf32>
  %5 = mote.sqrt %4 : tensor<2x1x1xf32>
  %6 = mote.div %1, %5 : (tensor<2x16x64xf32>, tensor<2x1x1xf32>) -> tensor<2x16x64xf32>
  %7 = mote.mul %6, %g : (tensor<2x16x64xf32>, tensor<16x64xf32>) -> tensor<2x16x64xf32>
  %8 = mote.add %7, %b : (tensor<2x16x64xf32>, tensor<16x64xf32>) -> tensor<2x16x64xf32>
  return %8 : tensor<2x16x64xf32>
}

// -----

// Channels-last LayerNorm of a rank-4 value (ConvNeXt), in half precision.
// CHECK-LABEL: func.func @ln_rank4_f16
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x96xf16>)
// CHECK-DAG: %[[G:.*]] = mote.constant dense_resource<ln_weight> : tensor<96xf16>
// CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<ln_bias> : tensor<96xf16>
// CHECK: %[[Y:.*]] = mote.layer_norm %[[X]], %[[G]], %[[B]] {axis = 3 : i64, epsilon = 1.01327896E-6 : f32} : (tensor<1x8x8x96xf16>, tensor<96xf16>, tensor<96xf16>) -> tensor<1x8x8x96xf16>
// CHECK-NOT: mote.sqrt
// CHECK: return %[[Y]]
func.func @ln_rank4_f16(%x: tensor<1x8x8x96xf16>) -> tensor<1x8x8x96xf16> {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x8x8x96xf16>) -> tensor<1x8x8x1xf16>
  %1 = mote.sub %x, %0 : (tensor<1x8x8x96xf16>, tensor<1x8x8x1xf16>) -> tensor<1x8x8x96xf16>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f16>
  %2 = mote.pow %1, %c2 : (tensor<1x8x8x96xf16>, tensor<f16>) -> tensor<1x8x8x96xf16>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x8x8x96xf16>) -> tensor<1x8x8x1xf16>
  %eps = mote.constant dense<1.013280e-06> : tensor<f16>
  %4 = mote.add %3, %eps : (tensor<1x8x8x1xf16>, tensor<f16>) -> tensor<1x8x8x1xf16>
  %5 = mote.sqrt %4 : tensor<1x8x8x1xf16>
  %6 = mote.div %1, %5 : (tensor<1x8x8x96xf16>, tensor<1x8x8x1xf16>) -> tensor<1x8x8x96xf16>
  %g = mote.constant dense_resource<ln_weight> : tensor<96xf16>
  %7 = mote.mul %6, %g : (tensor<1x8x8x96xf16>, tensor<96xf16>) -> tensor<1x8x8x96xf16>
  %b = mote.constant dense_resource<ln_bias> : tensor<96xf16>
  %8 = mote.add %7, %b : (tensor<1x8x8x96xf16>, tensor<96xf16>) -> tensor<1x8x8x96xf16>
  return %8 : tensor<1x8x8x96xf16>
}

// -----

// The mean of x has another user: the norm is still recognized and the mean stays for that user.
// CHECK-LABEL: func.func @ln_mean_shared
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-DAG: %[[M:.*]] = mote.reduce_mean %[[X]] {axes = array<i64: -1>}
// CHECK-DAG: %[[Y:.*]] = mote.layer_norm %[[X]]
// CHECK-NOT: mote.sqrt
// CHECK: return %[[Y]], %[[M]]
func.func @ln_mean_shared(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x1xf32>) {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %6, %0 : tensor<1x16x64xf32>, tensor<1x16x1xf32>
}

// -----

// A multiplier that varies along a non-normalized axis is not gamma: the norm gets unit gamma, and the
// multiply and the add after it stay.
// CHECK-LABEL: func.func @ln_full_rank_multiplier
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>, %[[S:.*]]: tensor<1x16x64xf32>, %[[B:.*]]: tensor<64xf32>)
// CHECK: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<64xf32>
// CHECK: %[[N:.*]] = mote.layer_norm %[[X]], %[[ONES]] {axis = 2 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
// CHECK: %[[M:.*]] = mote.mul %[[N]], %[[S]]
// CHECK: %[[Y:.*]] = mote.add %[[M]], %[[B]]
// CHECK: return %[[Y]]
func.func @ln_full_rank_multiplier(%x: tensor<1x16x64xf32>, %s: tensor<1x16x64xf32>, %b: tensor<64xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %7 = mote.mul %6, %s : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %8 = mote.add %7, %b : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  return %8 : tensor<1x16x64xf32>
}

// -----

// x - mean(x) has a third user.
// CHECK-LABEL: func.func @no_ln_centered_shared
// CHECK-NOT: mote.layer_norm
// CHECK: %[[D:.*]] = mote.sub
// CHECK-NOT: mote.layer_norm
// CHECK: return %{{.*}}, %[[D]]
func.func @no_ln_centered_shared(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x64xf32>) {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %6, %1 : tensor<1x16x64xf32>, tensor<1x16x64xf32>
}

// -----

// The squared deviations have another user.
// CHECK-LABEL: func.func @no_ln_square_shared
// CHECK-NOT: mote.layer_norm
// CHECK: %[[P:.*]] = mote.pow
// CHECK-NOT: mote.layer_norm
// CHECK: return %{{.*}}, %[[P]]
func.func @no_ln_square_shared(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x64xf32>) {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %6, %2 : tensor<1x16x64xf32>, tensor<1x16x64xf32>
}

// -----

// Both means over the middle axis: not a normalization over trailing axes.
// CHECK-LABEL: func.func @no_ln_middle_axis
// CHECK-NOT: mote.layer_norm
// CHECK: mote.reduce_mean %{{.*}} {axes = array<i64: 1>}
// CHECK-NOT: mote.layer_norm
// CHECK: return
func.func @no_ln_middle_axis(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: 1>} : (tensor<1x16x64xf32>) -> tensor<1x1x64xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x1x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: 1>} : (tensor<1x16x64xf32>) -> tensor<1x1x64xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x1x64xf32>, tensor<f32>) -> tensor<1x1x64xf32>
  %5 = mote.sqrt %4 : tensor<1x1x64xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x1x64xf32>) -> tensor<1x16x64xf32>
  return %6 : tensor<1x16x64xf32>
}

// -----

// The mean over the last axis, the variance over the last two.
// CHECK-LABEL: func.func @no_ln_variance_other_axes
// CHECK-NOT: mote.layer_norm
// CHECK: mote.reduce_mean %{{.*}} {axes = array<i64: -2, -1>}
// CHECK-NOT: mote.layer_norm
// CHECK: return
func.func @no_ln_variance_other_axes(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -2, -1>} : (tensor<1x16x64xf32>) -> tensor<1x1x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x1x1xf32>, tensor<f32>) -> tensor<1x1x1xf32>
  %5 = mote.sqrt %4 : tensor<1x1x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x1x1xf32>) -> tensor<1x16x64xf32>
  return %6 : tensor<1x16x64xf32>
}

// -----

// x - mean(y): centering by another tensor's mean.
// CHECK-LABEL: func.func @no_ln_other_mean
// CHECK-NOT: mote.layer_norm
// CHECK: mote.sub
// CHECK-NOT: mote.layer_norm
// CHECK: return
func.func @no_ln_other_mean(%x: tensor<1x16x64xf32>, %y: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.reduce_mean %y {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %6 : tensor<1x16x64xf32>
}

// -----

// The mean of |d|^3 is not the variance.
// CHECK-LABEL: func.func @no_ln_cube
// CHECK-NOT: mote.layer_norm
// CHECK: mote.pow
// CHECK-NOT: mote.layer_norm
// CHECK: return
func.func @no_ln_cube(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c3 = mote.constant dense<3.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c3 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %6 : tensor<1x16x64xf32>
}

// -----

// d is divided by the deviation of another tensor.
// CHECK-LABEL: func.func @no_ln_other_denominator
// CHECK-NOT: mote.layer_norm
// CHECK: mote.div
// CHECK-NOT: mote.layer_norm
// CHECK: return
func.func @no_ln_other_denominator(%x: tensor<1x16x64xf32>, %s: tensor<1x16x1xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %s : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %7 = mote.add %6, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %7 : tensor<1x16x64xf32>
}

// -----

// An epsilon that is not a constant.
// CHECK-LABEL: func.func @no_ln_variable_eps
// CHECK-NOT: mote.layer_norm
// CHECK: mote.sqrt
// CHECK-NOT: mote.layer_norm
// CHECK: return
func.func @no_ln_variable_eps(%x: tensor<1x16x64xf32>, %eps: tensor<f32>) -> tensor<1x16x64xf32> {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %6 : tensor<1x16x64xf32>
}
