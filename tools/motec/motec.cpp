// motec: the Mote compiler driver. `motec compile` and `motec run`; see `motec --help`.
#include "Commands.h"
#include "Diagnostics.h"
#include "Options.h"
#include "Report.h"
#include "Summary.h"
#include "TargetFlags.h"
#include "Version.h"

#include "frontend/OnnxImporter.h"
#include "frontend/TensorFiles.h"
#include "ir/MoteDialect.h"
#include "ir/NestingLimit.h"
#include "codegen/ModelInterface.h"
#include "codegen/Passes.h"
#include "passes/Pipelines.h"
#include "targets/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <memory>
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace mote::cli {

cl::OptionCategory commonCategory("motec options");
cl::OptionCategory compileCategory("motec compile options");
cl::OptionCategory runCategory("motec run options");
cl::OptionCategory simCategory("simulation options (run, generate)");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx | model.onnxtxt | model.mlir>"),
                               cl::Required, cl::cat(commonCategory));
static const std::string targetHelp = "Target: " + mote::targetNames();
cl::opt<std::string> target("target", cl::desc(targetHelp), cl::init(mote::allTargets().front()->name().str()),
                            cl::cat(commonCategory));
cl::list<std::string> inputShapes("input-shape",
                                  cl::desc("Bind an input's shape, e.g. sample:1x4x64x64 (repeatable)"),
                                  cl::value_desc("name:dims"), cl::cat(commonCategory));
cl::opt<bool> quiet("quiet", cl::desc("No progress messages"), cl::cat(commonCategory));
cl::opt<std::string> quantize(
    "quantize",
    cl::desc("Quantize weights in the quantized phase: w8 = int8 weights of linear layers, group-1 "
             "convolutions and embeddings, symmetric, one f32 scale per output channel; w4 = int4 weights of "
             "linear layers and embeddings with one f16 scale per --quant-group-size weights along the "
             "reduction axis (convolutions as w8). Widened to float in the kernels; activations stay float "
             "(with --target=neon, f32 precision only). w4a8 = w4's weights with the int4 layers' activations "
             "quantized to int8 per row at run time, int8 x int4 dot products (NEON: ARMv8.2-A dotprod); "
             "w8a8 = w8's weights with the inputs of linear layers and group-1 convolutions quantized to int8 "
             "per tensor with scales calibrated on --calibration, int8 x int8 dot products; w8a16 = the same with "
             "int16 activations (the NPU scheme), exact sums. On a target with int8 activations (hexagon; neon "
             "with --neon-activation-type=i8) w8a8 makes the whole model integer: every value an integer op takes "
             "is int8 with a calibrated scale, "
             "between one quantize of each input and one dequantize of each output (w8a16 there: the same "
             "in int16)"),
    cl::value_desc("scheme"), cl::cat(commonCategory));
cl::opt<int64_t> quantizeGroupSize("quant-group-size",
                                   cl::desc("--quantize=w4, w4a8: weights per scale along the reduction axis"),
                                   cl::init(32), cl::cat(commonCategory));
cl::opt<std::string> calibration(
    "calibration",
    cl::desc("Sample inputs for --quantize, run in the reference interpreter (a folder of test_data_set_* folders of "
             "input_K.pb files, or one such folder): w8a8 calibrates its activation scales on them, and every "
             "scheme's --report gives each layer's and the model's output SQNR against the float model on them"),
    cl::value_desc("dir"), cl::cat(commonCategory));
cl::opt<std::string> calibrationClip(
    "calibration-clip",
    cl::desc("--quantize=w8a8: where activations are clipped: mse = the threshold minimizing the int8 error over "
             "the calibration histogram, max = the largest value seen"),
    cl::value_desc("mse|max"), cl::init("mse"), cl::cat(commonCategory));
cl::list<std::string> quantizeSkip("quantize-skip",
                                   cl::desc("ONNX node names whose weights --quantize leaves float (comma-separated)"),
                                   cl::value_desc("node,..."), cl::CommaSeparated, cl::cat(commonCategory));

cl::opt<std::string> outputFile("o", cl::desc("Where to write the IR ('-' for stdout)"),
                                cl::value_desc("file"), cl::init("-"), cl::cat(compileCategory));
static const std::string compileToHelp =
    "Stop after this phase and print its IR (" + mote::phaseNames() +
    "); emitted writes the artifact folder -o DIR. Default: as far as the target goes (canonical for "
    "reference, emitted for targets with an emitter, legal for the others)";
cl::opt<std::string> compileTo("compile-to", cl::desc(compileToHelp),
                               cl::cat(compileCategory));
