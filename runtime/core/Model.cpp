// The shared implementation of the generated models' C API: see Model.h.
#include "runtime/core/Model.h"

#include "runtime/core/ThreadPool.h"

#include <cstdint>
#include <cstdlib>

namespace mote {
namespace rt {

void *alignedBuffer(size_t bytes) {
  size_t rounded = (bytes + 63) / 64 * 64;
  return std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
}

namespace {

bool aligned64(const void *p) { return (reinterpret_cast<uintptr_t>(p) & 63) == 0; }

/// Arena and packed weights (the app's or allocated), then the weights packed once.
int prepare(const ModelEntry &entry, void *arena, void *packed, ModelHandle *handle) {
  if ((arena && !aligned64(arena)) || (packed && !aligned64(packed)))
    return kModelInvalidArgument;
  handle->arena = static_cast<unsigned char *>(arena ? arena : alignedBuffer(entry.arenaBytes));
  handle->ownsArena = !arena && handle->arena;
  handle->packed = static_cast<float *>(packed ? packed : alignedBuffer(entry.packedBytes));
  handle->ownsPacked = !packed && handle->packed;
  if (!handle->arena || !handle->packed) {
    closeModel(handle);
    return kModelOutOfMemory;
  }
  int rc = entry.init(handle->weights, handle->packed);
  if (rc == kModelOk)
    handle->release = entry.release;
  else
    closeModel(handle);
  return rc;
}

} // namespace

int modelStatusOf(WeightsError e) {
  switch (e) {
  case WeightsError::Ok:
    return kModelOk;
  case WeightsError::IoError:
    return kModelWeightsIo;
  case WeightsError::BadMagic:
  case WeightsError::BadVersion:
    return kModelWeightsFormat;
  case WeightsError::WrongTarget:
    return kModelWeightsTarget;
  case WeightsError::Truncated:
  case WeightsError::SizeMismatch:
  case WeightsError::BadSectionTable:
  case WeightsError::ChecksumMismatch:
    return kModelWeightsCorrupted;
  case WeightsError::InvalidArgument:
    return kModelInvalidArgument;
  }
  return kModelInvalidArgument;
}

int openModel(const ModelEntry &entry, const char *path, ModelHandle *handle) {
  if (!path || !handle)
    return kModelInvalidArgument;
  WeightsStatus status = WeightsFile::open(path, entry.target, &handle->weights);
  if (!status.ok())
    return modelStatusOf(status.code);
  return prepare(entry, nullptr, nullptr, handle);
}

int openModelWith(const ModelEntry &entry, const void *weights, size_t weightsBytes, void *arena, void *packed,
                  int threads, ModelHandle *handle) {
  if (!weights || !handle || threads < 0)
    return kModelInvalidArgument;
  WeightsStatus status = WeightsFile::fromMemory(weights, weightsBytes, entry.target, &handle->weights);
  if (!status.ok())
    return modelStatusOf(status.code);
  if (threads > 0)
    setDefaultThreadCount(threads);
  return prepare(entry, arena, packed, handle);
}

int runModel(const ModelEntry &entry, ModelHandle *handle, const void *const *inputs, void *const *outputs) {
  if (!handle || !handle->weights.isOpen() || !handle->arena || !inputs || !outputs)
    return kModelInvalidArgument;
  return entry.run(handle->weights, handle->arena, handle->packed, inputs, outputs);
}

void closeModel(ModelHandle *handle) {
  if (!handle)
    return;
  if (handle->release && handle->packed)
    handle->release(handle->packed);
  handle->release = nullptr;
  if (handle->ownsArena)
    std::free(handle->arena);
  if (handle->ownsPacked)
    std::free(handle->packed);
  handle->arena = nullptr;
  handle->packed = nullptr;
  handle->ownsArena = handle->ownsPacked = false;
  handle->weights = WeightsFile();
}

const char *modelError(int status) {
  switch (status) {
  case kModelOk:
    return "ok";
  case kModelSectionCount:
    return "the weights file has another number of sections than the model";
  case kModelSectionSize:
    return "a weights section has another size than the model's constant";
  case kModelGatherIndex:
    return "a gather index is out of range";
  case kModelCachePosition:
    return "a KV cache position is out of range (cache_position + new tokens exceeds the cache length)";
  case kModelDevice:
    return "the device failed (the OpenCL call and kernel are named on stderr)";
  case kModelPackedSize:
    return "a packed weight's size is not the one this runtime's kernels read";
  case kModelInvalidArgument:
    return "invalid argument (a null pointer, or a buffer not 64-byte aligned)";
  case kModelOutOfMemory:
    return "out of memory";
  case kModelWeightsIo:
    return "the weights file cannot be opened or read";
  case kModelWeightsFormat:
    return "not a Mote weights file of this format version";
  case kModelWeightsTarget:
    return "the weights file was compiled for another target";
  case kModelWeightsCorrupted:
    return "the weights file is corrupted (truncated, appended to, or its checksum does not match)";
  default:
    return "unknown status";
  }
}

} // namespace rt
} // namespace mote
