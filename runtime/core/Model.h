// What every generated model's C API (NAME.h, see codegen/ModelInterface.h) does the same way, written once:
// opening the weights (a file, or an image the app already holds), the activation arena and the packed
// weights (allocated, or memory the app owns), the thread count, running, closing, and the error messages.
// The generated NAME.cpp forwards each NAME_* function here with its model's ModelEntry.
//
// Plain C++17 without exceptions; nothing here prints.
#ifndef MOTE_RUNTIME_CORE_MODEL_H
#define MOTE_RUNTIME_CORE_MODEL_H

#include "runtime/core/WeightsFile.h"

#include <cstddef>

namespace mote {
namespace rt {

/// The status codes of the C API (0 is success); modelError() says what each means. Stable: apps may test
/// them. 1-4 come from the generated code itself.
enum ModelStatus : int {
  kModelOk = 0,
  kModelSectionCount = 1,   // the weights file has another number of sections than the model
  kModelSectionSize = 2,    // a weights section has another size than the model's constant
  kModelGatherIndex = 3,    // a gather index is out of range (bad input)
  kModelPackedSize = 4,     // a packed weight's size is not the one this runtime's kernels read
  kModelInvalidArgument = 5,
  kModelOutOfMemory = 6,
  kModelWeightsIo = 7,         // the weights file cannot be opened or read
  kModelWeightsFormat = 8,     // not a Mote weights file, or another format version
  kModelWeightsTarget = 9,     // compiled for another target
  kModelWeightsCorrupted = 10, // truncated, appended to, bad section table or checksum
  kModelCachePosition = 11,    // a KV cache position is out of range (bad input)
  kModelDevice = 12,           // the device failed (OpenCL: the call and kernel are on stderr)
};

/// One generated model, as its NAME.cpp describes it.
struct ModelEntry {
  const char *target;       // the weights file's target ("neon")
  size_t arenaBytes;        // activation arena
  size_t packedBytes;       // weights packed once at open
  int (*init)(const WeightsFile &weights, float *packed);
  int (*run)(const WeightsFile &weights, unsigned char *arena, const float *packed, const void *const *inputs,
             void *const *outputs);
  /// Releases what init made besides the packed bytes (null: nothing). A device target keeps its session in
  /// the packed buffer (OpenCL: the device's buffers and program) and frees it here, before the buffer goes.
  void (*release)(float *packed) = nullptr;
};

/// An opened model. The generated NAME_t derives from it.
struct ModelHandle {
  WeightsFile weights;
  unsigned char *arena = nullptr;
  float *packed = nullptr;
  bool ownsArena = false, ownsPacked = false;
  void (*release)(float *packed) = nullptr; // the entry's, once init succeeded
};

/// `bytes` (at least 64) of 64-byte aligned memory from the heap (std::free releases it), or null.
void *alignedBuffer(size_t bytes);
/// The status of a weights-file check.
int modelStatusOf(WeightsError e);
/// Opens the weights file at `path` (mapped), allocates the arena and the packed weights, packs them.
int openModel(const ModelEntry &entry, const char *path, ModelHandle *handle);
/// Same on a weights image in memory (64-byte aligned, borrowed until close) and, when not null, an arena of
/// entry.arenaBytes and packed weights of entry.packedBytes the app owns (64-byte aligned). threads >= 1
/// resizes the process-wide pool the kernels use (setDefaultThreadCount: only while no model runs); 0 leaves
/// it.
int openModelWith(const ModelEntry &entry, const void *weights, size_t weightsBytes, void *arena, void *packed,
                  int threads, ModelHandle *handle);
/// Runs one inference: inputs and outputs in graph order, densely packed in the model's element types.
int runModel(const ModelEntry &entry, ModelHandle *handle, const void *const *inputs, void *const *outputs);
/// Frees what openModel* allocated and unmaps the weights (the handle itself stays the caller's).
void closeModel(ModelHandle *handle);
/// What a status code means ("unknown status" for others).
const char *modelError(int status);

} // namespace rt
} // namespace mote

#endif // MOTE_RUNTIME_CORE_MODEL_H
