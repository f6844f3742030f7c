// Reference kernels of the neural-network ops: matmul, gemm, convolutions, pooling, normalizations,
// softmax, attention, reductions and arg_max. Sums accumulate in double.
#include "targets/reference/Kernels.h"

#include "ir/ShapeUtils.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace mote::reference {
namespace {

Results matmul(Operation *op, const Tensor &a, const Tensor &b) {
  SmallVector<int64_t> as(a.shape), bs(b.shape);
  if (as.size() == 1)
    as.insert(as.begin(), 1);
  if (bs.size() == 1)
    bs.push_back(1);
  int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
  auto batch = *broadcastShapes(ArrayRef<int64_t>(as).drop_back(2), ArrayRef<int64_t>(bs).drop_back(2));
  auto aBatch = broadcastIndex(ArrayRef<int64_t>(as).drop_back(2), batch);
  auto bBatch = broadcastIndex(ArrayRef<int64_t>(bs).drop_back(2), batch);
  Tensor out = resultTensor(op);
  int64_t batches = numElements(batch);
  std::vector<double> row(n);
  for (int64_t p = 0; p < batches; ++p) {
    const double *A = a.f.data() + aBatch[p] * m * k;
    const double *B = b.f.data() + bBatch[p] * k * n;
    for (int64_t i = 0; i < m; ++i) {
      std::fill(row.begin(), row.end(), 0.0);
      for (int64_t kk = 0; kk < k; ++kk) {
        double av = A[i * k + kk];
        const double *Brow = B + kk * n;
        for (int64_t j = 0; j < n; ++j)
          row[j] += av * Brow[j];
      }
      for (int64_t j = 0; j < n; ++j)
        out.set((p * m + i) * n + j, row[j]);
    }
  }
  return single(std::move(out));
}

Results gemm(GemmOp op, const Tensor &a, const Tensor &b, const Tensor *c) {
  bool ta = op.getTransA(), tb = op.getTransB();
  int64_t m = a.shape[ta ? 1 : 0], k = a.shape[ta ? 0 : 1], n = b.shape[tb ? 0 : 1];
  double alpha = op.getAlpha().convertToDouble(), beta = op.getBeta().convertToDouble();
  Tensor out = resultTensor(op);
  std::vector<int64_t> ci;
  if (c)
    ci = broadcastIndex(c->shape, out.shape);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double acc = 0;
      for (int64_t kk = 0; kk < k; ++kk)
        acc += a.f[ta ? kk * m + i : i * k + kk] * b.f[tb ? j * k + kk : kk * n + j];
      double v = alpha * acc + (c ? beta * c->f[ci[i * n + j]] : 0.0);
      out.set(i * n + j, v);
    }
  return single(std::move(out));
}

// Iterates all index tuples of `extent` (an odometer), calling fn with each.
template <typename Fn>
void forEachIndex(ArrayRef<int64_t> extent, Fn fn) {
  int64_t n = numElements(extent);
  SmallVector<int64_t> idx(extent.size(), 0);
  for (int64_t k = 0; k < n; ++k) {
    fn(ArrayRef<int64_t>(idx));
    for (int64_t d = static_cast<int64_t>(extent.size()) - 1; d >= 0; --d) {
      if (++idx[d] < extent[d])
        break;
      idx[d] = 0;
    }
  }
}

