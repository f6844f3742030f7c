// mote-serialize-conv2d: a convolution whose input, output or weight exceeds max_tensor_bytes (counted
// in the target's activation type) becomes the fewest slices that fit, concatenated, with the factor and
// the sizes that forced it on the concat; one that fits, has no limit, or fits at no factor is left alone.
// RUN: mote-opt %s --split-input-file --mote-serialize-conv2d | FileCheck %s

// Output 8x16x16 f32 = 8192 bytes: two halves of 8 rows, each reading 9 input rows (the halo), with the
// conv's own top pad on the first slice only and bottom pad on the last only.
// CHECK-LABEL: func.func @height_with_padding
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x16x16xf32>, %[[W:.*]]: tensor<8x4x3x3xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[X0:.*]] = mote.slice %[[X]] {limits = array<i64: 1, 4, 9, 16>, starts = array<i64: 0, 0, 0, 0>, steps = array<i64: 1, 1, 1, 1>}
// CHECK: %[[Y0:.*]] = mote.conv %[[X0]], %[[W]], %[[B]] {{{.*}}pads = array<i64: 1, 1, 0, 1>{{.*}}} : {{.*}} -> tensor<1x8x8x16xf32>
// CHECK: %[[X1:.*]] = mote.slice %[[X]] {limits = array<i64: 1, 4, 16, 16>, starts = array<i64: 0, 0, 7, 0>, steps = array<i64: 1, 1, 1, 1>}
// CHECK: %[[Y1:.*]] = mote.conv %[[X1]], %[[W]], %[[B]] {{{.*}}pads = array<i64: 0, 1, 1, 1>{{.*}}} : {{.*}} -> tensor<1x8x8x16xf32>
// CHECK: %[[Y:.*]] = mote.concat %[[Y0]], %[[Y1]] {axis = 2 : i64, mote.serialization = {axis = "height", factor = 2 : i64, input_bytes = 4096 : i64, limit = 4096 : i64, output_bytes = 8192 : i64, weight_bytes = 1152 : i64}} : {{.*}} -> tensor<1x8x16x16xf32>
// CHECK-NOT: mote.conv
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", max_tensor_bytes = 4096, activation_type = f32>} {
  func.func @height_with_padding(%x: tensor<1x4x16x16xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x16x16xf32> {
    %y = mote.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x16x16xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
    return %y : tensor<1x8x16x16xf32>
  }
}

// -----

