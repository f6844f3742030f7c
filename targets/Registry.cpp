// The one registry of targets, and the targets whose device code is still to come (their descriptions
// drive legalization already; running them arrives with their emitters).
#include "targets/Target.h"

#include "llvm/ADT/StringExtras.h"

#include "targets/neon/NeonTarget.h"
#include "targets/opencl/OpenClTarget.h"
#include "targets/reference/ReferenceTarget.h"

using namespace mlir;

namespace mote {
namespace {

// A target described but not yet emitted for.
class DescribedTarget : public Target {
public:
  DescribedTarget(const char *name, const char *summary, TargetDescription description)
      : name_(name), summary_(summary), description_(std::move(description)) {}
  StringRef name() const override { return name_; }
  StringRef summary() const override { return summary_; }
  TargetDescription defaultDescription() const override { return description_; }
  FailureOr<SmallVector<DenseElementsAttr>> run(func::FuncOp func, ArrayRef<ElementsAttr>,
                                                  const RunOptions &) const override {
    return func.emitError("target '") << name_ << "' has no emitter yet: it can compile to the legal "
                                      << "phase but not run (run on --target=reference)";
  }

private:
  const char *name_;
  const char *summary_;
  TargetDescription description_;
};

TargetDescription hexagonDescription() {
  TargetDescription d;
  d.name = "hexagon";
  d.maxRank = 4;
  d.layout = "NHWC";
  d.native = {"layer_norm", "rms_norm", "gelu", "silu", "attention"};
  d.activationType = "i8";
  d.weightTypes = {"i8"};
  d.vectorBytes = 128;
  d.fastMemoryBytes = 8 << 20;
  return d;
}

} // namespace

const std::vector<const Target *> &allTargets() {
  static const ReferenceTarget reference;
  static const NeonTarget neon;
  static const OpenClTarget opencl;
  static const DescribedTarget hexagon("hexagon", "Hexagon-style NPUs (HVX 128 B), int8", hexagonDescription());
  static const std::vector<const Target *> targets = {&reference, &neon, &opencl, &hexagon};
  return targets;
}

const Target *lookupTarget(StringRef name) {
  for (const Target *t : allTargets())
    if (t->name() == name)
      return t;
  return nullptr;
}

void registerTargetPasses() {
  for (const Target *t : allTargets())
    t->registerPasses();
}

std::vector<TargetFlag> descriptionFlags(const TargetDescription &defaults) {
  auto integer = [](int64_t TargetDescription::*field) {
    return [field](StringRef value, TargetDescription &d) -> std::string {
      int64_t n;
      if (value.getAsInteger(10, n) || n < 0)
        return "is not a non-negative integer";
      d.*field = n;
      return "";
    };
  };
  auto text = [](std::string TargetDescription::*field) {
    return [field](StringRef value, TargetDescription &d) -> std::string {
      d.*field = value.str();
      return ""; // checked with the whole description (TargetDescription::toAttr)
    };
  };
  // A comma-separated list (an empty value clears it).
  auto list = [](std::vector<std::string> TargetDescription::*field) {
    return [field](StringRef value, TargetDescription &d) -> std::string {
      (d.*field).clear();
      for (StringRef item : llvm::split(value, ','))
        if (!item.trim().empty())
          (d.*field).push_back(item.trim().str());
      return ""; // checked with the whole description (TargetDescription::toAttr)
    };
  };
  return {
      {"max-rank", "Largest tensor rank a kernel accepts (0: no limit)", integer(&TargetDescription::maxRank)},
      {"fc-max-input-rank", "Larger fully connected inputs become 1x1 convolutions (0: no limit)",
       integer(&TargetDescription::fcMaxInputRank)},
      {"max-tensor-bytes", "Largest convolution input or output; larger ones are serialized (0: no limit)",
       integer(&TargetDescription::maxTensorBytes)},
      {"layout", "Activation layout: NCHW or NHWC", text(&TargetDescription::layout)},
      {"native", "Comma-separated composites with kernels (group_norm,layer_norm,...)",
       list(&TargetDescription::native)},
      {"fusions",
       "Comma-separated kinds of fused region to form, of those the target has kernels for (" +
           llvm::join(defaults.fusions, ",") + "; empty: none)",
       [kinds = defaults.fusions, list](StringRef value, TargetDescription &d) -> std::string {
         for (StringRef item : llvm::split(value, ','))
           if (!item.trim().empty() && !llvm::is_contained(kinds, item.trim()))
             return "names '" + item.trim().str() + "', not a kind of fused region this target has kernels for (" +
                    llvm::join(kinds, ",") + ")";
         return list(&TargetDescription::fusions)(value, d);
       }},
      {"activation-type", "Activation (storage) type: f32, f16 or i8 (i8 needs a quantized model)",
       text(&TargetDescription::activationType)},
  };
}

std::string targetNames() {
  std::string names;
  for (const Target *t : allTargets())
    names += (names.empty() ? "" : "|") + t->name().str();
  return names;
}

} // namespace mote
