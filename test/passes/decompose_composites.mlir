// mote-decompose-composites: layer_norm, rms_norm, gelu (none, tanh, sigmoid), silu and attention that the
// module's target does not list as native become the primitive ops of their ODS decompositions;
// native ones, group_norm (mote-broadcast-free-group-norm's business) and modules without a target are
// left alone. Grouped-query attention regroups the query heads instead of repeating key/value heads: no
// mote.expand, nothing above rank 4. A target without implicit broadcasting gets full-shape constants,
// and an error where a norm's statistics or a smaller mask would have to broadcast.
// RUN: mote-opt %s --split-input-file --verify-diagnostics --mote-decompose-composites | FileCheck %s
// The decompositions are the forms recognition reads back: decomposing and recognizing again gives
// the composites back.
// RUN: mote-opt %s --split-input-file --verify-diagnostics --mote-decompose-composites \
// RUN:   --mote-recognize-layer-norm --mote-recognize-rms-norm --mote-recognize-gelu --mote-recognize-silu \
// RUN:   --mote-recognize-attention | FileCheck %s --check-prefix=ROUNDTRIP

// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x32xf32>, %[[W:.*]]: tensor<32xf32>, %[[B:.*]]: tensor<32xf32>)
// CHECK-NOT: mote.layer_norm
// CHECK: %[[MEAN:.*]] = mote.reduce_mean %[[X]] {axes = array<i64: 2>} : (tensor<1x16x32xf32>) -> tensor<1x16x1xf32>
// CHECK: %[[D:.*]] = mote.sub %[[X]], %[[MEAN]] : (tensor<1x16x32xf32>, tensor<1x16x1xf32>) -> tensor<1x16x32xf32>
// CHECK: %[[SQ:.*]] = mote.mul %[[D]], %[[D]]
// CHECK: %[[VAR:.*]] = mote.reduce_mean %[[SQ]] {axes = array<i64: 2>} : (tensor<1x16x32xf32>) -> tensor<1x16x1xf32>
// CHECK: %[[EPS:.*]] = mote.constant dense<9.99999974E-6> : tensor<f32>
// CHECK: %[[VE:.*]] = mote.add %[[VAR]], %[[EPS]]
// CHECK: %[[STD:.*]] = mote.sqrt %[[VE]] : tensor<1x16x1xf32>
// CHECK: %[[N:.*]] = mote.div %[[D]], %[[STD]] : (tensor<1x16x32xf32>, tensor<1x16x1xf32>) -> tensor<1x16x32xf32>
// CHECK: %[[S:.*]] = mote.mul %[[N]], %[[W]] : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
// CHECK: %[[Y:.*]] = mote.add %[[S]], %[[B]] : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, native = ["group_norm"], activation_type = f32>} {
  func.func @layer_norm(%x: tensor<1x16x32xf32>, %w: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<1x16x32xf32> {
    %y = mote.layer_norm %x, %w, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x16x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
    return %y : tensor<1x16x32xf32>
  }
}

// -----

// Statistics over several trailing axes; no bias, and a scale of ones (what recognition fills in) is
// no multiply.
// CHECK-LABEL: func.func @layer_norm_two_axes
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x8xf16>)
// CHECK: %[[MEAN:.*]] = mote.reduce_mean %[[X]] {axes = array<i64: 1, 2>} : (tensor<2x4x8xf16>) -> tensor<2x1x1xf16>
// CHECK: mote.constant dense<1.001360e-05> : tensor<f16>
// CHECK: %[[N:.*]] = mote.div
// CHECK-NOT: mote.mul
// CHECK-NOT: mote.add
// CHECK: return %[[N]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, activation_type = f16>} {
  func.func @layer_norm_two_axes(%x: tensor<2x4x8xf16>) -> tensor<2x4x8xf16> {
    %ones = mote.constant dense<1.0> : tensor<4x8xf16>
    %y = mote.layer_norm %x, %ones {axis = 1 : i64, epsilon = 1.0e-05 : f32} : (tensor<2x4x8xf16>, tensor<4x8xf16>) -> tensor<2x4x8xf16>
    return %y : tensor<2x4x8xf16>
  }
}

