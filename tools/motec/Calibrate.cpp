// `--calibration=DIR`: the samples w8a8's activation scales are calibrated on (and every scheme's error is
// measured on), read and checked against the model's inputs, then run in the reference interpreter
// (targets/reference/Calibration.h).
#include "Commands.h"
#include "Options.h"

#include "frontend/TensorFiles.h"
#include "targets/reference/Calibration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

using namespace mlir;

namespace mote {

namespace {

/// One progress line per sample, "WHAT (sample k of N) ... 1.2 s" (the interpreter takes minutes per sample on a
/// full-size model): the first starts on construction, each call for sample k ends its line and starts the next.
class SampleProgress {
public:
  SampleProgress(Progress &progress, std::string what, size_t count)
      : progress_(progress), what_(std::move(what)), count_(count) {
    start(0);
  }
  void operator()(size_t k) {
    progress_.done();
    if (k + 1 < count_)
      start(k + 1);
  }

private:
  void start(size_t k) {
    progress_.start(what_ + " (sample " + std::to_string(k + 1) + " of " + std::to_string(count_) + ")");
  }
  Progress &progress_;
  std::string what_;
  size_t count_;
};

/// The input_K.pb files of `dir` in order, up to the first missing one.
std::vector<std::string> inputFiles(llvm::StringRef dir) {
  std::vector<std::string> files;
  for (int k = 0;; ++k) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, "input_" + std::to_string(k) + ".pb");
    if (!llvm::sys::fs::exists(path))
      return files;
    files.push_back(path.str().str());
  }
}

/// The sample folders of --calibration: DIR itself when it holds input_0.pb, else its test_data_set_* folders
/// in name order.
std::vector<std::string> sampleFolders(llvm::StringRef dir) {
  if (!inputFiles(dir).empty())
    return {dir.str()};
  std::vector<std::string> folders;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::path::filename(it->path()).starts_with("test_data_set_") && llvm::sys::fs::is_directory(it->path()))
      folders.push_back(it->path());
  std::sort(folders.begin(), folders.end());
  return folders;
}

} // namespace

bool checkCalibrationFlags() {
  if (cli::calibration.empty() && (cli::quantize == "w8a8" || cli::quantize == "w8a16")) {
    llvm::errs() << "motec: error: --quantize=" << cli::quantize
                 << " needs --calibration=DIR: sample inputs to calibrate the activations' scales on\n";
    return false;
  }
  if (!cli::calibration.empty() && cli::quantize.empty()) {
    llvm::errs() << "motec: error: --calibration goes with --quantize (w8a8 calibrates its activation scales on "
                    "the samples; every scheme's error is measured on them)\n";
    return false;
  }
  if (cli::calibrationClip != "mse" && cli::calibrationClip != "max") {
    llvm::errs() << "motec: error: --calibration-clip=" << cli::calibrationClip << " is not mse or max\n";
    return false;
  }
  if (cli::calibrationClip.getNumOccurrences() && cli::quantize != "w8a8") {
    llvm::errs() << "motec: error: --calibration-clip goes with --quantize=w8a8 (w8a16 scales by the largest "
                    "value; the other schemes calibrate nothing)\n";
    return false;
  }
  if (cli::calibration.empty())
    return true;
  if (!llvm::sys::fs::is_directory(cli::calibration)) {
    llvm::errs() << "motec: error: --calibration: '" << cli::calibration << "' is not a folder\n";
    return false;
  }
  if (sampleFolders(cli::calibration).empty()) {
    llvm::errs() << "motec: error: --calibration: '" << cli::calibration
                 << "' holds no samples (input_0.pb, or test_data_set_* folders of input_K.pb files)\n";
    return false;
  }
  return true;
}

LogicalResult calibrateFromFlags(ModuleOp module, Progress &progress, CalibrationRun &run,
                                 std::vector<std::string> *filesRead) {
  if (cli::calibration.empty())
    return success();
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func) {
    llvm::errs() << "motec: error: --calibration: the model has no function @main\n";
    return failure();
  }
  // checkCalibrationFlags saw a folder with samples.
  std::vector<std::string> folders = sampleFolders(cli::calibration);
  // Every sample read and checked against the model's inputs before anything runs.
  std::vector<SmallVector<ElementsAttr>> samples;
  for (const std::string &folder : folders) {
    std::vector<std::string> files = inputFiles(folder);
    if (files.size() != func.getNumArguments()) {
      llvm::errs() << "motec: error: --calibration: " << folder << " holds " << files.size()
                   << " input files (input_0.pb ...), the model has " << func.getNumArguments() << " inputs\n";
      return failure();
    }
    SmallVector<ElementsAttr> sample;
    for (unsigned k = 0; k < files.size(); ++k) {
      std::string error;
      NamedTensor t = readTensorFile(module.getContext(), files[k], error);
      if (!t.value) {
        llvm::errs() << "motec: error: --calibration: " << error << "\n";
        return failure();
      }
      Type expected = func.getArgumentTypes()[k];
      if (t.value.getType() != expected) {
        auto name = func.getArgAttrOfType<StringAttr>(k, "mote.name");
        std::string got, want;
        llvm::raw_string_ostream(got) << t.value.getType();
        llvm::raw_string_ostream(want) << expected;
        llvm::errs() << "motec: error: --calibration: " << files[k] << " is " << got << ", model input " << k << " ('"
                     << (name ? name.getValue() : "?") << "') is " << want << "\n";
        return failure();
      }
      sample.push_back(t.value);
      if (filesRead)
        filesRead->push_back(files[k]);
    }
    samples.push_back(std::move(sample));
  }
  SampleProgress calibrating(progress, "calibrating in the reference interpreter", samples.size());
  if (failed(reference::calibrate(func, samples, run.floatRun, run.measure, calibrating)))
    return failure();
  run.samples = std::move(samples);
  return success();
}

LogicalResult measureFromFlags(ModuleOp module, Progress &progress, CalibrationRun &run) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!run.measure || run.samples.empty() || !func)
    return success();
  SampleProgress measuring(progress, "measuring the quantization error", run.samples.size());
  if (failed(reference::measureQuantizationError(func, run.samples, run.floatRun, measuring)))
    return failure();
  return success();
}



} // namespace mote
