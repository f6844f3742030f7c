// Bit-exactness of the integer GEMM/GEMV kernels (runtime/neon/GemmI8.h: sdot, and smmla in GemmI8MM.cpp) against a brute-force scalar
// evaluation of the arithmetic GemmI8.h specifies: the per-row or per-tensor quantization of A (saturation, NaN
// and infinities in the per-tensor case), the int32 dot products, the fma-based scaling, bias, residual and
// activation. Sizes cross the 8x12 tile, the 4- and 8-column edge panels, K tails (K not a multiple of 4, 8 or
// 16) and the int4 scale groups; the int8 convolution (convI8) crosses its blocks of pixels, strides, padding,
// dilation and the pixel ranges threads take. Cross-compiled and run under
// qemu-aarch64 by scripts/bench_kernels.sh; prints one PASS/FAIL line per case and exits non-zero on any
// failure. Any differing bit is a failure: the reference target computes the same arithmetic and device
// output must equal it.
#include "runtime/neon/GemmI16.h"
#include "runtime/neon/GemmI8.h"
#include "runtime/neon/GemmMicrokernel.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace mote::neon;

namespace {

int failures = 0, cases = 0;

struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t bits() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  float next() { return (float)((double)(bits() >> 11) / (double)(1ull << 53) * 2.0 - 1.0); }
  int below(int n) { return (int)((bits() >> 20) % (uint64_t)n); }
};

// The row quantization, written from the specification (scalar, no NEON).
float refQuantizeRow(int K, const float *x, std::vector<int> &q) {
  float m = 0.0f;
  for (int k = 0; k < K; ++k)
    m = std::fabs(x[k]) > m ? std::fabs(x[k]) : m;
  const float s = m / 127.0f;
  q.assign(K, 0);
  if (s > 0.0f)
    for (int k = 0; k < K; ++k)
      q[k] = (int)std::nearbyint(x[k] / s);
  return s;
}

// The per-tensor quantization of one value to [-qmax, qmax], from the specification.
int refQuantizeValue(float x, float sa, int qmax = 127) {
  const float v = std::nearbyint(x / sa);
  if (v != v)
    return 0;
  return v > (float)qmax ? qmax : v < (float)-qmax ? -qmax : (int)v;
}

float activateVec(float v, const Epilogue &ep) {
  return vgetq_lane_f32(detail::activate(vdupq_n_f32(v), ep.act, ep.clampLo, ep.clampHi), 0);
}

// Counts the outputs that differ from the specification's and reports the case.
struct Mismatches {
  int bad = 0;
  double firstGot = 0, firstWant = 0;
  void check(float got, float want) {
    if (!(got == want)) {
      if (!bad) {
        firstGot = got;
        firstWant = want;
      }
      ++bad;
    }
  }
  void report(const char *name) {
    ++cases;
    if (bad) {
      ++failures;
      std::printf("FAIL %s: %d outputs differ (first: got %.9g, want %.9g)\n", name, bad, firstGot, firstWant);
    } else {
      std::printf("PASS %s\n", name);
    }
    std::fflush(stdout); // a crash in a later case leaves this one's line
  }
};

// Random per-column scales (positive, ~0.01), bias and residual for an M x N output, drawn in that order, and
// the epilogue a case asks for over them.
struct EpilogueData {
  std::vector<float> sb, bias, residual;
  EpilogueData(Rng &rng, size_t scales, int N, size_t outputs) : sb(scales), bias(N), residual(outputs) {
    for (auto &v : sb)
      v = (rng.next() + 1.5f) * 0.01f;
    for (auto &v : bias)
      v = rng.next();
    for (auto &v : residual)
      v = rng.next();
  }
  Epilogue epilogue(bool withBias, bool withResidual, Activation act) const {
    Epilogue ep;
    ep.bias = withBias ? bias.data() : nullptr;
    ep.residual = withResidual ? residual.data() : nullptr;
    ep.act = act;
    ep.clampLo = -0.5f;
    ep.clampHi = 0.5f;
    return ep;
  }
};

struct Case {
  int M, N, K, group; // group 0: int8 weights
  bool bias, residual;
  Activation act;
  bool mm = false; // int8 weights through gemmI8MM (smmla) instead of gemmI8 (sdot)
  bool perTensor = false; // int8 weights through gemmI8Static
  bool int16 = false;     // int16 activations (per tensor) through gemmI16Static
};