// Stride 2: the input (8448 bytes) is what is too big. Two slices of 9 and 8 output rows would read 18
// rows (4608 bytes); three slices of 6, 6 and 5 rows read rows [0,12), [11,24) and [23,33).
// CHECK-LABEL: func.func @height_stride_2
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x33x32xf32>
// CHECK: %[[X0:.*]] = mote.slice %[[X]] {limits = array<i64: 1, 2, 12, 32>, starts = array<i64: 0, 0, 0, 0>
// CHECK: %[[Y0:.*]] = mote.conv %[[X0]], {{.*}}pads = array<i64: 1, 1, 0, 1>, strides = array<i64: 2, 2>{{.*}} -> tensor<1x4x6x16xf32>
// CHECK: %[[X1:.*]] = mote.slice %[[X]] {limits = array<i64: 1, 2, 24, 32>, starts = array<i64: 0, 0, 11, 0>
// CHECK: %[[Y1:.*]] = mote.conv %[[X1]], {{.*}}pads = array<i64: 0, 1, 0, 1>, strides = array<i64: 2, 2>{{.*}} -> tensor<1x4x6x16xf32>
// CHECK: %[[X2:.*]] = mote.slice %[[X]] {limits = array<i64: 1, 2, 33, 32>, starts = array<i64: 0, 0, 23, 0>
// CHECK: %[[Y2:.*]] = mote.conv %[[X2]], {{.*}}pads = array<i64: 0, 1, 1, 1>, strides = array<i64: 2, 2>{{.*}} -> tensor<1x4x5x16xf32>
// CHECK: mote.concat %[[Y0]], %[[Y1]], %[[Y2]] {axis = 2 : i64, mote.serialization = {axis = "height", factor = 3 : i64, input_bytes = 8448 : i64, limit = 4096 : i64, output_bytes = 4352 : i64, weight_bytes = 288 : i64}} : {{.*}} -> tensor<1x4x17x16xf32>
module attributes {mote.target = #mote.target<name = "t", max_tensor_bytes = 4096, activation_type = f32>} {
  func.func @height_stride_2(%x: tensor<1x2x33x32xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x17x16xf32> {
    %y = mote.conv %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x33x32xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x17x16xf32>
    return %y : tensor<1x4x17x16xf32>
  }
}

// -----

// Dilation 2 widens the halo to 5 rows: the halves read rows [0,14) and [10,24), padded by 2 at the
// real border only.
// CHECK-LABEL: func.func @height_dilation_2
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x24x24xf32>
// CHECK: %[[X0:.*]] = mote.slice %[[X]] {limits = array<i64: 1, 2, 14, 24>, starts = array<i64: 0, 0, 0, 0>
// CHECK: %[[Y0:.*]] = mote.conv %[[X0]], {{.*}}dilations = array<i64: 2, 2>{{.*}}pads = array<i64: 2, 2, 0, 2>{{.*}} -> tensor<1x2x12x24xf32>
// CHECK: %[[X1:.*]] = mote.slice %[[X]] {limits = array<i64: 1, 2, 24, 24>, starts = array<i64: 0, 0, 10, 0>
// CHECK: %[[Y1:.*]] = mote.conv %[[X1]], {{.*}}dilations = array<i64: 2, 2>{{.*}}pads = array<i64: 0, 2, 2, 2>{{.*}} -> tensor<1x2x12x24xf32>
// CHECK: mote.concat %[[Y0]], %[[Y1]] {axis = 2 : i64, mote.serialization = {axis = "height", factor = 2 : i64
module attributes {mote.target = #mote.target<name = "t", max_tensor_bytes = 4096, activation_type = f32>} {
  func.func @height_dilation_2(%x: tensor<1x2x24x24xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<1x2x24x24xf32> {
    %y = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 2, 2, 2, 2>, dilations = array<i64: 2, 2>, group = 1 : i64} : (tensor<1x2x24x24xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x24x24xf32>
    return %y : tensor<1x2x24x24xf32>
  }
}

// -----

// The weight (14x16x3x3 f32 = 8064 bytes) is what is too big, which rows cannot help: two slices of
// 7 output channels, each with its part of the weight and bias, joined on the channel axis.
// CHECK-LABEL: func.func @channels_for_weight
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x2x2xf32>, %[[W:.*]]: tensor<14x16x3x3xf32>, %[[B:.*]]: tensor<14xf32>)
// CHECK: %[[W0:.*]] = mote.slice %[[W]] {limits = array<i64: 7, 16, 3, 3>, starts = array<i64: 0, 0, 0, 0>
// CHECK: %[[B0:.*]] = mote.slice %[[B]] {limits = array<i64: 7>, starts = array<i64: 0>
// CHECK: %[[Y0:.*]] = mote.conv %[[X]], %[[W0]], %[[B0]] {{{.*}}pads = array<i64: 1, 1, 1, 1>{{.*}} -> tensor<1x7x2x2xf32>
// CHECK: %[[W1:.*]] = mote.slice %[[W]] {limits = array<i64: 14, 16, 3, 3>, starts = array<i64: 7, 0, 0, 0>
// CHECK: %[[B1:.*]] = mote.slice %[[B]] {limits = array<i64: 14>, starts = array<i64: 7>
// CHECK: %[[Y1:.*]] = mote.conv %[[X]], %[[W1]], %[[B1]] {{.*}} -> tensor<1x7x2x2xf32>
// CHECK: %[[Y:.*]] = mote.concat %[[Y0]], %[[Y1]] {axis = 1 : i64, mote.serialization = {axis = "channels", factor = 2 : i64, input_bytes = 256 : i64, limit = 4096 : i64, output_bytes = 224 : i64, weight_bytes = 8064 : i64}} : {{.*}} -> tensor<1x14x2x2xf32>
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", max_tensor_bytes = 4096, activation_type = f32>} {
  func.func @channels_for_weight(%x: tensor<1x16x2x2xf32>, %w: tensor<14x16x3x3xf32>, %b: tensor<14xf32>) -> tensor<1x14x2x2xf32> {
    %y = mote.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x2x2xf32>, tensor<14x16x3x3xf32>, tensor<14xf32>) -> tensor<1x14x2x2xf32>
    return %y : tensor<1x14x2x2xf32>
  }
}

// -----

