// RUN: mote-opt %s --split-input-file --mote-check-legality -verify-diagnostics | FileCheck %s

// A module that fits its target passes unchanged.
// CHECK-LABEL: func.func @legal
module attributes {mote.target = #mote.target<name = "gpu", max_rank = 4, explicit_broadcast = false, fc_max_input_rank = 2, max_tensor_bytes = 1024, native = ["silu"], activation_type = f16>} {
  func.func @legal(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32> {
    %y = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
    %z = mote.silu %y : tensor<1x4x8x8xf32>
    return %z : tensor<1x4x8x8xf32>
  }
}

// -----

// Without a target there is nothing to check.
// CHECK-LABEL: func.func @no_target
func.func @no_target(%x: tensor<1x2x1x4x4xf32>) -> tensor<1x2x3x4x4xf32> {
  %y = mote.expand %x : (tensor<1x2x1x4x4xf32>) -> tensor<1x2x3x4x4xf32>
  return %y : tensor<1x2x3x4x4xf32>
}

// -----

// expected-error @+1 {{1 op(s) violate target 'gpu'}}
module attributes {mote.target = #mote.target<name = "gpu", max_rank = 4, activation_type = f32>} {
  func.func @rank(%x: tensor<1x2x3x4x5xf32>) -> tensor<1x2x3x4x5xf32> {
    // expected-error @+1 {{'mote.relu' violates target 'gpu': it has a value of rank 5 ('tensor<1x2x3x4x5xf32>'); max_rank is 4}}
    %y = mote.relu %x : tensor<1x2x3x4x5xf32>
    return %y : tensor<1x2x3x4x5xf32>
  }
}

// -----

// expected-error @+1 {{1 op(s) violate target 'gpu'}}
module attributes {mote.target = #mote.target<name = "gpu", explicit_broadcast = false, activation_type = f32>} {
  func.func @expand(%x: tensor<1x4xf32>) -> tensor<3x4xf32> {
    // expected-error @+1 {{'mote.expand' violates target 'gpu': it is an explicit broadcast; the target has no BroadcastTo (explicit_broadcast = false)}}
    %y = mote.expand %x : (tensor<1x4xf32>) -> tensor<3x4xf32>
    return %y : tensor<3x4xf32>
  }
}

// -----

// expected-error @+1 {{1 op(s) violate target 'gpu'}}
module attributes {mote.target = #mote.target<name = "gpu", implicit_broadcast = false, activation_type = f32>} {
  func.func @implicit(%x: tensor<2x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
    // expected-error @+1 {{'mote.add' violates target 'gpu': it broadcasts an operand of type 'tensor<4xf32>'; the target has implicit_broadcast = false}}
    %y = mote.add %x, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
    return %y : tensor<2x4xf32>
  }
}

// -----

// A matmul by a constant weight is a fully connected layer; by an activation (attention) it is not.
// expected-error @+1 {{1 op(s) violate target 'gpu'}}
module attributes {mote.target = #mote.target<name = "gpu", fc_max_input_rank = 2, activation_type = f32>} {
  func.func @fc(%x: tensor<1x8x4xf32>, %y: tensor<1x4x8xf32>) -> (tensor<1x8x2xf32>, tensor<1x8x8xf32>) {
    %w = mote.constant dense<1.0> : tensor<4x2xf32>
    // expected-error @+1 {{'mote.matmul' violates target 'gpu': it is a fully connected layer with an input of rank 3; fc_max_input_rank is 2}}
    %a = mote.matmul %x, %w : (tensor<1x8x4xf32>, tensor<4x2xf32>) -> tensor<1x8x2xf32>
    %b = mote.matmul %x, %y : (tensor<1x8x4xf32>, tensor<1x4x8xf32>) -> tensor<1x8x8xf32>
    return %a, %b : tensor<1x8x2xf32>, tensor<1x8x8xf32>
  }
}

// -----

// Convolution size counts float activations in the target's activation type (f16: 2 bytes).
// expected-error @+1 {{1 op(s) violate target 'gpu'}}
module attributes {mote.target = #mote.target<name = "gpu", max_tensor_bytes = 1024, activation_type = f16>} {
  func.func @conv(%x: tensor<1x4x16x16xf32>, %w: tensor<4x4x1x1xf32>) -> tensor<1x4x16x16xf32> {
    // expected-error @+1 {{'mote.conv' violates target 'gpu': it reads or writes 2048 bytes ('tensor<1x4x16x16xf32>'); max_tensor_bytes is 1024}}
    %y = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x16x16xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x16x16xf32>
    return %y : tensor<1x4x16x16xf32>
  }
}

// -----

// expected-error @+1 {{2 op(s) violate target 'gpu'}}
module attributes {mote.target = #mote.target<name = "gpu", native = ["gelu"], activation_type = f32>} {
  func.func @composites(%x: tensor<1x4x8x8xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
    // expected-error @+1 {{'mote.group_norm' violates target 'gpu': it is a composite the target has no kernel for (not in native)}}
    %y = mote.group_norm %x, %s, %b {num_groups = 2 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
    // expected-error @+1 {{'mote.silu' violates target 'gpu': it is a composite the target has no kernel for (not in native)}}
    %z = mote.silu %y : tensor<1x4x8x8xf32>
    %g = mote.gelu %z : tensor<1x4x8x8xf32>
    return %g : tensor<1x4x8x8xf32>
  }
}