void run(const Case &c, uint64_t seed) {
  Rng rng(seed);
  const int M = c.M, N = c.N, K = c.K;
  std::vector<float> A((size_t)M * K);
  for (auto &v : A)
    v = rng.next() * (rng.below(8) == 0 ? 4.0f : 1.0f);
  if (M > 1) // a row of zeros: scale 0
    for (int k = 0; k < K; ++k)
      A[(size_t)(M - 1) * K + k] = 0.0f;
  // Per tensor: a scale 0.6 of the largest |A| / 127, so the largest values saturate; a NaN (quantized to 0)
  // and infinities (saturated) where there is room.
  const int qmax = c.int16 ? 32767 : 127;
  const float tensorScale = 0.6f * 4.0f / (float)qmax;
  if ((c.perTensor || c.int16) && M * K >= 3) {
    A[0] = NAN;
    A[(size_t)M * K / 2] = INFINITY;
    A[(size_t)M * K - 1] = -INFINITY;
  }
  const bool int4 = c.group > 0;
  const int groups = int4 ? (K + c.group - 1) / c.group : 1;
  std::vector<int> qb((size_t)K * N);
  for (auto &v : qb)
    v = int4 ? rng.below(16) - 8 : rng.below(255) - 127;
  const EpilogueData data(rng, (size_t)groups * N, N, (size_t)M * N);
  const std::vector<float> &sb = data.sb, &bias = data.bias, &residual = data.residual;
  std::vector<float> C((size_t)M * N, -7.0f);
  const Epilogue ep = data.epilogue(c.bias, c.residual, c.act);

  std::vector<uint8_t> packed;
  if (int4) {
    packed.resize(gemmBI4DotBytes(K, N, c.group));
    detail::packGemmBI4DotWith(K, N, c.group, [&](int k, int n) { return qb[(size_t)k * N + n]; },
                               [&](int g, int n) { return sb[(size_t)g * N + n]; }, packed.data());
  } else if (c.int16) {
    packed.resize(gemmBW8A16Bytes(K, N));
    detail::packGemmBW8A16With(K, N, [&](int k, int n) { return qb[(size_t)k * N + n]; }, sb.data(), packed.data());
  } else if (c.mm) {
    packed.resize(gemmBI8MMBytes(K, N));
    detail::packGemmBI8MMWith(K, N, [&](int k, int n) { return qb[(size_t)k * N + n]; }, sb.data(), packed.data());
  } else {
    packed.resize(gemmBI8DotBytes(K, N));
    detail::packGemmBI8DotWith(K, N, [&](int k, int n) { return qb[(size_t)k * N + n]; }, sb.data(), packed.data());
  }
  std::vector<uint8_t> ws(c.int16 ? gemmI16WorkspaceBytes(K) : c.mm ? gemmI8MMWorkspaceBytes(M, K) : gemmI8WorkspaceBytes(M, K));
  if (int4)
    gemmI4(M, N, K, c.group, A.data(), K, packed.data(), C.data(), N, ep, ws.data());
  else if (c.mm)
    gemmI8MM(M, N, K, A.data(), K, packed.data(), C.data(), N, ep, ws.data());
  else if (c.perTensor)
    gemmI8Static(M, N, K, tensorScale, A.data(), K, packed.data(), C.data(), N, ep, ws.data());
  else if (c.int16)
    gemmI16Static(M, N, K, tensorScale, A.data(), K, packed.data(), C.data(), N, ep, ws.data());
  else
    gemmI8(M, N, K, A.data(), K, packed.data(), C.data(), N, ep, ws.data());

  Mismatches mismatches;
  std::vector<int> qa;
  for (int m = 0; m < M; ++m) {
    float sa;
    if (c.perTensor || c.int16) {
      sa = tensorScale;
      qa.assign(K, 0);
      for (int k = 0; k < K; ++k)
        qa[k] = refQuantizeValue(A[(size_t)m * K + k], sa, qmax);
    } else {
      sa = refQuantizeRow(K, A.data() + (size_t)m * K, qa);
    }
    for (int n = 0; n < N; ++n) {
      const float b = c.bias ? bias[n] : 0.0f;
      float y;
      if (int4) {
        float t = 0.0f;
        for (int g = 0; g < groups; ++g) {
          int32_t acc = 0;
          for (int k = g * c.group; k < K && k < (g + 1) * c.group; ++k)
            acc += qa[k] * qb[(size_t)k * N + n];
          t = std::fma((float)acc, sb[(size_t)g * N + n], t);
        }
        y = std::fma(t, sa, b);
      } else {
        int64_t acc = 0; // int16 x int8 sums may pass 2^31
        for (int k = 0; k < K; ++k)
          acc += (int64_t)qa[k] * qb[(size_t)k * N + n];
        const float s = sa * sb[n];
        y = std::fma((float)acc, s, b);
      }
      if (c.residual)
        y = y + residual[(size_t)m * N + n];
      y = activateVec(y, ep);
      mismatches.check(C[(size_t)m * N + n], y);
    }
  }
  char name[160];
  std::snprintf(name, sizeof(name), "%s M=%d N=%d K=%d%s%s act=%d group=%d",
                int4 ? "gemmI4" : c.mm ? "gemmI8MM" : c.perTensor ? "gemmI8Static" : c.int16 ? "gemmI16Static" : "gemmI8", M, N, K,
                c.bias ? " bias" : "", c.residual ? " residual" : "", (int)c.act, c.group);
  mismatches.report(name);
}

