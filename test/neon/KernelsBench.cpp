// One NEON kernel on the benchmark shape, run once between the `hint #126` / `hint #127`
// region marks the qemu instruction-counting plugin (../shared/tools/qemu-insn-count) attributes
// instructions to. Weight packing and data set-up happen outside the region. Prints the MAC count of
// the operation (direct-convolution MACs for Winograd) and a spot check of 64 outputs against a
// double-precision reference.
//
//   KernelsBench gemm | gemv | conv3x3 | winograd | gemm_f16 | gemm_f16acc32 | gemm_i8 | gemm_i8mm | gemv_i8 | gemv_i4 |
//   gemv_i4_g32 | conv3x3_i8
#include "runtime/neon/Conv3x3.h"
#include "runtime/neon/Gemm.h"
#include "runtime/neon/GemmF16.h"
#include "runtime/neon/GemmI8.h"
#include "runtime/neon/Winograd.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace mote::neon;

namespace {

struct Rng {
  uint64_t s = 0x2545F4914F6CDD1Dull;
  float next() {
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

inline void regionBegin() { __asm__ volatile("hint #126" ::: "memory"); }
inline void regionEnd() { __asm__ volatile("hint #127" ::: "memory"); }

int report(const char *name, double macs, double maxErr, double tol = 1e-3) {
  std::printf("KERNEL %s MACS %.0f SPOT_MAX_ABS_ERR %.3g\n", name, macs, maxErr);
  if (!(maxErr < tol)) {
    std::printf("FAIL spot check\n");
    return 1;
  }
  return 0;
}

// The largest error of 64 spread outputs of C = A B + bias [M, N] against the double-precision products.
double spotCheckGemm(int M, int N, int K, const std::vector<float> &A, const std::vector<float> &B,
                     const std::vector<float> &bias, const std::vector<float> &C) {
  double maxErr = 0;
  for (int i = 0; i < 64; ++i) {
    const int m = (i * 997) % M, n = (i * 131 + 7) % N;
    double s = bias[n];
    for (int k = 0; k < K; ++k)
      s += (double)A[(size_t)m * K + k] * B[(size_t)k * N + n];
    maxErr = std::fmax(maxErr, std::fabs(s - C[(size_t)m * N + n]));
  }
  return maxErr;
}

int benchGemm() {
  const int M = 1024, K = 320, N = 1280;
  Rng rng;
  std::vector<float> A = rng.vec((size_t)M * K), B = rng.vec((size_t)K * N, 1.0f / std::sqrt((float)K));
  std::vector<float> bias = rng.vec(N), C((size_t)M * N);
  std::vector<float> packed(packedGemmBFloats(K, N)), ws(gemmWorkspaceFloats(M, K));
  packGemmB(K, N, B.data(), N, packed.data());
  Epilogue ep;
  ep.bias = bias.data();
  regionBegin();
  gemm(M, N, K, A.data(), K, packed.data(), C.data(), N, ep, ws.data());
  regionEnd();
  const double maxErr = spotCheckGemm(M, N, K, A, B, bias, C);
  return report("gemm", (double)M * N * K, maxErr);
}

int benchGemmF16(F16Accumulation mode) {
  const char *name = mode == F16Accumulation::F16 ? "gemm_f16" : "gemm_f16acc32";
  if (!gemmF16Supported()) {
    std::printf("UNSUPPORTED %s: built without FP16 vector arithmetic\n", name);
    return 3;
  }
  const int M = 1024, K = 320, N = 1280;
  Rng rng;
  std::vector<float> Af = rng.vec((size_t)M * K), Bf = rng.vec((size_t)K * N, 1.0f / std::sqrt((float)K));
  std::vector<float> biasF = rng.vec(N);
  std::vector<float16_t> A(Af.size()), bias(N), C((size_t)M * N);
  for (size_t i = 0; i < Af.size(); ++i)
    A[i] = (float16_t)Af[i];
  for (int n = 0; n < N; ++n)
    bias[n] = (float16_t)biasF[n];
  std::vector<float16_t> packed(packedGemmF16BElements(K, N, mode));
  std::vector<float> ws(gemmF16WorkspaceBytes(M, K, mode) / sizeof(float) + 1);
  packGemmF16BFromF32(K, N, Bf.data(), N, packed.data(), mode);
  EpilogueF16 ep;
  ep.bias = bias.data();
  regionBegin();
  gemmF16(M, N, K, A.data(), K, packed.data(), C.data(), N, ep, mode, ws.data());
  regionEnd();
  double maxErr = 0;
  for (int i = 0; i < 64; ++i) {
    const int m = (i * 997) % M, n = (i * 131 + 7) % N;
    double s = (double)bias[n];
    for (int k = 0; k < K; ++k)
      s += (double)A[(size_t)m * K + k] * (double)(float16_t)Bf[(size_t)k * N + n];
    maxErr = std::fmax(maxErr, std::fabs(s - (double)C[(size_t)m * N + n]));
  }
  // f16 results: one f16 rounding (~1e-3 at |y| ~ 2) with f32 accumulation, more with f16 accumulation.
  return report(name, (double)M * N * K, maxErr, mode == F16Accumulation::F16 ? 3e-2 : 4e-3);
}

int benchGemv() {
  const int K = 4096, N = 4096;
  Rng rng;
  std::vector<float> x = rng.vec(K), B = rng.vec((size_t)K * N, 1.0f / std::sqrt((float)K));
  std::vector<float> bias = rng.vec(N), y(N);
  std::vector<float> packed(packedGemmBFloats(K, N));
  packGemmB(K, N, B.data(), N, packed.data());
  Epilogue ep;
  ep.bias = bias.data();
  regionBegin();
  gemv(N, K, x.data(), packed.data(), y.data(), ep);
  regionEnd();
  double maxErr = 0;
  for (int i = 0; i < 64; ++i) {
    const int n = (i * 997 + 3) % N;
    double s = bias[n];
    for (int k = 0; k < K; ++k)
      s += (double)x[k] * B[(size_t)k * N + n];
    maxErr = std::fmax(maxErr, std::fabs(s - y[n]));
  }
  return report("gemv", (double)N * K, maxErr);
}

int benchConv3x3(bool winograd) {
  Conv3x3Shape s;
  s.H = 32;
  s.W = 32;
  s.Cin = 320;
  s.Cout = 320;
  Rng rng;
  std::vector<float> in = rng.vec((size_t)s.H * s.W * s.Cin);
  std::vector<float> w = rng.vec((size_t)s.Cout * s.Cin * 9, 1.0f / std::sqrt(9.0f * s.Cin));
  std::vector<float> bias = rng.vec(s.Cout), out((size_t)s.H * s.W * s.Cout);
  std::vector<float> packed(winograd ? packedWinogradF43WeightsFloats(s.Cin, s.Cout)
                                     : packedConv3x3WeightsFloats(s.Cin, s.Cout));
  std::vector<float> ws(winograd ? winogradF43WorkspaceFloats(s) : conv3x3WorkspaceFloats(s));
  if (winograd)
    packWinogradF43Weights(s.Cin, s.Cout, w.data(), packed.data());
  else
    packConv3x3Weights(s.Cin, s.Cout, w.data(), packed.data());
  Epilogue ep;
  ep.bias = bias.data();
  regionBegin();
  if (winograd)
    conv3x3WinogradF43(s, in.data(), packed.data(), out.data(), ep, ws.data());
  else
    conv3x3(s, in.data(), packed.data(), out.data(), ep, ws.data());
  regionEnd();
  double maxErr = 0;
  for (int i = 0; i < 64; ++i) {
    const int p = (i * 997 + (i & 1 ? 0 : 31)) % (s.H * s.W), co = (i * 131 + 7) % s.Cout;
    const int y = p / s.W, x = p % s.W;
    double acc = bias[co];
    for (int ky = 0; ky < 3; ++ky)
      for (int kx = 0; kx < 3; ++kx) {
        const int iy = y + ky - 1, ix = x + kx - 1;
        if (iy < 0 || iy >= s.H || ix < 0 || ix >= s.W)
          continue;
        for (int ci = 0; ci < s.Cin; ++ci)
          acc += (double)in[((size_t)iy * s.W + ix) * s.Cin + ci] * w[(((size_t)co * s.Cin + ci) * 3 + ky) * 3 + kx];
      }
    maxErr = std::fmax(maxErr, std::fabs(acc - out[(size_t)p * s.Cout + co]));
  }
  return report(winograd ? "winograd" : "conv3x3", (double)s.H * s.W * s.Cout * s.Cin * 9, maxErr);
}


// The w8a8 3x3 convolution (GemmI8.h's convI8): the image quantized per tensor with its largest value / 127
// (inside the region, as the layer does it), int8 weights per output channel, the sdot GEMM over each pixel's
// window. The spot check against the float convolution includes the quantization error (tolerance 0.05).
int benchConvI8() {
  const int H = 32, W = 32, Cin = 320, Cout = 320, K = 9 * Cin;
  Rng rng;
  std::vector<float> in = rng.vec((size_t)H * W * Cin);
  std::vector<float> w = rng.vec((size_t)Cout * Cin * 9, 1.0f / std::sqrt(9.0f * Cin));
  std::vector<float> bias = rng.vec(Cout), out((size_t)H * W * Cout), scales(Cout);
  std::vector<int8_t> q((size_t)Cout * Cin * 9), qin(in.size());
  for (int co = 0; co < Cout; ++co) {
    float m = 0;
    for (int k = 0; k < K; ++k)
      m = std::fmax(m, std::fabs(w[(size_t)co * K + k]));
    scales[co] = m / 127.0f;
    for (int k = 0; k < K; ++k)
      q[(size_t)co * K + k] = (int8_t)std::nearbyint(w[(size_t)co * K + k] / scales[co]);
  }
  float absMax = 0;
  for (float v : in)
    absMax = std::fmax(absMax, std::fabs(v));
  const float sa = absMax / 127.0f;
  std::vector<uint8_t> packed(gemmBI8DotBytes(K, Cout)), ws(convI8WorkspaceBytes(H * W, K));
  // B [tap Cin + ci][co] from w [co][ci][ky][kx].
  detail::packGemmBI8DotWith(K, Cout, [&](int k, int n) { return (int)q[((size_t)n * Cin + k % Cin) * 9 + k / Cin]; },
                             scales.data(), packed.data());
  const ConvI8Shape shape{H, W, Cin, W, 3, 3, 1, 1, 1, 1, 1, 1};
  Epilogue ep;
  ep.bias = bias.data();
  auto run = [&] {
    quantizeI8((int64_t)in.size(), in.data(), sa, qin.data());
    convI8(shape, 0, H * W, Cout, qin.data(), sa, packed.data(), out.data(), ep, ws.data());
  };
  run(); // warm-up
  regionBegin();
  run();
  regionEnd();
  double maxErr = 0;
  for (int i = 0; i < 64; ++i) {
    const int p = (i * 997 + (i & 1 ? 0 : 31)) % (H * W), co = (i * 131 + 7) % Cout;
    const int y = p / W, x = p % W;
    double acc = bias[co];
    for (int ky = 0; ky < 3; ++ky)
      for (int kx = 0; kx < 3; ++kx) {
        const int iy = y + ky - 1, ix = x + kx - 1;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W)
          continue;
        for (int ci = 0; ci < Cin; ++ci)
          acc += (double)in[((size_t)iy * W + ix) * Cin + ci] * w[(((size_t)co * Cin + ci) * 3 + ky) * 3 + kx];
      }
    maxErr = std::fmax(maxErr, std::fabs(acc - out[(size_t)p * Cout + co]));
  }
  return report("conv3x3_i8", (double)H * W * Cout * Cin * 9, maxErr, 0.05);
}

// Int8 activations (quantized per row inside the call) times int8 (group 0) or int4 weights: the spot check
// compares with the double-precision product of the float operands, so it measures the quantization error
// too (outputs are O(1): tolerance 0.05 absolute for int8 weights, 0.1 for int4).
int benchInteger(const char *name, int M, int K, int N, int group, bool mm = false) {
  Rng rng;
  std::vector<float> A = rng.vec((size_t)M * K), B = rng.vec((size_t)K * N, 1.0f / std::sqrt((float)K));
  std::vector<float> bias = rng.vec(N), C((size_t)M * N);
  const int groups = group > 0 ? (K + group - 1) / group : 1;
  const int step = group > 0 ? group : K;
  std::vector<float> scales((size_t)groups * N);
  std::vector<int8_t> q((size_t)K * N);
  const float qmax = group > 0 ? 7.0f : 127.0f;
  for (int g = 0; g < groups; ++g)
    for (int n = 0; n < N; ++n) {
      float m = 0;
      for (int k = g * step; k < K && k < (g + 1) * step; ++k)
        m = std::fmax(m, std::fabs(B[(size_t)k * N + n]));
      const float s = m > 0 ? m / qmax : 1.0f;
      scales[(size_t)g * N + n] = s;
      for (int k = g * step; k < K && k < (g + 1) * step; ++k)
        q[(size_t)k * N + n] = (int8_t)std::nearbyint(B[(size_t)k * N + n] / s);
    }
  std::vector<uint8_t> packed;
  auto getQ = [&](int k, int n) { return (int)q[(size_t)k * N + n]; };
  if (group > 0) {
    packed.resize(gemmBI4DotBytes(K, N, group));
    detail::packGemmBI4DotWith(K, N, group, getQ, [&](int g, int n) { return scales[(size_t)g * N + n]; },
                               packed.data());
  } else if (mm) {
    packed.resize(gemmBI8MMBytes(K, N));
    detail::packGemmBI8MMWith(K, N, getQ, scales.data(), packed.data());
  } else {
    packed.resize(gemmBI8DotBytes(K, N));
    detail::packGemmBI8DotWith(K, N, getQ, scales.data(), packed.data());
  }
  std::vector<uint8_t> ws(mm ? gemmI8MMWorkspaceBytes(M, K) : gemmI8WorkspaceBytes(M, K));
  Epilogue ep;
  ep.bias = bias.data();
  auto run = [&] {
    if (mm)
      gemmI8MM(M, N, K, A.data(), K, packed.data(), C.data(), N, ep, ws.data());
    else if (group > 0)
      gemmI4(M, N, K, group, A.data(), K, packed.data(), C.data(), N, ep, ws.data());
    else
      gemmI8(M, N, K, A.data(), K, packed.data(), C.data(), N, ep, ws.data());
  };
  run(); // warm-up
  regionBegin();
  run();
  regionEnd();
  const double maxErr = spotCheckGemm(M, N, K, A, B, bias, C);
  return report(name, (double)M * N * K, maxErr, group > 0 ? 0.1 : 0.05);
}

} // namespace

int main(int argc, char **argv) {
  const char *which = argc > 1 ? argv[1] : "";
  if (!std::strcmp(which, "gemm"))
    return benchGemm();
  if (!std::strcmp(which, "gemv"))
    return benchGemv();
  if (!std::strcmp(which, "conv3x3"))
    return benchConv3x3(false);
  if (!std::strcmp(which, "winograd"))
    return benchConv3x3(true);
  if (!std::strcmp(which, "gemm_f16"))
    return benchGemmF16(F16Accumulation::F16);
  if (!std::strcmp(which, "gemm_f16acc32"))
    return benchGemmF16(F16Accumulation::F32);
  if (!std::strcmp(which, "gemm_i8"))
    return benchInteger("gemm_i8", 1024, 320, 1280, 0);
  if (!std::strcmp(which, "gemm_i8mm"))
    return benchInteger("gemm_i8mm", 1024, 320, 1280, 0, true);
  if (!std::strcmp(which, "gemv_i8"))
    return benchInteger("gemv_i8", 1, 4096, 4096, 0);
  if (!std::strcmp(which, "gemv_i4"))
    return benchInteger("gemv_i4", 1, 4096, 4096, 4096); // one scale per column, as XNNPACK's qc4w
  if (!std::strcmp(which, "gemv_i4_g32"))
    return benchInteger("gemv_i4_g32", 1, 4096, 4096, 32);
  if (!std::strcmp(which, "conv3x3_i8"))
    return benchConvI8();
  std::fprintf(stderr, "usage: %s gemm|gemv|conv3x3|winograd|gemm_f16|gemm_f16acc32|gemm_i8|gemm_i8mm|gemv_i8|gemv_i4|gemv_i4_g32|conv3x3_i8\n",
               argv[0]);
  return 2;
}