// -----

// CHECK-LABEL: func.func @rms_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x32xf32>, %[[W:.*]]: tensor<32xf32>)
// CHECK: %[[SQ:.*]] = mote.mul %[[X]], %[[X]]
// CHECK: %[[MS:.*]] = mote.reduce_mean %[[SQ]] {axes = array<i64: 2>} : (tensor<1x16x32xf32>) -> tensor<1x16x1xf32>
// CHECK: %[[EPS:.*]] = mote.constant dense<9.99999997E-7> : tensor<f32>
// CHECK: %[[A:.*]] = mote.add %[[MS]], %[[EPS]]
// CHECK: %[[RMS:.*]] = mote.sqrt %[[A]]
// CHECK: %[[N:.*]] = mote.div %[[X]], %[[RMS]] : (tensor<1x16x32xf32>, tensor<1x16x1xf32>) -> tensor<1x16x32xf32>
// CHECK: %[[Y:.*]] = mote.mul %[[N]], %[[W]]
// CHECK: return %[[Y]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, activation_type = f32>} {
  func.func @rms_norm(%x: tensor<1x16x32xf32>, %w: tensor<32xf32>) -> tensor<1x16x32xf32> {
    %y = mote.rms_norm %x, %w {axis = -1 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
    return %y : tensor<1x16x32xf32>
  }
}

// -----

// GELU, all three forms: (0.5 * x) * (1 + erf(x * (1 / sqrt(2)))); (0.5 * x) * (1 + tanh(sqrt(2 / pi) *
// (x + 0.044715 * x^3))); x * sigmoid(1.702 * x). And SiLU: x * sigmoid(x).
// CHECK-LABEL: func.func @activations
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x128xf32>)
// CHECK: %[[RS2:.*]] = mote.constant dense<0.707106769> : tensor<f32>
// CHECK: %[[XS:.*]] = mote.mul %[[X]], %[[RS2]]
// CHECK: %[[ERF:.*]] = mote.erf %[[XS]]
// CHECK: %[[ONE:.*]] = mote.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[U:.*]] = mote.add %[[ERF]], %[[ONE]]
// CHECK: %[[HALF:.*]] = mote.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[HX:.*]] = mote.mul %[[X]], %[[HALF]]
// CHECK: %[[G0:.*]] = mote.mul %[[HX]], %[[U]]
// CHECK: %[[X2:.*]] = mote.mul %[[X]], %[[X]]
// CHECK: %[[X3:.*]] = mote.mul %[[X2]], %[[X]]
// CHECK: %[[C:.*]] = mote.constant dense<4.471500e-02> : tensor<f32>
// CHECK: %[[CX3:.*]] = mote.mul %[[X3]], %[[C]]
// CHECK: %[[IN:.*]] = mote.add %[[X]], %[[CX3]]
// CHECK: %[[K:.*]] = mote.constant dense<0.797884583> : tensor<f32>
// CHECK: %[[KIN:.*]] = mote.mul %[[IN]], %[[K]]
// CHECK: %[[T:.*]] = mote.tanh %[[KIN]]
// CHECK: %[[U1:.*]] = mote.add %[[T]], %{{.*}}
// CHECK: %[[HX1:.*]] = mote.mul %[[X]], %{{.*}}
// CHECK: %[[G1:.*]] = mote.mul %[[HX1]], %[[U1]]
// CHECK: %[[Q:.*]] = mote.constant dense<1.702000e+00> : tensor<f32>
// CHECK: %[[QX:.*]] = mote.mul %[[X]], %[[Q]]
// CHECK: %[[SQ:.*]] = mote.sigmoid %[[QX]]
// CHECK: %[[G2:.*]] = mote.mul %[[X]], %[[SQ]]
// CHECK: %[[SX:.*]] = mote.sigmoid %[[X]]
// CHECK: %[[S:.*]] = mote.mul %[[X]], %[[SX]]
// CHECK-NOT: mote.gelu
// CHECK-NOT: mote.silu
// CHECK: return %[[G0]], %[[G1]], %[[G2]], %[[S]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, native = ["layer_norm"], activation_type = f32>} {
  func.func @activations(%x: tensor<1x16x128xf32>) -> (tensor<1x16x128xf32>, tensor<1x16x128xf32>, tensor<1x16x128xf32>, tensor<1x16x128xf32>) {
    %0 = mote.gelu %x {approximate = "none"} : tensor<1x16x128xf32>
    %1 = mote.gelu %x {approximate = "tanh"} : tensor<1x16x128xf32>
    %2 = mote.gelu %x {approximate = "sigmoid"} : tensor<1x16x128xf32>
    %3 = mote.silu %x : tensor<1x16x128xf32>
    return %0, %1, %2, %3 : tensor<1x16x128xf32>, tensor<1x16x128xf32>, tensor<1x16x128xf32>, tensor<1x16x128xf32>
  }
}

