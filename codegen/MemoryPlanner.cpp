// Offline arena planning (see MemoryPlanner.h): greedy best-fit placement in a few orders, and its checks.
#include "codegen/MemoryPlanner.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>
#include <utility>

namespace mote {

int64_t alignBytes(int64_t size, int64_t alignment) {
  assert(alignment > 0 && "alignment must be positive");
  return (size + alignment - 1) / alignment * alignment;
}

bool mayShareInPlace(const std::vector<PlanBuffer> &buffers, size_t i) {
  int64_t x = buffers[i].mayShareWith;
  if (x < 0 || static_cast<size_t>(x) >= buffers.size() || static_cast<size_t>(x) == i)
    return false;
  const PlanBuffer &b = buffers[i], &from = buffers[x];
  return from.lastStep == b.firstStep && b.size <= from.size;
}

namespace {

bool liveTogether(const PlanBuffer &a, const PlanBuffer &b) {
  return a.firstStep <= b.lastStep && b.firstStep <= a.lastStep;
}

bool contains(const std::vector<size_t> &values, size_t value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Whether one of `i`, `j` may legally take over the other's memory in place.
bool sharePair(const std::vector<PlanBuffer> &buffers, size_t i, size_t j) {
  return (mayShareInPlace(buffers, i) && static_cast<size_t>(buffers[i].mayShareWith) == j) ||
         (mayShareInPlace(buffers, j) && static_cast<size_t>(buffers[j].mayShareWith) == i);
}

// The placed slots live during given steps, found in O((k + 1) log n) for k answers: slots sorted by first
// step, under a max-tree of the last steps of the placed ones (so the placement is not quadratic in the
// number of ops: a 200,000-op chain plans in well under a second).
class PlacedIndex {
public:
  explicit PlacedIndex(const std::vector<PlanBuffer> &slots) : slots_(slots) {
    byFirst_.resize(slots.size());
    std::iota(byFirst_.begin(), byFirst_.end(), 0);
    std::stable_sort(byFirst_.begin(), byFirst_.end(),
                     [&](size_t x, size_t y) { return slots[x].firstStep < slots[y].firstStep; });
    position_.resize(slots.size());
    for (size_t i = 0; i < byFirst_.size(); ++i)
      position_[byFirst_[i]] = i;
    for (width_ = 1; width_ < byFirst_.size(); width_ *= 2) {
    }
    maxLast_.assign(2 * width_, kNone);
  }

  void place(size_t slot) {
    size_t node = width_ + position_[slot];
    maxLast_[node] = slots_[slot].lastStep;
    for (node /= 2; node >= 1; node /= 2)
      maxLast_[node] = std::max(maxLast_[2 * node], maxLast_[2 * node + 1]);
  }

  /// Appends to `out` the placed slots live together with `slot`.
  void liveWith(size_t slot, std::vector<size_t> &out) const {
    const PlanBuffer &b = slots_[slot];
    // Candidates start no later than b ends: a prefix of byFirst_.
    size_t end = std::upper_bound(byFirst_.begin(), byFirst_.end(), b.lastStep,
                                  [&](int64_t step, size_t x) { return step < slots_[x].firstStep; }) -
                 byFirst_.begin();
    collect(1, 0, width_, end, b.firstStep, out);
  }

private:
  static constexpr int64_t kNone = std::numeric_limits<int64_t>::min();

  void collect(size_t node, size_t lo, size_t hi, size_t end, int64_t first, std::vector<size_t> &out) const {
    if (lo >= end || maxLast_[node] < first)
      return;
    if (hi - lo == 1) {
      out.push_back(byFirst_[lo]);
      return;
    }
    size_t mid = (lo + hi) / 2;
    collect(2 * node, lo, mid, end, first, out);
    collect(2 * node + 1, mid, hi, end, first, out);
  }

  const std::vector<PlanBuffer> &slots_;
  std::vector<size_t> byFirst_, position_;
  size_t width_ = 1;
  std::vector<int64_t> maxLast_;
};

// One placement pass over `slots` (sizes already aligned): slots in `order`, each in place of a placed
// partner if that is free, else into the smallest gap that fits among the placed slots it is live with,
// else on top of them. A slot and a partner may overlap in time only at the same offset.
std::vector<int64_t> placeInOrder(const std::vector<PlanBuffer> &slots,
                                  const std::vector<std::vector<size_t>> &partners,
                                  const std::vector<size_t> &order, int64_t segment) {
  // The first offset from `offset` at which `size` bytes do not straddle a multiple of `segment` (a buffer
  // larger than a segment is placed where it is: the caller reports it).
  auto inSegment = [segment](int64_t offset, int64_t size) {
    if (segment <= 0 || size > segment || offset / segment == (offset + size - 1) / segment)
      return offset;
    return (offset / segment + 1) * segment;
  };
  constexpr int64_t kUnplaced = -1;
  std::vector<int64_t> offsets(slots.size(), kUnplaced);
  PlacedIndex placed(slots);
  std::vector<size_t> live; // placed slots live together with the current one
  for (size_t b : order) {
    int64_t size = slots[b].size;
    if (size == 0) {
      offsets[b] = 0;
      continue;
    }
    live.clear();
    placed.liveWith(b, live);

    auto isPartner = [&](size_t p) { return contains(partners[b], p); };
    auto fitsAt = [&](int64_t offset) {
      for (size_t p : live) {
        bool disjoint = offset + size <= offsets[p] || offsets[p] + slots[p].size <= offset;
        if (!disjoint && !(offsets[p] == offset && isPartner(p)))
          return false;
      }
      return true;
    };
    int64_t chosen = kUnplaced;
    for (size_t partner : partners[b])
      if (offsets[partner] != kUnplaced && slots[partner].size > 0 && fitsAt(offsets[partner])) {
        chosen = offsets[partner];
        break;
      }

    if (chosen == kUnplaced) {
      std::sort(live.begin(), live.end(), [&](size_t x, size_t y) { return offsets[x] < offsets[y]; });
      int64_t top = 0, bestGap = std::numeric_limits<int64_t>::max();
      for (size_t p : live) {
        int64_t gap = offsets[p] - top, at = inSegment(top, size);
        if (at + size <= offsets[p] && gap < bestGap) {
          bestGap = gap;
          chosen = at;
        }
        top = std::max(top, offsets[p] + slots[p].size);
      }
      if (chosen == kUnplaced)
        chosen = inSegment(top, size);
    }
    offsets[b] = chosen;
    placed.place(b);
  }
  return offsets;
}

int64_t arenaOf(const std::vector<PlanBuffer> &slots, const std::vector<int64_t> &offsets) {
  int64_t arena = 0;
  for (size_t i = 0; i < slots.size(); ++i)
    if (slots[i].size > 0)
      arena = std::max(arena, offsets[i] + slots[i].size);
  return arena;
}

// Largest first; among equals, the earlier and then the longer-lived first (TFLite's greedy by size).
std::vector<size_t> bySize(const std::vector<PlanBuffer> &slots) {
  std::vector<size_t> order(slots.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    if (slots[x].size != slots[y].size)
      return slots[x].size > slots[y].size;
    if (slots[x].firstStep != slots[y].firstStep)
      return slots[x].firstStep < slots[y].firstStep;
    return slots[x].lastStep > slots[y].lastStep;
  });
  return order;
}

// Largest size x lifetime first: long-lived buffers settle low, short ones fill the gaps above them.
std::vector<size_t> byArea(const std::vector<PlanBuffer> &slots) {
  std::vector<size_t> order(slots.size());
  std::iota(order.begin(), order.end(), 0);
  auto area = [&](size_t i) {
    return static_cast<double>(slots[i].size) *
           static_cast<double>(slots[i].lastStep - slots[i].firstStep + 1);
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    if (area(x) != area(y))
      return area(x) > area(y);
    return slots[x].size > slots[y].size;
  });
  return order;
}

// TFLite's greedy by breadth: steps from the one with the most live bytes down; at each, its not yet
// placed slots from the largest down. Equivalently (and in O(n log n) instead of steps x slots): each slot
// sorts by the first step, in that order of steps, at which it is live, then by size.
std::vector<size_t> byBreadth(const std::vector<PlanBuffer> &slots) {
  std::vector<std::pair<int64_t, int64_t>> events; // (step, delta)
  for (const PlanBuffer &slot : slots) {
    events.push_back({slot.firstStep, slot.size});
    events.push_back({slot.lastStep + 1, -slot.size});
  }
  std::sort(events.begin(), events.end());
  std::vector<int64_t> steps, liveAt; // the steps where something starts or ends, and the bytes live there
  int64_t live = 0;
  for (size_t e = 0; e < events.size();) {
    int64_t step = events[e].first;
    for (; e < events.size() && events[e].first == step; ++e)
      live += events[e].second;
    steps.push_back(step);
    liveAt.push_back(live);
  }
  std::vector<size_t> byLive(steps.size());
  std::iota(byLive.begin(), byLive.end(), 0);
  std::stable_sort(byLive.begin(), byLive.end(), [&](size_t x, size_t y) { return liveAt[x] > liveAt[y]; });
  std::vector<size_t> rank(steps.size());
  for (size_t r = 0; r < byLive.size(); ++r)
    rank[byLive[r]] = r;
  // Range minimum of the ranks over a slot's steps (a sparse table).
  std::vector<std::vector<size_t>> table = {rank};
  for (size_t width = 2; width <= rank.size(); width *= 2) {
    const std::vector<size_t> &prev = table.back();
    std::vector<size_t> next(rank.size() - width + 1);
    for (size_t i = 0; i < next.size(); ++i)
      next[i] = std::min(prev[i], prev[i + width / 2]);
    table.push_back(std::move(next));
  }
  auto minRank = [&](size_t lo, size_t hi) { // inclusive
    size_t level = 63 - __builtin_clzll(static_cast<unsigned long long>(hi - lo + 1));
    return std::min(table[level][lo], table[level][hi + 1 - (size_t(1) << level)]);
  };
  std::vector<size_t> key(slots.size());
  for (size_t i = 0; i < slots.size(); ++i) {
    size_t lo = std::lower_bound(steps.begin(), steps.end(), slots[i].firstStep) - steps.begin();
    size_t hi = std::upper_bound(steps.begin(), steps.end(), slots[i].lastStep) - steps.begin() - 1;
    key[i] = minRank(lo, hi);
  }
  std::vector<size_t> order = bySize(slots);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return key[x] < key[y]; });
  return order;
}

