// The simulation driver of a generated program, the same for every target (`motec run --target=T`: NEON
// under qemu, OpenCL on the host against pocl):
//
//   runner [--threads=N] [--bench] model.weights in_0.bin ... -- out_0.bin ...
//
// --threads=N (default 1) sizes the thread pool the kernels split their work over (ThreadPool.h); the
// results do not depend on it. --bench runs the model once more after a warm-up, between the markers of
// ../shared/tools/qemu-insn-count (`hint #126` / `hint #127`, no-ops on hardware), so that the counter's
// REGION line is exactly one inference.
//
// It goes through the model's C API (model.h, codegen/ModelInterface.h; `motec run` names the model "model"):
// reads raw little-endian inputs (their sizes come from model.h), opens the model on its weights file, runs
// it and writes the raw outputs. Any error is reported on stderr with a non-zero exit status. Plain C++17,
// no exceptions.
#include "model.h"

#include "runtime/core/ThreadPool.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

void *alignedBuffer(size_t bytes) {
  size_t rounded = (bytes + 63) / 64 * 64;
  return std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
}

bool readFile(const char *path, void *data, size_t expected) {
  std::FILE *f = std::fopen(path, "rb");
  if (!f) {
    std::fprintf(stderr, "runner: error: cannot open input '%s'\n", path);
    return false;
  }
  std::fseek(f, 0, SEEK_END);
  long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  if (size < 0 || static_cast<size_t>(size) != expected) {
    std::fprintf(stderr, "runner: error: input '%s' has %ld bytes, the model expects %zu\n", path, size, expected);
    std::fclose(f);
    return false;
  }
  size_t got = expected == 0 ? 0 : std::fread(data, 1, expected, f);
  std::fclose(f);
  if (got != expected) {
    std::fprintf(stderr, "runner: error: short read on '%s'\n", path);
    return false;
  }
  return true;
}

bool writeFile(const char *path, const void *data, size_t bytes) {
  std::FILE *f = std::fopen(path, "wb");
  if (!f) {
    std::fprintf(stderr, "runner: error: cannot create output '%s'\n", path);
    return false;
  }
  size_t put = bytes == 0 ? 0 : std::fwrite(data, 1, bytes, f);
  bool ok = put == bytes && std::fclose(f) == 0;
  if (!ok)
    std::fprintf(stderr, "runner: error: cannot write output '%s'\n", path);
  return ok;
}

/// Parses the N of --threads=N: 1 to 256, else -1.
int parseThreads(const char *text) {
  char *end = nullptr;
  long n = std::strtol(text, &end, 10);
  return end != text && *end == '\0' && n >= 1 && n <= 256 ? static_cast<int>(n) : -1;
}

} // namespace

int main(int argc, char **argv) {
  // Options come first; drop them from argv.
  int threads = 1;
  bool bench = false;
  while (argc > 1 && (std::strncmp(argv[1], "--threads=", 10) == 0 || std::strcmp(argv[1], "--bench") == 0)) {
    if (std::strcmp(argv[1], "--bench") == 0) {
      bench = true;
    } else if ((threads = parseThreads(argv[1] + 10)) < 0) {
      std::fprintf(stderr, "runner: error: bad thread count '%s' (expected --threads=N, N from 1 to 256)\n",
                   argv[1]);
      return 2;
    }
    argv[1] = argv[0];
    ++argv;
    --argc;
  }
  mote::rt::setDefaultThreadCount(threads);
  int sep = -1;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--") == 0) {
      sep = i;
      break;
    }
  if (argc < 2 || sep < 0 || sep - 2 != model_NUM_INPUTS || argc - sep - 1 != model_NUM_OUTPUTS) {
    std::fprintf(stderr, "usage: %s [--threads=N] [--bench] model.weights IN_0.bin ... -- OUT_0.bin ...  (%d inputs, %d outputs)\n",
                 argv[0], model_NUM_INPUTS, model_NUM_OUTPUTS);
    return 2;
  }
  void *inputs[model_NUM_INPUTS + 1] = {nullptr};
  void *outputs[model_NUM_OUTPUTS + 1] = {nullptr};
  for (int k = 0; k < model_NUM_INPUTS; ++k) {
    inputs[k] = alignedBuffer(model_input_bytes[k]);
    if (!inputs[k] || !readFile(argv[2 + k], inputs[k], model_input_bytes[k]))
      return 1;
  }
  for (int k = 0; k < model_NUM_OUTPUTS; ++k)
    if (!(outputs[k] = alignedBuffer(model_output_bytes[k]))) {
      std::fprintf(stderr, "runner: error: out of memory\n");
      return 1;
    }
  model_t *model = nullptr;
  int rc = model_open(argv[1], &model);
  if (rc != 0) {
    std::fprintf(stderr, "runner: error: cannot open the model on '%s': %s\n", argv[1], model_error(rc));
    return 1;
  }
  rc = model_run(model, inputs, outputs);
  if (rc == 0 && bench) { // the warm-up was the run above
#if defined(__aarch64__)
    asm volatile("hint #126" ::: "memory");
#endif
    rc = model_run(model, inputs, outputs);
#if defined(__aarch64__)
    asm volatile("hint #127" ::: "memory");
#endif
  }
  if (rc != 0) {
    std::fprintf(stderr, "runner: error: the model failed (code %d: %s)\n", rc, model_error(rc));
    return 1;
  }
  for (int k = 0; k < model_NUM_OUTPUTS; ++k)
    if (!writeFile(argv[sep + 1 + k], outputs[k], model_output_bytes[k]))
      return 1;
  model_close(model);
  for (int k = 0; k < model_NUM_INPUTS; ++k)
    std::free(inputs[k]);
  for (int k = 0; k < model_NUM_OUTPUTS; ++k)
    std::free(outputs[k]);
  return 0;
}
