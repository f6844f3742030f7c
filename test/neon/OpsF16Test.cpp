// Tests of the NEON op kernels on f16 storage and of weight packing (runtime/neon/*Ops.cpp, ElementwiseF16.cpp,
// Conv3x3F16.cpp, PackedSizes.h) against double-precision references, under qemu-aarch64 (bench_kernels.sh).
// Tolerances are stated per case: f16 rounding (2^-11 relative) of inputs and outputs, plus f16 accumulation
// where the kernel accumulates in f16; each would fail a 2x scale error or a wrong broadcast.
#include "runtime/neon/GemmF16.h"
#include "runtime/neon/Ops.h"
#include "runtime/neon/PackedSizes.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace mote::neon;
using namespace mote::neon::ops;

namespace {

int failures = 0;

void check(bool ok, const char *what, double err = 0.0) {
  std::printf("%s %-60s err=%.3e\n", ok ? "PASS" : "FAIL", what, err);
  if (!ok)
    ++failures;
}

float frand(unsigned &s) {
  s = s * 1664525u + 1013904223u;
  return static_cast<float>((s >> 8) & 0xffff) / 32768.0f - 1.0f;
}

std::vector<__fp16> halves(const std::vector<float> &v) {
  std::vector<__fp16> h(v.size());
  f32ToF16(static_cast<int64_t>(v.size()), v.data(), h.data());
  return h;
}

/// max |got - want| / max(|want|) (the peak-relative error).
double peakError(const std::vector<__fp16> &got, const std::vector<double> &want) {
  double err = 0, peak = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const float g = got[i]; // through float: GCC 12 -O3 cannot vectorize __fp16 -> double reductions (ICE)
    const double d = std::fabs(static_cast<double>(g) - want[i]), m = std::fabs(want[i]);
    if (d > err || d != d)
      err = d;
    if (m > peak)
      peak = m;
  }
  return peak > 0 ? err / peak : err;
}

void testPacking() {
  std::vector<float> w(9 * 5 * 7, 0.5f);
  std::vector<unsigned char> buf(static_cast<size_t>(packedBytes(PackedLayout::Conv3x3, 5, 7)) + 64);
  check(!packWeights(PackedLayout::Conv3x3, 5, 7, w.data(), buf.data(), packedBytes(PackedLayout::Conv3x3, 5, 7) - 4),
        "packWeights refuses a size other than PackedSizes.h's");
  check(packWeights(PackedLayout::Conv3x3, 5, 7, w.data(), buf.data(), packedBytes(PackedLayout::Conv3x3, 5, 7)),
        "packWeights takes PackedSizes.h's size");
  bool agree = true;
  for (int K = 1; K < 70; K += 7)
    for (int N = 1; N < 100; ++N)
      agree = agree && static_cast<int64_t>(packedGemmF16BElements(K, N, F16Accumulation::F16)) == gemmBHalves(K, N);
  check(agree, "GemmF16's packed size equals PackedSizes.h's (K < 70, N < 100)");
}

void testBinary() {
  unsigned s = 7;
  // [3, 5, 19] + [19] (row broadcast) and * [3, 1, 19] (middle broadcast), odd inner size.
  const int64_t shape[3] = {3, 5, 19};
  std::vector<float> a(3 * 5 * 19), b(19), c(3 * 19);
  for (float &x : a) x = 4 * frand(s);
  for (float &x : b) x = frand(s);
  for (float &x : c) x = frand(s);
  std::vector<__fp16> ha = halves(a), hb = halves(b), hc = halves(c), out(a.size());
  const int64_t as[3] = {95, 19, 1}, bs[3] = {0, 0, 1}, cs[3] = {19, 0, 1};
  binaryF16(Binary::Add, 3, shape, ha.data(), as, hb.data(), bs, out.data());
  std::vector<double> want(a.size());
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 5; ++j)
      for (int k = 0; k < 19; ++k)
        want[(i * 5 + j) * 19 + k] = static_cast<double>(ha[(i * 5 + j) * 19 + k]) + static_cast<double>(hb[k]);
  double e = peakError(out, want);
  check(e < 2e-3, "binaryF16 Add, row broadcast, inner 19", e);
  binaryF16(Binary::Mul, 3, shape, ha.data(), as, hc.data(), cs, out.data());
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 5; ++j)
      for (int k = 0; k < 19; ++k)
        want[(i * 5 + j) * 19 + k] = static_cast<double>(ha[(i * 5 + j) * 19 + k]) * static_cast<double>(hc[i * 19 + k]);
  e = peakError(out, want);
  check(e < 2e-3, "binaryF16 Mul, middle broadcast", e);
  binaryF16(Binary::Div, 3, shape, ha.data(), as, hb.data(), bs, out.data());
  for (size_t i = 0; i < want.size(); ++i)
    want[i] = std::fmax(-65504.0, std::fmin(65504.0, static_cast<double>(ha[i]) / static_cast<double>(hb[i % 19])));
  e = peakError(out, want);
  check(e < 2e-3, "binaryF16 Div (f32), row broadcast", e);
}

