// `--target=T` and the target-prefixed flags that override its description (`--opencl-max-tensor-bytes`).
#include "TargetFlags.h"

#include "Options.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"

#include <memory>

using namespace mlir;
namespace cl = llvm::cl;

namespace mote {
namespace {


// The overridable fields of one target.
struct TargetOptions {
  std::string prefix;
  std::unique_ptr<cl::opt<int64_t>> maxRank, fcMaxInputRank, maxTensorBytes;
  std::unique_ptr<cl::opt<std::string>> layout, native, activationType;
  std::unique_ptr<cl::opt<std::string>> precision; // neon only: the user-facing alias of activation-type
  std::vector<cl::Option *> all() const {
    std::vector<cl::Option *> v = {maxRank.get(), fcMaxInputRank.get(), maxTensorBytes.get(), layout.get(),
                                   native.get(), activationType.get()};
    if (precision)
      v.push_back(precision.get());
    return v;
  }
};

std::vector<TargetOptions> &targetOptions() {
  static std::vector<TargetOptions> options;
  return options;
}

// cl::opt keeps the names and descriptions by reference: they live as long as the process.
const char *keep(std::string s) {
  static std::vector<std::unique_ptr<std::string>> strings;
  strings.push_back(std::make_unique<std::string>(std::move(s)));
  return strings.back()->c_str();
}

} // namespace

cl::OptionCategory &targetFlagCategory() {
  static cl::OptionCategory category("target options (override the --target's description)");
  return category;
}

void registerTargetFlags() {
  for (const Target *t : allTargets()) {
    if (t->name() == "reference")
      continue; // no constraints to override
    TargetOptions o;
    std::string p = t->name().str();
    o.prefix = p;
    auto intFlag = [&](const char *field, const char *help) {
      return std::make_unique<cl::opt<int64_t>>(llvm::StringRef(keep(p + "-" + field)), cl::desc(keep(help)),
                                                cl::cat(targetFlagCategory()), cl::value_desc("n"));
    };
    auto strFlag = [&](const char *field, const char *help) {
      return std::make_unique<cl::opt<std::string>>(llvm::StringRef(keep(p + "-" + field)), cl::desc(keep(help)),
                                                    cl::cat(targetFlagCategory()));
    };
    o.maxRank = intFlag("max-rank", "Largest tensor rank a kernel accepts (0: no limit)");
    o.fcMaxInputRank = intFlag("fc-max-input-rank", "Larger fully connected inputs become 1x1 convolutions");
    o.maxTensorBytes = intFlag("max-tensor-bytes", "Largest convolution input or output; larger ones are serialized");
    o.layout = strFlag("layout", "Activation layout: NCHW or NHWC");
    o.native = strFlag("native", "Comma-separated composites with kernels (group_norm,layer_norm,...)");
    o.activationType = strFlag("activation-type", "Activation type: f32, f16 or i8");
    if (p == "neon")
      o.precision = strFlag("precision", "Precision: f32, or f16 (f16 storage and -march=armv8.2-a+fp16, f32 "
                                         "accumulation in norms, softmax and reductions)");
    targetOptions().push_back(std::move(o));
  }
}

bool checkTargetFlag() {
  if (lookupTarget(cli::target))
    return true;
  llvm::errs() << "motec: error: --target=" << cli::target << " is not a target (" << targetNames() << ")\n";
  return false;
}

const Target *applyTargetFlags(ModuleOp module) {
  if (!checkTargetFlag())
    return nullptr;
  const Target *target = lookupTarget(cli::target);
  TargetDescription d = target->defaultDescription();
  for (const TargetOptions &o : targetOptions()) {
    if (o.prefix != target->name()) {
      for (cl::Option *opt : o.all())
        if (opt->getNumOccurrences())
          llvm::errs() << "motec: warning: --" << opt->ArgStr << " has no effect with --target="
                       << target->name() << "\n";
      continue;
    }
    if (o.maxRank->getNumOccurrences())
      d.maxRank = *o.maxRank;
    if (o.fcMaxInputRank->getNumOccurrences())
      d.fcMaxInputRank = *o.fcMaxInputRank;
    if (o.maxTensorBytes->getNumOccurrences())
      d.maxTensorBytes = *o.maxTensorBytes;
    if (o.layout->getNumOccurrences())
      d.layout = *o.layout;
    if (o.activationType->getNumOccurrences())
      d.activationType = *o.activationType;
    if (o.precision && o.precision->getNumOccurrences()) {
      if (*o.precision != "f32" && *o.precision != "f16") {
        llvm::errs() << "motec: error: --" << o.prefix << "-precision=" << *o.precision
                     << " is not a precision (f32, f16)\n";
        return nullptr;
      }
      d.activationType = *o.precision;
    }
    if (o.native->getNumOccurrences()) {
      d.native.clear();
      for (llvm::StringRef n : llvm::split(*o.native, ','))
        if (!n.trim().empty())
          d.native.push_back(n.trim().str());
    }
  }
  TargetAttr attr = d.toAttr(module.getContext(), module.getLoc());
  if (!attr)
    return nullptr;
  module->setAttr(kTargetAttrName, attr);
  return target;
}

} // namespace mote
