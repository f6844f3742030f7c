// Tests of the NEON op kernels on f16 storage (and the f16 GEMM's epilogue activations), of f32 attention, of convolutions on bands of rows, of integer
// reductions and of weight packing (runtime/neon/*Ops.cpp, ElementwiseF16.cpp, Conv3x3F16.cpp, Attention*.cpp,
// ConvBands.cpp, PackedSizes.h) against
// double-precision references (exact integer ones for the reductions),
// under qemu-aarch64 (bench_kernels.sh). Tolerances are stated per case: f16 rounding (2^-11 relative) of
// inputs and outputs, plus f16 accumulation where the kernel accumulates in f16; f32 kernels a few ulps of
// f32 per reduction; each would fail a 2x scale error or a wrong broadcast.
#include "runtime/neon/GemmF16.h"
#include "runtime/neon/Ops.h"
#include "runtime/neon/PackedSizes.h"

#include <algorithm>
#include <climits>
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

/// The same for f32 results.
double peakError(const std::vector<float> &got, const std::vector<double> &want) {
  double err = 0, peak = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const double d = std::fabs(static_cast<double>(got[i]) - want[i]), m = std::fabs(want[i]);
    if (d > err || d != d)
      err = d;
    if (m > peak)
      peak = m;
  }
  return peak > 0 ? err / peak : err;
}

std::vector<double> wide(const std::vector<__fp16> &v) {
  std::vector<double> d(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    d[i] = static_cast<float>(v[i]);
  return d;
}

std::vector<double> wide(const std::vector<float> &v) { return std::vector<double>(v.begin(), v.end()); }

/// softmax(q k^T * scale + mask) v in double, with the kernels' strides (`layout` as in Ops.h, null for dense);
/// the result is dense [B, H, Sq, Dv].
std::vector<double> referenceAttention(int64_t B, int64_t H, int64_t Hkv, int64_t Sq, int64_t Sk, int64_t D,
                                       int64_t Dv, double scale, const std::vector<double> &q,
                                       const std::vector<double> &k, const std::vector<double> &v, const double *mask,
                                       const int64_t *ms, const int64_t *layout) {
  const int64_t dense[12] = {H * Sq * D, Sq * D, D, Hkv * Sk * D, Sk * D, D,
                             Hkv * Sk * Dv, Sk * Dv, Dv, H * Sq * Dv, Sq * Dv, Dv};
  const int64_t *l = layout ? layout : dense;
  std::vector<double> want(static_cast<size_t>(B * H * Sq * Dv));
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t i = 0; i < Sq; ++i) {
        const int64_t kvh = h / (H / Hkv);
        std::vector<double> sc(static_cast<size_t>(Sk));
        double mx = -INFINITY, sum = 0;
        for (int64_t j = 0; j < Sk; ++j) {
          double a = 0;
          for (int64_t d = 0; d < D; ++d)
            a += q[b * l[0] + h * l[1] + i * l[2] + d] * k[b * l[3] + kvh * l[4] + j * l[5] + d];
          sc[j] = a * scale + (mask ? mask[b * ms[0] + h * ms[1] + i * ms[2] + j * ms[3]] : 0.0);
          mx = sc[j] > mx ? sc[j] : mx;
        }
        for (int64_t j = 0; j < Sk; ++j)
          sum += (sc[j] = std::exp(sc[j] - mx));
        for (int64_t d = 0; d < Dv; ++d) {
          double o = 0;
          for (int64_t j = 0; j < Sk; ++j)
            o += sc[j] / sum * v[b * l[6] + kvh * l[7] + j * l[8] + d];
          want[((b * H + h) * Sq + i) * Dv + d] = o;
        }
      }
  return want;
}

/// Peak-relative error of f32 results read through the dense [B, H, Sq, Dv] order of `want`, from `got` with
/// output strides o[0..2] (NaN anywhere is an error unless `want` is NaN there too).
double peakErrorF32(const std::vector<float> &got, const int64_t *o, int64_t H, int64_t Sq, int64_t Dv,
                    const std::vector<double> &want) {
  double err = 0, peak = 0;
  for (size_t n = 0; n < want.size(); ++n) {
    const int64_t d = static_cast<int64_t>(n) % Dv, i = (static_cast<int64_t>(n) / Dv) % Sq,
                  h = (static_cast<int64_t>(n) / (Dv * Sq)) % H, b = static_cast<int64_t>(n) / (Dv * Sq * H);
    const double g = got[b * o[0] + h * o[1] + i * o[2] + d];
    if (std::isnan(want[n])) {
      if (!std::isnan(g))
        return INFINITY;
      continue;
    }
    const double e = std::fabs(g - want[n]);
    if (e > err || e != e)
      err = e;
    peak = std::fabs(want[n]) > peak ? std::fabs(want[n]) : peak;
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

/// max over elements of |got - want| / max(|want|, floor): an error in f16 ulps (2^-11 relative) where
/// `want` is a normal half, absolute below `floor`.
double elementError(const std::vector<__fp16> &got, const std::vector<double> &want, double floor) {
  double err = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const float g = got[i];
    const double d = std::fabs(static_cast<double>(g) - want[i]) / std::fmax(std::fabs(want[i]), floor);
    if (d > err || d != d)
      err = d;
  }
  return err;
}

// The sigmoid family in f16 arithmetic (VectorMathF16.h) over [-20, 20] and a few edges (0, +-1e-3, -17.5
// and below, where exp underflows; x^3 past the f16 range): at most 8 f16 ulps (4e-3 relative) of the exact
// value at each element, 4e-6 absolute where it is under 1e-3 (x sigmoid(x) of a subnormal exp); the GELUs
// 16 ulps: their sigmoid's argument (1.702 x, or 2u with u cubic in x) is rounded to f16 first, an error of
// |arg| 2^-11 in the exponent (1e-3 of the value at x = -2, where the value is -4e-3, 4e-6 absolute). Each
// also within 1e-3 of the peak. A wrong constant or a dropped term gives errors of 1e-2 and more.
void testUnaryF16Activations() {
  unsigned s = 17;
  std::vector<float> x(2000);
  for (float &v : x) v = 20 * frand(s);
  for (float v : {0.0f, -0.0f, 1e-3f, -1e-3f, -17.0f, -17.5f, -18.0f, -40.0f, 40.0f, 65504.0f, -65504.0f})
    x.push_back(v);
  std::vector<__fp16> hx = halves(x), out(x.size());
  const int64_t n = static_cast<int64_t>(x.size());
  struct Case {
    Unary op;
    const char *name;
    double (*f)(double);
    double ulps;
  };
  const Case cases[] = {
      {Unary::Sigmoid, "unaryF16 Sigmoid in f16, 2011 elements", [](double v) { return 1.0 / (1.0 + std::exp(-v)); },
       8},
      {Unary::Tanh, "unaryF16 Tanh in f16, 2011 elements", [](double v) { return std::tanh(v); }, 8},
      {Unary::Silu, "unaryF16 Silu in f16, 2011 elements", [](double v) { return v / (1.0 + std::exp(-v)); }, 8},
      {Unary::GeluSigmoid, "unaryF16 GeluSigmoid in f16, 2011 elements",
       [](double v) { return v / (1.0 + std::exp(-1.702 * v)); }, 16},
      {Unary::GeluTanh, "unaryF16 GeluTanh in f16, 2011 elements",
       [](double v) { return 0.5 * v * (1.0 + std::tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))); }, 16},
      {Unary::GeluErf, "unaryF16 GeluErf in f16, 2011 elements",
       [](double v) { return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))); }, 16},
  };
  for (const Case &c : cases) {
    unaryF16(c.op, n, hx.data(), out.data());
    std::vector<double> want(x.size());
    for (size_t i = 0; i < x.size(); ++i)
      want[i] = c.f(static_cast<float>(hx[i]));
    const double e = elementError(out, want, 1e-3), peak = peakError(out, want);
    check(e < c.ulps / 2048.0 && peak < 1e-3, c.name, e);
  }
}

