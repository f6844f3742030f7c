// RUN: mote-opt %s -split-input-file -mote-fold-linear-scale | FileCheck %s

// CLIP's query projection times 1/sqrt(D) = 0.25: the convolution's weight and bias scaled instead (0.5 *
// 0.25 = 0.125 = 0x3E000000, 2 * 0.25 = 0.5 = 0x3F000000), and a matmul with its bias add likewise (4 * 0.25 =
// 1 = 0x3F800000, -8 * 0.25 = -2 = 0xC0000000), the scale on either side of the mul.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue"]>} {
// CHECK-LABEL: func.func @scaled
func.func @scaled(%x: tensor<1x2x1x3xf32>, %y: tensor<1x2x3xf32>) -> (tensor<1x2x1x2xf32>, tensor<1x2x4xf32>) {
  // CHECK-DAG: %[[W:.*]] = mote.constant dense_resource<[[WN:scaled_weight[_0-9]*]]> : tensor<2x3x1x1xf32>
  // CHECK-DAG: %[[B:.*]] = mote.constant dense_resource<[[BN:scaled_weight[_0-9]*]]> : tensor<2xf32>
  // CHECK-DAG: %[[MW:.*]] = mote.constant dense_resource<[[MWN:scaled_weight[_0-9]*]]> : tensor<3x4xf32>
  // CHECK-DAG: %[[MB:.*]] = mote.constant dense_resource<[[MBN:scaled_weight[_0-9]*]]> : tensor<4xf32>
  // CHECK: %[[C:.*]] = mote.conv %arg0, %[[W]], %[[B]]
  // CHECK-NEXT: %[[M:.*]] = mote.matmul %arg1, %[[MW]]
  // CHECK-NEXT: %[[A:.*]] = mote.add %[[M]], %[[MB]]
  // CHECK-NEXT: return %[[C]], %[[A]]
  // CHECK-DAG: [[WN]]: "0x040000000000003E0000003E0000003E0000003E0000003E0000003E"
  // CHECK-DAG: [[BN]]: "0x040000000000003F0000003F"
  // CHECK-DAG: [[MWN]]: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F"
  // CHECK-DAG: [[MBN]]: "0x04000000000000C0000000C0000000C0000000C0"
  %w = mote.constant dense<0.5> : tensor<2x3x1x1xf32>
  %b = mote.constant dense<2.0> : tensor<2xf32>
  %s = mote.constant dense<0.25> : tensor<f32>
  %0 = mote.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x2x1x3xf32>, tensor<2x3x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x2xf32>
  %1 = mote.mul %0, %s : (tensor<1x2x1x2xf32>, tensor<f32>) -> tensor<1x2x1x2xf32>
  %mw = mote.constant dense<4.0> : tensor<3x4xf32>
  %mb = mote.constant dense<-8.0> : tensor<4xf32>
  %2 = mote.matmul %y, %mw : (tensor<1x2x3xf32>, tensor<3x4xf32>) -> tensor<1x2x4xf32>
  %3 = mote.add %2, %mb : (tensor<1x2x4xf32>, tensor<4xf32>) -> tensor<1x2x4xf32>
  %s2 = mote.constant dense<0.25> : tensor<1xf32>
  %4 = mote.mul %s2, %3 : (tensor<1xf32>, tensor<1x2x4xf32>) -> tensor<1x2x4xf32>
  return %1, %4 : tensor<1x2x1x2xf32>, tensor<1x2x4xf32>
}
}

// -----

// What stays: a weight another op also reads, a product the mul does not alone read, and a scale of more
// than one element.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue"]>} {
// CHECK-LABEL: func.func @stays
func.func @stays(%y: tensor<1x2x3xf32>) -> (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>) {
  // CHECK-COUNT-3: mote.mul
  // CHECK-NOT: scaled_weight
  %w = mote.constant dense<4.0> : tensor<3x2xf32>
  %s = mote.constant dense<0.25> : tensor<f32>
  %0 = mote.matmul %y, %w : (tensor<1x2x3xf32>, tensor<3x2xf32>) -> tensor<1x2x2xf32>
  %1 = mote.mul %0, %s : (tensor<1x2x2xf32>, tensor<f32>) -> tensor<1x2x2xf32>
  %2 = mote.matmul %y, %w : (tensor<1x2x3xf32>, tensor<3x2xf32>) -> tensor<1x2x2xf32>
  %w2 = mote.constant dense<3.0> : tensor<3x2xf32>
  %3 = mote.matmul %y, %w2 : (tensor<1x2x3xf32>, tensor<3x2xf32>) -> tensor<1x2x2xf32>
  %4 = mote.mul %3, %s : (tensor<1x2x2xf32>, tensor<f32>) -> tensor<1x2x2xf32>
  %w3 = mote.constant dense<5.0> : tensor<3x2xf32>
  %5 = mote.matmul %y, %w3 : (tensor<1x2x3xf32>, tensor<3x2xf32>) -> tensor<1x2x2xf32>
  %v = mote.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %6 = mote.mul %5, %v : (tensor<1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
  return %1, %2, %6, %3, %4 : tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>
}
}
