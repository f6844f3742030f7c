// `--target=T` and the flags each target offers (`--opencl-max-tensor-bytes`, `--neon-precision`), which
// override its description. The flags come from the targets (Target::flags()); nothing here knows one.
#include "TargetFlags.h"

#include "Options.h"

#include "llvm/Support/CommandLine.h"

#include <memory>

using namespace mlir;
namespace cl = llvm::cl;

namespace mote {
namespace {

struct RegisteredFlag {
  const Target *target;
  TargetFlag flag;
  std::unique_ptr<cl::opt<std::string>> option;
};

std::vector<RegisteredFlag> &registeredFlags() {
  static std::vector<RegisteredFlag> flags;
  return flags;
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
  for (const Target *t : allTargets())
    for (TargetFlag &flag : t->flags()) {
      std::string name = t->name().str() + "-" + flag.name;
      auto option = std::make_unique<cl::opt<std::string>>(llvm::StringRef(keep(name)),
                                                           cl::desc(keep(flag.help)),
                                                           cl::cat(targetFlagCategory()), cl::value_desc("value"));
      registeredFlags().push_back({t, std::move(flag), std::move(option)});
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
  for (const RegisteredFlag &r : registeredFlags()) {
    if (!r.option->getNumOccurrences())
      continue;
    if (r.target != target) {
      llvm::errs() << "motec: warning: --" << r.option->ArgStr << " has no effect with --target=" << target->name()
                   << "\n";
      continue;
    }
    std::string error = r.flag.apply(*r.option, d);
    if (!error.empty()) {
      llvm::errs() << "motec: error: --" << r.option->ArgStr << "=" << *r.option << " " << error << "\n";
      return nullptr;
    }
  }
  TargetAttr attr = d.toAttr(module.getContext(), module.getLoc());
  if (!attr)
    return nullptr;
  module->setAttr(kTargetAttrName, attr);
  return target;
}

} // namespace mote
