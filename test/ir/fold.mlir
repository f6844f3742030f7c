// Folders of the `mote` ops: small constants are evaluated, no-op data movement disappears, and what
// must not fold (integer division by zero, out-of-range gathers, weights in resource blobs, large
// tensors, non-constant operands) stays.
// RUN: mote-opt %s -canonicalize -split-input-file | FileCheck %s

//===----------------------------------------------------------------------===//
// shape
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @shape_static
// CHECK-DAG: %[[ALL:.*]] = mote.constant dense<[2, 3, 5, 7]> : tensor<4xi64>
// CHECK-DAG: %[[MID:.*]] = mote.constant dense<[3, 5]> : tensor<2xi64>
// CHECK-NOT: mote.shape
// CHECK: return %[[ALL]], %[[MID]]
func.func @shape_static(%x: tensor<2x3x5x7xf32>) -> (tensor<4xi64>, tensor<2xi64>) {
  %0 = mote.shape %x {start = 0 : i64, end = 4 : i64} : (tensor<2x3x5x7xf32>) -> tensor<4xi64>
  // [start, end) = [1, -1 + 4) = [1, 3): dimensions 1 and 2.
  %1 = mote.shape %x {start = 1 : i64, end = -1 : i64} : (tensor<2x3x5x7xf32>) -> tensor<2xi64>
  return %0, %1 : tensor<4xi64>, tensor<2xi64>
}

// -----

// Bounds are clamped to [0, rank]; an empty range gives an empty shape.
// CHECK-LABEL: func.func @shape_clamped
// CHECK-DAG: %[[ALL:.*]] = mote.constant dense<[2, 3]> : tensor<2xi64>
// CHECK-DAG: %[[NONE:.*]] = mote.constant dense<> : tensor<0xi64>
// CHECK-NOT: mote.shape
// CHECK: return %[[ALL]], %[[NONE]]
func.func @shape_clamped(%x: tensor<2x3xf32>) -> (tensor<2xi64>, tensor<0xi64>) {
  %0 = mote.shape %x {start = -10 : i64, end = 10 : i64} : (tensor<2x3xf32>) -> tensor<2xi64>
  %1 = mote.shape %x {start = 2 : i64, end = 1 : i64} : (tensor<2x3xf32>) -> tensor<0xi64>
  return %0, %1 : tensor<2xi64>, tensor<0xi64>
}

// -----

