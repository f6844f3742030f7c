// RUN: mote-opt %s -split-input-file -mote-quantize-activations | FileCheck %s
// RUN: mote-opt %s -split-input-file -mote-quantize-activations="activation-clip=max" | FileCheck %s --check-prefix=MAX
// RUN: mote-opt %s -split-input-file -mote-quantize-activations="scheme=w8a16" | FileCheck %s --check-prefix=W16

// A convolution (int8 weight, scale 0.02 per channel, as mote-quantize-weights leaves it) and its ReLU: the
// input's range 12.7 gives scale 0.1, the ReLU's 25.4 scale 0.2 (abs_max ranges are twice: the MAX run). The
// bias 1.0 at the sums' scale 0.1 * 0.02 = 0.002 is 500; the multiplier 0.002 / 0.2 = 0.01 = 0.64 * 2^-6 is
// mult 41943 (0.64 * 65536), shift 6; the ReLU becomes the clamp at 0.
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @conv_relu
// MAX-LABEL: func.func @conv_relu
func.func @conv_relu(%x: tensor<1x4x4x2xf32> {mote.value_range = {abs_max = 25.4 : f32, mse_clip = 12.7 : f32}}) -> tensor<1x4x4x1xf32> {
  %q = mote.constant dense<[[[[1]], [[-2]]]]> : tensor<1x2x1x1xi8>
  %s = mote.constant dense<0.02> : tensor<1xf32>
  %w = mote.dequantize %q, %s {axis = 0 : i64} : (tensor<1x2x1x1xi8>, tensor<1xf32>) -> tensor<1x2x1x1xf32>
  %b = mote.constant dense<1.0> : tensor<1xf32>
  %c = mote.conv %x, %w, %b {channels_last = true, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, mote.value_range = {abs_max = 60.0 : f32, mse_clip = 30.0 : f32}} : (tensor<1x4x4x2xf32>, tensor<1x2x1x1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  %r = mote.relu %c {mote.value_range = {abs_max = 50.8 : f32, mse_clip = 25.4 : f32}} : tensor<1x4x4x1xf32>
  return %r : tensor<1x4x4x1xf32>
}
// CHECK: %[[Q:.*]] = mote.quantize_activation %arg0 {scale = 1.000000e-01 : f32}
// CHECK-DAG: %[[B:.*]] = mote.constant dense<500> : tensor<1xi32>
// CHECK-DAG: %[[R:.*]] = mote.constant dense<{{\[}}[41943], [6]]> : tensor<2x1xi32>
// CHECK: %[[C:.*]] = mote.integer_conv %[[Q]], %{{.*}}, %[[B]], %[[R]] {clamp_max = 127 : si32, clamp_min = 0 : si32
// CHECK: %[[D:.*]] = mote.dequantize_activation %[[C]] {scale = 2.000000e-01 : f32}
// CHECK: return %[[D]]
// MAX: mote.quantize_activation %arg0 {scale = 2.000000e-01 : f32}
// MAX: mote.dequantize_activation %{{.*}} {scale = 4.000000e-01 : f32}
// w8a16: int16 activations scaled by their largest magnitude / 32767 (25.4 / 32767 in, 50.8 / 32767 out); the
// bias 1.0 at the sums' scale 25.4 / 32767 * 0.02 is 64502 (computed in Python from the f32 attributes); the
// multiplier is the same 0.01.
// W16-LABEL: func.func @conv_relu
// W16: %[[Q:.*]] = mote.quantize_activation %arg0 {scale = {{7\.75170[0-9]*E-4}} : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xi16>
// W16-DAG: mote.constant dense<64502> : tensor<1xi32>
// W16-DAG: mote.constant dense<{{\[}}[41943], [6]]> : tensor<2x1xi32>
// W16: mote.integer_conv %[[Q]], {{.*}}clamp_max = 32767 : si32, clamp_min = 0 : si32{{.*}} -> tensor<1x4x4x1xi16>
// W16: mote.dequantize_activation %{{.*}} {scale = {{0\.00155034[0-9]*}} : f32} : (tensor<1x4x4x1xi16>) -> tensor<1x4x4x1xf32>
}

// -----

