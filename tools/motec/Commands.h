// motec's commands and what they share: loading a model (ONNX, textual ONNX or Mote IR) into a module.
#ifndef MOTE_TOOLS_MOTEC_COMMANDS_H
#define MOTE_TOOLS_MOTEC_COMMANDS_H

#include "Diagnostics.h"
#include "frontend/OnnxImporter.h"
#include "passes/Pipelines.h"
#include "targets/Target.h"
#include "targets/reference/Calibration.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <chrono>
#include <string>
#include <vector>

namespace mote {

class CompileReport;

/// Progress on a terminal ("motec: importing unet.onnx ... 1.2 s"); silent otherwise or with --quiet.
class Progress {
public:
  Progress();
  void start(llvm::StringRef what);
  /// Ends the line with the time taken (and `note`, e.g. what was written, when not empty).
  void done(llvm::StringRef note = "");

private:
  bool enabled_;
  std::chrono::steady_clock::time_point begin_;
};

/// An MLIR context with the dialects motec reads, whose diagnostics print in motec's format while
/// `diagnostics` lives.
struct MotecContext {
  MotecContext();
  mlir::MLIRContext context;
  MotecDiagnostics diagnostics;
};

/// Reads the values of a NAME=FILE.pb flag (`--input`, `--bind-input`) into `byName`; prints an error
/// naming `flag` and returns false on a malformed value or an unreadable file.
bool readNamedTensorFlags(mlir::MLIRContext &context, llvm::StringRef flag,
                          llvm::ArrayRef<std::string> specs, llvm::StringMap<mlir::DenseElementsAttr> &byName);

/// Whether `path` is Mote IR (`.mlir`) rather than an ONNX model.
bool isMlirFile(llvm::StringRef path);

/// Reads `path`: an ONNX model is imported (with `options`), a `.mlir` file parsed; verifies it.
mlir::OwningOpRef<mlir::ModuleOp> loadModel(mlir::MLIRContext &context, llvm::StringRef path,
                                            const ImportOptions &options);

/// Runs the passes that take a module from phase `from` (an imported one by default) to `phase`, with
/// MLIR's pass-manager flags applied. Records what each phase did in `report` when given.
/// `filesRead` (when given) collects the calibration samples read.
mlir::LogicalResult runPipeline(mlir::ModuleOp module, Phase phase, const Target &target, Progress &progress,
                                CompileReport *report = nullptr, Phase from = Phase::Import,
                                std::vector<std::string> *filesRead = nullptr);

/// --calibration's samples and what the float model computed on them (tools/motec/Calibrate.cpp).
struct CalibrationRun {
  std::vector<llvm::SmallVector<mlir::ElementsAttr>> samples;
  reference::FloatRun floatRun;
  bool measure = false; // --report: measure the quantization error after the quantized phase
};

/// Checks --calibration against --quantize (w8a8 and w8a16 need samples; samples need a scheme; the folder must
/// hold samples) and --calibration-clip (w8a8's); prints an error and returns false when they do not fit.
bool checkCalibrationFlags();

/// With --calibration (any --quantize scheme; w8a8 and w8a16 need it), runs the module (at the legal phase) in
/// the reference interpreter over the samples: records each layer's activation range (targets/reference/
/// Calibration.h) and, with `run.measure`, keeps the float results in `run` for measureFromFlags. Prints an error and fails on bad
/// samples or flags. Appends the sample files it read to `filesRead` when given (motec --depfile).
mlir::LogicalResult calibrateFromFlags(mlir::ModuleOp module, Progress &progress, CalibrationRun &run,
                                       std::vector<std::string> *filesRead = nullptr);
/// After the quantized phase, with `run.measure`: runs the quantized module over `run`'s samples and records each
/// quantized layer's and the model's output SQNR for the report. Nothing without samples.
mlir::LogicalResult measureFromFlags(mlir::ModuleOp module, Progress &progress, CalibrationRun &run);

/// Parses the --input-shape flags into `options`; prints an error and returns false if one is bad.
bool parseInputShapeFlags(ImportOptions &options);

int runCompile();
int runRun();
/// `motec compile --llm` up to `phase` (tools/motec/Llm.cpp).
int runCompileLlm(Phase phase);
int runGenerate();

} // namespace mote

#endif // MOTE_TOOLS_MOTEC_COMMANDS_H