// The f16 GEMM's epilogue activations (f16 arithmetic) on a 19 x 53 x 40 GEMM
// with bias, against the double product of the same halves: f16 accumulation of 40 products (~1e-2 peak)
// plus the activation's few ulps; a wrong activation (or none) is off by O(1).
void testGemmF16Activations() {
  const int M = 19, N = 53, K = 40;
  unsigned s = 29;
  std::vector<float> a(M * K), b(K * N), bias(N);
  for (float &v : a) v = frand(s);
  for (float &v : b) v = frand(s);
  for (float &v : bias) v = frand(s);
  std::vector<__fp16> ha = halves(a), hb = halves(b), hbias = halves(bias);
  std::vector<float> bw(K * N);
  for (size_t i = 0; i < bw.size(); ++i)
    bw[i] = hb[i];
  std::vector<float16_t> packed(packedGemmF16BElements(K, N, F16Accumulation::F16));
  packGemmF16BFromF32(K, N, bw.data(), N, packed.data(), F16Accumulation::F16);
  std::vector<char> work(gemmF16WorkspaceBytes(M, K, F16Accumulation::F16) + 64);
  struct Case {
    Activation act;
    const char *name;
    double (*f)(double);
  };
  const Case cases[] = {
      {Activation::Silu, "gemmF16 epilogue Silu (f16)", [](double v) { return v / (1.0 + std::exp(-v)); }},
      {Activation::GeluTanh, "gemmF16 epilogue GeluTanh (f16)",
       [](double v) { return 0.5 * v * (1.0 + std::tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))); }},
      {Activation::GeluSigmoid, "gemmF16 epilogue GeluSigmoid (f16)",
       [](double v) { return v / (1.0 + std::exp(-1.702 * v)); }},
      {Activation::GeluErf, "gemmF16 epilogue GeluErf (f16)",
       [](double v) { return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))); }},
  };
  for (const Case &c : cases) {
    std::vector<__fp16> out(M * N);
    EpilogueF16 ep;
    ep.bias = reinterpret_cast<const float16_t *>(hbias.data());
    ep.act = c.act;
    gemmF16(M, N, K, reinterpret_cast<const float16_t *>(ha.data()), K, packed.data(),
            reinterpret_cast<float16_t *>(out.data()), N, ep, F16Accumulation::F16, work.data());
    std::vector<double> want(M * N);
    for (int m = 0; m < M; ++m)
      for (int j = 0; j < N; ++j) {
        double acc = static_cast<float>(hbias[j]);
        for (int k = 0; k < K; ++k)
          acc += static_cast<double>(static_cast<float>(ha[m * K + k])) * static_cast<float>(hb[k * N + j]);
        want[m * N + j] = c.f(acc);
      }
    const double e = peakError(out, want);
    check(e < 1e-2, c.name, e);
  }
}

// Layer and RMS norms on f16 storage (NormF16.cpp): rows of 37 (a partial vector) and 520 (past one
// 8-lane block), a mean far from 0 (the one-pass variance's hard case), against double statistics of the
// same halves: one f16 rounding of each output (5e-4 of the peak); a wrong mean or scale is off by O(1).
void testNormsF16() {
  for (const int64_t inner : {37, 520}) {
    const int64_t outer = 5;
    unsigned s = 31;
    std::vector<float> x(outer * inner), sc(inner), bi(inner);
    for (float &v : x) v = 4.0f + frand(s);
    for (float &v : sc) v = 1.5f * frand(s);
    for (float &v : bi) v = frand(s);
    std::vector<__fp16> hx = halves(x), hs = halves(sc), hb = halves(bi), ln(x.size()), rms(x.size());
    layerNormF16(outer, inner, 1e-5f, hx.data(), hs.data(), hb.data(), ln.data());
    rmsNormF16(outer, inner, 1e-6f, hx.data(), hs.data(), rms.data());
    std::vector<double> wantLn(x.size()), wantRms(x.size());
    for (int64_t o = 0; o < outer; ++o) {
      double sum = 0, sq = 0;
      for (int64_t i = 0; i < inner; ++i)
        sum += static_cast<float>(hx[o * inner + i]);
      const double mean = sum / inner;
      double var = 0;
      for (int64_t i = 0; i < inner; ++i) {
        const double v = static_cast<float>(hx[o * inner + i]);
        var += (v - mean) * (v - mean);
        sq += v * v;
      }
      const double inv = 1.0 / std::sqrt(var / inner + 1e-5), invRms = 1.0 / std::sqrt(sq / inner + 1e-6);
      for (int64_t i = 0; i < inner; ++i) {
        const double v = static_cast<float>(hx[o * inner + i]);
        const double g = static_cast<float>(hs[i]), b = static_cast<float>(hb[i]);
        wantLn[o * inner + i] = (v - mean) * inv * g + b;
        wantRms[o * inner + i] = v * invRms * g;
      }
    }
    double e = peakError(ln, wantLn);
    check(e < 1.5e-3, inner == 37 ? "layerNormF16, rows of 37, mean 4" : "layerNormF16, rows of 520, mean 4", e);
    e = peakError(rms, wantRms);
    check(e < 1.5e-3, inner == 37 ? "rmsNormF16, rows of 37" : "rmsNormF16, rows of 520", e);
  }
}

// Group norm on f16 storage: NHWC with 24 channels (the 8-lane path) and 12 (the per-element one), NCHW with 24,
// each with 2 instances of 9 x 11 pixels and inputs of mean 3, per-channel scale and bias; then the NHWC case
// with a SiLU epilogue program on f16 registers (mote.fused "norm_elementwise"). Against double on the same
// halves within 2e-3 of the peak (f16 output rounding); a wrong group, channel or scale is O(1).
void testGroupNormF16() {
  struct Case {
    const char *name;
    int64_t C, groups;
    bool channelsLast, silu;
  };
  const Case cases[] = {{"groupNormF16 NHWC, 24 channels in 6 groups", 24, 6, true, false},
                        {"groupNormF16 NHWC, 12 channels in 3 groups (per element)", 12, 3, true, false},
                        {"groupNormF16 NCHW, 24 channels in 6 groups", 24, 6, false, false},
                        {"groupNormF16 NHWC, 24 channels, SiLU epilogue on f16 registers", 24, 6, true, true}};
  for (const Case &c : cases) {
    const int64_t N = 2, C = c.C, spatial = 99, cpg = C / c.groups, total = N * C * spatial;
    unsigned s = 43;
    std::vector<float> x(total), sc(C), bi(C);
    for (float &v : x) v = 3.0f + 2.0f * frand(s);
    for (float &v : sc) v = 1.5f * frand(s);
    for (float &v : bi) v = frand(s);
    std::vector<__fp16> hx = halves(x), hs = halves(sc), hb = halves(bi), out(total);
    const int64_t period = total, rowStride = 0;
    const FusedInstr silu = {0, static_cast<int>(Unary::Silu), 1, 0, 0, 0.0f, 0.0f};
    const int outReg = 1;
    const FusedProgram program = {1, &period, 2, 1, &silu, 1, &outReg, &rowStride};
    const __fp16 *epIn[] = {out.data()};
    __fp16 *epOut[] = {out.data()};
    const FusedEpilogueF16 ep = {&program, epIn, epOut};
    groupNormF16(N, C, spatial, c.groups, 1e-5f, c.channelsLast, hx.data(), hs.data(), hb.data(), out.data(),
                 c.silu ? &ep : nullptr);
    std::vector<double> want(total);
    auto at = [&](int64_t n, int64_t ch, int64_t p) {
      return n * C * spatial + (c.channelsLast ? p * C + ch : ch * spatial + p);
    };
    for (int64_t n = 0; n < N; ++n)
      for (int64_t g = 0; g < c.groups; ++g) {
        double sum = 0, sq = 0;
        for (int64_t ch = g * cpg; ch < (g + 1) * cpg; ++ch)
          for (int64_t p = 0; p < spatial; ++p)
            sum += static_cast<float>(hx[at(n, ch, p)]);
        const double mean = sum / (cpg * spatial);
        for (int64_t ch = g * cpg; ch < (g + 1) * cpg; ++ch)
          for (int64_t p = 0; p < spatial; ++p) {
            const double d = static_cast<float>(hx[at(n, ch, p)]) - mean;
            sq += d * d;
          }
        const double inv = 1.0 / std::sqrt(sq / (cpg * spatial) + 1e-5);
        for (int64_t ch = g * cpg; ch < (g + 1) * cpg; ++ch)
          for (int64_t p = 0; p < spatial; ++p) {
            const double y = (static_cast<float>(hx[at(n, ch, p)]) - mean) * inv * static_cast<float>(hs[ch]) +
                             static_cast<float>(hb[ch]);
            want[at(n, ch, p)] = c.silu ? y / (1.0 + std::exp(-y)) : y;
          }
      }
    const double e = peakError(out, want);
    check(e < 2e-3, c.name, e);
  }
}

