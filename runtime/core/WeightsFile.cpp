// Reading and validating `model.weights` on the device: every field is checked before it is trusted, so a
// cut, padded, foreign or corrupted file is refused with a message rather than read out of bounds.
#include "runtime/core/WeightsFile.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mote {
namespace rt {

using namespace weights;

namespace {

#if defined(__GNUC__) || defined(__clang__)
#define MOTE_PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define MOTE_PRINTF_LIKE(fmt, args)
#endif

// "<label>: <message>", truncated to the status buffer if it must be.
WeightsStatus fail(WeightsError code, const char *label, const char *format, ...) MOTE_PRINTF_LIKE(3, 4);

WeightsStatus fail(WeightsError code, const char *label, const char *format, ...) {
  WeightsStatus status;
  status.code = code;
  int used = std::snprintf(status.message, sizeof(status.message), "%s: ", label);
  if (used < 0 || static_cast<size_t>(used) >= sizeof(status.message))
    return status;
  va_list args;
  va_start(args, format);
  std::vsnprintf(status.message + used, sizeof(status.message) - static_cast<size_t>(used), format, args);
  va_end(args);
  return status;
}

typedef unsigned long long ull; // for printf: uint64_t is not `unsigned long long` everywhere

// Everything WeightsFormat.h promises, checked in the order the refusals are documented in WeightsFile.h.
// Nothing in `data` is read before `size` says it is there.
WeightsStatus validate(const unsigned char *data, size_t size, const char *expectedTarget, const char *label) {
  if (size < kHeaderSize)
    return fail(WeightsError::Truncated, label, "truncated: %zu bytes, the header needs %zu", size, kHeaderSize);
  Header header = decodeHeader(data);
  if (std::memcmp(header.magic, kMagic, sizeof(kMagic)) != 0)
    return fail(WeightsError::BadMagic, label, "not a Mote weights file (bad magic)");
  if (header.formatVersion != kFormatVersion)
    return fail(WeightsError::BadVersion, label, "format version %u, this runtime reads %u",
                static_cast<unsigned>(header.formatVersion), static_cast<unsigned>(kFormatVersion));
  if (std::memchr(header.target, '\0', kTargetNameSize) == nullptr)
    return fail(WeightsError::WrongTarget, label, "the target name in the header is not terminated");
  if (expectedTarget && std::strcmp(header.target, expectedTarget) != 0)
    return fail(WeightsError::WrongTarget, label, "built for target '%s', this runtime is '%s'", header.target,
                expectedTarget);
  if (header.fileSize != size)
    return fail(WeightsError::SizeMismatch, label, "size mismatch: header says %llu bytes, file has %zu",
                static_cast<ull>(header.fileSize), size);

  // The table and the names. sectionCount is 32-bit, so these sums cannot overflow 64 bits.
  uint64_t tableEnd = kHeaderSize + static_cast<uint64_t>(header.sectionCount) * kSectionEntrySize;
  if (tableEnd > size)
    return fail(WeightsError::BadSectionTable, label,
                "bad section table: %u entries end at byte %llu, past the end of the file (%zu bytes)",
                static_cast<unsigned>(header.sectionCount), static_cast<ull>(tableEnd), size);
  uint64_t namesEnd = tableEnd + header.namesSize;
  if (namesEnd > size)
    return fail(WeightsError::BadSectionTable, label,
                "bad section table: the name table ends at byte %llu, past the end of the file (%zu bytes)",
                static_cast<ull>(namesEnd), size);
  const char *names = reinterpret_cast<const char *>(data + tableEnd);

  uint64_t previousEnd = namesEnd;
  for (uint32_t i = 0; i < header.sectionCount; ++i) {
    SectionEntry e = decodeSectionEntry(data + kHeaderSize + static_cast<size_t>(i) * kSectionEntrySize);
    unsigned index = static_cast<unsigned>(i);
    if (static_cast<uint64_t>(e.nameOffset) + e.nameSize >= header.namesSize)
      return fail(WeightsError::BadSectionTable, label,
                  "bad section table: the name of section %u lies outside the name table", index);
    if (names[static_cast<size_t>(e.nameOffset) + e.nameSize] != '\0')
      return fail(WeightsError::BadSectionTable, label,
                  "bad section table: the name of section %u is not NUL-terminated", index);
    const char *name = names + e.nameOffset;
    if (e.elementType >= kElementTypeCount)
      return fail(WeightsError::BadSectionTable, label,
                  "bad section table: section %u ('%.64s') has unknown element type %u", index, name,
                  static_cast<unsigned>(e.elementType));
    if (!isValidAlignment(e.alignment))
      return fail(WeightsError::BadSectionTable, label,
                  "bad section table: section %u ('%.64s') has alignment %u, not a power of two from %u to %u", index,
                  name, static_cast<unsigned>(e.alignment), static_cast<unsigned>(kMinAlignment),
                  static_cast<unsigned>(kMaxAlignment));
    if (e.offset % e.alignment != 0)
      return fail(WeightsError::BadSectionTable, label,
                  "bad section table: section %u ('%.64s') at byte %llu is not %u-byte aligned", index, name,
                  static_cast<ull>(e.offset), static_cast<unsigned>(e.alignment));
    if (e.offset < previousEnd)
      return fail(WeightsError::BadSectionTable, label,
                  "bad section table: section %u ('%.64s') at byte %llu overlaps what precedes it (up to byte %llu)",
                  index, name, static_cast<ull>(e.offset), static_cast<ull>(previousEnd));
    if (e.offset > size || e.size > size - e.offset)
      return fail(WeightsError::BadSectionTable, label,
                  "bad section table: section %u ('%.64s') of %llu bytes at byte %llu lies outside the file "
                  "(%zu bytes)",
                  index, name, static_cast<ull>(e.size), static_cast<ull>(e.offset), size);
    if (reinterpret_cast<uintptr_t>(data + e.offset) % e.alignment != 0)
      return fail(WeightsError::InvalidArgument, label,
                  "section %u ('%.64s') is not %u-byte aligned in memory: the image must start on a %u-byte "
                  "boundary",
                  index, name, static_cast<unsigned>(e.alignment), static_cast<unsigned>(e.alignment));
    previousEnd = e.offset + e.size;
  }

  if (fileChecksum(data, size) != header.checksum)
    return fail(WeightsError::ChecksumMismatch, label, "checksum mismatch: the file is corrupted");
  return WeightsStatus();
}

// read() all of `fd` (`size` bytes by fstat) into a page-aligned buffer; `*got` may be less if the file
// shrank meanwhile, which validation then reports.
WeightsStatus readAll(int fd, size_t size, const char *path, unsigned char **out, size_t *got) {
  void *buffer = nullptr;
  if (posix_memalign(&buffer, kMaxAlignment, size) != 0)
    return fail(WeightsError::IoError, path, "cannot allocate %zu bytes to read the file", size);
  unsigned char *bytes = static_cast<unsigned char *>(buffer);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, bytes + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int error = errno;
      std::free(buffer);
      return fail(WeightsError::IoError, path, "cannot read: %s", std::strerror(error));
    }
    if (n == 0)
      break;
    done += static_cast<size_t>(n);
  }
  *out = bytes;
  *got = done;
  return WeightsStatus();
}

} // namespace

