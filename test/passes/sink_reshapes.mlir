// RUN: mote-opt %s -split-input-file -mote-sink-reshapes | FileCheck %s

// A linear layer after FC -> Conv2D: [1, 5, 6] -> [1, 5, 1, 6] in, the reverse out. The residual add and
// the GELU after the output reshape move above it (the residual, of the result's shape, reshaped to the
// convolution's; a per-channel vector kept as it is), the reshape ends the chain, and the layer norm the
// input reshape reads moves below that reshape: each op now reads the linear op directly.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue", "norm_prologue_conv"]>} {
// CHECK-LABEL: func.func @fc_as_conv
func.func @fc_as_conv(%x: tensor<1x5x6xf32>, %s: tensor<6xf32>, %res: tensor<1x5x7xf32>, %c: tensor<7xf32>) -> tensor<1x5x7xf32> {
  // CHECK: %[[X:.*]] = mote.reshape %arg0 : (tensor<1x5x6xf32>) -> tensor<1x5x1x6xf32>
  // CHECK-NEXT: %[[N:.*]] = mote.layer_norm %[[X]], %arg1 {axis = 3 : i64, {{.*}}} : (tensor<1x5x1x6xf32>, tensor<6xf32>) -> tensor<1x5x1x6xf32>
  // CHECK-NEXT: %[[C:.*]] = mote.conv %[[N]]
  // CHECK-NEXT: %[[R:.*]] = mote.reshape %arg2 : (tensor<1x5x7xf32>) -> tensor<1x5x1x7xf32>
  // CHECK-NEXT: %[[A:.*]] = mote.add %[[C]], %[[R]] : (tensor<1x5x1x7xf32>, tensor<1x5x1x7xf32>) -> tensor<1x5x1x7xf32>
  // CHECK-NEXT: %[[M:.*]] = mote.mul %[[A]], %arg3 : (tensor<1x5x1x7xf32>, tensor<7xf32>) -> tensor<1x5x1x7xf32>
  // CHECK-NEXT: %[[G:.*]] = mote.gelu %[[M]] {{.*}}: tensor<1x5x1x7xf32>
  // CHECK-NEXT: %[[O:.*]] = mote.reshape %[[G]] : (tensor<1x5x1x7xf32>) -> tensor<1x5x7xf32>
  // CHECK-NEXT: return %[[O]]
  %w = mote.constant dense<0.5> : tensor<7x6x1x1xf32>
  %n = mote.layer_norm %x, %s {axis = 2 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x5x6xf32>, tensor<6xf32>) -> tensor<1x5x6xf32>
  %0 = mote.reshape %n : (tensor<1x5x6xf32>) -> tensor<1x5x1x6xf32>
  %1 = mote.conv %0, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x5x1x6xf32>, tensor<7x6x1x1xf32>) -> tensor<1x5x1x7xf32>
  %2 = mote.reshape %1 : (tensor<1x5x1x7xf32>) -> tensor<1x5x7xf32>
  %3 = mote.add %2, %res : (tensor<1x5x7xf32>, tensor<1x5x7xf32>) -> tensor<1x5x7xf32>
  %4 = mote.mul %3, %c : (tensor<1x5x7xf32>, tensor<7xf32>) -> tensor<1x5x7xf32>
  %5 = mote.gelu %4 : tensor<1x5x7xf32>
  return %5 : tensor<1x5x7xf32>
}
}

// -----

