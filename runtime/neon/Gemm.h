// f32 GEMM, GEMV and 1x1 convolution for AArch64 NEON over pre-packed weights, with a fused epilogue.
//
//   C[M,N] = act(A[M,K] * B[K,N] + bias[N] + residual[M,N])
//
// B (the weights) is packed once, at load time or by the compiler into the weights file, into column
// panels of kGemmNR = 12 columns: panel p holds, for k = 0..K-1, the 12 values B[k][12p .. 12p+11]
// contiguously. The last panel is only as wide as the remaining columns rounded up to 4 (4, 8 or 12),
// zero padded. A (the activations) is repacked inside the kernel, a block at a time, into micro panels
// of kGemmMR = 8 rows interleaved per k; the 8x12 microkernel (GemmMicrokernel.h, its reduction loop
// in inline assembly) then needs 1.5 multi-register loads per 24 `fmla v.4s, v.4s, v.s[lane]`.
//
// Epilogue: the bias (per output column) and the residual (a tensor of C's shape, which may be C itself)
// are the accumulators' initial value, so they cost no pass over memory of their own; the activation is
// applied just before the only store of each output tile.
//
// Portable C++17 without exceptions or allocation: scratch memory comes from the caller's arena
// (`*WorkspaceFloats`). Single-threaded; a caller may split M between threads (row ranges are
// independent) giving each its own workspace.
#ifndef MOTE_RUNTIME_NEON_GEMM_H
#define MOTE_RUNTIME_NEON_GEMM_H

#include <cstddef>
#include <cstdint>

