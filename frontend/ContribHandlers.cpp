// Handlers of ONNX Runtime's contrib operators (domain com.microsoft), which Hugging Face optimum, ONNX Runtime
// GenAI and Olive write into transformer exports: fused norms with their residual add, GELU with its bias,
// rotary embeddings, GroupQueryAttention with its key/value cache, and 4-bit block-quantized weights
// (MatMulNBits, GatherBlockQuantized). Each maps onto `mote` ops; the semantics are ONNX Runtime's CPU
// kernels' (docs/ContribOperators.md), and each is checked against ONNX Runtime in
// test/frontend/contrib_ops.test.
#include "frontend/Composer.h"
#include "frontend/Handlers.h"
#include "ir/ConstantBytes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;

namespace mote {
namespace {

/// Contrib operators have no ONNX schema to check against: an attribute the handler does not read, or of another
/// type than it reads, is an error (not ignored, not read as 0), and so are more inputs than the operator has.
struct AttributeSpec {
  llvm::StringRef name;
  onnx::AttributeProto::AttributeType type;
};
constexpr auto kInt = onnx::AttributeProto::INT;
constexpr auto kFloat = onnx::AttributeProto::FLOAT;
LogicalResult checkNode(NodeContext &ctx, std::initializer_list<AttributeSpec> known, int maxInputs) {
  if (ctx.node().input_size() > maxInputs)
    return ctx.error() << "has " << ctx.node().input_size() << " inputs; " << ctx.node().op_type()
                       << " takes at most " << maxInputs;
  for (const auto &a : ctx.node().attribute()) {
    const AttributeSpec *spec = nullptr;
    for (const AttributeSpec &k : known)
      if (k.name == a.name())
        spec = &k;
    if (!spec)
      return ctx.error() << "attribute '" << a.name() << "' is not supported";
    if (a.type() != spec->type)
      return ctx.error() << "attribute '" << a.name() << "' must be " << (spec->type == kInt ? "an int" : "a float");
  }
  return success();
}

bool wantsOutput(NodeContext &ctx, int k) {
  return ctx.node().output_size() > k && !ctx.node().output(k).empty();
}

/// The statistics outputs (mean, inverse standard deviation) of the fused norms: ONNX Runtime computes
/// them for training; inference exports leave them unnamed.
LogicalResult refuseStatistics(NodeContext &ctx, std::initializer_list<int> outputs) {
  for (int k : outputs)
    if (wantsOutput(ctx, k))
      return ctx.error() << "output " << k << " ('" << ctx.node().output(k)
                         << "', a normalization statistic) is not supported";
  return success();
}

/// The normalization axis of a contrib norm: the last one (its scale's rank gives how many are normalized).
FailureOr<int64_t> lastAxes(NodeContext &ctx, Value x, Value scale) {
  auto xt = cast<RankedTensorType>(x.getType());
  auto st = cast<RankedTensorType>(scale.getType());
  if (st.getRank() < 1 || st.getRank() > xt.getRank())
    return ctx.error() << "gamma " << st << " does not match the input " << xt;
  return xt.getRank() - st.getRank();
}

// SimplifiedLayerNormalization(X, scale) -> Y: RMS normalization, y = x / sqrt(mean(x^2) + epsilon) * scale
// over the axes from `axis` on (stash_type: ONNX Runtime's CPU kernel ignores it, and so does Mote).
LogicalResult simplifiedLayerNorm(NodeContext &ctx) {
  if (failed(checkNode(ctx, {{"axis", kInt}, {"epsilon", kFloat}, {"stash_type", kInt}}, 2)) ||
      failed(refuseStatistics(ctx, {1})))
    return failure();
  auto x = ctx.required(0), s = ctx.required(1);
  if (failed(x) || failed(s))
    return failure();
  auto axis = ctx.axisAttribute(-1, ctx.inputType(0));
  if (failed(axis))
    return failure();
  auto y = ctx.build<RmsNormOp>({*x, *s}, {ctx.namedI64("axis", *axis),
                                           ctx.namedF32("epsilon", ctx.getFloat("epsilon", 1e-5f))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

// SkipLayerNormalization(input, skip, gamma, beta?, bias?) and SkipSimplifiedLayerNormalization(input, skip,
// gamma, bias?): s = input + skip (+ bias), then layer (or RMS) normalization of s over the last axis.
// Outputs: the normalized value, mean and inverse standard deviation (refused), and s itself (output 3,
// the residual stream the next block adds to).
template <bool Simplified>
LogicalResult skipLayerNorm(NodeContext &ctx) {
  if (failed(checkNode(ctx, {{"epsilon", kFloat}}, Simplified ? 4 : 5)) || failed(refuseStatistics(ctx, {1, 2})))
    return failure();
  auto x = ctx.required(0), skip = ctx.required(1), gamma = ctx.required(2);
  if (failed(x) || failed(skip) || failed(gamma))
    return failure();
  Value beta = Simplified ? Value() : ctx.input(3);
  Value bias = ctx.input(Simplified ? 3 : 4);
  auto xt = ctx.inputType(0);
  if (xt.getRank() != 3 && xt.getRank() != 2)
    return ctx.error() << "expected an input of rank 2 or 3, got " << xt;
  Composer c(ctx);
  Value sum = c.op<AddOp>({*x, *skip});
  if (bias)
    sum = c.op<AddOp>({sum, bias});
  if (c.failed())
    return failure();
  auto axis = lastAxes(ctx, sum, *gamma);
  if (failed(axis))
    return failure();
  float epsilon = ctx.getFloat("epsilon", 1e-12f);
  SmallVector<NamedAttribute> attrs = {ctx.namedI64("axis", *axis), ctx.namedF32("epsilon", epsilon)};
  Value y;
  if (Simplified) {
    y = c.op<RmsNormOp>({sum, *gamma}, attrs);
  } else {
    SmallVector<Value> operands = {sum, *gamma};
    if (beta)
      operands.push_back(beta);
    y = c.op<LayerNormOp>(operands, attrs);
  }
  if (!wantsOutput(ctx, 3))
    return c.finish({y});
  return c.finish({y, Value(), Value(), sum});
}

// FastGelu(X, bias?): the tanh approximation of GELU of X (+ bias).
LogicalResult fastGelu(NodeContext &ctx) {
  if (failed(checkNode(ctx, {}, 2)))
    return failure();
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  Value v = ctx.input(1) ? c.op<AddOp>({*x, ctx.input(1)}) : *x;
  return c.finish({c.op<GeluOp>(v, {ctx.namedString("approximate", "tanh")})});
}

// BiasGelu(A, B): the exact (erf) GELU of A + B.
LogicalResult biasGelu(NodeContext &ctx) {
  if (failed(checkNode(ctx, {}, 2)))
    return failure();
  auto a = ctx.required(0), b = ctx.required(1);
  if (failed(a) || failed(b))
    return failure();
  Composer c(ctx);
  return c.finish({c.op<GeluOp>(c.op<AddOp>({*a, *b}), {ctx.namedString("approximate", "none")})});
}

/// `v[..., begin:end:step]` along the last axis.
Value sliceLast(Composer &c, NodeContext &ctx, Value v, int64_t begin, int64_t end, int64_t step = 1) {
  if (!v)
    return c.op<SliceOp>(v); // null: the composer has failed already
  ArrayRef<int64_t> shape = Composer::shape(v);
  SmallVector<int64_t> starts(shape.size(), 0), limits(shape.begin(), shape.end()), steps(shape.size(), 1);
  starts.back() = begin;
  limits.back() = end;
  steps.back() = step;
  return c.op<SliceOp>(v, {ctx.namedI64Array("starts", starts), ctx.namedI64Array("limits", limits),
                           ctx.namedI64Array("steps", steps)});
}

/// The largest block of 4-bit weights sharing a scale (ONNX Runtime's kernels take 16 to 256; the NEON packers
/// an int).
constexpr int64_t kMaxBlock = int64_t(1) << 16;

/// Checks a 4-bit block size: a power of two from 16 to kMaxBlock.
LogicalResult checkBlockSize(NodeContext &ctx, int64_t block) {
  if (block < 16 || block > kMaxBlock || (block & (block - 1)) != 0)
    return ctx.error() << "block_size must be a power of two from 16 to " << kMaxBlock << ", got " << block;
  return success();
}

/// Code e of 4-bit codes packed two a byte, the first in the low nibble (MatMulNBits, GatherBlockQuantized and
/// their uint8 zero points), in [0, 15].
int nibbleAt(const std::vector<char> &bytes, int64_t e) {
  auto byte = static_cast<uint8_t>(bytes[static_cast<size_t>(e / 2)]);
  return e % 2 == 0 ? byte & 0xF : byte >> 4;
}

/// Marks the op computing `v` (a zero-point correction) float: mote-quantize-weights must not quantize its
/// table, which would quantize the zero points a second time.
void keepCorrectionFloat(Value v) {
  if (Operation *op = v ? v.getDefiningOp() : nullptr)
    op->setAttr(kFloatReasonAttrName, StringAttr::get(op->getContext(), "zero-point correction of int4 weights"));
}

/// Positions and rows the importer enumerates as constants: at most this many (a sequence of 16 M tokens).
constexpr int64_t kMaxPositions = int64_t(1) << 24;

/// The int64 constant [0, 1, ..., n - 1], shaped `shape` (n elements).
Value arange(Composer &c, NodeContext &ctx, int64_t n, ArrayRef<int64_t> shape) {
  if (c.failed() || n < 0 || n > kMaxPositions) {
    if (!c.failed())
      ctx.error() << "a sequence of " << n << " positions is more than Mote enumerates (" << kMaxPositions << ")";
    return c.op<SliceOp>(Value()); // fails
  }
  SmallVector<int64_t> values(n);
  for (int64_t i = 0; i < n; ++i)
    values[i] = i;
  return c.reshape(ctx.constant(DenseElementsAttr::get(RankedTensorType::get({n}, ctx.builder().getI64Type()),
                                                       ArrayRef<int64_t>(values))),
                   shape);
}

/// The rotary embedding of `x` ([B, S, N, H], or [B, N, S, H] when `bnsh`): its first D elements of each head
/// rotated by the angles of the tokens' positions `pos` ([B or 1, S] indices into the caches [_, D / 2]),
/// pairing i with i + D/2 (or 2k with 2k + 1 when `interleaved`); the rest of each head unchanged.
Value rotate(Composer &c, NodeContext &ctx, Value x, bool bnsh, Value pos, Value cosCache, Value sinCache, int64_t D,
             bool interleaved) {
  if (c.failed() || !x || !pos)
    return c.op<SliceOp>(Value()); // fails
  const int64_t half = D / 2, headSize = Composer::shape(x)[3], S = Composer::shape(x)[bnsh ? 2 : 1];
  const int64_t posBatch = Composer::shape(pos)[0];
  SmallVector<int64_t> angleShape = bnsh ? SmallVector<int64_t>{posBatch, 1, S, half}
                                         : SmallVector<int64_t>{posBatch, S, 1, half};
  Value cosA = c.reshape(c.op<GatherOp>({cosCache, pos}, {ctx.namedI64("axis", 0)}), angleShape);
  Value sinA = c.reshape(c.op<GatherOp>({sinCache, pos}, {ctx.namedI64("axis", 0)}), angleShape);
  Value first, second; // the two elements of each rotated pair
  if (interleaved) {
    first = sliceLast(c, ctx, x, 0, D, 2);
    second = sliceLast(c, ctx, x, 1, D, 2);
  } else {
    first = sliceLast(c, ctx, x, 0, half);
    second = sliceLast(c, ctx, x, half, D);
  }
  Value outFirst = c.op<SubOp>({c.op<MulOp>({first, cosA}), c.op<MulOp>({second, sinA})});
  Value outSecond = c.op<AddOp>({c.op<MulOp>({second, cosA}), c.op<MulOp>({first, sinA})});
  if (c.failed())
    return outFirst;
  Value rotated;
  if (interleaved) {
    SmallVector<int64_t> pairShape(Composer::shape(outFirst));
    pairShape.push_back(1);
    Value pairs = c.op<ConcatOp>({c.reshape(outFirst, pairShape), c.reshape(outSecond, pairShape)},
                                 {ctx.namedI64("axis", 4)});
    pairShape.pop_back();
    pairShape.back() = D;
    rotated = c.reshape(pairs, pairShape);
  } else {
    rotated = c.op<ConcatOp>({outFirst, outSecond}, {ctx.namedI64("axis", 3)});
  }
  if (D < headSize)
    rotated = c.op<ConcatOp>({rotated, sliceLast(c, ctx, x, D, headSize)}, {ctx.namedI64("axis", 3)});
  return rotated;
}

// RotaryEmbedding(input, position_ids, cos_cache, sin_cache): rotates the first D = rotary_embedding_dim (or
// the whole head) elements of each head by the angles of its position; the rest of the head passes through.
// input [B, S, N * H] (heads side by side) or [B, N, S, H]; position_ids [B, S], or [1] holding the position
// of the first token (the others follow it); caches [max_positions, D / 2]. interleaved = 0 pairs element i
// with i + D/2 (o[i] = x[i] cos - x[i + D/2] sin, o[i + D/2] = x[i + D/2] cos + x[i] sin); interleaved = 1
// pairs 2k with 2k + 1. `scale` has no effect in ONNX Runtime's CPU kernel, nor here.
LogicalResult rotaryEmbedding(NodeContext &ctx) {
  if (failed(checkNode(ctx, {{"interleaved", kInt}, {"num_heads", kInt}, {"rotary_embedding_dim", kInt},
                             {"scale", kFloat}, {"is_packed_batching", kInt}},
                       4)))
    return failure();
  auto x = ctx.required(0), positions = ctx.required(1), cosCache = ctx.required(2), sinCache = ctx.required(3);
  if (failed(x) || failed(positions) || failed(cosCache) || failed(sinCache))
    return failure();
  auto xt = ctx.inputType(0), pt = ctx.inputType(1), ct = ctx.inputType(2);
  if (xt.getRank() != 3 && xt.getRank() != 4)
    return ctx.error() << "expected input [B, S, hidden] or [B, N, S, H], got " << xt;
  if (ct.getRank() != 2 || ct != ctx.inputType(3) || ct.getElementType() != xt.getElementType())
    return ctx.error() << "cos_cache and sin_cache must both be [max_positions, D/2] of the input's type, got " << ct
                       << " and " << ctx.inputType(3);
  const bool bnsh = xt.getRank() == 4;
  const int64_t B = xt.getDimSize(0), S = xt.getDimSize(bnsh ? 2 : 1);
  const int64_t half = ct.getDimSize(1), rotaryDim = ctx.getInt("rotary_embedding_dim", 0);
  int64_t heads = ctx.getInt("num_heads", 0), headSize;
  if (bnsh) {
    heads = xt.getDimSize(1);
    headSize = xt.getDimSize(3);
  } else if (rotaryDim > 0) {
    if (heads < 1 || xt.getDimSize(2) % heads != 0)
      return ctx.error() << "num_heads (" << heads << ") must divide the hidden size " << xt.getDimSize(2)
                         << " when rotary_embedding_dim is set";
    headSize = xt.getDimSize(2) / heads;
  } else {
    headSize = 2 * half;
    if (headSize < 1 || xt.getDimSize(2) % headSize != 0)
      return ctx.error() << "the caches' width " << half << " gives a head size " << headSize
                         << " that does not divide the hidden size " << xt.getDimSize(2);
    heads = xt.getDimSize(2) / headSize;
  }
  const int64_t D = rotaryDim > 0 ? rotaryDim : headSize;
  if (D % 2 != 0 || D > headSize || half != D / 2)
    return ctx.error() << "the rotary dimension " << D << " must be even, at most the head size " << headSize
                       << ", and twice the caches' width " << half;
  Composer c(ctx);
  // The angles of each token: cache rows at the positions, shaped to broadcast over the heads.
  Value pos = *positions;
  if (!pt.getElementType().isInteger(64))
    return ctx.error() << "position_ids must be int64, got " << pt;
  if (!(pt.getRank() == 2 && pt.getDimSize(0) == B && pt.getDimSize(1) == S)) {
    if (pt.getNumElements() != 1)
      return ctx.error() << "position_ids must be [B, S] = [" << B << ", " << S << "] or [1], got " << pt;
    // The first token's position, and the next S - 1.
    pos = c.op<AddOp>({c.reshape(pos, {1, 1}), arange(c, ctx, S, {1, S})});
  }
  Value heads4 = bnsh ? *x : c.reshape(*x, {B, S, heads, headSize});
  Value rotated = rotate(c, ctx, heads4, bnsh, pos, *cosCache, *sinCache, D, ctx.getInt("interleaved", 0) != 0);
  return c.finish({bnsh ? rotated : c.reshape(rotated, xt.getShape())});
}

// GroupQueryAttention(query, key?, value?, past_key?, past_value?, seqlens_k, total_sequence_length, cos_cache?,
// sin_cache?, position_ids?) -> output, present_key, present_value: ONNX Runtime GenAI's decoder attention.
// query [B, S, N * H] (or Q, K and V packed [B, S, (N + 2 Nkv) * H] when key and value are absent); key and
// value [B, S, Nkv * H]; past_key/past_value [B, Nkv, P, H]; seqlens_k [B] = each sequence's total length - 1
// (int32, a graph input); total_sequence_length the longest total (a scalar). The first prompt (S equal to
// the total) starts at position 0; later calls append to each sequence's past of total_b - S tokens. present
// [B, Nkv, max(total, P), H] holds the past rows, then the new ones, then zeros (ONNX Runtime with separate
// past and present buffers); with do_rotary Q and K are rotated (cos/sin caches [_, D / 2], the token's
// position from position_ids or its place in the sequence) before K is stored. Each query row attends
// causally to its sequence's keys (key j < min(past_b + s + 1, total_b)), query head h to key/value head
// h / (N / Nkv); local_window_size, attention_bias, softcap, smooth_softmax and head_sink as ONNX Runtime's
// CPU kernel applies them. total_sequence_length fixes present's length, so it must be known at compile time
// (motec run takes it from the input it is given; motec compile from --bind-input). The present tensors are computed
// whole at each call (a gather over the max(total, P) rows): the static KV cache with in-place writes is
// the LLM-generation issue's.
LogicalResult groupQueryAttention(NodeContext &ctx) {
  if (failed(checkNode(ctx, {{"num_heads", kInt}, {"kv_num_heads", kInt}, {"scale", kFloat}, {"do_rotary", kInt},
                             {"rotary_interleaved", kInt}, {"local_window_size", kInt}, {"softcap", kFloat},
                             {"smooth_softmax", kInt}, {"qk_output", kInt}},
                       12)))
    return failure();
  if (ctx.getInt("qk_output", 0) != 0)
    return ctx.error() << "qk_output (the attention scores as an output) is not supported";
  const float softcap = ctx.getFloat("softcap", 0.0f);
  const int64_t window = ctx.getInt("local_window_size", -1);
  const bool smooth = ctx.getInt("smooth_softmax", 0) != 0;
  if (softcap < 0.0f || !std::isfinite(softcap))
    return ctx.error() << "softcap must be finite and >= 0, got " << softcap;
  if (window < -1 || window == 0) // a window of no key attends to nothing
    return ctx.error() << "local_window_size must be -1 (none) or positive, got " << window;
  if (smooth && ctx.input(11))
    return ctx.error() << "smooth_softmax and head_sink exclude each other";
  auto q = ctx.required(0), seqlens = ctx.required(5);
  if (failed(q) || failed(seqlens) || failed(ctx.required(6)))
    return failure();
  if (!ctx.isConstant(6))
    return ctx.error() << "total_sequence_length sets the present key/value length, so it must be known at compile "
                          "time: computed from attention_mask's shape (as ONNX Runtime GenAI's exports do), or given "
                          "with --bind-input NAME=FILE.pb";
  auto total = ctx.constantInts(6, "total_sequence_length");
  if (failed(total))
    return failure();
  const int64_t N = ctx.getInt("num_heads", 0), Nkv = ctx.getInt("kv_num_heads", 0);
  if (N < 1 || Nkv < 1 || N % Nkv != 0)
    return ctx.error() << "num_heads (" << N << ") must be a positive multiple of kv_num_heads (" << Nkv << ")";
  auto qt = ctx.inputType(0);
  if (qt.getRank() != 3 || !qt.getElementType().isF32())
    return ctx.error() << "query must be float32 [B, S, hidden], got " << qt;
  const int64_t B = qt.getDimSize(0), S = qt.getDimSize(1);
  if (auto lt = ctx.inputType(5); !lt.getElementType().isInteger(32) || lt.getNumElements() != B)
    return ctx.error() << "seqlens_k must be int32 [" << B << "], got " << lt;
  const bool packed = !ctx.input(1) && !ctx.input(2);
  if (!packed && (!ctx.input(1) || !ctx.input(2)))
    return ctx.error() << "key and value must both be given, or both absent (Q, K and V packed in query)";
  const int64_t H = qt.getDimSize(2) / (packed ? N + 2 * Nkv : N);
  if (H < 1 || qt.getDimSize(2) != H * (packed ? N + 2 * Nkv : N))
    return ctx.error() << "query's last dimension " << qt.getDimSize(2) << " is not a whole number of heads";
  for (int k : {1, 2})
    if (!packed && ctx.inputType(k).getShape() != ArrayRef<int64_t>{B, S, Nkv * H})
      return ctx.error() << (k == 1 ? "key " : "value ") << ctx.inputType(k) << " must be [" << B << ", " << S
                         << ", " << Nkv * H << "]";
  const bool hasPast = ctx.input(3) || ctx.input(4);
  if (hasPast && (!ctx.input(3) || !ctx.input(4)))
    return ctx.error() << "past_key and past_value must both be given, or both absent";
  if (total->size() != 1)
    return ctx.error() << "total_sequence_length must hold one value";
  const int64_t T = (*total)[0];
  if (hasPast && ctx.inputType(3).getRank() != 4)
    return ctx.error() << "past_key must be [" << B << ", " << Nkv << ", past, " << H << "], got " << ctx.inputType(3);
  const int64_t P = hasPast ? ctx.inputType(3).getDimSize(2) : 0;
  for (int k : {3, 4})
    if (hasPast && ctx.inputType(k) != RankedTensorType::get({B, Nkv, P, H}, qt.getElementType()))
      return ctx.error() << (k == 3 ? "past_key " : "past_value ") << ctx.inputType(k) << " must be [" << B << ", "
                         << Nkv << ", past, " << H << "] float32";
  if (!hasPast && T != S)
    return ctx.error() << "without past_key/past_value, total_sequence_length (" << T
                       << ") must be the query's length " << S << " (a first prompt)";
  if (T < S || T < 1)
    return ctx.error() << "total_sequence_length " << T << " is shorter than the query's " << S << " tokens";
  const bool firstPrompt = S == T;
  const int64_t Pp = std::max(T, P); // present's length
  Composer c(ctx);
  Type i64 = ctx.builder().getI64Type(), f32 = qt.getElementType();

  // Q [B, N, S, H], K and V [B, Nkv, S, H].
  auto heads = [&](Value v, int64_t first, int64_t count) {
    if (packed)
      v = sliceLast(c, ctx, v, first * H, (first + count) * H);
    return c.transpose(c.reshape(v, {B, S, count, H}), {0, 2, 1, 3});
  };
  Value q4 = heads(*q, 0, N);
  Value k4 = heads(packed ? *q : ctx.input(1), packed ? N : 0, Nkv);
  Value v4 = heads(packed ? *q : ctx.input(2), packed ? N + Nkv : 0, Nkv);

  // Each sequence's total length and past length ([B, 1] int64).
  Value totals = c.op<AddOp>({c.reshape(c.cast(*seqlens, i64), {B, 1}), c.scalar(i64, 1)});
  Value pastLen = firstPrompt ? ctx.constant(DenseElementsAttr::get(RankedTensorType::get({B, 1}, i64),
                                                                    IntegerAttr::get(i64, 0)))
                              : c.op<SubOp>({totals, c.scalar(i64, S)});
  Value steps = arange(c, ctx, S, {1, S}); // a query's place in this call
  Value keys = arange(c, ctx, Pp, {1, 1, Pp}); // present's rows

  if (ctx.getInt("do_rotary", 0)) {
    Value cosCache = ctx.input(7), sinCache = ctx.input(8);
    if (!cosCache || !sinCache)
      return ctx.error() << "do_rotary needs cos_cache and sin_cache";
    auto ct = ctx.inputType(7);
    if (ct.getRank() != 2 || ct != ctx.inputType(8) || 2 * ct.getDimSize(1) > H)
      return ctx.error() << "cos_cache and sin_cache must both be [max_positions, D/2] with D <= " << H << ", got "
                         << ct << " and " << ctx.inputType(8);
    Value pos;
    if (Value ids = ctx.input(9)) {
      auto it = ctx.inputType(9);
      if (!it.getElementType().isInteger(64) || it.getRank() != 2 || it.getDimSize(0) != B || it.getDimSize(1) < S)
        return ctx.error() << "position_ids must be int64 [" << B << ", >= " << S << "], got " << it;
      pos = firstPrompt ? c.op<AddOp>({sliceLast(c, ctx, c.reshape(ids, {B * it.getDimSize(1)}), 0, 1),
                                       arange(c, ctx, S, {S})})
                        : sliceLast(c, ctx, ids, 0, S);
      if (firstPrompt)
        pos = c.reshape(pos, {1, S});
    } else {
      pos = c.op<AddOp>({pastLen, steps});
    }
    const bool interleaved = ctx.getInt("rotary_interleaved", 0) != 0;
    q4 = rotate(c, ctx, q4, /*bnsh=*/true, pos, cosCache, sinCache, 2 * ct.getDimSize(1), interleaved);
    k4 = rotate(c, ctx, k4, /*bnsh=*/true, pos, cosCache, sinCache, 2 * ct.getDimSize(1), interleaved);
  }

  // present = the past rows [0, past_b), the new rows [past_b, past_b + S), zeros after.
  Value presentK = k4, presentV = v4;
  if (hasPast) {
    Value pl = c.reshape(pastLen, {B, 1, 1});
    Value src = c.op<SubOp>({keys, pl}); // [B, 1, Pp]: the new row each present row takes
    Value inPast = c.reshape(c.op<LessOp>({keys, pl}), {B, 1, Pp, 1});
    Value inNew = c.reshape(c.op<AndOp>({c.op<GreaterOrEqualOp>({src, c.scalar(i64, 0)}),
                                         c.op<LessOp>({src, c.scalar(i64, S)})}),
                            {B, 1, Pp, 1});
    Value clamped = c.op<MaxOp>({c.op<MinOp>({src, c.scalar(i64, S - 1)}), c.scalar(i64, 0)});
    // Row (b, h, j) of present reads row (b * Nkv + h) * S + clamped of the new rows, flattened.
    Value base = c.op<MulOp>({arange(c, ctx, B * Nkv, {B, Nkv, 1}), c.scalar(i64, S)});
    Value linear = c.op<AddOp>({base, clamped});
    auto place = [&](Value fresh, Value past) {
      Value gathered = c.op<GatherOp>({c.reshape(fresh, {B * Nkv * S, H}), linear}, {ctx.namedI64("axis", 0)});
      if (P < Pp) {
        auto zerosType = RankedTensorType::get({B, Nkv, Pp - P, H}, f32);
        Value zeros = ctx.constant(DenseElementsAttr::get(zerosType, FloatAttr::get(f32, 0.0)));
        past = c.op<ConcatOp>({past, zeros}, {ctx.namedI64("axis", 2)});
      }
      return c.op<WhereOp>({inPast, past, c.op<WhereOp>({inNew, gathered, c.scalar(f32, 0.0)})});
    };
    presentK = place(k4, ctx.input(3));
    presentV = place(v4, ctx.input(4));
  }

  // Query row s of sequence b sees keys j < L = min(past_b + s + 1, total_b), and with a local window W only the
  // last W of them (j >= L - W).
  Value limit = c.op<MinOp>({c.op<AddOp>({pastLen, steps}), c.op<SubOp>({totals, c.scalar(i64, 1)})});
  Value allowed = c.op<LessOrEqualOp>({keys, c.reshape(limit, {B, S, 1})});
  if (window >= 0)
    allowed = c.op<AndOp>({allowed, c.op<GreaterOp>({keys, c.reshape(c.op<SubOp>({limit, c.scalar(i64, window)}),
                                                                      {B, S, 1})})});
  Value blocked = c.scalar(f32, -std::numeric_limits<float>::infinity());
  Value mask = c.reshape(c.op<WhereOp>({allowed, c.scalar(f32, 0.0), blocked}), {B, 1, S, Pp});
  float scale = ctx.getFloat("scale", 0.0f);
  if (scale == 0.0f)
    scale = 1.0f / std::sqrt(static_cast<float>(H));
  // attention_bias [B or 1, N or 1, S, total] is added at each key's column (present's rows past the total are
  // masked whatever it holds there).
  Value bias;
  if (Value given = ctx.input(10)) {
    auto bt = ctx.inputType(10);
    if (bt.getRank() != 4 || !bt.getElementType().isF32() || (bt.getDimSize(0) != 1 && bt.getDimSize(0) != B) ||
        (bt.getDimSize(1) != 1 && bt.getDimSize(1) != N) || bt.getDimSize(2) != S || bt.getDimSize(3) != T)
      return ctx.error() << "attention_bias must be float32 [" << B << " or 1, " << N << " or 1, " << S << ", " << T
                         << "], got " << bt;
    bias = given;
    if (T < Pp) {
      auto padType = RankedTensorType::get({bt.getDimSize(0), bt.getDimSize(1), S, Pp - T}, f32);
      bias = c.op<ConcatOp>({bias, ctx.constant(DenseElementsAttr::get(padType, FloatAttr::get(f32, 0.0)))},
                            {ctx.namedI64("axis", 3)});
    }
  }
  Value attended;
  if (softcap == 0.0f && !smooth && !ctx.input(11)) {
    attended = c.op<AttentionOp>({q4, presentK, presentV, bias ? c.op<AddOp>({mask, bias}) : mask},
                                 {ctx.namedF32("scale", scale)});
  } else {
    // Softcap (c tanh(x / c) of the scaled scores, before the bias and mask) and a sink (a logit each row's
    // softmax also counts: 0 with smooth_softmax, head_sink[h] per head) have no place in mote.attention:
    // the scores are computed here, query heads grouped by their key/value head ([B, Nkv, N / Nkv, S, Pp]).
    const int64_t G = N / Nkv;
    Value q5 = c.reshape(q4, {B, Nkv, G, S, H});
    Value k5 = c.transpose(c.reshape(presentK, {B, Nkv, 1, Pp, H}), {0, 1, 2, 4, 3});
    Value scores = c.op<MulOp>({c.op<MatMulOp>({q5, k5}), c.scalar(f32, scale)});
    if (softcap > 0.0f)
      scores = c.op<MulOp>(
          {c.op<TanhOp>(c.op<MulOp>({scores, c.scalar(f32, 1.0 / softcap)})), c.scalar(f32, softcap)});
    Value mask5 = c.reshape(mask, {B, 1, 1, S, Pp});
    if (bias) { // [B|1, N|1, S, Pp] -> the grouped heads
      auto bt = cast<RankedTensorType>(bias.getType());
      mask5 = c.op<AddOp>({mask5, bt.getDimSize(1) == 1 ? c.reshape(bias, {bt.getDimSize(0), 1, 1, S, Pp})
                                                        : c.reshape(bias, {bt.getDimSize(0), Nkv, G, S, Pp})});
    }
    scores = c.op<AddOp>({scores, mask5});
    Value probs;
    if (smooth || ctx.input(11)) {
      Value sink;
      if (smooth) {
        sink = c.scalar(f32, 0.0);
      } else {
        auto st = ctx.inputType(11);
        if (st.getNumElements() != N || !st.getElementType().isF32())
          return ctx.error() << "head_sink must be float32 [" << N << "], got " << st;
        sink = c.reshape(ctx.input(11), {1, Nkv, G, 1, 1});
      }
      // The sink as one more column of each row's softmax, dropped after it.
      auto sinkType = RankedTensorType::get({B, Nkv, G, S, 1}, f32);
      Value zeros = ctx.constant(DenseElementsAttr::get(sinkType, FloatAttr::get(f32, 0.0)));
      Value sinkColumn = c.op<AddOp>({zeros, sink});
      Value widened = c.op<SoftmaxOp>(c.op<ConcatOp>({scores, sinkColumn}, {ctx.namedI64("axis", 4)}),
                                      {ctx.namedI64("axis", 4)});
      probs = sliceLast(c, ctx, widened, 0, Pp);
    } else {
      probs = c.op<SoftmaxOp>(scores, {ctx.namedI64("axis", 4)});
    }
    Value v5 = c.reshape(presentV, {B, Nkv, 1, Pp, H});
    attended = c.reshape(c.op<MatMulOp>({probs, v5}), {B, N, S, H});
  }
  Value out = c.reshape(c.transpose(attended, {0, 2, 1, 3}), {B, S, N * H});
  return c.finish({out, presentK, presentV});
}

// GatherBlockQuantized(data, indices, scales, zero_points?): rows of a 4-bit block-quantized table, dequantized
// (Olive's and the GenAI builder's int4 embeddings, tied to a MatMulNBits LM head): data uint8 [rows, D / 2]
// (bits = 4, two codes a byte, the first in the low nibble), scales float32 [rows, ceil(D / block_size)],
// zero points uint8 packed like the codes (each row padded to whole bytes) or 8 when absent; gather_axis 0,
// quantize_axis 1. As MatMulNBits: the table becomes Mote's int4 form (codes - 8), which NEON's gather_w4
// widens row by row, and zero points other than 8 subtract (zp - 8) * scale per block of the gathered rows.
LogicalResult gatherBlockQuantized(NodeContext &ctx) {
  if (failed(checkNode(ctx, {{"gather_axis", kInt}, {"quantize_axis", kInt}, {"block_size", kInt}, {"bits", kInt}},
                       4)))
    return failure();
  auto data = ctx.required(0), indices = ctx.required(1), scales = ctx.required(2);
  if (failed(data) || failed(indices) || failed(scales))
    return failure();
  const int64_t bits = ctx.getInt("bits", 4), block = ctx.getInt("block_size", 128);
  auto dt = ctx.inputType(0), st = ctx.inputType(2);
  if (bits != 4 || !dt.getElementType().isUnsignedInteger(8))
    return ctx.error() << "only uint8 data with bits = 4 is supported, got " << dt << " with bits = " << bits;
  if (dt.getRank() != 2 || ctx.getInt("gather_axis", 0) != 0 || (ctx.getInt("quantize_axis", 1) != 1 &&
                                                                  ctx.getInt("quantize_axis", 1) != -1))
    return ctx.error() << "only a rank-2 table gathered along axis 0 and quantized along axis 1 is supported";
  if (failed(checkBlockSize(ctx, block)))
    return failure();
  const int64_t rows = dt.getDimSize(0), D = 2 * dt.getDimSize(1), blocks = (D + block - 1) / block;
  if (!st.getElementType().isF32() || st.getShape() != ArrayRef<int64_t>{rows, blocks})
    return ctx.error() << "scales must be float32 [" << rows << ", " << blocks << "], got " << st;
  // One input at a time: a refused one must not wait for the next to be expanded (a splat can be 256 MB).
  auto codes = ctx.constantBytes(0, "data", 1);
  if (failed(codes))
    return failure();
  auto scaleBytes = ctx.constantBytes(2, "scales", sizeof(float));
  if (failed(scaleBytes))
    return failure();
  std::vector<int8_t> q(static_cast<size_t>(rows * D));
  for (int64_t e = 0; e < rows * D; ++e)
    q[e] = static_cast<int8_t>(nibbleAt(*codes, e) - 8);
  SmallVector<float> zeroCorrection; // (zp - 8) * scale per block, when any zero point is not 8
  if (ctx.input(3)) {
    auto zt = ctx.inputType(3);
    const int64_t rowBytes = (blocks + 1) / 2;
    if (!zt.getElementType().isUnsignedInteger(8) || zt.getNumElements() != rows * rowBytes)
      return ctx.error() << "zero_points must be uint8 [" << rows << ", " << rowBytes << "], got " << zt;
    auto zp = ctx.constantBytes(3, "zero_points", 1);
    if (failed(zp))
      return failure();
    auto *s = reinterpret_cast<const float *>(scaleBytes->data());
    zeroCorrection.assign(static_cast<size_t>(rows * blocks), 0.0f);
    bool any = false;
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t b = 0; b < blocks; ++b) {
        const int z = nibbleAt(*zp, r * rowBytes * 2 + b) - 8;
        zeroCorrection[r * blocks + b] = static_cast<float>(z) * s[r * blocks + b];
        any |= z != 0;
      }
    if (!any)
      zeroCorrection.clear();
  }
  OpBuilder &builder = ctx.builder();
  Type f32 = builder.getF32Type();
  Value qValue = ctx.constant(int4Elements(RankedTensorType::get({rows, D}, builder.getIntegerType(4)), q));
  Value scaleValue = ctx.constant(DenseElementsAttr::get(
      RankedTensorType::get({rows, blocks}, f32),
      ArrayRef<float>(reinterpret_cast<const float *>(scaleBytes->data()), static_cast<size_t>(rows * blocks))));
  auto dequantized = ctx.buildTyped<DequantizeOp>(RankedTensorType::get({rows, D}, f32), {qValue, scaleValue},
                                                  {ctx.namedI64("axis", 1), ctx.namedI64("block_size", block)});
  if (failed(dequantized))
    return failure();
  Composer c(ctx);
  Value y = c.op<GatherOp>({*dequantized, *indices}, {ctx.namedI64("axis", 0)});
  if (!zeroCorrection.empty()) {
    // The gathered rows' corrections per block, widened to their block's elements.
    Value table = ctx.constant(DenseElementsAttr::get(RankedTensorType::get({rows, blocks}, f32),
                                                      ArrayRef<float>(zeroCorrection)));
    Value gathered = c.op<GatherOp>({table, *indices}, {ctx.namedI64("axis", 0)});
    keepCorrectionFloat(gathered);
    SmallVector<int64_t> lead(ctx.inputType(1).getShape());
    SmallVector<int64_t> perBlock(lead), widened(lead), flat(lead);
    perBlock.append({blocks, 1});
    widened.append({blocks, block});
    flat.push_back(blocks * block);
    Value wide = c.typed<ExpandOp>(RankedTensorType::get(widened, f32), {c.reshape(gathered, perBlock)});
    Value correction = c.reshape(wide, flat);
    if (blocks * block != D)
      correction = sliceLast(c, ctx, correction, 0, D);
    y = c.op<SubOp>({y, correction});
  }
  return c.finish({y});
}

// MatMulNBits(A, B, scales, zero_points?, g_idx?, bias?): Y = A @ dequantize(B)^T (+ bias), B holding N rows
// of K 4-bit codes in blocks of block_size along K (uint8 [N, k_blocks, block_size / 2], the first code of a
// byte in its low nibble), one scale per block ([N * k_blocks] or [N, k_blocks]) and a zero point per block:
// w = (code - zp) * scale, zp = 8 without a zero_points input, else uint8 zero points packed like the codes
// (each row of N padded to whole bytes) or float ones [N, k_blocks]. The codes minus 8 are exactly int4
// [-8, 7], so the weight becomes Mote's own w4 form — `mote.dequantize` of an i4 [K, N] constant with an f32
// scale per block along K — which the NEON target keeps 4-bit and widens in its kernels (no float copy of the
// weight). Zero points other than 8 (asymmetric weights, ONNX Runtime's quantizer default) subtract
// (zp - 8) * scale per block: A @ W = A @ W8 - (A's sums per block) @ Z, with W8 the w4 form (zero point 8)
// and Z [k_blocks, N] = (zp - 8) * scale, so the 4-bit weights stay 4-bit; equal to ONNX Runtime's result up
// to f32 rounding (the sums are reassociated).
LogicalResult matMulNBits(NodeContext &ctx) {
  if (failed(checkNode(ctx,
                       {{"K", kInt}, {"N", kInt}, {"bits", kInt}, {"block_size", kInt}, {"accuracy_level", kInt}}, 6)))
    return failure();
  auto a = ctx.required(0);
  if (failed(a) || failed(ctx.required(1)) || failed(ctx.required(2)))
    return failure();
  const int64_t K = ctx.getInt("K", 0), N = ctx.getInt("N", 0), bits = ctx.getInt("bits", 4),
                block = ctx.getInt("block_size", 0);
  if (bits != 4)
    return ctx.error() << "bits = " << bits << " is not supported (4 is)";
  if (K < 1 || N < 1)
    return ctx.error() << "attributes K and N must be positive, got K = " << K << ", N = " << N;
  if (failed(checkBlockSize(ctx, block)))
    return failure();
  auto at = ctx.inputType(0);
  if (!at.getElementType().isF32())
    return ctx.error() << "input A must be float32 (float16 MatMulNBits is not supported yet), got " << at;
  if (at.getRank() < 1 || at.getDimSize(at.getRank() - 1) != K)
    return ctx.error() << "input A " << at << " must have K = " << K << " as its last dimension";
  if (ctx.input(4))
    return ctx.error() << "g_idx (act-order weights) is not supported";
  const int64_t blocks = (K + block - 1) / block, blob = block * bits / 8;
  auto bt = ctx.inputType(1), st = ctx.inputType(2);
  if (!bt.getElementType().isUnsignedInteger(8))
    return ctx.error() << "input B must be uint8, got " << bt;
  if (bt.getShape() != ArrayRef<int64_t>{N, blocks, blob})
    return ctx.error() << "input B " << bt << " must be [N, k_blocks, blob_size] = [" << N << ", " << blocks << ", "
                       << blob << "]";
  if (!st.getElementType().isF32())
    return ctx.error() << "scales must be float32 like A, got " << st;
  if (st.getNumElements() != N * blocks)
    return ctx.error() << "scales " << st << " must hold N * k_blocks = " << N * blocks << " values";
  // One input at a time: a refused one must not wait for the next to be expanded (a splat can be 256 MB).
  auto codes = ctx.constantBytes(1, "B", 1);
  if (failed(codes))
    return failure();
  auto scales = ctx.constantBytes(2, "scales", sizeof(float));
  if (failed(scales))
    return failure();
  auto *scaleValues = reinterpret_cast<const float *>(scales->data());
  // Z [k_blocks, N] = (zp - 8) * scale, when any zero point is not 8: uint8 zero points two a byte, low nibble
  // first, each row of N padded to whole bytes; or float ones, [N, k_blocks].
  SmallVector<float> zeroCorrection;
  if (ctx.input(3)) {
    auto zt = ctx.inputType(3);
    const int64_t rowBytes = (blocks + 1) / 2;
    const bool packedZp = zt.getElementType().isUnsignedInteger(8) && zt.getNumElements() == N * rowBytes;
    if (!packedZp && !(zt.getElementType().isF32() && zt.getNumElements() == N * blocks))
      return ctx.error() << "zero_points " << zt << " must be uint8 [N * ceil(k_blocks / 2)] = [" << N * rowBytes
                         << "] or float32 [N, k_blocks] = [" << N << ", " << blocks << "]";
    auto zp = ctx.constantBytes(3, "zero_points", packedZp ? 1 : sizeof(float));
    if (failed(zp))
      return failure();
    auto *zpValues = reinterpret_cast<const float *>(zp->data());
    zeroCorrection.assign(static_cast<size_t>(blocks * N), 0.0f);
    bool any = false;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t b = 0; b < blocks; ++b) {
        const float z = packedZp ? static_cast<float>(nibbleAt(*zp, n * rowBytes * 2 + b) - 8)
                                 : zpValues[n * blocks + b] - 8.0f;
        zeroCorrection[b * N + n] = z * scaleValues[n * blocks + b];
        any |= z != 0.0f;
      }
    if (!any)
      zeroCorrection.clear();
  }

  // Transposed to [K, N] (Mote's matmul weight layout) and [k_blocks, N].
  std::vector<int8_t> q(static_cast<size_t>(K * N));
  for (int64_t k = 0; k < K; ++k)
    for (int64_t n = 0; n < N; ++n)
      q[k * N + n] = static_cast<int8_t>(nibbleAt(*codes, (n * blocks + k / block) * block + k % block) - 8);
  SmallVector<float> s(static_cast<size_t>(blocks * N));
  for (int64_t n = 0; n < N; ++n)
    for (int64_t b = 0; b < blocks; ++b)
      s[b * N + n] = scaleValues[n * blocks + b];
  OpBuilder &builder = ctx.builder();
  Value qValue = ctx.constant(int4Elements(RankedTensorType::get({K, N}, builder.getIntegerType(4)), q));
  Value scaleValue = ctx.constant(DenseElementsAttr::get(RankedTensorType::get({blocks, N}, builder.getF32Type()),
                                                         ArrayRef<float>(s)));
  auto weight = ctx.buildTyped<DequantizeOp>(RankedTensorType::get({K, N}, builder.getF32Type()),
                                             {qValue, scaleValue},
                                             {ctx.namedI64("axis", 0), ctx.namedI64("block_size", block)});
  if (failed(weight))
    return failure();
  Composer c(ctx);
  Value y = c.op<MatMulOp>({*a, *weight});
  if (!zeroCorrection.empty()) {
    // A's sums per block of K (zeros past K), times Z, taken off.
    SmallVector<int64_t> lead(at.getShape().drop_back());
    Value rows = *a;
    if (blocks * block != K) {
      SmallVector<int64_t> padShape(lead);
      padShape.push_back(blocks * block - K);
      auto padType = RankedTensorType::get(padShape, builder.getF32Type());
      Value zeros = ctx.constant(DenseElementsAttr::get(padType, FloatAttr::get(builder.getF32Type(), 0.0)));
      rows = c.op<ConcatOp>({rows, zeros}, {ctx.namedI64("axis", at.getRank() - 1)});
    }
    SmallVector<int64_t> blocked(lead);
    blocked.append({blocks, block});
    Value sums = c.reduce<ReduceSumOp>(c.reshape(rows, blocked), {at.getRank()}, /*keepdims=*/false);
    Value zValue = ctx.constant(DenseElementsAttr::get(RankedTensorType::get({blocks, N}, builder.getF32Type()),
                                                       ArrayRef<float>(zeroCorrection)));
    Value correction = c.op<MatMulOp>({sums, zValue});
    keepCorrectionFloat(correction);
    y = c.op<SubOp>({y, correction});
  }
  if (Value bias = ctx.input(5))
    y = c.op<AddOp>({y, bias});
  return c.finish({y});
}

} // namespace

void appendContribHandlers(std::vector<HandlerEntry> &t) {
  t.insert(t.end(), {
                        {"com.microsoft.BiasGelu", 1, biasGelu},
                        {"com.microsoft.FastGelu", 1, fastGelu},
                        {"com.microsoft.GatherBlockQuantized", 1, gatherBlockQuantized},
                        {"com.microsoft.GroupQueryAttention", 1, groupQueryAttention},
                        {"com.microsoft.MatMulNBits", 1, matMulNBits},
                        {"com.microsoft.RotaryEmbedding", 1, rotaryEmbedding},
                        // ONNX Runtime registers this one in the default domain (ONNX's own is RMSNormalization-23).
                        {"SimplifiedLayerNormalization", 1, simplifiedLayerNorm},
                        {"com.microsoft.SkipLayerNormalization", 1, skipLayerNorm<false>},
                        {"com.microsoft.SkipSimplifiedLayerNormalization", 1, skipLayerNorm<true>},
                    });
}

} // namespace mote
