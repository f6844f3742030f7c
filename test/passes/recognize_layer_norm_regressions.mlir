// Regressions of the layer norm recognition: cases that once rewrote wrongly, produced invalid IR or
// were missed; each comment says what went wrong.
// RUN: mote-opt %s --split-input-file --mote-recognize-layer-norm | FileCheck %s

// The standard deviation sqrt(var + eps) has another user. Every other intermediate of the chain must
// be single-use (x - mean, the square, the variance, var + eps), and RecognizeRmsNorm refuses a shared
// sqrt, but here the pass only checks `div.getRhs() == sqrt`: it fires and keeps the whole statistics
// chain (mean, sub, pow, mean, add, sqrt) alive for the other user, so the normalization is computed
// twice. Numerically exact, but the rewrite removes only the division. Now: no rewrite.
// CHECK-LABEL: func.func @no_ln_sqrt_shared
// CHECK-NOT: mote.layer_norm
// CHECK: %[[S:.*]] = mote.sqrt
// CHECK: mote.div %{{.*}}, %[[S]]
// CHECK-NOT: mote.layer_norm
// CHECK: return %{{.*}}, %[[S]]
func.func @no_ln_sqrt_shared(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x1xf32>) {
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %1 = mote.sub %x, %0 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.pow %1, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.reduce_mean %2 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %4 = mote.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mote.sqrt %4 : tensor<1x16x1xf32>
  %6 = mote.div %1, %5 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %6, %5 : tensor<1x16x64xf32>, tensor<1x16x1xf32>
}
