// The integer-activation ops (the quantized phase of a target with integer activations; ir/MoteOps.td): exact
// integer arithmetic, with the requantization of runtime/integer/Requantize.h itself, so that the reference is
// the bit-for-bit oracle of the device kernels.
#include "targets/reference/Kernels.h"

#include "ir/ActivationQuantization.h"
#include "runtime/integer/IntegerMath.h"
#include "runtime/integer/Requantize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

using namespace mlir;

namespace mote::reference {

namespace {

/// Sums wrap at 32 bits, as the device's int32 lanes do.
int32_t wrap32(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v))); }

/// An int8 layer's sum wraps at 32 bits and is requantized so; an int16 (`wide`) layer's is exact (int64).
int64_t requantizeSum(int64_t acc, bool wide, int32_t mult, int32_t shift, int32_t lo, int32_t hi) {
  return wide ? mote_requantize64(acc, mult, shift, lo, hi) : mote_requantize(wrap32(acc), mult, shift, 0, lo, hi);
}

bool isInt16(const Tensor &t) { return t.elementType.isSignlessInteger(16); }

Tensor integerConv(IntegerConvOp op, const Tensor &in, const Tensor &w, const Tensor &bias, const Tensor &requant) {
  Tensor out = resultTensor(op);
  const int64_t N = in.shape[0], H = in.shape[1], W = in.shape[2], C = in.shape[3];
  const int64_t Cout = w.shape[0], KH = w.shape[2], KW = w.shape[3], OH = out.shape[1], OW = out.shape[2];
  ArrayRef<int64_t> s = op.getStrides(), d = op.getDilations(), p = op.getPads();
  const int32_t lo = op.getClampMin(), hi = op.getClampMax();
  const bool wide = isInt16(in);
  const int64_t Cg = w.shape[1], perGroup = Cout / static_cast<int64_t>(op.getGroup()); // input channels per group
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow)
        for (int64_t co = 0; co < Cout; ++co) {
          const int64_t first = co / perGroup * Cg; // the group's first input channel
          int64_t acc = bias.i[co];
          for (int64_t kh = 0; kh < KH; ++kh) {
            const int64_t ih = oh * s[0] - p[0] + kh * d[0];
            if (ih < 0 || ih >= H)
              continue;
            for (int64_t kw = 0; kw < KW; ++kw) {
              const int64_t iw = ow * s[1] - p[1] + kw * d[1];
              if (iw < 0 || iw >= W)
                continue;
              const int64_t *x = &in.i[((n * H + ih) * W + iw) * C + first];
              for (int64_t c = 0; c < Cg; ++c)
                acc += x[c] * w.i[((co * Cg + c) * KH + kh) * KW + kw];
            }
          }
          out.i[((n * OH + oh) * OW + ow) * Cout + co] =
              requantizeSum(acc, wide, static_cast<int32_t>(requant.i[co]), static_cast<int32_t>(requant.i[Cout + co]),
                            lo, hi);
        }
  return out;
}

Tensor integerMatMul(IntegerMatMulOp op, const Tensor &a, const Tensor &w, const Tensor &bias, const Tensor &requant) {
  Tensor out = resultTensor(op);
  const int64_t K = w.shape[0], N = w.shape[1], M = K > 0 ? a.size() / K : out.size() / std::max<int64_t>(N, 1);
  const int32_t lo = op.getClampMin(), hi = op.getClampMax();
  const bool wide = isInt16(a);
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      int64_t acc = bias.i[n];
      for (int64_t k = 0; k < K; ++k)
        acc += a.i[m * K + k] * w.i[k * N + n];
      out.i[m * N + n] = requantizeSum(acc, wide, static_cast<int32_t>(requant.i[n]),
                                       static_cast<int32_t>(requant.i[N + n]), lo, hi);
    }
  return out;
}