// MatMul + Add of a constant row (a linear layer as exporters write it): one integer matmul with the row as its
// bias. A matmul of two activations (attention's) and a value without a calibrated range stay float.
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @linear
func.func @linear(%x: tensor<3x4xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}},
                  %y: tensor<4x3xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}}) -> (tensor<3x2xf32>, tensor<3x3xf32>, tensor<3x2xf32>) {
  %q = mote.constant dense<1> : tensor<4x2xi8>
  %s = mote.constant dense<[0.01, 0.02]> : tensor<2xf32>
  %w = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<4x2xi8>, tensor<2xf32>) -> tensor<4x2xf32>
  %row = mote.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %m = mote.matmul %x, %w {mote.value_range = {abs_max = 2.0 : f32, mse_clip = 2.0 : f32}} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %a = mote.add %m, %row {mote.value_range = {abs_max = 2.54 : f32, mse_clip = 2.54 : f32}} : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %p = mote.matmul %x, %y {mote.value_range = {abs_max = 2.0 : f32, mse_clip = 2.0 : f32}} : (tensor<3x4xf32>, tensor<4x3xf32>) -> tensor<3x3xf32>
  %t = mote.sigmoid %a : tensor<3x2xf32>
  return %a, %p, %t : tensor<3x2xf32>, tensor<3x3xf32>, tensor<3x2xf32>
}
// The bias at the sums' scale 0.01 * [0.01, 0.02]: [5000, -2500].
// CHECK-DAG: mote.constant dense<[5000, -2500]> : tensor<2xi32>
// CHECK: %[[M:.*]] = mote.integer_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {clamp_max = 127 : si32, clamp_min = -127 : si32} : (tensor<3x4xi8>, tensor<4x2xi8>, tensor<2xi32>, tensor<2x2xi32>) -> tensor<3x2xi8>
// CHECK: %[[A:.*]] = mote.dequantize_activation %[[M]] {scale = 2.000000e-02 : f32}
// CHECK-NOT: mote.add
// CHECK: %[[P:.*]] = mote.matmul %arg0, %arg1
// CHECK: %[[T:.*]] = mote.sigmoid %[[A]]
// CHECK: return %[[A]], %[[P]], %[[T]]
}

// -----

// A [M, 1] constant added to a matmul broadcasts per row, not per column: not a bias, but an integer add of the
// constant quantized (scale 0.5 / 127) and broadcast to [2, 2].
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @column_add
func.func @column_add(%x: tensor<2x4xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}}) -> tensor<2x2xf32> {
  %q = mote.constant dense<1> : tensor<4x2xi8>
  %s = mote.constant dense<0.01> : tensor<2xf32>
  %w = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<4x2xi8>, tensor<2xf32>) -> tensor<4x2xf32>
  %col = mote.constant dense<[[0.5], [-0.5]]> : tensor<2x1xf32>
  %m = mote.matmul %x, %w {mote.value_range = {abs_max = 2.0 : f32, mse_clip = 2.0 : f32}} : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %a = mote.add %m, %col {mote.value_range = {abs_max = 2.54 : f32, mse_clip = 2.54 : f32}} : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x2xf32>
  return %a : tensor<2x2xf32>
}
// CHECK: mote.constant dense<0> : tensor<2xi32>
// CHECK: %[[M:.*]] = mote.integer_matmul
// CHECK: %[[C:.*]] = mote.constant dense<{{\[}}[127, 127], [-127, -127]]> : tensor<2x2xi8>
// CHECK: mote.integer_add %[[M]], %[[C]]
// CHECK-NOT: mote.add
}

// -----

// A target with float activations: nothing changes.
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = f32, weight_types = [i8]>} {
// CHECK-LABEL: func.func @float_target
func.func @float_target(%x: tensor<4xf32> {mote.value_range = {abs_max = 1.0 : f32, mse_clip = 1.0 : f32}}) -> tensor<4xf32> {
  // CHECK-NEXT: mote.relu %arg0
  %r = mote.relu %x {mote.value_range = {abs_max = 1.0 : f32, mse_clip = 1.0 : f32}} : tensor<4xf32>
  return %r : tensor<4xf32>
}
}

// -----

