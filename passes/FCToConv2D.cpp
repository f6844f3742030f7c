// mote-fc-to-conv2d: see Passes.td. (Placeholder until implemented: the pass changes nothing.)
#include "passes/Passes.h"

namespace mote {
#define GEN_PASS_DEF_MOTEFCTOCONV2D
#include "passes/Passes.h.inc"
} // namespace mote

namespace {
struct FCToConv2DPass : mote::impl::MoteFCToConv2DBase<FCToConv2DPass> {
  void runOnOperation() override {}
};
} // namespace
