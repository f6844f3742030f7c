// The runtime's reader of `model.weights`: maps the file, refuses it unless every check passes, and hands
// out the sections the generated program's kernels read.
//
// Plain C++17 without exceptions; POSIX for the file (mmap, falling back to read()). See WeightsFormat.h
// for the layout. The checksum covers every byte of the file (its own field read as zero): it detects a
// corrupted, truncated or mixed-up file, not deliberate tampering (anyone can recompute it; it is not a
// signature). Non-regular files (FIFOs, devices) are refused without blocking.
#ifndef MOTE_RUNTIME_CORE_WEIGHTSFILE_H
#define MOTE_RUNTIME_CORE_WEIGHTSFILE_H

#include "runtime/core/WeightsFormat.h"

#include <cstddef>
#include <cstdint>

namespace mote {
namespace rt {

// Why a weights file was refused; the checks run in this order, and the first that fails is reported.
enum class WeightsError {
  Ok = 0,
  IoError,          // the file could not be opened, sized, mapped or read
  Truncated,        // shorter than the header
  BadMagic,         // not a Mote weights file
  BadVersion,       // another format version
  WrongTarget,      // compiled for another target
  SizeMismatch,     // the header's file size is not the file's size (cut or appended to)
  BadSectionTable,  // a section or name lies outside the file, overlaps another or is misaligned
  ChecksumMismatch, // the bytes after the header are not the ones written
  InvalidArgument,  // a caller's mistake (null pointers, a misaligned buffer)
};

// A result without exceptions: a code, and a message for people that says which check failed and with
// what values ("size mismatch: header says 4096 bytes, file has 4000").
struct WeightsStatus {
  WeightsError code = WeightsError::Ok;
  char message[256] = {};

  bool ok() const { return code == WeightsError::Ok; }
};

// One section: where its bytes are (inside the mapping, aligned to `alignment` in memory), how many, and
// how the kernels read them.
struct WeightsSection {
  const void *data = nullptr;
  uint64_t size = 0;
  weights::ElementType type = weights::ElementType::Raw;
  uint32_t alignment = 0;
  const char *name = ""; // NUL-terminated, inside the mapping
};

class WeightsFile {
public:
  using Status = WeightsStatus;

  // How open() brings the file into memory.
  enum class Load {
    MapOrRead, // mmap read-only; read() into an aligned buffer if mmap is not possible
    Read,      // always read() into an aligned buffer (e.g. to have every page resident up front)
  };

  // Opens and validates `path`. `expectedTarget` is the target this runtime was built for; null accepts
  // any target (for tools). On success `*out` owns the file (replacing what it held); on failure `*out` is
  // untouched and the status says which check failed.
  static Status open(const char *path, const char *expectedTarget, WeightsFile *out, Load load = Load::MapOrRead);

  // Validates a weights image already in memory (embedded in the binary, or loaded by the app). The
  // bytes are borrowed, must stay alive and unchanged while `*out` is used, and must start on a 64-byte
  // boundary (or the section's larger alignment). `label` names the image in messages.
  static Status fromMemory(const void *data, size_t size, const char *expectedTarget, WeightsFile *out,
                           const char *label = "weights");

  WeightsFile() = default;
  ~WeightsFile();
  WeightsFile(WeightsFile &&other) noexcept;
  WeightsFile &operator=(WeightsFile &&other) noexcept;
  WeightsFile(const WeightsFile &) = delete;
  WeightsFile &operator=(const WeightsFile &) = delete;

  bool isOpen() const { return data_ != nullptr; }
  // The target the file was compiled for (NUL-terminated).
  const char *target() const { return target_; }
  uint32_t sectionCount() const { return sectionCount_; }
  // Section `index` (< sectionCount()), in the order the compiler added them.
  WeightsSection section(uint32_t index) const;
  // The section called `name`, or false. Linear in the number of sections: for start-up, not kernels.
  bool find(const char *name, WeightsSection *out) const;
  // The whole file as it is in memory (sections' pointers lie inside it).
  const void *data() const { return data_; }
  size_t size() const { return size_; }

private:
  enum class Backing { None, Mapped, Heap, Borrowed };

  void reset();

  const unsigned char *data_ = nullptr;
  size_t size_ = 0;
  Backing backing_ = Backing::None;
  uint32_t sectionCount_ = 0;
  char target_[weights::kTargetNameSize] = {};
};

} // namespace rt
} // namespace mote

#endif // MOTE_RUNTIME_CORE_WEIGHTSFILE_H
