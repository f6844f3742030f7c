// See Weights.h; the layout and the checksum are those runtime/core/WeightsFormat.h defines.
#include "runtime/hexagon/Weights.h"

enum { HEADER = 64, ENTRY = 32, CHECKSUM_AT = 48, BLOCK = 32 };
static const uint64_t FNV_OFFSET = 0xcbf29ce484222325ull, FNV_PRIME = 0x00000100000001b3ull;

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

static void block(uint64_t lanes[4], const uint8_t *p) {
  for (int i = 0; i < 4; ++i)
    lanes[i] = (lanes[i] ^ le64(p + 8 * i)) * FNV_PRIME;
}

/// WeightsFormat.h's fileChecksum: the four-lane FNV-1a over the file with its checksum field read as zero.
static uint64_t file_checksum(const uint8_t *file, size_t size) {
  uint64_t lanes[4];
  for (unsigned i = 0; i < 4; ++i)
    lanes[i] = FNV_OFFSET + 0x9e3779b97f4a7c15ull * i;
  uint8_t header[HEADER];
  for (int i = 0; i < HEADER; ++i)
    header[i] = i >= CHECKSUM_AT && i < CHECKSUM_AT + 8 ? 0 : file[i];
  block(lanes, header); // the header is two whole blocks
  block(lanes, header + BLOCK);
  size_t at = HEADER;
  for (; size - at >= BLOCK; at += BLOCK)
    block(lanes, file + at);
  for (; at < size; ++at)
    lanes[0] = (lanes[0] ^ file[at]) * FNV_PRIME;
  uint64_t h = FNV_OFFSET;
  for (int i = 0; i < 4; ++i)
    h = (h ^ lanes[i]) * FNV_PRIME;
  h = (h ^ (uint64_t)size) * FNV_PRIME;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

int mote_weights_check(const uint8_t *file, size_t size, const char *target, unsigned sections,
                       const uint64_t *section_bytes) {
  static const char magic[8] = {'M', 'O', 'T', 'E', 'W', 'G', 'T', '\0'};
  if (((uintptr_t)file & 127) != 0) // the kernels load sections as aligned HVX vectors
    return MOTE_WEIGHTS_MISALIGNED;
  if (size < HEADER)
    return MOTE_WEIGHTS_BAD_SIZE;
  for (int i = 0; i < 8; ++i)
    if (file[i] != (uint8_t)magic[i])
      return MOTE_WEIGHTS_BAD_MAGIC;
  if (le32(file + 8) != 2)
    return MOTE_WEIGHTS_BAD_VERSION;
  for (int i = 0; i < 24; ++i) {
    if (file[16 + i] != (uint8_t)target[i])
      return MOTE_WEIGHTS_BAD_TARGET;
    if (!target[i])
      break;
  }
  if (le64(file + 40) != size)
    return MOTE_WEIGHTS_BAD_SIZE;
  const uint32_t count = le32(file + 12);
  if (count != sections || HEADER + (uint64_t)ENTRY * count > size)
    return MOTE_WEIGHTS_BAD_SECTIONS;
  for (uint32_t s = 0; s < count; ++s) {
    const uint8_t *e = file + HEADER + ENTRY * s;
    const uint64_t offset = le64(e), bytes = le64(e + 8);
    if (offset > size || bytes > size - offset || (offset & 127) != 0 || bytes != section_bytes[s])
      return MOTE_WEIGHTS_BAD_SECTIONS;
  }
  if (file_checksum(file, size) != le64(file + CHECKSUM_AT))
    return MOTE_WEIGHTS_BAD_CHECKSUM;
  return MOTE_WEIGHTS_OK;
}

const uint8_t *mote_weights_section(const uint8_t *file, unsigned index) {
  return file + le64(file + HEADER + ENTRY * index);
}

const char *mote_weights_error(int code) {
  switch (code) {
  case MOTE_WEIGHTS_OK: return "ok";
  case MOTE_WEIGHTS_BAD_MAGIC: return "not a Mote weights file (bad magic)";
  case MOTE_WEIGHTS_BAD_VERSION: return "a weights file of another format version";
  case MOTE_WEIGHTS_BAD_TARGET: return "a weights file for another target";
  case MOTE_WEIGHTS_BAD_SIZE: return "the weights file's size is not the one its header records (truncated?)";
  case MOTE_WEIGHTS_BAD_CHECKSUM: return "the weights file's checksum does not match (corrupted)";
  case MOTE_WEIGHTS_BAD_SECTIONS: return "the weights file's sections are not those of this model";
  case MOTE_WEIGHTS_MISALIGNED: return "the weights are not 128-byte aligned in memory";
  default: return "unknown weights error";
  }
}
