// RUN: mote-opt %s -split-input-file -mote-fuse-linear-epilogue | FileCheck %s

// A linear layer by a weight, its bias, a residual add and ReLU: one region (the bias is a constant vector
// of the last dimension; the residual any value of the result's type).
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue"]>} {
// CHECK-LABEL: func.func @matmul_bias_residual_relu
func.func @matmul_bias_residual_relu(%x: tensor<2x5x6xf32>, %r: tensor<2x5x7xf32>) -> tensor<2x5x7xf32> {
  // CHECK: %[[F:.*]] = mote.fused "linear_epilogue"(%arg0, %{{.*}}, %{{.*}}, %arg1)
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.matmul
  // CHECK-NEXT: mote.add
  // CHECK-NEXT: mote.add
  // CHECK-NEXT: mote.relu
  // CHECK-NEXT: mote.yield
  // CHECK: return %[[F]]
  %w = mote.constant dense<0.5> : tensor<6x7xf32>
  %b = mote.constant dense<0.25> : tensor<7xf32>
  %0 = mote.matmul %x, %w : (tensor<2x5x6xf32>, tensor<6x7xf32>) -> tensor<2x5x7xf32>
  %1 = mote.add %b, %0 : (tensor<7xf32>, tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %2 = mote.add %1, %r : (tensor<2x5x7xf32>, tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %3 = mote.relu %2 : tensor<2x5x7xf32>
  return %3 : tensor<2x5x7xf32>
}
}

// -----

// What stays out: a matmul of two activations; a bias that is not a constant; a value read twice on the
// way (the region would have to store it); an add of a broadcast that is neither a bias nor a residual;
// a convolution keeps its own bias and takes only the residual and the clip.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue"]>} {
// CHECK-LABEL: func.func @limits
func.func @limits(%x: tensor<5x6xf32>, %y: tensor<6x7xf32>, %v: tensor<7xf32>, %c: tensor<5x1xf32>,
                  %img: tensor<1x4x4x3xf32>, %res: tensor<1x4x4x2xf32>)
    -> (tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<1x4x4x2xf32>) {
  %w = mote.constant dense<0.5> : tensor<6x7xf32>
  // CHECK: %[[A:.*]] = mote.matmul %arg0, %arg1
  // CHECK-NEXT: mote.add %[[A]], %arg2
  %0 = mote.matmul %x, %y : (tensor<5x6xf32>, tensor<6x7xf32>) -> tensor<5x7xf32>
  %1 = mote.add %0, %v : (tensor<5x7xf32>, tensor<7xf32>) -> tensor<5x7xf32>
  // CHECK: %[[B:.*]] = mote.matmul %arg0, %{{.*}}
  // CHECK-NEXT: mote.add %[[B]], %arg2
  %2 = mote.matmul %x, %w : (tensor<5x6xf32>, tensor<6x7xf32>) -> tensor<5x7xf32>
  %3 = mote.add %2, %v : (tensor<5x7xf32>, tensor<7xf32>) -> tensor<5x7xf32>
  // CHECK: %[[C:.*]] = mote.matmul %arg0, %{{.*}}
  // CHECK-NEXT: mote.relu %[[C]]
  %4 = mote.matmul %x, %w : (tensor<5x6xf32>, tensor<6x7xf32>) -> tensor<5x7xf32>
  %5 = mote.relu %4 : tensor<5x7xf32>
  %6 = mote.neg %4 : tensor<5x7xf32>
  // CHECK: %[[D:.*]] = mote.matmul %arg0, %{{.*}}
  // CHECK-NEXT: mote.add %[[D]], %arg3
  %7 = mote.matmul %x, %w : (tensor<5x6xf32>, tensor<6x7xf32>) -> tensor<5x7xf32>
  %8 = mote.add %7, %c : (tensor<5x7xf32>, tensor<5x1xf32>) -> tensor<5x7xf32>
  // CHECK: mote.fused "linear_epilogue"(%arg4, %{{.*}}, %{{.*}}, %arg5)
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.conv
  // CHECK-NEXT: mote.add
  // CHECK-NEXT: mote.clip
  // CHECK-NEXT: mote.yield
  %k = mote.constant dense<0.5> : tensor<2x3x1x1xf32>
  %kb = mote.constant dense<0.5> : tensor<2xf32>
  %9 = mote.conv %img, %k, %kb {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<2x3x1x1xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %10 = mote.add %9, %res : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %11 = mote.clip %10 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x4x4x2xf32>
  return %1, %3, %5, %6, %8, %11 : tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<1x4x4x2xf32>
}
}

// -----

// A layer norm (with bias) over the last axis feeding a linear layer alone leads its region, and an RMS
// norm leads a matmul with no epilogue at all: the GEMM normalizes rows as it packs them. The region reads
// the norm's input first and the weight second (where the target's kernel expects the packed weight).
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue", "norm_prologue"]>} {
// CHECK-LABEL: func.func @norm_prologue
func.func @norm_prologue(%x: tensor<1x5x6xf32>, %s: tensor<6xf32>, %nb: tensor<6xf32>) -> (tensor<1x5x7xf32>, tensor<1x5x7xf32>) {
  // CHECK: %[[W:.*]] = mote.constant dense<5.000000e-01> : tensor<6x7xf32>
  // CHECK: %[[F:.*]] = mote.fused "linear_epilogue"(%arg0, %[[W]], %arg1, %arg2, %{{.*}})
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.layer_norm
  // CHECK-NEXT: mote.matmul
  // CHECK-NEXT: mote.add
  // CHECK-NEXT: mote.yield
  // CHECK: %[[G:.*]] = mote.fused "linear_epilogue"(%arg0, %{{.*}}, %arg1)
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.rms_norm
  // CHECK-NEXT: mote.matmul
  // CHECK-NEXT: mote.yield
  // CHECK: return %[[F]], %[[G]]
  %w = mote.constant dense<0.5> : tensor<6x7xf32>
  %b = mote.constant dense<0.25> : tensor<7xf32>
  %n = mote.layer_norm %x, %s, %nb {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x5x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<1x5x6xf32>
  %0 = mote.matmul %n, %w : (tensor<1x5x6xf32>, tensor<6x7xf32>) -> tensor<1x5x7xf32>
  %1 = mote.add %0, %b : (tensor<1x5x7xf32>, tensor<7xf32>) -> tensor<1x5x7xf32>
  %w2 = mote.constant dense<2.0> : tensor<6x7xf32>
  %r = mote.rms_norm %x, %s {axis = 2 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x5x6xf32>, tensor<6xf32>) -> tensor<1x5x6xf32>
  %2 = mote.matmul %r, %w2 : (tensor<1x5x6xf32>, tensor<6x7xf32>) -> tensor<1x5x7xf32>
  return %1, %2 : tensor<1x5x7xf32>, tensor<1x5x7xf32>
}
}

// -----

// Norms that stay out: one whose result is also returned (it must be stored), and one over the last two
// axes (its rows are not the GEMM's rows). Their matmuls still take their bias adds.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue", "norm_prologue"]>} {
// CHECK-LABEL: func.func @norm_stays
func.func @norm_stays(%x: tensor<1x5x6xf32>, %s: tensor<6xf32>, %s2: tensor<5x6xf32>) -> (tensor<1x5x7xf32>, tensor<1x5x6xf32>, tensor<1x5x7xf32>) {
  // CHECK: %[[N:.*]] = mote.layer_norm
  // CHECK: mote.fused "linear_epilogue"(%[[N]]
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.matmul
  // CHECK: %[[M:.*]] = mote.layer_norm
  // CHECK: mote.fused "linear_epilogue"(%[[M]]
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.matmul
  %w = mote.constant dense<0.5> : tensor<6x7xf32>
  %b = mote.constant dense<0.25> : tensor<7xf32>
  %n = mote.layer_norm %x, %s {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x5x6xf32>, tensor<6xf32>) -> tensor<1x5x6xf32>
  %0 = mote.matmul %n, %w : (tensor<1x5x6xf32>, tensor<6x7xf32>) -> tensor<1x5x7xf32>
  %1 = mote.add %0, %b : (tensor<1x5x7xf32>, tensor<7xf32>) -> tensor<1x5x7xf32>
  %m = mote.layer_norm %x, %s2 {axis = 1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x5x6xf32>, tensor<5x6xf32>) -> tensor<1x5x6xf32>
  %2 = mote.matmul %m, %w : (tensor<1x5x6xf32>, tensor<6x7xf32>) -> tensor<1x5x7xf32>
  %3 = mote.add %2, %b : (tensor<1x5x7xf32>, tensor<7xf32>) -> tensor<1x5x7xf32>
  return %1, %n, %3 : tensor<1x5x7xf32>, tensor<1x5x6xf32>, tensor<1x5x7xf32>
}
}

