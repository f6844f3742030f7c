// Round trip of every `mote` op through the printer and the parser: each prints back with its
// attributes and types.
// RUN: mote-opt %s | mote-opt | FileCheck %s

// CHECK-LABEL: func.func @constant
func.func @constant() -> (tensor<4xi64>, tensor<2x2xf32>, tensor<3xi1>) {
  // CHECK: mote.constant dense<[1, 320, 64, 64]> : tensor<4xi64>
  %0 = mote.constant dense<[1, 320, 64, 64]> : tensor<4xi64>
  // CHECK: mote.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %1 = mote.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  // CHECK: mote.constant dense<[true, false, true]> : tensor<3xi1>
  %2 = mote.constant dense<[true, false, true]> : tensor<3xi1>
  return %0, %1, %2 : tensor<4xi64>, tensor<2x2xf32>, tensor<3xi1>
}

// A weight refers to a blob instead of holding its elements.
// CHECK-LABEL: func.func @constant_resource
func.func @constant_resource() -> tensor<2xf32> {
  // CHECK: mote.constant dense_resource<weight> : tensor<2xf32>
  %0 = mote.constant dense_resource<weight> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// CHECK-LABEL: func.func @unary_float
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
func.func @unary_float(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // CHECK: %[[A:.*]] = mote.sqrt %[[X]] : tensor<2x4xf32>
  %0 = mote.sqrt %x : tensor<2x4xf32>
  // CHECK: %[[B:.*]] = mote.exp %[[A]] : tensor<2x4xf32>
  %1 = mote.exp %0 : tensor<2x4xf32>
  // CHECK: %[[C:.*]] = mote.log %[[B]] : tensor<2x4xf32>
  %2 = mote.log %1 : tensor<2x4xf32>
  // CHECK: %[[D:.*]] = mote.erf %[[C]] : tensor<2x4xf32>
  %3 = mote.erf %2 : tensor<2x4xf32>
  // CHECK: %[[E:.*]] = mote.tanh %[[D]] : tensor<2x4xf32>
  %4 = mote.tanh %3 : tensor<2x4xf32>
  // CHECK: %[[F:.*]] = mote.sigmoid %[[E]] : tensor<2x4xf32>
  %5 = mote.sigmoid %4 : tensor<2x4xf32>
  // CHECK: %[[G:.*]] = mote.relu %[[F]] : tensor<2x4xf32>
  %6 = mote.relu %5 : tensor<2x4xf32>
  // CHECK: %[[H:.*]] = mote.reciprocal %[[G]] : tensor<2x4xf32>
  %7 = mote.reciprocal %6 : tensor<2x4xf32>
  // CHECK: %[[I:.*]] = mote.sin %[[H]] : tensor<2x4xf32>
  %8 = mote.sin %7 : tensor<2x4xf32>
  // CHECK: %[[J:.*]] = mote.cos %[[I]] : tensor<2x4xf32>
  %9 = mote.cos %8 : tensor<2x4xf32>
  // CHECK: %[[K:.*]] = mote.silu %[[J]] : tensor<2x4xf32>
  %10 = mote.silu %9 : tensor<2x4xf32>
  // CHECK: return %[[K]] : tensor<2x4xf32>
  return %10 : tensor<2x4xf32>
}

// Neg, abs and clip take any element type; the others in this family are float-only.
// CHECK-LABEL: func.func @unary_any
// CHECK-SAME: (%[[X:.*]]: tensor<4xi64>, %[[Y:.*]]: tensor<4xf16>)
func.func @unary_any(%x: tensor<4xi64>, %y: tensor<4xf16>) -> (tensor<4xi64>, tensor<4xf16>) {
  // CHECK: %[[A:.*]] = mote.neg %[[X]] : tensor<4xi64>
  %0 = mote.neg %x : tensor<4xi64>
  // CHECK: %[[B:.*]] = mote.abs %[[A]] : tensor<4xi64>
  %1 = mote.abs %0 : tensor<4xi64>
  // CHECK: %[[C:.*]] = mote.clip %[[B]] {max = 1.000000e+02 : f64, min = -1.000000e+00 : f64} : tensor<4xi64>
  %2 = mote.clip %1 {min = -1.0 : f64, max = 100.0 : f64} : tensor<4xi64>
  // CHECK: %[[D:.*]] = mote.neg %[[Y]] : tensor<4xf16>
  %3 = mote.neg %y : tensor<4xf16>
  // CHECK: %[[E:.*]] = mote.clip %[[D]] {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<4xf16>
  %4 = mote.clip %3 {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xf16>
  // CHECK: return %[[C]], %[[E]]
  return %2, %4 : tensor<4xi64>, tensor<4xf16>
}

// CHECK-LABEL: func.func @unary_attrs
// CHECK-SAME: (%[[X:.*]]: tensor<4xbf16>)
func.func @unary_attrs(%x: tensor<4xbf16>) -> tensor<4xbf16> {
  // CHECK: %[[A:.*]] = mote.hard_sigmoid %[[X]] {alpha = 2.000000e-01 : f32, beta = 5.000000e-01 : f32} : tensor<4xbf16>
  %0 = mote.hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<4xbf16>
  // CHECK: %[[B:.*]] = mote.leaky_relu %[[A]] {alpha = 0.00999999977 : f32} : tensor<4xbf16>
  %1 = mote.leaky_relu %0 {alpha = 0.01 : f32} : tensor<4xbf16>
  // The default approximation ("none") is elided when printed.
  // CHECK: %[[C:.*]] = mote.gelu %[[B]] : tensor<4xbf16>
  %2 = mote.gelu %1 {approximate = "none"} : tensor<4xbf16>
  // CHECK: %[[D:.*]] = mote.gelu %[[C]] {approximate = "tanh"} : tensor<4xbf16>
  %3 = mote.gelu %2 {approximate = "tanh"} : tensor<4xbf16>
  // CHECK: return %[[D]]
  return %3 : tensor<4xbf16>
}

// CHECK-LABEL: func.func @logical_not
// CHECK-SAME: (%[[X:.*]]: tensor<4xi1>)
func.func @logical_not(%x: tensor<4xi1>) -> tensor<4xi1> {
  // CHECK: %[[A:.*]] = mote.not %[[X]] : tensor<4xi1>
  %0 = mote.not %x : tensor<4xi1>
  // CHECK: return %[[A]]
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @cast
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @cast(%x: tensor<4xf32>) -> (tensor<4xi64>, tensor<4xi1>, tensor<4xf16>) {
  // CHECK: %[[A:.*]] = mote.cast %[[X]] {to = i64} : (tensor<4xf32>) -> tensor<4xi64>
  %0 = mote.cast %x {to = i64} : (tensor<4xf32>) -> tensor<4xi64>
  // CHECK: %[[B:.*]] = mote.cast %[[A]] {to = i1} : (tensor<4xi64>) -> tensor<4xi1>
  %1 = mote.cast %0 {to = i1} : (tensor<4xi64>) -> tensor<4xi1>
  // CHECK: %[[C:.*]] = mote.cast %[[X]] {to = f16} : (tensor<4xf32>) -> tensor<4xf16>
  %2 = mote.cast %x {to = f16} : (tensor<4xf32>) -> tensor<4xf16>
  // CHECK: return %[[A]], %[[B]], %[[C]]
  return %0, %1, %2 : tensor<4xi64>, tensor<4xi1>, tensor<4xf16>
}

// Broadcasting arithmetic: the result shape is the broadcast of the operands'.
// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<3xf32>, %[[S:.*]]: tensor<f32>)
func.func @binary(%x: tensor<2x3xf32>, %y: tensor<3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  // CHECK: %[[A:.*]] = mote.add %[[X]], %[[Y]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = mote.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[B:.*]] = mote.sub %[[Y]], %[[A]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = mote.sub %y, %0 : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[C:.*]] = mote.mul %[[B]], %[[S]] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %2 = mote.mul %1, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // CHECK: %[[D:.*]] = mote.div %[[C]], %[[Y]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = mote.div %2, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[E:.*]] = mote.pow %[[D]], %[[S]] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %4 = mote.pow %3, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // CHECK: %[[F:.*]] = mote.min %[[E]], %[[X]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = mote.min %4, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[G:.*]] = mote.max %[[F]], %[[Y]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %6 = mote.max %5, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: return %[[G]]
  return %6 : tensor<2x3xf32>
}

// A dynamic dimension broadcast against a static one takes the static size.
// CHECK-LABEL: func.func @binary_dynamic
func.func @binary_dynamic(%x: tensor<?x3xi32>, %y: tensor<2x1xi32>) -> tensor<2x3xi32> {
  // CHECK: mote.add %{{.*}}, %{{.*}} : (tensor<?x3xi32>, tensor<2x1xi32>) -> tensor<2x3xi32>
  %0 = mote.add %x, %y : (tensor<?x3xi32>, tensor<2x1xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @compare
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<1xf32>, %[[I:.*]]: tensor<2x1xi64>, %[[J:.*]]: tensor<4xi64>)
func.func @compare(%x: tensor<4xf32>, %y: tensor<1xf32>, %i: tensor<2x1xi64>, %j: tensor<4xi64>)
    -> (tensor<2x4xi1>, tensor<4xi1>) {
  // CHECK: %[[EQ:.*]] = mote.equal %[[I]], %[[J]] : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi1>
  %0 = mote.equal %i, %j : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi1>
  // CHECK: %[[LT:.*]] = mote.less %[[X]], %[[Y]] : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xi1>
  %1 = mote.less %x, %y : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xi1>
  // CHECK: %[[GT:.*]] = mote.greater %[[X]], %[[Y]] : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xi1>
  %2 = mote.greater %x, %y : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xi1>
  // CHECK: %[[LE:.*]] = mote.less_or_equal %[[X]], %[[X]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %3 = mote.less_or_equal %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  // CHECK: %[[GE:.*]] = mote.greater_or_equal %[[Y]], %[[X]] : (tensor<1xf32>, tensor<4xf32>) -> tensor<4xi1>
  %4 = mote.greater_or_equal %y, %x : (tensor<1xf32>, tensor<4xf32>) -> tensor<4xi1>
  // CHECK: %[[AND:.*]] = mote.and %[[LT]], %[[GT]] : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %5 = mote.and %1, %2 : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: %[[OR:.*]] = mote.or %[[AND]], %[[LE]] : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %6 = mote.or %5, %3 : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: %[[OR2:.*]] = mote.or %[[OR]], %[[GE]] : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %7 = mote.or %6, %4 : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: return %[[EQ]], %[[OR2]]
  return %0, %7 : tensor<2x4xi1>, tensor<4xi1>
}

// CHECK-LABEL: func.func @where
// CHECK-SAME: (%[[C:.*]]: tensor<1x1x4x4xi1>, %[[X:.*]]: tensor<f32>, %[[Y:.*]]: tensor<2x2x4x4xf32>)
func.func @where(%c: tensor<1x1x4x4xi1>, %x: tensor<f32>, %y: tensor<2x2x4x4xf32>) -> tensor<2x2x4x4xf32> {
  // CHECK: %[[W:.*]] = mote.where %[[C]], %[[X]], %[[Y]] : (tensor<1x1x4x4xi1>, tensor<f32>, tensor<2x2x4x4xf32>) -> tensor<2x2x4x4xf32>
  %0 = mote.where %c, %x, %y : (tensor<1x1x4x4xi1>, tensor<f32>, tensor<2x2x4x4xf32>) -> tensor<2x2x4x4xf32>
  // CHECK: return %[[W]]
  return %0 : tensor<2x2x4x4xf32>
}

// keepdims = true is the default and is elided when printed.
// CHECK-LABEL: func.func @reductions
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
func.func @reductions(%x: tensor<2x8xf32>) -> (tensor<2x1xf32>, tensor<2xf32>, tensor<1x1xf32>, tensor<f32>) {
  // CHECK: %[[A:.*]] = mote.reduce_mean %[[X]] {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %0 = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  // CHECK: %[[B:.*]] = mote.reduce_sum %[[X]] {axes = array<i64: 1>, keepdims = false} : (tensor<2x8xf32>) -> tensor<2xf32>
  %1 = mote.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x8xf32>) -> tensor<2xf32>
  // Empty axes reduce over every axis.
  // CHECK: %[[C:.*]] = mote.reduce_max %[[X]] {axes = array<i64>} : (tensor<2x8xf32>) -> tensor<1x1xf32>
  %2 = mote.reduce_max %x {axes = array<i64>, keepdims = true} : (tensor<2x8xf32>) -> tensor<1x1xf32>
  // CHECK: %[[D:.*]] = mote.reduce_min %[[X]] {axes = array<i64: 0, 1>, keepdims = false} : (tensor<2x8xf32>) -> tensor<f32>
  %3 = mote.reduce_min %x {axes = array<i64: 0, 1>, keepdims = false} : (tensor<2x8xf32>) -> tensor<f32>
  // CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
  return %0, %1, %2, %3 : tensor<2x1xf32>, tensor<2xf32>, tensor<1x1xf32>, tensor<f32>
}

// CHECK-LABEL: func.func @arg_max
// CHECK-SAME: (%[[X:.*]]: tensor<1x77xi64>)
func.func @arg_max(%x: tensor<1x77xi64>) -> (tensor<1xi64>, tensor<1x1xi64>) {
  // CHECK: %[[A:.*]] = mote.arg_max %[[X]] {axis = 1 : i64, keepdims = false} : (tensor<1x77xi64>) -> tensor<1xi64>
  %0 = mote.arg_max %x {axis = 1 : i64, keepdims = false} : (tensor<1x77xi64>) -> tensor<1xi64>
  // CHECK: %[[B:.*]] = mote.arg_max %[[X]] {axis = -1 : i64, select_last_index = true} : (tensor<1x77xi64>) -> tensor<1x1xi64>
  %1 = mote.arg_max %x {axis = -1 : i64, keepdims = true, select_last_index = true} : (tensor<1x77xi64>) -> tensor<1x1xi64>
  // CHECK: return %[[A]], %[[B]]
  return %0, %1 : tensor<1xi64>, tensor<1x1xi64>
}

// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x64x64xf32>)
func.func @softmax(%x: tensor<1x8x64x64xf32>) -> tensor<1x8x64x64xf32> {
  // CHECK: %[[A:.*]] = mote.softmax %[[X]] {axis = -1 : i64} : tensor<1x8x64x64xf32>
  %0 = mote.softmax %x {axis = -1 : i64} : tensor<1x8x64x64xf32>
  // CHECK: return %[[A]]
  return %0 : tensor<1x8x64x64xf32>
}

// CHECK-LABEL: func.func @matmul
func.func @matmul(%a: tensor<2x64x320xf32>, %b: tensor<320x1280xf32>, %v: tensor<320xf32>)
    -> (tensor<2x64x1280xf32>, tensor<2x64xf32>, tensor<1280xf32>) {
  // CHECK: mote.matmul %{{.*}}, %{{.*}} : (tensor<2x64x320xf32>, tensor<320x1280xf32>) -> tensor<2x64x1280xf32>
  %0 = mote.matmul %a, %b : (tensor<2x64x320xf32>, tensor<320x1280xf32>) -> tensor<2x64x1280xf32>
  // A 1-D rhs is a column vector whose added dimension is dropped from the result.
  // CHECK: mote.matmul %{{.*}}, %{{.*}} : (tensor<2x64x320xf32>, tensor<320xf32>) -> tensor<2x64xf32>
  %1 = mote.matmul %a, %v : (tensor<2x64x320xf32>, tensor<320xf32>) -> tensor<2x64xf32>
  // CHECK: mote.matmul %{{.*}}, %{{.*}} : (tensor<320xf32>, tensor<320x1280xf32>) -> tensor<1280xf32>
  %2 = mote.matmul %v, %b : (tensor<320xf32>, tensor<320x1280xf32>) -> tensor<1280xf32>
  return %0, %1, %2 : tensor<2x64x1280xf32>, tensor<2x64xf32>, tensor<1280xf32>
}

// alpha and beta default to 1.0 and transA/transB to false; defaults are elided when printed.
// CHECK-LABEL: func.func @gemm
// CHECK-SAME: (%[[A:.*]]: tensor<1x768xf32>, %[[W:.*]]: tensor<320x768xf32>, %[[B:.*]]: tensor<320xf32>)
func.func @gemm(%a: tensor<1x768xf32>, %w: tensor<320x768xf32>, %b: tensor<320xf32>) -> (tensor<1x320xf32>, tensor<1x320xf32>) {
  // CHECK: mote.gemm %[[A]], %[[W]], %[[B]] {transB = true} : (tensor<1x768xf32>, tensor<320x768xf32>, tensor<320xf32>) -> tensor<1x320xf32>
  %0 = mote.gemm %a, %w, %b {transB = true} : (tensor<1x768xf32>, tensor<320x768xf32>, tensor<320xf32>) -> tensor<1x320xf32>
  // CHECK: mote.gemm %[[A]], %[[W]] {alpha = 5.000000e-01 : f32, beta = 0.000000e+00 : f32, transB = true} : (tensor<1x768xf32>, tensor<320x768xf32>) -> tensor<1x320xf32>
  %1 = mote.gemm %a, %w {alpha = 0.5 : f32, beta = 0.0 : f32, transA = false, transB = true} : (tensor<1x768xf32>, tensor<320x768xf32>) -> tensor<1x320xf32>
  return %0, %1 : tensor<1x320xf32>, tensor<1x320xf32>
}

// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x64x64xf32>, %[[W:.*]]: tensor<320x4x3x3xf32>, %[[B:.*]]: tensor<320xf32>, %[[G:.*]]: tensor<8x2x3x3xf32>)
func.func @conv(%x: tensor<1x4x64x64xf32>, %w: tensor<320x4x3x3xf32>, %b: tensor<320xf32>, %g: tensor<8x2x3x3xf32>)
    -> (tensor<1x320x64x64xf32>, tensor<1x8x30x30xf32>) {
  // CHECK: mote.conv %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x64x64xf32>, tensor<320x4x3x3xf32>, tensor<320xf32>) -> tensor<1x320x64x64xf32>
  %0 = mote.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64}
       : (tensor<1x4x64x64xf32>, tensor<320x4x3x3xf32>, tensor<320xf32>) -> tensor<1x320x64x64xf32>
  // Grouped, strided and dilated, without bias: floor((64 + 0 - ((3 - 1) * 2 + 1)) / 2) + 1 = 30.
  // CHECK: mote.conv %[[X]], %[[G]] {dilations = array<i64: 2, 2>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x64x64xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x30x30xf32>
  %1 = mote.conv %x, %g {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 2, 2>, group = 2 : i64}
       : (tensor<1x4x64x64xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x30x30xf32>
  return %0, %1 : tensor<1x320x64x64xf32>, tensor<1x8x30x30xf32>
}

// CHECK-LABEL: func.func @conv_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>, %[[W:.*]]: tensor<8x4x2x2xf32>, %[[B:.*]]: tensor<4xf32>)
func.func @conv_transpose(%x: tensor<1x8x4x4xf32>, %w: tensor<8x4x2x2xf32>, %b: tensor<4xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x9x9xf32>) {
  // CHECK: mote.conv_transpose %[[X]], %[[W]] {dilations = array<i64: 1, 1>, group = 1 : i64, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>) -> tensor<1x4x8x8xf32>
  %0 = mote.conv_transpose %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 1 : i64}
       : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>) -> tensor<1x4x8x8xf32>
  // 2 * (4 - 1) + 1 + (2 - 1) * 1 + 1 - 0 - 0 = 9.
  // CHECK: mote.conv_transpose %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 1 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>, tensor<4xf32>) -> tensor<1x4x9x9xf32>
  %1 = mote.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, group = 1 : i64}
       : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>, tensor<4xf32>) -> tensor<1x4x9x9xf32>
  return %0, %1 : tensor<1x4x8x8xf32>, tensor<1x4x9x9xf32>
}