// A depthwise convolution with one output row: only channel slices help, and they take whole groups
// (2 of the 4), each reading its groups' input channels.
// CHECK-LABEL: func.func @channels_grouped
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x3x128xf32>, %[[W:.*]]: tensor<4x1x3x3xf32>)
// CHECK: %[[X0:.*]] = mote.slice %[[X]] {limits = array<i64: 1, 2, 3, 128>, starts = array<i64: 0, 0, 0, 0>
// CHECK: %[[W0:.*]] = mote.slice %[[W]] {limits = array<i64: 2, 1, 3, 3>, starts = array<i64: 0, 0, 0, 0>
// CHECK: %[[Y0:.*]] = mote.conv %[[X0]], %[[W0]] {{{.*}}group = 2 : i64{{.*}} -> tensor<1x2x1x126xf32>
// CHECK: %[[X1:.*]] = mote.slice %[[X]] {limits = array<i64: 1, 4, 3, 128>, starts = array<i64: 0, 2, 0, 0>
// CHECK: %[[W1:.*]] = mote.slice %[[W]] {limits = array<i64: 4, 1, 3, 3>, starts = array<i64: 2, 0, 0, 0>
// CHECK: %[[Y1:.*]] = mote.conv %[[X1]], %[[W1]] {{{.*}}group = 2 : i64{{.*}} -> tensor<1x2x1x126xf32>
// CHECK: mote.concat %[[Y0]], %[[Y1]] {axis = 1 : i64, mote.serialization = {axis = "channels", factor = 2 : i64, input_bytes = 6144 : i64
module attributes {mote.target = #mote.target<name = "t", max_tensor_bytes = 4096, activation_type = f32>} {
  func.func @channels_grouped(%x: tensor<1x4x3x128xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x1x126xf32> {
    %y = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 4 : i64} : (tensor<1x4x3x128xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x1x126xf32>
    return %y : tensor<1x4x1x126xf32>
  }
}

// -----

// Neither axis alone fits a fully connected layer as a 1x1 conv (f16: input 8192 bytes, too big for
// channel slices; weight 8192, too big for row slices): two channel slices, each cut again into two
// row slices when the pass meets it, each level with its own record.
// CHECK-LABEL: func.func @two_levels
// CHECK-SAME: (%[[X:.*]]: tensor<2x128x16x1xf32>, %[[W:.*]]: tensor<32x128x1x1xf32>, %[[B:.*]]: tensor<32xf32>)
// CHECK: %[[W0:.*]] = mote.slice %[[W]] {limits = array<i64: 16, 128, 1, 1>, starts = array<i64: 0, 0, 0, 0>
// CHECK: %[[B0:.*]] = mote.slice %[[B]] {limits = array<i64: 16>, starts = array<i64: 0>
// CHECK: %[[X00:.*]] = mote.slice %[[X]] {limits = array<i64: 2, 128, 8, 1>, starts = array<i64: 0, 0, 0, 0>
// CHECK: %[[Y00:.*]] = mote.conv %[[X00]], %[[W0]], %[[B0]] {{.*}} -> tensor<2x16x8x1xf32>
// CHECK: %[[X01:.*]] = mote.slice %[[X]] {limits = array<i64: 2, 128, 16, 1>, starts = array<i64: 0, 0, 8, 0>
// CHECK: %[[Y01:.*]] = mote.conv %[[X01]], %[[W0]], %[[B0]] {{.*}} -> tensor<2x16x8x1xf32>
// CHECK: %[[Y0:.*]] = mote.concat %[[Y00]], %[[Y01]] {axis = 2 : i64, mote.serialization = {axis = "height", factor = 2 : i64, input_bytes = 8192 : i64, limit = 4096 : i64, output_bytes = 1024 : i64, weight_bytes = 4096 : i64}}
// CHECK: %[[W1:.*]] = mote.slice %[[W]] {limits = array<i64: 32, 128, 1, 1>, starts = array<i64: 16, 0, 0, 0>
// CHECK: %[[Y1:.*]] = mote.concat {{.*}} {axis = 2 : i64, mote.serialization = {axis = "height", factor = 2 : i64
// CHECK: %[[Y:.*]] = mote.concat %[[Y0]], %[[Y1]] {axis = 1 : i64, mote.serialization = {axis = "channels", factor = 2 : i64, input_bytes = 8192 : i64, limit = 4096 : i64, output_bytes = 2048 : i64, weight_bytes = 8192 : i64}} : {{.*}} -> tensor<2x32x16x1xf32>
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", max_tensor_bytes = 4096, activation_type = f16>} {
  func.func @two_levels(%x: tensor<2x128x16x1xf32>, %w: tensor<32x128x1x1xf32>, %b: tensor<32xf32>) -> tensor<2x32x16x1xf32> {
    %y = mote.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<2x128x16x1xf32>, tensor<32x128x1x1xf32>, tensor<32xf32>) -> tensor<2x32x16x1xf32>
    return %y : tensor<2x32x16x1xf32>
  }
}

