// Correctness of the NEON f32 kernels (runtime/neon) against scalar double-precision references on
// random data, with sizes that are not multiples of the register blocks. Cross-compiled and run under
// qemu-aarch64 by scripts/bench_kernels.sh; prints one PASS/FAIL line per case and exits non-zero on
// any failure. Activations are uniform in [-1, 1), weights uniform in [-1, 1) / sqrt(K) (as networks
// are initialized), so outputs are O(1) and rtol 1e-4 / atol 1e-5 measure the kernel rather than the
// growth of f32 rounding with K.
#include "runtime/neon/Conv3x3.h"
#include "runtime/neon/Gemm.h"
#include "runtime/neon/GemmF16.h"
#include "runtime/neon/Winograd.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace mote::neon;

namespace {

constexpr double kRtol = 1e-4, kAtol = 1e-5;
int failures = 0, cases = 0;

struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  float next() { // uniform in [-1, 1)
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return (float)((double)(s >> 11) / (double)(1ull << 53) * 2.0 - 1.0);
  }
  std::vector<float> vec(size_t n, float scale = 1.0f) {
    std::vector<float> v(n);
    for (auto &x : v)
      x = next() * scale;
    return v;
  }
};

float wscale(int K) { return K > 0 ? (float)(1.0 / std::sqrt((double)K)) : 1.0f; }

enum EpKind {
  kPlain, kBias, kBiasRelu, kResidual, kResidualInPlace, kBiasResidualClamp,
  kBiasSilu, kBiasGeluErf, kBiasGeluTanh, kResidualGeluSigmoid, kEpKinds
};
const char *epName(int e) {
  static const char *names[] = {"plain", "bias", "bias+relu", "residual", "residual-in-place",
                                "bias+residual+clamp", "bias+silu", "bias+gelu(erf)", "bias+gelu(tanh)",
                                "residual+quick-gelu"};
  return names[e];
}

double activateRef(double v, const Epilogue &ep) {
  switch (ep.act) {
  case Activation::None:
    return v;
  case Activation::Relu:
    return v > 0 ? v : 0;
  case Activation::Clamp:
    return v < ep.clampLo ? ep.clampLo : (v > ep.clampHi ? ep.clampHi : v);
  case Activation::Silu:
    return v / (1 + std::exp(-v));
  case Activation::GeluErf:
    return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0)));
  case Activation::GeluTanh:
    return 0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
  case Activation::GeluSigmoid:
    return v / (1 + std::exp(-1.702 * v));
  }
  return v;
}

// Compares `got` (rows x cols, stride ldGot) with `ref` (dense); also checks that padding columns
// between cols and ldGot were not written (they hold `guard`).
void check(const char *what, const std::vector<float> &got, size_t ldGot, const std::vector<double> &ref,
           int rows, int cols, float guard, double rtol = kRtol, double atol = kAtol) {
  double maxAbs = 0, maxRel = 0;
  bool ok = true;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const double g = got[(size_t)r * ldGot + c], e = ref[(size_t)r * cols + c];
      const double err = std::fabs(g - e);
      if (!(err <= atol + rtol * std::fabs(e)))
        ok = false;
      if (err > maxAbs)
        maxAbs = err;
      if (std::fabs(e) > 1e-3 && err / std::fabs(e) > maxRel)
        maxRel = err / std::fabs(e);
    }
    for (size_t c = cols; c < ldGot && (size_t)r * ldGot + c < got.size(); ++c)
      if (got[(size_t)r * ldGot + c] != guard)
        ok = false;
  }
  ++cases;
  if (!ok)
    ++failures;
  std::printf("%s %-58s max_abs_err=%.3g max_rel_err=%.3g\n", ok ? "PASS" : "FAIL", what, maxAbs, maxRel);
}

