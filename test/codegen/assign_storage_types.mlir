// RUN: mote-opt %s --mote-assign-storage-types --split-input-file -verify-diagnostics | FileCheck %s

// f16 storage: inputs converted at the top, constants through one cast each, every f32 activation
// retyped, integer tensors untouched, outputs converted back before the return (the signature stays).
// CHECK-LABEL: func.func @f16
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[I:.*]]: tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2xi64>)
// CHECK: %[[XH:.*]] = mote.cast %[[X]] {to = f16} : (tensor<2x3xf32>) -> tensor<2x3xf16>
// CHECK: %[[C:.*]] = mote.constant
// CHECK-NEXT: %[[CH:.*]] = mote.cast %[[C]] {to = f16} : (tensor<3xf32>) -> tensor<3xf16>
// CHECK: %[[A:.*]] = mote.add %[[XH]], %[[CH]] : (tensor<2x3xf16>, tensor<3xf16>) -> tensor<2x3xf16>
// CHECK: %[[M:.*]] = mote.mul %[[A]], %[[CH]] : (tensor<2x3xf16>, tensor<3xf16>) -> tensor<2x3xf16>
// CHECK: %[[N:.*]] = mote.neg %[[I]] : tensor<2xi64>
// CHECK: %[[OUT:.*]] = mote.cast %[[M]] {to = f32} : (tensor<2x3xf16>) -> tensor<2x3xf32>
// CHECK: return %[[OUT]], %[[N]]
module attributes {mote.target = #mote.target<name = "t", activation_type = f16>} {
func.func @f16(%x: tensor<2x3xf32>, %i: tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2xi64>) {
  %c = mote.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %a = mote.add %x, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %m = mote.mul %a, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %n = mote.neg %i : tensor<2xi64>
  return %m, %n : tensor<2x3xf32>, tensor<2xi64>
}
}

// -----

// KV caches (mote.kv_cache on an argument and a result) take the storage type in the signature itself: the
// runtime's cache buffer is read and written in place, never converted whole; other inputs and outputs are
// converted at the edges as usual.
// CHECK-LABEL: func.func @kv_cache
// CHECK-SAME: (%[[C:.*]]: tensor<1x2x8x4xf16> {mote.kv_cache}, %[[N:.*]]: tensor<1x2x1x4xf32>, %[[P:.*]]: tensor<1xi64>) -> (tensor<1x2x8x4xf16> {mote.kv_cache}, tensor<1x2x1x4xf32>)
// CHECK: %[[NH:.*]] = mote.cast %[[N]] {to = f16}
// CHECK: %[[W:.*]] = mote.kv_write %[[C]], %[[NH]], %[[P]] : (tensor<1x2x8x4xf16>, tensor<1x2x1x4xf16>, tensor<1xi64>) -> tensor<1x2x8x4xf16>
// CHECK: %[[NB:.*]] = mote.cast %[[NH]] {to = f32}
// CHECK: return %[[W]], %[[NB]] : tensor<1x2x8x4xf16>, tensor<1x2x1x4xf32>
module attributes {mote.target = #mote.target<name = "t", activation_type = f16>} {
func.func @kv_cache(%c: tensor<1x2x8x4xf32> {mote.kv_cache}, %n: tensor<1x2x1x4xf32>, %p: tensor<1xi64>)
    -> (tensor<1x2x8x4xf32> {mote.kv_cache}, tensor<1x2x1x4xf32>) {
  %w = mote.kv_write %c, %n, %p : (tensor<1x2x8x4xf32>, tensor<1x2x1x4xf32>, tensor<1xi64>) -> tensor<1x2x8x4xf32>
  return %w, %n : tensor<1x2x8x4xf32>, tensor<1x2x1x4xf32>
}
}

// -----

// A cast to f32 computes in the storage type: an integer input cast to f16.
// CHECK-LABEL: func.func @cast_to_float
// CHECK: mote.cast %{{.*}} {to = f16} : (tensor<4xi64>) -> tensor<4xf16>
module attributes {mote.target = #mote.target<name = "t", activation_type = f16>} {
func.func @cast_to_float(%i: tensor<4xi64>) -> tensor<4xf32> {
  %f = mote.cast %i {to = f32} : (tensor<4xi64>) -> tensor<4xf32>
  %r = mote.relu %f : tensor<4xf32>
  return %r : tensor<4xf32>
}
}

// -----

// f32 storage changes nothing.
// CHECK-LABEL: func.func @f32
// CHECK-NOT: mote.cast
// CHECK: mote.relu %{{.*}} : tensor<4xf32>
module attributes {mote.target = #mote.target<name = "t", activation_type = f32>} {
func.func @f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = mote.relu %x : tensor<4xf32>
  return %r : tensor<4xf32>
}
}

// -----

// Integer activations need a quantized model (the integer pipeline of mote-quantize-activations).
module attributes {mote.target = #mote.target<name = "neon", activation_type = i8>} {
func.func @i8(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{target 'neon' computes in integers (activations 'i8'), but this mote.relu produces 'tensor<4xf32>': quantize the model with --quantize=w8a8 --calibration=DIR (the integer pipeline; an op it does not take yet stays float), or use a float activation type}}
  %r = mote.relu %x : tensor<4xf32>
  return %r : tensor<4xf32>
}
}
