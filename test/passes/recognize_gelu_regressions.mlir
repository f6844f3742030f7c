// Regressions of the gelu recognition: cases that once rewrote wrongly, produced invalid IR or
// were missed; each comment says what went wrong.
// RUN: mote-opt %s --split-input-file --mote-recognize-gelu | FileCheck %s

// Missed form. GELU of a value that is itself a product by 0.5, written (x * u) * 0.5 (torch's
// association). matchHalfTimes tries "(0.5 * x) * u" first: p = x is a MulOp with a 0.5 operand, so it
// returns {a, m1}; replaceWithGelu then rejects a != x, and the "(u * x) * 0.5" case is never tried.
// Now: gelu(x), with x = a * 0.5 kept.
// CHECK-LABEL: func.func @erf_gelu_of_halved_value
// CHECK-SAME: (%[[A:.*]]: tensor<1x16x64xf32>)
// CHECK: %[[X:.*]] = mote.mul %[[A]], %{{.*}} : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
// CHECK-NOT: mote.erf
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] : tensor<1x16x64xf32>
// CHECK-NOT: mote.erf
// CHECK: return %[[Y]]
func.func @erf_gelu_of_halved_value(%a: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %h = mote.constant dense<5.000000e-01> : tensor<f32>
  %x = mote.mul %a, %h : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
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

// Was a wrong rewrite. The cubic coefficient is 0.044, not 0.044715 (1.6% off): this is not the tanh
// approximation of GELU. isSplat() documents a relative tolerance (rtol = 1e-3) but computes
// |v - e| <= rtol * max(1, |e|), an absolute 1e-3 for every constant below 1, so any coefficient in
// [0.043715, 0.045715] is accepted (likewise 0.5 +- 0.001, sqrt(2 / pi) +- 0.001, 1 / sqrt(2) +- 0.001).
// Now: no rewrite.
// CHECK-LABEL: func.func @no_tanh_gelu_coefficient_0_044
// CHECK-NOT: mote.gelu
// CHECK: mote.tanh
// CHECK-NOT: mote.gelu
// CHECK: return
func.func @no_tanh_gelu_coefficient_0_044(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %c3 = mote.constant dense<3.000000e+00> : tensor<f32>
  %0 = mote.pow %x, %c3 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %ca = mote.constant dense<4.400000e-02> : tensor<f32>
  %1 = mote.mul %0, %ca : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %2 = mote.add %x, %1 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %ck = mote.constant dense<0.797884583> : tensor<f32>
  %3 = mote.mul %2, %ck : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %4 = mote.tanh %3 : tensor<1x16x64xf32>
  %c1 = mote.constant dense<1.000000e+00> : tensor<f32>
  %5 = mote.add %4, %c1 : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %ch = mote.constant dense<5.000000e-01> : tensor<f32>
  %6 = mote.mul %x, %ch : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %7 = mote.mul %6, %5 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %7 : tensor<1x16x64xf32>
}

// -----

// Missed form. The tanh form exported in bf16: sqrt(2 / pi) = 0.7978846 rounds to 0.796875 in bf16,
// 1.01e-3 away, just outside the fixed 1e-3 tolerance (the nearest bf16 value cannot be closer: bf16
// spacing at 0.8 is 3.9e-3). The tolerance has to follow the element type's precision.
// Now: gelu {approximate = "tanh"}.
// CHECK-LABEL: func.func @tanh_gelu_bf16
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xbf16>)
// CHECK-NOT: mote.tanh
// CHECK: %[[Y:.*]] = mote.gelu %[[X]] {approximate = "tanh"} : tensor<1x16x64xbf16>
// CHECK-NOT: mote.tanh
// CHECK: return %[[Y]]
func.func @tanh_gelu_bf16(%x: tensor<1x16x64xbf16>) -> tensor<1x16x64xbf16> {
  %c3 = mote.constant dense<3.000000e+00> : tensor<bf16>
  %0 = mote.pow %x, %c3 : (tensor<1x16x64xbf16>, tensor<bf16>) -> tensor<1x16x64xbf16>
  %ca = mote.constant dense<4.467770e-02> : tensor<bf16>
  %1 = mote.mul %0, %ca : (tensor<1x16x64xbf16>, tensor<bf16>) -> tensor<1x16x64xbf16>
  %2 = mote.add %x, %1 : (tensor<1x16x64xbf16>, tensor<1x16x64xbf16>) -> tensor<1x16x64xbf16>
  %ck = mote.constant dense<7.968750e-01> : tensor<bf16>
  %3 = mote.mul %2, %ck : (tensor<1x16x64xbf16>, tensor<bf16>) -> tensor<1x16x64xbf16>
  %4 = mote.tanh %3 : tensor<1x16x64xbf16>
  %c1 = mote.constant dense<1.000000e+00> : tensor<bf16>
  %5 = mote.add %4, %c1 : (tensor<1x16x64xbf16>, tensor<bf16>) -> tensor<1x16x64xbf16>
  %ch = mote.constant dense<5.000000e-01> : tensor<bf16>
  %6 = mote.mul %x, %ch : (tensor<1x16x64xbf16>, tensor<bf16>) -> tensor<1x16x64xbf16>
  %7 = mote.mul %6, %5 : (tensor<1x16x64xbf16>, tensor<1x16x64xbf16>) -> tensor<1x16x64xbf16>
  return %7 : tensor<1x16x64xbf16>
}