// CHECK-LABEL: func.func @pooling
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x8xf32>)
func.func @pooling(%x: tensor<1x8x8x8xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x3x3xf32>, tensor<1x8x1x1xf32>) {
  // CHECK: mote.max_pool %[[X]] {ceil_mode = false, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32>
  %0 = mote.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = false}
       : (tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32>
  // ceil_mode: ceil((8 + 0 - 3) / 3) + 1 = 3.
  // CHECK: mote.average_pool %[[X]] {ceil_mode = true, count_include_pad = false, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 3, 3>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x3x3xf32>
  %1 = mote.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true, count_include_pad = false}
       : (tensor<1x8x8x8xf32>) -> tensor<1x8x3x3xf32>
  // Global average pooling: the kernel covers the whole spatial extent.
  // CHECK: mote.average_pool %[[X]] {ceil_mode = false, count_include_pad = true, kernel_shape = array<i64: 8, 8>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x1x1xf32>
  %2 = mote.average_pool %x {kernel_shape = array<i64: 8, 8>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false, count_include_pad = true}
       : (tensor<1x8x8x8xf32>) -> tensor<1x8x1x1xf32>
  return %0, %1, %2 : tensor<1x8x4x4xf32>, tensor<1x8x3x3xf32>, tensor<1x8x1x1xf32>
}