// Buffers merged into the slots the placement works on. A buffer that may take over a buffer of the same
// aligned size joins its slot: the pair then needs no more memory than either, and the placement cannot
// later lose the reuse by putting something else where the second would go. A slot is a chain (each
// buffer taken over at most once, by its successor), live over one contiguous range of steps.
struct Slots {
  std::vector<PlanBuffer> slots;             // aligned sizes; mayShareWith unused
  std::vector<size_t> slotOf;                // buffer -> slot
  std::vector<std::vector<size_t>> partners; // slot -> slots it may share an offset with
};

Slots buildSlots(const std::vector<PlanBuffer> &buffers, int64_t alignment) {
  size_t n = buffers.size();
  std::vector<int64_t> aligned(n);
  for (size_t i = 0; i < n; ++i)
    aligned[i] = alignBytes(buffers[i].size, alignment);

  // Union of chains, small into large; `members` is valid at roots.
  std::vector<size_t> root(n);
  std::iota(root.begin(), root.end(), 0);
  std::vector<std::vector<size_t>> members(n);
  for (size_t i = 0; i < n; ++i)
    members[i] = {i};
  auto find = [&](size_t i) {
    while (root[i] != i)
      i = root[i] = root[root[i]];
    return i;
  };
  // Per group (valid at roots): the two latest last steps and the two earliest first steps, with their
  // members, so that the check below stays O(1) for long chains.
  struct Extremes {
    std::pair<int64_t, size_t> last[2], first[2];
  };
  std::vector<Extremes> extremes(n);
  for (size_t i = 0; i < n; ++i)
    extremes[i] = {{{buffers[i].lastStep, i}, {INT64_MIN, SIZE_MAX}},
                   {{buffers[i].firstStep, i}, {INT64_MAX, SIZE_MAX}}};
  auto mergeExtremes = [&](size_t into, size_t from) {
    std::pair<int64_t, size_t> last[4] = {extremes[into].last[0], extremes[into].last[1], extremes[from].last[0],
                                          extremes[from].last[1]};
    std::pair<int64_t, size_t> first[4] = {extremes[into].first[0], extremes[into].first[1],
                                           extremes[from].first[0], extremes[from].first[1]};
    std::sort(last, last + 4, [](auto &a, auto &b) { return a.first > b.first; });
    std::sort(first, first + 4, [](auto &a, auto &b) { return a.first < b.first; });
    extremes[into] = {{last[0], last[1]}, {first[0], first[1]}};
  };
  // Whether every two members of the two groups that are live together are exactly `x` and `b`: then
  // one offset for all is valid. Small groups are compared pair by pair; large ones (long in-place chains)
  // by a sufficient O(1) test: the other members of x's group end before b's group starts, and the other
  // members of b's group start after x ends.
  auto onlyTouchAt = [&](size_t gx, size_t gb, size_t x, size_t b) {
    if (members[gx].size() * members[gb].size() <= 4096) {
      for (size_t m1 : members[gx])
        for (size_t m2 : members[gb])
          if (liveTogether(buffers[m1], buffers[m2]) && !(m1 == x && m2 == b))
            return false;
      return true;
    }
    const Extremes &ex = extremes[gx], &eb = extremes[gb];
    int64_t otherLast = ex.last[0].second == x ? ex.last[1].first : ex.last[0].first;
    int64_t otherFirst = eb.first[0].second == b ? eb.first[1].first : eb.first[0].first;
    return otherLast < eb.first[0].first && otherFirst > buffers[x].lastStep;
  };

  std::vector<bool> taken(n, false);
  std::vector<std::pair<size_t, size_t>> unmerged; // legal (taker, taken) pairs left to the placement
  for (size_t b = 0; b < n; ++b) {
    if (!mayShareInPlace(buffers, b) || aligned[b] == 0)
      continue;
    size_t x = buffers[b].mayShareWith;
    size_t gx = find(x), gb = find(b);
    if (aligned[b] == aligned[x] && !taken[x] && gx != gb && onlyTouchAt(gx, gb, x, b)) {
      taken[x] = true;
      if (members[gx].size() < members[gb].size())
        std::swap(gx, gb);
      root[gb] = gx;
      mergeExtremes(gx, gb);
      members[gx].insert(members[gx].end(), members[gb].begin(), members[gb].end());
      members[gb].clear();
    } else {
      unmerged.push_back({b, x});
    }
  }

  Slots out;
  out.slotOf.assign(n, 0);
  std::vector<size_t> slotOfRoot(n, SIZE_MAX);
  for (size_t i = 0; i < n; ++i) {
    size_t r = find(i);
    if (slotOfRoot[r] == SIZE_MAX) {
      slotOfRoot[r] = out.slots.size();
      out.slots.push_back(PlanBuffer{aligned[i], buffers[i].firstStep, buffers[i].lastStep, -1});
    }
    PlanBuffer &slot = out.slots[slotOfRoot[r]];
    slot.firstStep = std::min(slot.firstStep, buffers[i].firstStep);
    slot.lastStep = std::max(slot.lastStep, buffers[i].lastStep);
    out.slotOf[i] = slotOfRoot[r];
  }
  // A smaller taker keeps the reuse as a preference: its slot may sit at the taken slot's offset if the two
  // slots touch only through that pair.
  out.partners.resize(out.slots.size());
  for (auto [b, x] : unmerged) {
    size_t gb = find(b), gx = find(x);
    if (gb != gx && onlyTouchAt(gx, gb, x, b)) {
      out.partners[out.slotOf[b]].push_back(out.slotOf[x]);
      out.partners[out.slotOf[x]].push_back(out.slotOf[b]);
    }
  }
  return out;
}

} // namespace

