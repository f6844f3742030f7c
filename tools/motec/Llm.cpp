// `motec compile --llm` (a decoder with past as two entries over a static KV cache, codegen/LlmInterface.h)
// and `motec generate` (text generation on such an artifact in simulation).
#include "Commands.h"
#include "Options.h"
#include "TargetFlags.h"

#include "codegen/LlmInterface.h"
#include "codegen/ModelInterface.h"
#include "targets/Simulation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

using namespace mlir;
namespace cl = llvm::cl;

namespace mote::cli {

cl::OptionCategory llmCategory("motec LLM options (compile --llm, generate)");
cl::OptionCategory generateCategory("motec generate options");

cl::opt<bool> llm("llm",
                  cl::desc("Compile a decoder with past keys and values (Hugging Face optimum's convention: "
                           "input_ids, attention_mask, position_ids, past_key_values.N.key/value -> logits, "
                           "present.N.key/value) as an LLM artifact: entries NAME_prefill (--prefill tokens a call) "
                           "and NAME_decode (one token) sharing NAME.weights and a static KV cache of --max-context "
                           "positions written in place, and NAME_llm.h, the generation API over them"),
                  cl::cat(llmCategory));
cl::opt<int64_t> maxContext("max-context", cl::desc("--llm: positions in the KV cache (prompt + generated tokens)"),
                            cl::init(256), cl::cat(llmCategory));
cl::opt<int64_t> prefillTokens("prefill",
                               cl::desc("--llm: tokens per call of the prefill entry (longer prompts run in "
                                        "chunks; speculative decoding verifies up to this many tokens a call)"),
                               cl::init(16), cl::cat(llmCategory));

cl::opt<std::string> promptIds("prompt-ids", cl::desc("The prompt's token ids, comma-separated"),
                               cl::value_desc("id,..."), cl::cat(generateCategory));
cl::opt<int64_t> maxNewTokens("max-new-tokens", cl::desc("Tokens to generate"), cl::init(16),
                              cl::cat(generateCategory));
cl::opt<double> temperature("temperature",
                            cl::desc("0 (the default): greedy; above: sample from softmax(logits / temperature)"),
                            cl::init(0.0), cl::cat(generateCategory));
cl::opt<int64_t> topK("top-k", cl::desc("Sampling: only the K most likely tokens (0: all)"), cl::init(0),
                      cl::cat(generateCategory));
cl::opt<double> topP("top-p", cl::desc("Sampling: only the most likely tokens holding this much probability"),
                     cl::init(1.0), cl::cat(generateCategory));
cl::opt<int64_t> seed("seed", cl::desc("Sampling: the random generator's seed"), cl::init(0),
                      cl::cat(generateCategory));
cl::opt<std::string> speculate("speculate",
                               cl::desc("Speculative decoding (greedy only; the same tokens as without): ngram = "
                                        "prompt lookup, the tokens that followed the newest --ngram tokens' last "
                                        "earlier occurrence, verified in one prefill-entry call"),
                               cl::value_desc("ngram"), cl::cat(generateCategory));
cl::opt<std::string> draft("draft",
                           cl::desc("Speculative decoding with a draft model (greedy only; the same tokens as "
                                    "without): an ONNX decoder with past over the same vocabulary (compiled with "
                                    "--llm and the same flags), or a motec compile --llm folder whose model is "
                                    "named --draft-name; it proposes --speculate-k tokens, verified in one "
                                    "prefill-entry call"),
                           cl::value_desc("model"), cl::cat(generateCategory));
cl::opt<std::string> draftName("draft-name", cl::desc("The draft artifact's model name (--name when compiled)"),
                               cl::init("draft"), cl::cat(generateCategory));
cl::opt<int64_t> speculateK("speculate-k", cl::desc("Speculative decoding: tokens proposed per verification"),
                            cl::init(4), cl::cat(generateCategory));
cl::opt<int64_t> ngramSize("ngram", cl::desc("--speculate=ngram: tokens matched"), cl::init(2),
                           cl::cat(generateCategory));
cl::opt<std::string> teacherIds("teacher-ids",
                                cl::desc("Teacher forcing: feed these ids as the generated tokens (one per "
                                         "--max-new-tokens at least) and report at how many steps the greedy pick "
                                         "was the given id; with --logits-out, to compare precisions step by step"),
                                cl::value_desc("id,..."), cl::cat(generateCategory));
cl::opt<std::string> logitsOut("logits-out",
                               cl::desc("Write the logits each generated token was chosen from (raw f32, tokens x "
                                        "vocab) to this file"),
                               cl::value_desc("file"), cl::cat(generateCategory));
cl::opt<std::string> insnCounter(
    "insn-counter",
    cl::desc("The instruction-counting qemu plugin (../shared/tools/qemu-insn-count, built as a .so): generate twice "
             "more, marking the prompt's calls, then every call after them, and print instructions per prompt "
             "token and per generated token (after the first, which the prompt's last call gives) on stderr"),
    cl::value_desc("libinsn_count.so"), cl::cat(generateCategory));
cl::opt<std::string> benchPhase("bench-phase",
                                cl::desc("Run the generation twice (a warm-up) and mark the second run's prompt "
                                         "calls (prefill) or every call after them (generate) for the instruction "
                                         "counter (--sim-flags='-plugin .../libinsn_count.so ...')"),
                                cl::value_desc("prefill|generate"), cl::cat(generateCategory));

} // namespace mote::cli

