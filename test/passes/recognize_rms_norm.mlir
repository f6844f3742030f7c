// mote-recognize-rms-norm: x / sqrt(mean(x^2) + eps), the division also as x * (1 / sqrt) or
// x * reciprocal(sqrt), the square as pow(x, 2) or x * x, the mean over trailing axes with keepdims,
// then an optional multiply by a weight that broadcasts over the normalized axes only, becomes
// mote.rms_norm (with a weight of ones when there is none). Anything else stays as it is.
// RUN: mote-opt %s --split-input-file --mote-recognize-rms-norm | FileCheck %s

// Llama's RMSNorm in fp32: Pow, ReduceMean, Add, Sqrt, Div by the root, Mul by the weight (weight first).
// CHECK-LABEL: func.func @rms_div_weight
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK: %[[W:.*]] = mote.constant dense_resource<norm_weight> : tensor<64xf32>
// CHECK-NOT: mote.reduce_mean
// CHECK: %[[Y:.*]] = mote.rms_norm %[[X]], %[[W]] {axis = 2 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
// CHECK-NOT: mote.sqrt
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @rms_div_weight(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %x, %3 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %w = mote.constant dense_resource<norm_weight> : tensor<64xf32>
  %5 = mote.mul %w, %4 : (tensor<64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %5 : tensor<1x16x64xf32>
}

// -----

// torch.rsqrt exported as Div(1, Sqrt), then x * rsqrt, then * weight (weight last); eps first in the add.
// CHECK-LABEL: func.func @rms_mul_one_over_sqrt
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK: %[[W:.*]] = mote.constant dense_resource<norm_weight> : tensor<64xf32>
// CHECK-NOT: mote.div
// CHECK: %[[Y:.*]] = mote.rms_norm %[[X]], %[[W]] {axis = 2 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
// CHECK-NOT: mote.div
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @rms_mul_one_over_sqrt(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999974E-6> : tensor<f32>
  %2 = mote.add %eps, %1 : (tensor<f32>, tensor<1x16x1xf32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %one = mote.constant dense<1.000000e+00> : tensor<f32>
  %4 = mote.div %one, %3 : (tensor<f32>, tensor<1x16x1xf32>) -> tensor<1x16x1xf32>
  %5 = mote.mul %x, %4 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %w = mote.constant dense_resource<norm_weight> : tensor<64xf32>
  %6 = mote.mul %5, %w : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  return %6 : tensor<1x16x64xf32>
}

// -----

// torch.rsqrt exported as Sqrt, Reciprocal; the square as x * x; rsqrt first in the product.
// CHECK-LABEL: func.func @rms_mul_reciprocal
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK: %[[W:.*]] = mote.constant dense_resource<norm_weight> : tensor<64xf32>
// CHECK-NOT: mote.reciprocal
// CHECK: %[[Y:.*]] = mote.rms_norm %[[X]], %[[W]] {axis = 2 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
// CHECK-NOT: mote.reciprocal
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @rms_mul_reciprocal(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.mul %x, %x : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: 2>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.reciprocal %3 : tensor<1x16x1xf32>
  %5 = mote.mul %4, %x : (tensor<1x16x1xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %w = mote.constant dense_resource<norm_weight> : tensor<64xf32>
  %6 = mote.mul %w, %5 : (tensor<64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %6 : tensor<1x16x64xf32>
}

// -----

// No weight: the pass supplies ones over the normalized axes.
// CHECK-LABEL: func.func @rms_div_no_weight
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<64xf32>
// CHECK: %[[Y:.*]] = mote.rms_norm %[[X]], %[[ONES]] {axis = 2 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
// CHECK-NOT: mote.div
// CHECK: return %[[Y]]
func.func @rms_div_no_weight(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %x, %3 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// No weight, x * (1 / sqrt).
// CHECK-LABEL: func.func @rms_mul_one_over_sqrt_no_weight
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<64xf32>
// CHECK: %[[Y:.*]] = mote.rms_norm %[[X]], %[[ONES]] {axis = 2 : i64, epsilon = 9.99999997E-7 : f32}
// CHECK-NOT: mote.div
// CHECK: return %[[Y]]
func.func @rms_mul_one_over_sqrt_no_weight(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %one = mote.constant dense<1.000000e+00> : tensor<f32>
  %4 = mote.div %one, %3 : (tensor<f32>, tensor<1x16x1xf32>) -> tensor<1x16x1xf32>
  %5 = mote.mul %x, %4 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %5 : tensor<1x16x64xf32>
}

// -----

// No weight, x * reciprocal(sqrt), in half precision.
// CHECK-LABEL: func.func @rms_mul_reciprocal_f16_no_weight
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf16>)
// CHECK: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<64xf16>
// CHECK: %[[Y:.*]] = mote.rms_norm %[[X]], %[[ONES]] {axis = 2 : i64, epsilon = 1.00135803E-5 : f32} : (tensor<1x16x64xf16>, tensor<64xf16>) -> tensor<1x16x64xf16>
// CHECK-NOT: mote.reciprocal
// CHECK: return %[[Y]]
func.func @rms_mul_reciprocal_f16_no_weight(%x: tensor<1x16x64xf16>) -> tensor<1x16x64xf16> {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f16>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf16>, tensor<f16>) -> tensor<1x16x64xf16>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf16>) -> tensor<1x16x1xf16>
  %eps = mote.constant dense<1.001360e-05> : tensor<f16>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf16>, tensor<f16>) -> tensor<1x16x1xf16>
  %3 = mote.sqrt %2 : tensor<1x16x1xf16>
  %4 = mote.reciprocal %3 : tensor<1x16x1xf16>
  %5 = mote.mul %x, %4 : (tensor<1x16x64xf16>, tensor<1x16x1xf16>) -> tensor<1x16x64xf16>
  return %5 : tensor<1x16x64xf16>
}

// -----

// Statistics over the two trailing axes: axis 1, a [16, 64] weight.
// CHECK-LABEL: func.func @rms_two_trailing_axes
// CHECK-SAME: (%[[X:.*]]: tensor<2x16x64xf32>, %[[W:.*]]: tensor<16x64xf32>)
// CHECK: %[[Y:.*]] = mote.rms_norm %[[X]], %[[W]] {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<2x16x64xf32>, tensor<16x64xf32>) -> tensor<2x16x64xf32>
// CHECK-NOT: mote.reduce_mean
// CHECK: return %[[Y]]
func.func @rms_two_trailing_axes(%x: tensor<2x16x64xf32>, %w: tensor<16x64xf32>) -> tensor<2x16x64xf32> {
  %0 = mote.mul %x, %x : (tensor<2x16x64xf32>, tensor<2x16x64xf32>) -> tensor<2x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1, -2>} : (tensor<2x16x64xf32>) -> tensor<2x1x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<2x1x1xf32>, tensor<f32>) -> tensor<2x1x1xf32>
  %3 = mote.sqrt %2 : tensor<2x1x1xf32>
  %4 = mote.div %x, %3 : (tensor<2x16x64xf32>, tensor<2x1x1xf32>) -> tensor<2x16x64xf32>
  %5 = mote.mul %4, %w : (tensor<2x16x64xf32>, tensor<16x64xf32>) -> tensor<2x16x64xf32>
  return %5 : tensor<2x16x64xf32>
}