// Rotary embedding on f16 storage: D 32 (8 lanes) and D 22 (4 lanes and single elements), x read through a head
// transpose ([S, H, D] buffer as [H, S, D]), cos/sin broadcast over heads, against double on the same
// halves: two products and a difference, within 2e-3 of the peak; swapped halves or a sign error are O(1).
void testRotaryF16() {
  for (const int64_t D : {32, 22}) {
    const int64_t H = 3, S = 7, h = D / 2;
    unsigned s = 37;
    std::vector<float> x(S * H * D), c(S * D), sn(S * D);
    for (float &v : x) v = 2 * frand(s);
    for (float &v : c) v = frand(s);
    for (float &v : sn) v = frand(s);
    std::vector<__fp16> hx = halves(x), hc = halves(c), hs = halves(sn), out(H * S * D);
    // Rows over (A0, A1, A2) = (1, H, S): x at [S, H, D] strides, cos/sin [S, D] broadcast over heads, out dense.
    const int64_t strides[12] = {0, D, H * D, 0, 0, D, 0, 0, D, 0, S * D, D};
    rotaryF16(1, H, S, D, hx.data(), hc.data(), hs.data(), out.data(), strides);
    std::vector<double> want(out.size());
    for (int64_t hh = 0; hh < H; ++hh)
      for (int64_t i = 0; i < S; ++i)
        for (int64_t d = 0; d < h; ++d) {
          const double lo = static_cast<float>(hx[(i * H + hh) * D + d]), hi = static_cast<float>(hx[(i * H + hh) * D + h + d]);
          want[(hh * S + i) * D + d] = lo * static_cast<float>(hc[i * D + d]) - hi * static_cast<float>(hs[i * D + d]);
          want[(hh * S + i) * D + h + d] =
              hi * static_cast<float>(hc[i * D + h + d]) + lo * static_cast<float>(hs[i * D + h + d]);
        }
    const double e = peakError(out, want);
    check(e < 2e-3, D == 32 ? "rotaryF16 D 32, x through a head transpose" : "rotaryF16 D 22 (4 lanes and a tail)", e);
  }
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

/// Winograd F(2x2, 3x3) on f16 storage (conv3x3WinogradF16) against double on the same halves: 2 images of 7x9
/// (odd: partial tiles on two sides), 32 -> 24 channels with bias, a residual and SiLU; 4x4, 64 -> 16 channels,
/// bias only, its residual the output itself. Within 5e-3 of the peak (f16 sums over Cin, f16 transforms and
/// epilogue); the direct f16 kernel on the same data is reported beside it (its error is the reference point).
void testWinogradF16() {
  struct Case {
    const char *name;
    int N, H, W, Cin, Cout;
    bool residual, inPlace, silu;
  };
  const Case cases[] = {{"conv3x3WinogradF16 2x 7x9, 32 -> 24, bias, residual, SiLU", 2, 7, 9, 32, 24, true, false, true},
                        {"conv3x3WinogradF16 4x4, 64 -> 16, residual in place", 1, 4, 4, 64, 16, true, true, false}};
  for (const Case &c : cases) {
    const int N = c.N, H = c.H, W = c.W, Cin = c.Cin, Cout = c.Cout;
    unsigned s = 9 + Cin;
    std::vector<float> x(N * H * W * Cin), w(Cout * Cin * 9), b(Cout), r(N * H * W * Cout);
    for (float &v : x) v = frand(s);
    for (float &v : w) v = frand(s) / 4;
    for (float &v : b) v = frand(s);
    for (float &v : r) v = frand(s);
    std::vector<__fp16> hx = halves(x), hb = halves(b), hr = halves(r), out(N * H * W * Cout), direct(out.size());
    if (c.inPlace)
      out = hr;
    std::vector<unsigned char> packed(static_cast<size_t>(packedBytes(PackedLayout::WinogradF23F16, Cin, Cout)));
    std::vector<unsigned char> packedDirect(static_cast<size_t>(packedBytes(PackedLayout::Conv3x3F16, Cin, Cout)));
    bool ok = packWeights(PackedLayout::WinogradF23F16, Cin, Cout, w.data(), packed.data(),
                          static_cast<int64_t>(packed.size())) &&
              packWeights(PackedLayout::Conv3x3F16, Cin, Cout, w.data(), packedDirect.data(),
                          static_cast<int64_t>(packedDirect.size()));
    Conv2DParams p{N, Cin, H, W, Cout, H, W, 3, 3, 1, 1, 1, 1, 1, 1, 1};
    EpilogueF16 ep;
    ep.residual = c.residual ? (c.inPlace ? out.data() : hr.data()) : nullptr;
    ep.act = c.silu ? Activation::Silu : Activation::None;
    conv3x3WinogradF16(p, hx.data(), packed.data(), hb.data(), out.data(), &ep);
    EpilogueF16 epDirect = ep;
    epDirect.residual = c.residual ? hr.data() : nullptr;
    conv3x3PackedF16(p, hx.data(), packedDirect.data(), hb.data(), direct.data(), &epDirect);
    std::vector<double> want(out.size());
    for (int n = 0; n < N; ++n)
      for (int y = 0; y < H; ++y)
        for (int xx = 0; xx < W; ++xx)
          for (int co = 0; co < Cout; ++co) {
            double acc = static_cast<double>(hb[co]);
            for (int ky = 0; ky < 3; ++ky)
              for (int kx = 0; kx < 3; ++kx) {
                const int sy = y + ky - 1, sx = xx + kx - 1;
                if (sy < 0 || sy >= H || sx < 0 || sx >= W)
                  continue;
                for (int ci = 0; ci < Cin; ++ci)
                  acc += static_cast<double>(hx[((n * H + sy) * W + sx) * Cin + ci]) *
                         static_cast<double>(static_cast<__fp16>(w[((co * Cin + ci) * 3 + ky) * 3 + kx]));
              }
            const size_t at = ((static_cast<size_t>(n) * H + y) * W + xx) * Cout + co;
            if (c.residual)
              acc += static_cast<double>(hr[at]);
            want[at] = c.silu ? acc / (1.0 + std::exp(-acc)) : acc;
          }
    const double e = peakError(out, want), eDirect = peakError(direct, want);
    check(ok && e < 5e-3, c.name, e);
    std::printf("     (the direct f16 kernel on the same data: err=%.3e)\n", eDirect);
  }
}

/// convBands (ConvBands.cpp) against a double-precision convolution of the staged input: a group norm prologue
/// (stats given, scale, bias, SiLU or not) or a nearest upsampling by (uh, uw), the region's kernel on bands of
/// output rows (several bands: rows of 1280+ floats against the 64K-float band), a residual and an activation,
/// and the group statistics of the output. Each case names its kernel, geometry and what it stages.
struct BandCase {
  const char *name;
  ConvKernel kernel;
  int64_t N, C, H, W, M, KH, stride, pad, dilation; // H, W: the convolution's (upsampled) input
  int64_t uh, uw;                                  // upsampling factors (1, 1: none)
  int64_t groupsIn, groupsOut;                     // 0: no normalization prologue / no statistics
  bool silu, residual;
  double tolerance; // peak-relative (f32 sums of up to 288 products: ~1e-6; Winograd ~1e-5)
};

void testConvBands() {
  const BandCase cases[] = {
      {"convBands Winograd 100x40, 32->32, norm+SiLU, residual, stats", ConvKernel::Winograd3x3, 2, 32, 100, 40, 32, 3,
       1, 1, 1, 1, 1, 8, 8, true, true, 5e-5},
      {"convBands taps 101x40 stride 2, norm, stats of 24 channels", ConvKernel::Taps, 1, 32, 101, 40, 24, 3, 2, 1, 1,
       1, 1, 4, 6, false, false, 5e-6},
      {"convBands taps 60x40 dilation 2, norm+SiLU, stats of 20 channels", ConvKernel::Taps, 1, 32, 60, 40, 20, 3, 1,
       2, 2, 1, 1, 8, 5, true, true, 5e-6},
      {"convBands pointwise 60x42 upsampled (2, 3), stats", ConvKernel::Pointwise, 2, 32, 60, 42, 16, 1, 1, 0, 1, 2, 3,
       0, 4, false, false, 5e-6},
      {"convBands direct 3x3 80x80 upsampled 2x, residual", ConvKernel::Direct3x3, 1, 16, 80, 80, 8, 3, 1, 1, 1, 2, 2,
       0, 0, false, true, 5e-6},
      {"convBands taps 1x1 pad 6 (padding-only bands), norm", ConvKernel::Taps, 1, 32, 10, 512, 8, 1, 1, 6, 1, 1, 1, 4,
       2, false, false, 5e-6},
  };
  for (const BandCase &t : cases) {
    const int64_t SH = t.H / t.uh, SW = t.W / t.uw; // the source image
    const int64_t OH = (t.H + 2 * t.pad - (t.KH - 1) * t.dilation - 1) / t.stride + 1;
    const int64_t OW = (t.W + 2 * t.pad - (t.KH - 1) * t.dilation - 1) / t.stride + 1;
    unsigned s = static_cast<unsigned>(t.C * 31 + t.H);
    std::vector<float> x(t.N * SH * SW * t.C), w(t.M * t.C * t.KH * t.KH), b(t.M), gamma(t.C), beta(t.C),
        stats(t.N * (t.groupsIn ? t.groupsIn : 1) * 2), res(t.N * OH * OW * t.M), out(res.size()),
        outStats(t.N * (t.groupsOut ? t.groupsOut : 1) * 2);
    for (float &v : x) v = 2 * frand(s) + 0.5f;
    for (float &v : w) v = frand(s) / 8;
    for (float &v : b) v = frand(s);
    for (float &v : gamma) v = 1 + frand(s) / 2;
    for (float &v : beta) v = frand(s) / 2;
    for (float &v : res) v = frand(s);
    for (size_t i = 0; i < stats.size(); i += 2) {
      stats[i] = 0.5f + frand(s) / 4;
      stats[i + 1] = 0.6f + frand(s) / 4;
    }
    // The staged input, in double: upsampled, normalized, SiLU'd.
    auto staged = [&](int64_t n, int64_t y, int64_t xx, int64_t c) {
      double v = x[((n * SH + y / t.uh) * SW + xx / t.uw) * t.C + c];
      if (t.groupsIn) {
        const float *st = &stats[(n * t.groupsIn + c / (t.C / t.groupsIn)) * 2];
        v = (v - st[0]) * st[1] * gamma[c] + beta[c];
        if (t.silu)
          v = v / (1 + std::exp(-v));
      }
      return v;
    };
    std::vector<double> want(out.size());
    for (int64_t n = 0; n < t.N; ++n)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox)
          for (int64_t m = 0; m < t.M; ++m) {
            double acc = b[m];
            for (int64_t ky = 0; ky < t.KH; ++ky)
              for (int64_t kx = 0; kx < t.KH; ++kx) {
                const int64_t y = oy * t.stride - t.pad + ky * t.dilation, xx = ox * t.stride - t.pad + kx * t.dilation;
                if (y < 0 || y >= t.H || xx < 0 || xx >= t.W)
                  continue;
                for (int64_t c = 0; c < t.C; ++c)
                  acc += staged(n, y, xx, c) * w[((m * t.C + c) * t.KH + ky) * t.KH + kx];
              }
            const size_t at = ((n * OH + oy) * OW + ox) * t.M + m;
            if (t.residual)
              acc += res[at];
            want[at] = acc > 0 ? acc : 0; // ReLU
          }
    const int64_t taps = t.KH * t.KH;
    const PackedLayout layout = t.kernel == ConvKernel::Winograd3x3 ? PackedLayout::WinogradF43
                                : t.kernel == ConvKernel::Pointwise ? PackedLayout::Conv1x1
                                : t.kernel == ConvKernel::Direct3x3 ? PackedLayout::Conv3x3
                                                                    : PackedLayout::ConvTaps;
    std::vector<float> packed(static_cast<size_t>(packedBytes(layout, t.C, t.M, taps)) / sizeof(float) + 1);
    packConv2dWeights(t.kernel, t.C, t.M, w.data(), packed.data(), taps);
    Conv2DParams p{t.N, t.C, t.H, t.W, t.M, OH, OW, t.KH, t.KH, t.stride, t.stride, t.pad, t.pad,
                   t.dilation, t.dilation, 1};
    const int64_t is[4] = {SH * SW * t.C, 1, SW * t.C, t.C}, os[4] = {OH * OW * t.M, 1, OW * t.M, t.M};
    Epilogue ep;
    ep.residual = t.residual ? res.data() : nullptr;
    ep.act = Activation::Relu;
    GroupNormPrologue norm;
    norm.stats = stats.data();
    norm.scale = gamma.data();
    norm.bias = beta.data();
    norm.groups = t.groupsIn;
    norm.silu = t.silu;
    ConvBandPrologue prologue;
    prologue.norm = t.groupsIn ? &norm : nullptr;
    prologue.upsampleH = t.uh;
    prologue.upsampleW = t.uw;
    GroupNormStatsEpilogue st;
    st.stats = outStats.data();
    st.groups = t.groupsOut;
    st.eps = 1e-5f;
    int calls = 0;
    convBands(p, x.data(), is, out.data(), os, &ep, prologue, t.groupsOut ? &st : nullptr,
              [&](const Conv2DParams &bp, const float *bin, const int64_t *bis, float *bout, const int64_t *bos,
                  const Epilogue *bep) {
                ++calls;
                conv2dPacked(t.kernel, bp, bin, bis, packed.data(), b.data(), bout, bos, bep);
              });
    double e = peakError(out, want);
    // The output's statistics against the double ones of the double output (the kernel sums its own output).
    double se = 0;
    if (t.groupsOut)
      for (int64_t n = 0; n < t.N; ++n)
        for (int64_t g = 0; g < t.groupsOut; ++g) {
          const int64_t cpg = t.M / t.groupsOut;
          double sum = 0, sq = 0;
          for (int64_t px = 0; px < OH * OW; ++px)
            for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c) {
              const double v = want[(n * OH * OW + px) * t.M + c];
              sum += v;
              sq += v * v;
            }
          const double count = static_cast<double>(cpg * OH * OW), mean = sum / count;
          const double inv = 1 / std::sqrt(sq / count - mean * mean + 1e-5);
          const float *got = &outStats[(n * t.groupsOut + g) * 2];
          se = std::max({se, std::fabs(got[0] - mean) / (std::fabs(mean) + 1), std::fabs(got[1] - inv) / inv});
        }
    char what[160];
    std::snprintf(what, sizeof what, "%s (%d calls)", t.name, calls);
    check(calls > t.N && e < t.tolerance && se < 10 * t.tolerance, what, std::max(e, se));
  }
}