int64_t livenessLowerBound(const std::vector<PlanBuffer> &buffers, int64_t alignment, bool creditInPlace) {
  std::vector<std::pair<int64_t, int64_t>> events; // (step, delta)
  for (const PlanBuffer &b : buffers) {
    int64_t bytes = alignBytes(b.size, alignment);
    events.push_back({b.firstStep, bytes});
    events.push_back({b.lastStep + 1, -bytes});
  }
  if (creditInPlace) {
    // At the step a buffer takes another over, the pair needs only the taker's bytes. Each taken-over
    // buffer is credited once, with its largest legal taker: an upper bound on the overlap any valid plan
    // can realize, so the bound stays a bound.
    std::map<int64_t, int64_t> credit; // taken-over buffer -> bytes
    for (size_t i = 0; i < buffers.size(); ++i)
      if (mayShareInPlace(buffers, i)) {
        int64_t &c = credit[buffers[i].mayShareWith];
        c = std::max(c, alignBytes(buffers[i].size, alignment));
      }
    for (auto [taken, bytes] : credit) {
      int64_t step = buffers[taken].lastStep;
      events.push_back({step, -bytes});
      events.push_back({step + 1, bytes});
    }
  }
  std::sort(events.begin(), events.end());
  int64_t live = 0, peak = 0;
  for (size_t e = 0; e < events.size();) {
    int64_t step = events[e].first;
    for (; e < events.size() && events[e].first == step; ++e)
      live += events[e].second;
    peak = std::max(peak, live);
  }
  return peak;
}

