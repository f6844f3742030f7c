// RUN: mote-opt %s -split-input-file -mote-split-group-norm | FileCheck %s
// RUN: mote-opt %s -split-input-file -mote-split-group-norm -mote-fuse-linear-epilogue | FileCheck %s --check-prefix=FUSED

// A VAE resnet block's middle (NHWC): conv -> group norm -> SiLU -> conv. The statistics go right after the
// producing convolution, the normalization and SiLU right before the reading one.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, layout = "NHWC", fusions = ["linear_epilogue", "group_norm_conv"]>} {
// CHECK-LABEL: func.func @resnet
func.func @resnet(%x: tensor<1x4x4x8xf32>, %w: tensor<8x8x3x3xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  // CHECK: %[[C1:.*]] = mote.conv %arg0
  // CHECK-NEXT: %[[ST:.*]] = mote.group_norm_stats %[[C1]] {channels_last = true, epsilon = 9.99999997E-7 : f32, num_groups = 2 : i64} : (tensor<1x4x4x8xf32>) -> tensor<1x2x2xf32>
  // CHECK-NEXT: %[[N:.*]] = mote.group_norm_apply %[[C1]], %[[ST]], %arg2, %arg3 {channels_last = true, num_groups = 2 : i64}
  // CHECK-NEXT: %[[A:.*]] = mote.silu %[[N]]
  // CHECK-NEXT: %[[C2:.*]] = mote.conv %[[A]], %arg1
  // CHECK-NOT: mote.group_norm
  %c1 = mote.conv %x, %w {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x4x4x8xf32>
  %n = mote.group_norm %c1, %s, %b {channels_last = true, num_groups = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %a = mote.silu %n : tensor<1x4x4x8xf32>
  %c2 = mote.conv %a, %w {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x4x4x8xf32>
  return %c2 : tensor<1x4x4x8xf32>
}
// After the epilogue fusion: the first convolution's region yields its result and the statistics; the
// second's reads the raw result and the statistics and starts with the normalization.
// FUSED-LABEL: func.func @resnet
// FUSED: %[[P:.*]]:2 = mote.fused "linear_epilogue"(%arg0, %arg1) : (tensor<1x4x4x8xf32>, tensor<8x8x3x3xf32>) -> (tensor<1x4x4x8xf32>, tensor<1x2x2xf32>)
// FUSED: mote.conv
// FUSED-NEXT: mote.group_norm_stats
// FUSED-NEXT: mote.yield
// FUSED: mote.fused "linear_epilogue"(%[[P]]#0, %[[P]]#1, %arg2, %arg3, %arg1) : (tensor<1x4x4x8xf32>, tensor<1x2x2xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x4x4x8xf32>
// FUSED-NEXT: ^bb0
// FUSED-NEXT: mote.group_norm_apply
// FUSED-NEXT: mote.silu
// FUSED-NEXT: mote.conv
// FUSED-NEXT: mote.yield
}

// -----

// An attention block's norm read by three 1x1 projections through a reshape keeping instances and channels:
// each projection gets its own normalization and reshape; the statistics read the value the norm's input
// reshape views (the output projection's residual sum).
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, layout = "NHWC", fusions = ["linear_epilogue", "group_norm_conv"]>} {
// CHECK-LABEL: func.func @projections
func.func @projections(%x: tensor<1x16x1x8xf32>, %w: tensor<8x8x1x1xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> (tensor<1x16x1x8xf32>, tensor<1x16x1x8xf32>) {
  // CHECK: %[[ST:.*]] = mote.group_norm_stats %arg0 {channels_last = true, {{.*}}} : (tensor<1x16x1x8xf32>) -> tensor<1x2x2xf32>
  // CHECK-NEXT: %[[X:.*]] = mote.reshape %arg0
  // CHECK-NEXT: %[[N1:.*]] = mote.group_norm_apply %[[X]], %[[ST]]
  // CHECK-NEXT: %[[R1:.*]] = mote.reshape %[[N1]] : (tensor<1x4x4x8xf32>) -> tensor<1x16x1x8xf32>
  // CHECK-NEXT: mote.conv %[[R1]]
  // CHECK-NEXT: %[[N2:.*]] = mote.group_norm_apply %[[X]], %[[ST]]
  // CHECK-NEXT: %[[R2:.*]] = mote.reshape %[[N2]]
  // CHECK-NEXT: mote.conv %[[R2]]
  %x4 = mote.reshape %x : (tensor<1x16x1x8xf32>) -> tensor<1x4x4x8xf32>
  %n = mote.group_norm %x4, %s, %b {channels_last = true, num_groups = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %r = mote.reshape %n : (tensor<1x4x4x8xf32>) -> tensor<1x16x1x8xf32>
  %q = mote.conv %r, %w {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x16x1x8xf32>, tensor<8x8x1x1xf32>) -> tensor<1x16x1x8xf32>
  %k = mote.conv %r, %w {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x16x1x8xf32>, tensor<8x8x1x1xf32>) -> tensor<1x16x1x8xf32>
  return %q, %k : tensor<1x16x1x8xf32>, tensor<1x16x1x8xf32>
}
}

// -----

// Kept whole: a norm something other than a convolution reads (here the function's result), a grouped
// convolution's input, and any norm when the target does not list group_norm_conv.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, layout = "NHWC", fusions = ["linear_epilogue", "group_norm_conv"]>} {
// CHECK-LABEL: func.func @kept
func.func @kept(%x: tensor<1x4x4x8xf32>, %w: tensor<8x8x3x3xf32>, %dw: tensor<8x1x3x3xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) {
  // CHECK-NOT: mote.group_norm_stats
  // CHECK: mote.group_norm %arg0
  // CHECK: mote.group_norm %arg0
  %n = mote.group_norm %x, %s, %b {channels_last = true, num_groups = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %c = mote.conv %n, %w {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x4x4x8xf32>
  %n2 = mote.group_norm %x, %s, %b {channels_last = true, num_groups = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %d = mote.conv %n2, %dw {channels_last = true, dilations = array<i64: 1, 1>, group = 8 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x4x4x8xf32>
  %sum = mote.add %c, %n : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %sum, %d : tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>
}
}

// -----

module attributes {mote.target = #mote.target<name = "t", activation_type = f32, layout = "NHWC", fusions = ["linear_epilogue"]>} {
// CHECK-LABEL: func.func @not_listed
func.func @not_listed(%x: tensor<1x4x4x8xf32>, %w: tensor<8x8x3x3xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  // CHECK: mote.group_norm %arg0
  %n = mote.group_norm %x, %s, %b {channels_last = true, num_groups = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %c = mote.conv %n, %w {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x4x4x8xf32>
  return %c : tensor<1x4x4x8xf32>
}
}

// -----

// Nor without linear_epilogue: the halves have kernels only inside convolutions' regions.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, layout = "NHWC", fusions = ["group_norm_conv"]>} {
// CHECK-LABEL: func.func @no_regions
func.func @no_regions(%x: tensor<1x4x4x8xf32>, %w: tensor<8x8x3x3xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  // CHECK: mote.group_norm %arg0
  %n = mote.group_norm %x, %s, %b {channels_last = true, num_groups = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %c = mote.conv %n, %w {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x4x4x8xf32>
  return %c : tensor<1x4x4x8xf32>
}
}

// -----

// A convolution whose result a gated product reads through its halves (slices) ends its region that way
// (gated_linear), so a norm it reads stays whole.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, layout = "NHWC", fusions = ["linear_epilogue", "group_norm_conv", "gated_linear"]>} {
// CHECK-LABEL: func.func @gated_reader
func.func @gated_reader(%x: tensor<1x4x4x8xf32>, %w: tensor<16x8x1x1xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  // CHECK-NOT: mote.group_norm_stats
  // CHECK: mote.group_norm %arg0
  %n = mote.group_norm %x, %s, %b {channels_last = true, num_groups = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %c = mote.conv %n, %w {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<16x8x1x1xf32>) -> tensor<1x4x4x16xf32>
  %a = mote.slice %c {starts = array<i64: 0, 0, 0, 0>, limits = array<i64: 1, 4, 4, 8>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x16xf32>) -> tensor<1x4x4x8xf32>
  %g = mote.slice %c {starts = array<i64: 0, 0, 0, 8>, limits = array<i64: 1, 4, 4, 16>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x16xf32>) -> tensor<1x4x4x8xf32>
  %p = mote.mul %a, %g : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %p : tensor<1x4x4x8xf32>
}
}