// -----

// SiLU and GELU end a region like ReLU: after a linear layer's bias (GELU, tanh form) and after a
// convolution's residual (SiLU). A GELU whose input is also returned stays out.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue"]>} {
// CHECK-LABEL: func.func @gelu_silu
func.func @gelu_silu(%x: tensor<1x5x6xf32>, %img: tensor<1x4x4x3xf32>) -> (tensor<1x5x7xf32>, tensor<1x4x4x3xf32>, tensor<1x5x7xf32>, tensor<1x5x7xf32>) {
  // CHECK: mote.fused "linear_epilogue"
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.matmul
  // CHECK-NEXT: mote.add
  // CHECK-NEXT: mote.gelu
  // CHECK-NEXT: mote.yield
  // CHECK: mote.fused "linear_epilogue"
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.conv
  // CHECK-NEXT: mote.add
  // CHECK-NEXT: mote.silu
  // CHECK-NEXT: mote.yield
  // CHECK: %[[B:.*]] = mote.fused "linear_epilogue"
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.matmul
  // CHECK-NEXT: mote.add
  // CHECK-NEXT: mote.yield
  // CHECK: mote.gelu %[[B]]
  %w = mote.constant dense<0.5> : tensor<6x7xf32>
  %b = mote.constant dense<0.25> : tensor<7xf32>
  %0 = mote.matmul %x, %w : (tensor<1x5x6xf32>, tensor<6x7xf32>) -> tensor<1x5x7xf32>
  %1 = mote.add %0, %b : (tensor<1x5x7xf32>, tensor<7xf32>) -> tensor<1x5x7xf32>
  %2 = mote.gelu %1 {approximate = "tanh"} : tensor<1x5x7xf32>
  %cw = mote.constant dense<0.1> : tensor<3x3x3x3xf32>
  %c = mote.conv %img, %cw {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x4x4x3xf32>, tensor<3x3x3x3xf32>) -> tensor<1x4x4x3xf32>
  %r = mote.add %c, %img : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %s = mote.silu %r : tensor<1x4x4x3xf32>
  %w2 = mote.constant dense<2.0> : tensor<6x7xf32>
  %3 = mote.matmul %x, %w2 : (tensor<1x5x6xf32>, tensor<6x7xf32>) -> tensor<1x5x7xf32>
  %4 = mote.add %3, %b : (tensor<1x5x7xf32>, tensor<7xf32>) -> tensor<1x5x7xf32>
  %5 = mote.gelu %4 : tensor<1x5x7xf32>
  return %2, %s, %4, %5 : tensor<1x5x7xf32>, tensor<1x4x4x3xf32>, tensor<1x5x7xf32>, tensor<1x5x7xf32>
}
}

