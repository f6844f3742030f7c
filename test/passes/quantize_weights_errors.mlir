// mote-quantize-weights: --quantize-skip keeps a node's weights float (matched by the ONNX node name of the
// op's location); a skip name no quantized layer comes from, an unknown scheme and a target that stores no
// i8 weights are errors.
// RUN: mote-opt %s --split-input-file --mote-quantize-weights="skip=proj" --verify-diagnostics | FileCheck %s
// RUN: not mote-opt %s --split-input-file --mote-quantize-weights="scheme=w3" 2>&1 | FileCheck %s --check-prefix=SCHEME

// CHECK-LABEL: func.func @skipped
// CHECK-DAG: %[[W:.*]] = mote.constant dense<{{.*}}> : tensor<2x3xf32>
// CHECK-DAG: %[[D:.*]] = mote.dequantize {{.*}} : (tensor<3x2xi8>, tensor<2xf32>) -> tensor<3x2xf32>
// CHECK: mote.matmul %{{.*}}, %[[W]] {mote.float_reason = "--quantize-skip"}
// CHECK: mote.matmul %{{.*}}, %[[D]]
// SCHEME: unknown quantization scheme 'w3' (w8, w4, w4a8, w8a8, w8a16)
// RUN: not mote-opt %s --split-input-file --mote-quantize-weights="scheme=w4a8 group-size=30" 2>&1 | FileCheck %s --check-prefix=GROUP
// GROUP: error: --quantize=w4a8 needs --quant-group-size a multiple of 4, got 30
// RUN: not mote-opt %s --split-input-file --mote-quantize-weights="scheme=w4" 2>&1 | FileCheck %s --check-prefix=NOI4
// NOI4: error: --quantize=w4: target 't' stores no i4 weights (its weight_types)
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, weight_types = [i8]>} {
  func.func @skipped(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
    %w = mote.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
    %v = mote.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
    %0 = mote.matmul %x, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32> loc(fused<"MatMul, opset 17">["proj"("m.onnx":0:0)])
    %1 = mote.matmul %0, %v : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32> loc(fused<"MatMul, opset 17">["out"("m.onnx":0:0)])
    return %1 : tensor<4x2xf32>
  }
}

// -----

// expected-error @+1 {{--quantize-skip: no layer whose weights --quantize=w8 quantizes comes from ONNX node 'proj'}}
module attributes {mote.target = #mote.target<name = "t", activation_type = f32, weight_types = [i8]>} {
  func.func @no_such_node(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
    %w = mote.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
    %0 = mote.matmul %x, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32> loc(fused<"MatMul, opset 17">["other"("m.onnx":0:0)])
    return %0 : tensor<4x3xf32>
  }
}

// -----

// expected-error @+1 {{--quantize=w8: target 't' stores no i8 weights (its weight_types)}}
module attributes {mote.target = #mote.target<name = "t", activation_type = f32>} {
  func.func @no_i8(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
    %w = mote.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
    %0 = mote.matmul %x, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32> loc(fused<"MatMul, opset 17">["proj"("m.onnx":0:0)])
    return %0 : tensor<4x3xf32>
  }
}