/// Each row (the input as [outer, run1, kept, run2], rows (outer, kept)) by mote_norm_row (the device's own
/// arithmetic, IntegerMath.h).
FailureOr<Tensor> integerNorm(IntegerNormOp op, const Tensor &x, const Tensor &params) {
  std::optional<std::array<int64_t, 4>> view = op.rowView();
  if (!view)
    return op.emitError("the normalized axes are not one or two runs");
  Tensor out = resultTensor(op);
  const auto [A, R1, B, R2] = *view;
  const int64_t count = R1 * R2;
  const bool wide = isInt16(x);
  std::vector<int16_t> row(static_cast<size_t>(count)), y(static_cast<size_t>(count)); // int8 uses the low halves
  std::vector<int32_t> p(params.i.begin(), params.i.end());
  const auto epsilon = static_cast<uint64_t>(op.getEpsilon());
  for (int64_t a = 0; a < A; ++a)
    for (int64_t b = 0; b < B; ++b) {
      auto at = [&](int64_t k) { return ((a * R1 + k / R2) * B + b) * R2 + k % R2; };
      for (int64_t k = 0; k < count; ++k)
        if (wide)
          row[k] = static_cast<int16_t>(x.i[at(k)]);
        else
          reinterpret_cast<int8_t *>(row.data())[k] = static_cast<int8_t>(x.i[at(k)]);
      mote_norm_row(row.data(), wide ? 1 : 0, count, op.getCenter() ? 1 : 0, static_cast<int32_t>(op.getSquareShift()),
                    epsilon, p.data(), p.data() + count, op.getFracBits(), op.getClampMin(), op.getClampMax(),
                    y.data());
      for (int64_t k = 0; k < count; ++k)
        out.i[at(k)] = wide ? y[k] : reinterpret_cast<const int8_t *>(y.data())[k];
    }
  return out;
}

/// Each query row by mote_attention_row (IntegerMath.h); grouped-query heads read key/value head h / (H / Hkv).
Tensor integerAttention(IntegerAttentionOp op, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor *mask,
                        const Tensor &table) {
  Tensor out = resultTensor(op);
  const int64_t B = q.shape[0], H = q.shape[1], Sq = q.shape[2], D = q.shape[3];
  const int64_t Hkv = k.shape[1], Sk = k.shape[2], Dv = v.shape[3];
  const bool wide = isInt16(q);
  // The values at the device's width: int8 or int16 arrays.
  auto narrow = [wide](const Tensor &t) {
    std::vector<char> bytes(t.i.size() * (wide ? 2 : 1));
    for (size_t e = 0; e < t.i.size(); ++e) {
      if (wide) {
        const auto x = static_cast<int16_t>(t.i[e]);
        std::memcpy(bytes.data() + 2 * e, &x, 2);
      } else {
        bytes[e] = static_cast<char>(static_cast<int8_t>(t.i[e]));
      }
    }
    return bytes;
  };
  const std::vector<char> qs = narrow(q), ks = narrow(k), vs = narrow(v);
  const size_t bytes = wide ? 2 : 1;
  std::vector<char> row(static_cast<size_t>(Dv) * bytes);
  std::vector<int32_t> t(table.i.begin(), table.i.end()), logits(static_cast<size_t>(Sk)), m;
  if (mask)
    m.assign(mask->i.begin(), mask->i.end());
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h) {
      const int64_t kv = b * Hkv + h / (H / Hkv);
      for (int64_t i = 0; i < Sq; ++i) {
        const int64_t r = (b * H + h) * Sq + i;
        mote_attention_row(qs.data() + r * D * bytes, ks.data() + kv * Sk * D * bytes, vs.data() + kv * Sk * Dv * bytes,
                           wide ? 1 : 0, Sk, D, Dv,
                           mask ? m.data() + ((mask->rank() == 3 ? b * Sq : 0) + i) * Sk : nullptr, t.data(),
                           static_cast<int32_t>(t.size()), op.getLogitMult(), op.getLogitShift(), op.getOutMult(),
                           op.getOutShift(), op.getClampMin(), op.getClampMax(), logits.data(), row.data());
        for (int64_t c = 0; c < Dv; ++c)
          out.i[r * Dv + c] = mote_activation_at(row.data(), c, wide ? 1 : 0);
      }
    }
  return out;
}

} // namespace

/// Whether requant [2, C] holds multipliers in [0, 65535] and shifts in [0, 31] (the verifier checks constants).
static bool validRequantization(const Tensor &requant) {
  const int64_t channels = requant.size() / 2;
  for (int64_t k = 0; k < requant.size(); ++k)
    if (requant.i[k] < 0 || requant.i[k] > (k < channels ? 65535 : 31))
      return false;
  return true;
}

