// RUN: mote-opt %s --split-input-file --mote-convert-layout --canonicalize | FileCheck %s

// Two NCHW convolutions with an activation and a per-channel bias between them: on an NHWC target
// the convolutions become channels_last, and the only transposes left are at the function's edges.
// CHECK-LABEL: func.func @conv_chain
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8x8xf32>
// CHECK: %[[IN:.*]] = mote.transpose %[[X]] {perm = array<i64: 0, 2, 3, 1>}
// CHECK: %[[C1:.*]] = mote.conv %[[IN]], {{.*}} {channels_last = true
// CHECK-SAME: -> tensor<1x8x8x4xf32>
// CHECK: %[[S:.*]] = mote.silu %[[C1]] : tensor<1x8x8x4xf32>
// CHECK: %[[A:.*]] = mote.add %[[S]], {{.*}} : (tensor<1x8x8x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x8x8x4xf32>
// CHECK: %[[C2:.*]] = mote.conv %[[A]], {{.*}} {channels_last = true
// CHECK: %[[OUT:.*]] = mote.transpose %[[C2]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK: return %[[OUT]]
// CHECK-NOT: mote.transpose
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = f32>} {
  func.func @conv_chain(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32> {
    %b = mote.constant dense<0.5> : tensor<4x1x1xf32>
    %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
    %1 = mote.silu %0 : tensor<1x4x8x8xf32>
    %2 = mote.add %1, %b : (tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) -> tensor<1x4x8x8xf32>
    %3 = mote.conv %2, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
    return %3 : tensor<1x4x8x8xf32>
  }
}

// -----

// Skip connections: a residual add, a concat on the channel axis, an upsampling resize and a group norm
// all stay in NHWC (the concat axis and resize scales are permuted).
// CHECK-LABEL: func.func @unet_like
// CHECK: mote.group_norm {{.*}} {channels_last = true
// CHECK: mote.concat {{.*}} {axis = 3 : i64}
// CHECK: mote.resize {{.*}} scales = array<f32: 1.000000e+00, 2.000000e+00, 2.000000e+00, 1.000000e+00>
// CHECK-SAME: -> tensor<1x16x16x8xf32>
// CHECK: %[[OUT:.*]] = mote.transpose {{.*}} {perm = array<i64: 0, 3, 1, 2>}
// CHECK-NEXT: return %[[OUT]]
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = f32>} {
  func.func @unet_like(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<1x8x16x16xf32> {
    %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
    %1 = mote.group_norm %0, %s, %b {num_groups = 2 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
    %2 = mote.conv %1, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
    %3 = mote.add %2, %0 : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
    %4 = mote.concat %3, %0 {axis = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32>
    %5 = mote.resize %4 {mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x16x16xf32>
    return %5 : tensor<1x8x16x16xf32>
  }
}

// -----

// A transpose/reshape chain that moves no element becomes a reshape: NHWC group norm output viewed as
// [N, H*W, C] tokens (what a spatial transformer does) needs no transpose at all.
// CHECK-LABEL: func.func @tokens
// CHECK: %[[G:.*]] = mote.group_norm {{.*}} {channels_last = true
// CHECK: %[[T:.*]] = mote.reshape %[[G]] : (tensor<1x8x8x4xf32>) -> tensor<1x64x4xf32>
// CHECK: return %[[T]]
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = f32>} {
  func.func @tokens(%x: tensor<1x4x8x8xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<1x64x4xf32> {
    %0 = mote.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x8x8x4xf32>
    %1 = mote.transpose %0 {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x8x8xf32>
    %g = mote.group_norm %1, %s, %b {num_groups = 2 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
    %r = mote.reshape %g : (tensor<1x4x8x8xf32>) -> tensor<1x4x64xf32>
    %t = mote.transpose %r {perm = array<i64: 0, 2, 1>} : (tensor<1x4x64xf32>) -> tensor<1x64x4xf32>
    return %t : tensor<1x64x4xf32>
  }
}

// -----

// NCHW targets, and modules without a target, keep the exported layout.
// CHECK-LABEL: func.func @nchw_target
// CHECK-NOT: channels_last
// CHECK-NOT: mote.transpose
module attributes {mote.target = #mote.target<name = "t", layout = "NCHW", activation_type = f32>} {
  func.func @nchw_target(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32> {
    %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
    return %0 : tensor<1x4x8x8xf32>
  }
}

// -----

// The model's own transposes (attention heads) are not layout changes and are left where they are.
// CHECK-LABEL: func.func @heads
// CHECK: mote.transpose %{{.*}} {perm = array<i64: 0, 2, 1, 3>}
// CHECK: mote.relu
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = f32>} {
  func.func @heads(%x: tensor<1x16x2x8xf32>) -> tensor<1x2x16x8xf32> {
    %0 = mote.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x16x2x8xf32>) -> tensor<1x2x16x8xf32>
    %1 = mote.relu %0 : tensor<1x2x16x8xf32>
    return %1 : tensor<1x2x16x8xf32>
  }
}