// Sets up the epilogue of kind `e` for an output of rows x cols (stride ld): bias, residual (a
// separate tensor, or the output buffer itself pre-filled with it), activation. Returns the residual
// values (dense) for the reference, or an empty vector.
std::vector<float> setupEpilogue(int e, Rng &rng, int rows, int cols, size_t ld, std::vector<float> &bias,
                                 std::vector<float> &residualBuf, std::vector<float> &out, Epilogue &ep) {
  ep = Epilogue();
  bias = rng.vec(cols);
  std::vector<float> res;
  if (e == kBias || e == kBiasRelu || e == kBiasResidualClamp || e == kBiasSilu || e == kBiasGeluErf ||
      e == kBiasGeluTanh)
    ep.bias = bias.data();
  if (e == kBiasRelu)
    ep.act = Activation::Relu;
  if (e == kBiasSilu)
    ep.act = Activation::Silu;
  if (e == kBiasGeluErf)
    ep.act = Activation::GeluErf;
  if (e == kBiasGeluTanh)
    ep.act = Activation::GeluTanh;
  if (e == kResidualGeluSigmoid)
    ep.act = Activation::GeluSigmoid;
  if (e == kBiasResidualClamp) {
    ep.act = Activation::Clamp;
    ep.clampLo = -0.5f;
    ep.clampHi = 2.0f;
  }
  if (e == kResidual || e == kResidualInPlace || e == kBiasResidualClamp || e == kResidualGeluSigmoid) {
    res = rng.vec((size_t)rows * cols);
    if (e == kResidualInPlace) {
      for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
          out[(size_t)r * ld + c] = res[(size_t)r * cols + c];
      ep.residual = out.data();
      ep.residualStride = ld;
    } else {
      const size_t ldr = (size_t)cols + 3; // a residual with its own stride
      residualBuf.assign((size_t)rows * ldr, 0.0f);
      for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
          residualBuf[(size_t)r * ldr + c] = res[(size_t)r * cols + c];
      ep.residual = residualBuf.data();
      ep.residualStride = ldr;
    }
  }
  return res;
}

void finishRef(std::vector<double> &ref, int rows, int cols, const Epilogue &ep, const std::vector<float> &bias,
               const std::vector<float> &res) {
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      double v = ref[(size_t)r * cols + c];
      if (ep.bias)
        v += bias[c];
      if (!res.empty())
        v += res[(size_t)r * cols + c];
      ref[(size_t)r * cols + c] = activateRef(v, ep);
    }
}

void testGemm(int M, int N, int K, int e, bool transposedB, bool strided, uint64_t seed) {
  Rng rng(seed);
  const size_t lda = (size_t)K + (strided ? 5 : 0), ldc = (size_t)N + (strided ? 7 : 0);
  std::vector<float> A = rng.vec((size_t)M * lda), B = rng.vec((size_t)K * N, wscale(K));
  std::vector<float> packed(packedGemmBFloats(K, N));
  if (transposedB) {
    std::vector<float> Bt((size_t)N * K);
    for (int k = 0; k < K; ++k)
      for (int n = 0; n < N; ++n)
        Bt[(size_t)n * K + k] = B[(size_t)k * N + n];
    packGemmBTransposed(K, N, Bt.data(), K, packed.data());
  } else {
    packGemmB(K, N, B.data(), N, packed.data());
  }
  const float guard = 12345.0f;
  std::vector<float> C((size_t)M * ldc, guard), bias, resBuf;
  Epilogue ep;
  std::vector<float> res = setupEpilogue(e, rng, M, N, ldc, bias, resBuf, C, ep);
  std::vector<double> ref((size_t)M * N, 0.0);
  for (int m = 0; m < M; ++m)
    for (int k = 0; k < K; ++k) {
      const double a = A[(size_t)m * lda + k];
      for (int n = 0; n < N; ++n)
        ref[(size_t)m * N + n] += a * B[(size_t)k * N + n];
    }
  finishRef(ref, M, N, ep, bias, res);
  std::vector<float> ws(gemmWorkspaceFloats(M, K) + 1);
  gemm(M, N, K, A.data(), lda, packed.data(), C.data(), ldc, ep, ws.data());
  char what[160];
  std::snprintf(what, sizeof what, "gemm M=%d N=%d K=%d %s%s%s", M, N, K, epName(e), transposedB ? " Bt" : "",
                strided ? " strided" : "");
  check(what, C, ldc, ref, M, N, guard);
}

void testGemv(int N, int K, int e, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> x = rng.vec(K), B = rng.vec((size_t)K * N, wscale(K));
  std::vector<float> packed(packedGemmBFloats(K, N));
  packGemmB(K, N, B.data(), N, packed.data());
  const float guard = 12345.0f;
  std::vector<float> y(N + 4, guard), bias, resBuf;
  Epilogue ep;
  std::vector<float> res = setupEpilogue(e, rng, 1, N, N, bias, resBuf, y, ep);
  std::vector<double> ref(N, 0.0);
  for (int k = 0; k < K; ++k)
    for (int n = 0; n < N; ++n)
      ref[n] += (double)x[k] * B[(size_t)k * N + n];
  finishRef(ref, 1, N, ep, bias, res);
  gemv(N, K, x.data(), packed.data(), y.data(), ep);
  char what[160];
  std::snprintf(what, sizeof what, "gemv N=%d K=%d %s", N, K, epName(e));
  check(what, y, N + 4, ref, 1, N, guard);
}