// CHECK-LABEL: func.func @norms
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>, %[[C:.*]]: tensor<8xf32>)
func.func @norms(%x: tensor<1x8x4x4xf32>, %c: tensor<8xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  // CHECK: mote.batch_norm %[[X]], %[[C]], %[[C]], %[[C]], %[[C]] {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %0 = mote.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-05 : f32}
       : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: mote.instance_norm %[[X]], %[[C]], %[[C]] {epsilon = 9.99999974E-6 : f32} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = mote.instance_norm %x, %c, %c {epsilon = 1.0e-05 : f32} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: mote.group_norm %[[X]], %[[C]], %[[C]] {epsilon = 9.99999974E-6 : f32, num_groups = 4 : i64} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %2 = mote.group_norm %x, %c, %c {num_groups = 4 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0, %1, %2 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}

// A group norm split in two (mote-split-group-norm): f32 statistics [N, G, 2], then the normalization.
// CHECK-LABEL: func.func @group_norm_halves
func.func @group_norm_halves(%x: tensor<2x4x4x8xf16>, %c: tensor<8xf16>) -> tensor<2x4x4x8xf16> {
  // CHECK: %[[S:.*]] = mote.group_norm_stats %arg0 {channels_last = true, epsilon = 9.99999974E-6 : f32, num_groups = 4 : i64} : (tensor<2x4x4x8xf16>) -> tensor<2x4x2xf32>
  // CHECK: mote.group_norm_apply %arg0, %[[S]], %arg1, %arg1 {channels_last = true, num_groups = 4 : i64} : (tensor<2x4x4x8xf16>, tensor<2x4x2xf32>, tensor<8xf16>, tensor<8xf16>) -> tensor<2x4x4x8xf16>
  %s = mote.group_norm_stats %x {num_groups = 4 : i64, epsilon = 1.0e-05 : f32, channels_last = true} : (tensor<2x4x4x8xf16>) -> tensor<2x4x2xf32>
  %y = mote.group_norm_apply %x, %s, %c, %c {num_groups = 4 : i64, channels_last = true} : (tensor<2x4x4x8xf16>, tensor<2x4x2xf32>, tensor<8xf16>, tensor<8xf16>) -> tensor<2x4x4x8xf16>
  return %y : tensor<2x4x4x8xf16>
}

// CHECK-LABEL: func.func @layer_and_rms_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x77x768xf32>, %[[S:.*]]: tensor<768xf32>, %[[T:.*]]: tensor<77x768xf32>)
func.func @layer_and_rms_norm(%x: tensor<1x77x768xf32>, %s: tensor<768xf32>, %t: tensor<77x768xf32>)
    -> (tensor<1x77x768xf32>, tensor<1x77x768xf32>, tensor<1x77x768xf32>) {
  // CHECK: mote.layer_norm %[[X]], %[[S]], %[[S]] {axis = -1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<1x77x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x77x768xf32>
  %0 = mote.layer_norm %x, %s, %s {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x77x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x77x768xf32>
  // Without bias, normalizing the last two axes; the scale broadcasts to [77, 768].
  // CHECK: mote.layer_norm %[[X]], %[[S]] {axis = 1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<1x77x768xf32>, tensor<768xf32>) -> tensor<1x77x768xf32>
  %1 = mote.layer_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x77x768xf32>, tensor<768xf32>) -> tensor<1x77x768xf32>
  // CHECK: mote.rms_norm %[[X]], %[[T]] {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<1x77x768xf32>, tensor<77x768xf32>) -> tensor<1x77x768xf32>
  %2 = mote.rms_norm %x, %t {axis = 1 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x77x768xf32>, tensor<77x768xf32>) -> tensor<1x77x768xf32>
  return %0, %1, %2 : tensor<1x77x768xf32>, tensor<1x77x768xf32>, tensor<1x77x768xf32>
}

// CHECK-LABEL: func.func @attention
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x64x64xf32>, %[[K:.*]]: tensor<1x2x77x64xf32>, %[[V:.*]]: tensor<1x2x77x32xf32>, %[[M:.*]]: tensor<1x1x64x77xf32>)
func.func @attention(%q: tensor<1x8x64x64xf32>, %k: tensor<1x2x77x64xf32>, %v: tensor<1x2x77x32xf32>, %m: tensor<1x1x64x77xf32>)
    -> (tensor<1x8x64x32xf32>, tensor<1x8x64x32xf32>) {
  // Grouped-query attention (8 query heads over 2 key/value heads), value head size 32.
  // CHECK: mote.attention %[[Q]], %[[K]], %[[V]] {scale = 1.250000e-01 : f32} : (tensor<1x8x64x64xf32>, tensor<1x2x77x64xf32>, tensor<1x2x77x32xf32>) -> tensor<1x8x64x32xf32>
  %0 = mote.attention %q, %k, %v {scale = 0.125 : f32} : (tensor<1x8x64x64xf32>, tensor<1x2x77x64xf32>, tensor<1x2x77x32xf32>) -> tensor<1x8x64x32xf32>
  // CHECK: mote.attention %[[Q]], %[[K]], %[[V]], %[[M]] {scale = 1.250000e-01 : f32} : (tensor<1x8x64x64xf32>, tensor<1x2x77x64xf32>, tensor<1x2x77x32xf32>, tensor<1x1x64x77xf32>) -> tensor<1x8x64x32xf32>
  %1 = mote.attention %q, %k, %v, %m {scale = 0.125 : f32} : (tensor<1x8x64x64xf32>, tensor<1x2x77x64xf32>, tensor<1x2x77x32xf32>, tensor<1x1x64x77xf32>) -> tensor<1x8x64x32xf32>
  return %0, %1 : tensor<1x8x64x32xf32>, tensor<1x8x64x32xf32>
}

