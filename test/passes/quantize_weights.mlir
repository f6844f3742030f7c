// mote-quantize-weights{scheme=w8}: the f32 constant weights of matmuls (rank-2 right operand), Gemm's B,
// group-1 convolutions and gather tables become mote.dequantize of an int8 constant and one f32 scale per
// output channel (scale = max|w| / 127, q = round(w / scale)); a weight two layers share is quantized once;
// biases, grouped convolutions and computed weights (a transpose) stay float. Skipped nodes and errors:
// quantize_weights_errors.mlir.
// RUN: mote-opt %s --split-input-file --mote-quantize-weights | FileCheck %s

// Column 0: max 0.9921875 = 127 / 128, so scale = 1/128 exactly and q = [127, -64]; column 1: max 0.25,
// q = [127, round(0.1 * 127 / 0.25) = 51]; column 2 all zero: scale 1, q = 0. The int8 blob (after its
// 4-byte alignment) holds q row-major: 7F 7F 00 / C0 33 00.
// CHECK-LABEL: func.func @matmul
// CHECK-DAG: %[[Q:.*]] = mote.constant dense_resource<quantized_weight> : tensor<2x3xi8>
// CHECK-DAG: %[[S:.*]] = mote.constant dense<[7.812500e-03, 0.001968{{[0-9]*}}, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[B:.*]] = mote.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[W:.*]] = mote.dequantize %[[Q]], %[[S]] {axis = 1 : i64{{.*}}} : (tensor<2x3xi8>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[M:.*]] = mote.matmul %{{.*}}, %[[W]]
// CHECK: mote.add %[[M]], %[[B]]
// CHECK: quantized_weight: "0x400000007F7F00C03300"
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, weight_types = [i8, i4]>} {
  func.func @matmul(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
    %w = mote.constant dense<[[0.9921875, 0.25, 0.0], [-0.5, 0.1, 0.0]]> : tensor<2x3xf32>
    %b = mote.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
    %0 = mote.matmul %x, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
    %1 = mote.add %0, %b : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
    return %1 : tensor<4x3xf32>
  }
}

// -----

// Gemm with transB = 1 (B [N, K]: scales along axis 0) and transB = 0 (axis 1); both read one constant,
// quantized once per axis.
// CHECK-LABEL: func.func @gemm
// CHECK-DAG: %[[Q:.*]] = mote.constant dense_resource<quantized_weight> : tensor<3x3xi8>
// CHECK-DAG: %[[R:.*]] = mote.dequantize %{{.*}} {axis = 0 : i64{{.*}}} : (tensor<3x3xi8>, tensor<3xf32>) -> tensor<3x3xf32>
// CHECK-DAG: %[[C:.*]] = mote.dequantize %{{.*}} {axis = 1 : i64{{.*}}} : (tensor<3x3xi8>, tensor<3xf32>) -> tensor<3x3xf32>
// CHECK: mote.gemm %{{.*}}, %[[R]] {transB = true}
// CHECK: mote.gemm %{{.*}}, %[[R]] {transB = true}
// CHECK: mote.gemm %{{.*}}, %[[C]] :
// CHECK-NOT: mote.constant dense<{{.*}}> : tensor<3x3xf32>
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, weight_types = [i8, i4]>} {
  func.func @gemm(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
    %w = mote.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]> : tensor<3x3xf32>
    %0 = mote.gemm %x, %w {transB = true} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32>
    %1 = mote.gemm %x, %w {transB = true} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32>
    %2 = mote.gemm %x, %w : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32>
    return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
  }
}

// -----

