// RUN: mote-opt %s --mote-opencl-fold-weight-transposes | FileCheck %s

// A fully connected layer's weight, transposed for the 1x1 convolution it became, is folded into the
// transposed constant (1 2 / 3 4 / 5 6 -> 1 3 5 / 2 4 6); the transpose of an activation stays.
// CHECK-LABEL: func.func @fc
// CHECK: %[[W:.*]] = mote.constant dense_resource<transposed_weight> : tensor<2x3xf32>
// CHECK-NOT: mote.transpose %{{.*}} : (tensor<2x3xf32>)
// CHECK: mote.reshape %[[W]]
// CHECK: mote.transpose %arg0
// CHECK: transposed_weight: "0x400000000000803F000040400000A04000000040000080400000C040"
func.func @fc(%x: tensor<1x4x1x2xf32>) -> (tensor<1x4x1x3xf32>, tensor<1x2x1x4xf32>) {
  %w = mote.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %t = mote.transpose %w {perm = array<i64: 1, 0>} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  %r = mote.reshape %t : (tensor<2x3xf32>) -> tensor<3x2x1x1xf32>
  %y = mote.conv %x, %r {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x4x1x2xf32>, tensor<3x2x1x1xf32>) -> tensor<1x4x1x3xf32>
  %a = mote.transpose %x {perm = array<i64: 0, 3, 2, 1>} : (tensor<1x4x1x2xf32>) -> tensor<1x2x1x4xf32>
  return %y, %a : tensor<1x4x1x3xf32>, tensor<1x2x1x4xf32>
}