// -----

// The normalized value has another user: it becomes rms_norm with unit weight, and the weight multiply
// stays, reading the rms_norm.
// CHECK-LABEL: func.func @rms_normalized_shared
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>, %[[W:.*]]: tensor<64xf32>)
// CHECK: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<64xf32>
// CHECK: %[[N:.*]] = mote.rms_norm %[[X]], %[[ONES]] {axis = 2 : i64, epsilon = 9.99999997E-7 : f32}
// CHECK: %[[Y:.*]] = mote.mul %[[N]], %[[W]]
// CHECK: return %[[Y]], %[[N]]
func.func @rms_normalized_shared(%x: tensor<1x16x64xf32>, %w: tensor<64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x64xf32>) {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %x, %3 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %5 = mote.mul %4, %w : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  return %5, %4 : tensor<1x16x64xf32>, tensor<1x16x64xf32>
}

// -----

// A following multiply by something that varies along a non-normalized axis is not the weight: the
// norm gets unit weight and the multiply stays.
// CHECK-LABEL: func.func @rms_full_rank_multiplier
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>, %[[G:.*]]: tensor<1x16x64xf32>)
// CHECK: %[[ONES:.*]] = mote.constant dense<1.000000e+00> : tensor<64xf32>
// CHECK: %[[N:.*]] = mote.rms_norm %[[X]], %[[ONES]]
// CHECK: %[[Y:.*]] = mote.mul %[[N]], %[[G]]
// CHECK: return %[[Y]]
func.func @rms_full_rank_multiplier(%x: tensor<1x16x64xf32>, %g: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %x, %3 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %5 = mote.mul %4, %g : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %5 : tensor<1x16x64xf32>
}

// -----