// -----

// Multi-head attention with an additive mask that broadcasts over the heads.
// CHECK-LABEL: func.func @attention
// CHECK-SAME: (%[[Q:.*]]: tensor<2x2x16x8xf32>, %[[K:.*]]: tensor<2x2x12x8xf32>, %[[V:.*]]: tensor<2x2x12x4xf32>, %[[M:.*]]: tensor<2x1x16x12xf32>)
// CHECK: %[[KT:.*]] = mote.transpose %[[K]] {perm = array<i64: 0, 1, 3, 2>} : (tensor<2x2x12x8xf32>) -> tensor<2x2x8x12xf32>
// CHECK: %[[S:.*]] = mote.matmul %[[Q]], %[[KT]] : (tensor<2x2x16x8xf32>, tensor<2x2x8x12xf32>) -> tensor<2x2x16x12xf32>
// CHECK: %[[C:.*]] = mote.constant dense<0.353553385> : tensor<f32>
// CHECK: %[[SS:.*]] = mote.mul %[[S]], %[[C]]
// CHECK: %[[SM:.*]] = mote.add %[[SS]], %[[M]] : (tensor<2x2x16x12xf32>, tensor<2x1x16x12xf32>) -> tensor<2x2x16x12xf32>
// CHECK: %[[P:.*]] = mote.softmax %[[SM]] {axis = -1 : i64} : tensor<2x2x16x12xf32>
// CHECK: %[[O:.*]] = mote.matmul %[[P]], %[[V]] : (tensor<2x2x16x12xf32>, tensor<2x2x12x4xf32>) -> tensor<2x2x16x4xf32>
// CHECK-NOT: mote.attention
// CHECK: return %[[O]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, native = ["layer_norm", "gelu"], activation_type = f32>} {
  func.func @attention(%q: tensor<2x2x16x8xf32>, %k: tensor<2x2x12x8xf32>, %v: tensor<2x2x12x4xf32>, %m: tensor<2x1x16x12xf32>) -> tensor<2x2x16x4xf32> {
    %o = mote.attention %q, %k, %v, %m {scale = 0.353553385 : f32} : (tensor<2x2x16x8xf32>, tensor<2x2x12x8xf32>, tensor<2x2x12x4xf32>, tensor<2x1x16x12xf32>) -> tensor<2x2x16x4xf32>
    return %o : tensor<2x2x16x4xf32>
  }
}

// -----

