// The one registry of targets.
#include "targets/Target.h"

#include "llvm/ADT/StringExtras.h"

#include "targets/hexagon/HexagonTarget.h"
#include "targets/neon/NeonTarget.h"
#include "targets/opencl/OpenClTarget.h"
#include "targets/reference/ReferenceTarget.h"

using namespace mlir;

namespace mote {
const std::vector<const Target *> &allTargets() {
  static const ReferenceTarget reference;
  static const NeonTarget neon;
  static const OpenClTarget opencl;
  static const HexagonTarget hexagon;
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