// N-d grouped convolution; the 2-D case, which every corpus model uses, has a direct loop nest.
Results conv(ConvOp op, const Tensor &x, const Tensor &w, const Tensor *bias) {
  Tensor out = resultTensor(op);
  int64_t spatial = x.rank() - 2, group = op.getGroup();
  int64_t batch = x.shape[0], cin = x.shape[1], cout = w.shape[0];
  int64_t cinG = cin / group, coutG = cout / group;
  auto strides = op.getStrides(), pads = op.getPads(), dil = op.getDilations();
  ArrayRef<int64_t> inSp = ArrayRef<int64_t>(x.shape).drop_front(2),
                    kSp = ArrayRef<int64_t>(w.shape).drop_front(2),
                    outSp = ArrayRef<int64_t>(out.shape).drop_front(2);
  int64_t inSize = numElements(inSp), kSize = numElements(kSp), outSize = numElements(outSp);
  std::vector<double> acc(outSize);
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t oc = 0; oc < cout; ++oc) {
      int64_t g = oc / coutG;
      std::fill(acc.begin(), acc.end(), bias ? bias->f[oc] : 0.0);
      for (int64_t icg = 0; icg < cinG; ++icg) {
        int64_t ic = g * cinG + icg;
        const double *X = x.f.data() + (n * cin + ic) * inSize;
        const double *W = w.f.data() + (oc * cinG + icg) * kSize;
        if (spatial == 2) {
          int64_t H = inSp[0], Wd = inSp[1], KH = kSp[0], KW = kSp[1], OH = outSp[0], OW = outSp[1];
          for (int64_t kh = 0; kh < KH; ++kh)
            for (int64_t kw = 0; kw < KW; ++kw) {
              double wv = W[kh * KW + kw];
              for (int64_t oh = 0; oh < OH; ++oh) {
                int64_t ih = oh * strides[0] - pads[0] + kh * dil[0];
                if (ih < 0 || ih >= H)
                  continue;
                for (int64_t ow = 0; ow < OW; ++ow) {
                  int64_t iw = ow * strides[1] - pads[1] + kw * dil[1];
                  if (iw >= 0 && iw < Wd)
                    acc[oh * OW + ow] += wv * X[ih * Wd + iw];
                }
              }
            }
          continue;
        }
        int64_t o = 0;
        forEachIndex(outSp, [&](ArrayRef<int64_t> oi) {
          int64_t kidx = 0;
          forEachIndex(kSp, [&](ArrayRef<int64_t> ki) {
            int64_t lin = 0;
            bool inside = true;
            for (int64_t d = 0; d < spatial && inside; ++d) {
              int64_t pos = oi[d] * strides[d] - pads[d] + ki[d] * dil[d];
              inside = pos >= 0 && pos < inSp[d];
              lin = lin * inSp[d] + pos;
            }
            if (inside)
              acc[o] += W[kidx] * X[lin];
            ++kidx;
          });
          ++o;
        });
      }
      for (int64_t o = 0; o < outSize; ++o)
        out.set((n * cout + oc) * outSize + o, acc[o]);
    }
  return single(std::move(out));
}

// Transposed convolution as a scatter: every input element adds weight * value to the outputs its
// window reaches.
Results convTranspose(ConvTransposeOp op, const Tensor &x, const Tensor &w, const Tensor *bias) {
  Tensor out = resultTensor(op);
  int64_t spatial = x.rank() - 2, group = op.getGroup();
  int64_t batch = x.shape[0], cin = x.shape[1], coutG = w.shape[1], cout = coutG * group;
  int64_t cinG = cin / group;
  auto strides = op.getStrides(), pads = op.getPads(), dil = op.getDilations();
  ArrayRef<int64_t> inSp = ArrayRef<int64_t>(x.shape).drop_front(2),
                    kSp = ArrayRef<int64_t>(w.shape).drop_front(2),
                    outSp = ArrayRef<int64_t>(out.shape).drop_front(2);
  int64_t inSize = numElements(inSp), kSize = numElements(kSp), outSize = numElements(outSp);
  std::vector<double> acc(out.size(), 0.0);
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t ic = 0; ic < cin; ++ic) {
      int64_t g = ic / cinG;
      int64_t i = 0;
      forEachIndex(inSp, [&](ArrayRef<int64_t> ii) {
        double xv = x.f[(n * cin + ic) * inSize + i++];
        int64_t kidx = 0;
        forEachIndex(kSp, [&](ArrayRef<int64_t> ki) {
          int64_t lin = 0;
          bool inside = true;
          for (int64_t d = 0; d < spatial && inside; ++d) {
            int64_t pos = ii[d] * strides[d] - pads[d] + ki[d] * dil[d];
            inside = pos >= 0 && pos < outSp[d];
            lin = lin * outSp[d] + pos;
          }
          if (inside)
            for (int64_t ocg = 0; ocg < coutG; ++ocg) {
              int64_t oc = g * coutG + ocg;
              acc[(n * cout + oc) * outSize + lin] += xv * w.f[(ic * coutG + ocg) * kSize + kidx];
            }
          ++kidx;
        });
      });
    }
  for (int64_t k = 0, total = out.size(); k < total; ++k)
    out.set(k, acc[k] + (bias ? bias->f[(k / outSize) % cout] : 0.0));
  return single(std::move(out));
}