// CHECK-LABEL: func.func @kv_cache
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x4x16xf32>, %[[C:.*]]: tensor<1x2x256x16xf32>, %[[N:.*]]: tensor<1x2x4x16xf32>, %[[P:.*]]: tensor<1xi64>)
func.func @kv_cache(%q: tensor<1x8x4x16xf32>, %c: tensor<1x2x256x16xf32>, %n: tensor<1x2x4x16xf32>, %p: tensor<1xi64>)
    -> (tensor<1x8x4x16xf32>, tensor<1x2x256x16xf32>) {
  // CHECK: %[[W:.*]] = mote.kv_write %[[C]], %[[N]], %[[P]] : (tensor<1x2x256x16xf32>, tensor<1x2x4x16xf32>, tensor<1xi64>) -> tensor<1x2x256x16xf32>
  %0 = mote.kv_write %c, %n, %p : (tensor<1x2x256x16xf32>, tensor<1x2x4x16xf32>, tensor<1xi64>) -> tensor<1x2x256x16xf32>
  // CHECK: mote.cache_attention %[[Q]], %[[W]], %[[W]], %[[P]] {scale = 2.500000e-01 : f32} : (tensor<1x8x4x16xf32>, tensor<1x2x256x16xf32>, tensor<1x2x256x16xf32>, tensor<1xi64>) -> tensor<1x8x4x16xf32>
  %1 = mote.cache_attention %q, %0, %0, %p {scale = 0.25 : f32} : (tensor<1x8x4x16xf32>, tensor<1x2x256x16xf32>, tensor<1x2x256x16xf32>, tensor<1xi64>) -> tensor<1x8x4x16xf32>
  return %1, %0 : tensor<1x8x4x16xf32>, tensor<1x2x256x16xf32>
}

