// The program `motec run --target=hexagon` runs under qemu-hexagon: reads the weights file and the model's
// inputs (raw files: int8 or int16, int64 token ids, an f32 timestep), runs the generated model (model.h /
// model.c, compiled with it) and writes its int8 or int16 outputs (raw files). The host quantizes the inputs and dequantizes the outputs with the scales model.h gives.
//
//   runner [--runs N] WEIGHTS IN_0 ... -- OUT_0 ...
//
// --runs N runs the model N times (default 1): instruction counts of two runs differ by one inference, since
// Hexagon has no region markers. Exit status 0, or 1 with a message on stderr.
#include "model.h"

#include "runtime/hexagon/System.h"
#include "runtime/hexagon/Weights.h"

static uint8_t weights[MODEL_WEIGHTS_BYTES] __attribute__((aligned(128)));
static uint8_t arena[MODEL_ARENA_BYTES + 128] __attribute__((aligned(128)));
static int8_t input_bytes[MODEL_INPUT_BYTES + 8 * MODEL_NUM_INPUTS] __attribute__((aligned(128)));
static int8_t output_bytes[MODEL_OUTPUT_BYTES + 8 * MODEL_NUM_OUTPUTS] __attribute__((aligned(128)));

static int fail(const char *what, const char *detail) {
  mote_print(2, "runner: ");
  mote_print(2, what);
  mote_print(2, detail);
  mote_print(2, "\n");
  return 1;
}

/// Reads exactly `size` bytes of `path` (and checks that nothing follows).
static int read_file(const char *path, void *bytes, size_t size) {
  const int fd = mote_open(path, MOTE_O_RDONLY);
  if (fd < 0)
    return fail("cannot open ", path);
  char extra;
  const int ok = mote_read_all(fd, bytes, size) == 0 && mote_syscall(MOTE_SYS_READ, fd, (long)&extra, 1, 0) == 0;
  mote_close(fd);
  return ok ? 0 : fail("not the size the model expects: ", path);
}

int main(int argc, char **argv) {
  int a = 1, runs = 1;
  if (a + 1 < argc && argv[a][0] == '-' && argv[a][1] == '-' && argv[a][2] == 'r') { // --runs N
    runs = 0;
    for (const char *p = argv[a + 1]; *p; ++p)
      runs = runs * 10 + (*p - '0');
    a += 2;
  }
  if (argc - a != 1 + MODEL_NUM_INPUTS + 1 + MODEL_NUM_OUTPUTS || argv[a + 1 + MODEL_NUM_INPUTS][0] != '-')
    return fail("usage: runner [--runs N] WEIGHTS IN... -- OUT...", "");
  if (read_file(argv[a], weights, sizeof weights))
    return 1;
  int status = model_check_weights(weights, sizeof weights);
  if (status)
    return fail("weights: ", model_error(status));
  const void *inputs[MODEL_NUM_INPUTS + 1];
  void *outputs[MODEL_NUM_OUTPUTS + 1];
  long at = 0;
  for (int k = 0; k < MODEL_NUM_INPUTS; ++k) {
    inputs[k] = input_bytes + at;
    if (read_file(argv[a + 1 + k], input_bytes + at, (size_t)model_input_bytes[k]))
      return 1;
    at += (model_input_bytes[k] + 7) / 8 * 8; // int64 inputs 8-byte aligned
  }
  at = 0;
  for (int k = 0; k < MODEL_NUM_OUTPUTS; ++k) {
    outputs[k] = output_bytes + at;
    at += (model_output_bytes[k] + 7) / 8 * 8;
  }
  for (int r = 0; r < runs; ++r)
    if ((status = model_run(weights, arena, inputs, outputs)) != 0)
      return fail("the model: ", model_error(status));
  for (int k = 0; k < MODEL_NUM_OUTPUTS; ++k) {
    const char *path = argv[a + 2 + MODEL_NUM_INPUTS + k];
    const int fd = mote_open(path, MOTE_O_WRONLY_CREAT_TRUNC);
    if (fd < 0 || mote_write_all(fd, outputs[k], (size_t)model_output_bytes[k]))
      return fail("cannot write ", path);
    mote_close(fd);
  }
  return 0;
}