// Transformer blocks. A layer norm over the last axis (count 4, gamma 1, beta 0.5, input scale 0.01, output 0.02):
// gain sqrt(4) * 1 / 0.02 = 100 at 16 fraction bits (6553600, the most below 2^23), bias 0.5 / 0.02 * 256 = 6400,
// epsilon 1e-5 * 4^3 / 0.01^2 = 6.4 -> 6. An RMS norm: no centering, epsilon 1e-5 * 4 / 0.01^2 = 0.4 -> 0.
// A norm over another axis than the last stays float.
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @norms
func.func @norms(%x: tensor<2x4xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}}) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  %g = mote.constant dense<1.0> : tensor<4xf32>
  %b = mote.constant dense<0.5> : tensor<4xf32>
  %g2 = mote.constant dense<1.0> : tensor<2x4xf32>
  %l = mote.layer_norm %x, %g, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32, mote.value_range = {abs_max = 2.54 : f32, mse_clip = 2.54 : f32}} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %r = mote.rms_norm %x, %g {axis = -1 : i64, epsilon = 1.0e-05 : f32, mote.value_range = {abs_max = 2.54 : f32, mse_clip = 2.54 : f32}} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %a = mote.layer_norm %x, %g2 {axis = 0 : i64, epsilon = 1.0e-05 : f32, mote.value_range = {abs_max = 2.54 : f32, mse_clip = 2.54 : f32}} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %l, %r, %a : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}
// CHECK: %[[Q:.*]] = mote.quantize_activation %arg0 {scale = 0.00999999977 : f32}
// CHECK: %[[P:.*]] = mote.constant dense<{{\[}}[838860813, 838860813, 838860813, 838860813], [6400, 6400, 6400, 6400]]> : tensor<2x4xi32>
// CHECK: mote.integer_norm %[[Q]], %[[P]] {center = true, clamp_max = 127 : si32, clamp_min = -127 : si32, epsilon = 6 : i64, frac_bits = 23 : i32}
// CHECK: mote.integer_norm %[[Q]], %{{.*}} {center = false, {{.*}}epsilon = 0 : i64, frac_bits = 23 : i32}
// CHECK: mote.layer_norm %arg0
}

// -----

// Attention of int8 heads (scales 0.01, scale 0.5): one unit of q . k is 0.01 * 0.01 * 0.5 = 5e-5 of a logit, in
// steps of 1/128 0.0064 = 53687 * 2^-(16 + 7); the exp table runs from 2^16 down to its first 0 (1510 entries);
// the constant mask in steps, -inf at -2^24; the output's unit 0.01 * 2^-15 over its scale 0.01 is 32768 * 2^-(16 + 14).
// An attention whose mask is computed (an input) stays float.
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @attention
func.func @attention(%q: tensor<1x1x2x4xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}},
                     %m: tensor<1x1x2x2xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}}) -> (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) {
  %mask = mote.constant dense<[[[[0.0, 0xFF800000], [0.0, 0.0]]]]> : tensor<1x1x2x2xf32>
  %o = mote.attention %q, %q, %q, %mask {scale = 0.5 : f32, mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}} : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32>
  %f = mote.attention %q, %q, %q, %m {scale = 0.5 : f32, mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}} : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32>
  return %o, %f : tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>
}
// CHECK: %[[Q:.*]] = mote.quantize_activation %arg0
// CHECK-DAG: %[[M:.*]] = mote.constant dense<{{\[}}[0, -16777216], [0, 0]]> : tensor<2x2xi32>
// CHECK-DAG: %[[T:.*]] = mote.constant dense<"0x{{.*}}"> : tensor<1510xi32>
// CHECK: mote.integer_attention %[[Q]], %[[Q]], %[[Q]], %[[T]] mask %[[M]] {clamp_max = 127 : si32, clamp_min = -127 : si32, logit_mult = 53687 : i32, logit_shift = 7 : i32, out_mult = 32768 : i32, out_shift = 14 : i32}
// CHECK: mote.attention %arg0, %arg0, %arg0, %arg1
}

// -----