// Max and average pooling over N-d windows.
Results pool(Operation *op, const Tensor &x, ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
             ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations, bool isMax, bool countIncludePad) {
  Tensor out = resultTensor(op);
  int64_t spatial = x.rank() - 2;
  ArrayRef<int64_t> inSp = ArrayRef<int64_t>(x.shape).drop_front(2),
                    outSp = ArrayRef<int64_t>(out.shape).drop_front(2);
  int64_t inSize = numElements(inSp), outSize = numElements(outSp);
  for (int64_t nc = 0; nc < x.shape[0] * x.shape[1]; ++nc) {
    const double *X = x.f.data() + nc * inSize;
    int64_t o = 0;
    forEachIndex(outSp, [&](ArrayRef<int64_t> oi) {
      double best = -std::numeric_limits<double>::infinity(), sum = 0;
      int64_t count = 0, padded = 0;
      forEachIndex(kernel, [&](ArrayRef<int64_t> ki) {
        int64_t lin = 0;
        bool inside = true, inPadded = true;
        for (int64_t d = 0; d < spatial; ++d) {
          int64_t pos = oi[d] * strides[d] - pads[d] + ki[d] * (dilations.empty() ? 1 : dilations[d]);
          inside = inside && pos >= 0 && pos < inSp[d];
          inPadded = inPadded && pos < inSp[d] + pads[spatial + d];
          lin = lin * inSp[d] + pos;
        }
        padded += inPadded;
        if (!inside)
          return;
        ++count;
        double v = X[lin];
        sum += v;
        if (v > best || std::isnan(v))
          best = v;
      });
      double r = isMax ? best : sum / static_cast<double>(countIncludePad ? padded : count);
      out.set(nc * outSize + o++, r);
    });
  }
  return single(std::move(out));
}

// Mean and 1 / sqrt(variance + epsilon) of n values; RMS norm takes the mean as 0.
std::pair<double, double> statistics(const double *x, int64_t n, double epsilon, bool rms) {
  double mean = 0, var = 0;
  if (!rms) {
    for (int64_t k = 0; k < n; ++k)
      mean += x[k];
    mean /= n;
  }
  for (int64_t k = 0; k < n; ++k)
    var += (x[k] - mean) * (x[k] - mean);
  var /= n;
  return {mean, 1.0 / std::sqrt(var + epsilon)};
}

// Normalizes `x` in groups: `groups` consecutive blocks of `groupSize` elements each get their own
// mean and variance; then y = x_hat * scale[c] + bias[c] with c = (element / channelSize) % channels.
Tensor normalize(Operation *op, const Tensor &x, int64_t groupSize, double epsilon, bool rms,
                 const Tensor *scale, const Tensor *bias, int64_t channelSize, int64_t channels) {
  Tensor out = resultTensor(op);
  int64_t groups = x.size() / groupSize;
  for (int64_t g = 0; g < groups; ++g) {
    const double *X = x.f.data() + g * groupSize;
    auto [mean, inv] = statistics(X, groupSize, epsilon, rms);
    for (int64_t k = 0; k < groupSize; ++k) {
      int64_t e = g * groupSize + k;
      int64_t c = (e / channelSize) % channels;
      double y = (X[k] - mean) * inv;
      if (scale)
        y *= scale->f[c];
      if (bias)
        y += bias->f[c];
      out.set(e, y);
    }
  }
  return out;
}

