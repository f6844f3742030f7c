// `motec run`: compile a model for a target, run it on tensor files, write the outputs as tensor files.
#include "Commands.h"
#include "Diagnostics.h"
#include "Options.h"

#include "codegen/PlanFunction.h"
#include "frontend/TensorFiles.h"
#include "ir/MoteDialect.h"
#include "passes/Pipelines.h"
#include "TargetFlags.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace mote {

namespace {

// The tensors given with --inputs DIR (input_0.pb, input_1.pb, ... up to the first missing one).
bool readInputDir(MLIRContext &context, std::vector<NamedTensor> &tensors) {
  if (cli::inputsDir.empty())
    return true;
  if (!llvm::sys::fs::is_directory(cli::inputsDir)) {
    llvm::errs() << "motec: error: --inputs: '" << cli::inputsDir << "' is not a folder\n";
    return false;
  }
  for (int k = 0;; ++k) {
    llvm::SmallString<256> path(cli::inputsDir);
    llvm::sys::path::append(path, "input_" + std::to_string(k) + ".pb");
    if (!llvm::sys::fs::exists(path))
      return true;
    std::string error;
    NamedTensor t = readTensorFile(&context, path, error);
    if (!t.value) {
      llvm::errs() << "motec: error: " << error << "\n";
      return false;
    }
    tensors.push_back(std::move(t));
  }
}

} // namespace

int runRun() {
  if (!checkTargetFlag() || !checkCalibrationFlags())
    return 1;
  if (cli::outputDir.empty()) {
    llvm::errs() << "motec: error: run needs --output-dir\n";
    return 1;
  }
  MotecContext motec;
  MLIRContext &context = motec.context;
  Progress progress;

  std::vector<NamedTensor> positional;
  if (!readInputDir(context, positional))
    return 1;
  llvm::StringMap<DenseElementsAttr> byName;
  if (!readNamedTensorFlags(context, "--input", cli::namedInputs, byName))
    return 1;

  // Dynamic dimensions the flags do not bind are bound by the tensors given.
  ImportOptions options;
  if (!parseInputShapeFlags(options))
    return 1;
  // The tensors given also stand for themselves where an operator needs a compile-time value that the
  // model gives as an input (the program compiled for this run is specialized to them).
  for (const NamedTensor &t : positional) {
    options.positionalShapes.emplace_back(t.value.getType().getShape());
    options.positionalValues.push_back(t.value);
  }
  for (const auto &entry : byName) {
    options.givenShapes[entry.getKey()] = SmallVector<int64_t>(entry.getValue().getType().getShape());
    options.givenValues[entry.getKey()] = entry.getValue();
  }

  progress.start("loading " + cli::inputFile);
  auto module = loadModel(context, cli::inputFile, options);
  if (!module)
    return 1;
  progress.done();
  // ONNX models are compiled as far as the target goes; Mote IR runs as it is (any phase's output).
  // A .mlir file keeps the target it carries unless --target is given (the reference target runs any
  // phase's IR, whatever it was legalized for: that is how passes are checked); an ONNX model is
  // compiled for --target.
  const Target *target = nullptr;
  if (isMlirFile(cli::inputFile) && cli::target.getNumOccurrences()) {
    target = lookupTarget(cli::target);
  } else if (isMlirFile(cli::inputFile) && getModuleTarget(*module)) {
    target = lookupTarget(getModuleTarget(*module).getName());
    if (!target) {
      llvm::errs() << "motec: error: " << cli::inputFile << " is for target '"
                   << getModuleTarget(*module).getName() << "', which is not registered\n";
      return 1;
    }
  } else if (!(target = applyTargetFlags(*module))) {
    return 1;
  }
  // The reference target interprets the canonical phase (or any phase's Mote IR as it is); device targets
  // run what they emit from the planned phase, which a .mlir file of the legal phase is taken to.
  auto func = module->lookupSymbol<func::FuncOp>("main");
  if (!func) {
    llvm::errs() << "motec: error: " << cli::inputFile << " has no function @main\n";
    return 1;
  }
  if (!isMlirFile(cli::inputFile)) {
    // Quantized weights are the quantized phase's: a target that runs an earlier phase runs that one.
    Phase phase = target->runPhase();
    if (!cli::quantize.empty() && phase < Phase::Quantized)
      phase = Phase::Quantized;
    if (failed(runPipeline(*module, phase, *target, progress)))
      return 1;
  } else if (target->runPhase() == Phase::Planned && !func->hasAttr(kArenaBytesAttrName)) {
    if (failed(runPipeline(*module, Phase::Planned, *target, progress, nullptr, Phase::Legal)))
      return 1;
  }
  SmallVector<ElementsAttr> inputs;
  for (unsigned k = 0; k < func.getNumArguments(); ++k) {
    auto name = func.getArgAttrOfType<StringAttr>(k, "mote.name");
    auto it = name ? byName.find(name.getValue()) : byName.end();
    if (it != byName.end()) {
      inputs.push_back(it->getValue());
      byName.erase(it);
    } else if (k < positional.size()) {
      inputs.push_back(positional[k].value);
    } else {
      llvm::errs() << "motec: error: no tensor for input " << k << " ('"
                   << (name ? name.getValue() : "?") << "'): give --inputs DIR with input_" << k
                   << ".pb or --input " << (name ? name.getValue() : "NAME") << "=FILE.pb\n";
      return 1;
    }
  }
  if (!byName.empty()) {
    llvm::errs() << "motec: error: --input names '" << byName.begin()->getKey()
                 << "', which is not an input of the model\n";
    return 1;
  }
  if (positional.size() > func.getNumArguments()) {
    llvm::errs() << "motec: error: " << positional.size() << " input files for "
                 << func.getNumArguments() << " model inputs\n";
    return 1;
  }

  progress.start("running on " + target->name().str());
  RunOptions runOptions;
  runOptions.simulatorFlags = cli::simFlags;
  runOptions.benchmark = cli::bench;
  auto outputs = target->run(func, inputs, runOptions);
  if (failed(outputs))
    return 1;
  progress.done();

  if (std::error_code ec = llvm::sys::fs::create_directories(cli::outputDir)) {
    llvm::errs() << "motec: error: cannot create '" << cli::outputDir << "': " << ec.message() << "\n";
    return 1;
  }
  for (auto [k, value] : llvm::enumerate(*outputs)) {
    llvm::SmallString<256> path(cli::outputDir);
    llvm::sys::path::append(path, "output_" + std::to_string(k) + ".pb");
    auto name = func.getResultAttrOfType<StringAttr>(k, "mote.name");
    std::string error;
    if (!writeTensorFile(path, name ? name.getValue() : "", value, error)) {
      llvm::errs() << "motec: error: " << error << "\n";
      return 1;
    }
  }
  return 0;
}

} // namespace mote