// CHECK-LABEL: func.func @reshape_expand
// CHECK-SAME: (%[[X:.*]]: tensor<1x320x64x64xf32>, %[[Y:.*]]: tensor<1x2x1x16x8xf32>)
func.func @reshape_expand(%x: tensor<1x320x64x64xf32>, %y: tensor<1x2x1x16x8xf32>) -> (tensor<1x32x40960xf32>, tensor<1x2x2x16x8xf32>) {
  // CHECK: mote.reshape %[[X]] : (tensor<1x320x64x64xf32>) -> tensor<1x32x40960xf32>
  %0 = mote.reshape %x : (tensor<1x320x64x64xf32>) -> tensor<1x32x40960xf32>
  // CHECK: mote.expand %[[Y]] : (tensor<1x2x1x16x8xf32>) -> tensor<1x2x2x16x8xf32>
  %1 = mote.expand %y : (tensor<1x2x1x16x8xf32>) -> tensor<1x2x2x16x8xf32>
  return %0, %1 : tensor<1x32x40960xf32>, tensor<1x2x2x16x8xf32>
}

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.*]]: tensor<1x64x8x40xf32>)
func.func @transpose(%x: tensor<1x64x8x40xf32>) -> tensor<1x8x64x40xf32> {
  // CHECK: mote.transpose %[[X]] {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x64x8x40xf32>) -> tensor<1x8x64x40xf32>
  %0 = mote.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x64x8x40xf32>) -> tensor<1x8x64x40xf32>
  return %0 : tensor<1x8x64x40xf32>
}

