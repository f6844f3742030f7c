// mote-broadcast-free-group-norm: see Passes.td. (Placeholder until implemented: the pass changes nothing.)
#include "passes/Passes.h"

namespace mote {
#define GEN_PASS_DEF_MOTEBROADCASTFREEGROUPNORM
#include "passes/Passes.h.inc"
} // namespace mote

namespace {
struct BroadcastFreeGroupNormPass : mote::impl::MoteBroadcastFreeGroupNormBase<BroadcastFreeGroupNormPass> {
  void runOnOperation() override {}
};
} // namespace