// Layer/RMS norm: scale and bias broadcast over the normalized tail [axis, rank).
Tensor tailNorm(Operation *op, const Tensor &x, int64_t axis, double epsilon, bool rms,
                const Tensor &scale, const Tensor *bias) {
  ArrayRef<int64_t> tail = ArrayRef<int64_t>(x.shape).drop_front(axis);
  int64_t groupSize = numElements(tail);
  auto si = broadcastIndex(scale.shape, tail);
  std::vector<int64_t> bi;
  if (bias)
    bi = broadcastIndex(bias->shape, tail);
  Tensor out = resultTensor(op);
  for (int64_t g = 0; g < x.size() / groupSize; ++g) {
    const double *X = x.f.data() + g * groupSize;
    auto [mean, inv] = statistics(X, groupSize, epsilon, rms);
    for (int64_t k = 0; k < groupSize; ++k)
      out.set(g * groupSize + k, (X[k] - mean) * inv * scale.f[si[k]] + (bias ? bias->f[bi[k]] : 0.0));
  }
  return out;
}

Results softmax(Operation *op, const Tensor &x, int64_t axis) {
  Tensor out = resultTensor(op);
  int64_t extent = x.shape[axis], inner = numElements(ArrayRef<int64_t>(x.shape).drop_front(axis + 1));
  int64_t outer = numElements(ArrayRef<int64_t>(x.shape).take_front(axis));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      auto at = [&](int64_t e) { return (o * extent + e) * inner + in; };
      double mx = -std::numeric_limits<double>::infinity(), sum = 0;
      for (int64_t e = 0; e < extent; ++e)
        mx = std::max(mx, x.f[at(e)]);
      for (int64_t e = 0; e < extent; ++e)
        sum += std::exp(x.f[at(e)] - mx);
      for (int64_t e = 0; e < extent; ++e)
        out.set(at(e), std::exp(x.f[at(e)] - mx) / sum);
    }
  return single(std::move(out));
}

/// One query row of attention: softmax(q k_j^T * scale + mask(j)) v over keys j < `keys`, into out's row
/// starting at element `at`. `s` is scratch of at least `keys`.
void attendRow(const double *Q, const double *K, const double *V, int64_t keys, int64_t D, int64_t Dv, double scale,
               llvm::function_ref<double(int64_t)> mask, std::vector<double> &s, Tensor &out, int64_t at) {
  double mx = -std::numeric_limits<double>::infinity();
  for (int64_t j = 0; j < keys; ++j) {
    double dot = 0;
    for (int64_t d = 0; d < D; ++d)
      dot += Q[d] * K[j * D + d];
    s[j] = dot * scale + mask(j);
    mx = std::max(mx, s[j]);
  }
  double sum = 0;
  for (int64_t j = 0; j < keys; ++j)
    sum += (s[j] = std::exp(s[j] - mx));
  for (int64_t d = 0; d < Dv; ++d) {
    double acc = 0;
    for (int64_t j = 0; j < keys; ++j)
      acc += s[j] * V[j * Dv + d];
    out.set(at + d, acc / sum);
  }
}

Results attention(AttentionOp op, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor *mask) {
  Tensor out = resultTensor(op);
  int64_t B = q.shape[0], H = q.shape[1], Sq = q.shape[2], D = q.shape[3];
  int64_t Hkv = k.shape[1], Sk = k.shape[2], Dv = v.shape[3];
  double scale = op.getScale().convertToDouble();
  std::vector<int64_t> mi;
  if (mask)
    mi = broadcastIndex(mask->shape, {B, H, Sq, Sk});
  std::vector<double> s(Sk);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h) {
      int64_t hk = h / (H / Hkv);
      const double *K = k.f.data() + (b * Hkv + hk) * Sk * D;
      const double *V = v.f.data() + (b * Hkv + hk) * Sk * Dv;
      for (int64_t i = 0; i < Sq; ++i) {
        const int64_t row = (b * H + h) * Sq + i;
        attendRow(q.f.data() + row * D, K, V, Sk, D, Dv, scale,
                  [&](int64_t j) { return mask ? mask->f[mi[row * Sk + j]] : 0.0; }, s, out, row * Dv);
      }
    }
  return single(std::move(out));
}