MemoryPlan planMemory(const std::vector<PlanBuffer> &buffers, int64_t alignment, int64_t segmentBytes) {
  assert(alignment > 0 && "alignment must be positive");
  for (const PlanBuffer &b : buffers) {
    (void)b;
    assert(b.size >= 0 && b.firstStep <= b.lastStep && "malformed buffer");
  }
  MemoryPlan plan;
  plan.alignment = alignment;
  Slots slots = buildSlots(buffers, alignment);
  segmentBytes = segmentBytes / alignment * alignment; // segment starts stay aligned

  std::vector<int64_t> best;
  plan.arenaBytes = std::numeric_limits<int64_t>::max();
  for (const std::vector<size_t> &order :
       {bySize(slots.slots), byBreadth(slots.slots), byArea(slots.slots)}) {
    std::vector<int64_t> offsets = placeInOrder(slots.slots, slots.partners, order, segmentBytes);
    int64_t arena = arenaOf(slots.slots, offsets);
    if (arena < plan.arenaBytes) {
      plan.arenaBytes = arena;
      best = std::move(offsets);
    }
  }
  if (buffers.empty())
    plan.arenaBytes = 0;

  plan.offsets.resize(buffers.size());
  plan.inPlaceOf.assign(buffers.size(), -1);
  for (size_t i = 0; i < buffers.size(); ++i)
    plan.offsets[i] = buffers[i].size > 0 ? best[slots.slotOf[i]] : 0;
  for (size_t i = 0; i < buffers.size(); ++i)
    if (mayShareInPlace(buffers, i) && buffers[i].size > 0 &&
        plan.offsets[i] == plan.offsets[buffers[i].mayShareWith])
      plan.inPlaceOf[i] = buffers[i].mayShareWith;
  plan.lowerBoundBytes = livenessLowerBound(buffers, alignment, /*creditInPlace=*/true);
  plan.peakLiveBytes = livenessLowerBound(buffers, alignment, /*creditInPlace=*/false);
  assert(verifyMemoryPlan(buffers, plan).empty() && "the planner produced an invalid plan");
  return plan;
}