namespace mote {

namespace {

constexpr llvm::StringLiteral kPastPrefix = "past_key_values.";

/// The decoder convention's shapes for `tokens` new tokens a call and a cache of `context` rows: input_ids and
/// position_ids [batch, tokens], attention_mask [batch, context], past_key_values.* [batch, kv_heads,
/// context - tokens, head_dim] with the model's kv_heads and head_dim. Other inputs keep their declared shapes.
ImportOptions llmImportOptions(int64_t tokens, int64_t context, std::shared_ptr<std::string> error) {
  ImportOptions options;
  options.shapeFor = [tokens, context, error](llvm::StringRef name,
                                              llvm::ArrayRef<int64_t> declared) -> std::optional<SmallVector<int64_t>> {
    int64_t batch = !declared.empty() && declared[0] > 0 ? declared[0] : 1;
    if (name == "input_ids" || name == "position_ids")
      return SmallVector<int64_t>{batch, tokens};
    if (name == "attention_mask")
      return SmallVector<int64_t>{batch, context};
    if (name.starts_with(kPastPrefix)) {
      if (declared.size() != 4 || declared[1] < 1 || declared[3] < 1) {
        if (error->empty())
          *error = "input '" + name.str() + "' must be declared [batch, kv_heads, past, head_dim] with fixed "
                   "kv_heads and head_dim for --llm";
        return std::nullopt;
      }
      return SmallVector<int64_t>{batch, declared[1], context - tokens, declared[3]};
    }
    return std::nullopt;
  };
  return options;
}

bool checkLlmFlags(llvm::StringRef model) {
  if (cli::maxContext < 2 || cli::maxContext > (int64_t(1) << 20)) {
    llvm::errs() << "motec: error: --max-context=" << cli::maxContext << " must be from 2 to 1048576\n";
    return false;
  }
  if (cli::prefillTokens < 2 || cli::prefillTokens > cli::maxContext) {
    llvm::errs() << "motec: error: --prefill=" << cli::prefillTokens << " must be from 2 to --max-context ("
                 << cli::maxContext << ")\n";
    return false;
  }
  if (isMlirFile(model)) {
    llvm::errs() << "motec: error: --llm compiles an ONNX decoder with past; " << model << " is Mote IR\n";
    return false;
  }
  return true;
}

/// One entry: the model imported for `tokens` new tokens a call and compiled to `phase`.
OwningOpRef<ModuleOp> compileEntry(MLIRContext &context, llvm::StringRef model, int64_t tokens, Phase phase,
                                   const Target *&target, Progress &progress) {
  auto error = std::make_shared<std::string>();
  ImportOptions options = llmImportOptions(tokens, cli::maxContext, error);
  if (!parseInputShapeFlags(options))
    return nullptr;
  progress.start("loading " + model.str() + " for " + std::to_string(tokens) + " token(s) a call");
  OwningOpRef<ModuleOp> module = loadModel(context, model, options);
  if (!error->empty()) {
    llvm::errs() << "motec: error: " << model << ": " << *error << "\n";
    return nullptr;
  }
  if (!module)
    return nullptr;
  progress.done();
  target = applyTargetFlags(*module);
  if (!target || failed(runPipeline(*module, phase, *target, progress)))
    return nullptr;
  return module;
}

bool sameFile(llvm::StringRef a, llvm::StringRef b) {
  auto x = llvm::MemoryBuffer::getFile(a, false, false), y = llvm::MemoryBuffer::getFile(b, false, false);
  return x && y && (*x)->getBuffer() == (*y)->getBuffer();
}

bool writeText(llvm::StringRef dir, llvm::StringRef file, llvm::StringRef text) {
  SmallString<256> path(dir);
  llvm::sys::path::append(path, file);
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (!ec)
    os << text;
  if (ec || os.has_error()) {
    llvm::errs() << "motec: error: cannot write '" << path << "'\n";
    return false;
  }
  return true;
}

/// Whether an entry's inputs and outputs are what runtime/core/Llm.h binds: input_ids and position_ids
/// [1, S] int64, cache_position, past_key_values.X caches (f32) each returned as present.X, logits [1, S, vocab]
/// f32. Prints an error naming the first that is not.
bool checkConvention(func::FuncOp f) {
  auto fail = [&](const Twine &what) {
    llvm::errs() << "motec: error: --llm: " << what << " (the generation runtime binds input_ids, position_ids, "
                 << "cache_position, past_key_values.X -> logits, present.X, batch 1)\n";
    return false;
  };
  auto nameOf = [](DictionaryAttr attrs) {
    auto n = attrs ? attrs.getAs<StringAttr>("mote.name") : StringAttr();
    return n ? n.getValue().str() : std::string("(unnamed)");
  };
  llvm::StringSet<> pasts;
  const int64_t S = [&]() -> int64_t {
    for (unsigned k = 0; k < f.getNumArguments(); ++k)
      if (nameOf(f.getArgAttrDict(k)) == "input_ids")
        return cast<RankedTensorType>(f.getArgumentTypes()[k]).getShape().back();
    return -1;
  }();
  if (S < 1)
    return fail("the model has no input 'input_ids'");
  for (unsigned k = 0; k < f.getNumArguments(); ++k) {
    std::string n = nameOf(f.getArgAttrDict(k));
    auto t = cast<RankedTensorType>(f.getArgumentTypes()[k]);
    if (n == "input_ids" || n == "position_ids") {
      if (t.getShape() != ArrayRef<int64_t>{1, S} || !t.getElementType().isInteger(64))
        return fail("input '" + n + "' is " + std::to_string(t.getRank()) + "-d " +
                    (t.getElementType().isInteger(64) ? "int64" : "not int64") + ", not [1, " + std::to_string(S) +
                    "] int64");
    } else if (llvm::StringRef(n).starts_with(kPastPrefix)) {
      if (t.getRank() != 4 || t.getDimSize(0) != 1 || !isa<FloatType>(t.getElementType()))
        return fail("input '" + n + "' is not a [1, kv_heads, context, head_dim] float cache");
      pasts.insert(llvm::StringRef(n).drop_front(kPastPrefix.size()));
    } else if (n != "cache_position") {
      return fail("the model has the input '" + n + "'");
    }
  }
  unsigned presents = 0;
  for (unsigned k = 0; k < f.getNumResults(); ++k) {
    std::string n = nameOf(f.getResultAttrDict(k));
    auto t = cast<RankedTensorType>(f.getResultTypes()[k]);
    if (n == "logits") {
      if (t.getRank() != 3 || t.getDimSize(0) != 1 || t.getDimSize(1) != S || !t.getElementType().isF32())
        return fail("output 'logits' is not [1, " + std::to_string(S) + ", vocab] f32");
    } else if (llvm::StringRef(n).starts_with("present.") && pasts.contains(llvm::StringRef(n).drop_front(8))) {
      ++presents;
    } else {
      return fail("the model has the output '" + n + "'");
    }
  }
  if (presents != pasts.size())
    return fail("not every past_key_values.X input has its present.X output");
  return true;
}

/// Both entries into `dir` with one weights file, and NAME_llm.h / NAME_llm.cpp.
bool emitLlmArtifact(ModuleOp prefill, ModuleOp decode, const Target &target, llvm::StringRef dir,
                     llvm::StringRef name) {
  auto prefillFunc = prefill.lookupSymbol<func::FuncOp>("main"), decodeFunc = decode.lookupSymbol<func::FuncOp>("main");
  if (!prefillFunc || !decodeFunc) {
    llvm::errs() << "motec: error: the decoder has no function @main\n";
    return false;
  }
  codegen::LlmInterface llm;
  llm.name = name.str();
  llm.maxContext = cli::maxContext;
  llm.prefillTokens = cli::prefillTokens;
  for (unsigned k = 0; k < decodeFunc.getNumResults(); ++k)
    if (auto n = decodeFunc.getResultAttrOfType<StringAttr>(k, "mote.name"); n && n.getValue() == "logits")
      if (auto t = dyn_cast<RankedTensorType>(decodeFunc.getResultTypes()[k]); t && t.getRank() == 3)
        llm.vocab = t.getDimSize(2);
  if (llm.vocab < 1) {
    llvm::errs() << "motec: error: the decoder has no output 'logits' of [batch, sequence, vocab]\n";
    return false;
  }
  std::string names[2] = {codegen::llmPrefillName(name), codegen::llmDecodeName(name)};
  func::FuncOp funcs[2] = {prefillFunc, decodeFunc};
  for (func::FuncOp f : funcs)
    if (!checkConvention(f))
      return false;
  for (int e = 0; e < 2; ++e) {
    EmitOptions options;
    options.modelName = names[e];
    if (failed(target.emit(funcs[e], dir, options)))
      return false;
  }
  // One weights file: the entries hold the same constants in the same order (checked, byte for byte).
  SmallString<256> w0(dir), w1(dir), shared(dir);
  llvm::sys::path::append(w0, names[0] + ".weights");
  llvm::sys::path::append(w1, names[1] + ".weights");
  llvm::sys::path::append(shared, name + ".weights");
  if (!sameFile(w0, w1)) {
    llvm::errs() << "motec: error: the prefill and decode entries' weights differ (" << w0 << ", " << w1
                 << "): they cannot share one weights file\n";
    return false;
  }
  if (std::error_code ec = llvm::sys::fs::rename(w0, shared)) {
    llvm::errs() << "motec: error: cannot write '" << shared << "': " << ec.message() << "\n";
    return false;
  }
  llvm::sys::fs::remove(w1);
  // One packed buffer for both when they pack alike (the target knows its own code).
  llm.sharedPacked = target.packsAlike(dir, names[0], names[1]);
  return writeText(dir, (name + "_llm.h").str(), codegen::writeLlmHeader(llm)) &&
         writeText(dir, (name + "_llm.cpp").str(), codegen::writeLlmSource(llm));
}

/// NAME_llm.h's `#define NAME_llm_FIELD ((int64_t)V)`, or -1.
int64_t headerValue(llvm::StringRef header, llvm::StringRef name, llvm::StringRef field) {
  std::string key = "#define " + name.str() + "_llm_" + field.str() + " ((int64_t)";
  size_t at = header.find(key);
  int64_t v = -1;
  if (at == llvm::StringRef::npos || header.substr(at + key.size()).take_until([](char c) { return c == ')'; }).getAsInteger(10, v))
    return -1;
  return v;
}

/// The LLM artifact `model` names: a folder from motec compile --llm, or an ONNX decoder compiled here into
/// `temporary`/`name`. Empty on error (printed).
std::string llmArtifact(llvm::StringRef model, llvm::StringRef name, const sim::TemporaryFolder &temporary) {
  if (llvm::sys::fs::is_directory(model))
    return model.str();
  if (!checkLlmFlags(model))
    return "";
  std::string dir = temporary.file(name);
  MotecContext motec;
  Progress progress;
  const Target *target = nullptr;
  OwningOpRef<ModuleOp> prefill = compileEntry(motec.context, model, cli::prefillTokens, Phase::Emitted, target, progress);
  if (!prefill)
    return "";
  OwningOpRef<ModuleOp> decode = compileEntry(motec.context, model, 1, Phase::Emitted, target, progress);
  if (!decode)
    return "";
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    llvm::errs() << "motec: error: cannot create '" << dir << "': " << ec.message() << "\n";
    return "";
  }
  progress.start("writing the LLM artifact");
  if (!emitLlmArtifact(*prefill, *decode, *target, dir, name))
    return "";
  progress.done();
  return dir;
}

/// The vocabulary and context of the LLM artifact `name` in `dir` (its NAME_llm.h); false, with an error
/// printed, when there is none.
bool readLlmHeader(llvm::StringRef dir, llvm::StringRef name, int64_t &vocab, int64_t &context, int64_t &prefill) {
  SmallString<256> headerPath(dir);
  llvm::sys::path::append(headerPath, name + "_llm.h");
  auto header = llvm::MemoryBuffer::getFile(headerPath);
  if (!header) {
    llvm::errs() << "motec: error: " << dir << " holds no LLM artifact named '" << name << "' (no " << headerPath
                 << "; compile one with motec compile --llm)\n";
    return false;
  }
  vocab = headerValue((*header)->getBuffer(), name, "VOCAB");
  context = headerValue((*header)->getBuffer(), name, "MAX_CONTEXT");
  prefill = headerValue((*header)->getBuffer(), name, "PREFILL_TOKENS");
  if (vocab < 1 || context < 1 || prefill < 1) {
    llvm::errs() << "motec: error: " << headerPath << " is not the header of a motec compile --llm artifact\n";
    return false;
  }
  return true;
}

} // namespace