// -----

// Input and output exactly 4096 bytes: a fit, not a split.
// CHECK-LABEL: func.func @exact_fit
// CHECK-NOT: mote.slice
// CHECK: mote.conv
// CHECK-NOT: mote.concat
module attributes {mote.target = #mote.target<name = "t", max_tensor_bytes = 4096, activation_type = f32>} {
  func.func @exact_fit(%x: tensor<1x4x16x16xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x16x16xf32> {
    %y = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x16x16xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x16x16xf32>
    return %y : tensor<1x4x16x16xf32>
  }
}

// -----

// Sizes are counted in the target's activation type: the 8192-byte f32 output is 4096 bytes in f16.
// CHECK-LABEL: func.func @counted_in_activation_type
// CHECK-NOT: mote.slice
// CHECK: mote.conv
// CHECK-NOT: mote.concat
module attributes {mote.target = #mote.target<name = "t", max_tensor_bytes = 4096, activation_type = f16>} {
  func.func @counted_in_activation_type(%x: tensor<1x4x16x16xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x16x16xf32> {
    %y = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x16x16xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x16x16xf32>
    return %y : tensor<1x8x16x16xf32>
  }
}

// -----

// No target: no limit.
// CHECK-LABEL: func.func @no_target
// CHECK-NOT: mote.slice
// CHECK: mote.conv
// CHECK-NOT: mote.concat
func.func @no_target(%x: tensor<1x64x64x64xf32>, %w: tensor<64x64x3x3xf32>) -> tensor<1x64x64x64xf32> {
  %y = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x64x64xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x64x64xf32>
  return %y : tensor<1x64x64x64xf32>
}

// -----

// max_tensor_bytes = 0 means no limit.
// CHECK-LABEL: func.func @limit_0
// CHECK-NOT: mote.slice
// CHECK: mote.conv
// CHECK-NOT: mote.concat
module attributes {mote.target = #mote.target<name = "t", max_tensor_bytes = 0, activation_type = f32>} {
  func.func @limit_0(%x: tensor<1x64x64x64xf32>, %w: tensor<64x64x3x3xf32>) -> tensor<1x64x64x64xf32> {
    %y = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x64x64xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x64x64xf32>
    return %y : tensor<1x64x64x64xf32>
  }
}

// -----

// One output row reads 3 input rows of 8x64 f32 = 6144 bytes, and every channel slice reads the whole
// 16384-byte input, so even channel slices cut again into rows do not fit: the conv stays for
// mote-check-legality to report.
// CHECK-LABEL: func.func @impossible
// CHECK-NOT: mote.slice
// CHECK: mote.conv {{.*}} -> tensor<1x8x8x64xf32>
// CHECK-NOT: mote.concat
module attributes {mote.target = #mote.target<name = "t", max_tensor_bytes = 4096, activation_type = f32>} {
  func.func @impossible(%x: tensor<1x8x8x64xf32>, %w: tensor<8x8x3x3xf32>) -> tensor<1x8x8x64xf32> {
    %y = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x8x64xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x8x64xf32>
    return %y : tensor<1x8x8x64xf32>
  }
}

// -----

// A grouped convolution whose slices would have to cut inside a group is left alone too: each of the 2
// groups reads 8192 bytes of input (32 channels x 64), which only a cut inside the group could shrink.
// CHECK-LABEL: func.func @grouped_cannot_align
// CHECK-NOT: mote.slice
// CHECK: mote.conv
// CHECK-NOT: mote.concat
module attributes {mote.target = #mote.target<name = "t", max_tensor_bytes = 4096, activation_type = f32>} {
  func.func @grouped_cannot_align(%x: tensor<1x64x1x64xf32>, %w: tensor<64x32x1x1xf32>) -> tensor<1x64x1x64xf32> {
    %y = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x64x1x64xf32>, tensor<64x32x1x1xf32>) -> tensor<1x64x1x64xf32>
    return %y : tensor<1x64x1x64xf32>
  }
}
