// LLM generation over a `motec compile --llm` artifact, written once for every target: the two entries of one
// decoder (prefill/verify of N tokens, decode of 1 token) opened on one weights file, the static KV cache of
// each layer (one buffer of L rows the runtime owns, passed to both entries as the past input and the present
// output, so that each call writes only its new rows), the position, chunked prompts and rewinding. The entries
// share the mapped weights, one activation arena and, when they pack them alike, one copy of the packed weights. The
// generated NAME_llm.cpp describes its two entries (their C API functions and tables) and forwards NAME_llm_*
// here.
//
// The entries follow the decoder convention mote-kv-cache leaves (passes/KvCache.cpp): inputs `input_ids`
// [1, S] (int64), `position_ids` [1, S] (int64, optional), `cache_position` [1] (int64) and one cache per
// `past_key_values.X` input, whose present output is `present.X`; outputs `logits` [1, S, vocab] (f32) and the
// presents.
//
// Plain C++17 without exceptions; nothing here prints.
#ifndef MOTE_RUNTIME_CORE_LLM_H
#define MOTE_RUNTIME_CORE_LLM_H

#include <cstddef>
#include <cstdint>

namespace mote {
namespace rt {

/// Status codes of the LLM API beyond runtime/core/Model.h's (which its calls also return).
enum LlmStatus : int {
  kLlmNotADecoder = 20,  // the entries do not follow the decoder convention, or disagree
  kLlmTokenRange = 21,   // a token id is outside the vocabulary
  kLlmContextFull = 22,  // the tokens do not fit in the cache (max context)
  kLlmBadPosition = 23,  // rewind beyond the current position
};

/// One entry of the artifact, through its generated C API (NAME_prefill_*, NAME_decode_*).
struct LlmEntry {
  int (*openWith)(const void *weights, size_t weightsBytes, void *arena, void *packed, void **model);
  int (*run)(void *model, const void *const *inputs, void *const *outputs);
  void (*close)(void *model);
  size_t arenaBytes, packedBytes;
  int numInputs, numOutputs;
  const char *const *inputNames;
  const int *inputRanks;
  const int64_t *const *inputShapes;
  const size_t *inputBytes;
  const char *const *outputNames;
  const int *outputRanks;
  const int64_t *const *outputShapes;
  const size_t *outputBytes;
};

struct LlmSession;

/// Maps the weights file at `path` once and opens both entries on it, with one activation arena (only one entry
/// runs at a time) and, when `sharedPacked` (the compiler found both entries pack their weights identically),
/// one buffer of packed weights; allocates the caches (zeroed) at position 0.
int llmOpen(const LlmEntry &prefill, const LlmEntry &decode, bool sharedPacked, const char *path,
            LlmSession **session);
/// Which logits llmPrefill returns: every token's (count x vocab floats), or the last token's (vocab floats).
enum class LlmRows { All, Last };
/// Feeds `count` tokens from the current position: whole chunks through the prefill entry, the rest through
/// it padded when the padding fits in the cache, else one by one through the decode entry. `logits`, when not
/// null, receives the next-token logits of each token (All) or of the last (Last).
int llmPrefill(LlmSession *s, const int64_t *tokens, int64_t count, float *logits, LlmRows rows = LlmRows::All);
/// One token through the decode entry; `logits` (vocab floats, may be null) its next-token logits.
int llmDecode(LlmSession *s, int64_t token, float *logits);
/// Goes back to `position` (<= the current one): the cache rows after it are overwritten by later calls.
int llmRewind(LlmSession *s, int64_t position);
int64_t llmPosition(const LlmSession *s);
int64_t llmVocab(const LlmSession *s);
int64_t llmMaxContext(const LlmSession *s);
int64_t llmPrefillTokens(const LlmSession *s);
/// Entry calls so far (prefill entry, decode entry): what speculative decoding saves.
void llmCalls(const LlmSession *s, int64_t *prefillCalls, int64_t *decodeCalls);
void llmClose(LlmSession *s);
/// What a status means (the model's codes too).
const char *llmError(int status);

} // namespace rt
} // namespace mote

#endif // MOTE_RUNTIME_CORE_LLM_H
