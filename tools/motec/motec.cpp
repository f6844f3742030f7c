// motec: the Mote compiler driver. `motec compile MODEL.onnx --compile-to=PHASE -o OUT`.
#include "Diagnostics.h"
#include "Summary.h"
#include "Version.h"

#include "frontend/OnnxImporter.h"
#include "ir/MoteDialect.h"
#include "passes/Passes.h"
#include "passes/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory motecCategory("motec compile options");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx | model.onnxtxt>"), cl::Required,
                               cl::cat(motecCategory));
cl::opt<std::string> outputFile("o", cl::desc("Where to write the IR ('-' for stdout)"),
                                cl::value_desc("file"), cl::init("-"), cl::cat(motecCategory));
cl::opt<std::string> target("target", cl::desc("Target to compile for: reference"),
                            cl::init("reference"), cl::cat(motecCategory));
const std::string compileToHelp = "Stop after this phase and print its IR: " + mote::phaseNames();
cl::opt<std::string> compileTo("compile-to", cl::desc(compileToHelp),
                               cl::init("canonical"), cl::cat(motecCategory));
cl::list<std::string> inputShapes("input-shape",
                                  cl::desc("Bind an input's shape, e.g. sample:1x4x64x64 (repeatable)"),
                                  cl::value_desc("name:dims"), cl::cat(motecCategory));
cl::opt<bool> summary("summary",
                      cl::desc("Print inputs, outputs, op histogram and constant sizes instead of IR"),
                      cl::cat(motecCategory));
cl::opt<bool> quiet("quiet", cl::desc("No progress messages"), cl::cat(motecCategory));

const char *kUsage = "Mote: an ONNX compiler for phone CPUs, GPUs and NPUs\n\n"
                     "usage: motec compile MODEL [options]   compile MODEL up to --compile-to\n"
                     "       motec --version\n"
                     "       motec compile --help            options of compile\n";

// Progress on a terminal: "motec: importing unet.onnx ... 1.2 s".
class Progress {
public:
  explicit Progress(bool enabled) : enabled_(enabled) {}
  void start(llvm::StringRef what) {
    if (!enabled_)
      return;
    begin_ = std::chrono::steady_clock::now();
    llvm::errs() << "motec: " << what << " ... ";
    llvm::errs().flush();
  }
  void done() {
    if (!enabled_)
      return;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin_).count();
    llvm::errs() << llvm::format("%.1f s\n", s);
  }

private:
  bool enabled_;
  std::chrono::steady_clock::time_point begin_;
};

int compile() {
  auto phase = mote::parsePhase(compileTo);
  if (!phase) {
    llvm::errs() << "motec: error: --compile-to=" << compileTo << " is not a phase ("
                 << mote::phaseNames() << ")\n";
    return 1;
  }
  if (target != "reference") {
    llvm::errs() << "motec: error: --target=" << target << " is not a known target (reference)\n";
    return 1;
  }
  mote::ImportOptions options;
  for (const std::string &spec : inputShapes) {
    std::string error = mote::parseInputShape(spec, options);
    if (!error.empty()) {
      llvm::errs() << "motec: error: --input-shape: " << error << "\n";
      return 1;
    }
  }

  DialectRegistry registry;
  registry.insert<mote::MoteDialect, func::FuncDialect>();
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  mote::MotecDiagnostics diagnostics(context);
  Progress progress(!quiet && llvm::sys::Process::StandardErrIsDisplayed());

  progress.start("importing " + inputFile);
  auto module = mote::importOnnxModel(context, inputFile, options);
  if (!module || failed(verify(*module)))
    return 1;
  progress.done();

  PassManager pm(&context);
  if (failed(applyPassManagerCLOptions(pm)))
    return 1;
  applyDefaultTimingPassManagerCLOptions(pm);
  mote::buildPipelineTo(pm, *phase);
  progress.start("compiling to " + mote::phaseName(*phase).str());
  if (failed(pm.run(*module)))
    return 1;
  progress.done();

  std::string error;
  auto output = openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << "motec: error: " << error << "\n";
    return 1;
  }
  if (summary)
    mote::printSummary(*module, mote::phaseName(*phase), output->os());
  else
    module->print(output->os(), OpPrintingFlags().enableDebugInfo(false));
  output->os() << (summary ? "" : "\n");
  output->keep();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  auto printVersion = [](llvm::raw_ostream &os) {
    os << "motec " << MOTE_VERSION << " (MLIR " << MOTE_LLVM_VERSION << ")\n";
  };
  cl::SetVersionPrinter(printVersion);

  llvm::StringRef command = argc > 1 ? argv[1] : "";
  if (command == "--version" || command == "-version") {
    printVersion(llvm::outs());
    return 0;
  }
  if (command != "compile") {
    llvm::outs() << kUsage;
    if (command.empty() || command == "--help" || command == "-help" || command == "-h")
      return command.empty() ? 1 : 0;
    llvm::errs() << "motec: error: unknown command '" << command << "'\n";
    return 1;
  }
  // Options after the command word; MLIR's own (--mlir-print-ir-after-all, --mlir-timing, ...) stay
  // available but out of the way of --help.
  std::vector<const char *> args = {argv[0]};
  for (int i = 2; i < argc; ++i)
    args.push_back(argv[i]);
  cl::HideUnrelatedOptions({&motecCategory});
  cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(),
                              "motec compile: import an ONNX model and compile it up to a phase\n");
  return compile();
}