// Grouped-query attention, 4 query heads over 2 key/value heads: the 2 query heads of a group are
// adjacent, so q is viewed as [B, Hkv, 2 * Sq, D] and meets its key/value head in a plain matmul.
// CHECK-LABEL: func.func @attention_gqa
// CHECK-SAME: (%[[Q:.*]]: tensor<1x4x16x8xf32>, %[[K:.*]]: tensor<1x2x16x8xf32>, %[[V:.*]]: tensor<1x2x16x8xf32>)
// CHECK: %[[QG:.*]] = mote.reshape %[[Q]] : (tensor<1x4x16x8xf32>) -> tensor<1x2x32x8xf32>
// CHECK: %[[KT:.*]] = mote.transpose %[[K]] {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x16x8xf32>) -> tensor<1x2x8x16xf32>
// CHECK: %[[S:.*]] = mote.matmul %[[QG]], %[[KT]] : (tensor<1x2x32x8xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x32x16xf32>
// CHECK: %[[SS:.*]] = mote.mul %[[S]]
// CHECK: %[[P:.*]] = mote.softmax %[[SS]] {axis = -1 : i64} : tensor<1x2x32x16xf32>
// CHECK: %[[O:.*]] = mote.matmul %[[P]], %[[V]] : (tensor<1x2x32x16xf32>, tensor<1x2x16x8xf32>) -> tensor<1x2x32x8xf32>
// CHECK: %[[R:.*]] = mote.reshape %[[O]] : (tensor<1x2x32x8xf32>) -> tensor<1x4x16x8xf32>
// CHECK-NOT: mote.expand
// CHECK-NOT: mote.concat
// CHECK-NOT: {{tensor<[0-9]+x[0-9]+x[0-9]+x[0-9]+x[0-9]+x}}
// CHECK: return %[[R]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, activation_type = f32>} {
  func.func @attention_gqa(%q: tensor<1x4x16x8xf32>, %k: tensor<1x2x16x8xf32>, %v: tensor<1x2x16x8xf32>) -> tensor<1x4x16x8xf32> {
    %o = mote.attention %q, %k, %v {scale = 0.353553385 : f32} : (tensor<1x4x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>) -> tensor<1x4x16x8xf32>
    return %o : tensor<1x4x16x8xf32>
  }
}

// -----

// Grouped-query attention with a causal mask (Llama): the scores are viewed per query head only for the
// mask's add. A mask of another float type is cast first.
// CHECK-LABEL: func.func @attention_gqa_mask
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8x16x8xf32>, %[[K:.*]]: tensor<1x2x16x8xf32>, %[[V:.*]]: tensor<1x2x16x8xf32>, %[[M:.*]]: tensor<1x1x16x16xf16>)
// CHECK: %[[S:.*]] = mote.matmul %{{.*}}, %{{.*}} : (tensor<1x2x64x8xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x64x16xf32>
// CHECK: %[[SS:.*]] = mote.mul %[[S]]
// CHECK: %[[MF:.*]] = mote.cast %[[M]] {to = f32} : (tensor<1x1x16x16xf16>) -> tensor<1x1x16x16xf32>
// CHECK: %[[SH:.*]] = mote.reshape %[[SS]] : (tensor<1x2x64x16xf32>) -> tensor<1x8x16x16xf32>
// CHECK: %[[SM:.*]] = mote.add %[[SH]], %[[MF]] : (tensor<1x8x16x16xf32>, tensor<1x1x16x16xf32>) -> tensor<1x8x16x16xf32>
// CHECK: %[[SG:.*]] = mote.reshape %[[SM]] : (tensor<1x8x16x16xf32>) -> tensor<1x2x64x16xf32>
// CHECK: %[[P:.*]] = mote.softmax %[[SG]]
// CHECK: %[[O:.*]] = mote.matmul %[[P]], %[[V]]
// CHECK: %[[R:.*]] = mote.reshape %[[O]] : (tensor<1x2x64x8xf32>) -> tensor<1x8x16x8xf32>
// CHECK-NOT: mote.expand
// CHECK: return %[[R]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, activation_type = f32>} {
  func.func @attention_gqa_mask(%q: tensor<1x8x16x8xf32>, %k: tensor<1x2x16x8xf32>, %v: tensor<1x2x16x8xf32>, %m: tensor<1x1x16x16xf16>) -> tensor<1x8x16x8xf32> {
    %o = mote.attention %q, %k, %v, %m {scale = 0.353553385 : f32} : (tensor<1x8x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x1x16x16xf16>) -> tensor<1x8x16x8xf32>
    return %o : tensor<1x8x16x8xf32>
  }
}

// -----