void testUnary() {
  unsigned s = 11;
  std::vector<float> x(1000);
  for (float &v : x) v = 6 * frand(s);
  std::vector<__fp16> hx = halves(x), out(x.size());
  unaryF16(Unary::Silu, static_cast<int64_t>(x.size()), hx.data(), out.data());
  std::vector<double> want(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    double v = static_cast<double>(hx[i]);
    want[i] = v / (1.0 + std::exp(-v));
  }
  double e = peakError(out, want);
  check(e < 2e-3, "unaryF16 Silu, 1000 elements", e);
  unaryF16(Unary::Clip, static_cast<int64_t>(x.size()), hx.data(), out.data(), -1.0f, 2.0f);
  for (size_t i = 0; i < x.size(); ++i)
    want[i] = std::fmin(2.0, std::fmax(-1.0, static_cast<double>(hx[i])));
  e = peakError(out, want);
  check(e == 0.0, "unaryF16 Clip is exact", e);
}

void testConv3x3() {
  for (int shape = 0; shape < 3; ++shape) {
    const int H = shape ? 9 : 5, W = shape ? 4 : 7, Cin = shape ? 16 : 3, Cout = shape ? 40 : 10;
    const int stride = shape == 2 ? 2 : 1, OH = (H + 2 - 3) / stride + 1, OW = (W + 2 - 3) / stride + 1;
    unsigned s = 3 + shape;
    std::vector<float> x(H * W * Cin), w(Cout * Cin * 9), b(Cout);
    for (float &v : x) v = frand(s);
    for (float &v : w) v = frand(s) / 3;
    for (float &v : b) v = frand(s);
    std::vector<__fp16> hx = halves(x), hb = halves(b), out(OH * OW * Cout);
    std::vector<unsigned char> packed(static_cast<size_t>(packedBytes(PackedLayout::Conv3x3F16, Cin, Cout)));
    bool ok = packWeights(PackedLayout::Conv3x3F16, Cin, Cout, w.data(), packed.data(),
                          static_cast<int64_t>(packed.size()));
    Conv2DParams p{1, Cin, H, W, Cout, OH, OW, 3, 3, stride, stride, 1, 1, 1, 1, 1};
    conv3x3PackedF16(p, hx.data(), packed.data(), hb.data(), out.data());
    std::vector<double> want(out.size());
    for (int y = 0; y < OH; ++y)
      for (int xx = 0; xx < OW; ++xx)
        for (int co = 0; co < Cout; ++co) {
          double acc = static_cast<double>(hb[co]);
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
              int sy = y * stride + ky - 1, sx = xx * stride + kx - 1;
              if (sy < 0 || sy >= H || sx < 0 || sx >= W)
                continue;
              for (int ci = 0; ci < Cin; ++ci)
                acc += static_cast<double>(hx[(sy * W + sx) * Cin + ci]) *
                       static_cast<double>(static_cast<__fp16>(w[((co * Cin + ci) * 3 + ky) * 3 + kx]));
            }
          want[(y * OW + xx) * Cout + co] = acc;
        }
    double e = peakError(out, want);
    // f16 accumulation over 9 Cin terms: a few f16 ulps of the peak.
    const char *names[3] = {"conv3x3PackedF16 5x7, 3 -> 10 channels", "conv3x3PackedF16 9x4, 16 -> 40 channels",
                            "conv3x3PackedF16 9x4 stride 2, 16 -> 40 channels"};
    check(ok && e < 5e-3, names[shape], e);
  }
}

