#!/usr/bin/env python3
"""Writes models built from ONNX Runtime's contrib operators (domain com.microsoft) as Hugging Face optimum
and ONNX Runtime GenAI emit them, each with seeded inputs in the ONNX backend-test layout
(OUT/<name>/model.onnx, OUT/<name>/test_data_set_0/input_K.pb). The expected outputs come from ONNX Runtime
(the test runs it), not from this script.

    norms          SimplifiedLayerNormalization; SkipSimplifiedLayerNormalization with bias (output and the
                   input+skip+bias sum); SkipLayerNormalization with beta and bias; over [2, 5, 48].
    gelus          FastGelu with bias, BiasGelu, FastGelu without bias, over [1, 7, 40].
    matmul_nbits   MatMulNBits (4 bits, no zero points) with K = 80 (not a multiple of the block: padded
                   codes), N = 24, block 32, scales [N * k_blocks], bias; K = 64, block 16, scales
                   [N, k_blocks], no bias; K = 96 with uint8 zero points that are all 8 (3 blocks: each row's
                   last byte half padding); A [1, 3, K], [5, K], [2, K]; codes uniform over 0..15.
    rotary         RotaryEmbedding: [2, 5, 64] with 4 heads of 16, position_ids [2, 5], rotate-half; a partial,
                   interleaved one (2 heads of 24, rotary_embedding_dim 16) with the position offset [1] = 7;
                   [1, 3, 5, 8] (heads first) with position_ids [1, 5]. Caches from the usual 10000^(-2i/D).
    gqa_prompt     GroupQueryAttention of a first prompt without past: 6 tokens, 4 query heads on 2 key/value
                   heads of 8 (present = the new keys and values).
    gqa_decode     one token with Q, K and V packed, rotary (caches [32, 8], head 16) and a past buffer of 12
                   rows of which 8 are filled (present keeps 12 rows, zeros past the 9th).
    gqa_append     3 tokens appended to a past of 5 (present grows to 8), 2 query heads on 1 key/value head.
    gqa_batch      2 sequences of different lengths (5 and 7 tokens in all) decoding one token each, rotary
                   interleaved with position_ids [[4], [6]], a past buffer of 8.
    gqa_window_bias  a local window of 3 keys and an attention_bias [1, 2, 4, 10], 4 tokens after a past of 6.
    gqa_softcap_sink softcap 2 and a head_sink per query head, a first prompt of 3 tokens.
    gqa_smooth     smooth_softmax (a zero sink), one token with a past buffer of 8 rows of which 5 are filled.
    genai_decode   a whole decoder layer as ONNX Runtime GenAI writes one (embedding Gather, seqlens_k and
                   total_sequence_length from attention_mask, SimplifiedLayerNormalization, packed-QKV
                   MatMulNBits, GroupQueryAttention with rotary, SkipSimplifiedLayerNormalization, int4 MLP, final
                   norm, int4 LM head): one token after a past of 7; genai_prompt: a 5-token prompt, past of 0.
    decoder_mlp    a Llama decoder layer's MLP half as ONNX Runtime GenAI writes it: SkipSimplifiedLayer-
                   Normalization (residual sum out) -> MatMulNBits gate and up (block 32) -> SiLU as
                   Sigmoid * x -> Mul -> MatMulNBits down -> Add to the residual; hidden 64, intermediate
                   160, [1, 9, 64].
    matmul_nbits_asym  zero points: uint8 (3 blocks a row, K = 80, bias) and float32 [N, k_blocks].
    gather_block_quantized  int4 embedding tables: with uint8 zero points (3 blocks a row) and without.
  Invalid (no test data): nbits_zero_points (zero points of the wrong size), nbits_bits8, nbits_bad_shape
  (B of the wrong shape), norm_statistics (asks for the inv_std_var output), unknown_attribute,
  no_domain_import (a com.microsoft node without the domain in opset_import), extra_input, int_scale (a float
  attribute given as an int), window_zero (local_window_size 0), nbits_huge_splat (B a 16 G-element
  ConstantOfShape), nbits_block_huge (block_size 2^40).

usage: make_contrib_models.py OUT
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
MS = "com.microsoft"


def write(out, name, nodes, inputs, outputs, initializers=(), feeds=None, domains=True):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    opsets = [helper.make_opsetid("", OPSET)] + ([helper.make_opsetid(MS, 1)] if domains else [])
    model = helper.make_model(graph, opset_imports=opsets, producer_name="mote-test")
    folder = os.path.join(out, name)
    os.makedirs(os.path.join(folder, "test_data_set_0"), exist_ok=True)
    onnx.save(model, os.path.join(folder, "model.onnx"))
    for k, (input_name, value) in enumerate((feeds or {}).items()):
        onnx.save_tensor(numpy_helper.from_array(value, input_name),
                         os.path.join(folder, "test_data_set_0", f"input_{k}.pb"))


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def init(name, value):
    return numpy_helper.from_array(value, name)


def norms(out, rng):
    shape = [2, 5, 48]
    nodes = [
        helper.make_node("SimplifiedLayerNormalization", ["x", "g"], ["rms"], axis=-1, epsilon=1e-6,
                         stash_type=1),
        helper.make_node("SkipSimplifiedLayerNormalization", ["x", "skip", "g", "b"], ["ssln", "", "", "sum"],
                         epsilon=1e-5, domain=MS),
        helper.make_node("SkipLayerNormalization", ["x", "skip", "g", "beta", "b"], ["sln", "", "", "sum2"],
                         epsilon=1e-5, domain=MS),
    ]
    inits = [init("g", rng.uniform(0.5, 1.5, 48).astype(np.float32)),
             init("beta", rng.standard_normal(48).astype(np.float32)),
             init("b", rng.standard_normal(48).astype(np.float32) * 0.1)]
    write(out, "norms", nodes, [f32("x", shape), f32("skip", shape)],
          [f32(n, shape) for n in ("rms", "ssln", "sum", "sln", "sum2")], inits,
          {"x": rng.standard_normal(shape).astype(np.float32) * 2,
           "skip": rng.standard_normal(shape).astype(np.float32)})


def gelus(out, rng):
    shape = [1, 7, 40]
    nodes = [
        helper.make_node("FastGelu", ["x", "bias"], ["fast"], domain=MS),
        helper.make_node("BiasGelu", ["x", "bias"], ["exact"], domain=MS),
        helper.make_node("FastGelu", ["x"], ["plain"], domain=MS),
    ]
    write(out, "gelus", nodes, [f32("x", shape)], [f32(n, shape) for n in ("fast", "exact", "plain")],
          [init("bias", rng.standard_normal(40).astype(np.float32))],
          {"x": rng.standard_normal(shape).astype(np.float32) * 3})


def nbits_weight(rng, n, k, block, flat_scales=True):
    """Random 4-bit codes packed as MatMulNBits stores them, and scales."""
    blocks = (k + block - 1) // block
    codes = rng.integers(0, 16, size=(n, blocks * block)).astype(np.uint8)
    codes[:, k:] = 0  # padding past K
    packed = (codes[:, 0::2] | (codes[:, 1::2] << 4)).reshape(n, blocks, block // 2)
    scales = rng.uniform(0.005, 0.05, size=(n, blocks)).astype(np.float32)
    return packed, (scales.reshape(-1) if flat_scales else scales)


def nbits_node(name, a, b, scales, out, k, n, block, bias=None, **extra):
    inputs = [a, b, scales] + (["", "", bias] if bias else [])
    return helper.make_node("MatMulNBits", inputs, [out], K=k, N=n, bits=4, block_size=block, domain=MS,
                            name=name, **extra)


def matmul_nbits(out, rng):
    b1, s1 = nbits_weight(rng, 24, 80, 32)
    b2, s2 = nbits_weight(rng, 24, 64, 16, flat_scales=False)
    b3, s3 = nbits_weight(rng, 16, 96, 32)
    nodes = [nbits_node("mm1", "a", "b1", "s1", "y1", 80, 24, 32, bias="bias", accuracy_level=0),
             nbits_node("mm2", "a2", "b2", "s2", "y2", 64, 24, 16),
             helper.make_node("MatMulNBits", ["a3", "b3", "s3", "zp3"], ["y3"], K=96, N=16, bits=4, block_size=32,
                              domain=MS, name="mm3")]
    inits = [init("b1", b1), init("s1", s1), init("b2", b2), init("s2", s2),
             init("bias", rng.standard_normal(24).astype(np.float32)), init("b3", b3), init("s3", s3),
             init("zp3", np.full(16 * 2, 0x88, np.uint8))]
    write(out, "matmul_nbits", nodes, [f32("a", [1, 3, 80]), f32("a2", [5, 64]), f32("a3", [2, 96])],
          [f32("y1", [1, 3, 24]), f32("y2", [5, 24]), f32("y3", [2, 16])], inits,
          {"a": rng.standard_normal([1, 3, 80]).astype(np.float32),
           "a2": rng.standard_normal([5, 64]).astype(np.float32),
           "a3": rng.standard_normal([2, 96]).astype(np.float32)})


def rotary_caches(positions, half):
    inv = 1.0 / (10000.0 ** (np.arange(half, dtype=np.float64) * 2 / (2 * half)))
    angles = np.arange(positions, dtype=np.float64)[:, None] * inv[None, :]
    return np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)


def rotary(out, rng):
    cos1, sin1 = rotary_caches(32, 8)
    cos2, sin2 = rotary_caches(40, 8)
    cos3, sin3 = rotary_caches(16, 4)
    i64 = TensorProto.INT64
    nodes = [
        helper.make_node("RotaryEmbedding", ["x1", "pos1", "cos1", "sin1"], ["y1"], domain=MS, name="rope_half"),
        helper.make_node("RotaryEmbedding", ["x2", "pos2", "cos2", "sin2"], ["y2"], domain=MS, name="rope_partial",
                         interleaved=1, num_heads=2, rotary_embedding_dim=16),
        helper.make_node("RotaryEmbedding", ["x3", "pos3", "cos3", "sin3"], ["y3"], domain=MS, name="rope_bnsh"),
    ]
    inits = [init("cos1", cos1), init("sin1", sin1), init("cos2", cos2), init("sin2", sin2), init("cos3", cos3),
             init("sin3", sin3)]
    write(out, "rotary", nodes,
          [f32("x1", [2, 5, 64]), helper.make_tensor_value_info("pos1", i64, [2, 5]), f32("x2", [1, 6, 48]),
           helper.make_tensor_value_info("pos2", i64, [1]), f32("x3", [1, 3, 5, 8]),
           helper.make_tensor_value_info("pos3", i64, [1, 5])],
          [f32("y1", [2, 5, 64]), f32("y2", [1, 6, 48]), f32("y3", [1, 3, 5, 8])], inits,
          {"x1": rng.standard_normal([2, 5, 64]).astype(np.float32),
           "pos1": rng.integers(0, 32, size=(2, 5)).astype(np.int64),
           "x2": rng.standard_normal([1, 6, 48]).astype(np.float32),
           "pos2": np.array([7], np.int64),
           "x3": rng.standard_normal([1, 3, 5, 8]).astype(np.float32),
           "pos3": np.array([[3, 4, 5, 6, 7]], np.int64)})


def gqa(out, rng, name, B, S, N, Nkv, H, past, seqlens, total, packed=False, rotary=None, position_ids=None,
        window=None, softcap=None, smooth=False, bias=False, sink=False):
    """A GroupQueryAttention node over graph inputs; past is the past buffers' length (None: no past)."""
    i32, i64 = TensorProto.INT32, TensorProto.INT64
    inputs, feeds = [], {}

    def add(input_name, value, elem=TensorProto.FLOAT):
        inputs.append(helper.make_tensor_value_info(input_name, elem, list(value.shape)))
        feeds[input_name] = value

    if packed:
        add("query", rng.standard_normal([B, S, (N + 2 * Nkv) * H]).astype(np.float32))
        names = ["query", "", ""]
    else:
        add("query", rng.standard_normal([B, S, N * H]).astype(np.float32))
        add("key", rng.standard_normal([B, S, Nkv * H]).astype(np.float32))
        add("value", rng.standard_normal([B, S, Nkv * H]).astype(np.float32))
        names = ["query", "key", "value"]
    if past is not None:
        add("past_key", rng.standard_normal([B, Nkv, past, H]).astype(np.float32))
        add("past_value", rng.standard_normal([B, Nkv, past, H]).astype(np.float32))
        names += ["past_key", "past_value"]
    else:
        names += ["", ""]
    add("seqlens_k", np.array(seqlens, np.int32), i32)
    add("total_sequence_length", np.array([total], np.int32), i32)
    names += ["seqlens_k", "total_sequence_length"]
    attrs = dict(num_heads=N, kv_num_heads=Nkv)
    inits = []
    if rotary:
        positions, interleaved = rotary
        cos, sin = rotary_caches(positions, H // 2)
        inits = [init("cos", cos), init("sin", sin)]
        names += ["cos", "sin"]
        attrs.update(do_rotary=1, rotary_interleaved=interleaved)
        if position_ids is not None:
            add("position_ids", np.array(position_ids, np.int64), i64)
            names += ["position_ids"]
    if bias or sink:
        while len(names) < 10:
            names.append("")
    if bias:
        add("attention_bias", rng.standard_normal([B, N, S, total]).astype(np.float32))
        names.append("attention_bias")
    if sink:
        names += [""] * (11 - len(names))
        inits.append(init("head_sink", rng.standard_normal(N).astype(np.float32)))
        names.append("head_sink")
    if window is not None:
        attrs["local_window_size"] = window
    if softcap is not None:
        attrs["softcap"] = softcap
    if smooth:
        attrs["smooth_softmax"] = 1
    present = max(total, past or 0)
    node = helper.make_node("GroupQueryAttention", names, ["output", "present_key", "present_value"], domain=MS,
                            name="attn", **attrs)
    write(out, name, [node], inputs,
          [f32("output", [B, S, N * H]), f32("present_key", [B, Nkv, present, H]),
           f32("present_value", [B, Nkv, present, H])], inits, feeds)


def genai_decoder(out, rng, name, S, past):
    """One Llama decoder layer with its embedding, final norm and LM head as ONNX Runtime GenAI's builder writes
    it: seqlens_k and total_sequence_length computed from attention_mask, packed QKV from one MatMulNBits,
    GroupQueryAttention with rotary, SkipSimplifiedLayerNormalization, an int4 MLP and LM head."""
    vocab, h, heads, kv_heads, hd, inter = 50, 64, 4, 2, 16, 128
    i64 = TensorProto.INT64
    cos, sin = rotary_caches(32, hd // 2)
    weights = {}
    for wname, (n, k) in {"qkv": ((heads + 2 * kv_heads) * hd, h), "o": (h, heads * hd), "gate": (inter, h),
                          "up": (inter, h), "down": (h, inter), "lm_head": (vocab, h)}.items():
        weights[wname] = nbits_weight(rng, n, k, 32)
    nodes = [
        helper.make_node("Gather", ["embed_tokens", "input_ids"], ["embed"], name="embed"),
        helper.make_node("ReduceSum", ["attention_mask", "one_axis"], ["mask_sum"], keepdims=0),
        helper.make_node("Sub", ["mask_sum", "one"], ["seqlens_64"]),
        helper.make_node("Cast", ["seqlens_64"], ["seqlens_k"], to=TensorProto.INT32),
        helper.make_node("Shape", ["attention_mask"], ["mask_shape"]),
        helper.make_node("Gather", ["mask_shape", "one"], ["total_64"], axis=0),
        helper.make_node("Cast", ["total_64"], ["total_sequence_length"], to=TensorProto.INT32),
        helper.make_node("SimplifiedLayerNormalization", ["embed", "ln1"], ["normed1"], epsilon=1e-5,
                         name="input_layernorm"),
        nbits_node("qkv_proj", "normed1", "qkv_b", "qkv_s", "qkv", h, (heads + 2 * kv_heads) * hd, 32),
        helper.make_node("GroupQueryAttention", ["qkv", "", "", "past_key_values.0.key", "past_key_values.0.value",
                                                 "seqlens_k", "total_sequence_length", "cos", "sin"],
                         ["attn", "present.0.key", "present.0.value"], domain=MS, name="attn", num_heads=heads,
                         kv_num_heads=kv_heads, do_rotary=1),
        nbits_node("o_proj", "attn", "o_b", "o_s", "o", heads * hd, h, 32),
        helper.make_node("SkipSimplifiedLayerNormalization", ["o", "embed", "ln2"], ["normed2", "", "", "resid"],
                         epsilon=1e-5, domain=MS, name="post_attention_layernorm"),
        nbits_node("gate_proj", "normed2", "gate_b", "gate_s", "gate", h, inter, 32),
        nbits_node("up_proj", "normed2", "up_b", "up_s", "up", h, inter, 32),
        helper.make_node("Sigmoid", ["gate"], ["sig"]),
        helper.make_node("Mul", ["gate", "sig"], ["silu"]),
        helper.make_node("Mul", ["silu", "up"], ["act"]),
        nbits_node("down_proj", "act", "down_b", "down_s", "down", inter, h, 32),
        helper.make_node("Add", ["resid", "down"], ["hidden"]),
        helper.make_node("SimplifiedLayerNormalization", ["hidden", "lnf"], ["normedf"], epsilon=1e-5, name="norm"),
        nbits_node("lm_head", "normedf", "lm_head_b", "lm_head_s", "logits", h, vocab, 32),
    ]
    inits = [init("embed_tokens", rng.standard_normal([vocab, h]).astype(np.float32)),
             init("one_axis", np.array([1], np.int64)), init("one", np.array(1, np.int64)),
             init("ln1", rng.uniform(0.5, 1.5, h).astype(np.float32)),
             init("ln2", rng.uniform(0.5, 1.5, h).astype(np.float32)),
             init("lnf", rng.uniform(0.5, 1.5, h).astype(np.float32)), init("cos", cos), init("sin", sin)]
    for wname, (b, sc) in weights.items():
        inits += [init(wname + "_b", b), init(wname + "_s", sc)]
    total = past + S
    kv_shape = [1, kv_heads, past, hd]
    write(out, name, nodes,
          [helper.make_tensor_value_info("input_ids", i64, [1, S]),
           helper.make_tensor_value_info("attention_mask", i64, [1, total]),
           f32("past_key_values.0.key", kv_shape), f32("past_key_values.0.value", kv_shape)],
          [f32("logits", [1, S, vocab]), f32("present.0.key", [1, kv_heads, total, hd]),
           f32("present.0.value", [1, kv_heads, total, hd])], inits,
          {"input_ids": rng.integers(0, vocab, size=(1, S)).astype(np.int64),
           "attention_mask": np.ones([1, total], np.int64),
           "past_key_values.0.key": rng.standard_normal(kv_shape).astype(np.float32),
           "past_key_values.0.value": rng.standard_normal(kv_shape).astype(np.float32)})


def decoder_mlp(out, rng):
    h, inter, shape = 64, 160, [1, 9, 64]
    gate_b, gate_s = nbits_weight(rng, inter, h, 32)
    up_b, up_s = nbits_weight(rng, inter, h, 32)
    down_b, down_s = nbits_weight(rng, h, inter, 32)
    nodes = [
        helper.make_node("SkipSimplifiedLayerNormalization", ["x", "residual", "ln_g"], ["normed", "", "", "resid"],
                         epsilon=1e-5, domain=MS, name="post_attention_layernorm"),
        nbits_node("gate_proj", "normed", "gate_b", "gate_s", "gate", h, inter, 32, accuracy_level=0),
        nbits_node("up_proj", "normed", "up_b", "up_s", "up", h, inter, 32, accuracy_level=0),
        helper.make_node("Sigmoid", ["gate"], ["sig"]),
        helper.make_node("Mul", ["gate", "sig"], ["silu"]),
        helper.make_node("Mul", ["silu", "up"], ["act"]),
        nbits_node("down_proj", "act", "down_b", "down_s", "down", inter, h, 32),
        helper.make_node("Add", ["resid", "down"], ["y"]),
    ]
    inits = [init("ln_g", rng.uniform(0.5, 1.5, h).astype(np.float32)), init("gate_b", gate_b),
             init("gate_s", gate_s), init("up_b", up_b), init("up_s", up_s), init("down_b", down_b),
             init("down_s", down_s)]
    write(out, "decoder_mlp", nodes, [f32("x", shape), f32("residual", shape)], [f32("y", shape)], inits,
          {"x": rng.standard_normal(shape).astype(np.float32),
           "residual": rng.standard_normal(shape).astype(np.float32)})


def matmul_nbits_asym(out, rng):
    """Asymmetric weights (ONNX Runtime's quantizer default): uint8 zero points, 3 blocks per row (the last
    byte's high nibble padding) and K = 80 (padded codes), with bias; float zero points [N, k_blocks]."""
    b1, s1 = nbits_weight(rng, 24, 80, 32)
    zp1 = rng.integers(0, 16, size=(24, 3)).astype(np.uint8)
    packed_zp1 = (zp1[:, 0] | (zp1[:, 1] << 4)).astype(np.uint8)
    packed_zp1 = np.stack([packed_zp1, zp1[:, 2]], axis=1).reshape(-1)
    b2, s2 = nbits_weight(rng, 16, 64, 16, flat_scales=False)
    zp2 = rng.uniform(0, 15, size=(16, 4)).astype(np.float32)
    nodes = [helper.make_node("MatMulNBits", ["a", "b1", "s1", "zp1", "", "bias"], ["y1"], K=80, N=24, bits=4,
                              block_size=32, domain=MS, name="asym_u8"),
             helper.make_node("MatMulNBits", ["a2", "b2", "s2", "zp2"], ["y2"], K=64, N=16, bits=4, block_size=16,
                              domain=MS, name="asym_f32")]
    inits = [init("b1", b1), init("s1", s1), init("zp1", packed_zp1), init("b2", b2), init("s2", s2), init("zp2", zp2),
             init("bias", rng.standard_normal(24).astype(np.float32))]
    write(out, "matmul_nbits_asym", nodes, [f32("a", [1, 3, 80]), f32("a2", [5, 64])],
          [f32("y1", [1, 3, 24]), f32("y2", [5, 16])], inits,
          {"a": rng.standard_normal([1, 3, 80]).astype(np.float32),
           "a2": rng.standard_normal([5, 64]).astype(np.float32)})


def gather_block_quantized(out, rng):
    """GatherBlockQuantized (4 bits in uint8): a 50 x 96 table in blocks of 32 with uint8 zero points (3 blocks a
    row: each row's last byte half padding), int64 indices [2, 5]; a 40 x 64 table in blocks of 16 without zero
    points, int32 indices [7]."""
    def table(rows, d, block, zero_points):
        codes = rng.integers(0, 16, size=(rows, d)).astype(np.uint8)
        packed = (codes[:, 0::2] | (codes[:, 1::2] << 4)).astype(np.uint8)
        blocks = (d + block - 1) // block
        scales = rng.uniform(0.01, 0.1, size=(rows, blocks)).astype(np.float32)
        if not zero_points:
            return packed, scales, None
        zp = rng.integers(0, 16, size=(rows, blocks + blocks % 2)).astype(np.uint8)
        zp[:, blocks:] = 0
        return packed, scales, (zp[:, 0::2] | (zp[:, 1::2] << 4)).astype(np.uint8)
    d1, s1, z1 = table(50, 96, 32, True)
    d2, s2, _ = table(40, 64, 16, False)
    nodes = [helper.make_node("GatherBlockQuantized", ["d1", "ids1", "s1", "z1"], ["y1"], domain=MS, name="embed_q4",
                              block_size=32, bits=4, gather_axis=0, quantize_axis=1),
             helper.make_node("GatherBlockQuantized", ["d2", "ids2", "s2"], ["y2"], domain=MS, name="embed_sym",
                              block_size=16)]
    inits = [init("d1", d1), init("s1", s1), init("z1", z1), init("d2", d2), init("s2", s2)]
    write(out, "gather_block_quantized", nodes,
          [helper.make_tensor_value_info("ids1", TensorProto.INT64, [2, 5]),
           helper.make_tensor_value_info("ids2", TensorProto.INT32, [7])],
          [f32("y1", [2, 5, 96]), f32("y2", [7, 64])], inits,
          {"ids1": rng.integers(0, 50, size=(2, 5)).astype(np.int64),
           "ids2": rng.integers(0, 40, size=(7,)).astype(np.int32)})


def invalid(out, rng):
    b, s = nbits_weight(rng, 8, 32, 32)
    zp = np.full(5, 0x87, np.uint8)
    write(out, "nbits_zero_points", [helper.make_node("MatMulNBits", ["a", "b", "s", "zp"], ["y"], K=32, N=8, bits=4,
                                                      block_size=32, domain=MS, name="q_proj")],
          [f32("a", [2, 32])], [f32("y", [2, 8])], [init("b", b), init("s", s), init("zp", zp)])
    write(out, "nbits_bits8", [helper.make_node("MatMulNBits", ["a", "b", "s"], ["y"], K=32, N=8, bits=8,
                                                block_size=32, domain=MS, name="k_proj")],
          [f32("a", [2, 32])], [f32("y", [2, 8])], [init("b", b), init("s", s)])
    write(out, "nbits_bad_shape", [helper.make_node("MatMulNBits", ["a", "b", "s"], ["y"], K=64, N=8, bits=4,
                                                    block_size=32, domain=MS, name="v_proj")],
          [f32("a", [2, 64])], [f32("y", [2, 8])], [init("b", b), init("s", s)])
    write(out, "norm_statistics", [helper.make_node("SimplifiedLayerNormalization", ["x", "g"], ["y", "inv"],
                                                    name="input_layernorm")],
          [f32("x", [2, 8])], [f32("y", [2, 8]), f32("inv", [2, 1])], [init("g", np.ones(8, np.float32))])
    write(out, "unknown_attribute", [helper.make_node("FastGelu", ["x"], ["y"], domain=MS, name="act",
                                                      approximate="tanh")],
          [f32("x", [2, 8])], [f32("y", [2, 8])])
    write(out, "no_domain_import", [helper.make_node("FastGelu", ["x"], ["y"], domain=MS, name="act")],
          [f32("x", [2, 8])], [f32("y", [2, 8])], domains=False)
    write(out, "extra_input", [helper.make_node("FastGelu", ["x", "x", "x"], ["y"], domain=MS, name="act3")],
          [f32("x", [2, 8])], [f32("y", [2, 8])])
    def one_head_gqa(name, node_name, **attrs):  # GroupQueryAttention over one head of 8, a first prompt of 2
        write(out, name, [helper.make_node("GroupQueryAttention", ["q", "k", "v", "", "", "len", "total"],
                                           ["y", "pk", "pv"], domain=MS, name=node_name, num_heads=1, kv_num_heads=1,
                                           **attrs)],
              [f32("q", [1, 2, 8]), f32("k", [1, 2, 8]), f32("v", [1, 2, 8]),
               helper.make_tensor_value_info("len", TensorProto.INT32, [1])], [f32("y", [1, 2, 8])],
              [init("total", np.array([2], np.int32))])
    one_head_gqa("int_scale", "attn_int", scale=1)
    one_head_gqa("window_zero", "attn_w0", local_window_size=0)
    # B and scales from ConstantOfShape: a 16 G-element splat declared in a few bytes.
    n, k = 1 << 20, 2048
    write(out, "nbits_huge_splat",
          [helper.make_node("ConstantOfShape", ["b_shape"], ["b"], value=helper.make_tensor("v", TensorProto.UINT8, [1], [0x88])),
           helper.make_node("ConstantOfShape", ["s_shape"], ["s"], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.1])),
           helper.make_node("MatMulNBits", ["a", "b", "s"], ["y"], K=k, N=n, bits=4, block_size=32, domain=MS,
                            name="huge_proj")],
          [f32("a", [1, k])], [f32("y", [1, n])],
          [init("b_shape", np.array([n, k // 32, 16], np.int64)), init("s_shape", np.array([n * (k // 32)], np.int64))])
    write(out, "nbits_block_huge", [helper.make_node("MatMulNBits", ["a", "b", "s"], ["y"], K=32, N=8, bits=4,
                                                     block_size=1 << 40, domain=MS, name="o_proj")],
          [f32("a", [2, 32])], [f32("y", [2, 8])], [init("b", b), init("s", s)])


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    rng = np.random.default_rng(2026)
    for make in (norms, gelus, matmul_nbits, matmul_nbits_asym, gather_block_quantized, rotary, decoder_mlp, invalid):
        make(out, rng)
    gqa(out, rng, "gqa_prompt", B=1, S=6, N=4, Nkv=2, H=8, past=None, seqlens=[5], total=6)
    gqa(out, rng, "gqa_decode", B=1, S=1, N=4, Nkv=2, H=16, past=12, seqlens=[8], total=9, packed=True,
        rotary=(32, 0))
    gqa(out, rng, "gqa_append", B=1, S=3, N=2, Nkv=1, H=8, past=5, seqlens=[7], total=8)
    gqa(out, rng, "gqa_batch", B=2, S=1, N=2, Nkv=2, H=16, past=8, seqlens=[4, 6], total=7, rotary=(16, 1),
        position_ids=[[4], [6]])
    gqa(out, rng, "gqa_window_bias", B=1, S=4, N=2, Nkv=1, H=8, past=6, seqlens=[9], total=10, window=3, bias=True)
    gqa(out, rng, "gqa_softcap_sink", B=1, S=3, N=4, Nkv=2, H=8, past=None, seqlens=[2], total=3, softcap=2.0,
        sink=True)
    gqa(out, rng, "gqa_smooth", B=1, S=1, N=2, Nkv=2, H=8, past=8, seqlens=[5], total=6, smooth=True)
    genai_decoder(out, rng, "genai_decode", S=1, past=7)
    genai_decoder(out, rng, "genai_prompt", S=5, past=0)


if __name__ == "__main__":
    main()