// CHECK-LABEL: func.func @concat_split
// CHECK-SAME: (%[[A:.*]]: tensor<1x320x8x8xf32>, %[[B:.*]]: tensor<1x640x8x8xf32>, %[[X:.*]]: tensor<1x64x1280xf32>)
func.func @concat_split(%a: tensor<1x320x8x8xf32>, %b: tensor<1x640x8x8xf32>, %x: tensor<1x64x1280xf32>)
    -> (tensor<1x960x8x8xf32>, tensor<1x64x640xf32>, tensor<1x64x640xf32>) {
  // CHECK: mote.concat %[[A]], %[[B]] {axis = 1 : i64} : (tensor<1x320x8x8xf32>, tensor<1x640x8x8xf32>) -> tensor<1x960x8x8xf32>
  %0 = mote.concat %a, %b {axis = 1 : i64} : (tensor<1x320x8x8xf32>, tensor<1x640x8x8xf32>) -> tensor<1x960x8x8xf32>
  // CHECK: %[[S:.*]]:2 = mote.split %[[X]] {axis = -1 : i64, sizes = array<i64: 640, 640>} : (tensor<1x64x1280xf32>) -> (tensor<1x64x640xf32>, tensor<1x64x640xf32>)
  %1:2 = mote.split %x {axis = -1 : i64, sizes = array<i64: 640, 640>} : (tensor<1x64x1280xf32>) -> (tensor<1x64x640xf32>, tensor<1x64x640xf32>)
  // CHECK: return %{{.*}}, %[[S]]#0, %[[S]]#1
  return %0, %1#0, %1#1 : tensor<1x960x8x8xf32>, tensor<1x64x640xf32>, tensor<1x64x640xf32>
}

// CHECK-LABEL: func.func @slice
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
func.func @slice(%x: tensor<4x8xf32>) -> (tensor<1x8xf32>, tensor<2x8xf32>) {
  // CHECK: mote.slice %[[X]] {limits = array<i64: 1, 8>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : (tensor<4x8xf32>) -> tensor<1x8xf32>
  %0 = mote.slice %x {starts = array<i64: 0, 0>, limits = array<i64: 1, 8>, steps = array<i64: 1, 1>} : (tensor<4x8xf32>) -> tensor<1x8xf32>
  // Negative step: rows 3, 1 (ceil((3 - (-1)) / 2) = 2 of them).
  // CHECK: mote.slice %[[X]] {limits = array<i64: -1, 8>, starts = array<i64: 3, 0>, steps = array<i64: -2, 1>} : (tensor<4x8xf32>) -> tensor<2x8xf32>
  %1 = mote.slice %x {starts = array<i64: 3, 0>, limits = array<i64: -1, 8>, steps = array<i64: -2, 1>} : (tensor<4x8xf32>) -> tensor<2x8xf32>
  return %0, %1 : tensor<1x8xf32>, tensor<2x8xf32>
}

// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[T:.*]]: tensor<49408x768xf32>, %[[I:.*]]: tensor<1x77xi64>, %[[J:.*]]: tensor<i32>)
func.func @gather(%t: tensor<49408x768xf32>, %i: tensor<1x77xi64>, %j: tensor<i32>) -> (tensor<1x77x768xf32>, tensor<49408xf32>) {
  // CHECK: mote.gather %[[T]], %[[I]] {axis = 0 : i64} : (tensor<49408x768xf32>, tensor<1x77xi64>) -> tensor<1x77x768xf32>
  %0 = mote.gather %t, %i {axis = 0 : i64} : (tensor<49408x768xf32>, tensor<1x77xi64>) -> tensor<1x77x768xf32>
  // A scalar index drops the gathered axis.
  // CHECK: mote.gather %[[T]], %[[J]] {axis = -1 : i64} : (tensor<49408x768xf32>, tensor<i32>) -> tensor<49408xf32>
  %1 = mote.gather %t, %j {axis = -1 : i64} : (tensor<49408x768xf32>, tensor<i32>) -> tensor<49408xf32>
  return %0, %1 : tensor<1x77x768xf32>, tensor<49408xf32>
}