cl::opt<bool> report("report",
                     cl::desc("Write report.json and report.md (what each pass changed, op histograms per "
                              "phase, kernels, fused regions, serialized convolutions) and, from the planned "
                              "phase on, memory.svg (the activation arena over the schedule) into -o's folder, "
                              "or the current one"),
                     cl::cat(compileCategory));
cl::list<std::string> bindInputs(
    "bind-input",
    cl::desc("Compile with an input's value, NAME=FILE.pb, where an operator needs it at compile time (a "
             "shape, axes, scales, starts/ends or repeats given as a graph input); binds its shape too "
             "(repeatable)"),
    cl::value_desc("name=file"), cl::cat(compileCategory));
cl::opt<std::string> modelName("name",
                              cl::desc("The model's name in the artifact: files NAME.h, NAME.cpp, NAME.weights and "
                                       "the NAME_ prefix of its C API (a C identifier; default: model)"),
                              cl::value_desc("name"), cl::init("model"), cl::cat(compileCategory));
cl::opt<std::string> depFile("depfile",
                             cl::desc("With -o DIR: also write a Make-style dependency file naming the files "
                                      "the artifact was made from (the model and its external data), for "
                                      "build systems"),
                             cl::value_desc("file"), cl::cat(compileCategory));
cl::opt<std::string> depFileTarget("depfile-target",
                                   cl::desc("The target the dependency file names (as gcc -MT; default: "
                                            "DIR/NAME.weights)"),
                                   cl::value_desc("path"), cl::cat(compileCategory));
cl::opt<bool> summary("summary",
                      cl::desc("Print inputs, outputs, op histogram and constant sizes instead of IR"),
                      cl::cat(compileCategory));

cl::opt<std::string> inputsDir("inputs",
                               cl::desc("Folder of input_K.pb tensor files, in graph-input order"),
                               cl::value_desc("dir"), cl::cat(runCategory));
cl::list<std::string> namedInputs("input", cl::desc("An input by name, NAME=FILE.pb (repeatable)"),
                                  cl::value_desc("name=file"), cl::cat(runCategory));
cl::opt<std::string> simFlags("sim-flags",
                              cl::desc("Extra flags for the simulator of a device target (e.g. a qemu plugin)"),
                              cl::value_desc("flags"), cl::cat(simCategory));
cl::opt<bool> bench("bench",
                    cl::desc("Run once more after a warm-up, between the instruction counter's region markers "
                             "(with --sim-flags='-plugin .../libinsn_count.so ...': REGION = one inference)"),
                    cl::cat(runCategory));
cl::opt<std::string> outputDir("output-dir", cl::desc("Folder to write output_K.pb into"),
                               cl::value_desc("dir"), cl::cat(runCategory));

} // namespace mote::cli

namespace mote {

Progress::Progress() : enabled_(!cli::quiet && llvm::sys::Process::StandardErrIsDisplayed()) {}

void Progress::start(llvm::StringRef what) {
  if (!enabled_)
    return;
  begin_ = std::chrono::steady_clock::now();
  llvm::errs() << "motec: " << what << " ... ";
  llvm::errs().flush();
}

void Progress::done(llvm::StringRef note) {
  if (!enabled_)
    return;
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin_).count();
  if (!note.empty())
    llvm::errs() << note << ", ";
  llvm::errs() << llvm::format("%.1f s\n", s);
}

static DialectRegistry motecDialects() {
  DialectRegistry registry;
  registry.insert<MoteDialect, func::FuncDialect>();
  return registry;
}

MotecContext::MotecContext() : context(motecDialects()), diagnostics(context) {
  context.printOpOnDiagnostic(false);
  // Loaded up front: the target attribute is built even for a .mlir file that names no Mote op (an empty one).
  context.loadDialect<MoteDialect, func::FuncDialect>();
}

bool isMlirFile(llvm::StringRef path) { return path.ends_with(".mlir"); }

bool readNamedTensorFlags(MLIRContext &context, llvm::StringRef flag, llvm::ArrayRef<std::string> specs,
                          llvm::StringMap<DenseElementsAttr> &byName) {
  for (const std::string &spec : specs) {
    auto [name, path] = llvm::StringRef(spec).split('=');
    if (name.empty() || path.empty()) {
      llvm::errs() << "motec: error: " << flag << " expects NAME=FILE.pb, got '" << spec << "'\n";
      return false;
    }
    std::string error;
    NamedTensor t = readTensorFile(&context, path, error);
    if (!t.value) {
      llvm::errs() << "motec: error: " << error << "\n";
      return false;
    }
    byName[name] = t.value;
  }
  return true;
}