// int16 sums past int32: K = 4608 saturated values (32767) against weights of 127 or -127 make a sum of
// +-1.92e10 (the 512-value int32 blocks carry into int64), against the same sum in int64.
void runLargeSumsI16() {
  const int M = 5, N = 10, K = 4608;
  std::vector<float> A((size_t)M * K, 1e6f); // saturates: 32767
  std::vector<float> sb(N, 1e-9f), C((size_t)M * N, 0.0f);
  for (int k = 0; k < K; ++k)
    A[(size_t)2 * K + k] = -1e6f; // row 2 at -32767
  auto qb = [](int k, int n) { return (n % 3 == 0) ? -127 : (k % 7 == 0 && n % 3 == 2) ? 0 : 127; };
  std::vector<uint8_t> packed(gemmBW8A16Bytes(K, N)), ws(gemmI16WorkspaceBytes(K));
  detail::packGemmBW8A16With(K, N, qb, sb.data(), packed.data());
  const float sa = 1.0f;
  gemmI16Static(M, N, K, sa, A.data(), K, packed.data(), C.data(), N, Epilogue{}, ws.data());
  Mismatches mismatches;
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      int64_t acc = 0;
      for (int k = 0; k < K; ++k)
        acc += (int64_t)(m == 2 ? -32767 : 32767) * qb(k, n);
      mismatches.check(C[(size_t)m * N + n], std::fma((float)acc, sa * sb[n], 0.0f));
    }
  mismatches.report("gemmI16Static sums past 2^31 (K=4608, saturated)");
}

struct ConvCase {
  int H, W, Cin, Cout, KH, KW, stride, pad, dilation;
  bool bias, residual;
  Activation act;
};

// convI8 over the whole image in two pixel ranges (as two threads take it), against the specification: the
// input quantized per tensor, each output pixel's window (zeros in the padding), k = tap Cin + ci.
void runConv(const ConvCase &c, uint64_t seed, bool int16) {
  Rng rng(seed);
  const int OH = (c.H + 2 * c.pad - c.dilation * (c.KH - 1) - 1) / c.stride + 1;
  const int OW = (c.W + 2 * c.pad - c.dilation * (c.KW - 1) - 1) / c.stride + 1;
  const int pixels = OH * OW, taps = c.KH * c.KW, K = taps * c.Cin, N = c.Cout;
  std::vector<float> x((size_t)c.H * c.W * c.Cin);
  for (auto &v : x)
    v = rng.next() * (rng.below(8) == 0 ? 4.0f : 1.0f);
  const int qmax = int16 ? 32767 : 127;
  const float sa = 0.6f * 4.0f / (float)qmax;
  std::vector<int> w((size_t)N * c.Cin * taps); // [Cout][Cin][KH][KW]
  for (auto &v : w)
    v = rng.below(255) - 127;
  const EpilogueData data(rng, (size_t)N, N, (size_t)pixels * N);
  const std::vector<float> &sb = data.sb, &bias = data.bias, &residual = data.residual;
  std::vector<float> C((size_t)pixels * N, -7.0f);
  auto qb = [&](int k, int n) { return w[((size_t)n * c.Cin + k % c.Cin) * taps + k / c.Cin]; };
  std::vector<uint8_t> packed(int16 ? gemmBW8A16Bytes(K, N) : gemmBI8DotBytes(K, N));
  if (int16)
    detail::packGemmBW8A16With(K, N, qb, sb.data(), packed.data());
  else
    detail::packGemmBI8DotWith(K, N, qb, sb.data(), packed.data());
  std::vector<int8_t> q(x.size());
  std::vector<int16_t> q16(x.size());
  quantizeI8((int64_t)x.size(), x.data(), sa, q.data());
  quantizeI16((int64_t)x.size(), x.data(), sa, q16.data());
  const Epilogue ep = data.epilogue(c.bias, c.residual, c.act);
  ConvI8Shape shape{c.H, c.W, c.Cin, OW, c.KH, c.KW, c.stride, c.stride, c.pad, c.pad, c.dilation, c.dilation};
  const int split = pixels / 3;
  std::vector<uint8_t> ws(int16 ? gemmI16WorkspaceBytes(K) : convI8WorkspaceBytes(pixels, K));
  for (int part = 0; part < 2; ++part) {
    const int p0 = part ? split : 0, p1 = part ? pixels : split;
    Epilogue e = ep;
    if (e.residual)
      e.residual += (size_t)p0 * N;
    if (int16)
      convI16(shape, p0, p1, N, q16.data(), sa, packed.data(), C.data() + (size_t)p0 * N, e, ws.data());
    else
      convI8(shape, p0, p1, N, q.data(), sa, packed.data(), C.data() + (size_t)p0 * N, e, ws.data());
  }
  Mismatches mismatches;
  for (int pixel = 0; pixel < pixels; ++pixel) {
    const int oy = pixel / OW, ox = pixel % OW;
    for (int n = 0; n < N; ++n) {
      int64_t acc = 0;
      for (int t = 0; t < taps; ++t) {
        const int iy = oy * c.stride - c.pad + (t / c.KW) * c.dilation, ix = ox * c.stride - c.pad + (t % c.KW) * c.dilation;
        if (iy < 0 || iy >= c.H || ix < 0 || ix >= c.W)
          continue;
        for (int ci = 0; ci < c.Cin; ++ci)
          acc += (int64_t)refQuantizeValue(x[((size_t)iy * c.W + ix) * c.Cin + ci], sa, qmax) * qb(t * c.Cin + ci, n);
      }
      float y = std::fma((float)acc, sa * sb[n], c.bias ? bias[n] : 0.0f);
      if (c.residual)
        y = y + residual[(size_t)pixel * N + n];
      y = activateVec(y, ep);
      mismatches.check(C[(size_t)pixel * N + n], y);
    }
  }
  char name[160];
  std::snprintf(name, sizeof(name), "%s %dx%dx%d->%d k=%dx%d s=%d p=%d d=%d%s%s act=%d", int16 ? "convI16" : "convI8", c.H, c.W, c.Cin, c.Cout,
                c.KH, c.KW, c.stride, c.pad, c.dilation, c.bias ? " bias" : "", c.residual ? " residual" : "", (int)c.act);
  mismatches.report(name);
}

} // namespace