// -----

// Without `norm_prologue` in the target's fusions (NEON's f16 GEMM), the norm stays out of the region.
module attributes {mote.target = #mote.target<name = "t", activation_type = f16, fusions = ["linear_epilogue"]>} {
// CHECK-LABEL: func.func @no_norm_prologue
func.func @no_norm_prologue(%x: tensor<1x5x6xf32>, %s: tensor<6xf32>) -> tensor<1x5x7xf32> {
  // CHECK: %[[N:.*]] = mote.layer_norm
  // CHECK: mote.fused "linear_epilogue"(%[[N]]
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.matmul
  %w = mote.constant dense<0.5> : tensor<6x7xf32>
  %b = mote.constant dense<0.25> : tensor<7xf32>
  %n = mote.layer_norm %x, %s {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x5x6xf32>, tensor<6xf32>) -> tensor<1x5x6xf32>
  %0 = mote.matmul %n, %w : (tensor<1x5x6xf32>, tensor<6x7xf32>) -> tensor<1x5x7xf32>
  %1 = mote.add %0, %b : (tensor<1x5x7xf32>, tensor<7xf32>) -> tensor<1x5x7xf32>
  return %1 : tensor<1x5x7xf32>
}
}

// -----

// With `norm_prologue_conv`, an RMS norm over the channels leads a 1x1 channels-last convolution (a linear
// layer after FC -> Conv2D); the region reads the norm's input first and the weight second. A 3x3
// convolution, and a 1x1 one with a stride, read their norms as they are.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue", "norm_prologue_conv"]>} {
// CHECK-LABEL: func.func @norm_prologue_conv
func.func @norm_prologue_conv(%x: tensor<1x5x1x6xf32>, %s: tensor<6xf32>, %r: tensor<1x5x1x7xf32>) -> (tensor<1x5x1x7xf32>, tensor<1x5x1x7xf32>, tensor<1x3x1x7xf32>) {
  // CHECK: %[[W:.*]] = mote.constant dense<5.000000e-01> : tensor<7x6x1x1xf32>
  // CHECK: mote.fused "linear_epilogue"(%arg0, %[[W]], %arg1, %{{.*}}, %arg2)
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.rms_norm
  // CHECK-NEXT: mote.conv
  // CHECK-NEXT: mote.add
  // CHECK-NEXT: mote.yield
  // CHECK: %[[N2:.*]] = mote.rms_norm
  // CHECK: mote.fused "linear_epilogue"(%[[N2]]
  // CHECK: %[[N3:.*]] = mote.rms_norm
  // CHECK: mote.fused "linear_epilogue"(%[[N3]]
  %w = mote.constant dense<0.5> : tensor<7x6x1x1xf32>
  %b = mote.constant dense<0.25> : tensor<7xf32>
  %n = mote.rms_norm %x, %s {axis = 3 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x5x1x6xf32>, tensor<6xf32>) -> tensor<1x5x1x6xf32>
  %0 = mote.conv %n, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x5x1x6xf32>, tensor<7x6x1x1xf32>, tensor<7xf32>) -> tensor<1x5x1x7xf32>
  %1 = mote.add %0, %r : (tensor<1x5x1x7xf32>, tensor<1x5x1x7xf32>) -> tensor<1x5x1x7xf32>
  %w3 = mote.constant dense<0.5> : tensor<7x6x3x1xf32>
  %n2 = mote.rms_norm %x, %s {axis = 3 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x5x1x6xf32>, tensor<6xf32>) -> tensor<1x5x1x6xf32>
  %2 = mote.conv %n2, %w3, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 0, 1, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x5x1x6xf32>, tensor<7x6x3x1xf32>, tensor<7xf32>) -> tensor<1x5x1x7xf32>
  %3 = mote.add %2, %r : (tensor<1x5x1x7xf32>, tensor<1x5x1x7xf32>) -> tensor<1x5x1x7xf32>
  %w4 = mote.constant dense<0.5> : tensor<7x6x1x1xf32>
  %n3 = mote.rms_norm %x, %s {axis = 3 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x5x1x6xf32>, tensor<6xf32>) -> tensor<1x5x1x6xf32>
  %4 = mote.conv %n3, %w4, %b {strides = array<i64: 2, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x5x1x6xf32>, tensor<7x6x1x1xf32>, tensor<7xf32>) -> tensor<1x3x1x7xf32>
  %5 = mote.relu %4 : tensor<1x3x1x7xf32>
  return %1, %3, %5 : tensor<1x5x1x7xf32>, tensor<1x5x1x7xf32>, tensor<1x3x1x7xf32>
}
}