// A dynamic input shape is not known yet.
// CHECK-LABEL: func.func @shape_dynamic_not_folded
// CHECK: %[[S:.*]] = mote.shape %{{.*}} {end = 2 : i64, start = 0 : i64} : (tensor<?x3xf32>) -> tensor<2xi64>
// CHECK: return %[[S]]
func.func @shape_dynamic_not_folded(%x: tensor<?x3xf32>) -> tensor<2xi64> {
  %0 = mote.shape %x {start = 0 : i64, end = 2 : i64} : (tensor<?x3xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// An exporter's shape sub-graph: Shape -> Gather -> Mul -> Concat folds to one constant.
// shape = [2, 3, 4]; gather [1, 2] -> [3, 4]; * 2 -> [6, 8]; concat [[1], [6, 8]] -> [1, 6, 8].
// CHECK-LABEL: func.func @shape_subgraph
// CHECK: %[[C:.*]] = mote.constant dense<[1, 6, 8]> : tensor<3xi64>
// CHECK-NOT: mote.shape
// CHECK-NOT: mote.gather
// CHECK-NOT: mote.mul
// CHECK-NOT: mote.concat
// CHECK: return %[[C]]
func.func @shape_subgraph(%x: tensor<2x3x4xf32>) -> tensor<3xi64> {
  %s = mote.shape %x {start = 0 : i64, end = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %i = mote.constant dense<[1, 2]> : tensor<2xi64>
  %g = mote.gather %s, %i {axis = 0 : i64} : (tensor<3xi64>, tensor<2xi64>) -> tensor<2xi64>
  %two = mote.constant dense<2> : tensor<i64>
  %m = mote.mul %g, %two : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  %one = mote.constant dense<1> : tensor<1xi64>
  %c = mote.concat %one, %m {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  return %c : tensor<3xi64>
}

// -----

//===----------------------------------------------------------------------===//
// gather
//===----------------------------------------------------------------------===//

// Negative indices count from the end: -1 is 40.
// CHECK-LABEL: func.func @gather_1d
// CHECK: %[[C:.*]] = mote.constant dense<[40, 40, 10]> : tensor<3xi64>
// CHECK-NOT: mote.gather
// CHECK: return %[[C]]
func.func @gather_1d() -> tensor<3xi64> {
  %d = mote.constant dense<[10, 20, 30, 40]> : tensor<4xi64>
  %i = mote.constant dense<[3, -1, 0]> : tensor<3xi32>
  %0 = mote.gather %d, %i {axis = 0 : i64} : (tensor<4xi64>, tensor<3xi32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// Along axis 1 of [[1, 2, 3], [4, 5, 6]], columns 2 then 0: [[3, 1], [6, 4]].
// CHECK-LABEL: func.func @gather_axis1
// CHECK: %[[C:.*]] = mote.constant dense<{{\[}}[3.000000e+00, 1.000000e+00], [6.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT: mote.gather
// CHECK: return %[[C]]
func.func @gather_axis1() -> tensor<2x2xf32> {
  %d = mote.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %i = mote.constant dense<[2, 0]> : tensor<2xi64>
  %0 = mote.gather %d, %i {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// A scalar index drops the axis: row 1 of [[1, 2], [3, 4]].
// CHECK-LABEL: func.func @gather_scalar_index
// CHECK: %[[C:.*]] = mote.constant dense<[3, 4]> : tensor<2xi64>
// CHECK-NOT: mote.gather
// CHECK: return %[[C]]
func.func @gather_scalar_index() -> tensor<2xi64> {
  %d = mote.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %i = mote.constant dense<1> : tensor<i64>
  %0 = mote.gather %d, %i {axis = 0 : i64} : (tensor<2x2xi64>, tensor<i64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Index 4 is out of range for 4 elements: left for the runtime to report.
// CHECK-LABEL: func.func @gather_out_of_range_not_folded
// CHECK: %[[G:.*]] = mote.gather
// CHECK: return %[[G]]
func.func @gather_out_of_range_not_folded() -> tensor<1xi64> {
  %d = mote.constant dense<[10, 20, 30, 40]> : tensor<4xi64>
  %i = mote.constant dense<[4]> : tensor<1xi64>
  %0 = mote.gather %d, %i {axis = 0 : i64} : (tensor<4xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

// -----

//===----------------------------------------------------------------------===//
// concat
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @concat_1d
// CHECK: %[[C:.*]] = mote.constant dense<[1, 2, 3]> : tensor<3xi64>
// CHECK-NOT: mote.concat
// CHECK: return %[[C]]
func.func @concat_1d() -> tensor<3xi64> {
  %a = mote.constant dense<[1, 2]> : tensor<2xi64>
  %b = mote.constant dense<[3]> : tensor<1xi64>
  %0 = mote.concat %a, %b {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// Along axis 1, row by row: [[1] ++ [3, 4], [2] ++ [5, 6]].
// CHECK-LABEL: func.func @concat_axis1
// CHECK: %[[C:.*]] = mote.constant dense<{{\[}}[1, 3, 4], [2, 5, 6]]> : tensor<2x3xi32>
// CHECK-NOT: mote.concat
// CHECK: return %[[C]]
func.func @concat_axis1() -> tensor<2x3xi32> {
  %a = mote.constant dense<[[1], [2]]> : tensor<2x1xi32>
  %b = mote.constant dense<[[3, 4], [5, 6]]> : tensor<2x2xi32>
  %0 = mote.concat %a, %b {axis = -1 : i64} : (tensor<2x1xi32>, tensor<2x2xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func.func @concat_single_input
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: mote.concat
// CHECK: return %[[X]]
func.func @concat_single_input(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mote.concat %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat_not_constant
// CHECK: %[[C:.*]] = mote.concat
// CHECK: return %[[C]]
func.func @concat_not_constant(%x: tensor<2xi64>) -> tensor<3xi64> {
  %b = mote.constant dense<[3]> : tensor<1xi64>
  %0 = mote.concat %x, %b {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

//===----------------------------------------------------------------------===//
// slice
//===----------------------------------------------------------------------===//

// Elements 1 and 3 (start 1, step 2, before 5).
// CHECK-LABEL: func.func @slice_strided
// CHECK: %[[C:.*]] = mote.constant dense<[20, 40]> : tensor<2xi64>
// CHECK-NOT: mote.slice
// CHECK: return %[[C]]
func.func @slice_strided() -> tensor<2xi64> {
  %c = mote.constant dense<[10, 20, 30, 40, 50]> : tensor<5xi64>
  %0 = mote.slice %c {starts = array<i64: 1>, limits = array<i64: 5>, steps = array<i64: 2>} : (tensor<5xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Elements 4, 2, 0 (start 4, step -2, down to but excluding -1).
// CHECK-LABEL: func.func @slice_negative_step
// CHECK: %[[C:.*]] = mote.constant dense<[50, 30, 10]> : tensor<3xi64>
// CHECK-NOT: mote.slice
// CHECK: return %[[C]]
func.func @slice_negative_step() -> tensor<3xi64> {
  %c = mote.constant dense<[10, 20, 30, 40, 50]> : tensor<5xi64>
  %0 = mote.slice %c {starts = array<i64: 4>, limits = array<i64: -1>, steps = array<i64: -2>} : (tensor<5xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// Rows [1, 3) and columns [0, 3) step 2 of [[0, 1, 2], [3, 4, 5], [6, 7, 8]]: [[3, 5], [6, 8]].
// CHECK-LABEL: func.func @slice_2d
// CHECK: %[[C:.*]] = mote.constant dense<{{\[}}[3.000000e+00, 5.000000e+00], [6.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT: mote.slice
// CHECK: return %[[C]]
func.func @slice_2d() -> tensor<2x2xf32> {
  %c = mote.constant dense<[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]> : tensor<3x3xf32>
  %0 = mote.slice %c {starts = array<i64: 1, 0>, limits = array<i64: 3, 3>, steps = array<i64: 1, 2>} : (tensor<3x3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @slice_identity
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NOT: mote.slice
// CHECK: return %[[X]]
func.func @slice_identity(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = mote.slice %x {starts = array<i64: 0, 0>, limits = array<i64: 4, 8>, steps = array<i64: 1, 1>} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @slice_not_constant
// CHECK: %[[S:.*]] = mote.slice %{{.*}} {limits = array<i64: 3, 8>, starts = array<i64: 1, 0>, steps = array<i64: 1, 1>}
// CHECK: return %[[S]]
func.func @slice_not_constant(%x: tensor<4x8xf32>) -> tensor<2x8xf32> {
  %0 = mote.slice %x {starts = array<i64: 1, 0>, limits = array<i64: 3, 8>, steps = array<i64: 1, 1>} : (tensor<4x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// transpose
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @transpose_2d
// CHECK: %[[C:.*]] = mote.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi64>
// CHECK-NOT: mote.transpose
// CHECK: return %[[C]]
func.func @transpose_2d() -> tensor<3x2xi64> {
  %c = mote.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %0 = mote.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xi64>) -> tensor<3x2xi64>
  return %0 : tensor<3x2xi64>
}

// -----

// perm = [2, 0, 1] is not its own inverse, so it tells "result dim i is input dim perm[i]" from the
// opposite convention. in[a][0][c] = 3a + c; out[i][j][0] = in[j][0][i] = 3j + i:
// out = [[[0], [3]], [[1], [4]], [[2], [5]]] of shape [3, 2, 1].
// CHECK-LABEL: func.func @transpose_3d
// CHECK: %[[C:.*]] = mote.constant dense<{{\[}}{{\[}}[0], [3]], {{\[}}[1], [4]], {{\[}}[2], [5]]]> : tensor<3x2x1xi32>
// CHECK-NOT: mote.transpose
// CHECK: return %[[C]]
func.func @transpose_3d() -> tensor<3x2x1xi32> {
  %c = mote.constant dense<[[[0, 1, 2]], [[3, 4, 5]]]> : tensor<2x1x3xi32>
  %0 = mote.transpose %c {perm = array<i64: 2, 0, 1>} : (tensor<2x1x3xi32>) -> tensor<3x2x1xi32>
  return %0 : tensor<3x2x1xi32>
}

// -----

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: mote.transpose
// CHECK: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = mote.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Swapping two equal dimensions keeps the type but moves elements: not an identity.
// CHECK-LABEL: func.func @transpose_same_type_not_identity
// CHECK: %[[T:.*]] = mote.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<3x3xf32>) -> tensor<3x3xf32>
// CHECK: return %[[T]]
func.func @transpose_same_type_not_identity(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %0 = mote.transpose %x {perm = array<i64: 1, 0>} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// expand
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @expand_splat
// CHECK: %[[C:.*]] = mote.constant dense<1.500000e+00> : tensor<2x3xf32>
// CHECK-NOT: mote.expand
// CHECK: return %[[C]]
func.func @expand_splat() -> tensor<2x3xf32> {
  %c = mote.constant dense<1.5> : tensor<1xf32>
  %0 = mote.expand %c : (tensor<1xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// [[1], [2]] stretched along axis 1; [1, 2, 3] repeated along a new leading axis.
// CHECK-LABEL: func.func @expand_values
// CHECK-DAG: %[[COLS:.*]] = mote.constant dense<{{\[}}[1, 1, 1], [2, 2, 2]]> : tensor<2x3xi64>
// CHECK-DAG: %[[ROWS:.*]] = mote.constant dense<{{\[}}[1, 2, 3], [1, 2, 3]]> : tensor<2x3xi64>
// CHECK-NOT: mote.expand
// CHECK: return %[[COLS]], %[[ROWS]]
func.func @expand_values() -> (tensor<2x3xi64>, tensor<2x3xi64>) {
  %a = mote.constant dense<[[1], [2]]> : tensor<2x1xi64>
  %0 = mote.expand %a : (tensor<2x1xi64>) -> tensor<2x3xi64>
  %b = mote.constant dense<[1, 2, 3]> : tensor<3xi64>
  %1 = mote.expand %b : (tensor<3xi64>) -> tensor<2x3xi64>
  return %0, %1 : tensor<2x3xi64>, tensor<2x3xi64>
}

// -----

// CHECK-LABEL: func.func @expand_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: mote.expand
// CHECK: return %[[X]]
func.func @expand_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mote.expand %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape_constant
// CHECK: %[[C:.*]] = mote.constant dense<{{\[}}[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
// CHECK-NOT: mote.reshape
// CHECK: return %[[C]]
func.func @reshape_constant() -> tensor<2x3xi64> {
  %c = mote.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi64>
  %0 = mote.reshape %c : (tensor<6xi64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: mote.reshape
// CHECK: return %[[X]]
func.func @reshape_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mote.reshape %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<1x320x64x64xf32>)
// CHECK: %[[R:.*]] = mote.reshape %[[X]] : (tensor<1x320x64x64xf32>) -> tensor<320x4096xf32>
// CHECK-NOT: mote.reshape
// CHECK: return %[[R]]
func.func @reshape_reshape(%x: tensor<1x320x64x64xf32>) -> tensor<320x4096xf32> {
  %0 = mote.reshape %x : (tensor<1x320x64x64xf32>) -> tensor<1x32x40960xf32>
  %1 = mote.reshape %0 : (tensor<1x32x40960xf32>) -> tensor<320x4096xf32>
  return %1 : tensor<320x4096xf32>
}

// -----

// Reshaping back to the input's shape leaves nothing.
// CHECK-LABEL: func.func @reshape_roundtrip
// CHECK-SAME: (%[[X:.*]]: tensor<1x320x64x64xf32>)
// CHECK-NOT: mote.reshape
// CHECK: return %[[X]]
func.func @reshape_roundtrip(%x: tensor<1x320x64x64xf32>) -> tensor<1x320x64x64xf32> {
  %0 = mote.reshape %x : (tensor<1x320x64x64xf32>) -> tensor<1x32x40960xf32>
  %1 = mote.reshape %0 : (tensor<1x32x40960xf32>) -> tensor<1x320x64x64xf32>
  return %1 : tensor<1x320x64x64xf32>
}

// -----

// The inner reshape has another use, so it stays; the outer one reads %x directly.
// CHECK-LABEL: func.func @reshape_reshape_shared
// CHECK-SAME: (%[[X:.*]]: tensor<2x6xf32>)
// CHECK-DAG: %[[A:.*]] = mote.reshape %[[X]] : (tensor<2x6xf32>) -> tensor<12xf32>
// CHECK-DAG: %[[B:.*]] = mote.reshape %[[X]] : (tensor<2x6xf32>) -> tensor<3x4xf32>
// CHECK: return %[[A]], %[[B]]
func.func @reshape_reshape_shared(%x: tensor<2x6xf32>) -> (tensor<12xf32>, tensor<3x4xf32>) {
  %0 = mote.reshape %x : (tensor<2x6xf32>) -> tensor<12xf32>
  %1 = mote.reshape %0 : (tensor<12xf32>) -> tensor<3x4xf32>
  return %0, %1 : tensor<12xf32>, tensor<3x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// cast
//===----------------------------------------------------------------------===//

// Float to integer truncates toward zero: 1.9 -> 1, -1.9 -> -1, 2.5 -> 2.
// CHECK-LABEL: func.func @cast_float_to_int
// CHECK: %[[C:.*]] = mote.constant dense<[1, -1, 2]> : tensor<3xi64>
// CHECK-NOT: mote.cast
// CHECK: return %[[C]]
func.func @cast_float_to_int() -> tensor<3xi64> {
  %c = mote.constant dense<[1.9, -1.9, 2.5]> : tensor<3xf32>
  %0 = mote.cast %c {to = i64} : (tensor<3xf32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// CHECK-LABEL: func.func @cast_int_to_float
// CHECK: %[[C:.*]] = mote.constant dense<[1.000000e+00, -2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-NOT: mote.cast
// CHECK: return %[[C]]
func.func @cast_int_to_float() -> tensor<3xf32> {
  %c = mote.constant dense<[1, -2, 3]> : tensor<3xi64>
  %0 = mote.cast %c {to = f32} : (tensor<3xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Integer to i1 is x != 0; i1 to integer or float is 0 or 1 (true is not -1).
// CHECK-LABEL: func.func @cast_bool
// CHECK-DAG: %[[B:.*]] = mote.constant dense<[false, true, true]> : tensor<3xi1>
// CHECK-DAG: %[[I:.*]] = mote.constant dense<[1, 0]> : tensor<2xi64>
// CHECK-DAG: %[[F:.*]] = mote.constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK-NOT: mote.cast
// CHECK: return %[[B]], %[[I]], %[[F]]
func.func @cast_bool() -> (tensor<3xi1>, tensor<2xi64>, tensor<2xf32>) {
  %c = mote.constant dense<[0, 5, -1]> : tensor<3xi32>
  %0 = mote.cast %c {to = i1} : (tensor<3xi32>) -> tensor<3xi1>
  %t = mote.constant dense<[true, false]> : tensor<2xi1>
  %1 = mote.cast %t {to = i64} : (tensor<2xi1>) -> tensor<2xi64>
  %2 = mote.cast %t {to = f32} : (tensor<2xi1>) -> tensor<2xf32>
  return %0, %1, %2 : tensor<3xi1>, tensor<2xi64>, tensor<2xf32>
}

// -----

// Values exactly representable in f16.
// CHECK-LABEL: func.func @cast_f32_to_f16
// CHECK: %[[C:.*]] = mote.constant dense<[5.000000e-01, -1.500000e+00, 2.048000e+03]> : tensor<3xf16>
// CHECK-NOT: mote.cast
// CHECK: return %[[C]]
func.func @cast_f32_to_f16() -> tensor<3xf16> {
  %c = mote.constant dense<[0.5, -1.5, 2048.0]> : tensor<3xf32>
  %0 = mote.cast %c {to = f16} : (tensor<3xf32>) -> tensor<3xf16>
  return %0 : tensor<3xf16>
}

// -----

// CHECK-LABEL: func.func @cast_identity
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NOT: mote.cast
// CHECK: return %[[X]]
func.func @cast_identity(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mote.cast %x {to = f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @cast_not_constant
// CHECK: %[[C:.*]] = mote.cast %{{.*}} {to = i64} : (tensor<4xf32>) -> tensor<4xi64>
// CHECK: return %[[C]]
func.func @cast_not_constant(%x: tensor<4xf32>) -> tensor<4xi64> {
  %0 = mote.cast %x {to = i64} : (tensor<4xf32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

//===----------------------------------------------------------------------===//
// where
//===----------------------------------------------------------------------===//

// The [1] y broadcasts: [true ? 1 : 10, false ? 2 : 10, true ? 3 : 10].
// CHECK-LABEL: func.func @where_1d
// CHECK: %[[C:.*]] = mote.constant dense<[1.000000e+00, 1.000000e+01, 3.000000e+00]> : tensor<3xf32>
// CHECK-NOT: mote.where
// CHECK: return %[[C]]
func.func @where_1d() -> tensor<3xf32> {
  %c = mote.constant dense<[true, false, true]> : tensor<3xi1>
  %x = mote.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %y = mote.constant dense<[10.0]> : tensor<1xf32>
  %0 = mote.where %c, %x, %y : (tensor<3xi1>, tensor<3xf32>, tensor<1xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// A [2, 1] condition against [2] operands: row 0 takes x = [1, 2], row 1 takes y = [3, 4].
// CHECK-LABEL: func.func @where_broadcast
// CHECK: %[[C:.*]] = mote.constant dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xi64>
// CHECK-NOT: mote.where
// CHECK: return %[[C]]
func.func @where_broadcast() -> tensor<2x2xi64> {
  %c = mote.constant dense<[[true], [false]]> : tensor<2x1xi1>
  %x = mote.constant dense<[1, 2]> : tensor<2xi64>
  %y = mote.constant dense<[3, 4]> : tensor<2xi64>
  %0 = mote.where %c, %x, %y : (tensor<2x1xi1>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  return %0 : tensor<2x2xi64>
}

// -----

// CHECK-LABEL: func.func @where_not_constant
// CHECK: %[[W:.*]] = mote.where
// CHECK: return %[[W]]
func.func @where_not_constant(%c: tensor<3xi1>) -> tensor<3xf32> {
  %x = mote.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %y = mote.constant dense<[10.0]> : tensor<1xf32>
  %0 = mote.where %c, %x, %y : (tensor<3xi1>, tensor<3xf32>, tensor<1xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @add_int_broadcast
// CHECK: %[[C:.*]] = mote.constant dense<[11, 12, 13]> : tensor<3xi64>
// CHECK-NOT: mote.add
// CHECK: return %[[C]]
func.func @add_int_broadcast() -> tensor<3xi64> {
  %a = mote.constant dense<[1, 2, 3]> : tensor<3xi64>
  %b = mote.constant dense<[10]> : tensor<1xi64>
  %0 = mote.add %a, %b : (tensor<3xi64>, tensor<1xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// [[1], [2]] - [10, 20, 30] broadcasts to 2x3: [[1-10, 1-20, 1-30], [2-10, 2-20, 2-30]].
// CHECK-LABEL: func.func @sub_float_broadcast
// CHECK: %[[C:.*]] = mote.constant dense<{{\[}}[-9.000000e+00, -1.900000e+01, -2.900000e+01], [-8.000000e+00, -1.800000e+01, -2.800000e+01]]> : tensor<2x3xf32>
// CHECK-NOT: mote.sub
// CHECK: return %[[C]]
func.func @sub_float_broadcast() -> tensor<2x3xf32> {
  %a = mote.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %b = mote.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %0 = mote.sub %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @mul_scalar
// CHECK: %[[C:.*]] = mote.constant dense<[-3, 0, 9]> : tensor<3xi32>
// CHECK-NOT: mote.mul
// CHECK: return %[[C]]
func.func @mul_scalar() -> tensor<3xi32> {
  %a = mote.constant dense<[-1, 0, 3]> : tensor<3xi32>
  %b = mote.constant dense<3> : tensor<i32>
  %0 = mote.mul %a, %b : (tensor<3xi32>, tensor<i32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// Integer division truncates toward zero: 7/2 = 3, -7/2 = -3, 7/-2 = -3.
// CHECK-LABEL: func.func @div_int
// CHECK: %[[C:.*]] = mote.constant dense<[3, -3, -3]> : tensor<3xi64>
// CHECK-NOT: mote.div
// CHECK: return %[[C]]
func.func @div_int() -> tensor<3xi64> {
  %a = mote.constant dense<[7, -7, 7]> : tensor<3xi64>
  %b = mote.constant dense<[2, 2, -2]> : tensor<3xi64>
  %0 = mote.div %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// CHECK-LABEL: func.func @div_float
// CHECK: %[[C:.*]] = mote.constant dense<[2.500000e-01, -7.500000e-01]> : tensor<2xf32>
// CHECK-NOT: mote.div
// CHECK: return %[[C]]
func.func @div_float() -> tensor<2xf32> {
  %a = mote.constant dense<[1.0, -3.0]> : tensor<2xf32>
  %b = mote.constant dense<4.0> : tensor<f32>
  %0 = mote.div %a, %b : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Integer division by zero has no value: the whole op is left alone, even its defined elements.
// CHECK-LABEL: func.func @div_int_by_zero_not_folded
// CHECK-DAG: %[[A:.*]] = mote.constant dense<[6, 1]> : tensor<2xi64>
// CHECK-DAG: %[[B:.*]] = mote.constant dense<[3, 0]> : tensor<2xi64>
// CHECK: %[[D:.*]] = mote.div %[[A]], %[[B]] : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
// CHECK: return %[[D]]
func.func @div_int_by_zero_not_folded() -> tensor<2xi64> {
  %a = mote.constant dense<[6, 1]> : tensor<2xi64>
  %b = mote.constant dense<[3, 0]> : tensor<2xi64>
  %0 = mote.div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Float division by zero is defined by IEEE 754 (and so by ONNX): 1/0 = +inf, -1/0 = -inf.
// CHECK-LABEL: func.func @div_float_by_zero_is_inf
// CHECK: %[[C:.*]] = mote.constant dense<[0x7F800000, 0xFF800000]> : tensor<2xf32>
// CHECK-NOT: mote.div
// CHECK: return %[[C]]
func.func @div_float_by_zero_is_inf() -> tensor<2xf32> {
  %a = mote.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %b = mote.constant dense<0.0> : tensor<f32>
  %0 = mote.div %a, %b : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// 2^3 = 8, 3^2 = 9, 5^0 = 1; 4^0.5 = 2, 2^-1 = 0.5.
// CHECK-LABEL: func.func @pow
// CHECK-DAG: %[[I:.*]] = mote.constant dense<[8, 9, 1]> : tensor<3xi64>
// CHECK-DAG: %[[F:.*]] = mote.constant dense<[2.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-NOT: mote.pow
// CHECK: return %[[I]], %[[F]]
func.func @pow() -> (tensor<3xi64>, tensor<2xf32>) {
  %a = mote.constant dense<[2, 3, 5]> : tensor<3xi64>
  %b = mote.constant dense<[3, 2, 0]> : tensor<3xi64>
  %0 = mote.pow %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %c = mote.constant dense<[4.0, 2.0]> : tensor<2xf32>
  %d = mote.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %1 = mote.pow %c, %d : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0, %1 : tensor<3xi64>, tensor<2xf32>
}

// -----

// An integer raised to a negative power is not an integer: not folded.
// CHECK-LABEL: func.func @pow_int_negative_exponent_not_folded
// CHECK: %[[P:.*]] = mote.pow
// CHECK: return %[[P]]
func.func @pow_int_negative_exponent_not_folded() -> tensor<1xi64> {
  %a = mote.constant dense<[2]> : tensor<1xi64>
  %b = mote.constant dense<[-1]> : tensor<1xi64>
  %0 = mote.pow %a, %b : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

// -----

// CHECK-LABEL: func.func @min_max
// CHECK-DAG: %[[MIN:.*]] = mote.constant dense<[1.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[MAX:.*]] = mote.constant dense<[3, 5, 3]> : tensor<3xi64>
// CHECK-NOT: mote.min
// CHECK-NOT: mote.max
// CHECK: return %[[MIN]], %[[MAX]]
func.func @min_max() -> (tensor<2xf32>, tensor<3xi64>) {
  %a = mote.constant dense<[1.0, 5.0]> : tensor<2xf32>
  %b = mote.constant dense<[3.0]> : tensor<1xf32>
  %0 = mote.min %a, %b : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xf32>
  %c = mote.constant dense<[-1, 5, 3]> : tensor<3xi64>
  %d = mote.constant dense<3> : tensor<i64>
  %1 = mote.max %c, %d : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  return %0, %1 : tensor<2xf32>, tensor<3xi64>
}

// -----

// CHECK-LABEL: func.func @neg
// CHECK-DAG: %[[I:.*]] = mote.constant dense<[-1, 2, 0]> : tensor<3xi64>
// CHECK-DAG: %[[F:.*]] = mote.constant dense<[-1.500000e+00, 2.500000e-01]> : tensor<2xf32>
// CHECK-NOT: mote.neg
// CHECK: return %[[I]], %[[F]]
func.func @neg() -> (tensor<3xi64>, tensor<2xf32>) {
  %a = mote.constant dense<[1, -2, 0]> : tensor<3xi64>
  %0 = mote.neg %a : tensor<3xi64>
  %b = mote.constant dense<[1.5, -0.25]> : tensor<2xf32>
  %1 = mote.neg %b : tensor<2xf32>
  return %0, %1 : tensor<3xi64>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @arith_not_constant
// CHECK: %[[A:.*]] = mote.add
// CHECK: %[[N:.*]] = mote.neg %[[A]]
// CHECK: return %[[N]]
func.func @arith_not_constant(%x: tensor<3xi64>) -> tensor<3xi64> {
  %c = mote.constant dense<[1, 2, 3]> : tensor<3xi64>
  %0 = mote.add %x, %c : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %1 = mote.neg %0 : tensor<3xi64>
  return %1 : tensor<3xi64>
}

// -----

//===----------------------------------------------------------------------===//
// Comparisons and logic
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @compare_int
// CHECK-DAG: %[[EQ:.*]] = mote.constant dense<[true, false, true]> : tensor<3xi1>
// CHECK-DAG: %[[LT:.*]] = mote.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: %[[GE:.*]] = mote.constant dense<[true, true, false]> : tensor<3xi1>
// CHECK-NOT: mote.equal
// CHECK-NOT: mote.less
// CHECK-NOT: mote.greater_or_equal
// CHECK: return %[[EQ]], %[[LT]], %[[GE]]
func.func @compare_int() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %a = mote.constant dense<[1, 2, 3]> : tensor<3xi64>
  %b = mote.constant dense<[1, 0, 3]> : tensor<3xi64>
  %0 = mote.equal %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
  // [1, 2, 3] < 2
  %t = mote.constant dense<2> : tensor<i64>
  %1 = mote.less %a, %t : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  // 2 >= [1, 2, 3]
  %two = mote.constant dense<[2]> : tensor<1xi64>
  %2 = mote.greater_or_equal %two, %a : (tensor<1xi64>, tensor<3xi64>) -> tensor<3xi1>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @compare_float
// CHECK-DAG: %[[GT:.*]] = mote.constant dense<[false, false, true]> : tensor<3xi1>
// CHECK-DAG: %[[LE:.*]] = mote.constant dense<[true, true, false]> : tensor<3xi1>
// CHECK-NOT: mote.greater
// CHECK-NOT: mote.less_or_equal
// CHECK: return %[[GT]], %[[LE]]
func.func @compare_float() -> (tensor<3xi1>, tensor<3xi1>) {
  %a = mote.constant dense<[-0.5, 0.5, 1.5]> : tensor<3xf32>
  %b = mote.constant dense<0.5> : tensor<f32>
  %0 = mote.greater %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  %1 = mote.less_or_equal %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  return %0, %1 : tensor<3xi1>, tensor<3xi1>
}

// -----

// Unsigned elements compare as unsigned: 200 > 100 (as signed i8, 200 would be -56).
// CHECK-LABEL: func.func @compare_unsigned
// CHECK: %[[C:.*]] = mote.constant dense<[true, false]> : tensor<2xi1>
// CHECK-NOT: mote.greater
// CHECK: return %[[C]]
func.func @compare_unsigned() -> tensor<2xi1> {
  %a = mote.constant dense<[200, 50]> : tensor<2xui8>
  %b = mote.constant dense<100> : tensor<ui8>
  %0 = mote.greater %a, %b : (tensor<2xui8>, tensor<ui8>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

// CHECK-LABEL: func.func @logic
// CHECK-DAG: %[[AND:.*]] = mote.constant dense<[true, false, false, false]> : tensor<4xi1>
// CHECK-DAG: %[[OR:.*]] = mote.constant dense<[true, true, true, false]> : tensor<4xi1>
// CHECK-DAG: %[[NOT:.*]] = mote.constant dense<[false, false, true, true]> : tensor<4xi1>
// CHECK-NOT: mote.and
// CHECK-NOT: mote.or
// CHECK-NOT: mote.not
// CHECK: return %[[AND]], %[[OR]], %[[NOT]]
func.func @logic() -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %a = mote.constant dense<[true, true, false, false]> : tensor<4xi1>
  %b = mote.constant dense<[true, false, true, false]> : tensor<4xi1>
  %0 = mote.and %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %1 = mote.or %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %2 = mote.not %a : tensor<4xi1>
  return %0, %1, %2 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @compare_not_constant
// CHECK: %[[E:.*]] = mote.equal
// CHECK: %[[N:.*]] = mote.not %[[E]]
// CHECK: return %[[N]]
func.func @compare_not_constant(%x: tensor<3xi64>) -> tensor<3xi1> {
  %c = mote.constant dense<[1, 2, 3]> : tensor<3xi64>
  %0 = mote.equal %x, %c : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
  %1 = mote.not %0 : tensor<3xi1>
  return %1 : tensor<3xi1>
}

// -----

//===----------------------------------------------------------------------===//
// What is never folded
//===----------------------------------------------------------------------===//

// Weights live in resource blobs and are never read by the folders: every op on them stays, except a
// reshape, which folds to the same blob under another type without reading it.
// CHECK-LABEL: func.func @dense_resource_not_folded
// CHECK: %[[R:.*]] = mote.constant dense_resource<weight> : tensor<1x4xf32>
// CHECK: %[[W:.*]] = mote.constant dense_resource<weight> : tensor<2x2xf32>
// CHECK: %[[ADD:.*]] = mote.add %[[W]], %[[W]]
// CHECK: %[[NEG:.*]] = mote.neg %[[W]]
// CHECK: %[[T:.*]] = mote.transpose %[[W]] {perm = array<i64: 1, 0>}
// CHECK: %[[C:.*]] = mote.cast %[[W]] {to = f16}
// CHECK: %[[S:.*]] = mote.slice %[[W]]
// CHECK: %[[E:.*]] = mote.expand %[[W]]
// CHECK: return %[[ADD]], %[[NEG]], %[[T]], %[[R]], %[[C]], %[[S]], %[[E]]
func.func @dense_resource_not_folded() -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<1x4xf32>, tensor<2x2xf16>,
                                           tensor<1x2xf32>, tensor<3x2x2xf32>) {
  %w = mote.constant dense_resource<weight> : tensor<2x2xf32>
  %0 = mote.add %w, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %1 = mote.neg %w : tensor<2x2xf32>
  %2 = mote.transpose %w {perm = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %r = mote.reshape %w : (tensor<2x2xf32>) -> tensor<4xf32>
  %3 = mote.reshape %r : (tensor<4xf32>) -> tensor<1x4xf32>
  %4 = mote.cast %w {to = f16} : (tensor<2x2xf32>) -> tensor<2x2xf16>
  %5 = mote.slice %w {starts = array<i64: 1, 0>, limits = array<i64: 2, 2>, steps = array<i64: 1, 1>} : (tensor<2x2xf32>) -> tensor<1x2xf32>
  %6 = mote.expand %w : (tensor<2x2xf32>) -> tensor<3x2x2xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<1x4xf32>, tensor<2x2xf16>,
                                      tensor<1x2xf32>, tensor<3x2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// Folding evaluates shape arithmetic, not the model: results of more than 2^14 = 16384 elements are
// left alone (128 * 129 = 16512).
// CHECK-LABEL: func.func @large_not_folded
// CHECK: %[[A:.*]] = mote.add
// CHECK: return %[[A]]
func.func @large_not_folded() -> tensor<128x129xf32> {
  %a = mote.constant dense<1.0> : tensor<128x129xf32>
  %0 = mote.add %a, %a : (tensor<128x129xf32>, tensor<128x129xf32>) -> tensor<128x129xf32>
  return %0 : tensor<128x129xf32>
}

// -----

//===----------------------------------------------------------------------===//
// split
//===----------------------------------------------------------------------===//

// repeat_interleave's shape arithmetic splits a constant [2, 2] into its parts; along an inner axis
// every outer row contributes to each part.
// CHECK-LABEL: func.func @split_constant
// CHECK-DAG: %[[A:.*]] = mote.constant dense<2> : tensor<1xi64>
// CHECK-DAG: %[[B:.*]] = mote.constant dense<{{\[}}[1, 2], [5, 6]]> : tensor<2x2xi64>
// CHECK-DAG: %[[C:.*]] = mote.constant dense<{{\[}}[3], [7]]> : tensor<2x1xi64>
// CHECK-DAG: %[[D:.*]] = mote.constant dense<{{\[}}[4], [8]]> : tensor<2x1xi64>
// CHECK-NOT: mote.split
// CHECK: return %[[A]], %[[A]], %[[B]], %[[C]], %[[D]]
func.func @split_constant() -> (tensor<1xi64>, tensor<1xi64>, tensor<2x2xi64>, tensor<2x1xi64>, tensor<2x1xi64>) {
  %r = mote.constant dense<[2, 2]> : tensor<2xi64>
  %a:2 = mote.split %r {axis = 0 : i64, sizes = array<i64: 1, 1>} : (tensor<2xi64>) -> (tensor<1xi64>, tensor<1xi64>)
  %m = mote.constant dense<[[1, 2, 3, 4], [5, 6, 7, 8]]> : tensor<2x4xi64>
  %b:3 = mote.split %m {axis = -1 : i64, sizes = array<i64: 2, 1, 1>} : (tensor<2x4xi64>) -> (tensor<2x2xi64>, tensor<2x1xi64>, tensor<2x1xi64>)
  return %a#0, %a#1, %b#0, %b#1, %b#2 : tensor<1xi64>, tensor<1xi64>, tensor<2x2xi64>, tensor<2x1xi64>, tensor<2x1xi64>
}

// -----

// A split of a value that is not constant stays.
// CHECK-LABEL: func.func @split_not_constant
// CHECK: mote.split
func.func @split_not_constant(%x: tensor<4xf32>) -> (tensor<3xf32>, tensor<1xf32>) {
  %a:2 = mote.split %x {axis = 0 : i64, sizes = array<i64: 3, 1>} : (tensor<4xf32>) -> (tensor<3xf32>, tensor<1xf32>)
  return %a#0, %a#1 : tensor<3xf32>, tensor<1xf32>
}

// -----

// Sine and cosine of constants (a decoder's rotary tables): computed in double, rounded once to f32
// (cos(1) = 0.5403023059 -> 0.540302277, sin(1) = 0.8414709848 -> 0.841470957); of a non-constant, kept.
// CHECK-LABEL: func.func @sin_cos
// CHECK-DAG: %[[C:.*]] = mote.constant dense<[1.000000e+00, 0.540302277]> : tensor<2xf32>
// CHECK-DAG: %[[S:.*]] = mote.constant dense<[0.000000e+00, 0.841470957]> : tensor<2xf32>
// CHECK-DAG: %[[T:.*]] = mote.sin %arg0
// CHECK: return %[[C]], %[[S]], %[[T]]
func.func @sin_cos(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %a = mote.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %0 = mote.cos %a : tensor<2xf32>
  %1 = mote.sin %a : tensor<2xf32>
  %2 = mote.sin %x : tensor<2xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// Trilu of a constant (Hugging Face's causal mask: triu(full(min), past + 1)), upper and lower, k > 0 and
// k < 0, over a batch of matrices; of a non-constant, kept.
// CHECK-LABEL: func.func @trilu
// CHECK-DAG: %[[U:.*]] = mote.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, -1.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[L:.*]] = mote.constant dense<{{\[\[\[}}0, 0, 0], [4, 0, 0]], {{\[\[}}0, 0, 0], [4, 0, 0]]]> : tensor<2x2x3xi64>
// CHECK-DAG: %[[T:.*]] = mote.trilu %arg0
// CHECK: return %[[U]], %[[L]], %[[T]]
func.func @trilu(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x2x3xi64>, tensor<2x3xf32>) {
  %m = mote.constant dense<-1.0> : tensor<2x3xf32>
  %0 = mote.trilu %m {upper = true, k = 2 : i64} : tensor<2x3xf32>
  %n = mote.constant dense<4> : tensor<2x2x3xi64>
  %1 = mote.trilu %n {upper = false, k = -1 : i64} : tensor<2x2x3xi64>
  %2 = mote.trilu %x {upper = true, k = 0 : i64} : tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x2x3xi64>, tensor<2x3xf32>
}

// Clip of a constant (Hugging Face clamps its masks to the lowest float): floats to the bounds (NaN kept),
// integers to the bounds rounded inward; of a non-constant, kept.
// CHECK-LABEL: func.func @clip
// CHECK-DAG: %[[F:.*]] = mote.constant dense<[-1.000000e+00, 5.000000e-01, 2.000000e+00, 0x7FC00000]> : tensor<4xf32>
// CHECK-DAG: %[[I:.*]] = mote.constant dense<[-1, 0, 2]> : tensor<3xi64>
// CHECK-DAG: %[[T:.*]] = mote.clip %arg0
// CHECK: return %[[F]], %[[I]], %[[T]]
func.func @clip(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<3xi64>, tensor<4xf32>) {
  %f = mote.constant dense<[-3.0, 0.5, 7.0, 0x7FC00000]> : tensor<4xf32>
  %0 = mote.clip %f {min = -1.0 : f64, max = 2.0 : f64} : tensor<4xf32>
  %i = mote.constant dense<[-5, 0, 9]> : tensor<3xi64>
  %1 = mote.clip %i {min = -1.5 : f64, max = 2.5 : f64} : tensor<3xi64>
  %2 = mote.clip %x {min = -1.0 : f64, max = 2.0 : f64} : tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<3xi64>, tensor<4xf32>
}
