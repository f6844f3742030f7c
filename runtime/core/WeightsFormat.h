// The on-disk layout of `model.weights`, shared by the compiler's writer and the runtime's reader.
//
// Plain, header-only C++17 with no dependencies, so that both sides include the same definition: the
// compiler (codegen/WeightsWriter) may include this file, the runtime includes nothing from the compiler.
//
// Layout, version 2 (version 1's checksum left the header out). Every integer is little-endian and fixed-width; every offset counts from the first
// byte of the file. Nothing is read by casting the file to a struct: encode/decode below go byte by byte,
// so the layout does not depend on the host's alignment rules or byte order.
//
//   offset  size  field
//   ------  ----  ----------------------------------------------------------------------------------
//        0     8  magic            "MOTEWGT\0"
//        8     4  formatVersion    kFormatVersion; magic and version never move, so any reader can
//                                  recognise a file of another version and say so
//       12     4  sectionCount     number of entries in the section table
//       16    24  target           target name ("neon", "opencl", ...), NUL-padded; at most 23 chars
//       40     8  fileSize         total size of the file in bytes
//       48     8  checksum         fileChecksum(): checksum() of the whole file with these 8 bytes read as
//                                  zero, so every byte of header, table, names and data is covered
//       56     4  namesSize        size in bytes of the name table
//       60     4  reserved         zero
//       64        section table    sectionCount entries of kSectionEntrySize bytes:
//                   +0   8  offset       where the section's bytes start; a multiple of `alignment`
//                   +8   8  size         the section's size in bytes
//                   +16  4  nameOffset   where its name starts in the name table
//                   +20  4  nameSize     the name's length, without the NUL that follows it
//                   +24  4  elementType  an ElementType code: how the kernels read the bytes
//                   +28  4  alignment    a power of two in [kMinAlignment, kMaxAlignment]
//       64 + 32 * sectionCount
//                         name table       names, each followed by a NUL, namesSize bytes in all
//                         zero padding     up to the first section's (aligned) offset
//                         sections         in table order, ascending and non-overlapping, each at an
//                                          offset that is a multiple of its alignment (>= 64), with zero
//                                          padding between them; the file ends where the last one ends
//
// Sections hold constants already packed in the layouts the kernels want; the generated program refers to
// them by index (the order the writer added them), names are for tools, tests and error messages.
#ifndef MOTE_RUNTIME_CORE_WEIGHTSFORMAT_H
#define MOTE_RUNTIME_CORE_WEIGHTSFORMAT_H

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace mote {
namespace weights {

constexpr char kMagic[8] = {'M', 'O', 'T', 'E', 'W', 'G', 'T', '\0'};
constexpr uint32_t kFormatVersion = 2;
constexpr size_t kHeaderSize = 64;
constexpr size_t kSectionEntrySize = 32;
constexpr size_t kTargetNameSize = 24; // including at least one NUL
// Every section starts on a 64-byte boundary (a cache line; enough for NEON and OpenCL loads). Larger
// alignments (128 for HVX vectors, a page) may be asked for up to a page, which is what mmap guarantees
// for the start of the file.
constexpr uint32_t kMinAlignment = 64;
constexpr uint32_t kMaxAlignment = 4096;

// How a section's bytes are to be read. Stored as uint32; codes are never reused or renumbered within a
// format version.
enum class ElementType : uint32_t {
  Raw = 0, // opaque bytes: a packed layout only the kernel that reads it understands
  F32 = 1,
  F16 = 2,
  BF16 = 3,
  F64 = 4,
  I8 = 5,
  U8 = 6,
  I16 = 7,
  U16 = 8,
  I32 = 9,
  U32 = 10,
  I64 = 11,
  U64 = 12,
  Bool = 13, // one byte per element, 0 or 1
  I4 = 14,   // two per byte, element 2k in the low nibble, two's complement
  U4 = 15,   // two per byte, element 2k in the low nibble
};
constexpr uint32_t kElementTypeCount = 16;

inline const char *elementTypeName(ElementType type) {
  static const char *const names[kElementTypeCount] = {"raw", "f32", "f16", "bf16", "f64", "i8",   "u8", "i16",
                                                       "u16", "i32", "u32", "i64",  "u64", "bool", "i4", "u4"};
  uint32_t code = static_cast<uint32_t>(type);
  return code < kElementTypeCount ? names[code] : "unknown";
}

// Bits one element occupies in a section (raw sections count in bytes); 0 for an unknown code.
inline uint32_t elementBits(ElementType type) {
  static const uint8_t bits[kElementTypeCount] = {8, 32, 16, 16, 64, 8, 8, 16, 16, 32, 32, 64, 64, 8, 4, 4};
  uint32_t code = static_cast<uint32_t>(type);
  return code < kElementTypeCount ? bits[code] : 0;
}

// --- Little-endian fields. ---

inline uint32_t loadLE32(const unsigned char *p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}
inline uint64_t loadLE64(const unsigned char *p) {
  return static_cast<uint64_t>(loadLE32(p)) | static_cast<uint64_t>(loadLE32(p + 4)) << 32;
}
inline void storeLE32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline void storeLE64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = static_cast<unsigned char>(v >> (8 * i));
}

// --- Header and section table entries, decoded. ---

struct Header {
  char magic[8];
  uint32_t formatVersion;
  uint32_t sectionCount;
  char target[kTargetNameSize];
  uint64_t fileSize;
  uint64_t checksum;
  uint32_t namesSize;
  uint32_t reserved;
};

struct SectionEntry {
  uint64_t offset;
  uint64_t size;
  uint32_t nameOffset;
  uint32_t nameSize;
  uint32_t elementType;
  uint32_t alignment;
};

inline void encodeHeader(const Header &h, unsigned char out[kHeaderSize]) {
  std::memcpy(out, h.magic, 8);
  storeLE32(out + 8, h.formatVersion);
  storeLE32(out + 12, h.sectionCount);
  std::memcpy(out + 16, h.target, kTargetNameSize);
  storeLE64(out + 40, h.fileSize);
  storeLE64(out + 48, h.checksum);
  storeLE32(out + 56, h.namesSize);
  storeLE32(out + 60, h.reserved);
}

inline Header decodeHeader(const unsigned char in[kHeaderSize]) {
  Header h;
  std::memcpy(h.magic, in, 8);
  h.formatVersion = loadLE32(in + 8);
  h.sectionCount = loadLE32(in + 12);
  std::memcpy(h.target, in + 16, kTargetNameSize);
  h.fileSize = loadLE64(in + 40);
  h.checksum = loadLE64(in + 48);
  h.namesSize = loadLE32(in + 56);
  h.reserved = loadLE32(in + 60);
  return h;
}

inline void encodeSectionEntry(const SectionEntry &e, unsigned char out[kSectionEntrySize]) {
  storeLE64(out, e.offset);
  storeLE64(out + 8, e.size);
  storeLE32(out + 16, e.nameOffset);
  storeLE32(out + 20, e.nameSize);
  storeLE32(out + 24, e.elementType);
  storeLE32(out + 28, e.alignment);
}

inline SectionEntry decodeSectionEntry(const unsigned char in[kSectionEntrySize]) {
  SectionEntry e;
  e.offset = loadLE64(in);
  e.size = loadLE64(in + 8);
  e.nameOffset = loadLE32(in + 16);
  e.nameSize = loadLE32(in + 20);
  e.elementType = loadLE32(in + 24);
  e.alignment = loadLE32(in + 28);
  return e;
}

// --- The checksum. ---
//
// FNV-1a widened to 64-bit words over four independent lanes, so a multi-gigabyte file is hashed at memory
// speed rather than a byte per multiply: the input is cut into 32-byte blocks, lane i takes the
// little-endian word at byte 8i of each block (lane = (lane ^ word) * prime), the bytes left after the
// last full block go byte by byte into lane 0, then the lanes and the total length are folded together
// with FNV-1a and a final avalanche (the finalizer of MurmurHash3). Each step is a bijection of the lane,
// so any change confined to one word (in particular, any single corrupted byte) always changes the result.
// Not cryptographic: it detects corruption, not tampering. Incremental (`update` in any pieces) and
// one-shot `checksum()` give the same value.

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x00000100000001b3ull;

class Checksum {
public:
  Checksum() {
    const uint64_t step = 0x9e3779b97f4a7c15ull;
    for (unsigned i = 0; i < 4; ++i)
      lanes_[i] = kFnvOffset + step * i;
  }

  void update(const void *data, size_t size) {
    const unsigned char *p = static_cast<const unsigned char *>(data);
    total_ += size;
    if (pending_ > 0) {
      size_t take = kBlock - pending_ < size ? kBlock - pending_ : size;
      std::memcpy(buffer_ + pending_, p, take);
      pending_ += take;
      p += take;
      size -= take;
      if (pending_ < kBlock)
        return;
      block(buffer_);
      pending_ = 0;
    }
    for (; size >= kBlock; p += kBlock, size -= kBlock)
      block(p);
    std::memcpy(buffer_, p, size);
    pending_ = size;
  }

  uint64_t finish() const {
    uint64_t lane0 = lanes_[0];
    for (size_t i = 0; i < pending_; ++i)
      lane0 = (lane0 ^ buffer_[i]) * kFnvPrime;
    uint64_t h = kFnvOffset;
    h = (h ^ lane0) * kFnvPrime;
    for (int i = 1; i < 4; ++i)
      h = (h ^ lanes_[i]) * kFnvPrime;
    h = (h ^ total_) * kFnvPrime;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
  }

private:
  static constexpr size_t kBlock = 32;

  void block(const unsigned char *p) {
    for (int i = 0; i < 4; ++i)
      lanes_[i] = (lanes_[i] ^ loadLE64(p + 8 * i)) * kFnvPrime;
  }

  uint64_t lanes_[4];
  uint64_t total_ = 0;
  unsigned char buffer_[kBlock] = {};
  size_t pending_ = 0;
};

inline uint64_t checksum(const void *data, size_t size) {
  Checksum c;
  c.update(data, size);
  return c.finish();
}

/// Where the checksum field sits in the header.
constexpr size_t kChecksumOffset = 48;

/// The checksum a file of `size` bytes (at least the header) must carry: of all its bytes, with the checksum
/// field itself read as zero.
inline uint64_t fileChecksum(const unsigned char *file, size_t size) {
  unsigned char header[kHeaderSize];
  std::memcpy(header, file, kHeaderSize);
  std::memset(header + kChecksumOffset, 0, 8);
  Checksum c;
  c.update(header, kHeaderSize);
  c.update(file + kHeaderSize, size - kHeaderSize);
  return c.finish();
}

// --- Small helpers both sides need. ---

inline bool isValidAlignment(uint64_t alignment) {
  return alignment >= kMinAlignment && alignment <= kMaxAlignment && (alignment & (alignment - 1)) == 0;
}

inline uint64_t alignTo(uint64_t value, uint64_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }

} // namespace weights
} // namespace mote

#endif // MOTE_RUNTIME_CORE_WEIGHTSFORMAT_H
