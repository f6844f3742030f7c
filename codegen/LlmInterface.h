// The C API of a `motec compile --llm` artifact (README "Generating text"): NAME_llm.h and NAME_llm.cpp, over
// the two entries NAME_prefill and NAME_decode (each with the ordinary model API of ModelInterface.h) and
// runtime/core/Llm.h, which owns the KV caches and the position.
//
//   int  NAME_llm_open(const char *weights_path, NAME_llm_t **llm);
//   int  NAME_llm_prefill(NAME_llm_t *llm, const int64_t *tokens, int64_t count, float *logits);
//   int  NAME_llm_prefill_last(NAME_llm_t *llm, const int64_t *tokens, int64_t count, float *logits);
//   int  NAME_llm_decode(NAME_llm_t *llm, int64_t token, float *logits);
//   int  NAME_llm_rewind(NAME_llm_t *llm, int64_t position);
//   int64_t NAME_llm_position(const NAME_llm_t *llm);
//   void NAME_llm_calls(const NAME_llm_t *llm, int64_t *prefill_calls, int64_t *decode_calls);
//   void NAME_llm_close(NAME_llm_t *llm);
//   const char *NAME_llm_error(int status);
#ifndef MOTE_CODEGEN_LLMINTERFACE_H
#define MOTE_CODEGEN_LLMINTERFACE_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mote {
namespace codegen {

struct LlmInterface {
  std::string name;       // NAME; the entries are NAME_prefill and NAME_decode
  int64_t maxContext = 0; // L, the cache rows
  int64_t prefillTokens = 0; // N
  int64_t vocab = 0;
  /// Whether the entries pack their weights identically (the same packing code over the same sections), so that
  /// one packed buffer serves both.
  bool sharedPacked = false;
};

/// The names of the two entries of `name`.
std::string llmPrefillName(llvm::StringRef name);
std::string llmDecodeName(llvm::StringRef name);

/// NAME_llm.h.
std::string writeLlmHeader(const LlmInterface &llm);
/// NAME_llm.cpp.
std::string writeLlmSource(const LlmInterface &llm);

} // namespace codegen
} // namespace mote

#endif // MOTE_CODEGEN_LLMINTERFACE_H