// What stays: a reshape of something other than a linear op, a reshape whose input something else also
// reads, an operand that broadcasts differently onto the two shapes, and (without norm_prologue or
// norm_prologue_conv) the norm.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue"]>} {
// CHECK-LABEL: func.func @stays
func.func @stays(%x: tensor<1x5x6xf32>, %s: tensor<6xf32>, %v: tensor<5x1xf32>) -> (tensor<1x5x7xf32>, tensor<1x5x1x6xf32>, tensor<1x5x7xf32>, tensor<1x5x1x7xf32>, tensor<1x5x7xf32>) {
  // CHECK: %[[N:.*]] = mote.layer_norm %arg0
  // CHECK-NEXT: mote.reshape %[[N]]
  // CHECK: mote.sigmoid %{{.*}} : tensor<1x5x6xf32>
  // CHECK: %[[R2:.*]] = mote.reshape %{{.*}} : (tensor<1x5x1x7xf32>) -> tensor<1x5x7xf32>
  // CHECK-NEXT: mote.relu %[[R2]] : tensor<1x5x7xf32>
  // CHECK: %[[R3:.*]] = mote.reshape %{{.*}} : (tensor<1x5x1x7xf32>) -> tensor<1x5x7xf32>
  // CHECK-NEXT: mote.add %[[R3]], %arg2 : (tensor<1x5x7xf32>, tensor<5x1xf32>) -> tensor<1x5x7xf32>
  %w = mote.constant dense<0.5> : tensor<7x6x1x1xf32>
  %n = mote.layer_norm %x, %s {axis = 2 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x5x6xf32>, tensor<6xf32>) -> tensor<1x5x6xf32>
  %0 = mote.reshape %n : (tensor<1x5x6xf32>) -> tensor<1x5x1x6xf32>
  %1 = mote.conv %0, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x5x1x6xf32>, tensor<7x6x1x1xf32>) -> tensor<1x5x1x7xf32>
  %t = mote.reshape %0 : (tensor<1x5x1x6xf32>) -> tensor<1x5x6xf32>
  %sig = mote.sigmoid %t : tensor<1x5x6xf32>
  %z = mote.constant dense<0.0> : tensor<1x5x6xf32>
  %u = mote.add %sig, %z : (tensor<1x5x6xf32>, tensor<1x5x6xf32>) -> tensor<1x5x6xf32>
  %2 = mote.reshape %1 : (tensor<1x5x1x7xf32>) -> tensor<1x5x7xf32>
  %3 = mote.relu %2 : tensor<1x5x7xf32>
  %w2 = mote.constant dense<0.25> : tensor<7x6x1x1xf32>
  %4 = mote.conv %0, %w2 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x5x1x6xf32>, tensor<7x6x1x1xf32>) -> tensor<1x5x1x7xf32>
  %5 = mote.reshape %4 : (tensor<1x5x1x7xf32>) -> tensor<1x5x7xf32>
  %6 = mote.add %5, %v : (tensor<1x5x7xf32>, tensor<5x1xf32>) -> tensor<1x5x7xf32>
  %u4 = mote.reshape %u : (tensor<1x5x6xf32>) -> tensor<1x5x1x6xf32>
  return %3, %u4, %6, %1, %5 : tensor<1x5x7xf32>, tensor<1x5x1x6xf32>, tensor<1x5x7xf32>, tensor<1x5x1x7xf32>, tensor<1x5x7xf32>
}
}

// -----

// GEGLU after FC -> Conv2D: the halves of the reshaped projection become halves of the convolution's own
// result, and the GELU and product then move above the reshape: the product reads the convolution's halves.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue"]>} {
// CHECK-LABEL: func.func @geglu
func.func @geglu(%x: tensor<1x5x1x6xf32>) -> tensor<1x5x4xf32> {
  // CHECK: %[[C:.*]] = mote.conv %arg0
  // CHECK-NEXT: %[[A:.*]] = mote.slice %[[C]] {limits = array<i64: 1, 5, 1, 4>, starts = array<i64: 0, 0, 0, 0>
  // CHECK-NEXT: %[[B:.*]] = mote.slice %[[C]] {limits = array<i64: 1, 5, 1, 8>, starts = array<i64: 0, 0, 0, 4>
  // CHECK-NEXT: %[[G:.*]] = mote.gelu %[[B]] {{.*}}: tensor<1x5x1x4xf32>
  // CHECK-NEXT: %[[M:.*]] = mote.mul %[[A]], %[[G]] : (tensor<1x5x1x4xf32>, tensor<1x5x1x4xf32>) -> tensor<1x5x1x4xf32>
  // CHECK-NEXT: %[[O:.*]] = mote.reshape %[[M]] : (tensor<1x5x1x4xf32>) -> tensor<1x5x4xf32>
  // CHECK-NEXT: return %[[O]]
  %w = mote.constant dense<0.5> : tensor<8x6x1x1xf32>
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x5x1x6xf32>, tensor<8x6x1x1xf32>) -> tensor<1x5x1x8xf32>
  %1 = mote.reshape %0 : (tensor<1x5x1x8xf32>) -> tensor<1x5x8xf32>
  %h0 = mote.slice %1 {starts = array<i64: 0, 0, 0>, limits = array<i64: 1, 5, 4>, steps = array<i64: 1, 1, 1>} : (tensor<1x5x8xf32>) -> tensor<1x5x4xf32>
  %h1 = mote.slice %1 {starts = array<i64: 0, 0, 4>, limits = array<i64: 1, 5, 8>, steps = array<i64: 1, 1, 1>} : (tensor<1x5x8xf32>) -> tensor<1x5x4xf32>
  %g = mote.gelu %h1 : tensor<1x5x4xf32>
  %2 = mote.mul %h0, %g : (tensor<1x5x4xf32>, tensor<1x5x4xf32>) -> tensor<1x5x4xf32>
  return %2 : tensor<1x5x4xf32>
}
}