// An embedding gather of a w8 table (rows scaled 0.01 and 0.02) at the result's scale 0.02: the table as int8
// at that scale ([100, -50] * 0.01 = [1, -0.5] -> [50, -25]; [10, 127] * 0.02 -> [10, 127]), gathered as int8.
// A product with a constant broadcast ([0.5, -1.27]: scale 0.01, [50, -127] on every row) and a product of two
// activations, one broadcast by mote.expand: mote.integer_mul, the unit 0.01 * 0.01 over the output's 0.01 being
// 41943 * 2^-(16 + 6). A negation and a product with a scalar constant are tables.
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @gather_mul
func.func @gather_mul(%ids: tensor<1x2xi64>, %x: tensor<1x2x2xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}},
                      %y: tensor<1x1x2xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}}) -> (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>) {
  %t = mote.constant dense<[[100, -50], [10, 127], [1, 1]]> : tensor<3x2xi8>
  %s = mote.constant dense<[0.01, 0.02, 0.01]> : tensor<3xf32>
  %w = mote.dequantize %t, %s {axis = 0 : i64} : (tensor<3x2xi8>, tensor<3xf32>) -> tensor<3x2xf32>
  %e = mote.gather %w, %ids {axis = 0 : i64, mote.value_range = {abs_max = 2.54 : f32, mse_clip = 2.54 : f32}} : (tensor<3x2xf32>, tensor<1x2xi64>) -> tensor<1x2x2xf32>
  %c = mote.constant dense<[0.5, -1.27]> : tensor<2xf32>
  %m = mote.mul %x, %c {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}} : (tensor<1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
  %p = mote.mul %x, %y {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}} : (tensor<1x2x2xf32>, tensor<1x1x2xf32>) -> tensor<1x2x2xf32>
  %n = mote.neg %x {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}} : tensor<1x2x2xf32>
  %k = mote.constant dense<0.25> : tensor<f32>
  %h = mote.mul %x, %k {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}} : (tensor<1x2x2xf32>, tensor<f32>) -> tensor<1x2x2xf32>
  return %e, %m, %p, %n, %h : tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>
}
// CHECK: %[[Y:.*]] = mote.quantize_activation %arg2
// CHECK: %[[X:.*]] = mote.quantize_activation %arg1
// CHECK: %[[T:.*]] = mote.constant dense<{{\[}}[50, -25], [10, 127], [0, 0]]> : tensor<3x2xi8>
// CHECK: %[[G:.*]] = mote.gather %[[T]], %arg0 {axis = 0 : i64} : (tensor<3x2xi8>, tensor<1x2xi64>) -> tensor<1x2x2xi8>
// CHECK: mote.dequantize_activation %[[G]] {scale = 2.000000e-02 : f32}
// CHECK: %[[C:.*]] = mote.constant dense<{{\[\[}}[50, -127], [50, -127]]]> : tensor<1x2x2xi8>
// CHECK: mote.integer_mul %[[X]], %[[C]] {clamp_max = 127 : si32, clamp_min = -127 : si32, multiplier = 41943 : i32, shift = 6 : i32}
// CHECK: %[[E:.*]] = mote.expand %[[Y]] : (tensor<1x1x2xi8>) -> tensor<1x2x2xi8>
// CHECK: mote.integer_mul %[[X]], %[[E]] {{.*}}multiplier = 41943 : i32, shift = 6 : i32}
// The tables map q = -128, -127, -126, ...: negated, 127, 127, 126 (0x7F7F7E); times 0.25, -32, -32, -32 (0xE0E0E0).
// CHECK: mote.integer_table %[[X]] {table = dense<"0x7F7F7E7D
// CHECK: mote.integer_table %[[X]] {table = dense<"0xE0E0E0E1
// CHECK-NOT: mote.mul
// CHECK-NOT: mote.neg
}

// -----

