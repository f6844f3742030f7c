// mote-recognize-gelu: 0.5 * x * (1 + erf(x / sqrt(2))) -> gelu (approximate "none"), with the division
// also as x * (1 / sqrt(2)) and the halving in any association of the two products;
// 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))) -> gelu {approximate = "tanh"}, the cube as
// pow(x, 3) or x * x * x; x * sigmoid(1.702 * x) -> gelu {approximate = "sigmoid"}. Wrong constants,
// another variable, or an intermediate with another user leave the graph as it is.
// RUN: mote-opt %s --split-input-file --mote-recognize-gelu | FileCheck %s

//===----------------------------------------------------------------------===//
// erf form
//===----------------------------------------------------------------------===//

// What torch.onnx.export writes for nn.GELU() before opset 20: Div, Erf, Add, Mul by x, Mul by 0.5,
// i.e. (x * u) * 0.5.
// CHECK-LABEL: func.func @erf_div_torch
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NOT: mote.erf
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] : tensor<1x16x64xf32>
// CHECK-NOT: mote.erf
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @erf_div_torch(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %x, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %4 = mote.mul %3, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// x * (1 / sqrt(2)), constant first, and 1 + erf with the constant first.
// CHECK-LABEL: func.func @erf_mul_inv_sqrt2
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NOT: mote.erf
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] : tensor<1x16x64xf32>
// CHECK-NOT: mote.erf
// CHECK: return %[[Y]]
func.func @erf_mul_inv_sqrt2(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c0 = mote.constant dense<0.707106769> : tensor<f32>
  %0 = mote.mul %c0, %x : (tensor<f32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %c1, %1 : (tensor<f32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %x, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %4 = mote.mul %3, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// (0.5 * x) * u: HF's `x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))` with the half first.
// CHECK-LABEL: func.func @erf_half_x_then_u
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NOT: mote.erf
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] : tensor<1x16x64xf32>
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @erf_half_x_then_u(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %h = mote.mul %c2, %x : (tensor<f32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %h, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %3 : tensor<1x16x64xf32>
}

// -----

// u * (x * 0.5): the half on the other side of the inner product, u first in the outer one.
// CHECK-LABEL: func.func @erf_u_then_x_half
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NOT: mote.erf
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] : tensor<1x16x64xf32>
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @erf_u_then_x_half(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %h = mote.mul %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %2, %h : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %3 : tensor<1x16x64xf32>
}

// -----

// (u * 0.5) * x.
// CHECK-LABEL: func.func @erf_u_half_then_x
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NOT: mote.erf
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] : tensor<1x16x64xf32>
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @erf_u_half_then_x(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %3 = mote.mul %2, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %4 = mote.mul %3, %x : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// x * (0.5 * u): the same association with every operand order flipped.
// CHECK-LABEL: func.func @erf_x_then_half_u
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NOT: mote.erf
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] : tensor<1x16x64xf32>
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @erf_x_then_half_u(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %3 = mote.mul %c2, %2 : (tensor<f32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %4 = mote.mul %x, %3 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// 0.5 * (u * x).
// CHECK-LABEL: func.func @erf_half_then_u_x
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NOT: mote.erf
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] : tensor<1x16x64xf32>
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @erf_half_then_u_x(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %2, %x : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %4 = mote.mul %c2, %3 : (tensor<f32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// Half precision, the GELU of a matmul (an MLP's first projection); the constants are the f16 roundings.
// CHECK-LABEL: func.func @erf_f16_after_matmul
// CHECK: %[[M:.*]] = mote.matmul
// CHECK-NOT: mote.erf
// CHECK: %[[Y:.*]] = mote.gelu %[[M]] : tensor<1x16x256xf16>
// CHECK-NOT: mote.erf
// CHECK: return %[[Y]]
func.func @erf_f16_after_matmul(%a: tensor<1x16x64xf16>) -> tensor<1x16x256xf16> {
  %w = mote.constant dense_resource<fc1_weight> : tensor<64x256xf16>
  %x = mote.matmul %a, %w : (tensor<1x16x64xf16>, tensor<64x256xf16>) -> tensor<1x16x256xf16>
  %c0 = mote.constant dense<1.414060e+00> : tensor<f16>
  %0 = mote.div %x, %c0 : (tensor<1x16x256xf16>, tensor<f16>) -> tensor<1x16x256xf16>
  %1 = mote.erf %0 : tensor<1x16x256xf16>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f16>
  %2 = mote.add %1, %c1 : (tensor<1x16x256xf16>, tensor<f16>) -> tensor<1x16x256xf16>
  %3 = mote.mul %x, %2 : (tensor<1x16x256xf16>, tensor<1x16x256xf16>) -> tensor<1x16x256xf16>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f16>
  %4 = mote.mul %3, %c2 : (tensor<1x16x256xf16>, tensor<f16>) -> tensor<1x16x256xf16>
  return %4 : tensor<1x16x256xf16>
}

// -----

// The inner 0.5 * x has another user: gelu replaces the outer product; 0.5 * x stays for its user.
// CHECK-LABEL: func.func @erf_half_x_shared
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-DAG: %[[H:.*]] = mote.mul %[[X]], %{{.*}} : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
// CHECK-DAG: %[[Y:.*]] = mote.gelu %[[X]] : tensor<1x16x64xf32>
// CHECK-NOT: mote.erf
// CHECK: return %[[Y]], %[[H]]
func.func @erf_half_x_shared(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x64xf32>) {
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %h = mote.mul %x, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %h, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %3, %h : tensor<1x16x64xf32>, tensor<1x16x64xf32>
}

// -----

// x / sqrt(3) is not GELU's argument.
// CHECK-LABEL: func.func @no_gelu_sqrt3
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NOT: mote.gelu
// CHECK: %[[E:.*]] = mote.erf
// CHECK: %[[U:.*]] = mote.add %[[E]]
// CHECK: %[[P:.*]] = mote.mul %[[X]], %[[U]]
// CHECK: %[[R:.*]] = mote.mul %[[P]]
// CHECK-NOT: mote.gelu
// CHECK: return %[[R]]
func.func @no_gelu_sqrt3(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c0 = mote.constant dense<1.73205078> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %x, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %4 = mote.mul %3, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// x * sqrt(2) (instead of x * (1 / sqrt(2))) is not GELU's argument either.
// CHECK-LABEL: func.func @no_gelu_mul_sqrt2
// CHECK-NOT: mote.gelu
// CHECK: mote.erf
// CHECK-NOT: mote.gelu
// CHECK: return
func.func @no_gelu_mul_sqrt2(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.mul %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %x, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %4 = mote.mul %3, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// 2 + erf(...) is not 1 + erf(...).
// CHECK-LABEL: func.func @no_gelu_two_plus_erf
// CHECK-NOT: mote.gelu
// CHECK: mote.erf
// CHECK-NOT: mote.gelu
// CHECK: return
func.func @no_gelu_two_plus_erf(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<2.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %x, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %4 = mote.mul %3, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// 0.25 * x * (1 + erf(...)) is not GELU.
// CHECK-LABEL: func.func @no_gelu_quarter
// CHECK-NOT: mote.gelu
// CHECK: mote.erf
// CHECK-NOT: mote.gelu
// CHECK: return
func.func @no_gelu_quarter(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %x, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<2.500000e-01> : tensor<f32>
  %4 = mote.mul %3, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// 0.5 * y * (1 + erf(x / sqrt(2))) with y != x gates y by x's GELU CDF; it is not gelu(x) or gelu(y).
// CHECK-LABEL: func.func @no_gelu_other_variable
// CHECK-NOT: mote.gelu
// CHECK: mote.erf
// CHECK-NOT: mote.gelu
// CHECK: return
func.func @no_gelu_other_variable(%x: tensor<1x16x64xf32>, %y: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %y, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %4 = mote.mul %3, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// 1 + erf(...) has another user: rewriting would not remove it, so the pass leaves the chain.
// CHECK-LABEL: func.func @no_gelu_sum_shared
// CHECK-NOT: mote.gelu
// CHECK: %[[E:.*]] = mote.erf
// CHECK: %[[U:.*]] = mote.add %[[E]]
// CHECK-NOT: mote.gelu
// CHECK: return %{{.*}}, %[[U]]
func.func @no_gelu_sum_shared(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x64xf32>) {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %x, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %4 = mote.mul %3, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %4, %2 : tensor<1x16x64xf32>, tensor<1x16x64xf32>
}

// -----

// erf(x / sqrt(2)) itself has another user.
// CHECK-LABEL: func.func @no_gelu_erf_shared
// CHECK-NOT: mote.gelu
// CHECK: %[[E:.*]] = mote.erf
// CHECK-NOT: mote.gelu
// CHECK: return %{{.*}}, %[[E]]
func.func @no_gelu_erf_shared(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x64xf32>) {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %x, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %4 = mote.mul %3, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %4, %1 : tensor<1x16x64xf32>, tensor<1x16x64xf32>
}

// -----

// x * u has another user before the halving.
// CHECK-LABEL: func.func @no_gelu_product_shared
// CHECK-NOT: mote.gelu
// CHECK: %[[P:.*]] = mote.mul %{{.*}}, %{{.*}} : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
// CHECK-NOT: mote.gelu
// CHECK: return %{{.*}}, %[[P]]
func.func @no_gelu_product_shared(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x64xf32>) {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mote.erf %0 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %3 = mote.mul %x, %2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %4 = mote.mul %3, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %4, %3 : tensor<1x16x64xf32>, tensor<1x16x64xf32>
}

// -----

// The halving broadcasts the result past x's shape: the product is not gelu(x) elementwise.
// CHECK-LABEL: func.func @no_gelu_broadcast_half
// CHECK-NOT: mote.gelu
// CHECK: mote.erf
// CHECK-NOT: mote.gelu
// CHECK: return
func.func @no_gelu_broadcast_half(%x: tensor<1x64xf32>) -> tensor<4x64xf32> {
  %c0 = mote.constant dense<1.41421354> : tensor<f32>
  %0 = mote.div %x, %c0 : (tensor<1x64xf32>, tensor<f32>) -> tensor<1x64xf32>
  %1 = mote.erf %0 : tensor<1x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %2 = mote.add %1, %c1 : (tensor<1x64xf32>, tensor<f32>) -> tensor<1x64xf32>
  %3 = mote.mul %x, %2 : (tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<4x64xf32>
  %4 = mote.mul %3, %c2 : (tensor<1x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  return %4 : tensor<4x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// tanh form
//===----------------------------------------------------------------------===//

// HF's gelu_new: 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * pow(x, 3)))).
// CHECK-LABEL: func.func @tanh_pow
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NOT: mote.tanh
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] {approximate = "tanh"} : tensor<1x16x64xf32>
// CHECK-NOT: mote.tanh
// CHECK-NOT: mote.pow
// CHECK: return %[[Y]]
func.func @tanh_pow(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %h = mote.mul %c2, %x : (tensor<f32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c3 = mote.constant dense<3.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c3 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %ca = mote.constant dense<4.471500e-02> : tensor<f32>
  %1 = mote.mul %ca, %0 : (tensor<f32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %2 = mote.add %x, %1 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %ck = mote.constant dense<0.797884583> : tensor<f32>
  %3 = mote.mul %ck, %2 : (tensor<f32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %4 = mote.tanh %3 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %5 = mote.add %c1, %4 : (tensor<f32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %6 = mote.mul %h, %5 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %6 : tensor<1x16x64xf32>
}

// -----

// The cube as (x * x) * x, the cubic term first in the sum, every constant on the right, and the
// halving last.
// CHECK-LABEL: func.func @tanh_mul_cube
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NOT: mote.tanh
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] {approximate = "tanh"} : tensor<1x16x64xf32>
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @tanh_mul_cube(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %sq = mote.mul %x, %x : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %0 = mote.mul %sq, %x : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %ca = mote.constant dense<4.471500e-02> : tensor<f32>
  %1 = mote.mul %0, %ca : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %2 = mote.add %1, %x : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %ck = mote.constant dense<0.797884583> : tensor<f32>
  %3 = mote.mul %2, %ck : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %4 = mote.tanh %3 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %5 = mote.add %4, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %6 = mote.mul %x, %5 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %7 = mote.mul %6, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %7 : tensor<1x16x64xf32>
}

// -----

// The cube as x * (x * x).
// CHECK-LABEL: func.func @tanh_mul_cube_square_rhs
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NOT: mote.tanh
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] {approximate = "tanh"} : tensor<1x16x64xf32>
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @tanh_mul_cube_square_rhs(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %sq = mote.mul %x, %x : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %0 = mote.mul %x, %sq : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %ca = mote.constant dense<4.471500e-02> : tensor<f32>
  %1 = mote.mul %0, %ca : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %2 = mote.add %x, %1 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %ck = mote.constant dense<0.797884583> : tensor<f32>
  %3 = mote.mul %2, %ck : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %4 = mote.tanh %3 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %5 = mote.add %4, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %6 = mote.mul %5, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %7 = mote.mul %6, %x : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %7 : tensor<1x16x64xf32>
}

// -----

// pow(x, 2) is not the cube.
// CHECK-LABEL: func.func @no_tanh_gelu_square
// CHECK-NOT: mote.gelu
// CHECK: mote.tanh
// CHECK-NOT: mote.gelu
// CHECK: return
func.func @no_tanh_gelu_square(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c3 = mote.constant dense<2.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c3 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %ca = mote.constant dense<4.471500e-02> : tensor<f32>
  %1 = mote.mul %0, %ca : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %2 = mote.add %x, %1 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %ck = mote.constant dense<0.797884583> : tensor<f32>
  %3 = mote.mul %2, %ck : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %4 = mote.tanh %3 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %5 = mote.add %4, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %6 = mote.mul %x, %5 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %7 = mote.mul %6, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %7 : tensor<1x16x64xf32>
}

// -----

// The cube of another value: x + 0.044715 * y^3.
// CHECK-LABEL: func.func @no_tanh_gelu_cube_of_other
// CHECK-NOT: mote.gelu
// CHECK: mote.tanh
// CHECK-NOT: mote.gelu
// CHECK: return
func.func @no_tanh_gelu_cube_of_other(%x: tensor<1x16x64xf32>, %y: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c3 = mote.constant dense<3.000000e+00> : tensor<f32>
  %0 = mote.pow %y, %c3 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %ca = mote.constant dense<4.471500e-02> : tensor<f32>
  %1 = mote.mul %0, %ca : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %2 = mote.add %x, %1 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %ck = mote.constant dense<0.797884583> : tensor<f32>
  %3 = mote.mul %2, %ck : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %4 = mote.tanh %3 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %5 = mote.add %4, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %6 = mote.mul %x, %5 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %7 = mote.mul %6, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %7 : tensor<1x16x64xf32>
}

// -----

// sqrt(2 / pi) replaced by 1: tanh(x + 0.044715 x^3) is not the approximation.
// CHECK-LABEL: func.func @no_tanh_gelu_wrong_scale
// CHECK-NOT: mote.gelu
// CHECK: mote.tanh
// CHECK-NOT: mote.gelu
// CHECK: return
func.func @no_tanh_gelu_wrong_scale(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c3 = mote.constant dense<3.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c3 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %ca = mote.constant dense<4.471500e-02> : tensor<f32>
  %1 = mote.mul %0, %ca : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %2 = mote.add %x, %1 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %ck = mote.constant dense<1.000000e+00> : tensor<f32>
  %3 = mote.mul %2, %ck : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %4 = mote.tanh %3 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %5 = mote.add %4, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %6 = mote.mul %x, %5 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %7 = mote.mul %6, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %7 : tensor<1x16x64xf32>
}

// -----

// The tanh has another user.
// CHECK-LABEL: func.func @no_tanh_gelu_tanh_shared
// CHECK-NOT: mote.gelu
// CHECK: %[[T:.*]] = mote.tanh
// CHECK-NOT: mote.gelu
// CHECK: return %{{.*}}, %[[T]]
func.func @no_tanh_gelu_tanh_shared(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x64xf32>) {
  %c3 = mote.constant dense<3.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c3 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %ca = mote.constant dense<4.471500e-02> : tensor<f32>
  %1 = mote.mul %0, %ca : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %2 = mote.add %x, %1 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %ck = mote.constant dense<0.797884583> : tensor<f32>
  %3 = mote.mul %2, %ck : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %4 = mote.tanh %3 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %5 = mote.add %4, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %6 = mote.mul %x, %5 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %c2 = mote.constant dense<5.000000e-01> : tensor<f32>
  %7 = mote.mul %6, %c2 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  return %7, %4 : tensor<1x16x64xf32>, tensor<1x16x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// QuickGELU
//===----------------------------------------------------------------------===//

// CLIP's QuickGELU as exported: Mul by 1.702, Sigmoid, Mul by x.
// CHECK-LABEL: func.func @quick_gelu
// CHECK-SAME: (%[[X:.*]]: tensor<1x77x3072xf32>)
// CHECK-NOT: mote.sigmoid
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] {approximate = "sigmoid"} : tensor<1x77x3072xf32>
// CHECK-NOT: mote.sigmoid
// CHECK-NOT: mote.mul
// CHECK: return %[[Y]]
func.func @quick_gelu(%x: tensor<1x77x3072xf32>) -> tensor<1x77x3072xf32> {
  %c = mote.constant dense<1.702000e+00> : tensor<f32>
  %0 = mote.mul %x, %c : (tensor<1x77x3072xf32>, tensor<f32>) -> tensor<1x77x3072xf32>
  %1 = mote.sigmoid %0 : tensor<1x77x3072xf32>
  %2 = mote.mul %x, %1 : (tensor<1x77x3072xf32>, tensor<1x77x3072xf32>) -> tensor<1x77x3072xf32>
  return %2 : tensor<1x77x3072xf32>
}

// -----

// Every operand order flipped: sigmoid(1.702 * x) * x.
// CHECK-LABEL: func.func @quick_gelu_flipped
// CHECK-SAME: (%[[X:.*]]: tensor<1x77x3072xf32>)
// CHECK-NOT: mote.sigmoid
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] {approximate = "sigmoid"} : tensor<1x77x3072xf32>
// CHECK: return %[[Y]]
func.func @quick_gelu_flipped(%x: tensor<1x77x3072xf32>) -> tensor<1x77x3072xf32> {
  %c = mote.constant dense<1.702000e+00> : tensor<f32>
  %0 = mote.mul %c, %x : (tensor<f32>, tensor<1x77x3072xf32>) -> tensor<1x77x3072xf32>
  %1 = mote.sigmoid %0 : tensor<1x77x3072xf32>
  %2 = mote.mul %1, %x : (tensor<1x77x3072xf32>, tensor<1x77x3072xf32>) -> tensor<1x77x3072xf32>
  return %2 : tensor<1x77x3072xf32>
}

// -----

// 1.5 is not QuickGELU's constant.
// CHECK-LABEL: func.func @no_quick_gelu_wrong_constant
// CHECK-NOT: mote.gelu
// CHECK: %[[S:.*]] = mote.sigmoid
// CHECK: %[[R:.*]] = mote.mul %{{.*}}, %[[S]]
// CHECK: return %[[R]]
func.func @no_quick_gelu_wrong_constant(%x: tensor<1x77x3072xf32>) -> tensor<1x77x3072xf32> {
  %c = mote.constant dense<1.500000e+00> : tensor<f32>
  %0 = mote.mul %x, %c : (tensor<1x77x3072xf32>, tensor<f32>) -> tensor<1x77x3072xf32>
  %1 = mote.sigmoid %0 : tensor<1x77x3072xf32>
  %2 = mote.mul %x, %1 : (tensor<1x77x3072xf32>, tensor<1x77x3072xf32>) -> tensor<1x77x3072xf32>
  return %2 : tensor<1x77x3072xf32>
}

// -----

// y * sigmoid(1.702 * x) with y != x.
// CHECK-LABEL: func.func @no_quick_gelu_other_variable
// CHECK-NOT: mote.gelu
// CHECK: mote.sigmoid
// CHECK-NOT: mote.gelu
// CHECK: return
func.func @no_quick_gelu_other_variable(%x: tensor<1x77x3072xf32>, %y: tensor<1x77x3072xf32>) -> tensor<1x77x3072xf32> {
  %c = mote.constant dense<1.702000e+00> : tensor<f32>
  %0 = mote.mul %x, %c : (tensor<1x77x3072xf32>, tensor<f32>) -> tensor<1x77x3072xf32>
  %1 = mote.sigmoid %0 : tensor<1x77x3072xf32>
  %2 = mote.mul %y, %1 : (tensor<1x77x3072xf32>, tensor<1x77x3072xf32>) -> tensor<1x77x3072xf32>
  return %2 : tensor<1x77x3072xf32>
}

// -----

// Plain SiLU is not this pass's business.
// CHECK-LABEL: func.func @no_gelu_for_silu
// CHECK-NOT: mote.gelu
// CHECK: mote.sigmoid
// CHECK: mote.mul
// CHECK-NOT: mote.gelu
func.func @no_gelu_for_silu(%x: tensor<1x77x3072xf32>) -> tensor<1x77x3072xf32> {
  %0 = mote.sigmoid %x : tensor<1x77x3072xf32>
  %1 = mote.mul %x, %0 : (tensor<1x77x3072xf32>, tensor<1x77x3072xf32>) -> tensor<1x77x3072xf32>
  return %1 : tensor<1x77x3072xf32>
}