// Native composites stay; group_norm is never this pass's business.
// CHECK-LABEL: func.func @native
// CHECK: mote.layer_norm
// CHECK: mote.attention
// CHECK: mote.group_norm
// CHECK: mote.erf
// CHECK-NOT: mote.gelu
// CHECK: return
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, native = ["layer_norm", "attention"], activation_type = f32>} {
  func.func @native(%x: tensor<1x16x32xf32>, %w: tensor<32xf32>, %q: tensor<1x2x16x8xf32>, %g: tensor<1x32x4x4xf32>) -> (tensor<1x16x32xf32>, tensor<1x2x16x8xf32>, tensor<1x32x4x4xf32>, tensor<1x16x32xf32>) {
    %0 = mote.layer_norm %x, %w, %w {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x16x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
    %1 = mote.attention %q, %q, %q {scale = 0.35 : f32} : (tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>) -> tensor<1x2x16x8xf32>
    %2 = mote.group_norm %g, %w, %w {num_groups = 8 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x32x4x4xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x32x4x4xf32>
    %3 = mote.gelu %x : tensor<1x16x32xf32>
    return %0, %1, %2, %3 : tensor<1x16x32xf32>, tensor<1x2x16x8xf32>, tensor<1x32x4x4xf32>, tensor<1x16x32xf32>
  }
}

// -----

// No target: nothing is decomposed.
// CHECK-LABEL: func.func @no_target
// CHECK: mote.layer_norm
// CHECK: mote.gelu
// CHECK: mote.attention
// CHECK-NOT: mote.reduce_mean
// CHECK-NOT: mote.erf
// CHECK-NOT: mote.softmax
func.func @no_target(%x: tensor<1x16x32xf32>, %w: tensor<32xf32>, %q: tensor<1x2x16x8xf32>) -> (tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x2x16x8xf32>) {
  %0 = mote.layer_norm %x, %w, %w {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x16x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
  %1 = mote.gelu %x : tensor<1x16x32xf32>
  %2 = mote.attention %q, %q, %q {scale = 0.35 : f32} : (tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>) -> tensor<1x2x16x8xf32>
  return %0, %1, %2 : tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x2x16x8xf32>
}

// -----

// A target without implicit broadcasting: constants take the full shape of what they meet, so nothing
// broadcasts; a mask of the scores' own shape needs no broadcast either.
// CHECK-LABEL: func.func @no_implicit_broadcast
// CHECK: mote.constant dense<1.702000e+00> : tensor<1x16x32xf32>
// CHECK: mote.sigmoid
// CHECK: mote.constant dense<3.500000e-01> : tensor<1x2x16x16xf32>
// CHECK: mote.add %{{.*}}, %{{.*}} : (tensor<1x2x16x16xf32>, tensor<1x2x16x16xf32>) -> tensor<1x2x16x16xf32>
// CHECK-NOT: tensor<f32>
// CHECK: return
module attributes {mote.target = #mote.target<name = "strict", max_rank = 4, implicit_broadcast = false, explicit_broadcast = false, activation_type = f32>} {
  func.func @no_implicit_broadcast(%x: tensor<1x16x32xf32>, %q: tensor<1x2x16x8xf32>, %m: tensor<1x2x16x16xf32>) -> (tensor<1x16x32xf32>, tensor<1x2x16x8xf32>) {
    %0 = mote.gelu %x {approximate = "sigmoid"} : tensor<1x16x32xf32>
    %1 = mote.attention %q, %q, %q, %m {scale = 0.35 : f32} : (tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x16xf32>) -> tensor<1x2x16x8xf32>
    return %0, %1 : tensor<1x16x32xf32>, tensor<1x2x16x8xf32>
  }
}

// -----

module attributes {mote.target = #mote.target<name = "strict", max_rank = 4, implicit_broadcast = false, explicit_broadcast = false, activation_type = f32>} {
  func.func @norm_no_implicit_broadcast(%x: tensor<1x16x32xf32>, %w: tensor<32xf32>) -> tensor<1x16x32xf32> {
    // expected-error @+1 {{cannot decompose mote.rms_norm for target 'strict': its statistics must broadcast over the normalized axes, and the target allows no implicit broadcasting}}
    %0 = mote.rms_norm %x, %w {axis = -1 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
    return %0 : tensor<1x16x32xf32>
  }
}

// -----

module attributes {mote.target = #mote.target<name = "strict", max_rank = 4, implicit_broadcast = false, explicit_broadcast = false, activation_type = f32>} {
  func.func @mask_no_implicit_broadcast(%q: tensor<1x2x16x8xf32>, %m: tensor<1x1x16x16xf32>) -> tensor<1x2x16x8xf32> {
    // expected-error @+1 {{cannot decompose mote.attention for target 'strict': its mask 'tensor<1x1x16x16xf32>' must broadcast against the scores [1, 2, 16, 16], and the target allows no implicit broadcasting}}
    %0 = mote.attention %q, %q, %q, %m {scale = 0.35 : f32} : (tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x1x16x16xf32>) -> tensor<1x2x16x8xf32>
    return %0 : tensor<1x2x16x8xf32>
  }
}

// -----

// Decomposing and recognizing again gives back every composite (multi-head attention included).
// ROUNDTRIP-LABEL: func.func @roundtrip
// ROUNDTRIP-SAME: (%[[X:.*]]: tensor<1x16x32xf32>, %[[W:.*]]: tensor<32xf32>, %[[B:.*]]: tensor<32xf32>, %[[Q:.*]]: tensor<1x4x16x8xf32>, %[[M:.*]]: tensor<1x1x16x16xf32>)
// ROUNDTRIP-DAG: %[[LN:.*]] = mote.layer_norm %[[X]], %[[W]], %[[B]] {axis = 2 : i64, epsilon = 9.99999974E-6 : f32}
// ROUNDTRIP-DAG: %[[RMS:.*]] = mote.rms_norm %[[X]], %[[W]] {axis = 2 : i64, epsilon = 9.99999997E-7 : f32}
// ROUNDTRIP-DAG: %[[G0:.*]] = mote.gelu %[[X]] : tensor<1x16x32xf32>
// ROUNDTRIP-DAG: %[[G1:.*]] = mote.gelu %[[X]] {approximate = "tanh"}
// ROUNDTRIP-DAG: %[[G2:.*]] = mote.gelu %[[X]] {approximate = "sigmoid"}
// ROUNDTRIP-DAG: %[[S:.*]] = mote.silu %[[X]]
// ROUNDTRIP-DAG: %[[A:.*]] = mote.attention %[[Q]], %[[Q]], %[[Q]], %[[M]] {scale = 0.353553385 : f32}
// ROUNDTRIP: return %[[LN]], %[[RMS]], %[[G0]], %[[G1]], %[[G2]], %[[S]], %[[A]]
module attributes {mote.target = #mote.target<name = "t", max_rank = 4, explicit_broadcast = false, activation_type = f32>} {
  func.func @roundtrip(%x: tensor<1x16x32xf32>, %w: tensor<32xf32>, %b: tensor<32xf32>, %q: tensor<1x4x16x8xf32>, %m: tensor<1x1x16x16xf32>) -> (tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x4x16x8xf32>) {
    %0 = mote.layer_norm %x, %w, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x16x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
    %1 = mote.rms_norm %x, %w {axis = -1 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
    %2 = mote.gelu %x {approximate = "none"} : tensor<1x16x32xf32>
    %3 = mote.gelu %x {approximate = "tanh"} : tensor<1x16x32xf32>
    %4 = mote.gelu %x {approximate = "sigmoid"} : tensor<1x16x32xf32>
    %5 = mote.silu %x : tensor<1x16x32xf32>
    %6 = mote.attention %q, %q, %q, %m {scale = 0.353553385 : f32} : (tensor<1x4x16x8xf32>, tensor<1x4x16x8xf32>, tensor<1x4x16x8xf32>, tensor<1x1x16x16xf32>) -> tensor<1x4x16x8xf32>
    return %0, %1, %2, %3, %4, %5, %6 : tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1x4x16x8xf32>
  }
}