void testConv1x1(int H, int W, int Cin, int Cout, int e, uint64_t seed) {
  Rng rng(seed);
  const int P = H * W;
  const size_t inStride = (size_t)Cin + 2, outStride = (size_t)Cout + 1;
  std::vector<float> in = rng.vec((size_t)P * inStride), w = rng.vec((size_t)Cout * Cin, wscale(Cin));
  std::vector<float> packed(packedGemmBFloats(Cin, Cout));
  packGemmBTransposed(Cin, Cout, w.data(), Cin, packed.data());
  const float guard = 12345.0f;
  std::vector<float> out((size_t)P * outStride, guard), bias, resBuf;
  Epilogue ep;
  std::vector<float> res = setupEpilogue(e, rng, P, Cout, outStride, bias, resBuf, out, ep);
  std::vector<double> ref((size_t)P * Cout, 0.0);
  for (int p = 0; p < P; ++p)
    for (int co = 0; co < Cout; ++co) {
      double s = 0;
      for (int ci = 0; ci < Cin; ++ci)
        s += (double)in[(size_t)p * inStride + ci] * w[(size_t)co * Cin + ci];
      ref[(size_t)p * Cout + co] = s;
    }
  finishRef(ref, P, Cout, ep, bias, res);
  std::vector<float> ws(gemmWorkspaceFloats(P, Cin) + 1);
  conv1x1(P, Cin, Cout, in.data(), inStride, packed.data(), out.data(), outStride, ep, ws.data());
  char what[160];
  std::snprintf(what, sizeof what, "conv1x1 %dx%dx%d->%d %s strided", H, W, Cin, Cout, epName(e));
  check(what, out, outStride, ref, P, Cout, guard);
}

void conv3x3Ref(int H, int W, int Cin, int Cout, const float *in, size_t inStride, const float *w,
                std::vector<double> &ref) {
  ref.assign((size_t)H * W * Cout, 0.0);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x)
      for (int co = 0; co < Cout; ++co) {
        double s = 0;
        for (int ky = 0; ky < 3; ++ky)
          for (int kx = 0; kx < 3; ++kx) {
            const int iy = y + ky - 1, ix = x + kx - 1;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W)
              continue;
            const float *px = in + ((size_t)iy * W + ix) * inStride;
            for (int ci = 0; ci < Cin; ++ci)
              s += (double)px[ci] * w[(((size_t)co * Cin + ci) * 3 + ky) * 3 + kx];
          }
        ref[((size_t)y * W + x) * Cout + co] = s;
      }
}

void testConv3x3(int H, int W, int Cin, int Cout, int e, bool strided, uint64_t seed, bool winograd = false) {
  Rng rng(seed);
  Conv3x3Shape s;
  s.H = H;
  s.W = W;
  s.Cin = Cin;
  s.Cout = Cout;
  s.inPixelStride = strided ? (size_t)Cin + 3 : 0;
  s.outPixelStride = strided ? (size_t)Cout + 2 : 0;
  const size_t inStride = strided ? s.inPixelStride : (size_t)Cin;
  const size_t outStride = strided ? s.outPixelStride : (size_t)Cout;
  const int P = H * W;
  std::vector<float> in = rng.vec((size_t)P * inStride), w = rng.vec((size_t)Cout * Cin * 9, wscale(9 * Cin));
  std::vector<float> packed(winograd ? packedWinogradF43WeightsFloats(Cin, Cout)
                                     : packedConv3x3WeightsFloats(Cin, Cout));
  if (winograd)
    packWinogradF43Weights(Cin, Cout, w.data(), packed.data());
  else
    packConv3x3Weights(Cin, Cout, w.data(), packed.data());
  const float guard = 12345.0f;
  std::vector<float> out((size_t)P * outStride, guard), bias, resBuf;
  Epilogue ep;
  std::vector<float> res = setupEpilogue(e, rng, P, Cout, outStride, bias, resBuf, out, ep);
  std::vector<double> ref;
  conv3x3Ref(H, W, Cin, Cout, in.data(), inStride, w.data(), ref);
  finishRef(ref, P, Cout, ep, bias, res);
  std::vector<float> ws((winograd ? winogradF43WorkspaceFloats(s) : conv3x3WorkspaceFloats(s)) + 1);
  if (winograd)
    conv3x3WinogradF43(s, in.data(), packed.data(), out.data(), ep, ws.data());
  else
    conv3x3(s, in.data(), packed.data(), out.data(), ep, ws.data());
  char what[160];
  std::snprintf(what, sizeof what, "%s %dx%dx%d->%d %s%s", winograd ? "winograd" : "conv3x3", H, W, Cin, Cout,
                epName(e), strided ? " strided" : "");
  check(what, out, outStride, ref, P, Cout, guard);
}

