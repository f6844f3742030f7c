// motec's command-line options, shared by its commands (defined in motec.cpp).
#ifndef MOTE_TOOLS_MOTEC_OPTIONS_H
#define MOTE_TOOLS_MOTEC_OPTIONS_H

#include "llvm/Support/CommandLine.h"

#include <string>

namespace mote::cli {

extern llvm::cl::OptionCategory commonCategory, compileCategory, runCategory, simCategory;
// LLM (Llm.cpp)
extern llvm::cl::OptionCategory llmCategory, generateCategory;
extern llvm::cl::opt<bool> llm;
extern llvm::cl::opt<std::string> inputFile, target;
extern llvm::cl::list<std::string> inputShapes;
extern llvm::cl::opt<bool> quiet;
extern llvm::cl::opt<std::string> quantize, calibration, calibrationClip;
extern llvm::cl::list<std::string> quantizeSkip;
extern llvm::cl::opt<int64_t> quantizeGroupSize;
// compile
extern llvm::cl::opt<std::string> outputFile, compileTo, modelName, depFile, depFileTarget;
extern llvm::cl::opt<bool> summary, report;
// run
extern llvm::cl::opt<std::string> inputsDir, outputDir, simFlags;
extern llvm::cl::opt<bool> bench;
extern llvm::cl::list<std::string> namedInputs;
extern llvm::cl::list<std::string> bindInputs;

} // namespace mote::cli

#endif // MOTE_TOOLS_MOTEC_OPTIONS_H