int runCompileLlm(Phase phase) {
  if (!checkLlmFlags(cli::inputFile))
    return 1;
  if (cli::report || !cli::depFile.empty() || cli::summary) {
    llvm::errs() << "motec: error: --report, --depfile and --summary do not apply to --llm yet\n";
    return 1;
  }
  MotecContext motec;
  Progress progress;
  const Target *target = nullptr;
  OwningOpRef<ModuleOp> prefill = compileEntry(motec.context, cli::inputFile, cli::prefillTokens, phase, target, progress);
  if (!prefill)
    return 1;
  OwningOpRef<ModuleOp> decode = compileEntry(motec.context, cli::inputFile, 1, phase, target, progress);
  if (!decode)
    return 1;
  if (phase == Phase::Emitted) {
    if (cli::outputFile == "-") {
      llvm::errs() << "motec: error: --llm writes an artifact folder: give it with -o DIR\n";
      return 1;
    }
    if (std::error_code ec = llvm::sys::fs::create_directories(cli::outputFile)) {
      llvm::errs() << "motec: error: cannot create '" << cli::outputFile << "': " << ec.message() << "\n";
      return 1;
    }
    progress.start("writing the LLM artifact");
    if (!emitLlmArtifact(*prefill, *decode, *target, cli::outputFile, cli::modelName))
      return 1;
    progress.done();
    return 0;
  }
  std::string error;
  auto output = mlir::openOutputFile(cli::outputFile, &error);
  if (!output) {
    llvm::errs() << "motec: error: " << error << "\n";
    return 1;
  }
  for (auto [entry, module] : {std::pair{"prefill", &prefill}, {"decode", &decode}}) {
    output->os() << "// entry: " << entry << "\n";
    (*module)->print(output->os(), OpPrintingFlags().enableDebugInfo(false));
    output->os() << "\n";
  }
  output->keep();
  return 0;
}

