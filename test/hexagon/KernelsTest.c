// The HVX integer kernels (runtime/hexagon/ConvI8.c) against brute-force loops in plain C, bit for bit: int8
// convolutions and GEMMs with the requantization of runtime/integer/Requantize.h (random multipliers, shifts,
// zero points, clamps and biases large enough to saturate), and the int16-activation sums. Odd channel counts,
// partial panels and blocks, strides, dilation, padding and batches. Runs under qemu-hexagon; prints one
// line per case and "PASS: N cases" or the first mismatch.
#include "runtime/hexagon/ConvI8.h"
#include "runtime/integer/Requantize.h"
#include "runtime/hexagon/System.h"

static uint32_t rng_state = 12345u;
static uint32_t next_random(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}
static int32_t random_in(int32_t lo, int32_t hi) { return lo + (int32_t)(next_random() % (uint32_t)(hi - lo + 1)); }

enum { MAX_IN = 1 << 16, MAX_W = 1 << 17, MAX_N = 512, MAX_OUT = 1 << 16 };
static int8_t input[MAX_IN] __attribute__((aligned(128)));
static int16_t input16[MAX_IN] __attribute__((aligned(128)));
static uint8_t planes[2 * MAX_IN + 1024] __attribute__((aligned(128)));
static int8_t weights[MAX_W];
static uint8_t packed[MAX_W * 2] __attribute__((aligned(128)));
static int32_t requant[4 * 32 * (MAX_N / 32 + 1)] __attribute__((aligned(128)));
static int32_t bias[MAX_N], mult[MAX_N], shift[MAX_N];
static int8_t pad_row[1024] __attribute__((aligned(128)));
static int8_t out[MAX_OUT], expected[MAX_OUT];
static int32_t out_hi[MAX_OUT], out_lo[MAX_OUT];

/// The exact sum of products of output pixel m, channel n (activations from `at`).
static long long brute_sum(const MoteConv *g, int m, int n, int sixteen, int pad_value) {
  const int per_image = g->OH * g->OW, img = m / per_image, oh = (m % per_image) / g->OW, ow = m % g->OW;
  long long s = 0;
  for (int kh = 0; kh < g->KH; ++kh)
    for (int kw = 0; kw < g->KW; ++kw) {
      const int ih = oh * g->stride_h - g->pad_top + kh * g->dilation_h;
      const int iw = ow * g->stride_w - g->pad_left + kw * g->dilation_w;
      const int inside = ih >= 0 && ih < g->H && iw >= 0 && iw < g->W;
      for (int c = 0; c < g->C; ++c) {
        const long at = ((long)(img * g->H + ih) * g->W + iw) * g->pixel_stride + c;
        const int a = !inside ? pad_value : sixteen ? input16[at] : input[at];
        s += (long long)a * weights[(n * g->C + c) * g->KH * g->KW + kh * g->KW + kw];
      }
    }
  return s;
}

static int failures = 0, cases = 0;

