// mote-decompose-composites: see Passes.td. (Placeholder until implemented: the pass changes nothing.)
#include "passes/Passes.h"

namespace mote {
#define GEN_PASS_DEF_MOTEDECOMPOSECOMPOSITES
#include "passes/Passes.h.inc"
} // namespace mote

namespace {
struct DecomposeCompositesPass : mote::impl::MoteDecomposeCompositesBase<DecomposeCompositesPass> {
  void runOnOperation() override {}
};
} // namespace