OwningOpRef<ModuleOp> loadModel(MLIRContext &context, llvm::StringRef path, const ImportOptions &options) {
  OwningOpRef<ModuleOp> module;
  if (isMlirFile(path)) {
    llvm::SourceMgr sourceMgr;
    std::string error;
    auto file = llvm::MemoryBuffer::getFileOrSTDIN(path);
    if (!file) {
      llvm::errs() << "motec: error: " << path << ": " << file.getError().message() << "\n";
      return nullptr;
    }
    if (std::optional<std::string> tooDeep = checkIRNesting((*file)->getBuffer())) {
      llvm::errs() << "motec: error: " << path << ": " << *tooDeep << "\n";
      return nullptr;
    }
    sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  } else {
    module = importOnnxModel(context, path, options);
  }
  if (!module || failed(verify(*module)))
    return nullptr;
  return module;
}

LogicalResult runPipeline(ModuleOp module, Phase phase, const Target &target, Progress &progress,
                          CompileReport *report, Phase from, std::vector<std::string> *filesRead) {
  // One pass manager per phase, so the report can show every phase's op histogram.
  if (report)
    report->recordPhase(phaseName(from), module);
  CalibrationRun calibration;
  calibration.measure = report != nullptr;
  for (Phase p : allPhases()) {
    if (p <= from || p > phase)
      continue;
    PassManager pm(module.getContext());
    if (failed(applyPassManagerCLOptions(pm)))
      return failure();
    applyDefaultTimingPassManagerCLOptions(pm);
    if (report)
      pm.addInstrumentation(report->instrument(phaseName(p)));
    auto targetPasses = [&](OpPassManager &nested) { target.addLegalizationPasses(nested); };
    auto planning = [&](OpPassManager &nested) {
      addPlannedPhasePasses(nested, [&](OpPassManager &pm) { target.addKernelSelectionPasses(pm); });
    };
    PhaseHooks hooks{targetPasses, planning};
    hooks.quantize = cli::quantize;
    hooks.quantizeSkip.assign(cli::quantizeSkip.begin(), cli::quantizeSkip.end());
    hooks.quantizeGroupSize = cli::quantizeGroupSize;
    hooks.activationClip = cli::calibrationClip;
    hooks.kvCache = cli::llm; // motec compile --llm, motec generate
    if (p == Phase::Quantized && failed(calibrateFromFlags(module, progress, calibration, filesRead)))
      return failure();
    addPhasePasses(pm, p, hooks);
    progress.start("compiling to " + phaseName(p).str());
    if (failed(pm.run(module)))
      return failure();
    progress.done();
    if (p == Phase::Quantized && failed(measureFromFlags(module, progress, calibration)))
      return failure();
    if (report)
      report->recordPhase(phaseName(p), module);
  }
  return success();
}

bool parseInputShapeFlags(ImportOptions &options) {
  for (const std::string &spec : cli::inputShapes) {
    std::string error = parseInputShape(spec, options);
    if (!error.empty()) {
      llvm::errs() << "motec: error: --input-shape: " << error << "\n";
      return false;
    }
  }
  return true;
}

/// Escapes a path for a Make-style dependency file (spaces, '#', '$').
static std::string makeEscaped(llvm::StringRef path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '#' || c == '\\')
      out += '\\';
    if (c == '$')
      out += '$';
    out += c;
  }
  return out;
}

static bool writeDepFile(llvm::StringRef path, llvm::StringRef target, llvm::ArrayRef<std::string> inputs,
                         std::string &error) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    error = "cannot write the dependency file '" + path.str() + "': " + ec.message();
    return false;
  }
  os << makeEscaped(target) << ":";
  for (const std::string &input : inputs)
    os << " \\\n  " << makeEscaped(input);
  os << "\n";
  return true;
}