// -----

// `norm_prologue` alone (NEON: its GEMM, not its convolutions, normalizes rows) leaves a convolution's norm out.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue", "norm_prologue"]>} {
// CHECK-LABEL: func.func @conv_without_norm_prologue_conv
func.func @conv_without_norm_prologue_conv(%x: tensor<1x5x1x6xf32>, %s: tensor<6xf32>, %r: tensor<1x5x1x7xf32>) -> tensor<1x5x1x7xf32> {
  // CHECK: %[[N:.*]] = mote.rms_norm
  // CHECK: mote.fused "linear_epilogue"(%[[N]]
  %w = mote.constant dense<0.5> : tensor<7x6x1x1xf32>
  %n = mote.rms_norm %x, %s {axis = 3 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x5x1x6xf32>, tensor<6xf32>) -> tensor<1x5x1x6xf32>
  %0 = mote.conv %n, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x5x1x6xf32>, tensor<7x6x1x1xf32>) -> tensor<1x5x1x7xf32>
  %1 = mote.add %0, %r : (tensor<1x5x1x7xf32>, tensor<1x5x1x7xf32>) -> tensor<1x5x1x7xf32>
  return %1 : tensor<1x5x1x7xf32>
}
}

// -----

// `gated_linear`: a projection read only through its two halves, GELU of the second times the first (GEGLU),
// ends in that product; `linear_epilogue_broadcast`: a residual of one value per channel (a U-Net's time
// embedding) is added like one of the result's shape. Without those kinds, both stay out (next function).
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue", "gated_linear", "linear_epilogue_broadcast"]>} {
// CHECK-LABEL: func.func @gated_and_broadcast
func.func @gated_and_broadcast(%x: tensor<1x5x1x6xf32>, %img: tensor<1x4x4x3xf32>, %t: tensor<1x1x1x3xf32>) -> (tensor<1x5x1x4xf32>, tensor<1x4x4x3xf32>) {
  // CHECK: mote.fused "linear_epilogue"
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.conv
  // CHECK-NEXT: mote.slice
  // CHECK-NEXT: mote.slice
  // CHECK-NEXT: mote.gelu
  // CHECK-NEXT: mote.mul
  // CHECK-NEXT: mote.yield
  // CHECK: mote.fused "linear_epilogue"
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.conv
  // CHECK-NEXT: mote.add {{.*}} : (tensor<1x4x4x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x4x4x3xf32>
  // CHECK-NEXT: mote.silu
  // CHECK-NEXT: mote.yield
  %w = mote.constant dense<0.5> : tensor<8x6x1x1xf32>
  %b = mote.constant dense<0.25> : tensor<8xf32>
  %0 = mote.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x5x1x6xf32>, tensor<8x6x1x1xf32>, tensor<8xf32>) -> tensor<1x5x1x8xf32>
  %h0 = mote.slice %0 {starts = array<i64: 0, 0, 0, 0>, limits = array<i64: 1, 5, 1, 4>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x5x1x8xf32>) -> tensor<1x5x1x4xf32>
  %h1 = mote.slice %0 {starts = array<i64: 0, 0, 0, 4>, limits = array<i64: 1, 5, 1, 8>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x5x1x8xf32>) -> tensor<1x5x1x4xf32>
  %g = mote.gelu %h1 : tensor<1x5x1x4xf32>
  %1 = mote.mul %h0, %g : (tensor<1x5x1x4xf32>, tensor<1x5x1x4xf32>) -> tensor<1x5x1x4xf32>
  %cw = mote.constant dense<0.1> : tensor<3x3x3x3xf32>
  %c = mote.conv %img, %cw {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x4x4x3xf32>, tensor<3x3x3x3xf32>) -> tensor<1x4x4x3xf32>
  %r = mote.add %c, %t : (tensor<1x4x4x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x4x4x3xf32>
  %s = mote.silu %r : tensor<1x4x4x3xf32>
  return %1, %s : tensor<1x5x1x4xf32>, tensor<1x4x4x3xf32>
}
}