/// The products a[M, K] x deq[K, N] + bias (then ReLU when `relu`) in double against `out`: the error and peak
/// the w8 and w4 cases compare (the weights dequantized exactly as the reference target's mote.dequantize).
void linearError(const std::vector<float> &a, const std::vector<float> &deq, const std::vector<float> &bias,
                 const std::vector<float> &out, int64_t M, int64_t N, int64_t K, bool relu, double &err, double &peak) {
  err = 0;
  peak = 0;
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      double acc = bias[n];
      for (int64_t k = 0; k < K; ++k)
        acc += static_cast<double>(a[m * K + k]) * deq[k * N + n];
      if (relu)
        acc = acc > 0 ? acc : 0;
      err = std::fmax(err, std::fabs(out[m * N + n] - acc));
      peak = std::fmax(peak, std::fabs(acc));
    }
}

// w8: int8 weights with per-column / per-Cout scales, widened in the kernel. The reference is the f32 kernel's
// arithmetic on the dequantized weights (q * scale in f32, as the reference target's mote.dequantize), summed
// in double: f32 accumulation error only, rtol 1e-5 of the peak; a wrong scale, column or tap is O(1).
void testW8() {
  // Matmul: one row (the single-row path), 16 rows and a K over the 512 reduction block; N off the panels.
  const int64_t shapes[][3] = {{1, 37, 29}, {16, 45, 64}, {19, 600, 13}};
  for (const auto &sh : shapes) {
    const int64_t M = sh[0], K = sh[1], N = sh[2];
    unsigned s = 5 + static_cast<unsigned>(K);
    std::vector<float> a(M * K), scales(N), bias(N), deq(K * N);
    std::vector<int8_t> q(K * N);
    for (float &v : a) v = frand(s);
    for (float &v : scales) v = (1.5f + frand(s)) / 127.0f;
    for (float &v : bias) v = frand(s);
    for (int64_t i = 0; i < K * N; ++i) {
      q[i] = static_cast<int8_t>(static_cast<int>(frand(s) * 127.0f));
      deq[i] = static_cast<float>(q[i]) * scales[i % N];
    }
    std::vector<unsigned char> packed(static_cast<size_t>(packedBytes(PackedLayout::GemmBW8, K, N)));
    bool ok = packWeightsW8(PackedLayout::GemmBW8, K, N, q.data(), scales.data(), packed.data(),
                            static_cast<int64_t>(packed.size())) &&
              !packWeightsW8(PackedLayout::GemmBW8, K, N, q.data(), scales.data(), packed.data(),
                             static_cast<int64_t>(packed.size()) - 1); // a wrong size is refused
    std::vector<float> out(M * N);
    Epilogue ep;
    ep.bias = bias.data();
    ep.act = Activation::Relu;
    matmulPackedW8(0, nullptr, a.data(), nullptr, packed.data(), M, N, K, out.data(), &ep);
    double err, peak;
    linearError(a, deq, bias, out, M, N, K, true, err, peak);
    char what[96];
    std::snprintf(what, sizeof what, "matmulPackedW8 M=%lld K=%lld N=%lld bias+relu", (long long)M, (long long)K,
                  (long long)N);
    check(ok && err <= 1e-5 * peak, what, err / peak);
  }
  // Convolutions: 3x3 stride 2 with padding, and 1x1 (taps = 1).
  for (int kernel : {3, 1}) {
    const int64_t H = 7, W = 6, Cin = 13, Cout = 27, stride = kernel == 3 ? 2 : 1, pad = kernel / 2;
    const int64_t OH = (H + 2 * pad - kernel) / stride + 1, OW = (W + 2 * pad - kernel) / stride + 1, taps = kernel * kernel;
    unsigned s = 77 + static_cast<unsigned>(kernel);
    std::vector<float> x(H * W * Cin), scales(Cout), bias(Cout), deq(Cout * Cin * taps);
    std::vector<int8_t> q(Cout * Cin * taps);
    for (float &v : x) v = frand(s);
    for (float &v : scales) v = (1.5f + frand(s)) / 127.0f;
    for (float &v : bias) v = frand(s);
    for (size_t i = 0; i < q.size(); ++i) {
      q[i] = static_cast<int8_t>(static_cast<int>(frand(s) * 127.0f));
      deq[i] = static_cast<float>(q[i]) * scales[i / (Cin * taps)];
    }
    std::vector<unsigned char> packed(static_cast<size_t>(packedBytes(PackedLayout::ConvTapsW8, Cin, Cout, taps)));
    bool ok = packWeightsW8(PackedLayout::ConvTapsW8, Cin, Cout, q.data(), scales.data(), packed.data(),
                            static_cast<int64_t>(packed.size()), taps);
    Conv2DParams p{1, Cin, H, W, Cout, OH, OW, kernel, kernel, stride, stride, pad, pad, 1, 1, 1};
    const int64_t is[4] = {H * W * Cin, 1, W * Cin, Cin}, os[4] = {OH * OW * Cout, 1, OW * Cout, Cout};
    std::vector<float> out(OH * OW * Cout);
    conv2dPackedW8(p, x.data(), is, packed.data(), bias.data(), out.data(), os);
    double err = 0, peak = 0;
    for (int64_t y = 0; y < OH; ++y)
      for (int64_t xx = 0; xx < OW; ++xx)
        for (int64_t co = 0; co < Cout; ++co) {
          double acc = bias[co];
          for (int64_t ky = 0; ky < kernel; ++ky)
            for (int64_t kx = 0; kx < kernel; ++kx) {
              const int64_t sy = y * stride + ky - pad, sx = xx * stride + kx - pad;
              if (sy < 0 || sy >= H || sx < 0 || sx >= W)
                continue;
              for (int64_t ci = 0; ci < Cin; ++ci)
                acc += static_cast<double>(x[(sy * W + sx) * Cin + ci]) * deq[(co * Cin + ci) * taps + ky * kernel + kx];
            }
          err = std::fmax(err, std::fabs(out[(y * OW + xx) * Cout + co] - acc));
          peak = std::fmax(peak, std::fabs(acc));
        }
    check(ok && err <= 1e-5 * peak, kernel == 3 ? "conv2dPackedW8 3x3 stride 2, 13 -> 27 channels"
                                                : "conv2dPackedW8 1x1, 13 -> 27 channels", err / peak);
  }
}