int runCompile() {
  if (!checkTargetFlag() || !checkCalibrationFlags())
    return 1;
  // Without --compile-to, compile as far as the target goes: `motec compile m.onnx --target=neon -o out/`
  // writes the artifact.
  std::string phaseFlag = cli::compileTo;
  if (!cli::compileTo.getNumOccurrences()) {
    phaseFlag = phaseName(lookupTarget(cli::target)->defaultPhase()).str();
  }
  auto phase = parsePhase(phaseFlag);
  if (!phase) {
    llvm::errs() << "motec: error: --compile-to=" << cli::compileTo << " is not a phase (" << phaseNames()
                 << ")\n";
    return 1;
  }
  if (!codegen::isValidModelName(cli::modelName)) {
    llvm::errs() << "motec: error: --name=" << cli::modelName
                 << " cannot name a model: use a C identifier (letters, digits and '_', not starting with a digit) "
                    "whose NAME_t is not a C library type such as size_t\n";
    return 1;
  }
  if (!cli::depFile.empty() && *phase != Phase::Emitted) {
    llvm::errs() << "motec: error: --depfile goes with the artifact (--compile-to=emitted -o DIR)\n";
    return 1;
  }
  if (cli::llm)
    return runCompileLlm(*phase);
  ImportOptions options;
  if (!parseInputShapeFlags(options))
    return 1;
  std::vector<std::string> filesRead;
  options.filesRead = &filesRead;
  MotecContext motec;
  MLIRContext &context = motec.context;
  Progress progress;
  if (!cli::bindInputs.empty() && isMlirFile(cli::inputFile)) {
    llvm::errs() << "motec: error: --bind-input applies to ONNX models; " << cli::inputFile
                 << " is Mote IR\n";
    return 1;
  }
  if (!readNamedTensorFlags(context, "--bind-input", cli::bindInputs, options.givenValues))
    return 1;
  for (const auto &entry : options.givenValues)
    options.givenShapes[entry.getKey()] = SmallVector<int64_t>(entry.getValue().getType().getShape());
  options.givenValuesMustBeInputs = true;

  progress.start("loading " + cli::inputFile);
  auto module = loadModel(context, cli::inputFile, options);
  if (!module)
    return 1;
  progress.done();

  const Target *target = applyTargetFlags(*module);
  if (!target)
    return 1;
  // A .mlir file is taken to be at the phase it was printed at; the pipeline re-runs harmlessly.
  CompileReport compileReport;
  if (failed(runPipeline(*module, *phase, *target, progress, cli::report ? &compileReport : nullptr, Phase::Import,
                         &filesRead)))
    return 1;
  if (cli::report && *phase != Phase::Emitted) {
    llvm::StringRef dir = cli::outputFile == "-" ? "." : llvm::sys::path::parent_path(cli::outputFile);
    std::string error;
    if (!compileReport.write(dir.empty() ? "." : dir, *module, error)) {
      llvm::errs() << "motec: error: " << error << "\n";
      return 1;
    }
  }

  if (*phase == Phase::Emitted) {
    // The artifact: a folder of generated sources, the weights file and (with --report) the report.
    if (cli::outputFile == "-") {
      llvm::errs() << "motec: error: --compile-to=emitted writes a folder: give it with -o DIR\n";
      return 1;
    }
    if (std::error_code ec = llvm::sys::fs::create_directories(cli::outputFile)) {
      llvm::errs() << "motec: error: cannot create '" << cli::outputFile << "': " << ec.message() << "\n";
      return 1;
    }
    auto func = module->lookupSymbol<func::FuncOp>("main");
    if (!func) {
      llvm::errs() << "motec: error: " << cli::inputFile << " has no function @main to emit\n";
      return 1;
    }
    EmitOptions emitOptions;
    emitOptions.modelName = cli::modelName;
    progress.start("writing the artifact");
    if (failed(target->emit(func, cli::outputFile, emitOptions)))
      return 1;
    llvm::SmallString<256> weightsPath(cli::outputFile);
    llvm::sys::path::append(weightsPath, cli::modelName + ".weights");
    uint64_t weightsBytes = 0;
    if (!llvm::sys::fs::file_size(weightsPath, weightsBytes))
      progress.done((llvm::Twine(weightsBytes / (1024 * 1024)) + " MiB of weights written").str());
    else
      progress.done();
    if (!cli::depFile.empty()) {
      if (isMlirFile(cli::inputFile))
        filesRead.push_back(cli::inputFile);
      std::string error;
      // One target stands for the whole artifact (Ninja reads one per depfile): NAME.weights unless told
      // (always written, unlike the sources, which are left alone when unchanged).
      llvm::SmallString<256> target(cli::depFileTarget);
      if (target.empty()) {
        target = cli::outputFile;
        llvm::sys::path::append(target, cli::modelName + ".weights");
      }
      if (!writeDepFile(cli::depFile, target, filesRead, error)) {
        llvm::errs() << "motec: error: " << error << "\n";
        return 1;
      }
    }
    if (cli::report) {
      std::string error;
      if (!compileReport.write(cli::outputFile, *module, error)) {
        llvm::errs() << "motec: error: " << error << "\n";
        return 1;
      }
    }
    return 0;
  }
  std::string error;
  auto output = openOutputFile(cli::outputFile, &error);
  if (!output) {
    llvm::errs() << "motec: error: " << error << "\n";
    return 1;
  }
  if (cli::summary) {
    printSummary(*module, phaseName(*phase), output->os());
  } else {
    module->print(output->os(), OpPrintingFlags().enableDebugInfo(false));
    output->os() << "\n";
  }
  output->keep();
  return 0;
}

} // namespace mote