// f16 GEMM: operands are f16 values (rounded from the random floats), the reference is exact in double
// on those values. Tolerances: F32 accumulation, one f16 rounding of the result (2^-11 relative) ->
// rtol 1e-3 / atol 1e-3; F16 accumulation rounds every partial sum (O(1) sums: 2^-11 each, a random walk
// over K steps) -> rtol / atol 1e-2 up to K = 64, growing as sqrt(K) beyond (2.2e-2 at K = 320). A missing
// bias or residual, or a wrong scale, is an O(1) error.
void testGemmF16(int M, int N, int K, int e, F16Accumulation mode, uint64_t seed) {
  Rng rng(seed);
  const size_t lda = (size_t)K + 3, ldc = (size_t)N + 5;
  auto toHalf = [](const std::vector<float> &v) {
    std::vector<float16_t> h(v.size());
    for (size_t i = 0; i < v.size(); ++i)
      h[i] = (float16_t)v[i];
    return h;
  };
  std::vector<float16_t> A = toHalf(rng.vec((size_t)M * lda)), B = toHalf(rng.vec((size_t)K * N, wscale(K)));
  std::vector<float16_t> packed(packedGemmF16BElements(K, N, mode));
  packGemmF16B(K, N, B.data(), N, packed.data(), mode);
  // The epilogue set up in f32 by the shared helper, then rounded to f16.
  std::vector<float> Cf((size_t)M * ldc, 0.0f), bias, resBuf;
  Epilogue ep32;
  std::vector<float> res = setupEpilogue(e, rng, M, N, ldc, bias, resBuf, Cf, ep32);
  std::vector<float16_t> biasH = toHalf(bias), resH = toHalf(resBuf);
  for (auto &b : bias)
    b = (float)(float16_t)b;
  for (auto &r : res)
    r = (float)(float16_t)r;
  const float16_t guard = (float16_t)1234.0f;
  std::vector<float16_t> C((size_t)M * ldc, guard);
  EpilogueF16 ep;
  ep.act = ep32.act;
  ep.clampLo = ep32.clampLo;
  ep.clampHi = ep32.clampHi;
  ep.bias = ep32.bias ? biasH.data() : nullptr;
  if (ep32.residual) {
    if (ep32.residual == Cf.data()) { // in place: C holds the residual
      for (size_t i = 0; i < C.size(); ++i)
        if (Cf[i] != 0.0f || i % ldc < (size_t)N)
          C[i] = (float16_t)Cf[i];
      ep.residual = C.data();
      ep.residualStride = ldc;
    } else {
      ep.residual = resH.data();
      ep.residualStride = ep32.residualStride;
    }
  }
  std::vector<double> ref((size_t)M * N, 0.0);
  for (int m = 0; m < M; ++m)
    for (int k = 0; k < K; ++k) {
      const double a = (double)A[(size_t)m * lda + k];
      for (int n = 0; n < N; ++n)
        ref[(size_t)m * N + n] += a * (double)B[(size_t)k * N + n];
    }
  finishRef(ref, M, N, ep32, bias, res);
  std::vector<float> ws((gemmF16WorkspaceBytes(M, K, mode) + 3) / 4 + 1);
  gemmF16(M, N, K, A.data(), lda, packed.data(), C.data(), ldc, ep, mode, ws.data());
  std::vector<float> got(C.size());
  for (size_t i = 0; i < C.size(); ++i)
    got[i] = (float)C[i];
  char what[160];
  std::snprintf(what, sizeof what, "gemm_f16 acc=%s M=%d N=%d K=%d %s", mode == F16Accumulation::F16 ? "f16" : "f32",
                M, N, K, epName(e));
  const double tol = mode == F16Accumulation::F16 ? 1e-2 * std::sqrt(std::max(1.0, K / 64.0)) : 1e-3;
  check(what, got, ldc, ref, M, N, (float)guard, tol, tol);
}

} // namespace