/// The cache row of a kv_write or cache_attention's first token, checked against the cache's L rows.
FailureOr<int64_t> cachePosition(Operation *op, const Tensor &position, int64_t rows, int64_t L) {
  int64_t p = position.i[0];
  if (p < 0 || p > L - rows)
    return op->emitError("cache position ") << p << " with " << rows << " rows is outside the cache of " << L;
  return p;
}

Results kvWrite(KvWriteOp op, const Tensor &cache, const Tensor &update, const Tensor &position) {
  int64_t B = cache.shape[0], H = cache.shape[1], L = cache.shape[2], D = cache.shape[3], S = update.shape[2];
  FailureOr<int64_t> p = cachePosition(op, position, S, L);
  if (failed(p))
    return failure();
  Tensor out = cache;
  for (int64_t bh = 0; bh < B * H; ++bh)
    for (int64_t s = 0; s < S; ++s)
      for (int64_t d = 0; d < D; ++d)
        out.f[(bh * L + *p + s) * D + d] = update.f[(bh * S + s) * D + d];
  return single(std::move(out));
}

Results cacheAttention(CacheAttentionOp op, const Tensor &q, const Tensor &k, const Tensor &v,
                       const Tensor &position) {
  Tensor out = resultTensor(op);
  int64_t B = q.shape[0], H = q.shape[1], Sq = q.shape[2], D = q.shape[3];
  int64_t Hkv = k.shape[1], L = k.shape[2], Dv = v.shape[3];
  FailureOr<int64_t> p = cachePosition(op, position, Sq, L);
  if (failed(p))
    return failure();
  double scale = op.getScale().convertToDouble();
  std::vector<double> s(L);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h) {
      int64_t hk = h / (H / Hkv);
      const double *K = k.f.data() + (b * Hkv + hk) * L * D;
      const double *V = v.f.data() + (b * Hkv + hk) * L * Dv;
      for (int64_t i = 0; i < Sq; ++i) { // rows 0 .. position + i
        const int64_t row = (b * H + h) * Sq + i;
        attendRow(q.f.data() + row * D, K, V, *p + i + 1, D, Dv, scale, [](int64_t) { return 0.0; }, s, out,
                  row * Dv);
      }
    }
  return single(std::move(out));
}

enum class Reduce { Mean, Sum, Max, Min };