// A LayerNorm decomposition seen by this pass alone: its variance step is the RMS norm of the centered
// value, so it becomes rms_norm(x - mean(x)), which is exact. (The canonical pipeline runs
// mote-recognize-layer-norm first, which takes the whole chain.)
// CHECK-LABEL: func.func @rms_of_centered_value
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK: %[[M:.*]] = mote.reduce_mean %[[X]] {axes = array<i64: -1>}
// CHECK: %[[D:.*]] = mote.sub %[[X]], %[[M]]
// CHECK: %[[Y:.*]] = mote.rms_norm %[[D]], %{{.*}} {axis = 2 : i64, epsilon = 9.99999974E-6 : f32}
// CHECK-NOT: mote.sqrt
// CHECK: return %[[Y]]
func.func @rms_of_centered_value(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
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

// The mean over a non-trailing axis is not RMSNorm over trailing axes.
// CHECK-LABEL: func.func @no_rms_middle_axis
// CHECK-NOT: mote.rms_norm
// CHECK: mote.reduce_mean %{{.*}} {axes = array<i64: 1>}
// CHECK: mote.sqrt
// CHECK-NOT: mote.rms_norm
// CHECK: return
func.func @no_rms_middle_axis(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: 1>} : (tensor<1x16x64xf32>) -> tensor<1x1x64xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x1x64xf32>, tensor<f32>) -> tensor<1x1x64xf32>
  %3 = mote.sqrt %2 : tensor<1x1x64xf32>
  %4 = mote.div %x, %3 : (tensor<1x16x64xf32>, tensor<1x1x64xf32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// Axes that end at the last one but leave a gap ([0, 2] of rank 3) are not trailing.
// CHECK-LABEL: func.func @no_rms_gapped_axes
// CHECK-NOT: mote.rms_norm
// CHECK: mote.reduce_mean %{{.*}} {axes = array<i64: 0, 2>}
// CHECK-NOT: mote.rms_norm
// CHECK: return
func.func @no_rms_gapped_axes(%x: tensor<2x16x64xf32>) -> tensor<2x16x64xf32> {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<2x16x64xf32>, tensor<f32>) -> tensor<2x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: 0, 2>} : (tensor<2x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %x, %3 : (tensor<2x16x64xf32>, tensor<1x16x1xf32>) -> tensor<2x16x64xf32>
  return %4 : tensor<2x16x64xf32>
}

// -----

// pow(x, 3) is not the square.
// CHECK-LABEL: func.func @no_rms_cube
// CHECK-NOT: mote.rms_norm
// CHECK: mote.pow
// CHECK-NOT: mote.rms_norm
// CHECK: return
func.func @no_rms_cube(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c3 = mote.constant dense<3.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c3 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %x, %3 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// x * y is not a square, even when the statistics then divide x.
// CHECK-LABEL: func.func @no_rms_product_of_two
// CHECK-NOT: mote.rms_norm
// CHECK: mote.reduce_mean
// CHECK-NOT: mote.rms_norm
// CHECK: return
func.func @no_rms_product_of_two(%x: tensor<1x16x64xf32>, %y: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %0 = mote.mul %x, %y : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %x, %3 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// The statistics of x normalize another value y.
// CHECK-LABEL: func.func @no_rms_other_numerator
// CHECK-NOT: mote.rms_norm
// CHECK: mote.sqrt
// CHECK-NOT: mote.rms_norm
// CHECK: return
func.func @no_rms_other_numerator(%x: tensor<1x16x64xf32>, %y: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %y, %3 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// 2 / sqrt(...) is not the reciprocal.
// CHECK-LABEL: func.func @no_rms_two_over_sqrt
// CHECK-NOT: mote.rms_norm
// CHECK: mote.sqrt
// CHECK-NOT: mote.rms_norm
// CHECK: return
func.func @no_rms_two_over_sqrt(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %c2, %3 : (tensor<f32>, tensor<1x16x1xf32>) -> tensor<1x16x1xf32>
  %5 = mote.mul %x, %4 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %5 : tensor<1x16x64xf32>
}

// -----

// The mean of squares has another user (the variance is also returned).
// CHECK-LABEL: func.func @no_rms_mean_shared
// CHECK-NOT: mote.rms_norm
// CHECK: %[[V:.*]] = mote.reduce_mean
// CHECK-NOT: mote.rms_norm
// CHECK: return %{{.*}}, %[[V]]
func.func @no_rms_mean_shared(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x1xf32>) {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %x, %3 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %4, %1 : tensor<1x16x64xf32>, tensor<1x16x1xf32>
}

// -----

// The root has another user.
// CHECK-LABEL: func.func @no_rms_sqrt_shared
// CHECK-NOT: mote.rms_norm
// CHECK: %[[R:.*]] = mote.sqrt
// CHECK-NOT: mote.rms_norm
// CHECK: return %{{.*}}, %[[R]]
func.func @no_rms_sqrt_shared(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x1xf32>) {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = mote.constant dense<9.99999997E-7> : tensor<f32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %x, %3 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %4, %3 : tensor<1x16x64xf32>, tensor<1x16x1xf32>
}

// -----

// An epsilon that is not a constant.
// CHECK-LABEL: func.func @no_rms_variable_eps
// CHECK-NOT: mote.rms_norm
// CHECK: mote.sqrt
// CHECK-NOT: mote.rms_norm
// CHECK: return
func.func @no_rms_variable_eps(%x: tensor<1x16x64xf32>, %eps: tensor<f32>) -> tensor<1x16x64xf32> {
  %c2 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.reduce_mean %0 {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %2 = mote.add %1, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %3 = mote.sqrt %2 : tensor<1x16x1xf32>
  %4 = mote.div %x, %3 : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}
