// Runs one HVX integer kernel on a benchmark shape a given number of times (after packing its weights), for
// scripts/bench_hexagon_kernels.sh, which counts the instructions of 1 and of 3 runs under qemu-hexagon and
// takes the difference: Hexagon has no region markers, so set-up is subtracted this way.
//   KernelsBench gemm_i8|conv3x3_i8|gemm_i16|conv3x3_i16 RUNS
// Prints the shape's multiply-accumulates per run. The int16 kernels are the whole mote_hexagon_conv_i16 the
// generated programs call: the HVX sums of the high and low bytes and the C epilogue that requantizes them.
#include "runtime/hexagon/ConvI16.h"
#include "runtime/hexagon/ConvI8.h"
#include "runtime/hexagon/System.h"

enum { MAX_PIXELS = 1024, MAX_C = 320, MAX_N = 1280 };
static int8_t input[MAX_PIXELS * MAX_C] __attribute__((aligned(128)));
static int16_t input16[MAX_PIXELS * MAX_C] __attribute__((aligned(128)));
static uint8_t scratch16[(2 * MAX_PIXELS * MAX_C + MAX_C + 127) / 128 * 128 + 8 * MAX_PIXELS * MAX_N]
    __attribute__((aligned(128)));
static int8_t weights[9 * MAX_C * MAX_N / 4 * 4];
static uint8_t packed[9 * MAX_C * MAX_N] __attribute__((aligned(128)));
static int32_t requant[4 * MAX_N] __attribute__((aligned(128)));
static int32_t bias[MAX_N], mult[MAX_N], shift[MAX_N];
static int8_t pad_row[MAX_C] __attribute__((aligned(128)));
static int32_t params16[3 * MAX_N];
static int8_t out[MAX_PIXELS * MAX_N] __attribute__((aligned(128)));
static int16_t out16[MAX_PIXELS * MAX_N] __attribute__((aligned(128)));

static int same(const char *a, const char *b) {
  while (*a && *a == *b)
    ++a, ++b;
  return *a == *b;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    mote_print(2, "usage: KernelsBench gemm_i8|conv3x3_i8|gemm_i16|conv3x3_i16 RUNS\n");
    return 2;
  }
  const char *kernel = argv[1];
  int runs = 0;
  for (const char *p = argv[2]; *p; ++p)
    runs = runs * 10 + (*p - '0');
  const int conv = same(kernel, "conv3x3_i8") || same(kernel, "conv3x3_i16");
  const int sixteen = same(kernel, "gemm_i16") || same(kernel, "conv3x3_i16");
  if (!conv && !same(kernel, "gemm_i8") && !same(kernel, "gemm_i16")) {
    mote_print(2, "KernelsBench: unknown kernel\n");
    return 2;
  }
  MoteConv g;
  if (conv) { // 3x3, stride 1, padding 1, 32x32x320 -> 32x32x320
    g.batch = 1, g.H = 32, g.W = 32, g.C = 320, g.KH = g.KW = 3, g.pad_top = g.pad_left = 1, g.N = 320;
  } else { // GEMM 1024 x 320 x 1280: 1024 pixels of 320 channels, 1x1 kernel
    g.batch = 1, g.H = 1024, g.W = 1, g.C = 320, g.KH = g.KW = 1, g.pad_top = g.pad_left = 0, g.N = 1280;
  }
  g.pixel_stride = g.C, g.stride_h = g.stride_w = 1, g.dilation_h = g.dilation_w = 1;
  g.OH = g.H, g.OW = g.W, g.out_pixel_stride = g.N, g.zero = 0, g.lo = -128, g.hi = 127;
  uint32_t state = 7u;
  for (long i = 0; i < (long)g.H * g.W * g.C; ++i) {
    state = state * 1664525u + 1013904223u;
    input[i] = (int8_t)(state >> 24);
    input16[i] = (int16_t)(state >> 16);
  }
  const int taps = g.KH * g.KW;
  for (long i = 0; i < (long)g.N * g.C * taps; ++i) {
    state = state * 1664525u + 1013904223u;
    weights[i] = (int8_t)(state >> 24);
  }
  for (int n = 0; n < g.N; ++n)
    bias[n] = n, mult[n] = 40000, shift[n] = 12;
  mote_hvx_pack_weights(taps, g.C, g.N, weights, (long)g.C * taps, taps, 1, packed);
  mote_hvx_pack_requant(g.N, bias, mult, shift, requant);
  for (int n = 0; n < g.N; ++n)
    params16[n] = bias[n], params16[g.N + n] = mult[n], params16[2 * g.N + n] = shift[n] + 8;
  if (sixteen) {
    g.lo = -32767, g.hi = 32767;
    if (mote_hexagon_conv_i16_scratch_bytes(&g) > sizeof scratch16) {
      mote_print(2, "KernelsBench: scratch too small\n");
      return 2;
    }
  }
  for (int r = 0; r < runs; ++r) {
    if (sixteen)
      mote_hexagon_conv_i16(&g, input16, packed, params16, scratch16, out16);
    else
      mote_hvx_conv_i8(&g, input, pad_row, packed, requant, out);
  }
  mote_print(1, "macs ");
  mote_print_int(1, (long long)g.H * g.W * g.N * g.C * taps);
  mote_print(1, "\n");
  return 0;
}