int runGenerate() {
  if (!cli::target.getNumOccurrences())
    cli::target = "neon"; // generation runs on a device target
  cli::llm = true;
  if (!checkTargetFlag())
    return 1;
  const Target *target = lookupTarget(cli::target);
  std::vector<int64_t> prompt;
  for (llvm::StringRef part : llvm::split(cli::promptIds, ',')) {
    int64_t id;
    if (part.trim().getAsInteger(10, id)) {
      llvm::errs() << "motec: error: --prompt-ids expects comma-separated token ids, got '" << cli::promptIds
                   << "'\n";
      return 1;
    }
    prompt.push_back(id);
  }
  if (cli::maxNewTokens < 0 || (!cli::speculate.empty() && cli::speculate != "ngram") || cli::speculateK < 1 ||
      cli::ngramSize < 1 || (!cli::benchPhase.empty() && cli::benchPhase != "prefill" && cli::benchPhase != "generate") ||
      (!cli::benchPhase.empty() && !cli::insnCounter.empty())) {
    llvm::errs() << "motec: error: bad generation flags (--max-new-tokens >= 0, --speculate=ngram, --speculate-k "
                    ">= 1, --ngram >= 1, --bench-phase=prefill|generate or --insn-counter, not both)\n";
    return 1;
  }
  if (!cli::speculate.empty() && cli::temperature != 0.0) {
    llvm::errs() << "motec: error: --speculate goes with greedy generation (--temperature=0)\n";
    return 1;
  }
  if (!cli::draft.empty() && (!cli::speculate.empty() || cli::temperature != 0.0)) {
    llvm::errs() << "motec: error: --draft is speculative decoding of greedy generation: without --speculate and "
                    "--temperature\n";
    return 1;
  }
  if (!cli::draft.empty() && cli::draftName == cli::modelName) {
    llvm::errs() << "motec: error: the draft and the model are both named '" << cli::modelName
                 << "' (--draft-name, --name): their C APIs would clash\n";
    return 1;
  }
  // The artifacts: folders from motec compile --llm, or compiled here from ONNX decoders.
  sim::TemporaryFolder temporary("mote-generate", "the compiled artifacts' folder");
  if (temporary.error()) {
    llvm::errs() << "motec: error: cannot create a temporary folder: " << temporary.error().message() << "\n";
    return 1;
  }
  LlmArtifacts artifacts;
  artifacts.name = cli::modelName;
  artifacts.dir = llmArtifact(cli::inputFile, artifacts.name, temporary);
  if (artifacts.dir.empty())
    return 1;
  int64_t vocab = 0, context = 0, prefill = 0;
  if (!readLlmHeader(artifacts.dir, artifacts.name, vocab, context, prefill))
    return 1;
  if ((!cli::draft.empty() || !cli::speculate.empty()) && cli::speculateK + 1 > prefill) {
    llvm::errs() << "motec: error: --speculate-k=" << cli::speculateK << " proposals and the token before them "
                 << "exceed the prefill entry's " << prefill << " tokens (--prefill): a verification would not be "
                 << "one call\n";
    return 1;
  }
  if (!cli::draft.empty()) {
    artifacts.draftName = cli::draftName;
    artifacts.draftDir = llmArtifact(cli::draft, artifacts.draftName, temporary);
    int64_t draftVocab = 0, draftContext = 0, draftPrefill = 0;
    if (artifacts.draftDir.empty() ||
        !readLlmHeader(artifacts.draftDir, artifacts.draftName, draftVocab, draftContext, draftPrefill))
      return 1;
    if (draftVocab != vocab) {
      llvm::errs() << "motec: error: the draft model's vocabulary (" << draftVocab << " tokens) is not the model's ("
                   << vocab << " tokens): it cannot propose the model's tokens\n";
      return 1;
    }
    context = std::min(context, draftContext);
  }
  // Bad input before simulating: the vocabulary and context bound the ids and the length.
  for (int64_t id : prompt)
    if (id < 0 || id >= vocab) {
      llvm::errs() << "motec: error: prompt token id " << id << " is outside the vocabulary (0 to " << vocab - 1
                   << ")\n";
      return 1;
    }
  if (static_cast<int64_t>(prompt.size()) + cli::maxNewTokens > context) {
    llvm::errs() << "motec: error: the prompt (" << prompt.size() << " tokens) and --max-new-tokens ("
                 << cli::maxNewTokens << ") exceed the artifact's context of " << context
                 << " positions (--max-context)\n";
    return 1;
  }
  auto joined = [](llvm::ArrayRef<int64_t> ids) {
    std::string text;
    for (int64_t id : ids)
      text += (text.empty() ? "" : ",") + std::to_string(id);
    return text;
  };
  std::vector<std::string> args = {"--prompt=" + joined(prompt),
                                   "--max-new-tokens=" + std::to_string(cli::maxNewTokens)};
  if (cli::temperature != 0.0)
    args.insert(args.end(), {"--temperature=" + std::to_string(cli::temperature), "--top-k=" + std::to_string(cli::topK),
                             "--top-p=" + std::to_string(cli::topP), "--seed=" + std::to_string(cli::seed)});
  if (cli::speculate == "ngram")
    args.insert(args.end(), {"--speculate=ngram", "--speculate-k=" + std::to_string(cli::speculateK),
                             "--ngram=" + std::to_string(cli::ngramSize)});
  if (!cli::draft.empty())
    args.push_back("--speculate-k=" + std::to_string(cli::speculateK));
  if (!cli::teacherIds.empty()) {
    std::vector<int64_t> teacher;
    for (llvm::StringRef part : llvm::split(cli::teacherIds, ',')) {
      int64_t id;
      if (part.trim().getAsInteger(10, id) || id < 0 || id >= vocab) {
        llvm::errs() << "motec: error: --teacher-ids expects token ids of the vocabulary (0 to " << vocab - 1
                     << "), got '" << part << "'\n";
        return 1;
      }
      teacher.push_back(id);
    }
    if (static_cast<int64_t>(teacher.size()) < cli::maxNewTokens || !cli::speculate.empty() || !cli::draft.empty()) {
      llvm::errs() << "motec: error: --teacher-ids needs an id for each of the --max-new-tokens (" << cli::maxNewTokens
                   << ") and plain decoding (no --speculate or --draft)\n";
      return 1;
    }
    args.push_back("--teacher=" + joined(teacher));
  }
  if (!cli::logitsOut.empty()) {
    SmallString<256> absolute(cli::logitsOut.getValue());
    llvm::sys::fs::make_absolute(absolute);
    args.push_back("--logits-out=" + std::string(absolute));
  }
  if (!cli::benchPhase.empty())
    args.push_back("--bench=" + cli::benchPhase.getValue());
  RunOptions options;
  options.simulatorFlags = cli::simFlags;
  std::string log;
  Progress progress;
  progress.start("generating on " + target->name().str());
  llvm::Expected<std::string> tokens = target->generate(artifacts, args, options, log);
  if (!tokens) {
    llvm::errs() << "motec: error: " << llvm::toString(tokens.takeError()) << "\n";
    return 1;
  }
  progress.done();
  // The runner's statistics (its stderr) to stderr; the token ids alone on stdout.
  for (llvm::StringRef line : llvm::split(log, '\n'))
    if (line.starts_with("generate:"))
      llvm::errs() << "motec: " << line.drop_front(strlen("generate: ")) << "\n";
  llvm::outs() << llvm::StringRef(*tokens).trim() << "\n";
  if (!cli::insnCounter.empty()) {
    // Instructions per token, prompt and generation apart: each phase marked in a run of its own.
    int64_t generated = static_cast<int64_t>(llvm::count(llvm::StringRef(*tokens).trim(), ',')) + 1;
    for (llvm::StringRef phase : {"prefill", "generate"}) {
      std::string counts = temporary.file(("counts." + phase).str());
      RunOptions counted;
      counted.simulatorFlags = cli::simFlags + " -plugin " + cli::insnCounter.getValue() + ",out=" + counts + " -d plugin";
      std::vector<std::string> marked = args;
      marked.push_back("--bench=" + phase.str());
      std::string ignored;
      progress.start(("counting the instructions of " + phase).str());
      if (llvm::Expected<std::string> again = target->generate(artifacts, marked, counted, ignored); !again) {
        llvm::errs() << "motec: error: " << llvm::toString(again.takeError()) << "\n";
        return 1;
      }
      progress.done();
      int64_t total = -1;
      if (auto text = llvm::MemoryBuffer::getFile(counts))
        for (llvm::StringRef line : llvm::split((*text)->getBuffer(), '\n'))
          if (line.starts_with("REGION"))
            for (llvm::StringRef field : llvm::split(line, ' '))
              if (field.consume_front("total="))
                (void)field.getAsInteger(10, total);
      if (total < 0) {
        llvm::errs() << "motec: error: --insn-counter: the plugin wrote no REGION line to " << counts << "\n";
        return 1;
      }
      int64_t tokensCounted = phase == "prefill" ? static_cast<int64_t>(prompt.size()) : generated - 1;
      llvm::errs() << "motec: " << phase << ": " << total << " instructions, "
                   << (tokensCounted > 0 ? total / tokensCounted : 0) << " per "
                   << (phase == "prefill" ? "prompt token" : "generated token after the first") << "\n";
    }
  }
  return 0;
}

} // namespace mote