static const char *kUsage =
    "Mote: an ONNX compiler for phone CPUs, GPUs and NPUs\n\n"
    "usage: motec compile MODEL [options]   import MODEL and compile it up to --compile-to; print the IR\n"
    "       motec run MODEL --inputs DIR --output-dir OUT [options]\n"
    "                                       compile MODEL for --target, run it on DIR/input_K.pb,\n"
    "                                       write OUT/output_K.pb (ONNX backend-test layout)\n"
    "       motec generate MODEL_OR_ARTIFACT --prompt-ids 1,2,3 --max-new-tokens T [options]\n"
    "                                       generate text with a decoder with past (an ONNX model,\n"
    "                                       compiled with --llm first, or a motec compile --llm folder)\n"
    "                                       on --target (default neon) in simulation; prints the ids\n"
    "       motec --version\n"
    "       motec --list-operators              the ONNX operators Mote imports (contrib ones as DOMAIN.OpType)\n"
    "       motec compile --help, motec run --help   the options of each command\n"
    "MODEL is an ONNX model (.onnx), ONNX textual syntax (.onnxtxt) or Mote IR (.mlir).\n";

// The categories whose options are hidden: motec's own of other commands, and MLIR's (still accepted).
static void checkUnused(llvm::StringRef command, llvm::ArrayRef<cl::Option *> others) {
  for (cl::Option *o : others)
    if (o->getNumOccurrences())
      llvm::errs() << "motec: warning: -" << o->ArgStr << " has no effect on '" << command << "'\n";
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  mote::registerTargetFlags();
  auto printVersion = [](llvm::raw_ostream &os) {
    os << "motec " << MOTE_VERSION << " (LLVM/MLIR " << MOTE_LLVM_VERSION << ", ONNX " << MOTE_ONNX_VERSION
       << ", protobuf " << MOTE_PROTOBUF_VERSION << ")\n";
  };
  cl::SetVersionPrinter(printVersion);

  llvm::StringRef command = argc > 1 ? argv[1] : "";
  if (command == "--version" || command == "-version") {
    printVersion(llvm::outs());
    return 0;
  }
  if (command == "--list-operators") {
    for (const std::string &name : mote::supportedOperators())
      llvm::outs() << name << "\n";
    return 0;
  }
  if (command != "compile" && command != "run" && command != "generate") {
    bool help = command == "--help" || command == "-help" || command == "-h";
    (help ? llvm::outs() : llvm::errs()) << kUsage;
    if (!help && !command.empty())
      llvm::errs() << "motec: error: unknown command '" << command << "'\n";
    return help ? 0 : 1;
  }
  // Options after the command word. MLIR's own (--mlir-print-ir-after-all, --mlir-timing, ...) stay
  // accepted but out of the way of --help.
  std::vector<const char *> args = {argv[0]};
  for (int i = 2; i < argc; ++i)
    args.push_back(argv[i]);
  bool isCompile = command == "compile", isGenerate = command == "generate";
  using namespace mote::cli;
  if (isCompile)
    cl::HideUnrelatedOptions({&commonCategory, &compileCategory, &llmCategory, &mote::targetFlagCategory()});
  else if (isGenerate)
    cl::HideUnrelatedOptions({&commonCategory, &llmCategory, &generateCategory, &simCategory, &mote::targetFlagCategory()});
  else
    cl::HideUnrelatedOptions({&commonCategory, &runCategory, &simCategory, &mote::targetFlagCategory()});
  std::string overview = isCompile    ? "motec compile: import an ONNX model and compile it up to a phase\n"
                         : isGenerate ? "motec generate: generate text with a decoder with past (an ONNX model, or a motec compile --llm folder named by --name, default model) on a target in simulation\n"
                                      : "motec run: compile a model for a target and run it on input tensors\n";
  cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(), overview);
  if (isCompile) {
    checkUnused(command,
                {&inputsDir, static_cast<cl::Option *>(std::addressof(namedInputs)), &outputDir, &simFlags, &bench});
    return mote::runCompile();
  }
  if (isGenerate) {
    checkUnused(command, {&inputsDir, static_cast<cl::Option *>(std::addressof(namedInputs)), &outputDir, &bench,
                          &compileTo, &summary, &report});
    return mote::runGenerate();
  }
  checkUnused(command, {&outputFile, &compileTo, &summary});
  return mote::runRun();
}
