/* The example app: runs the CLIP text encoder, then the VAE decoder, through their C APIs (clip.h, vae.h,
 * generated at build time by mote_add_model), each opened only while it runs, and checks every output
 * against a reference (eager PyTorch's, in the test) within |got - want| <= atol + rtol * |want|.
 *
 *   alternate clip.weights vae.weights DATA_DIR
 *
 * DATA_DIR holds raw little-endian tensors, densely packed: clip_input_K.bin, clip_output_K.bin,
 * vae_input_K.bin, vae_output_K.bin. Exit status 0 when both models match.
 *
 * The CLIP encoder is opened on its weights file (clip_open: mapped, arena allocated by the model); the VAE
 * decoder on memory the app owns (vae_open_with: the weights file read into the app's buffer, the app's
 * arena and packed-weights buffers, two kernel threads). */
#include "clip.h"
#include "vae.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const double kRtol = 1e-3, kAtol = 1e-4;

/* A 64-byte aligned buffer of at least `bytes` (and at least 64) bytes. */
static void *alignedBuffer(size_t bytes) { return aligned_alloc(64, bytes == 0 ? 64 : (bytes + 63) / 64 * 64); }

/* The whole file at `path`, which must hold exactly `bytes` bytes (64-byte aligned buffer). */
static void *readExactly(const char *path, size_t bytes) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "alternate: cannot open '%s'\n", path);
    return NULL;
  }
  void *data = alignedBuffer(bytes);
  size_t got = data ? fread(data, 1, bytes, f) : 0;
  int extra = fgetc(f) != EOF;
  fclose(f);
  if (!data || got != bytes || extra) {
    fprintf(stderr, "alternate: '%s' does not hold the %zu bytes expected\n", path, bytes);
    free(data);
    return NULL;
  }
  return data;
}

/* Compares `n` floats; prints the worst element. 1 when they match. */
static int matches(const char *what, const float *got, const float *want, size_t n) {
  size_t worst = 0;
  double worstExcess = -1.0, maxAbs = 0.0;
  for (size_t i = 0; i < n; ++i) {
    double diff = fabs((double)got[i] - (double)want[i]);
    double excess = diff - (kAtol + kRtol * fabs((double)want[i]));
    if (diff > maxAbs)
      maxAbs = diff;
    if (excess > worstExcess || isnan(got[i])) {
      worstExcess = isnan(got[i]) ? INFINITY : excess;
      worst = i;
    }
  }
  int ok = worstExcess <= 0.0;
  printf("%s: %s: %zu values, max |diff| %.3g (rtol %g, atol %g; worst at %zu: got %.6g, want %.6g)\n", what,
         ok ? "PASS" : "FAIL", n, maxAbs, kRtol, kAtol, worst, got[worst], want[worst]);
  return ok;
}

/* DATA_DIR/<model>_<kind>_<k>.bin */
static void *readTensor(const char *dir, const char *model, const char *kind, int k, size_t bytes) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s_%s_%d.bin", dir, model, kind, k);
  return readExactly(path, bytes);
}

/* The whole weights file at `path` in a 64-byte aligned buffer of the app's; its size in *bytes. */
static void *readWeights(const char *path, size_t *bytes) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  void *data = size > 0 && fseek(f, 0, SEEK_SET) == 0 ? alignedBuffer((size_t)size) : NULL;
  if (data && fread(data, 1, (size_t)size, f) != (size_t)size) {
    free(data);
    data = NULL;
  }
  fclose(f);
  *bytes = data ? (size_t)size : 0;
  return data;
}