// CHECK-LABEL: func.func @shape
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x?x64xf32>)
func.func @shape(%x: tensor<1x4x?x64xf32>) -> (tensor<4xi64>, tensor<2xi64>) {
  // CHECK: mote.shape %[[X]] {end = 4 : i64, start = 0 : i64} : (tensor<1x4x?x64xf32>) -> tensor<4xi64>
  %0 = mote.shape %x {start = 0 : i64, end = 4 : i64} : (tensor<1x4x?x64xf32>) -> tensor<4xi64>
  // Negative bounds count from the end: [4 - 2, 4) has 2 entries.
  // CHECK: mote.shape %[[X]] {end = 4 : i64, start = -2 : i64} : (tensor<1x4x?x64xf32>) -> tensor<2xi64>
  %1 = mote.shape %x {start = -2 : i64, end = 4 : i64} : (tensor<1x4x?x64xf32>) -> tensor<2xi64>
  return %0, %1 : tensor<4xi64>, tensor<2xi64>
}

// CHECK-LABEL: func.func @trilu
// CHECK-SAME: (%[[X:.*]]: tensor<16x16xf32>)
func.func @trilu(%x: tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>) {
  // CHECK: mote.trilu %[[X]] {k = 0 : i64, upper = false} : tensor<16x16xf32>
  %0 = mote.trilu %x {upper = false, k = 0 : i64} : tensor<16x16xf32>
  // CHECK: mote.trilu %[[X]] {k = 1 : i64, upper = true} : tensor<16x16xf32>
  %1 = mote.trilu %x {upper = true, k = 1 : i64} : tensor<16x16xf32>
  return %0, %1 : tensor<16x16xf32>, tensor<16x16xf32>
}

