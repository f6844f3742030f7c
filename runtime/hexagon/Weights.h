// The Hexagon runtime's reader of `model.weights` (the format of runtime/core/WeightsFormat.h, version 2),
// in freestanding C: checks the magic, version, target, size, section table and checksum of a file already
// in memory, and finds its sections by index.
#ifndef MOTE_RUNTIME_HEXAGON_WEIGHTS_H
#define MOTE_RUNTIME_HEXAGON_WEIGHTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  MOTE_WEIGHTS_OK = 0,
  MOTE_WEIGHTS_BAD_MAGIC = 1,
  MOTE_WEIGHTS_BAD_VERSION = 2,
  MOTE_WEIGHTS_BAD_TARGET = 3,
  MOTE_WEIGHTS_BAD_SIZE = 4,
  MOTE_WEIGHTS_BAD_CHECKSUM = 5,
  MOTE_WEIGHTS_BAD_SECTIONS = 6,
  MOTE_WEIGHTS_MISALIGNED = 7,
};

/// Checks `file` (`size` bytes) for `target`: 128-byte aligned, and holding `sections` sections of exactly
/// `section_bytes[k]` bytes (the model's), besides the header, size and checksum; 0 or a code above.
int mote_weights_check(const uint8_t *file, size_t size, const char *target, unsigned sections,
                       const uint64_t *section_bytes);
/// The bytes of section `index` of a checked file.
const uint8_t *mote_weights_section(const uint8_t *file, unsigned index);
/// A sentence for a code above.
const char *mote_weights_error(int code);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_HEXAGON_WEIGHTS_H
