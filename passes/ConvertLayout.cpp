// mote-convert-layout: see Passes.td. (Placeholder until implemented: the pass changes nothing.)
#include "passes/Passes.h"

namespace mote {
#define GEN_PASS_DEF_MOTECONVERTLAYOUT
#include "passes/Passes.h.inc"
} // namespace mote

namespace {
struct ConvertLayoutPass : mote::impl::MoteConvertLayoutBase<ConvertLayoutPass> {
  void runOnOperation() override {}
};
} // namespace