// An int4 weight q [K, N] with f16 scales [groups, N] as the weights file holds it: values two a byte (the even
// element low) in [K, N] or [N, K] (`fromNK`) order, scales [groups, N] or [N, groups].
struct Int4Source {
  std::vector<uint8_t> nibbles;
  std::vector<__fp16> scales;
};
Int4Source int4Source(const std::vector<int> &q, const std::vector<__fp16> &scales, int64_t K, int64_t N, int64_t G,
                      bool fromNK) {
  const int64_t groups = (K + G - 1) / G;
  Int4Source src{std::vector<uint8_t>((K * N + 1) / 2, 0), std::vector<__fp16>(groups * N)};
  for (int64_t k = 0; k < K; ++k)
    for (int64_t n = 0; n < N; ++n) {
      const int64_t e = fromNK ? n * K + k : k * N + n;
      src.nibbles[e / 2] |= static_cast<uint8_t>((q[k * N + n] & 15) << (e % 2 ? 4 : 0));
      src.scales[fromNK ? n * groups + k / G : (k / G) * N + n] = scales[(k / G) * N + n];
    }
  return src;
}

// w4: int4 weights in both source orientations with f16 scales per 32 (or 16) rows of K, and a w4 embedding
// table; the reference is the dequantized weight (exact: int4 times an f16 scale) summed in double.
void testW4() {
  const int64_t shapes[][4] = {{1, 40, 29, 32}, {16, 64, 50, 32}, {9, 600, 13, 16}}; // M, K, N, group
  for (const auto &sh : shapes) {
    const int64_t M = sh[0], K = sh[1], N = sh[2], G = sh[3], groups = (K + G - 1) / G;
    for (bool fromNK : {false, true}) {
      unsigned s = 9 + static_cast<unsigned>(K + fromNK);
      std::vector<float> a(M * K), bias(N), deq(K * N);
      std::vector<int> q(K * N);
      std::vector<__fp16> scales(groups * N);
      for (float &v : a) v = frand(s);
      for (float &v : bias) v = frand(s);
      for (auto &v : scales) v = static_cast<__fp16>((1.5f + frand(s)) / 7.0f);
      for (int &v : q) v = static_cast<int>(frand(s) * 7.99f); // [-7, 7]
      const Int4Source src = int4Source(q, scales, K, N, G, fromNK);
      const std::vector<uint8_t> &nibbles = src.nibbles;
      const std::vector<__fp16> &source = src.scales;
      for (int64_t k = 0; k < K; ++k)
        for (int64_t n = 0; n < N; ++n)
          deq[k * N + n] = static_cast<float>(q[k * N + n]) * static_cast<float>(scales[(k / G) * N + n]);
      const PackedLayout layout = fromNK ? PackedLayout::GemmBW4FromNK : PackedLayout::GemmBW4;
      std::vector<unsigned char> packed(static_cast<size_t>(packedBytes(layout, K, N, 1, G)));
      bool ok = packWeightsW4(layout, K, N, G, nibbles.data(), source.data(), packed.data(),
                              static_cast<int64_t>(packed.size())) &&
                !packWeightsW4(layout, K, N, G / 2, nibbles.data(), source.data(), packed.data(),
                               static_cast<int64_t>(packed.size())); // the size of another group is refused
      std::vector<float> out(M * N);
      Epilogue ep;
      ep.bias = bias.data();
      matmulPackedW4(0, nullptr, a.data(), nullptr, packed.data(), M, N, K, G, out.data(), &ep);
      double err, peak;
      linearError(a, deq, bias, out, M, N, K, false, err, peak);
      char what[96];
      std::snprintf(what, sizeof what, "matmulPackedW4 M=%lld K=%lld N=%lld group %lld%s", (long long)M,
                    (long long)K, (long long)N, (long long)G, fromNK ? " from [N, K]" : "");
      check(ok && err <= 1e-5 * peak, what, err / peak);
    }
  }
  // Embedding: 7 rows of 40 (groups of 32: a partial last group), indices with a negative one.
  const int64_t rows = 7, D = 40, G = 32, groups = 2;
  unsigned s = 31;
  std::vector<uint8_t> nibbles((rows * D + 1) / 2, 0);
  std::vector<__fp16> scales(rows * groups);
  std::vector<int> q(rows * D);
  for (auto &v : scales) v = static_cast<__fp16>((1.5f + frand(s)) / 7.0f);
  for (int64_t e = 0; e < rows * D; ++e) {
    q[e] = static_cast<int>(frand(s) * 7.99f);
    nibbles[e / 2] |= static_cast<uint8_t>((q[e] & 15) << (e % 2 ? 4 : 0));
  }
  const int64_t ids[3] = {3, -1, 0};
  std::vector<float> out(3 * D);
  bool ok = gatherW4(rows, D, G, nibbles.data(), scales.data(), DType::I64, ids, 3, out.data());
  double err = 0;
  for (int i = 0; i < 3; ++i) {
    const int64_t r = ids[i] < 0 ? ids[i] + rows : ids[i];
    for (int64_t d = 0; d < D; ++d)
      err = std::fmax(err, std::fabs(out[i * D + d] - static_cast<float>(q[r * D + d]) *
                                                          static_cast<float>(scales[r * groups + d / G])));
  }
  check(ok && err == 0.0, "gatherW4 7x40 table, group 32, a negative index: exact", err);
}