Results reduce(Operation *op, const Tensor &x, ArrayRef<int64_t> axes, Reduce kind) {
  int64_t rank = x.rank();
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t a : axes)
    reduced[*normalizeAxis(a, rank)] = true;
  // The kept-dims shape indexes the accumulators whatever keepdims says.
  SmallVector<int64_t> kept(x.shape);
  for (int64_t d = 0; d < rank; ++d)
    if (reduced[d])
      kept[d] = 1;
  int64_t outN = numElements(kept);
  std::vector<double> acc(outN, kind == Reduce::Max   ? -std::numeric_limits<double>::infinity()
                                : kind == Reduce::Min ? std::numeric_limits<double>::infinity()
                                                      : 0.0);
  std::vector<int64_t> accI(outN, kind == Reduce::Max   ? std::numeric_limits<int64_t>::min()
                                  : kind == Reduce::Min ? std::numeric_limits<int64_t>::max()
                                                        : 0);
  auto keptStrides = stridesOf(kept);
  int64_t k = 0;
  bool isFloat = x.isFloat();
  forEachIndex(x.shape, [&](ArrayRef<int64_t> idx) {
    int64_t o = 0;
    for (int64_t d = 0; d < rank; ++d)
      o += (reduced[d] ? 0 : idx[d]) * keptStrides[d];
    if (isFloat) {
      double v = x.f[k];
      if (kind == Reduce::Max)
        acc[o] = std::isnan(v) ? v : std::max(acc[o], v);
      else if (kind == Reduce::Min)
        acc[o] = std::isnan(v) ? v : std::min(acc[o], v);
      else
        acc[o] += v;
    } else {
      int64_t v = x.i[k];
      accI[o] = kind == Reduce::Max ? std::max(accI[o], v) : kind == Reduce::Min ? std::min(accI[o], v) : accI[o] + v;
    }
    ++k;
  });
  Tensor out = resultTensor(op);
  int64_t count = x.size() / std::max<int64_t>(outN, 1);
  for (int64_t o = 0; o < outN && o < out.size(); ++o) {
    if (isFloat)
      out.set(o, kind == Reduce::Mean ? acc[o] / static_cast<double>(count) : acc[o]);
    else
      out.setInt(o, kind == Reduce::Mean ? accI[o] / std::max<int64_t>(count, 1) : accI[o]);
  }
  return single(std::move(out));
}

Results argMax(ArgMaxOp op, const Tensor &x) {
  int64_t axis = *normalizeAxis(op.getAxis(), x.rank());
  int64_t extent = x.shape[axis], inner = numElements(ArrayRef<int64_t>(x.shape).drop_front(axis + 1));
  int64_t outer = numElements(ArrayRef<int64_t>(x.shape).take_front(axis));
  Tensor out = resultTensor(op);
  bool last = op.getSelectLastIndex();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      int64_t best = 0;
      for (int64_t e = 1; e < extent; ++e) {
        double v = x.get((o * extent + e) * inner + in), b = x.get((o * extent + best) * inner + in);
        if (v > b || (last && v == b))
          best = e;
      }
      out.i[o * inner + in] = best;
    }
  return single(std::move(out));
}

} // namespace

