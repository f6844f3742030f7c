// Ops the tiny corpus does not use (or uses in one form only), on constants, for neon vs reference.
module attributes {mote.target = #mote.target<name = "neon", layout = "NHWC", native = ["group_norm", "layer_norm", "rms_norm", "gelu", "silu", "attention"], activation_type = f32, weight_types = [i8, i4], vector_bytes = 16>} {
  func.func @main() -> (tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<2x3x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x5x7xf32>, tensor<2x3xi64>, tensor<2x3x4xf32>, tensor<1x4x3x3xf32>, tensor<1x2x3x4xf32>, tensor<2x3x4xf32>, tensor<4x3xf32>, tensor<3x4xf32>, tensor<2x3x4xi64>, tensor<2x4xf32>, tensor<2x3x4xf32>, tensor<1x3x4x2xf32>) {
    %a = mote.constant dense<[[[0.5, -1.0, 2.0, 3.5], [-2.5, 0.25, 1.0, -0.75], [4.0, -3.0, 0.0, 1.5]], [[1.25, 2.5, -0.5, -1.5], [0.0, 3.0, -2.0, 0.75], [-1.0, 1.0, 2.25, -4.0]]]> : tensor<2x3x4xf32>
    %b = mote.constant dense<[1.5, -0.5, 2.0, 0.25]> : tensor<4xf32>
    %c = mote.constant dense<[[[1.0], [2.0], [0.5]], [[-1.0], [3.0], [1.5]]]> : tensor<2x3x1xf32>
    // Broadcasting binaries, unaries, comparisons and where.
    %0 = mote.sub %a, %b : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
    %1 = mote.div %0, %c : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
    %2 = mote.max %1, %b : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
    %3 = mote.tanh %2 : tensor<2x3x4xf32>
    %4 = mote.exp %3 : tensor<2x3x4xf32>
    %5 = mote.greater %a, %b : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xi1>
    %6 = mote.where %5, %4, %a : (tensor<2x3x4xi1>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %7 = mote.reduce_mean %6 {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
    %8 = mote.softmax %a {axis = 1 : i64} : tensor<2x3x4xf32>
    %9 = mote.gelu %a {approximate = "none"} : tensor<2x3x4xf32>
    %10 = mote.sigmoid %9 : tensor<2x3x4xf32>
    %11 = mote.clip %10 {min = 0.2 : f64, max = 0.7 : f64} : tensor<2x3x4xf32>
    // Linear resize (half_pixel), NCHW.
    %r = mote.reshape %a : (tensor<2x3x4xf32>) -> tensor<1x2x3x4xf32>
    %12 = mote.resize %r {mode = "linear", coordinate_transformation_mode = "half_pixel", nearest_mode = "round_prefer_floor", scales = array<f32: 1.0, 1.0, 1.33333337, 1.0>} : (tensor<1x2x3x4xf32>) -> tensor<1x2x4x4xf32>
    // Pad (reflect) and cast, arg_max.
    %13 = mote.pad %r {pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 1>, mode = "reflect", value = 0.0 : f64} : (tensor<1x2x3x4xf32>) -> tensor<1x2x5x7xf32>
    %14 = mote.arg_max %a {axis = 2 : i64, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xi64>
    %15 = mote.cast %14 {to = f32} : (tensor<2x3xi64>) -> tensor<2x3xf32>
    %f15 = mote.reshape %15 : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
    %16 = mote.mul %a, %f15 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
    // Grouped, strided, padded NCHW conv and a dilated NHWC conv.
    %x = mote.reshape %a : (tensor<2x3x4xf32>) -> tensor<1x4x2x3xf32>
    %w = mote.constant dense<[[[[0.5, -1.0], [0.25, 2.0]], [[1.0, 0.5], [-0.5, 1.5]]], [[[2.0, 0.0], [1.0, -1.0]], [[0.5, 0.5], [0.5, 0.5]]], [[[-1.0, 1.0], [1.0, -1.0]], [[0.25, 0.75], [1.25, -0.25]]], [[[1.5, -0.5], [0.0, 1.0]], [[-2.0, 1.0], [0.5, 0.0]]]]> : tensor<4x2x2x2xf32>
    %wb = mote.constant dense<[0.1, -0.2, 0.3, -0.4]> : tensor<4xf32>
    %17 = mote.conv %x, %w, %wb {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x2x3xf32>, tensor<4x2x2x2xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
    %xl = mote.reshape %a : (tensor<2x3x4xf32>) -> tensor<1x2x3x4xf32>
    %w2 = mote.constant dense<0.5> : tensor<4x4x2x2xf32>
    %18 = mote.conv %xl, %w2 {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 2, 2>, group = 1 : i64, channels_last = true} : (tensor<1x2x3x4xf32>, tensor<4x4x2x2xf32>) -> tensor<1x2x3x4xf32>
    // Expand, gemm with transA and a column C, matmul with a 1-D operand, reduce_max, i64 arithmetic.
    %19 = mote.expand %c : (tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
    %m = mote.reshape %a : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
    %m2 = mote.slice %m {starts = array<i64: 0, 0>, limits = array<i64: 3, 4>, steps = array<i64: 1, 1>} : (tensor<6x4xf32>) -> tensor<3x4xf32>
    %m3 = mote.slice %m {starts = array<i64: 5, 0>, limits = array<i64: 2, 4>, steps = array<i64: -1, 1>} : (tensor<6x4xf32>) -> tensor<3x4xf32>
    %cc = mote.constant dense<[[1.0], [2.0], [3.0], [4.0]]> : tensor<4x1xf32>
    %20 = mote.gemm %m2, %m3, %cc {transA = true, alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<3x4xf32>, tensor<3x4xf32>, tensor<4x1xf32>) -> tensor<4x4xf32>
    %21 = mote.slice %20 {starts = array<i64: 0, 0>, limits = array<i64: 4, 3>, steps = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<4x3xf32>
    %22 = mote.matmul %m3, %b : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
    %23 = mote.reduce_max %m3 {axes = array<i64: 0>} : (tensor<3x4xf32>) -> tensor<1x4xf32>
    %24 = mote.add %m2, %23 : (tensor<3x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
    %f22 = mote.reshape %22 : (tensor<3xf32>) -> tensor<3x1xf32>
    %25 = mote.mul %24, %f22 : (tensor<3x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
    %i = mote.constant dense<[[[3, -1, 2, 7], [0, 5, -4, 2], [9, 1, 1, -6]], [[2, 2, 8, -3], [4, -5, 6, 1], [0, 0, 3, 3]]]> : tensor<2x3x4xi64>
    %ib = mote.constant dense<[2, 3, -1, 4]> : tensor<4xi64>
    %26 = mote.mul %i, %ib : (tensor<2x3x4xi64>, tensor<4xi64>) -> tensor<2x3x4xi64>
    %27 = mote.neg %26 : tensor<2x3x4xi64>
    // layer_norm without bias over the last axis of a [2, 4] slice; instance-free group norm NCHW.
    %s = mote.slice %m {starts = array<i64: 1, 0>, limits = array<i64: 5, 4>, steps = array<i64: 2, 1>} : (tensor<6x4xf32>) -> tensor<2x4xf32>
    %28 = mote.layer_norm %s, %b {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
    %gs = mote.constant dense<[1.0, 0.5, 2.0]> : tensor<3xf32>
    %gb = mote.constant dense<[0.0, 0.1, -0.1]> : tensor<3xf32>
    %29 = mote.group_norm %a, %gs, %gb {num_groups = 3 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
    %30 = mote.transpose %r {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x3x4xf32>) -> tensor<1x3x4x2xf32>
    return %11, %7, %8, %12, %13, %14, %16, %17, %18, %19, %21, %25, %27, %28, %29, %30 : tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<2x3x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x5x7xf32>, tensor<2x3xi64>, tensor<2x3x4xf32>, tensor<1x4x3x3xf32>, tensor<1x2x3x4xf32>, tensor<2x3x4xf32>, tensor<4x3xf32>, tensor<3x4xf32>, tensor<2x3x4xi64>, tensor<2x4xf32>, tensor<2x3x4xf32>, tensor<1x3x4x2xf32>
  }
}