// CHECK-LABEL: func.func @resize
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>)
func.func @resize(%x: tensor<1x8x4x4xf32>) -> (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) {
  // CHECK: mote.resize %[[X]] {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = array<f32: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
  %0 = mote.resize %x {mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
  // CHECK: mote.resize %[[X]] {coordinate_transformation_mode = "half_pixel", mode = "linear", nearest_mode = "round_prefer_floor", scales = array<f32: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
  %1 = mote.resize %x {mode = "linear", coordinate_transformation_mode = "half_pixel", nearest_mode = "round_prefer_floor", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
  return %0, %1 : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>
}

// CHECK-LABEL: func.func @pad
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>)
func.func @pad(%x: tensor<1x8x4x4xf32>) -> (tensor<1x8x6x6xf32>, tensor<1x8x3x5xf32>) {
  // CHECK: mote.pad %[[X]] {mode = "constant", pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 0.000000e+00 : f64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x6xf32>
  %0 = mote.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "constant", value = 0.0 : f64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x6xf32>
  // A negative pad crops: 4 - 1 + 0 = 3 rows, 4 + 0 + 1 = 5 columns.
  // CHECK: mote.pad %[[X]] {mode = "reflect", pads = array<i64: 0, 0, -1, 0, 0, 0, 0, 1>, value = 0.000000e+00 : f64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x3x5xf32>
  %1 = mote.pad %x {pads = array<i64: 0, 0, -1, 0, 0, 0, 0, 1>, mode = "reflect", value = 0.0 : f64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x3x5xf32>
  return %0, %1 : tensor<1x8x6x6xf32>, tensor<1x8x3x5xf32>
}

// A time embedding in fixed point: the f32 timestep read as it is, the frequencies a [2, N] constant.
// CHECK-LABEL: func.func @integer_sinusoid
// CHECK: mote.integer_sinusoid %arg0, %{{.*}} {clamp_max = 127 : si32, clamp_min = -127 : si32, multiplier = 65024 : i32, phase = 1073741824 : i64, shift = 23 : i32} : (tensor<1xf32>, tensor<2x3xi64>) -> tensor<1x3xi8>
func.func @integer_sinusoid(%t: tensor<1xf32>) -> tensor<1x3xi8> {
  %f = mote.constant dense<[[274877906944, 300000000000, -400000000000], [40, 45, 50]]> : tensor<2x3xi64>
  %0 = mote.integer_sinusoid %t, %f {phase = 1073741824 : i64, multiplier = 65024 : i32, shift = 23 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1xf32>, tensor<2x3xi64>) -> tensor<1x3xi8>
  return %0 : tensor<1x3xi8>
}

// int16 activations (w8a16): the same ops, an interpolated table of 513 int16 entries.
// CHECK-LABEL: func.func @integer_pipeline_int16
// CHECK: mote.integer_matmul %{{.*}} -> tensor<3x8xi16>
// CHECK: mote.integer_add %{{.*}} -> tensor<3x8xi16>
// CHECK: mote.integer_table %{{.*}} {table = dense<5> : tensor<513xi16>} : (tensor<3x8xi16>) -> tensor<3x8xi16>
// CHECK: mote.integer_norm %{{.*}} {{{.*}}square_shift = 1 : i32} : (tensor<3x8xi16>, tensor<2x8xi32>) -> tensor<3x8xi16>
func.func @integer_pipeline_int16(%x: tensor<3x16xi16>, %v: tensor<16x8xi8>, %c: tensor<8xi32>, %s: tensor<2x8xi32>,
                                  %y: tensor<3x8xi16>) -> tensor<3x8xi16> {
  %0 = mote.integer_matmul %x, %v, %c, %s {clamp_min = -32767 : si32, clamp_max = 32767 : si32} : (tensor<3x16xi16>, tensor<16x8xi8>, tensor<8xi32>, tensor<2x8xi32>) -> tensor<3x8xi16>
  %1 = mote.integer_add %0, %y {lhs_multiplier = 16384 : i32, rhs_multiplier = 8192 : i32, shift = 14 : i32, clamp_min = -32767 : si32, clamp_max = 32767 : si32} : (tensor<3x8xi16>, tensor<3x8xi16>) -> tensor<3x8xi16>
  %2 = mote.integer_table %1 {table = dense<5> : tensor<513xi16>} : (tensor<3x8xi16>) -> tensor<3x8xi16>
  %p = mote.constant dense<1> : tensor<2x8xi32>
  %3 = mote.integer_norm %2, %p {center = true, epsilon = 1 : i64, frac_bits = 8 : i32, clamp_min = -32767 : si32, clamp_max = 32767 : si32, square_shift = 1 : i32} : (tensor<3x8xi16>, tensor<2x8xi32>) -> tensor<3x8xi16>
  return %3 : tensor<3x8xi16>
}

// The integer-activation ops (a target with int8 activations).
// CHECK-LABEL: func.func @integer_pipeline
// CHECK: mote.quantize_activation %arg0 {scale = 5.000000e-02 : f32} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xi8>
// CHECK: mote.integer_conv %{{.*}}, %arg1, %arg2, %arg3 {clamp_max = 127 : si32, clamp_min = 0 : si32, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x4x8xi8>, tensor<16x8x3x3xi8>, tensor<16xi32>, tensor<2x16xi32>) -> tensor<1x4x4x16xi8>
// CHECK: mote.integer_matmul %{{.*}}, %arg4, %arg5, %arg6 {clamp_max = 127 : si32, clamp_min = -127 : si32} : (tensor<1x4x4x16xi8>, tensor<16x8xi8>, tensor<8xi32>, tensor<2x8xi32>) -> tensor<1x4x4x8xi8>
// CHECK: mote.integer_add %{{.*}}, %{{.*}} {clamp_max = 127 : si32, clamp_min = -127 : si32, lhs_multiplier = 16384 : i32, rhs_multiplier = 8192 : i32, shift = 14 : i32}
// CHECK: mote.integer_table %{{.*}} {table = dense<1> : tensor<256xi8>}
// CHECK: mote.dequantize_activation %{{.*}} {scale = 2.500000e-01 : f32} : (tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xf32>
func.func @integer_pipeline(%x: tensor<1x4x4x8xf32>, %w: tensor<16x8x3x3xi8>, %b: tensor<16xi32>, %r: tensor<2x16xi32>,
                            %v: tensor<16x8xi8>, %c: tensor<8xi32>, %s: tensor<2x8xi32>) -> tensor<1x4x4x8xf32> {
  %0 = mote.quantize_activation %x {scale = 0.05 : f32} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xi8>
  %1 = mote.integer_conv %0, %w, %b, %r {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, clamp_min = 0 : si32, clamp_max = 127 : si32} : (tensor<1x4x4x8xi8>, tensor<16x8x3x3xi8>, tensor<16xi32>, tensor<2x16xi32>) -> tensor<1x4x4x16xi8>
  %2 = mote.integer_matmul %1, %v, %c, %s {clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x4x4x16xi8>, tensor<16x8xi8>, tensor<8xi32>, tensor<2x8xi32>) -> tensor<1x4x4x8xi8>
  %3 = mote.integer_add %2, %0 {lhs_multiplier = 16384 : i32, rhs_multiplier = 8192 : i32, shift = 14 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x4x4x8xi8>, tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8>
  %4 = mote.integer_table %3 {table = dense<1> : tensor<256xi8>} : (tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8>
  %5 = mote.dequantize_activation %4 {scale = 0.25 : f32} : (tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xf32>
  return %5 : tensor<1x4x4x8xf32>
}

// The fixed-point transformer ops round-trip.
// CHECK-LABEL: func.func @integer_transformer
// CHECK: mote.integer_norm %arg0, %arg1 {center = true, clamp_max = 127 : si32, clamp_min = -127 : si32, epsilon = 6 : i64, frac_bits = 16 : i32} : (tensor<1x2x4xi8>, tensor<2x4xi32>) -> tensor<1x2x4xi8>
// CHECK: mote.integer_mul %{{.*}}, %{{.*}} {clamp_max = 127 : si32, clamp_min = -127 : si32, multiplier = 40000 : i32, shift = 3 : i32}
// CHECK: mote.integer_attention %{{.*}}, %{{.*}}, %{{.*}}, %[[T:.*]] mask %[[M:.*]] {{{.*}}logit_mult = 53687 : i32{{.*}}} : (tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<3xi32>, tensor<2x2xi32>) -> tensor<1x1x2x4xi8>
// CHECK: mote.integer_attention %{{.*}}, %{{.*}}, %{{.*}}, %[[T]] {
func.func @integer_transformer(%x: tensor<1x2x4xi8>, %p: tensor<2x4xi32>) -> (tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>) {
  %m = mote.constant dense<[[0, -16777216], [0, 0]]> : tensor<2x2xi32>
  %t = mote.constant dense<[65536, 30000, 0]> : tensor<3xi32>
  %0 = mote.integer_norm %x, %p {center = true, epsilon = 6 : i64, frac_bits = 16 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x2x4xi8>, tensor<2x4xi32>) -> tensor<1x2x4xi8>
  %1 = mote.integer_mul %0, %0 {multiplier = 40000 : i32, shift = 3 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x2x4xi8>, tensor<1x2x4xi8>) -> tensor<1x2x4xi8>
  %2 = mote.reshape %1 : (tensor<1x2x4xi8>) -> tensor<1x1x2x4xi8>
  %3 = mote.integer_attention %2, %2, %2, %t mask %m {logit_mult = 53687 : i32, logit_shift = 7 : i32, out_mult = 32768 : i32, out_shift = 14 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<3xi32>, tensor<2x2xi32>) -> tensor<1x1x2x4xi8>
  %4 = mote.integer_attention %2, %2, %2, %t {logit_mult = 53687 : i32, logit_shift = 7 : i32, out_mult = 32768 : i32, out_shift = 14 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>, tensor<3xi32>) -> tensor<1x1x2x4xi8>
  return %3, %4 : tensor<1x1x2x4xi8>, tensor<1x1x2x4xi8>
}

// The weight blob survives the round trip.
// CHECK: dialect_resources
// CHECK: weight: "0x040000000000803F00000040"

{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F00000040"
    }
  }
#-}