std::optional<Results> runNeural(Operation *op, Operands in) {
  auto opt = [&](size_t k) { return k < in.size() ? in[k] : nullptr; };
  return llvm::TypeSwitch<Operation *, std::optional<Results>>(op)
      .Case([&](MatMulOp) { return matmul(op, *in[0], *in[1]); })
      .Case([&](GemmOp g) { return gemm(g, *in[0], *in[1], opt(2)); })
      .Case([&](ConvOp c) { return conv(c, *in[0], *in[1], opt(2)); })
      .Case([&](ConvTransposeOp c) { return convTranspose(c, *in[0], *in[1], opt(2)); })
      .Case([&](MaxPoolOp p) {
        return pool(op, *in[0], p.getKernelShape(), p.getStrides(), p.getPads(), p.getDilations(), true, false);
      })
      .Case([&](AveragePoolOp p) {
        return pool(op, *in[0], p.getKernelShape(), p.getStrides(), p.getPads(), {}, false,
                    p.getCountIncludePad());
      })
      .Case([&](BatchNormOp b) {
        const Tensor &x = *in[0];
        int64_t c = x.shape[1], inner = numElements(ArrayRef<int64_t>(x.shape).drop_front(2));
        Tensor out = resultTensor(op);
        double eps = b.getEpsilon().convertToDouble();
        for (int64_t k = 0; k < x.size(); ++k) {
          int64_t ch = (k / inner) % c;
          out.set(k, (x.f[k] - in[3]->f[ch]) / std::sqrt(in[4]->f[ch] + eps) * in[1]->f[ch] + in[2]->f[ch]);
        }
        return single(std::move(out));
      })
      .Case([&](InstanceNormOp n) {
        const Tensor &x = *in[0];
        int64_t inner = numElements(ArrayRef<int64_t>(x.shape).drop_front(2));
        return single(normalize(op, x, inner, n.getEpsilon().convertToDouble(), false, in[1], in[2], inner,
                                x.shape[1]));
      })
      .Case([&](GroupNormOp n) {
        const Tensor &x = *in[0];
        int64_t inner = numElements(ArrayRef<int64_t>(x.shape).drop_front(2));
        int64_t groupSize = x.shape[1] / n.getNumGroups() * inner;
        return single(normalize(op, x, groupSize, n.getEpsilon().convertToDouble(), false, in[1], in[2],
                                inner, x.shape[1]));
      })
      .Case([&](GroupNormStatsOp n) {
        // Runs in its own layout (Interpreter.cpp gives it no NCHW twin: its result has no channels).
        const Tensor &x = *in[0];
        const bool last = n.getChannelsLast();
        const int64_t N = x.shape[0], C = last ? x.shape.back() : x.shape[1], P = x.size() / (N * C);
        const int64_t G = n.getNumGroups(), Cg = C / G;
        Tensor out = resultTensor(op);
        std::vector<double> group(Cg * P);
        for (int64_t b = 0; b < N; ++b)
          for (int64_t g = 0; g < G; ++g) {
            for (int64_t c = 0; c < Cg; ++c)
              for (int64_t p = 0; p < P; ++p)
                group[c * P + p] = x.f[last ? (b * P + p) * C + g * Cg + c : (b * C + g * Cg + c) * P + p];
            auto [mean, inv] = statistics(group.data(), Cg * P, n.getEpsilon().convertToDouble(), false);
            out.set((b * G + g) * 2, mean);
            out.set((b * G + g) * 2 + 1, inv);
          }
        return single(std::move(out));
      })
      .Case([&](GroupNormApplyOp n) {
        // NCHW (a channels_last one runs as its NCHW twin).
        const Tensor &x = *in[0], &stats = *in[1], &scale = *in[2], &bias = *in[3];
        const int64_t N = x.shape[0], C = x.shape[1], P = x.size() / (N * C), Cg = C / n.getNumGroups();
        Tensor out = resultTensor(op);
        for (int64_t k = 0; k < x.size(); ++k) {
          const int64_t b = k / (C * P), c = (k / P) % C, at = (b * n.getNumGroups() + c / Cg) * 2;
          out.set(k, (x.f[k] - stats.f[at]) * stats.f[at + 1] * scale.f[c] + bias.f[c]);
        }
        return single(std::move(out));
      })
      .Case([&](LayerNormOp n) {
        return single(tailNorm(op, *in[0], *normalizeAxis(n.getAxis(), in[0]->rank()),
                               n.getEpsilon().convertToDouble(), false, *in[1], opt(2)));
      })
      .Case([&](RmsNormOp n) {
        return single(tailNorm(op, *in[0], *normalizeAxis(n.getAxis(), in[0]->rank()),
                               n.getEpsilon().convertToDouble(), true, *in[1], nullptr));
      })
      .Case([&](SoftmaxOp s) { return softmax(op, *in[0], *normalizeAxis(s.getAxis(), in[0]->rank())); })
      .Case([&](AttentionOp a) { return attention(a, *in[0], *in[1], *in[2], opt(3)); })
      .Case([&](KvWriteOp w) { return kvWrite(w, *in[0], *in[1], *in[2]); })
      .Case([&](CacheAttentionOp a) { return cacheAttention(a, *in[0], *in[1], *in[2], *in[3]); })
      .Case([&](ReduceMeanOp r) { return reduce(op, *in[0], r.getAxes(), Reduce::Mean); })
      .Case([&](ReduceSumOp r) { return reduce(op, *in[0], r.getAxes(), Reduce::Sum); })
      .Case([&](ReduceMaxOp r) { return reduce(op, *in[0], r.getAxes(), Reduce::Max); })
      .Case([&](ReduceMinOp r) { return reduce(op, *in[0], r.getAxes(), Reduce::Min); })
      .Case([&](ArgMaxOp a) { return argMax(a, *in[0]); })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace mote::reference