std::string verifyMemoryPlan(const std::vector<PlanBuffer> &buffers, const MemoryPlan &plan) {
  std::ostringstream why;
  if (plan.offsets.size() != buffers.size()) {
    why << plan.offsets.size() << " offsets for " << buffers.size() << " buffers";
    return why.str();
  }
  for (size_t i = 0; i < buffers.size(); ++i) {
    int64_t offset = plan.offsets[i];
    if (offset < 0 || offset % plan.alignment != 0 ||
        (buffers[i].size > 0 && offset + buffers[i].size > plan.arenaBytes)) {
      why << "buffer " << i << " at offset " << offset << " (" << buffers[i].size
          << " bytes) is misaligned or outside the " << plan.arenaBytes << "-byte arena";
      return why.str();
    }
  }
  // Sweep over time with the live buffers indexed by offset: live buffers occupy disjoint memory except a
  // buffer and the one it takes over in place (same offset, the taken one ending where the taker starts),
  // so each new buffer is compared with the live ones at its offset range and the group just below it.
  // O(n log n), where comparing every pair that overlaps in memory was quadratic for in-place chains.
  auto describe = [&](size_t i, size_t j) {
    why << "buffers " << i << " [" << plan.offsets[i] << ", " << plan.offsets[i] + buffers[i].size << ") steps "
        << buffers[i].firstStep << ".." << buffers[i].lastStep << " and " << j << " [" << plan.offsets[j] << ", "
        << plan.offsets[j] + buffers[j].size << ") steps " << buffers[j].firstStep << ".." << buffers[j].lastStep
        << " are live together and overlap";
    return why.str();
  };
  std::vector<size_t> order;
  for (size_t i = 0; i < buffers.size(); ++i)
    if (buffers[i].size > 0)
      order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return buffers[x].firstStep < buffers[y].firstStep; });
  std::multimap<int64_t, size_t> live; // offset -> buffer
  std::vector<std::pair<int64_t, size_t>> ending; // min-heap of (last step, buffer)
  auto later = [](const auto &a, const auto &b) { return a.first > b.first; };
  for (size_t i : order) {
    int64_t now = buffers[i].firstStep;
    while (!ending.empty() && ending.front().first < now) {
      size_t gone = ending.front().second;
      std::pop_heap(ending.begin(), ending.end(), later);
      ending.pop_back();
      auto [lo, hi] = live.equal_range(plan.offsets[gone]);
      for (auto it = lo; it != hi; ++it)
        if (it->second == gone) {
          live.erase(it);
          break;
        }
    }
    int64_t begin = plan.offsets[i], end = begin + buffers[i].size;
    auto check = [&](size_t j) {
      bool overlap = plan.offsets[j] < end && begin < plan.offsets[j] + buffers[j].size;
      return !overlap || (plan.offsets[j] == begin && sharePair(buffers, i, j));
    };
    auto it = live.lower_bound(begin);
    for (auto up = it; up != live.end() && up->first < end; ++up)
      if (!check(up->second))
        return describe(up->second, i);
    if (it != live.begin()) {
      int64_t below = std::prev(it)->first;
      for (auto down = live.lower_bound(below); down != it; ++down)
        if (!check(down->second))
          return describe(down->second, i);
    }
    live.insert({begin, i});
    ending.push_back({buffers[i].lastStep, i});
    std::push_heap(ending.begin(), ending.end(), later);
  }
  return {};
}

} // namespace mote