// A group-1 convolution's weight [Cout, Cin, kh, kw] per Cout; a grouped (depthwise) one stays float; a
// gather table per row; a weight computed by a transpose stays float.
// CHECK-LABEL: func.func @conv_gather
// CHECK: %[[W:.*]] = mote.dequantize %{{.*}} {axis = 0 : i64{{.*}}} : (tensor<4x2x3x3xi8>, tensor<4xf32>) -> tensor<4x2x3x3xf32>
// CHECK: %[[E:.*]] = mote.dequantize %{{.*}} {axis = 0 : i64{{.*}}} : (tensor<5x4xi8>, tensor<5xf32>) -> tensor<5x4xf32>
// CHECK: mote.conv %{{.*}}, %[[W]]
// CHECK: %[[D:.*]] = mote.conv %{{.*}}, %[[DW:[^ ,]*]]
// CHECK-SAME: group = 4
// CHECK: mote.gather %[[E]]
// CHECK: %[[T:.*]] = mote.transpose
// CHECK: mote.matmul %{{.*}}, %[[T]]
// CHECK-NOT: mote.dequantize
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, weight_types = [i8, i4]>} {
  func.func @conv_gather(%x: tensor<1x2x5x5xf32>, %ids: tensor<3xi64>, %y: tensor<3x4xf32>)
      -> (tensor<1x4x5x5xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
    %w = mote.constant dense_resource<conv_w> : tensor<4x2x3x3xf32>
    %dw = mote.constant dense_resource<dw_w> : tensor<4x1x3x3xf32>
    %e = mote.constant dense_resource<emb> : tensor<5x4xf32>
    %m = mote.constant dense_resource<mat> : tensor<4x4xf32>
    %0 = mote.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
    %1 = mote.conv %0, %dw {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 4 : i64} : (tensor<1x4x5x5xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x5x5xf32>
    %2 = mote.gather %e, %ids {axis = 0 : i64} : (tensor<5x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
    %t = mote.transpose %m {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
    %3 = mote.matmul %y, %t : (tensor<3x4xf32>, tensor<4x4xf32>) -> tensor<3x4xf32>
    return %1, %2, %3 : tensor<1x4x5x5xf32>, tensor<3x4xf32>, tensor<3x4xf32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      conv_w: "0x04000000000090BF000080BF000060BF000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F0000603F0000803F0000903F000090BF000080BF000060BF000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F0000603F0000803F0000903F000090BF000080BF000060BF000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F0000603F0000803F0000903F000090BF000080BF000060BF000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F",
      dw_w: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F",
      emb: "0x04000000000040BF000000BF000080BE000000000000803E0000003F0000403F000040BF000000BF000080BE000000000000803E0000003F0000403F000040BF000000BF000080BE000000000000803E0000003F",
      mat: "0x04000000000000000000003F0000803F0000C03F00000040000000000000003F0000803F0000C03F00000040000000000000003F0000803F0000C03F0000004000000000"
    }
  }
#-}

// -----

// RUN: mote-opt %s --split-input-file --mote-quantize-weights="scheme=w4 group-size=32" | FileCheck %s --check-prefix=W4
// w4: a matmul's weight [K = 64, N = 3] as int4 with f16 scales per 32 rows of K and column ([2, 3]); a Gemm
// with transB = 1 ([N, K]) blocks along axis 1; an embedding [5, 40] along its rows (a partial last block);
// the matmul whose result is returned (the output projection) takes w8; a convolution takes w8.
// RUN: mote-opt %s --split-input-file --mote-quantize-weights="scheme=w4a8 group-size=32" | FileCheck %s --check-prefix=W4A8
// w4a8: the same weights; the matmul and the Gemm whose weights are int4 are marked for int8 activations per
// row; the output projection (w8), the embedding and a Gemm that is not a linear layer (alpha = 0.5) are not.
// CHECK-LABEL: func.func @w4
// W4A8-LABEL: func.func @w4
// W4A8: mote.matmul %arg0, %{{.*}} {mote.lhs_quantization = "int8_per_row"} : (tensor<2x64xf32>, tensor<64x3xf32>)
// W4A8: mote.gemm %arg0, %{{.*}} {mote.lhs_quantization = "int8_per_row", transB = true}
// W4A8: mote.matmul %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3x7xf32>)
// W4A8: mote.gather %{{.*}}, %arg1 {axis = 0 : i64} :
// W4A8: mote.gemm %arg0, %{{.*}} {alpha = 5.000000e-01 : f32, transB = true} :
// W4-LABEL: func.func @w4
// W4-DAG: mote.dequantize %{{.*}} {axis = 0 : i64, block_size = 32 : i64{{.*}}} : (tensor<64x3xi4>, tensor<2x3xf16>) -> tensor<64x3xf32>
// W4-DAG: mote.dequantize %{{.*}} {axis = 1 : i64, block_size = 32 : i64{{.*}}} : (tensor<3x64xi4>, tensor<3x2xf16>) -> tensor<3x64xf32>
// W4-DAG: mote.dequantize %{{.*}} {axis = 1 : i64, block_size = 32 : i64{{.*}}} : (tensor<5x40xi4>, tensor<5x2xf16>) -> tensor<5x40xf32>
// W4-DAG: mote.dequantize %{{.*}} {axis = 1 : i64, mote.quantization = {{.*}}scheme = "w8"{{.*}}} : (tensor<3x7xi8>, tensor<7xf32>) -> tensor<3x7xf32>
// W4-DAG: mote.dequantize %{{.*}} {axis = 0 : i64, mote.quantization = {{.*}}scheme = "w8"{{.*}}} : (tensor<4x2x3x3xi8>, tensor<4xf32>) -> tensor<4x2x3x3xf32>
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, weight_types = [i8, i4]>} {
  func.func @w4(%x: tensor<2x64xf32>, %ids: tensor<3xi64>, %img: tensor<1x2x5x5xf32>)
      -> (tensor<2x7xf32>, tensor<3x40xf32>, tensor<1x4x5x5xf32>, tensor<2x3xf32>) {
    %w = mote.constant dense_resource<w4_w> : tensor<64x3xf32>
    %t = mote.constant dense_resource<w4_t> : tensor<3x64xf32>
    %e = mote.constant dense_resource<w4_e> : tensor<5x40xf32>
    %o = mote.constant dense_resource<w4_o> : tensor<3x7xf32>
    %c = mote.constant dense_resource<w4_c> : tensor<4x2x3x3xf32>
    %0 = mote.matmul %x, %w : (tensor<2x64xf32>, tensor<64x3xf32>) -> tensor<2x3xf32>
    %1 = mote.gemm %x, %t {transB = true} : (tensor<2x64xf32>, tensor<3x64xf32>) -> tensor<2x3xf32>
    %2 = mote.add %0, %1 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %3 = mote.matmul %2, %o : (tensor<2x3xf32>, tensor<3x7xf32>) -> tensor<2x7xf32>
    %4 = mote.gather %e, %ids {axis = 0 : i64} : (tensor<5x40xf32>, tensor<3xi64>) -> tensor<3x40xf32>
    %5 = mote.conv %img, %c {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
    %6 = mote.gemm %x, %t {alpha = 0.5 : f32, transB = true} : (tensor<2x64xf32>, tensor<3x64xf32>) -> tensor<2x3xf32>
    %7 = mote.add %6, %6 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    return %3, %4, %5, %7 : tensor<2x7xf32>, tensor<3x40xf32>, tensor<1x4x5x5xf32>, tensor<2x3xf32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      w4_w: "0x04000000000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E",
      w4_t: "0x040000000000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE000000000000803E0000003F0000403F0000803F0000A03F0000A0BF000080BF000040BF000000BF000080BE",
      w4_e: "0x04000000ABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BFABAA2ABFABAAAABE00000000ABAAAA3EABAA2A3F0000803FABAAAA3FABAAAABF000080BF",
      w4_o: "0x04000000000080BF000000BF000000000000003F0000803F000080BF000000BF000000000000003F0000803F000080BF000000BF000000000000003F0000803F000080BF000000BF000000000000003F0000803F000080BF",
      w4_c: "0x040000009A9919BFCDCCCCBECDCC4CBE00000000CDCC4C3ECDCCCC3E9A99193F9A9919BFCDCCCCBECDCC4CBE00000000CDCC4C3ECDCCCC3E9A99193F9A9919BFCDCCCCBECDCC4CBE00000000CDCC4C3ECDCCCC3E9A99193F9A9919BFCDCCCCBECDCC4CBE00000000CDCC4C3ECDCCCC3E9A99193F9A9919BFCDCCCCBECDCC4CBE00000000CDCC4C3ECDCCCC3E9A99193F9A9919BFCDCCCCBECDCC4CBE00000000CDCC4C3ECDCCCC3E9A99193F9A9919BFCDCCCCBECDCC4CBE00000000CDCC4C3ECDCCCC3E9A99193F9A9919BFCDCCCCBECDCC4CBE00000000CDCC4C3ECDCCCC3E9A99193F9A9919BFCDCCCCBECDCC4CBE00000000CDCC4C3ECDCCCC3E9A99193F9A9919BFCDCCCCBECDCC4CBE00000000CDCC4C3ECDCCCC3E9A99193F9A9919BFCDCCCCBE"
    }
  }
#-}

// -----

// RUN: mote-opt %s --split-input-file --mote-quantize-weights="scheme=w4a8 group-size=32" | FileCheck %s --check-prefix=BROUGHT
// w4a8 over int4 weights the model brings (ONNX Runtime's MatMulNBits: i4 with f32 scales per 32 along K): the
// matmul is marked for int8 activations per row and its weight left as it is; a matmul over an int8 weight, one
// whose int4 blocks run along N (not the reduction), one whose result is the model's output (the output
// projection keeps float activations) and one the importer marked float (a zero-point correction) are not.
// BROUGHT-LABEL: func.func @brought
// BROUGHT: mote.matmul %arg0, %[[W:.*]] {mote.lhs_quantization = "int8_per_row"} : (tensor<2x64xf32>, tensor<64x3xf32>)
// BROUGHT: mote.matmul %arg0, %{{.*}} : (tensor<2x64xf32>, tensor<64x4xf32>)
// BROUGHT: mote.matmul %arg0, %{{.*}} : (tensor<2x64xf32>, tensor<64x32xf32>)
// BROUGHT: mote.matmul %arg0, %[[W]] : (tensor<2x64xf32>, tensor<64x3xf32>)
// BROUGHT: mote.matmul %arg1, %{{.*}} {mote.float_reason = "zero-point correction of int4 weights"} : (tensor<2x4xf32>, tensor<4x5xf32>)
// BROUGHT-NOT: mote.quantization
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, weight_types = [i8, i4]>} {
  func.func @brought(%x: tensor<2x64xf32>, %y: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x4xf32>, tensor<2x32xf32>, tensor<2x3xf32>, tensor<2x5xf32>) {
    %q = mote.constant dense<1> : tensor<64x3xi4>
    %s = mote.constant dense<0.5> : tensor<2x3xf32>
    %w = mote.dequantize %q, %s {axis = 0 : i64, block_size = 32 : i64} : (tensor<64x3xi4>, tensor<2x3xf32>) -> tensor<64x3xf32>
    %m = mote.matmul %x, %w : (tensor<2x64xf32>, tensor<64x3xf32>) -> tensor<2x3xf32>
    %0 = mote.add %m, %m : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %q8 = mote.constant dense<1> : tensor<64x4xi8>
    %s8 = mote.constant dense<0.5> : tensor<4xf32>
    %w8 = mote.dequantize %q8, %s8 {axis = 1 : i64} : (tensor<64x4xi8>, tensor<4xf32>) -> tensor<64x4xf32>
    %1 = mote.matmul %x, %w8 : (tensor<2x64xf32>, tensor<64x4xf32>) -> tensor<2x4xf32>
    %qn = mote.constant dense<1> : tensor<64x32xi4>
    %sn = mote.constant dense<0.5> : tensor<64x1xf32>
    %wn = mote.dequantize %qn, %sn {axis = 1 : i64, block_size = 32 : i64} : (tensor<64x32xi4>, tensor<64x1xf32>) -> tensor<64x32xf32>
    %2 = mote.matmul %x, %wn : (tensor<2x64xf32>, tensor<64x32xf32>) -> tensor<2x32xf32>
    %3 = mote.matmul %x, %w : (tensor<2x64xf32>, tensor<64x3xf32>) -> tensor<2x3xf32>
    %z = mote.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0], [-1.0, 0.5, 0.25, 2.0, 3.0], [0.0, 1.0, -2.0, 4.0, 1.5], [2.0, 2.5, 1.0, -3.0, 0.5]]> : tensor<4x5xf32>
    %4 = mote.matmul %y, %z {mote.float_reason = "zero-point correction of int4 weights"} : (tensor<2x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
    return %0, %1, %2, %3, %4 : tensor<2x3xf32>, tensor<2x4xf32>, tensor<2x32xf32>, tensor<2x3xf32>, tensor<2x5xf32>
  }
}