void testAttention() {
  // Grouped-query attention, 4 query heads over 2 key/value heads, 37 keys (not a multiple of 4 or 32), a
  // causal-style mask broadcast over batch and heads.
  const int64_t B = 1, H = 4, Hkv = 2, Sq = 5, Sk = 37, D = 16, Dv = 24;
  const float scale = 0.25f;
  unsigned s = 21;
  std::vector<float> q(B * H * Sq * D), k(B * Hkv * Sk * D), v(B * Hkv * Sk * Dv), m(Sq * Sk);
  for (float &x : q) x = 2 * frand(s);
  for (float &x : k) x = 2 * frand(s);
  for (float &x : v) x = frand(s);
  for (int64_t i = 0; i < Sq; ++i)
    for (int64_t j = 0; j < Sk; ++j)
      m[i * Sk + j] = j > i + 30 ? -1e4f : 0.0f;
  std::vector<__fp16> hq = halves(q), hk = halves(k), hv = halves(v), hm = halves(m), out(B * H * Sq * Dv);
  const int64_t ms[4] = {0, 0, Sk, 1};
  attentionF16(B, H, Hkv, Sq, Sk, D, Dv, scale, hq.data(), hk.data(), hv.data(), hm.data(), ms, out.data());
  std::vector<double> want(out.size());
  for (int64_t h = 0; h < H; ++h)
    for (int64_t i = 0; i < Sq; ++i) {
      const int64_t kvh = h / (H / Hkv);
      std::vector<double> sc(Sk);
      double mx = -1e300, sum = 0;
      for (int64_t j = 0; j < Sk; ++j) {
        double a = 0;
        for (int64_t d = 0; d < D; ++d)
          a += static_cast<double>(hq[(h * Sq + i) * D + d]) * static_cast<double>(hk[(kvh * Sk + j) * D + d]);
        sc[j] = a * scale + static_cast<double>(hm[i * Sk + j]);
        mx = sc[j] > mx ? sc[j] : mx;
      }
      for (int64_t j = 0; j < Sk; ++j)
        sum += (sc[j] = std::exp(sc[j] - mx));
      for (int64_t d = 0; d < Dv; ++d) {
        double o = 0;
        for (int64_t j = 0; j < Sk; ++j)
          o += sc[j] / sum * static_cast<double>(hv[(kvh * Sk + j) * Dv + d]);
        want[(h * Sq + i) * Dv + d] = o;
      }
    }
  double e = peakError(out, want);
  check(e < 5e-3, "attentionF16 GQA 4/2 heads, 37 keys, masked", e);
}

void testResizeNearest() {
  // [1, 3, 2, 5] NHWC f16 -> [1, 6, 4, 5], 2x nearest (asymmetric): exact copies.
  const int64_t outShape[4] = {1, 6, 4, 5}, inStrides[4] = {30, 10, 5, 1};
  std::vector<int64_t> idx;
  for (int64_t i = 0; i < 1; ++i) idx.insert(idx.end(), {0, 0});
  for (int64_t i = 0; i < 6; ++i) idx.insert(idx.end(), {i / 2, i / 2});
  for (int64_t i = 0; i < 4; ++i) idx.insert(idx.end(), {i / 2, i / 2});
  for (int64_t i = 0; i < 5; ++i) idx.insert(idx.end(), {i, i});
  std::vector<__fp16> in(30), out(120);
  for (int i = 0; i < 30; ++i) in[i] = static_cast<__fp16>(i);
  resizeNearest(2, 4, outShape, inStrides, idx.data(), in.data(), out.data());
  bool ok = true;
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 4; ++x)
      for (int c = 0; c < 5; ++c)
        ok = ok && static_cast<float>(out[(y * 4 + x) * 5 + c]) == static_cast<float>(in[(y / 2 * 2 + x / 2) * 5 + c]);
  check(ok, "resizeNearest 2x on NHWC f16 copies exactly");
}

} // namespace

int main() {
  testPacking();
  testBinary();
  testUnary();
  testConv3x3();
  testAttention();
  testResizeNearest();
  std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "OK", failures);
  return failures ? 1 : 0;
}