static void run_case(int batch, int H, int W, int C, int N, int KH, int KW, int stride, int pad, int dilation,
                     int saturate) {
  MoteConv g;
  g.batch = batch, g.H = H, g.W = W, g.C = C, g.pixel_stride = (C + 3) / 4 * 4 + 4 * (int)(next_random() % 2);
  g.KH = KH, g.KW = KW, g.stride_h = g.stride_w = stride, g.pad_top = g.pad_left = pad;
  g.dilation_h = g.dilation_w = dilation;
  g.OH = (H + 2 * pad - dilation * (KH - 1) - 1) / stride + 1;
  g.OW = (W + 2 * pad - dilation * (KW - 1) - 1) / stride + 1;
  g.N = N, g.out_pixel_stride = N + (int)(next_random() % 3);
  g.zero = random_in(-20, 20), g.lo = random_in(-128, -100), g.hi = random_in(100, 127);
  const long pixels = (long)batch * H * W, M = (long)batch * g.OH * g.OW;
  for (long i = 0; i < pixels * g.pixel_stride; ++i) {
    input[i] = (int8_t)random_in(-127, 127);
    input16[i] = (int16_t)random_in(-32767, 32767);
  }
  const int pad_value = random_in(-5, 5);
  for (int i = 0; i < g.pixel_stride; ++i)
    pad_row[i] = (int8_t)pad_value;
  for (long i = 0; i < (long)N * C * KH * KW; ++i)
    weights[i] = (int8_t)random_in(-127, 127);
  for (int n = 0; n < N; ++n) {
    bias[n] = saturate ? random_in(-(1 << 30), 1 << 30) : random_in(-5000, 5000);
    mult[n] = random_in(saturate ? 0 : 32768, 65535);
    shift[n] = saturate ? random_in(0, 31) : random_in(6, 14);
  }
  mote_hvx_pack_weights(KH * KW, C, N, weights, (long)C * KH * KW, KH * KW, 1, packed);
  mote_hvx_pack_requant(N, bias, mult, shift, requant);
  for (long i = 0; i < M * g.out_pixel_stride; ++i)
    out[i] = expected[i] = 0x5a; // bytes between pixels must stay untouched
  mote_hvx_conv_i8(&g, input, pad_row, packed, requant, out);
  int bad = -1;
  for (long m = 0; m < M && bad < 0; ++m)
    for (int n = 0; n < N; ++n) {
      const int32_t acc = (int32_t)(uint32_t)((uint32_t)brute_sum(&g, (int)m, n, 0, pad_value) + (uint32_t)bias[n]);
      expected[m * g.out_pixel_stride + n] = (int8_t)mote_requantize(acc, mult[n], shift[n], g.zero, g.lo, g.hi);
    }
  for (long i = 0; i < M * g.out_pixel_stride; ++i)
    if (out[i] != expected[i]) {
      bad = (int)i;
      break;
    }
  // int16 activations: the exact sums (padding is zero there).
  int bad16 = -1;
  mote_hvx_conv_i16_sums(&g, input16, planes, packed, out_hi, out_lo);
  for (long m = 0; m < M && bad16 < 0; ++m)
    for (int n = 0; n < N; ++n)
      if (256ll * out_hi[m * N + n] + out_lo[m * N + n] != brute_sum(&g, (int)m, n, 1, 0)) {
        bad16 = (int)(m * N + n);
        break;
      }
  ++cases;
  mote_print(1, bad < 0 && bad16 < 0 ? "ok   " : "FAIL ");
  mote_print(1, "batch ");
  mote_print_int(1, batch);
  mote_print(1, " H ");
  mote_print_int(1, H);
  mote_print(1, " W ");
  mote_print_int(1, W);
  mote_print(1, " C ");
  mote_print_int(1, C);
  mote_print(1, " N ");
  mote_print_int(1, N);
  mote_print(1, " kernel ");
  mote_print_int(1, KH);
  mote_print(1, "x");
  mote_print_int(1, KW);
  mote_print(1, " stride ");
  mote_print_int(1, stride);
  mote_print(1, " pad ");
  mote_print_int(1, pad);
  mote_print(1, " dilation ");
  mote_print_int(1, dilation);
  mote_print(1, saturate ? " saturating" : "");
  if (bad >= 0) {
    mote_print(1, " int8 mismatch at byte ");
    mote_print_int(1, bad);
    mote_print(1, ": got ");
    mote_print_int(1, out[bad]);
    mote_print(1, " expected ");
    mote_print_int(1, expected[bad]);
  }
  if (bad16 >= 0) {
    mote_print(1, " int16 sums mismatch at ");
    mote_print_int(1, bad16);
  }
  mote_print(1, "\n");
  failures += bad >= 0 || bad16 >= 0;
}

int main(int argc, char **argv) {
  (void)argc, (void)argv;
  // GEMMs: M x 1 x 1 x K images with 1x1 kernels.
  run_case(1, 7, 1, 37, 101, 1, 1, 1, 0, 1, 0);
  run_case(1, 1, 1, 64, 32, 1, 1, 1, 0, 1, 0);
  run_case(1, 16, 1, 128, 129, 1, 1, 1, 0, 1, 0);
  run_case(1, 5, 1, 3, 200, 1, 1, 1, 0, 1, 1);
  run_case(1, 33, 1, 320, 256, 1, 1, 1, 0, 1, 1);
  // Convolutions.
  run_case(1, 8, 9, 13, 70, 3, 3, 1, 1, 1, 0);
  run_case(2, 6, 5, 8, 32, 3, 3, 2, 1, 1, 0);
  run_case(1, 9, 9, 4, 40, 3, 3, 1, 2, 2, 0);
  run_case(1, 7, 6, 21, 130, 1, 1, 1, 0, 1, 1);
  run_case(2, 5, 7, 6, 9, 5, 5, 1, 2, 1, 1);
  run_case(1, 11, 10, 16, 96, 3, 3, 2, 0, 1, 0);
  if (failures) {
    mote_print(1, "FAIL: ");
    mote_print_int(1, failures);
    mote_print(1, " of ");
    mote_print_int(1, cases);
    mote_print(1, " cases\n");
    return 1;
  }
  mote_print(1, "PASS: ");
  mote_print_int(1, cases);
  mote_print(1, " cases\n");
  return 0;
}