int main() {
  uint64_t seed = 1;
  const int sizes[][3] = {{1, 1, 1},   {1, 5, 3},    {1, 12, 16},  {1, 30, 70},   {1, 100, 257}, {2, 7, 9},
                          {3, 13, 33}, {8, 12, 4},   {8, 12, 64},  {9, 25, 31},   {16, 24, 128}, {17, 47, 65},
                          {33, 36, 96}, {40, 29, 200}, {7, 8, 1000}, {70, 50, 300}};
  const Activation acts[] = {Activation::None, Activation::Relu, Activation::Clamp, Activation::Silu,
                             Activation::GeluTanh};
  for (const auto &s : sizes)
    for (int v = 0; v < 4; ++v) {
      Case c{s[0], s[1], s[2], 0, (v & 1) != 0, (v & 2) != 0, acts[(seed + v) % 5]};
      run(c, seed++);
      c.mm = true;
      run(c, seed++);
      c.mm = false;
      c.perTensor = true;
      run(c, seed++);
      c.perTensor = false;
      c.int16 = true;
      run(c, seed++);
      c.int16 = false;
      for (int group : {4, 16, 32, 64, 128}) {
        c.group = group;
        run(c, seed++);
      }
    }
  // Convolutions: 3x3 and 1x1, strided, dilated, 1xK; more pixels than one block (K = 576: 112 rows a block).
  const ConvCase convs[] = {
      {6, 6, 5, 7, 3, 3, 1, 1, 1, true, false, Activation::None},   {5, 3, 5, 13, 1, 1, 1, 0, 1, false, true, Activation::Relu},
      {9, 7, 9, 14, 3, 3, 2, 1, 1, true, true, Activation::Silu},   {16, 16, 64, 24, 3, 3, 1, 1, 1, true, true, Activation::None},
      {11, 13, 3, 12, 3, 3, 1, 2, 2, true, false, Activation::Clamp}, {1, 20, 16, 20, 1, 5, 1, 2, 1, false, false, Activation::GeluTanh},
      {31, 29, 8, 36, 3, 3, 1, 1, 1, true, false, Activation::None}};
  for (const ConvCase &c : convs) {
    runConv(c, seed++, false);
    runConv(c, seed++, true);
  }
  runLargeSumsI16();
  std::printf("%d of %d integer GEMM cases passed\n", cases - failures, cases);
  return failures ? 1 : 0;
}