/* Opens the VAE on memory the app owns; the buffers are the app's to free after vae_close. */
static void *vaeWeights, *vaeArena, *vaePacked;
static int openVaeWithAppMemory(const char *path, vae_t **model) {
  size_t bytes = 0;
  vaeWeights = readWeights(path, &bytes);
  vaeArena = alignedBuffer(vae_ARENA_BYTES);
  vaePacked = alignedBuffer(vae_PACKED_BYTES);
  if (!vaeWeights || !vaeArena || !vaePacked) {
    fprintf(stderr, "alternate: cannot read '%s' or allocate the VAE's memory\n", path);
    return -1;
  }
  return vae_open_with(vaeWeights, bytes, vaeArena, vaePacked, 2, model);
}

static int openClip(const char *path, clip_t **model) { return clip_open(path, model); }

/* One model through its API: open, run, compare every output, close (its weights and arena are released
 * before the next model opens). A macro: the two models' types differ, their code does not. */
#define RUN_MODEL(M, OPEN, WEIGHTS, DIR, OK)                                                                 \
  do {                                                                                                       \
    void *in[M##_NUM_INPUTS], *out[M##_NUM_OUTPUTS], *want[M##_NUM_OUTPUTS];                                 \
    int ready = 1, k;                                                                                        \
    for (k = 0; k < M##_NUM_INPUTS; ++k)                                                                     \
      ready &= (in[k] = readTensor(DIR, #M, "input", k, M##_input_bytes[k])) != NULL;                        \
    for (k = 0; k < M##_NUM_OUTPUTS; ++k) {                                                                  \
      ready &= (want[k] = readTensor(DIR, #M, "output", k, M##_output_bytes[k])) != NULL;                    \
      ready &= (out[k] = alignedBuffer(M##_output_bytes[k])) != NULL;                                         \
    }                                                                                                        \
    M##_t *model = NULL;                                                                                     \
    int rc = ready ? OPEN(WEIGHTS, &model) : -1;                                                             \
    if (rc == 0)                                                                                             \
      rc = M##_run(model, (const void *const *)in, out);                                                     \
    if (rc > 0)                                                                                              \
      fprintf(stderr, "alternate: " #M ": %s\n", M##_error(rc));                                             \
    M##_close(model);                                                                                        \
    OK = rc == 0;                                                                                            \
    for (k = 0; k < M##_NUM_OUTPUTS; ++k) {                                                                  \
      char what[256];                                                                                        \
      snprintf(what, sizeof what, "%s output %d '%s'", #M, k, M##_output_names[k]);                          \
      if (OK && M##_output_types[k] != MOTE_FLOAT) {                                                         \
        fprintf(stderr, "alternate: %s is not float\n", what);                                               \
        OK = 0;                                                                                              \
      }                                                                                                      \
      if (OK)                                                                                                \
        OK = matches(what, (const float *)out[k], (const float *)want[k], M##_output_bytes[k] / sizeof(float)); \
      free(out[k]);                                                                                          \
      free(want[k]);                                                                                         \
    }                                                                                                        \
    for (k = 0; k < M##_NUM_INPUTS; ++k)                                                                     \
      free(in[k]);                                                                                           \
  } while (0)

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s clip.weights vae.weights DATA_DIR\n", argv[0]);
    return 2;
  }
  printf("clip: %d input(s), first '%s' (%d-d); vae: output '%s' [%lld x %lld x %lld x %lld]\n", clip_NUM_INPUTS,
         clip_input_names[0], clip_input_ranks[0], vae_output_names[0], (long long)vae_output_shapes[0][0],
         (long long)vae_output_shapes[0][1], (long long)vae_output_shapes[0][2], (long long)vae_output_shapes[0][3]);
  int clipOk = 0, vaeOk = 0;
  RUN_MODEL(clip, openClip, argv[1], argv[3], clipOk);
  RUN_MODEL(vae, openVaeWithAppMemory, argv[2], argv[3], vaeOk);
  free(vaeWeights);
  free(vaeArena);
  free(vaePacked);
  printf("%s\n", clipOk && vaeOk ? "alternate: both models match" : "alternate: FAIL");
  return clipOk && vaeOk ? 0 : 1;
}