void testAttention() {
  // Grouped-query attention, 4 query heads over 2 key/value heads, 37 keys (not a multiple of 4 or 32), a
  // causal-style mask broadcast over batch and heads; 5 query rows (the f16 row kernel) and 12 (the f32
  // GEMM tiles on widened copies).
  for (const int64_t Sq : {5, 12}) {
    const int64_t B = 1, H = 4, Hkv = 2, Sk = 37, D = 16, Dv = 24;
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
    std::vector<double> want = referenceAttention(B, H, Hkv, Sq, Sk, D, Dv, scale, wide(hq), wide(hk), wide(hv),
                                                  wide(hm).data(), ms, nullptr);
    double e = peakError(out, want);
    check(e < 5e-3, Sq < 8 ? "attentionF16 rows: GQA 4/2 heads, 37 keys, masked"
                            : "attentionF16 tiled (f16 GEMMs): GQA 4/2 heads, 37 keys, masked", e);
  }
  // The f16 tiles with a causal -inf mask (row i sees keys 0..i; row 0 a single key) over 21 keys (a partial
  // vector of 5), sharp scores (|s| up to ~40: most exps underflow), D 8, and the same without a mask at
  // scale -0.5 (the scaled, not the raw, maximum); within 5e-3 of the peak.
  for (const bool masked : {true, false}) {
    const int64_t B = 1, H = 2, Sq = 21, Sk = 21, D = 8;
    const float scale = masked ? 0.7f : -0.5f;
    unsigned s = 41;
    std::vector<float> q(B * H * Sq * D), k(B * H * Sk * D), v(B * H * Sk * D), m(Sq * Sk);
    for (float &x : q) x = 3 * frand(s);
    for (float &x : k) x = 3 * frand(s);
    for (float &x : v) x = frand(s);
    for (int64_t i = 0; i < Sq; ++i)
      for (int64_t j = 0; j < Sk; ++j)
        m[i * Sk + j] = j > i ? -INFINITY : 0.0f;
    std::vector<__fp16> hq = halves(q), hk = halves(k), hv = halves(v), hm = halves(m), out(B * H * Sq * D);
    for (size_t i = 0; i < m.size(); ++i) // halves() saturates; the mask keeps its infinities
      if (std::isinf(m[i]))
        hm[i] = static_cast<__fp16>(m[i]);
    const int64_t ms[4] = {0, 0, Sk, 1};
    attentionF16(B, H, H, Sq, Sk, D, D, scale, hq.data(), hk.data(), hv.data(), masked ? hm.data() : nullptr,
                 masked ? ms : nullptr, out.data());
    std::vector<double> want = referenceAttention(B, H, H, Sq, Sk, D, D, scale, wide(hq), wide(hk), wide(hv),
                                                  masked ? wide(hm).data() : nullptr, masked ? ms : nullptr, nullptr);
    double e = peakError(out, want);
    check(e < 5e-3, masked ? "attentionF16 tiled: causal -inf mask, 21 x 21 keys, D 8, sharp scores"
                           : "attentionF16 tiled: no mask, negative scale, 21 x 21 keys, D 8", e);
  }
  // The f16 tiles on [B, S, H, D] buffers (a merged QKV projection's row of 3 H D), 2 batches, 70 query
  // rows (two tiles, the second partial) over 300 keys, D 40, Dv 40, no mask: f16 scores (|s| up to ~8)
  // and f16 sums of 300 probabilities, within 5e-3 of the peak; a wrong scale or head stride is O(1).
  {
    const int64_t B = 2, H = 3, S = 300, Sq = 70, D = 40, row = 3 * H * D;
    const float scale = 1.0f / std::sqrt(40.0f);
    unsigned s = 23;
    std::vector<float> qkv(B * S * row);
    for (float &x : qkv) x = 1.5f * frand(s);
    std::vector<__fp16> h = halves(qkv), out(B * Sq * H * D);
    // q: the first Sq rows of each batch; k, v: all S rows; out [B, Sq, H, D].
    const int64_t layout[12] = {S * row, D, row, S * row, D, row, S * row, D, row, Sq * H * D, D, H * D};
    attentionF16(B, H, H, Sq, S, D, D, scale, h.data(), h.data() + H * D, h.data() + 2 * H * D, nullptr, nullptr,
                 out.data(), layout);
    const std::vector<double> all = wide(h);
    const std::vector<double> kd(all.begin() + H * D, all.end()), vd(all.begin() + 2 * H * D, all.end());
    const int64_t refLayout[12] = {S * row, D, row, S * row, D, row, S * row, D, row, H * Sq * D, Sq * D, D};
    const std::vector<double> want = referenceAttention(B, H, H, Sq, S, D, D, scale, all, kd, vd, nullptr, nullptr,
                                                        refLayout);
    std::vector<__fp16> dense(out.size()); // out [B, Sq, H, D] in want's [B, H, Sq, D] order
    for (int64_t b = 0; b < B; ++b)
      for (int64_t i = 0; i < Sq; ++i)
        for (int64_t hh = 0; hh < H; ++hh)
          for (int64_t d = 0; d < D; ++d)
            dense[((b * H + hh) * Sq + i) * D + d] = out[((b * Sq + i) * H + hh) * D + d];
    const double e = peakError(dense, want);
    check(e < 5e-3, "attentionF16 tiled: [B,S,H,D] QKV rows, 2 x 3 heads, 70 x 300 keys, D 40", e);
  }
}