// -----

// Two linear results meeting at an add: the add already follows one of them, so nothing moves (sinking
// either reshape would make the other the one to sink, forever). A constant of higher rank than the linear
// result stays out of the move too.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue"]>} {
// CHECK-LABEL: func.func @two_linears
func.func @two_linears(%x: tensor<1x5x1x6xf32>, %y: tensor<1x5x6xf32>, %g: tensor<5x6xf32>) -> (tensor<1x5x7xf32>, tensor<1x5x7xf32>) {
  // CHECK: %[[R:.*]] = mote.reshape %{{.*}} : (tensor<1x5x1x7xf32>) -> tensor<1x5x7xf32>
  // CHECK: mote.add %[[R]], %{{.*}} : (tensor<1x5x7xf32>, tensor<1x5x7xf32>) -> tensor<1x5x7xf32>
  // CHECK: %[[S:.*]] = mote.reshape %{{.*}} : (tensor<5x7xf32>) -> tensor<1x5x7xf32>
  // CHECK-NEXT: mote.mul %[[S]], %{{.*}} : (tensor<1x5x7xf32>, tensor<1x1x1xf32>) -> tensor<1x5x7xf32>
  %w = mote.constant dense<0.5> : tensor<7x6x1x1xf32>
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x5x1x6xf32>, tensor<7x6x1x1xf32>) -> tensor<1x5x1x7xf32>
  %1 = mote.reshape %0 : (tensor<1x5x1x7xf32>) -> tensor<1x5x7xf32>
  %m = mote.constant dense<0.25> : tensor<6x7xf32>
  %2 = mote.matmul %y, %m : (tensor<1x5x6xf32>, tensor<6x7xf32>) -> tensor<1x5x7xf32>
  %3 = mote.add %1, %2 : (tensor<1x5x7xf32>, tensor<1x5x7xf32>) -> tensor<1x5x7xf32>
  %m2 = mote.constant dense<0.125> : tensor<6x7xf32>
  %4 = mote.matmul %g, %m2 : (tensor<5x6xf32>, tensor<6x7xf32>) -> tensor<5x7xf32>
  %5 = mote.reshape %4 : (tensor<5x7xf32>) -> tensor<1x5x7xf32>
  %c = mote.constant dense<2.0> : tensor<1x1x1xf32>
  %6 = mote.mul %5, %c : (tensor<1x5x7xf32>, tensor<1x1x1xf32>) -> tensor<1x5x7xf32>
  return %3, %6 : tensor<1x5x7xf32>, tensor<1x5x7xf32>
}
}

// -----

// A fuzzer finding: a reshape of a rank-0 linear result (a dot product of vectors) read by a window, and a
// rank-0 norm input, have no last axis; nothing moves (this crashed on an empty shape; the whole-tensor
// window then folds away).
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue", "norm_prologue"]>} {
// CHECK-LABEL: func.func @rank0
func.func @rank0(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<1xf32> {
  // CHECK: %[[M:.*]] = mote.matmul %arg0, %arg1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  // CHECK-NEXT: %[[R:.*]] = mote.reshape %[[M]] : (tensor<f32>) -> tensor<1xf32>
  // CHECK-NEXT: return %[[R]]
  %m = mote.matmul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %r = mote.reshape %m : (tensor<f32>) -> tensor<1xf32>
  %s = mote.slice %r {starts = array<i64: 0>, limits = array<i64: 1>, steps = array<i64: 1>} : (tensor<1xf32>) -> tensor<1xf32>
  return %s : tensor<1xf32>
}
}