// -----

module attributes {mote.target = #mote.target<name = "t", activation_type = f32, fusions = ["linear_epilogue"]>} {
// CHECK-LABEL: func.func @neither
func.func @neither(%x: tensor<1x5x1x6xf32>, %img: tensor<1x4x4x3xf32>, %t: tensor<1x1x1x3xf32>) -> (tensor<1x5x1x4xf32>, tensor<1x4x4x3xf32>) {
  // CHECK: %[[P:.*]] = mote.conv %arg0
  // CHECK: mote.slice %[[P]]
  // CHECK: %[[C:.*]] = mote.conv %arg1
  // CHECK: mote.add %[[C]], %arg2
  // CHECK-NOT: mote.fused
  %w = mote.constant dense<0.5> : tensor<8x6x1x1xf32>
  %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x5x1x6xf32>, tensor<8x6x1x1xf32>) -> tensor<1x5x1x8xf32>
  %h0 = mote.slice %0 {starts = array<i64: 0, 0, 0, 0>, limits = array<i64: 1, 5, 1, 4>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x5x1x8xf32>) -> tensor<1x5x1x4xf32>
  %h1 = mote.slice %0 {starts = array<i64: 0, 0, 0, 4>, limits = array<i64: 1, 5, 1, 8>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x5x1x8xf32>) -> tensor<1x5x1x4xf32>
  %1 = mote.mul %h0, %h1 : (tensor<1x5x1x4xf32>, tensor<1x5x1x4xf32>) -> tensor<1x5x1x4xf32>
  %cw = mote.constant dense<0.1> : tensor<3x3x3x3xf32>
  %c = mote.conv %img, %cw {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, channels_last = true} : (tensor<1x4x4x3xf32>, tensor<3x3x3x3xf32>) -> tensor<1x4x4x3xf32>
  %r = mote.add %c, %t : (tensor<1x4x4x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x4x4x3xf32>
  return %1, %r : tensor<1x5x1x4xf32>, tensor<1x4x4x3xf32>
}
}