void testAttentionF32() {
  // f32 in double-precision references: 2e-6 of the peak is ~16 ulps, far below a wrong scale, mask or head.
  struct Case {
    const char *name;
    int64_t B, H, Hkv, Sq, Sk, D, Dv;
    int maskKind;     // 0 none, 1 [Sq, Sk] causal with -inf, 2 [B, 1, 1, Sk] padding (row stride 0), 3 scalar
    bool projections; // q, k, v, out in the [B, S, H, D] layout of the projections (one buffer for k and v)
  };
  const Case cases[] = {
      {"attention tiled: GQA 4/2, 37 x 53 keys, D 20, Dv 12, causal -inf mask", 2, 4, 2, 37, 53, 20, 12, 1, false},
      {"attention tiled: [B,S,H,D] buffers, 64 x 600 keys, padding mask", 1, 3, 3, 64, 600, 8, 8, 2, true},
      {"attention tiled: 9 x 5 keys, D 3, Dv 7, scalar mask, no vector tail", 1, 2, 1, 9, 5, 3, 7, 3, false},
      {"attention rows: 3 queries x 41 keys, GQA 6/2, causal mask", 1, 6, 2, 3, 41, 16, 16, 1, false},
      {"attention tiled: no mask, 8 x 8, D 32", 1, 1, 1, 8, 8, 32, 32, 0, false},
  };
  for (const Case &c : cases) {
    const int64_t B = c.B, H = c.H, Hkv = c.Hkv, Sq = c.Sq, Sk = c.Sk, D = c.D, Dv = c.Dv;
    const float scale = 1.0f / std::sqrt(static_cast<float>(D));
    unsigned s = 5 + static_cast<unsigned>(Sq * Sk);
    // Dense buffers, or one [B, S, H, D] buffer per tensor (k and v interleaved in one [B, Sk, Hkv, D + Dv]).
    int64_t layout[12];
    size_t qn, kvn, on;
    if (c.projections) {
      const int64_t kvRow = Hkv * (D + Dv);
      const int64_t l[12] = {Sq * H * D, D, H * D, Sk * kvRow, D, kvRow, Sk * kvRow, Dv, kvRow, Sq * H * Dv, Dv, H * Dv};
      std::copy(l, l + 12, layout);
      qn = B * Sq * H * D, kvn = B * Sk * kvRow, on = B * Sq * H * Dv;
    } else {
      const int64_t l[12] = {H * Sq * D, Sq * D, D, Hkv * Sk * D, Sk * D, D, Hkv * Sk * Dv, Sk * Dv, Dv, H * Sq * Dv, Sq * Dv, Dv};
      std::copy(l, l + 12, layout);
      qn = B * H * Sq * D, kvn = B * Hkv * Sk * (D > Dv ? D : Dv), on = B * H * Sq * Dv;
    }
    std::vector<float> q(qn), k(kvn), v(kvn), out(on, 7.0f);
    for (float &x : q) x = 3 * frand(s);
    for (float &x : k) x = 3 * frand(s);
    for (float &x : v) x = frand(s);
    const float *kp = k.data(), *vp = c.projections ? k.data() + D : v.data();
    std::vector<double> kd = wide(k), vd = c.projections ? wide(k) : wide(v);
    if (c.projections) // the reference reads v through the same buffer, offset by D
      vd.erase(vd.begin(), vd.begin() + D), vd.resize(kvn);
    std::vector<float> m;
    int64_t ms[4] = {0, 0, 0, 0};
    if (c.maskKind == 1) {
      m.assign(static_cast<size_t>(Sq * Sk), 0.0f);
      for (int64_t i = 0; i < Sq; ++i)
        for (int64_t j = 0; j < Sk; ++j)
          m[i * Sk + j] = j > i + Sk - Sq ? -INFINITY : 0.0f;
      ms[2] = Sk, ms[3] = 1;
    } else if (c.maskKind == 2) {
      m.assign(static_cast<size_t>(B * Sk), 0.0f);
      for (int64_t j = Sk - 7; j < Sk; ++j)
        m[j] = -1e4f;
      ms[0] = Sk, ms[3] = 1;
    } else if (c.maskKind == 3) {
      m.assign(1, -0.75f);
    }
    std::vector<double> md = wide(m);
    attention(B, H, Hkv, Sq, Sk, D, Dv, scale, q.data(), kp, vp, c.maskKind ? m.data() : nullptr, ms, out.data(),
              layout);
    std::vector<double> want = referenceAttention(B, H, Hkv, Sq, Sk, D, Dv, scale, wide(q), kd, vd,
                                                  c.maskKind ? md.data() : nullptr, ms, layout);
    const double e = peakErrorF32(out, layout + 9, H, Sq, Dv, want);
    check(e < 2e-6, c.name, e);
  }
  // A row masked everywhere with -inf: NaN, as softmax over the decomposition gives.
  for (int64_t Sq : {2, 16}) {
    const int64_t Sk = 12, D = 4;
    std::vector<float> q(Sq * D, 0.5f), k(Sk * D, 0.25f), v(Sk * D, 1.0f), out(Sq * D), m(Sq * Sk, 0.0f);
    for (int64_t j = 0; j < Sk; ++j)
      m[j] = -INFINITY;
    const int64_t ms[4] = {0, 0, Sk, 1};
    attention(1, 1, 1, Sq, Sk, D, D, 0.5f, q.data(), k.data(), v.data(), m.data(), ms, out.data());
    bool ok = true;
    for (int64_t i = 0; i < Sq * D; ++i)
      ok = ok && (i < D ? std::isnan(out[i]) : std::fabs(out[i] - 1.0f) < 1e-6f);
    check(ok, Sq < 8 ? "attention rows: fully masked row is NaN, others exact"
                     : "attention tiled: fully masked row is NaN, others exact");
  }
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


// w4a8: matmulPackedW4A8 over a batch of 2 (rows split between threads), both source orientations, a bias and a
// residual, against GemmI8.h's arithmetic written out (row scale, int32 sums per group, fma): exact equality.
void testW4A8() {
  const int64_t shapes[][4] = {{1, 40, 29, 32}, {16, 64, 50, 32}, {9, 300, 13, 16}, {33, 96, 24, 64}}; // M K N G
  for (const auto &sh : shapes) {
    const int64_t M = sh[0], K = sh[1], N = sh[2], G = sh[3], groups = (K + G - 1) / G, B = 2;
    for (bool fromNK : {false, true}) {
      unsigned s = 17 + static_cast<unsigned>(K + fromNK);
      std::vector<float> a(B * M * K), bias(N), residual(B * M * N);
      std::vector<int> q(K * N);
      std::vector<__fp16> scales(groups * N);
      for (float &v : a) v = frand(s);
      for (float &v : bias) v = frand(s);
      for (float &v : residual) v = frand(s);
      for (auto &v : scales) v = static_cast<__fp16>((1.5f + frand(s)) / 7.0f);
      for (int &v : q) v = static_cast<int>(frand(s) * 7.99f);
      const Int4Source src = int4Source(q, scales, K, N, G, fromNK);
      const std::vector<uint8_t> &nibbles = src.nibbles;
      const std::vector<__fp16> &source = src.scales;
      const PackedLayout layout = fromNK ? PackedLayout::GemmBI4DotFromNK : PackedLayout::GemmBI4Dot;
      std::vector<unsigned char> packed(static_cast<size_t>(packedBytes(layout, K, N, 1, G)));
      const bool ok = packWeightsI4Dot(layout, K, N, G, nibbles.data(), source.data(), packed.data(),
                                       static_cast<int64_t>(packed.size()));
      std::vector<float> out(B * M * N);
      Epilogue ep;
      ep.bias = bias.data();
      ep.residual = residual.data();
      const int64_t batch[1] = {B}, aStrides[1] = {M * K};
      matmulPackedW4A8(1, batch, a.data(), aStrides, packed.data(), M, N, K, G, out.data(), &ep);
      int64_t bad = 0;
      for (int64_t r = 0; r < B * M; ++r) {
        const float *x = a.data() + r * K;
        float mx = 0.0f;
        for (int64_t k = 0; k < K; ++k)
          mx = std::fabs(x[k]) > mx ? std::fabs(x[k]) : mx;
        const float sa = mx / 127.0f;
        for (int64_t n = 0; n < N; ++n) {
          float t = 0.0f;
          for (int64_t g = 0; g < groups; ++g) {
            int32_t acc = 0;
            for (int64_t k = g * G; k < K && k < (g + 1) * G; ++k)
              acc += static_cast<int32_t>(std::nearbyint(x[k] / sa)) * q[k * N + n];
            t = std::fma(static_cast<float>(acc), static_cast<float>(scales[g * N + n]), t);
          }
          const float want = std::fma(t, sa, bias[n]) + residual[r * N + n];
          bad += !(out[r * N + n] == want);
        }
      }
      char what[112];
      std::snprintf(what, sizeof what, "matmulPackedW4A8 2x M=%lld K=%lld N=%lld group %lld%s (outputs differing)",
                    (long long)M, (long long)K, (long long)N, (long long)G, fromNK ? " from [N, K]" : "");
      check(ok && bad == 0, what, static_cast<double>(bad));
    }
  }
}

// reduceInt against a brute-force loop: int64 sums over axis 1 of [3, 5, 4] and int32 max/min/mean over axes 0
// and 2 (the mean truncated toward zero, negative values included), exact.
void testReduceInt() {
  const int64_t shape[3] = {3, 5, 4};
  std::vector<int64_t> a64(60);
  std::vector<int32_t> a32(60);
  for (int i = 0; i < 60; ++i) {
    a64[i] = (static_cast<int64_t>(i) * 7919 % 101 - 50) * (int64_t(1) << 33); // beyond int32
    a32[i] = static_cast<int32_t>(i * 37 % 23) - 11;
  }
  const int64_t sumStrides[3] = {4, 0, 1}; // out [3, 4]
  std::vector<int64_t> sum(12, -1);
  reduceInt(Reduce::Sum, DType::I64, 3, shape, a64.data(), sumStrides, sum.data(), 12, 5);
  bool ok = true;
  for (int o = 0; o < 3; ++o)
    for (int i = 0; i < 4; ++i) {
      int64_t want = 0;
      for (int m = 0; m < 5; ++m)
        want += a64[(o * 5 + m) * 4 + i];
      ok = ok && sum[o * 4 + i] == want;
    }
  check(ok, "reduceInt Sum int64 over axis 1 of [3, 5, 4] (values past int32): exact");
  const int64_t midStrides[3] = {0, 1, 0}; // out [5]
  for (Reduce op : {Reduce::Max, Reduce::Min, Reduce::Mean}) {
    std::vector<int32_t> out(5, 99);
    reduceInt(op, DType::I32, 3, shape, a32.data(), midStrides, out.data(), 5, 12);
    bool same = true;
    for (int m = 0; m < 5; ++m) {
      int64_t acc = op == Reduce::Max ? INT64_MIN : op == Reduce::Min ? INT64_MAX : 0;
      for (int o = 0; o < 3; ++o)
        for (int i = 0; i < 4; ++i) {
          int64_t v = a32[(o * 5 + m) * 4 + i];
          acc = op == Reduce::Max ? std::max(acc, v) : op == Reduce::Min ? std::min(acc, v) : acc + v;
        }
      same = same && out[m] == (op == Reduce::Mean ? acc / 12 : acc);
    }
    check(same, op == Reduce::Max   ? "reduceInt Max int32 over axes 0 and 2: exact"
                : op == Reduce::Min ? "reduceInt Min int32 over axes 0 and 2: exact"
                                    : "reduceInt Mean int32 over axes 0 and 2 (truncated toward zero): exact");
  }
}

/// f32ToF16 and f16ToF32 over every length 0..100 (the 32-, 8- and 1-element loops and their seams) against
/// the scalar conversion, saturating at +-65504 (infinities included); NaN stays NaN.
void testConversions() {
  unsigned seed = 11;
  bool ok = true;
  for (int n = 0; n <= 100; ++n) {
    std::vector<float> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
      v[i] = frand(seed) * (i % 7 == 3 ? 1e5f : 300.0f);
    if (n > 40) {
      v[37] = INFINITY;
      v[38] = -INFINITY;
      v[39] = NAN;
    }
    std::vector<__fp16> h(static_cast<size_t>(n));
    f32ToF16(n, v.data(), h.data());
    std::vector<float> back(static_cast<size_t>(n));
    f16ToF32(n, h.data(), back.data());
    for (int i = 0; i < n; ++i) {
      const float c = v[i] > 65504.0f ? 65504.0f : v[i] < -65504.0f ? -65504.0f : v[i];
      const float want = static_cast<float>(static_cast<__fp16>(c));
      if (!(back[i] == want || (std::isnan(want) && std::isnan(back[i]))))
        ok = false;
    }
  }
  check(ok, "f32ToF16 / f16ToF32 lengths 0..100, saturation, NaN");
}

/// packGemmF16BTransposed (8x8 blocks transposed in registers, the rest element by element) against packGemmF16B of
/// the explicit transpose: identical panels, for K and N with and without whole blocks of 8 and 24.
void testPackF16Transposed() {
  bool ok = true;
  unsigned s = 47;
  const int shapes[][2] = {{13, 50}, {40, 24}, {8, 8}, {3, 5}, {64, 77}, {17, 300}};
  for (const auto &kn : shapes) {
    const int K = kn[0], N = kn[1];
    const size_t ldbt = static_cast<size_t>(K) + 3; // rows of Bt padded: a key matrix's row stride
    std::vector<float> bt(N * ldbt);
    for (float &v : bt) v = frand(s);
    std::vector<__fp16> hbt = halves(bt), b(static_cast<size_t>(K) * N);
    for (int k = 0; k < K; ++k)
      for (int n = 0; n < N; ++n)
        b[static_cast<size_t>(k) * N + n] = hbt[n * ldbt + k];
    const size_t size = packedGemmF16BElements(K, N, F16Accumulation::F16);
    std::vector<__fp16> viaT(size, static_cast<__fp16>(7.0f)), direct(size, static_cast<__fp16>(9.0f));
    packGemmF16BTransposed(K, N, reinterpret_cast<const float16_t *>(hbt.data()), ldbt,
                           reinterpret_cast<float16_t *>(viaT.data()), F16Accumulation::F16);
    packGemmF16B(K, N, reinterpret_cast<const float16_t *>(b.data()), static_cast<size_t>(N),
                 reinterpret_cast<float16_t *>(direct.data()), F16Accumulation::F16);
    for (size_t i = 0; i < size; ++i)
      if (static_cast<float>(viaT[i]) != static_cast<float>(direct[i]))
        ok = false;
  }
  check(ok, "packGemmF16BTransposed == packGemmF16B of the transpose (6 shapes)");
}

int main() {
  testConversions();
  testPackF16Transposed();
  testReduceInt();
  testPacking();
  testBinary();
  testUnary();
  testUnaryF16Activations();
  testGemmF16Activations();
  testNormsF16();
  testGroupNormF16();
  testRotaryF16();
  testConv3x3();
  testWinogradF16();
  testConvBands();
  testAttention();
  testAttentionF32();
  testResizeNearest();
  testW8();
  testW4();
  testW4A8();
  std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "OK", failures);
  return failures ? 1 : 0;
}