// A group norm as it is imported (the broadcast-free [N, HW, G, C/G] view: reduce_mean over axes 1 and 3, sub,
// square, reduce_mean, add epsilon, sqrt, div): one mote.integer_norm over axes [1, 3], rows of 2 * 2 = 4 values,
// gain sqrt(4) / 0.02 = 100 at 16 fraction bits, epsilon 1e-5 * 4^3 / 0.01^2 = 6.4 -> 6; nothing of the chain
// is left. The same chain whose centred value is also returned stays float (no integer form of its pieces
// either: the first mean's input is quantized, nothing else). A nearest upsampling by 2 of H and W: two int8
// gathers by the source rows [0, 0, 1, 1].
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @group_norm
func.func @group_norm(%x: tensor<1x2x2x2xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}}) -> (tensor<1x2x2x2xf32>, tensor<1x4x4x2xf32>) {
  %eps = mote.constant dense<1.0e-05> : tensor<f32>
  %m = mote.reduce_mean %x {axes = array<i64: 1, 3>, mote.value_range = {abs_max = 1.0 : f32, mse_clip = 1.0 : f32}} : (tensor<1x2x2x2xf32>) -> tensor<1x1x2x1xf32>
  %d = mote.sub %x, %m {mote.value_range = {abs_max = 1.0 : f32, mse_clip = 1.0 : f32}} : (tensor<1x2x2x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x2x2x2xf32>
  %s = mote.mul %d, %d {mote.value_range = {abs_max = 1.0 : f32, mse_clip = 1.0 : f32}} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %v = mote.reduce_mean %s {axes = array<i64: 1, 3>, mote.value_range = {abs_max = 1.0 : f32, mse_clip = 1.0 : f32}} : (tensor<1x2x2x2xf32>) -> tensor<1x1x2x1xf32>
  %e = mote.add %v, %eps {mote.value_range = {abs_max = 1.0 : f32, mse_clip = 1.0 : f32}} : (tensor<1x1x2x1xf32>, tensor<f32>) -> tensor<1x1x2x1xf32>
  %r = mote.sqrt %e {mote.value_range = {abs_max = 1.0 : f32, mse_clip = 1.0 : f32}} : tensor<1x1x2x1xf32>
  %y = mote.div %d, %r {mote.value_range = {abs_max = 2.54 : f32, mse_clip = 2.54 : f32}} : (tensor<1x2x2x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x2x2x2xf32>
  %u = mote.resize %x {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = array<f32: 1.0, 2.0, 2.0, 1.0>, mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}} : (tensor<1x2x2x2xf32>) -> tensor<1x4x4x2xf32>
  return %y, %u : tensor<1x2x2x2xf32>, tensor<1x4x4x2xf32>
}
// CHECK: %[[Q:.*]] = mote.quantize_activation %arg0 {scale = 0.00999999977 : f32}
// CHECK: %[[P:.*]] = mote.constant dense<{{\[}}[838860813, 838860813, 838860813, 838860813], [0, 0, 0, 0]]> : tensor<2x4xi32>
// CHECK: mote.integer_norm %[[Q]], %[[P]] {axes = array<i64: 1, 3>, center = true, {{.*}}epsilon = 6 : i64, frac_bits = 23 : i32} : (tensor<1x2x2x2xi8>, tensor<2x4xi32>) -> tensor<1x2x2x2xi8>
// CHECK: %[[H:.*]] = mote.constant dense<[0, 0, 1, 1]> : tensor<4xi64>
// CHECK: %[[G1:.*]] = mote.gather %[[Q]], %[[H]] {axis = 1 : i64} : (tensor<1x2x2x2xi8>, tensor<4xi64>) -> tensor<1x4x2x2xi8>
// CHECK: %[[G2:.*]] = mote.gather %[[G1]], %{{.*}} {axis = 2 : i64} : (tensor<1x4x2x2xi8>, tensor<4xi64>) -> tensor<1x4x4x2xi8>
// CHECK: mote.dequantize_activation %[[G2]] {scale = 0.00999999977 : f32}
// CHECK-NOT: mote.reduce_mean
// CHECK-NOT: mote.sqrt

// CHECK-LABEL: func.func @centred_value_returned
func.func @centred_value_returned(%x: tensor<1x2x2x2xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}}) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %eps = mote.constant dense<1.0e-05> : tensor<f32>
  %m = mote.reduce_mean %x {axes = array<i64: 1, 3>} : (tensor<1x2x2x2xf32>) -> tensor<1x1x2x1xf32>
  %d = mote.sub %x, %m : (tensor<1x2x2x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x2x2x2xf32>
  %s = mote.mul %d, %d : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %v = mote.reduce_mean %s {axes = array<i64: 1, 3>} : (tensor<1x2x2x2xf32>) -> tensor<1x1x2x1xf32>
  %e = mote.add %v, %eps : (tensor<1x1x2x1xf32>, tensor<f32>) -> tensor<1x1x2x1xf32>
  %r = mote.sqrt %e : tensor<1x1x2x1xf32>
  %y = mote.div %d, %r {mote.value_range = {abs_max = 2.54 : f32, mse_clip = 2.54 : f32}} : (tensor<1x2x2x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x2x2x2xf32>
  return %y, %d : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}
// CHECK-NOT: mote.integer_norm
// CHECK: mote.reduce_mean
// CHECK: mote.div
}

// -----