WeightsStatus WeightsFile::open(const char *path, const char *expectedTarget, WeightsFile *out, Load load) {
  if (!path || !out)
    return fail(WeightsError::InvalidArgument, "weights", "open() needs a path and an output");
  int fd;
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever; it is refused below as
  // not a regular file (for regular files the flag changes nothing).
  do
    fd = ::open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    int error = errno;
    return fail(WeightsError::IoError, path, "cannot open: %s", std::strerror(error));
  }
  struct stat info;
  if (fstat(fd, &info) != 0) {
    int error = errno;
    ::close(fd);
    return fail(WeightsError::IoError, path, "cannot stat: %s", std::strerror(error));
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return fail(WeightsError::IoError, path, "not a regular file");
  }
  uint64_t fileSize = static_cast<uint64_t>(info.st_size);
  if (fileSize > static_cast<uint64_t>(SIZE_MAX)) {
    ::close(fd);
    return fail(WeightsError::IoError, path, "%llu bytes do not fit in this address space", static_cast<ull>(fileSize));
  }
  size_t size = static_cast<size_t>(fileSize);
  if (size < kHeaderSize) {
    ::close(fd);
    return validate(nullptr, size, expectedTarget, path); // reports the truncation
  }

  WeightsFile file;
  if (load == Load::MapOrRead) {
    void *mapped = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapped != MAP_FAILED) {
      file.data_ = static_cast<const unsigned char *>(mapped);
      file.size_ = size;
      file.backing_ = Backing::Mapped;
    }
  }
  if (file.backing_ == Backing::None) {
    unsigned char *bytes = nullptr;
    size_t got = 0;
    WeightsStatus status = readAll(fd, size, path, &bytes, &got);
    if (!status.ok()) {
      ::close(fd);
      return status;
    }
    file.data_ = bytes;
    file.size_ = got;
    file.backing_ = Backing::Heap;
  }
  ::close(fd); // a mapping outlives its descriptor

  WeightsStatus status = validate(file.data_, file.size_, expectedTarget, path);
  if (!status.ok())
    return status; // `file` unmaps or frees
  Header header = decodeHeader(file.data_);
  file.sectionCount_ = header.sectionCount;
  std::memcpy(file.target_, header.target, kTargetNameSize);
  *out = static_cast<WeightsFile &&>(file);
  return status;
}