// -----

// With `upsample_conv`, a 2x nearest upsampling (asymmetric, floor: what torch.onnx writes for
// F.interpolate(scale_factor=2)) that only a convolution reads leads its region; other resizes (linear, or a
// half-pixel nearest) stay out.
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, layout = "NHWC", fusions = ["linear_epilogue", "upsample_conv"]>} {
// CHECK-LABEL: func.func @upsample_conv
func.func @upsample_conv(%x: tensor<1x4x4x8xf32>, %w: tensor<8x8x3x3xf32>) -> (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) {
  // CHECK: mote.fused "linear_epilogue"(%arg0, %arg1) : (tensor<1x4x4x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x8x8xf32>
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: mote.resize
  // CHECK-NEXT: mote.conv
  // CHECK-NEXT: mote.yield
  // CHECK: %[[L:.*]] = mote.resize %arg0 {coordinate_transformation_mode = "half_pixel"
  // CHECK-NEXT: mote.conv %[[L]]
  %u = mote.resize %x {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = array<f32: 1.0, 2.0, 2.0, 1.0>} : (tensor<1x4x4x8xf32>) -> tensor<1x8x8x8xf32>
  %c = mote.conv %u, %w {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x8x8xf32>
  %l = mote.resize %x {coordinate_transformation_mode = "half_pixel", mode = "nearest", nearest_mode = "round_prefer_floor", scales = array<f32: 1.0, 2.0, 2.0, 1.0>} : (tensor<1x4x4x8xf32>) -> tensor<1x8x8x8xf32>
  %d = mote.conv %l, %w {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x8x8xf32>
  return %c, %d : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>
}
}