// A diffusion time embedding: the timestep [2] as [2, 1] times the frequencies [1, 2] (1.0 and 0.01), then times
// 2: mote.integer_sinusoid reads the f32 timestep itself. Frequency 2 rad is 2 / 2pi turns =
// 349985421095 * 2^-40 and 0.02 rad (0.01 in f32, doubled) 447981328989 * 2^-47 (turns in [2^38, 2^39), computed
// in Python); the output scale 0.01 makes the Q30 sine's multiplier 100 / 2^30 = 0.78125 * 2^-23: mult 51200,
// shift 23. The cosine has phase 2^30 (a quarter turn). The sine of a computed value stays float.
module attributes {mote.target = #mote.target<name = "t", layout = "NHWC", activation_type = i8, weight_types = [i8]>} {
// CHECK-LABEL: func.func @time_embedding
func.func @time_embedding(%t: tensor<2xf32> {mote.value_range = {abs_max = 1000.0 : f32, mse_clip = 1000.0 : f32}}) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %f = mote.constant dense<[[1.0, 0.01]]> : tensor<1x2xf32>
  %two = mote.constant dense<2.0> : tensor<f32>
  %r = mote.reshape %t : (tensor<2xf32>) -> tensor<2x1xf32>
  %a = mote.mul %r, %f {mote.value_range = {abs_max = 1000.0 : f32, mse_clip = 1000.0 : f32}} : (tensor<2x1xf32>, tensor<1x2xf32>) -> tensor<2x2xf32>
  %b = mote.mul %two, %a {mote.value_range = {abs_max = 2000.0 : f32, mse_clip = 2000.0 : f32}} : (tensor<f32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %s = mote.sin %b {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}} : tensor<2x2xf32>
  %c = mote.cos %b {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}} : tensor<2x2xf32>
  return %s, %c : tensor<2x2xf32>, tensor<2x2xf32>
}
// CHECK: %[[F:.*]] = mote.constant dense<{{\[}}[349985421095, 447981328989], [40, 47]]> : tensor<2x2xi64>
// CHECK: %[[S:.*]] = mote.integer_sinusoid %arg0, %[[F]] {clamp_max = 127 : si32, clamp_min = -127 : si32, multiplier = 51200 : i32, phase = 0 : i64, shift = 23 : i32} : (tensor<2xf32>, tensor<2x2xi64>) -> tensor<2x2xi8>
// CHECK: mote.dequantize_activation %[[S]] {scale = 0.00999999977 : f32}
// CHECK: mote.integer_sinusoid %arg0, %{{.*}} {{{.*}}phase = 1073741824 : i64
// CHECK-NOT: mote.mul
// CHECK-NOT: mote.quantize_activation
// CHECK: return

// An int64 timestep cast to float (optimum's U-Net exports): mote.integer_sinusoid reads the int64 itself. 1 rad is
// 349985421095 * 2^-41 turns; 1e-9 rad (its f32, 9.99999972e-10) would take shift 71, beyond the 64 an int64's
// product modulo 2^64 allows: 2935890420 * 2^-64 (computed in Python).
// CHECK-LABEL: func.func @int64_time_embedding
func.func @int64_time_embedding(%t: tensor<2xi64>) -> tensor<2x2xf32> {
  %f = mote.constant dense<[[1.0, 1.0e-9]]> : tensor<1x2xf32>
  %r = mote.reshape %t : (tensor<2xi64>) -> tensor<2x1xi64>
  %c = mote.cast %r {to = f32, mote.value_range = {abs_max = 1000.0 : f32, mse_clip = 1000.0 : f32}} : (tensor<2x1xi64>) -> tensor<2x1xf32>
  %a = mote.mul %c, %f {mote.value_range = {abs_max = 1000.0 : f32, mse_clip = 1000.0 : f32}} : (tensor<2x1xf32>, tensor<1x2xf32>) -> tensor<2x2xf32>
  %s = mote.sin %a {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}} : tensor<2x2xf32>
  return %s : tensor<2x2xf32>
}
// CHECK: %[[F:.*]] = mote.constant dense<{{\[}}[349985421095, 2935890420], [41, 64]]> : tensor<2x2xi64>
// CHECK: mote.integer_sinusoid %arg0, %[[F]] {{{.*}}phase = 0 : i64{{.*}}} : (tensor<2xi64>, tensor<2x2xi64>) -> tensor<2x2xi8>
// CHECK-NOT: mote.cast
// CHECK: return

// CHECK-LABEL: func.func @sine_of_a_computed_value
func.func @sine_of_a_computed_value(%x: tensor<2xf32> {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}}) -> tensor<2xf32> {
  %y = mote.add %x, %x {mote.value_range = {abs_max = 2.54 : f32, mse_clip = 2.54 : f32}} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %s = mote.sin %y {mote.value_range = {abs_max = 1.27 : f32, mse_clip = 1.27 : f32}} : tensor<2xf32>
  return %s : tensor<2xf32>
}
// CHECK-NOT: mote.integer_sinusoid
// CHECK: mote.sin %{{.*}} : tensor<2xf32>
}