WeightsStatus WeightsFile::fromMemory(const void *data, size_t size, const char *expectedTarget, WeightsFile *out,
                                      const char *label) {
  if (!label)
    label = "weights";
  if (!out || (!data && size > 0))
    return fail(WeightsError::InvalidArgument, label, "fromMemory() needs the bytes and an output");
  if (reinterpret_cast<uintptr_t>(data) % kMinAlignment != 0)
    return fail(WeightsError::InvalidArgument, label, "the image must start on a %u-byte boundary",
                static_cast<unsigned>(kMinAlignment));
  const unsigned char *bytes = static_cast<const unsigned char *>(data);
  WeightsStatus status = validate(bytes, size, expectedTarget, label);
  if (!status.ok())
    return status;
  WeightsFile file;
  file.data_ = bytes;
  file.size_ = size;
  file.backing_ = Backing::Borrowed;
  Header header = decodeHeader(bytes);
  file.sectionCount_ = header.sectionCount;
  std::memcpy(file.target_, header.target, kTargetNameSize);
  *out = static_cast<WeightsFile &&>(file);
  return status;
}

WeightsFile::~WeightsFile() { reset(); }

WeightsFile::WeightsFile(WeightsFile &&other) noexcept { *this = static_cast<WeightsFile &&>(other); }

WeightsFile &WeightsFile::operator=(WeightsFile &&other) noexcept {
  if (this == &other)
    return *this;
  reset();
  data_ = other.data_;
  size_ = other.size_;
  backing_ = other.backing_;
  sectionCount_ = other.sectionCount_;
  std::memcpy(target_, other.target_, sizeof(target_));
  other.data_ = nullptr;
  other.size_ = 0;
  other.backing_ = Backing::None;
  other.sectionCount_ = 0;
  std::memset(other.target_, 0, sizeof(other.target_));
  return *this;
}

void WeightsFile::reset() {
  if (backing_ == Backing::Mapped)
    munmap(const_cast<unsigned char *>(data_), size_);
  else if (backing_ == Backing::Heap)
    std::free(const_cast<unsigned char *>(data_));
  data_ = nullptr;
  size_ = 0;
  backing_ = Backing::None;
  sectionCount_ = 0;
  std::memset(target_, 0, sizeof(target_));
}

WeightsSection WeightsFile::section(uint32_t index) const {
  WeightsSection s;
  if (index >= sectionCount_)
    return s;
  SectionEntry e = decodeSectionEntry(data_ + kHeaderSize + static_cast<size_t>(index) * kSectionEntrySize);
  const char *names = reinterpret_cast<const char *>(data_ + kHeaderSize + sectionCount_ * kSectionEntrySize);
  s.data = data_ + e.offset;
  s.size = e.size;
  s.type = static_cast<ElementType>(e.elementType);
  s.alignment = e.alignment;
  s.name = names + e.nameOffset;
  return s;
}

bool WeightsFile::find(const char *name, WeightsSection *out) const {
  if (!name)
    return false;
  for (uint32_t i = 0; i < sectionCount_; ++i) {
    WeightsSection s = section(i);
    if (std::strcmp(s.name, name) == 0) {
      if (out)
        *out = s;
      return true;
    }
  }
  return false;
}

} // namespace rt
} // namespace mote
