// mote-kv-cache: a decoder with past (Hugging Face optimum's convention, imported at S = 2 new tokens and
// L - S = 6 past rows) becomes one over a static cache of L = 8 rows: each past input is the cache, a new
// input cache_position says where this call's rows go (caches and presents marked mote.kv_cache), concat(past, new) becomes mote.kv_write and the
// attention over it mote.cache_attention once the model's mask is proved to be the causal rule (evaluated
// with left-padded attention masks of every past length); attention_mask, then unread, is removed. A mask that
// is not causal or ignores the padding, reads another input, a cache that is not a present output, a model
// without position_ids, two new rows without a mask or attention_mask read elsewhere are errors.
// RUN: mote-opt %s --split-input-file --verify-diagnostics --mote-kv-cache | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x2x4xf32> {mote.name = "q"}, %[[NK:.*]]: tensor<1x1x2x4xf32> {mote.name = "k"}, %[[NV:.*]]: tensor<1x1x2x4xf32> {mote.name = "v"},
// CHECK-SAME: %[[K:.*]]: tensor<1x1x8x4xf32> {mote.kv_cache, mote.name = "past_key_values.0.key"}, %[[V:.*]]: tensor<1x1x8x4xf32> {mote.kv_cache, mote.name = "past_key_values.0.value"},
// CHECK-SAME: %[[IDS:.*]]: tensor<1x2xi64> {mote.name = "position_ids"}, %[[POS:.*]]: tensor<1xi64> {mote.name = "cache_position"})
// CHECK-SAME: -> (tensor<1x2x2x4xf32> {mote.name = "out"}, tensor<1x1x8x4xf32> {mote.kv_cache, mote.name = "present.0.key"}, tensor<1x1x8x4xf32> {mote.kv_cache, mote.name = "present.0.value"}, tensor<1x2xi64> {mote.name = "positions"})
// CHECK-NOT: attention_mask
// CHECK: %[[WK:.*]] = mote.kv_write %[[K]], %[[NK]], %[[POS]]
// CHECK: %[[WV:.*]] = mote.kv_write %[[V]], %[[NV]], %[[POS]]
// CHECK: %[[O:.*]] = mote.cache_attention %[[Q]], %[[WK]], %[[WV]], %[[POS]] {scale = 5.000000e-01 : f32}
// CHECK-NOT: mote.where
// CHECK: return %[[O]], %[[WK]], %[[WV]], %[[IDS]]
func.func @main(%q: tensor<1x2x2x4xf32> {mote.name = "q"}, %nk: tensor<1x1x2x4xf32> {mote.name = "k"},
                %nv: tensor<1x1x2x4xf32> {mote.name = "v"}, %mask: tensor<1x8xi64> {mote.name = "attention_mask"},
                %pk: tensor<1x1x6x4xf32> {mote.name = "past_key_values.0.key"},
                %pv: tensor<1x1x6x4xf32> {mote.name = "past_key_values.0.value"},
                %ids: tensor<1x2xi64> {mote.name = "position_ids"})
    -> (tensor<1x2x2x4xf32> {mote.name = "out"}, tensor<1x1x8x4xf32> {mote.name = "present.0.key"},
        tensor<1x1x8x4xf32> {mote.name = "present.0.value"}, tensor<1x2xi64> {mote.name = "positions"}) {
  // Query s sees key j <= 6 + s (the past and the new rows up to itself), where attention_mask is 1.
  %causal = mote.constant dense<[[[[true, true, true, true, true, true, true, false], [true, true, true, true, true, true, true, true]]]]> : tensor<1x1x2x8xi1>
  %one = mote.constant dense<1> : tensor<i64>
  %zero = mote.constant dense<0.0> : tensor<f32>
  %lowest = mote.constant dense<-3.40282347E+38> : tensor<f32>
  %m4 = mote.reshape %mask : (tensor<1x8xi64>) -> tensor<1x1x1x8xi64>
  %real = mote.equal %m4, %one : (tensor<1x1x1x8xi64>, tensor<i64>) -> tensor<1x1x1x8xi1>
  %allowed = mote.and %real, %causal : (tensor<1x1x1x8xi1>, tensor<1x1x2x8xi1>) -> tensor<1x1x2x8xi1>
  %additive = mote.where %allowed, %zero, %lowest : (tensor<1x1x2x8xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x2x8xf32>
  %k = mote.concat %pk, %nk {axis = 2 : i64} : (tensor<1x1x6x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x8x4xf32>
  %v = mote.concat %pv, %nv {axis = 2 : i64} : (tensor<1x1x6x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x8x4xf32>
  %o = mote.attention %q, %k, %v, %additive {scale = 0.5 : f32} : (tensor<1x2x2x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x2x8xf32>) -> tensor<1x2x2x4xf32>
  return %o, %k, %v, %ids : tensor<1x2x2x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x2xi64>
}

// -----

// Causal but blind to padding (a constant mask): a past of fewer real rows than 6 would attend its padding.
func.func @main(%q: tensor<1x2x2x4xf32>, %nk: tensor<1x1x2x4xf32>, %nv: tensor<1x1x2x4xf32>,
                %mask: tensor<1x8xi64> {mote.name = "attention_mask"}, %pk: tensor<1x1x6x4xf32>, %pv: tensor<1x1x6x4xf32>,
                %ids: tensor<1x2xi64> {mote.name = "position_ids"})
    -> (tensor<1x2x2x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x2xi64>) {
  %causal = mote.constant dense<[[[[true, true, true, true, true, true, true, false], [true, true, true, true, true, true, true, true]]]]> : tensor<1x1x2x8xi1>
  %zero = mote.constant dense<0.0> : tensor<f32>
  %lowest = mote.constant dense<-3.40282347E+38> : tensor<f32>
  %additive = mote.where %causal, %zero, %lowest : (tensor<1x1x2x8xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x2x8xf32>
  %k = mote.concat %pk, %nk {axis = 2 : i64} : (tensor<1x1x6x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x8x4xf32>
  %v = mote.concat %pv, %nv {axis = 2 : i64} : (tensor<1x1x6x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x8x4xf32>
  // expected-error @+1 {{the attention mask is not the causal mask of a cache: with 0 past rows, query 0 and key 0 it is 0}}
  %o = mote.attention %q, %k, %v, %additive {scale = 0.5 : f32} : (tensor<1x2x2x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x2x8xf32>) -> tensor<1x2x2x4xf32>
  return %o, %k, %v, %ids : tensor<1x2x2x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x2xi64>
}

// -----

// Not causal: the first query also sees the second new token.
func.func @main(%q: tensor<1x2x2x4xf32>, %nk: tensor<1x1x2x4xf32>, %nv: tensor<1x1x2x4xf32>,
                %mask: tensor<1x8xi64> {mote.name = "attention_mask"}, %pk: tensor<1x1x6x4xf32>, %pv: tensor<1x1x6x4xf32>,
                %ids: tensor<1x2xi64> {mote.name = "position_ids"})
    -> (tensor<1x2x2x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x2xi64>) {
  %one = mote.constant dense<1> : tensor<i64>
  %zero = mote.constant dense<0.0> : tensor<f32>
  %lowest = mote.constant dense<-3.40282347E+38> : tensor<f32>
  %m4 = mote.reshape %mask : (tensor<1x8xi64>) -> tensor<1x1x1x8xi64>
  %real = mote.equal %m4, %one : (tensor<1x1x1x8xi64>, tensor<i64>) -> tensor<1x1x1x8xi1>
  %additive = mote.where %real, %zero, %lowest : (tensor<1x1x1x8xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x1x8xf32>
  %k = mote.concat %pk, %nk {axis = 2 : i64} : (tensor<1x1x6x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x8x4xf32>
  %v = mote.concat %pv, %nv {axis = 2 : i64} : (tensor<1x1x6x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x8x4xf32>
  // expected-error @+1 {{the attention mask is not the causal mask of a cache: with 0 past rows, query 0 and key 7 it is 0}}
  %o = mote.attention %q, %k, %v, %additive {scale = 0.5 : f32} : (tensor<1x2x2x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x1x8xf32>) -> tensor<1x2x2x4xf32>
  return %o, %k, %v, %ids : tensor<1x2x2x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x2xi64>
}

// -----

// A mask computed from another input cannot be proved causal.
func.func @main(%q: tensor<1x2x1x4xf32>, %nk: tensor<1x1x1x4xf32>, %nv: tensor<1x1x1x4xf32>,
                %mask: tensor<1x8xi64> {mote.name = "attention_mask"}, %bias: tensor<1x1x1x8xf32> {mote.name = "bias"}, %pk: tensor<1x1x7x4xf32>, %pv: tensor<1x1x7x4xf32>,
                %ids: tensor<1x1xi64> {mote.name = "position_ids"})
    -> (tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1xi64>) {
  %k = mote.concat %pk, %nk {axis = 2 : i64} : (tensor<1x1x7x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x1x8x4xf32>
  %v = mote.concat %pv, %nv {axis = 2 : i64} : (tensor<1x1x7x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x1x8x4xf32>
  // expected-error @+1 {{the attention mask depends on the input 'bias'}}
  %o = mote.attention %q, %k, %v, %bias {scale = 0.5 : f32} : (tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x1x8xf32>) -> tensor<1x2x1x4xf32>
  return %o, %k, %v, %ids : tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1xi64>
}

// -----

// The value cache is not returned: an in-place write would be lost.
func.func @main(%q: tensor<1x2x1x4xf32>, %nk: tensor<1x1x1x4xf32>, %nv: tensor<1x1x1x4xf32>,
                %pk: tensor<1x1x7x4xf32> {mote.name = "past_key_values.0.key"},
                %pv: tensor<1x1x7x4xf32> {mote.name = "past_key_values.0.value"},
                %ids: tensor<1x1xi64> {mote.name = "position_ids"})
    -> (tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1xi64>) {
  %k = mote.concat %pk, %nk {axis = 2 : i64} : (tensor<1x1x7x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x1x8x4xf32>
  // expected-error @+1 {{the cache 'past_key_values.0.value' is not a present output of the model}}
  %v = mote.concat %pv, %nv {axis = 2 : i64} : (tensor<1x1x7x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x1x8x4xf32>
  %o = mote.attention %q, %k, %v {scale = 0.5 : f32} : (tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>) -> tensor<1x2x1x4xf32>
  return %o, %k, %ids : tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1xi64>
}

// -----

// No position_ids: the positions an export derives from the past's length are folded to a constant.
// expected-error @+1 {{the model reads no 'position_ids' input: its positions would be fixed at compile time}}
func.func @main(%q: tensor<1x2x1x4xf32>, %nk: tensor<1x1x1x4xf32>, %nv: tensor<1x1x1x4xf32>,
                %pk: tensor<1x1x7x4xf32> {mote.name = "past_key_values.0.key"},
                %pv: tensor<1x1x7x4xf32> {mote.name = "past_key_values.0.value"})
    -> (tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>) {
  %k = mote.concat %pk, %nk {axis = 2 : i64} : (tensor<1x1x7x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x1x8x4xf32>
  %v = mote.concat %pv, %nv {axis = 2 : i64} : (tensor<1x1x7x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x1x8x4xf32>
  %o = mote.attention %q, %k, %v {scale = 0.5 : f32} : (tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>) -> tensor<1x2x1x4xf32>
  return %o, %k, %v : tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>
}

// -----

// Two new rows without a mask: every query would see the other's row.
func.func @main(%q: tensor<1x2x2x4xf32>, %nk: tensor<1x1x2x4xf32>, %nv: tensor<1x1x2x4xf32>,
                %pk: tensor<1x1x6x4xf32>, %pv: tensor<1x1x6x4xf32>, %ids: tensor<1x2xi64> {mote.name = "position_ids"})
    -> (tensor<1x2x2x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x2xi64>) {
  %k = mote.concat %pk, %nk {axis = 2 : i64} : (tensor<1x1x6x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x8x4xf32>
  %v = mote.concat %pv, %nv {axis = 2 : i64} : (tensor<1x1x6x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x8x4xf32>
  // expected-error @+1 {{an attention over 2 new rows without a mask is not causal}}
  %o = mote.attention %q, %k, %v {scale = 0.5 : f32} : (tensor<1x2x2x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>) -> tensor<1x2x2x4xf32>
  return %o, %k, %v, %ids : tensor<1x2x2x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x2xi64>
}

// -----

// attention_mask also read elsewhere (positions from its cumulative sum, as OPT exports do).
func.func @main(%q: tensor<1x2x1x4xf32>, %nk: tensor<1x1x1x4xf32>, %nv: tensor<1x1x1x4xf32>,
                %mask: tensor<1x8xi64> {mote.name = "attention_mask"}, %pk: tensor<1x1x7x4xf32>, %pv: tensor<1x1x7x4xf32>,
                %ids: tensor<1x1xi64> {mote.name = "position_ids"})
    -> (tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1xi64>, tensor<1x8xi64>) {
  %k = mote.concat %pk, %nk {axis = 2 : i64} : (tensor<1x1x7x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x1x8x4xf32>
  %v = mote.concat %pv, %nv {axis = 2 : i64} : (tensor<1x1x7x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x1x8x4xf32>
  %o = mote.attention %q, %k, %v {scale = 0.5 : f32} : (tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>) -> tensor<1x2x1x4xf32>
  // expected-error @+1 {{'attention_mask' is read by 'mote.neg' beyond the attention masks}}
  %n = mote.neg %mask : tensor<1x8xi64>
  return %o, %k, %v, %ids, %n : tensor<1x2x1x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1xi64>, tensor<1x8xi64>
}
