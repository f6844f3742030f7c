// `--target=T` and the target-prefixed flags that override its description (`--opencl-max-tensor-bytes`).
#ifndef MOTE_TOOLS_MOTEC_TARGETFLAGS_H
#define MOTE_TOOLS_MOTEC_TARGETFLAGS_H

#include "targets/Target.h"

#include "llvm/Support/CommandLine.h"

namespace mote {

/// The --help category of the target flags.
llvm::cl::OptionCategory &targetFlagCategory();

/// Registers the `--T-...` flags of every registered target (before the command line is parsed).
void registerTargetFlags();

/// Whether --target names a registered target; prints an error if not.
bool checkTargetFlag();

/// The target `--target` names and its description with the flags applied, set on `module` as
/// `mote.target`. Prints an error and returns null for an unknown target or a bad flag value.
const Target *applyTargetFlags(mlir::ModuleOp module);

} // namespace mote

#endif // MOTE_TOOLS_MOTEC_TARGETFLAGS_H