std::optional<Results> runInteger(Operation *op, Operands in) {
  if (isa<IntegerConvOp, IntegerMatMulOp>(op) && !validRequantization(*in[3]))
    return Results(op->emitError("requantization multipliers must be in [0, 65535] and shifts in [0, 31]"));
  if (auto q = dyn_cast<QuantizeActivationOp>(op)) {
    Tensor out = resultTensor(op);
    const float scale = static_cast<float>(q.getScale().convertToDouble());
    const int32_t qmax = activationQMax(out.elementType.getIntOrFloatBitWidth());
    for (int64_t k = 0; k < out.size(); ++k)
      out.i[k] = quantizeActivation(static_cast<float>(in[0]->f[k]), scale, qmax);
    return single(std::move(out));
  }
  if (auto d = dyn_cast<DequantizeActivationOp>(op)) {
    Tensor out = resultTensor(op);
    const float scale = static_cast<float>(d.getScale().convertToDouble());
    for (int64_t k = 0; k < out.size(); ++k)
      out.set(k, static_cast<double>(dequantizeActivation(static_cast<int32_t>(in[0]->i[k]), scale)));
    return single(std::move(out));
  }
  if (auto c = dyn_cast<IntegerConvOp>(op))
    return single(integerConv(c, *in[0], *in[1], *in[2], *in[3]));
  if (auto m = dyn_cast<IntegerMatMulOp>(op))
    return single(integerMatMul(m, *in[0], *in[1], *in[2], *in[3]));
  if (auto a = dyn_cast<IntegerAddOp>(op)) {
    Tensor out = resultTensor(op);
    const int64_t ma = a.getLhsMultiplier(), mb = a.getRhsMultiplier(), shift = a.getShift();
    const int64_t round = shift > 0 ? int64_t{1} << (shift - 1) : 0;
    for (int64_t k = 0; k < out.size(); ++k) {
      const int64_t t = (in[0]->i[k] * ma + in[1]->i[k] * mb + round) >> shift; // arithmetic: floor
      out.i[k] = std::clamp<int64_t>(t, a.getClampMin(), a.getClampMax());
    }
    return single(std::move(out));
  }
  if (auto m = dyn_cast<IntegerMulOp>(op)) {
    Tensor out = resultTensor(op);
    for (int64_t k = 0; k < out.size(); ++k)
      out.i[k] = mote_requantize(static_cast<int32_t>(in[0]->i[k] * in[1]->i[k]), m.getMultiplier(), m.getShift(), 0,
                                 m.getClampMin(), m.getClampMax());
    return single(std::move(out));
  }
  if (auto n = dyn_cast<IntegerNormOp>(op)) {
    FailureOr<Tensor> out = integerNorm(n, *in[0], *in[1]);
    return failed(out) ? Results(failure()) : single(std::move(*out));
  }
  if (auto a = dyn_cast<IntegerAttentionOp>(op))
    return single(integerAttention(a, *in[0], *in[1], *in[2], a.getMask() ? in[4] : nullptr, *in[3]));
  if (auto sn = dyn_cast<IntegerSinusoidOp>(op)) {
    Tensor out = resultTensor(op);
    const int64_t n = in[1]->shape[1];
    const auto phase = static_cast<uint32_t>(sn.getPhaseAttr().getInt());
    const bool integerInput = !in[0]->isFloat();
    for (int64_t b = 0; b < in[0]->size(); ++b) {
      const float x = integerInput ? 0.0f : static_cast<float>(in[0]->f[b]); // an f32 value: exact
      uint32_t bits;
      std::memcpy(&bits, &x, sizeof bits);
      const int64_t t = integerInput ? in[0]->i[b] : 0;
      for (int64_t k = 0; k < n; ++k) {
        const int64_t turns = in[1]->i[k];
        const auto turnShift = static_cast<int32_t>(in[1]->i[n + k]);
        const auto mult = static_cast<int32_t>(sn.getMultiplier()), shift = static_cast<int32_t>(sn.getShift());
        out.i[b * n + k] =
            integerInput
                ? mote_sinusoid_of_integer(t, turns, turnShift, phase, mult, shift, sn.getClampMin(), sn.getClampMax())
                : mote_sinusoid(bits, turns, turnShift, phase, mult, shift, sn.getClampMin(), sn.getClampMax());
      }
    }
    return single(std::move(out));
  }
  if (auto t = dyn_cast<IntegerTableOp>(op)) {
    Tensor out = resultTensor(op);
    FailureOr<Tensor> table = fromElements(cast<ElementsAttr>(t.getTable()));
    if (failed(table))
      return Results(op->emitError("the table's values are not at hand"));
    if (isInt16(*in[0])) {
      std::vector<int16_t> entries(table->i.begin(), table->i.end());
      for (int64_t k = 0; k < out.size(); ++k)
        out.i[k] = mote_table_i16(static_cast<int16_t>(in[0]->i[k]), entries.data());
    } else {
      for (int64_t k = 0; k < out.size(); ++k)
        out.i[k] = table->i[static_cast<size_t>(in[0]->i[k] + 128)];
    }
    return single(std::move(out));
  }
  return std::nullopt;
}

} // namespace mote::reference
