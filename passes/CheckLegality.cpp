// mote-check-legality: see Passes.td. (Placeholder until implemented: the pass changes nothing.)
#include "passes/Passes.h"

namespace mote {
#define GEN_PASS_DEF_MOTECHECKLEGALITY
#include "passes/Passes.h.inc"
} // namespace mote

namespace {
struct CheckLegalityPass : mote::impl::MoteCheckLegalityBase<CheckLegalityPass> {
  void runOnOperation() override {}
};
} // namespace