namespace mote {
namespace neon {

constexpr int kGemmMR = 8;  // rows of the microkernel tile
constexpr int kGemmNR = 12; // columns of the microkernel tile (width of a packed B panel)

enum class Activation : uint8_t {
  None,
  Relu,        // max(x, 0)
  Clamp,       // min(max(x, lo), hi): ReLU6 and friends
  Silu,        // x * sigmoid(x)
  GeluErf,     // x * Phi(x)
  GeluTanh,    // the tanh approximation (GPT-2's gelu_new)
  GeluSigmoid, // x * sigmoid(1.702 x) (QuickGELU)
};

/// What happens to each output element after the reduction: y = act(acc + bias[n] + residual[m][n]).
struct Epilogue {
  const float *bias = nullptr;     // [N], or null for no bias
  const float *residual = nullptr; // [M] rows of N values, `residualStride` floats apart; may equal C
  size_t residualStride = 0;       // 0 means "same as C's row stride"
  Activation act = Activation::None;
  float clampLo = 0.0f, clampHi = 0.0f; // for Activation::Clamp
};

// ---- B packing (load time) -------------------------------------------------------------------------

/// Floats needed for B[K,N] packed into 12-column panels.
size_t packedGemmBFloats(int K, int N);

/// Packs row-major B[K,N] (rows `ldb` floats apart) into `packed` (packedGemmBFloats(K, N) floats).
void packGemmB(int K, int N, const float *B, size_t ldb, float *packed);

/// Same, from the transposed matrix Bt[N,K] (rows `ldbt` floats apart): ONNX Gemm with transB=1,
/// MatMul against a [N,K] weight, or 1x1 convolution weights [Cout, Cin(,1,1)].
void packGemmBTransposed(int K, int N, const float *Bt, size_t ldbt, float *packed);

// ---- GEMM ------------------------------------------------------------------------------------------

/// Floats of scratch `gemm` needs (for the packed A block); independent of N.
size_t gemmWorkspaceFloats(int M, int K);
/// Floats of scratch detail::gemmBlockedW8 needs (the A block and one widened B panel slice).
size_t gemmW8WorkspaceFloats(int M, int K);

/// C[M,N] = act(A[M,K] * B + bias + residual). A rows are `lda` floats apart, C rows `ldc`.
/// `packedB` comes from packGemmB / packGemmBTransposed for the same K and N.
void gemm(int M, int N, int K, const float *A, size_t lda, const float *packedB, float *C, size_t ldc,
          const Epilogue &epilogue, float *workspace);

/// y[N] = act(x[K] * B + bias + residual) (M = 1, no workspace, B packed as for gemm).
void gemv(int N, int K, const float *x, const float *packedB, float *y, const Epilogue &epilogue);

/// 1x1 convolution, stride 1, NHWC: output[p][co] = act(sum_ci input[p][ci] * w[co][ci] + ...), with the
/// weights [Cout, Cin] packed by packGemmBTransposed(Cin, Cout, w, Cin, packed). Pixel strides allow
/// channel slices of larger tensors (concatenation in place).
inline void conv1x1(int pixels, int Cin, int Cout, const float *input, size_t inPixelStride,
                    const float *packedW, float *output, size_t outPixelStride, const Epilogue &epilogue,
                    float *workspace) {
  if (pixels == 1)
    gemv(Cout, Cin, input, packedW, output, epilogue);
  else
    gemm(pixels, Cout, Cin, input, inPixelStride, packedW, output, outPixelStride, epilogue, workspace);
}

namespace detail {

/// Packs rows [m0, m0 + rows) and reduction indices [k0, k0 + kc) of the left operand into micro panels
/// of kGemmMR rows (rows past `rows` are zero): dst[panel][k][r]. Implemented per operand kind.
struct APacker {
  virtual void pack(int m0, int rows, int k0, int kc, float *dst) const = 0;

protected:
  ~APacker() = default;
};

/// The blocked GEMM loop nest shared by gemm and the convolutions: M, N, K as for gemm, A supplied by
/// `packer`. Scratch: gemmWorkspaceFloats(M, K).
void gemmBlocked(int M, int N, int K, const APacker &packer, const float *packedB, float *C, size_t ldc,
                 const Epilogue &epilogue, float *workspace);

/// gemmBlocked over int8 weights (the w8 scheme): `packedB` holds B [K, N] as int8 in the f32 panel layout (a
/// byte per element) followed by per-column f32 scales (PackedSizes.h, gemmBW8Bytes); each panel slice is
/// widened to f32 (q * scale) in the workspace as the loop reaches it. Scratch: gemmW8WorkspaceFloats(M, K).
void gemmBlockedW8(int M, int N, int K, const APacker &packer, const void *packedB, float *C, size_t ldc,
                   const Epilogue &epilogue, float *workspace);

/// gemmBlocked over int4 weights (the w4 scheme): `packedB` holds B [K, N] as int4 in the f32 panel layout (two
/// elements a byte, the even one in the low nibble) followed by f32 scales [ceil(K / group)][N padded], one per
/// `group` rows and column (PackedSizes.h, gemmBW4Bytes); widened as gemmBlockedW8 does. Scratch:
/// gemmW8WorkspaceFloats(M, K).
void gemmBlockedW4(int M, int N, int K, int group, const APacker &packer, const void *packedB, float *C, size_t ldc,
                   const Epilogue &epilogue, float *workspace);

/// Packs B given by an element accessor b(k, n) into 12-column panels of T (f32 values, or the w8 scheme's
/// int8 ones); returns the elements written. Used for the convolution weight layouts.
template <class T, class GetB>
size_t packPanelsWith(int K, int N, GetB b, T *packed) {
  T *start = packed;
  for (int n0 = 0; n0 < N; n0 += kGemmNR) {
    int cols = N - n0 < kGemmNR ? N - n0 : kGemmNR;
    int width = (cols + 3) & ~3;
    for (int k = 0; k < K; ++k) {
      for (int j = 0; j < cols; ++j)
        packed[j] = b(k, n0 + j);
      for (int j = cols; j < width; ++j)
        packed[j] = T(0);
      packed += width;
    }
  }
  return (size_t)(packed - start);
}

template <class GetB>
void packGemmBWith(int K, int N, GetB b, float *packed) {
  packPanelsWith<float>(K, N, b, packed);
}

/// Packs int8 B given by q(k, n) in gemmBlockedW8's layout: the panels, zeros to a multiple of 64 bytes, then
/// the per-column `scales` [N] (zero for the padding columns of the last panel).
template <class GetQ>
void packGemmBW8With(int K, int N, GetQ q, const float *scales, void *packed) {
  int8_t *bytes = static_cast<int8_t *>(packed);
  const size_t panelBytes = packPanelsWith<int8_t>(K, N, q, bytes);
  const size_t padded = (panelBytes + 63) / 64 * 64;
  const size_t paddedN = (size_t)(N / kGemmNR * kGemmNR + ((N % kGemmNR) + 3) / 4 * 4);
  for (size_t i = panelBytes; i < padded; ++i)
    bytes[i] = 0;
  float *s = reinterpret_cast<float *>(bytes + padded);
  for (size_t n = 0; n < paddedN; ++n)
    s[n] = n < (size_t)N ? scales[n] : 0.0f;
}

/// Packs int4 B given by q(k, n) (in [-8, 7]) and its scales scale(k / group, n) in gemmBlockedW4's layout.
template <class GetQ, class GetScale>
void packGemmBW4With(int K, int N, int group, GetQ q, GetScale scale, void *packed) {
  uint8_t *bytes = static_cast<uint8_t *>(packed);
  size_t at = 0; // nibbles written
  for (int n0 = 0; n0 < N; n0 += kGemmNR) {
    int cols = N - n0 < kGemmNR ? N - n0 : kGemmNR;
    int width = (cols + 3) & ~3;
    for (int k = 0; k < K; ++k)
      for (int j = 0; j < width; j += 2, at += 2) {
        const int lo = j < cols ? q(k, n0 + j) : 0, hi = j + 1 < cols ? q(k, n0 + j + 1) : 0;
        bytes[at / 2] = (uint8_t)((lo & 15) | ((hi & 15) << 4));
      }
  }
  const size_t padded = (at / 2 + 63) / 64 * 64;
  for (size_t i = at / 2; i < padded; ++i)
    bytes[i] = 0;
  const int paddedN = N / kGemmNR * kGemmNR + ((N % kGemmNR) + 3) / 4 * 4, groups = (K + group - 1) / group;
  float *s = reinterpret_cast<float *>(bytes + padded);
  for (int g = 0; g < groups; ++g)
    for (int n = 0; n < paddedN; ++n)
      s[(size_t)g * paddedN + n] = n < N ? scale(g, n) : 0.0f;
}

} // namespace detail
} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_GEMM_H