int main() {
  uint64_t seed = 1;
  // GEMM: M, N, K around and across the 8x12 block, the 4-column edge panels, K tails and K blocking
  // (K > 512).
  const int gemmSizes[][3] = {{2, 1, 1},     {3, 5, 3},     {7, 12, 4},    {8, 12, 8},   {9, 13, 5},
                              {16, 24, 7},   {17, 25, 31},  {8, 8, 16},    {10, 4, 9},   {33, 47, 65},
                              {64, 100, 129}, {100, 36, 16}, {23, 30, 600}, {13, 49, 1100}, {130, 27, 520}};
  for (const auto &sz : gemmSizes)
    for (int e = 0; e < kEpKinds; ++e)
      testGemm(sz[0], sz[1], sz[2], e, false, false, seed++);
  testGemm(37, 29, 45, kBiasRelu, true, true, seed++);
  testGemm(19, 61, 530, kResidualInPlace, true, true, seed++);
  testGemm(1, 29, 45, kBiasRelu, false, false, seed++); // M = 1 goes to gemv
  // GEMV: the 4-panel loop (N >= 48), single panels of width 4/8/12, K tails.
  const int gemvSizes[][2] = {{1, 1}, {5, 3}, {13, 7}, {48, 64}, {49, 65}, {100, 3}, {200, 130}, {596, 257}};
  for (const auto &sz : gemvSizes)
    for (int e = 0; e < kEpKinds; ++e)
      testGemv(sz[0], sz[1], e, seed++);
  // 1x1 convolution with channel-slice strides.
  testConv1x1(5, 7, 19, 30, kBiasRelu, seed++);
  testConv1x1(1, 1, 19, 30, kBias, seed++);
  testConv1x1(4, 4, 64, 12, kResidual, seed++);
  // 3x3 convolution: small images (1 pixel, single row/column), channel counts off the blocks, K
  // blocking across taps (9 * Cin > 512).
  const int convSizes[][4] = {{1, 1, 1, 1},  {1, 1, 3, 5},  {2, 3, 4, 8},   {3, 3, 5, 13}, {1, 9, 6, 12},
                              {7, 1, 6, 12}, {4, 5, 7, 12}, {5, 7, 16, 20}, {8, 8, 3, 16}, {3, 11, 33, 27},
                              {6, 6, 64, 30}, {2, 2, 130, 9}, {9, 10, 61, 40}};
  for (const auto &sz : convSizes)
    for (int e = 0; e < kEpKinds; ++e)
      testConv3x3(sz[0], sz[1], sz[2], sz[3], e, false, seed++);
  testConv3x3(5, 6, 10, 14, kBiasRelu, true, seed++);
  testConv3x3(4, 9, 70, 25, kResidualInPlace, true, seed++);
  // Winograd F(4x4, 3x3): partial tiles (H, W not multiples of 4), Cin/Cout not multiples of 4, more
  // than one 64-tile chunk (36x36 and 40x33 images).
  const int wgSizes[][4] = {{4, 4, 16, 16}, {1, 1, 2, 3},   {5, 7, 3, 5},    {3, 5, 7, 9},
                            {8, 8, 17, 13}, {9, 6, 33, 20}, {13, 11, 8, 30}, {36, 36, 4, 8}};
  for (const auto &sz : wgSizes)
    for (int e = 0; e < kEpKinds; ++e)
      testConv3x3(sz[0], sz[1], sz[2], sz[3], e, false, seed++, true);
  testConv3x3(10, 9, 10, 14, kBiasRelu, true, seed++, true);
  testConv3x3(40, 33, 21, 6, kResidualInPlace, true, seed++, true);
  // f16 GEMM, both accumulation modes: edges of the 8x24 (f16) and 8x12 (f32) tiles, K tails.
  if (gemmF16Supported()) {
    const int f16Sizes[][3] = {{1, 1, 1},  {3, 7, 5},   {8, 24, 8},   {9, 25, 9},    {16, 16, 16},
                               {17, 9, 3}, {12, 40, 7}, {30, 50, 65}, {64, 100, 320}, {20, 13, 600}};
    for (const auto &sz : f16Sizes)
      for (int e = 0; e < kEpKinds; ++e)
        for (F16Accumulation mode : {F16Accumulation::F16, F16Accumulation::F32})
          testGemmF16(sz[0], sz[1], sz[2], e, mode, seed++);
  } else {
    std::printf("SKIP gemm_f16: built without FP16 vector arithmetic\n");
  }
  std::printf("%s: %d of %d cases passed\n", failures ? "FAIL" : "PASS", cases - failures, cases);
  return failures ? 1 : 0;
}
