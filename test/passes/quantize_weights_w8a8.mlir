// mote-quantize-weights{scheme=w8a8}: w8's int8 weights, and every matmul, linear-layer Gemm and group-1
// convolution over one marked "int8_per_tensor" with mote.lhs_scale = clip / 127 from its mote.calibration
// (mse_clip, or abs_max with activation-clip=max); a Gemm that is no linear layer, a grouped convolution and an
// attention-style matmul of two activations keep float activations (the last two with mote.float_reason, which
// the report lists); a layer to mark without a calibrated range is an error.
// RUN: mote-opt %s --split-input-file --mote-quantize-weights="scheme=w8a8" --verify-diagnostics | FileCheck %s
// RUN: mote-opt %s --split-input-file --mote-quantize-weights="scheme=w8a8 activation-clip=max" --verify-diagnostics | FileCheck %s --check-prefix=MAX
// RUN: not mote-opt %s --split-input-file --mote-quantize-weights="scheme=w8a8 activation-clip=p99" 2>&1 | FileCheck %s --check-prefix=CLIP
// CLIP: error: unknown activation clipping 'p99' (mse, max)

// mse_clip 12.7: scale 0.1 (12.7f / 127 rounds to 0.100000001); abs_max 25.4: scale 0.2 with clip=max. An
// all-zero activation (clip 0) gets scale 1.
// CHECK-LABEL: func.func @layers
// CHECK: %[[W:.*]] = mote.dequantize %{{.*}}, %{{.*}} {axis = 1 : i64{{.*}}scheme = "w8a8"{{.*}}} : (tensor<2x3xi8>, tensor<3xf32>)
// CHECK: mote.matmul %arg0, %[[W]] {mote.calibration = {{.*}}, mote.lhs_quantization = "int8_per_tensor", mote.lhs_scale = 1.000000e-01 : f32}
// CHECK: %[[C:.*]] = mote.dequantize %{{.*}}, %{{.*}} {axis = 0 : i64{{.*}}} : (tensor<4x2x3x3xi8>, tensor<4xf32>)
// CHECK: mote.conv %arg1, %[[C]] {{{.*}}mote.lhs_quantization = "int8_per_tensor", mote.lhs_scale = 1.000000e+00 : f32
// CHECK: %[[G:.*]] = mote.dequantize %{{.*}}, %{{.*}} {axis = 0 : i64{{.*}}} : (tensor<3x2xi8>, tensor<3xf32>)
// CHECK: mote.gemm %arg0, %[[G]], %{{.*}} {mote.calibration = {{.*}}, mote.lhs_quantization = "int8_per_tensor", mote.lhs_scale = {{.*}} : f32, transB = true}
// CHECK: mote.gemm %arg0, %{{.*}} {alpha = 5.000000e-01 : f32, mote.calibration = {{.*}}, transB = true} :
// CHECK: mote.conv %arg3, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, mote.float_reason = "grouped convolution (group 2)", pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} :
// CHECK: mote.matmul %arg0, %arg2 {mote.float_reason = "right operand computed at run time"} : (tensor<4x2xf32>, tensor<2x3xf32>)
// MAX-LABEL: func.func @layers
// MAX: mote.matmul %arg0, %{{.*}} {{{.*}}mote.lhs_scale = 2.000000e-01 : f32}
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, weight_types = [i8]>} {
  func.func @layers(%x: tensor<4x2xf32>, %img: tensor<1x2x5x5xf32>, %act: tensor<2x3xf32>, %img4: tensor<1x4x5x5xf32>)
      -> (tensor<4x3xf32>, tensor<1x4x5x5xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
    %w = mote.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
    %0 = mote.matmul %x, %w {mote.calibration = {abs_max = 25.4 : f32, mse_clip = 12.7 : f32}} : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
    %k = mote.constant dense<[[[[-0.3, -0.2, -0.1], [0.0, 0.1, 0.2], [0.3, -0.3, -0.2]], [[-0.1, 0.0, 0.1], [0.2, 0.3, -0.3], [-0.2, -0.1, 0.0]]], [[[0.1, 0.2, 0.3], [-0.3, -0.2, -0.1], [0.0, 0.1, 0.2]], [[0.3, -0.3, -0.2], [-0.1, 0.0, 0.1], [0.2, 0.3, -0.3]]], [[[-0.2, -0.1, 0.0], [0.1, 0.2, 0.3], [-0.3, -0.2, -0.1]], [[0.0, 0.1, 0.2], [0.3, -0.3, -0.2], [-0.1, 0.0, 0.1]]], [[[0.2, 0.3, -0.3], [-0.2, -0.1, 0.0], [0.1, 0.2, 0.3]], [[-0.3, -0.2, -0.1], [0.0, 0.1, 0.2], [0.3, -0.3, -0.2]]]]> : tensor<4x2x3x3xf32>
    %1 = mote.conv %img, %k {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, mote.calibration = {abs_max = 0.0 : f32, mse_clip = 0.0 : f32}} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
    %b = mote.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
    %bias = mote.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
    %2 = mote.gemm %x, %b, %bias {transB = true, mote.calibration = {abs_max = 2.0 : f32, mse_clip = 1.5 : f32}} : (tensor<4x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<4x3xf32>
    %3 = mote.gemm %x, %b {transB = true, alpha = 0.5 : f32, mote.calibration = {abs_max = 2.0 : f32, mse_clip = 1.5 : f32}} : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
    %g = mote.constant dense<0.25> : tensor<4x2x3x3xf32>
    %4 = mote.conv %img4, %g {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
    %5 = mote.matmul %x, %act : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
    return %0, %1, %2, %3, %5 : tensor<4x3xf32>, tensor<1x4x5x5xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
  }
}

// -----

module attributes {mote.target = #mote.target<name = "t", activation_type = f32, weight_types = [i8]>} {
  func.func @uncalibrated(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
    %w = mote.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
    // expected-error @+1 {{no calibrated range for this layer's input: give --calibration=DIR}}
    %0 = mote.matmul %x, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
    return %0 : tensor<4x3xf32>
  }
}

// -----

// w8a16: "int16_per_tensor" with the largest calibrated value over 32767 (abs_max 3.2767: scale 1e-4).
// RUN: mote-opt %s --split-input-file --mote-quantize-weights="scheme=w8a16" --verify-diagnostics | FileCheck %s --check-prefix=A16
// A16-LABEL: func.func @int16
// A16: mote.matmul %arg0, %{{.*}} {mote.calibration = {{.*}}, mote.lhs_quantization = "int16_per_tensor", mote.lhs_scale = 9.99999974E-5 : f32}
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, weight_types = [i8]>} {
  func.func @int16(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
    %w = mote.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
    %0 = mote.matmul %x, %w {mote.calibration = {abs_max = 3.2767 : f32, mse_clip = 1.0 : f32}} : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
    return %0 : tensor<4x3xf32>
  }
}

// -----

// A splat weight (one value repeated, e.g. from ConstantOfShape) stays float, before any calibration is asked
// for: nothing to quantize, and
// materializing it could take gigabytes.
// RUN: mote-opt %s --split-input-file --mote-quantize-weights="scheme=w8a8" --verify-diagnostics | FileCheck %s --check-prefix=SPLAT
// SPLAT-LABEL: func.func @splat
// SPLAT: mote.matmul %arg0, %{{.*}} {mote.float_reason = "one value repeated (a splat)"}
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, weight_types = [i8]>} {
  func.func @splat(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
    %w = mote.constant dense<0.5> : tensor<2x3xf32>
    %0 = mote.matmul %x, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
    return %0 : tensor<4x3xf32>
  }
}
