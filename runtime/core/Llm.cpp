// LLM generation over a `motec compile --llm` artifact (Llm.h).
#include "runtime/core/Llm.h"

#include "runtime/core/Model.h"
#include "runtime/core/WeightsFile.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace mote {
namespace rt {

namespace {

constexpr const char *kPastPrefix = "past_key_values.";
constexpr const char *kPresentPrefix = "present.";

struct Cache {
  std::string suffix; // X of past_key_values.X / present.X
  size_t bytes = 0;
  void *data = nullptr;
};

/// One entry opened and bound to the session's buffers.
struct Bound {
  LlmEntry api{};
  void *model = nullptr;
  int64_t tokens = 0; // S
  std::vector<const void *> inputs;
  std::vector<void *> outputs;
  std::vector<int64_t> ids, positions;
  std::vector<float> logits; // [S, vocab]
};

bool startsWith(const char *s, const char *prefix) { return std::strncmp(s, prefix, std::strlen(prefix)) == 0; }

} // namespace

struct LlmSession {
  WeightsFile weights; // mapped once, borrowed by both entries
  void *arena = nullptr, *packed = nullptr;
  Bound entries[2]; // prefill, decode
  std::vector<Cache> caches;
  int64_t position = 0;
  int64_t cachePosition = 0; // what the entries read as cache_position
  int64_t maxContext = -1, vocab = -1;
  int64_t calls[2] = {0, 0};
};

namespace {

Cache *findCache(LlmSession &s, const std::string &suffix) {
  for (Cache &c : s.caches)
    if (c.suffix == suffix)
      return &c;
  return nullptr;
}

/// Points entry `e`'s inputs and outputs at the session's buffers (creating the caches the first entry names).
int bind(LlmSession &s, Bound &e, bool createCaches) {
  const LlmEntry &a = e.api;
  e.inputs.assign(static_cast<size_t>(a.numInputs), nullptr);
  e.outputs.assign(static_cast<size_t>(a.numOutputs), nullptr);
  for (int k = 0; k < a.numInputs; ++k) {
    const char *name = a.inputNames[k];
    const int64_t *shape = a.inputShapes[k];
    if (std::strcmp(name, "input_ids") == 0 || std::strcmp(name, "position_ids") == 0) {
      if (a.inputRanks[k] != 2 || shape[0] != 1 || a.inputBytes[k] != static_cast<size_t>(shape[1]) * 8 ||
          (e.tokens && e.tokens != shape[1]))
        return kLlmNotADecoder;
      e.tokens = shape[1];
      std::vector<int64_t> &buffer = name[0] == 'i' ? e.ids : e.positions;
      buffer.assign(static_cast<size_t>(e.tokens), 0);
      e.inputs[k] = buffer.data();
    } else if (std::strcmp(name, "cache_position") == 0) {
      if (a.inputBytes[k] != 8)
        return kLlmNotADecoder;
      e.inputs[k] = &s.cachePosition;
    } else if (startsWith(name, kPastPrefix)) {
      if (a.inputRanks[k] != 4 || shape[0] != 1 || (s.maxContext >= 0 && s.maxContext != shape[2]))
        return kLlmNotADecoder;
      s.maxContext = shape[2];
      std::string suffix = name + std::strlen(kPastPrefix);
      Cache *c = findCache(s, suffix);
      if (!c) {
        if (!createCaches)
          return kLlmNotADecoder;
        s.caches.push_back(Cache{suffix, a.inputBytes[k], nullptr});
        c = &s.caches.back();
        if (!(c->data = alignedBuffer(c->bytes)))
          return kModelOutOfMemory;
        std::memset(c->data, 0, c->bytes);
      }
      if (c->bytes != a.inputBytes[k])
        return kLlmNotADecoder;
      e.inputs[k] = c->data;
    } else {
      return kLlmNotADecoder;
    }
  }
  if (e.tokens < 1 || e.ids.empty())
    return kLlmNotADecoder;
  size_t presents = 0;
  for (int k = 0; k < a.numOutputs; ++k) {
    const char *name = a.outputNames[k];
    const int64_t *shape = a.outputShapes[k];
    if (std::strcmp(name, "logits") == 0) {
      if (a.outputRanks[k] != 3 || shape[0] != 1 || shape[1] != e.tokens || (s.vocab >= 0 && s.vocab != shape[2]) ||
          a.outputBytes[k] != static_cast<size_t>(e.tokens * shape[2]) * 4)
        return kLlmNotADecoder;
      s.vocab = shape[2];
      e.logits.assign(static_cast<size_t>(e.tokens * s.vocab), 0.0f);
      e.outputs[k] = e.logits.data();
    } else if (startsWith(name, kPresentPrefix)) {
      Cache *c = findCache(s, name + std::strlen(kPresentPrefix));
      if (!c || c->bytes != a.outputBytes[k])
        return kLlmNotADecoder;
      e.outputs[k] = c->data; // the same buffer as the past input: written in place
      ++presents;
    } else {
      return kLlmNotADecoder;
    }
  }
  if (presents != s.caches.size() || s.vocab < 1)
    return kLlmNotADecoder;
  return 0;
}

/// Runs entry `e` on `n` <= S tokens at the session's position (the rest of its S padded with the last token),
/// copies the n rows of logits to `logits` (when not null) and advances the position by n.
int runEntry(LlmSession &s, int which, const int64_t *tokens, int64_t n, float *logits, bool lastRowOnly = false) {
  Bound &e = s.entries[which];
  if (s.position + e.tokens > s.maxContext)
    return kLlmContextFull;
  for (int64_t i = 0; i < e.tokens; ++i) {
    e.ids[static_cast<size_t>(i)] = tokens[i < n ? i : n - 1];
    if (!e.positions.empty())
      e.positions[static_cast<size_t>(i)] = s.position + i;
  }
  s.cachePosition = s.position;
  int rc = e.api.run(e.model, e.inputs.data(), e.outputs.data());
  ++s.calls[which];
  if (rc != 0)
    return rc;
  if (logits && lastRowOnly)
    std::memcpy(logits, e.logits.data() + (n - 1) * s.vocab, static_cast<size_t>(s.vocab) * sizeof(float));
  else if (logits)
    std::memcpy(logits, e.logits.data(), static_cast<size_t>(n * s.vocab) * sizeof(float));
  s.position += n;
  return 0;
}

int checkTokens(const LlmSession &s, const int64_t *tokens, int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    if (tokens[i] < 0 || tokens[i] >= s.vocab)
      return kLlmTokenRange;
  return s.position + count > s.maxContext ? kLlmContextFull : 0;
}

} // namespace

int llmOpen(const LlmEntry &prefill, const LlmEntry &decode, bool sharedPacked, const char *path, LlmSession **out) {
  if (!out || !path)
    return kModelInvalidArgument;
  LlmSession *s = new (std::nothrow) LlmSession();
  if (!s)
    return kModelOutOfMemory;
  s->entries[0].api = prefill;
  s->entries[1].api = decode;
  // The entries check the file's target themselves (openWith).
  WeightsStatus status = WeightsFile::open(path, nullptr, &s->weights);
  int rc = status.ok() ? 0 : modelStatusOf(status.code);
  if (rc == 0 && sharedPacked && prefill.packedBytes != decode.packedBytes)
    rc = kLlmNotADecoder;
  if (rc == 0) {
    s->arena = alignedBuffer(prefill.arenaBytes > decode.arenaBytes ? prefill.arenaBytes : decode.arenaBytes);
    if (sharedPacked)
      s->packed = alignedBuffer(prefill.packedBytes);
    if (!s->arena || (sharedPacked && !s->packed))
      rc = kModelOutOfMemory;
  }
  for (int e = 0; e < 2 && rc == 0; ++e) {
    rc = bind(*s, s->entries[e], e == 0);
    // With shared packed weights the second entry packs the same bytes into the same buffer again.
    if (rc == 0)
      rc = s->entries[e].api.openWith(s->weights.data(), s->weights.size(), s->arena, s->packed,
                                      &s->entries[e].model);
  }
  if (rc == 0 && (s->entries[1].tokens != 1 || s->entries[0].tokens < 1))
    rc = kLlmNotADecoder;
  if (rc != 0) {
    llmClose(s);
    return rc;
  }
  *out = s;
  return 0;
}

int llmPrefill(LlmSession *s, const int64_t *tokens, int64_t count, float *logits, LlmRows rows) {
  if (!s || (!tokens && count > 0) || count < 0)
    return kModelInvalidArgument;
  if (int rc = checkTokens(*s, tokens, count))
    return rc;
  const int64_t N = s->entries[0].tokens;
  for (int64_t i = 0; i < count;) {
    const int64_t left = count - i;
    // Whole chunks, and a short tail padded when the padding rows fit in the cache; else token by token.
    const int which = left >= N || (left > 1 && s->position + N <= s->maxContext) ? 0 : 1;
    const int64_t n = which == 0 ? (left < N ? left : N) : 1;
    const bool last = i + n == count;
    float *out = !logits ? nullptr : rows == LlmRows::All ? logits + i * s->vocab : last ? logits : nullptr;
    if (int rc = runEntry(*s, which, tokens + i, n, out, rows == LlmRows::Last))
      return rc;
    i += n;
  }
  return 0;
}

int llmDecode(LlmSession *s, int64_t token, float *logits) {
  if (!s)
    return kModelInvalidArgument;
  if (int rc = checkTokens(*s, &token, 1))
    return rc;
  return runEntry(*s, 1, &token, 1, logits);
}

int llmRewind(LlmSession *s, int64_t position) {
  if (!s)
    return kModelInvalidArgument;
  if (position < 0 || position > s->position)
    return kLlmBadPosition;
  s->position = position;
  return 0;
}

int64_t llmPosition(const LlmSession *s) { return s ? s->position : -1; }
int64_t llmVocab(const LlmSession *s) { return s ? s->vocab : -1; }
int64_t llmMaxContext(const LlmSession *s) { return s ? s->maxContext : -1; }
int64_t llmPrefillTokens(const LlmSession *s) { return s ? s->entries[0].tokens : -1; }

void llmCalls(const LlmSession *s, int64_t *prefillCalls, int64_t *decodeCalls) {
  if (prefillCalls)
    *prefillCalls = s ? s->calls[0] : 0;
  if (decodeCalls)
    *decodeCalls = s ? s->calls[1] : 0;
}

void llmClose(LlmSession *s) {
  if (!s)
    return;
  for (Bound &e : s->entries)
    if (e.model)
      e.api.close(e.model);
  for (Cache &c : s->caches)
    std::free(c.data);
  std::free(s->arena);
  std::free(s->packed);
  delete s;
}

const char *llmError(int status) {
  switch (status) {
  case kLlmNotADecoder:
    return "the artifact's entries are not a decoder of Mote's LLM convention, or disagree";
  case kLlmTokenRange:
    return "a token id is outside the vocabulary";
  case kLlmContextFull:
    return "the tokens do not fit in the KV cache (the artifact's max context)";
  case kLlmBadPosition:
    return "rewind to a position after the current one";
  default:
    return modelError(status);
  }
}

} // namespace rt
} // namespace mote
