// mote-serialize-conv2d: see Passes.td. (Placeholder until implemented: the pass changes nothing.)
#include "passes/Passes.h"

namespace mote {
#define GEN_PASS_DEF_MOTESERIALIZECONV2D
#include "passes/Passes.h.inc"
} // namespace mote

namespace {
struct SerializeConv2DPass : mote::impl::MoteSerializeConv2DBase<SerializeConv2DPass> {
  void runOnOperation() override {}
};
} // namespace
