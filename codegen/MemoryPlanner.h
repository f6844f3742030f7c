// Offline arena planning: an offset for every buffer of known lifetime, fixing the arena size at compile
// time.
#ifndef MOTE_CODEGEN_MEMORYPLANNER_H
#define MOTE_CODEGEN_MEMORYPLANNER_H

#include <cstdint>
#include <string>
#include <vector>

namespace mote {

/// One buffer to place: `size` bytes, written at `firstStep` and last read at `lastStep` (inclusive;
/// steps are positions in the schedule). Two buffers whose step ranges intersect are live together and
/// must not overlap in memory, with one exception: a buffer may take over, in place, the memory of the
/// buffer `mayShareWith` names when that buffer's last read is this buffer's first step and this buffer is
/// no larger (an elementwise kernel reading element i before writing element i).
struct PlanBuffer {
  int64_t size = 0;
  int64_t firstStep = 0;
  int64_t lastStep = 0;
  int64_t mayShareWith = -1;
};

/// Where each buffer lives in the arena, and how good that is.
struct MemoryPlan {
  int64_t alignment = 64;
  /// Per buffer: its byte offset in the arena (a multiple of `alignment`).
  std::vector<int64_t> offsets;
  /// Per buffer: the buffer whose memory it took over in place, or -1.
  std::vector<int64_t> inPlaceOf;
  /// The arena: the end of the highest buffer, rounded up to `alignment`.
  int64_t arenaBytes = 0;
  /// No valid plan can use less: the largest sum, over one step, of the live buffers' sizes (rounded up to
  /// `alignment`), counting a buffer and the one it may legally take over in place once at the step they
  /// share.
  int64_t lowerBoundBytes = 0;
  /// The same sum without the in-place credit: what a planner that never works in place cannot beat.
  int64_t peakLiveBytes = 0;
};

/// Whether `buffers[i].mayShareWith` names a buffer `i` may legally take over in place.
bool mayShareInPlace(const std::vector<PlanBuffer> &buffers, size_t i);

/// `size` rounded up to a multiple of `alignment` (a power of two or any positive number).
int64_t alignBytes(int64_t size, int64_t alignment);

/// The liveness lower bound of `buffers` (see MemoryPlan::lowerBoundBytes; without the in-place credit when
/// `creditInPlace` is false).
int64_t livenessLowerBound(const std::vector<PlanBuffer> &buffers, int64_t alignment, bool creditInPlace);

/// Places every buffer. Greedy by size (as TFLite's arena planner): buffers from the largest down, each
/// into the best-fitting gap left by the already placed buffers it is live with; a few placement orders
/// are tried and the smallest arena kept. Legal in-place reuse is honoured: a buffer that may take over one
/// of the same aligned size is placed together with it as one slot, and a smaller one is placed at its
/// offset when that is free. With `segmentBytes` > 0 no buffer of at most that size straddles a multiple of
/// it, so the arena can be split there into device allocations of at most `segmentBytes` (OpenCL's
/// max_alloc_bytes).
MemoryPlan planMemory(const std::vector<PlanBuffer> &buffers, int64_t alignment = 64, int64_t segmentBytes = 0);

/// Why `plan` is not a valid placement of `buffers` (two live buffers overlapping in memory, a misaligned
/// offset, a buffer past the arena's end), or an empty string if it is valid.
std::string verifyMemoryPlan(const std::vector<PlanBuffer> &buffers, const MemoryPlan &plan);

} // namespace mote

#endif // MOTE_CODEGEN_MEMORYPLANNER_H
