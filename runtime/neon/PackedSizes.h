// The layouts the NEON kernels want their weights packed in, and the size of each: one definition that the
// compiler (kernel selection records the sizes in the planned IR and the generated program's packed buffer)
// and the runtime (packWeights refuses a size that is not this one) both include. Freestanding: no runtime
// implementation, no compiler code.
#ifndef MOTE_RUNTIME_NEON_PACKEDSIZES_H
#define MOTE_RUNTIME_NEON_PACKEDSIZES_H

#include <cstdint>

namespace mote {
namespace neon {

enum class PackedLayout : int {
  GemmB = 0,       // f32 B [K, N] in 12-column panels (the last rounded up to 4 columns): Gemm.h
  GemmBF16 = 1,    // f16 B [K, N] in 24-column panels (the last rounded up to 8): GemmF16.h, f16 accumulation
  Conv1x1 = 2,     // a 1x1 convolution's w [N = Cout, K = Cin] as f32 GEMM panels of B = w^T
  Conv1x1F16 = 3,  // the same as f16 panels
  Conv3x3 = 4,     // a 3x3 convolution's w [Cout, Cin, 3, 3] as f32 GEMM panels of B [9 Cin, Cout]: Conv3x3.h
  WinogradF43 = 5, // the same, Winograd F(4x4, 3x3)-transformed: 36 f32 GEMM panels of B [Cin, Cout]: Winograd.h
  Conv3x3F16 = 6,  // a 3x3 convolution's weights as f16 GEMM panels of B [9 Cin, Cout]: Conv3x3F16.h
  ConvTaps = 7,    // any convolution's w [Cout, Cin, KH, KW] as f32 GEMM panels of B [taps Cin, Cout], k = tap Cin + ci
  GemmBW8 = 8,     // w8: int8 B [K, N] (per-column scales) as GemmB's panels of bytes, then the scales: Gemm.h
  ConvTapsW8 = 9,  // w8: int8 w [Cout, Cin, KH, KW] (per-Cout scales) as ConvTaps' panels of bytes, then the scales
  GemmBW4 = 10,    // w4: int4 B [K, N] (f16 scales [ceil(K / group), N]) as GemmB's panels of nibbles, then f32 scales
  GemmBW4FromNK = 11, // the same panels from int4 B^T [N, K] (scales [N, ceil(K / group)]): a Gemm with transB = 1
  GemmBI4Dot = 12,    // w4a8: int4 B [K, N] (f16 scales [ceil(K / group), N]) for the sdot kernels: GemmI8.h's I4Dot
  GemmBI4DotFromNK = 13, // the same from int4 B^T [N, K] (scales [N, ceil(K / group)])
  GemmBI8Dot = 14,       // w8a8: int8 B [K, N] (per-column f32 scales) for the sdot kernels: GemmI8.h's I8Dot
  ConvTapsI8Dot = 15,    // w8a8: int8 w [Cout, Cin, KH, KW] as I8Dot B [taps Cin, Cout], k = tap Cin + ci (taps = 1:
                         // B^T [N, K], a Gemm with transB = 1)
  GemmBW8A16 = 16,       // w8a16: int8 B [K, N] (per-column f32 scales) in GemmI16.h's I16W8 layout
  ConvTapsW8A16 = 17,    // w8a16: int8 w [Cout, Cin, KH, KW] as I16W8 B [taps Cin, Cout] (taps = 1: B^T [N, K])
  WinogradF23F16 = 18,   // a 3x3 convolution's weights Winograd F(2x2, 3x3)-transformed: 16 f16 GEMM panels of
                         // B [Cin, Cout] (f16 accumulation): Conv3x3F16.h
};
constexpr int kNumPackedLayouts = 19;

/// The name the planned IR records (`mote.packed_layout`).
constexpr const char *packedLayoutName(PackedLayout layout) {
  switch (layout) {
  case PackedLayout::GemmB:
    return "gemm_b";
  case PackedLayout::GemmBF16:
    return "gemm_b_f16";
  case PackedLayout::Conv1x1:
    return "conv1x1";
  case PackedLayout::Conv1x1F16:
    return "conv1x1_f16";
  case PackedLayout::Conv3x3:
    return "conv3x3_direct";
  case PackedLayout::WinogradF43:
    return "winograd_f43";
  case PackedLayout::Conv3x3F16:
    return "conv3x3_f16";
  case PackedLayout::ConvTaps:
    return "conv_taps";
  case PackedLayout::GemmBW8:
    return "gemm_b_w8";
  case PackedLayout::ConvTapsW8:
    return "conv_taps_w8";
  case PackedLayout::GemmBW4:
    return "gemm_b_w4";
  case PackedLayout::GemmBW4FromNK:
    return "gemm_b_w4_from_nk";
  case PackedLayout::GemmBI4Dot:
    return "gemm_b_i4dot";
  case PackedLayout::GemmBI4DotFromNK:
    return "gemm_b_i4dot_from_nk";
  case PackedLayout::GemmBI8Dot:
    return "gemm_b_i8dot";
  case PackedLayout::ConvTapsI8Dot:
    return "conv_taps_i8dot";
  case PackedLayout::GemmBW8A16:
    return "gemm_b_w8a16";
  case PackedLayout::ConvTapsW8A16:
    return "conv_taps_w8a16";
  case PackedLayout::WinogradF23F16:
    return "winograd_f23_f16";
  }
  return "";
}

/// The enumerator's name, for generated code that names the layout (`PackedLayout::GemmB`).
constexpr const char *packedLayoutEnumerator(PackedLayout layout) {
  switch (layout) {
  case PackedLayout::GemmB:
    return "GemmB";
  case PackedLayout::GemmBF16:
    return "GemmBF16";
  case PackedLayout::Conv1x1:
    return "Conv1x1";
  case PackedLayout::Conv1x1F16:
    return "Conv1x1F16";
  case PackedLayout::Conv3x3:
    return "Conv3x3";
  case PackedLayout::WinogradF43:
    return "WinogradF43";
  case PackedLayout::Conv3x3F16:
    return "Conv3x3F16";
  case PackedLayout::ConvTaps:
    return "ConvTaps";
  case PackedLayout::GemmBW8:
    return "GemmBW8";
  case PackedLayout::ConvTapsW8:
    return "ConvTapsW8";
  case PackedLayout::GemmBW4:
    return "GemmBW4";
  case PackedLayout::GemmBW4FromNK:
    return "GemmBW4FromNK";
  case PackedLayout::GemmBI4Dot:
    return "GemmBI4Dot";
  case PackedLayout::GemmBI4DotFromNK:
    return "GemmBI4DotFromNK";
  case PackedLayout::GemmBI8Dot:
    return "GemmBI8Dot";
  case PackedLayout::ConvTapsI8Dot:
    return "ConvTapsI8Dot";
  case PackedLayout::GemmBW8A16:
    return "GemmBW8A16";
  case PackedLayout::ConvTapsW8A16:
    return "ConvTapsW8A16";
  case PackedLayout::WinogradF23F16:
    return "WinogradF23F16";
  }
  return "";
}

/// Floats of f32 GEMM panels of B [K, N].
constexpr int64_t gemmBFloats(int64_t K, int64_t N) { return K * (N / 12 * 12 + (N % 12 + 3) / 4 * 4); }
/// Halves of f16 GEMM panels of B [K, N] (f16 accumulation).
constexpr int64_t gemmBHalves(int64_t K, int64_t N) { return K * (N / 24 * 24 + (N % 24 + 7) / 8 * 8); }

/// Bytes of int8 panels in the f32 panel layout (a byte per element), rounded up to 64 (the scales follow).
constexpr int64_t w8PanelBytes(int64_t K, int64_t N) { return (gemmBFloats(K, N) + 63) / 64 * 64; }
/// Bytes of int8 B [K, N] panels and their per-column f32 scales (N padded as the panels are).
constexpr int64_t gemmBW8Bytes(int64_t K, int64_t N) { return w8PanelBytes(K, N) + 4 * gemmBFloats(1, N); }

/// Bytes of int4 panels (two elements a byte, the panel layout's order), rounded up to 64 (the scales follow).
constexpr int64_t w4PanelBytes(int64_t K, int64_t N) { return (gemmBFloats(K, N) / 2 + 63) / 64 * 64; }
/// Bytes of int4 B [K, N] panels and their f32 scales, one per `group` rows of K and column (N padded as the
/// panels are).
constexpr int64_t gemmBW4Bytes(int64_t K, int64_t N, int64_t group) {
  return group < 1 ? -1 : w4PanelBytes(K, N) + 4 * ((K + group - 1) / group) * gemmBFloats(1, N);
}

/// Columns of the integer-dot layouts: 12-column int8 panels (the last rounded up to 4), 8-column int4 panels.
constexpr int64_t i8DotPaddedN(int64_t N) { return N / 12 * 12 + (N % 12 + 3) / 4 * 4; }
constexpr int64_t i4DotPaddedN(int64_t N) { return (N + 7) / 8 * 8; }
/// Bytes of int8 B [K, N] in GemmI8.h's I8Dot layout (K padded to 4) and its f32 scales.
constexpr int64_t gemmBI8DotBytes(int64_t K, int64_t N) {
  return ((K + 3) / 4 * 4 * i8DotPaddedN(N) + 63) / 64 * 64 + 4 * i8DotPaddedN(N);
}
/// Bytes of int4 B [K, N] in GemmI8.h's I4Dot layout (K padded to 4, two values a byte) and its f32 scales.
constexpr int64_t gemmBI4DotBytes(int64_t K, int64_t N, int64_t group) {
  return group < 1 ? -1 : ((K + 3) / 4 * 2 * i4DotPaddedN(N) + 63) / 64 * 64 + 4 * ((K + group - 1) / group) * i4DotPaddedN(N);
}

/// Columns of the i8mm layout (8-column panels) and bytes of int8 B [K, N] in it (K padded to 8) with f32 scales.
constexpr int64_t i8MMPaddedN(int64_t N) { return (N + 7) / 8 * 8; }
constexpr int64_t gemmBI8MMBytes(int64_t K, int64_t N) {
  return ((K + 7) / 8 * 8 * i8MMPaddedN(N) + 63) / 64 * 64 + 4 * i8MMPaddedN(N);
}

/// Columns of the I16W8 layout (8-column panels) and bytes of int8 B [K, N] in it with f32 scales (GemmI16.h).
constexpr int64_t w8a16PaddedN(int64_t N) { return (N + 7) / 8 * 8; }
constexpr int64_t gemmBW8A16Bytes(int64_t K, int64_t N) {
  return (K * w8a16PaddedN(N) + 63) / 64 * 64 + 4 * w8a16PaddedN(N);
}

/// Bytes of `layout` for a GEMM of reduction K and N output columns (convolutions: K = Cin, N = Cout, and
/// `taps` = KH * KW for ConvTaps; `group` the w4 layouts' rows of K per scale; the other layouts ignore them).
constexpr int64_t packedBytes(PackedLayout layout, int64_t K, int64_t N, int64_t taps = 1, int64_t group = 0) {
  switch (layout) {
  case PackedLayout::GemmB:
  case PackedLayout::Conv1x1:
    return 4 * gemmBFloats(K, N);
  case PackedLayout::GemmBF16:
  case PackedLayout::Conv1x1F16:
    return 2 * gemmBHalves(K, N);
  case PackedLayout::Conv3x3:
    return 4 * gemmBFloats(9 * K, N);
  case PackedLayout::WinogradF43:
    return 36 * 4 * gemmBFloats(K, N);
  case PackedLayout::Conv3x3F16:
    return 2 * gemmBHalves(9 * K, N);
  case PackedLayout::ConvTaps:
    return 4 * gemmBFloats(taps * K, N);
  case PackedLayout::GemmBW8:
    return gemmBW8Bytes(K, N);
  case PackedLayout::ConvTapsW8:
    return gemmBW8Bytes(taps * K, N);
  case PackedLayout::GemmBW4:
  case PackedLayout::GemmBW4FromNK:
    return gemmBW4Bytes(K, N, group);
  case PackedLayout::GemmBI4Dot:
  case PackedLayout::GemmBI4DotFromNK:
    return group % 4 != 0 ? -1 : gemmBI4DotBytes(K, N, group);
  case PackedLayout::GemmBI8Dot:
    return gemmBI8DotBytes(K, N);
  case PackedLayout::ConvTapsI8Dot:
    return gemmBI8DotBytes(taps * K, N);
  case PackedLayout::GemmBW8A16:
    return gemmBW8A16Bytes(K, N);
  case PackedLayout::ConvTapsW8A16:
    return gemmBW8A16Bytes(taps * K, N);
  case PackedLayout::WinogradF23F16:
    return 16 * 2 * gemmBHalves(K, N);
  }
  return -1;
}

} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_PACKEDSIZES_H
