// The generation driver of a `motec compile --llm` artifact (used by `motec generate --target=neon` under qemu):
//
//   generate [--threads=N] [--bench=prefill|generate] --prompt=ID,ID,... --max-new-tokens=T
//            [--temperature=X --top-k=K --top-p=P --seed=S] [--speculate=ngram --speculate-k=K --ngram=N]
//            [--draft-weights=DRAFT.weights --speculate-k=K] [--teacher=ID,...] [--logits-out=FILE]
//            --tokens-out=FILE model.weights
//
// It goes through the artifact's LLM API (NAME_llm.h, named by mote_generate_model.h, which motec writes):
// feeds the prompt, then generates T tokens, greedily unless --temperature > 0 (then top-k / top-p sampling
// with a seeded generator). --speculate=ngram is prompt-lookup decoding: the K tokens that followed the last
// earlier occurrence of the newest N-gram are proposed and verified in one prefill-entry call (logits for every
// position); the longest prefix greedy agrees with is kept, plus greedy's own next token, and the cache rewinds
// to it. With a draft model (mote_generate_model.h then names its LLM API as MOTE_DRAFT; --draft-weights), the
// draft proposes K tokens by greedy decoding, verified the same way; its cache rewinds with the target's.
// Greedy output is the same with or without speculation.
//
// --teacher=IDS forces the continuation (teacher forcing: each step feeds the given token instead of its pick, and
// the count of steps whose greedy pick was the given token goes to stderr); --logits-out=FILE writes, for every
// generated token, the logits row it was chosen from (raw f32, tokens x vocab), for comparing precisions.
// Writes the generated ids to FILE as one line of comma-separated integers; statistics go to stderr. --bench
// runs the whole generation once as a warm-up, rewinds to 0 and runs it again with the instruction counter's
// region markers (../shared/tools/qemu-insn-count: `hint #126` / `hint #127`) around the prompt's calls
// (prefill) or every call after them (generate). Errors go to stderr with a non-zero exit status.
#include "mote_generate_model.h"

#include "runtime/core/ThreadPool.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Llm = MOTE_LLM(t);

inline void markStart() {
#if defined(__aarch64__)
  asm volatile("hint #126" ::: "memory");
#endif
}
inline void markEnd() {
#if defined(__aarch64__)
  asm volatile("hint #127" ::: "memory");
#endif
}

struct Options {
  int threads = 1;
  std::string bench; // "", "prefill", "generate"
  std::vector<int64_t> prompt;
  int64_t maxNewTokens = -1;
  double temperature = 0.0;
  int64_t topK = 0;
  double topP = 1.0;
  uint64_t seed = 0;
  bool ngram = false;
  const char *draftWeights = nullptr;
  std::vector<int64_t> teacher;
  const char *logitsOut = nullptr;
  int64_t speculateK = 4, ngramSize = 2;
  const char *tokensOut = nullptr;
  const char *weights = nullptr;
};

bool parseInt(const char *text, int64_t &out) {
  char *end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0')
    return false;
  out = v;
  return true;
}

bool parseDouble(const char *text, double &out) {
  char *end = nullptr;
  out = std::strtod(text, &end);
  return end != text && *end == '\0';
}

bool parseIds(const char *text, std::vector<int64_t> &ids) {
  std::string s(text);
  size_t at = 0;
  while (at <= s.size()) {
    size_t comma = s.find(',', at);
    std::string part = s.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    int64_t v;
    if (!parseInt(part.c_str(), v))
      return false;
    ids.push_back(v);
    if (comma == std::string::npos)
      break;
    at = comma + 1;
  }
  return !ids.empty();
}

bool parse(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    auto value = [&](const char *flag) -> const char * {
      size_t n = std::strlen(flag);
      return std::strncmp(a, flag, n) == 0 && a[n] == '=' ? a + n + 1 : nullptr;
    };
    const char *v;
    int64_t n;
    if ((v = value("--threads"))) {
      if (!parseInt(v, n) || n < 1 || n > 256)
        return false;
      o.threads = static_cast<int>(n);
    } else if ((v = value("--bench"))) {
      o.bench = v;
      if (o.bench != "prefill" && o.bench != "generate")
        return false;
    } else if ((v = value("--prompt"))) {
      if (!parseIds(v, o.prompt))
        return false;
    } else if ((v = value("--max-new-tokens"))) {
      if (!parseInt(v, o.maxNewTokens) || o.maxNewTokens < 0)
        return false;
    } else if ((v = value("--temperature"))) {
      if (!parseDouble(v, o.temperature) || !(o.temperature >= 0))
        return false;
    } else if ((v = value("--top-k"))) {
      if (!parseInt(v, o.topK) || o.topK < 0)
        return false;
    } else if ((v = value("--top-p"))) {
      if (!parseDouble(v, o.topP) || !(o.topP > 0 && o.topP <= 1))
        return false;
    } else if ((v = value("--seed"))) {
      if (!parseInt(v, n))
        return false;
      o.seed = static_cast<uint64_t>(n);
    } else if ((v = value("--speculate"))) {
      if (std::strcmp(v, "ngram") != 0)
        return false;
      o.ngram = true;
    } else if ((v = value("--speculate-k"))) {
      if (!parseInt(v, o.speculateK) || o.speculateK < 1)
        return false;
    } else if ((v = value("--ngram"))) {
      if (!parseInt(v, o.ngramSize) || o.ngramSize < 1)
        return false;
    } else if ((v = value("--teacher"))) {
      if (!parseIds(v, o.teacher))
        return false;
    } else if ((v = value("--logits-out"))) {
      o.logitsOut = v;
    } else if ((v = value("--draft-weights"))) {
      o.draftWeights = v;
    } else if ((v = value("--tokens-out"))) {
      o.tokensOut = v;
    } else if (a[0] != '-' && !o.weights) {
      o.weights = a;
    } else {
      return false;
    }
  }
#if !defined(MOTE_DRAFT)
  if (o.draftWeights)
    return false; // built without a draft model
#endif
  if (!o.teacher.empty() && (o.ngram || o.draftWeights || static_cast<int64_t>(o.teacher.size()) < o.maxNewTokens))
    return false; // teacher forcing: plain decoding, a token for every step
  return o.weights && o.tokensOut && !o.prompt.empty() && o.maxNewTokens >= 0 && !(o.ngram && o.draftWeights);
}

/// splitmix64: a small seeded generator (the same sequence on every machine).
struct Random {
  uint64_t state;
  double uniform() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0);
  }
};

int64_t argmax(const float *logits, int64_t vocab) {
  int64_t best = 0;
  for (int64_t i = 1; i < vocab; ++i)
    if (logits[i] > logits[best])
      best = i;
  return best;
}

/// The next token: greedy at temperature 0, else sampled from softmax(logits / T) within top-k and top-p.
int64_t pick(const float *logits, int64_t vocab, const Options &o, Random &random) {
  if (o.temperature == 0.0)
    return argmax(logits, vocab);
  std::vector<int64_t> order(static_cast<size_t>(vocab));
  for (int64_t i = 0; i < vocab; ++i)
    order[static_cast<size_t>(i)] = i;
  // Descending by logit, ties by id (a stable order).
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
  });
  size_t keep = o.topK > 0 && o.topK < vocab ? static_cast<size_t>(o.topK) : order.size();
  std::vector<double> p(keep);
  double mx = logits[order[0]], sum = 0;
  for (size_t i = 0; i < keep; ++i)
    sum += (p[i] = std::exp((logits[order[i]] - mx) / o.temperature));
  double mass = 0;
  for (size_t i = 0; i < keep; ++i) { // top-p: the smallest prefix holding top_p of the probability
    mass += p[i] / sum;
    if (mass >= o.topP) {
      keep = i + 1;
      break;
    }
  }
  double total = 0;
  for (size_t i = 0; i < keep; ++i)
    total += p[i];
  double u = random.uniform() * total;
  for (size_t i = 0; i < keep; ++i)
    if ((u -= p[i]) < 0)
      return order[i];
  return order[keep - 1];
}

/// Prompt lookup: the up to K tokens after the last earlier occurrence of the newest `n` tokens of `history`.
std::vector<int64_t> lookup(const std::vector<int64_t> &history, int64_t n, int64_t K) {
  const int64_t size = static_cast<int64_t>(history.size());
  if (size <= n)
    return {};
  for (int64_t start = size - n - 1; start >= 0; --start) {
    if (!std::equal(history.begin() + start, history.begin() + start + n, history.end() - n))
      continue;
    std::vector<int64_t> proposal;
    for (int64_t i = start + n; i < size && static_cast<int64_t>(proposal.size()) < K; ++i)
      proposal.push_back(history[static_cast<size_t>(i)]);
    return proposal;
  }
  return {};
}

struct Stats {
  int64_t proposed = 0, accepted = 0;
  int64_t promptCalls = 0, generateCalls = 0; // entry calls for the prompt, and after it
  int64_t teacherAgreed = 0;                    // --teacher: steps whose greedy pick was the given token
  std::vector<float> rows;                      // --logits-out: each generated token's logits
};

int64_t totalCalls(const Llm *llm) {
  int64_t prefill = 0, decode = 0;
  MOTE_LLM(calls)(llm, &prefill, &decode);
  return prefill + decode;
}

/// One generation: the prompt, then o.maxNewTokens tokens into `out`. 0 or an LLM status.
/// A draft model's failure: its status plus kDraftStatus, so that main() names the draft and its message.
constexpr int kDraftStatus = 1000;
inline int draftFailed(int rc) { return rc + kDraftStatus; }

#if defined(MOTE_DRAFT)
using Draft = MOTE_DRAFT(t);
#else
using Draft = void;
#endif

/// The draft's greedy proposal of up to `K` tokens after `next` (fed to it first): it ends at its position + K.
int propose(Draft *draft, int64_t next, int64_t K, int64_t vocab, std::vector<float> &logits,
            std::vector<int64_t> &proposal) {
#if defined(MOTE_DRAFT)
  int64_t token = next;
  for (int64_t i = 0; i < K; ++i) {
    if (int rc = MOTE_DRAFT(decode)(draft, token, logits.data()))
      return rc;
    token = argmax(logits.data(), vocab);
    proposal.push_back(token);
  }
#endif
  (void)draft, (void)next, (void)K, (void)vocab, (void)logits, (void)proposal;
  return 0;
}

int generate(Llm *llm, Draft *draft, const Options &o, int64_t vocab, std::vector<int64_t> &out, Stats &stats,
             bool marked) {
  Random random{o.seed};
  const int64_t callsBefore = totalCalls(llm);
  const int64_t P = static_cast<int64_t>(o.prompt.size());
  // The prompt's last row, then up to speculate-k + 1 rows of a verification.
  std::vector<float> logits(static_cast<size_t>((o.speculateK + 1) * vocab));
  if (marked && o.bench == "prefill")
    markStart();
  int rc = MOTE_LLM(prefill_last)(llm, o.prompt.data(), P, logits.data());
#if defined(MOTE_DRAFT)
  if (rc == 0 && draft && (rc = MOTE_DRAFT(prefill_last)(draft, o.prompt.data(), P, nullptr)) != 0)
    return draftFailed(rc);
#endif
  if (marked && o.bench == "prefill")
    markEnd();
  if (rc != 0)
    return rc;
  const int64_t callsAfterPrompt = totalCalls(llm);
  stats.promptCalls = callsAfterPrompt - callsBefore;
  out.clear();
  if (o.maxNewTokens == 0)
    return 0;
  std::vector<float> draftLogits(static_cast<size_t>(vocab));
  std::vector<int64_t> history = o.prompt;
  // A generated token: its logits row recorded, the pick (or the teacher's token) appended.
  auto take = [&](const float *row, int64_t picked) {
    if (o.logitsOut)
      stats.rows.insert(stats.rows.end(), row, row + vocab);
    if (!o.teacher.empty()) {
      const int64_t given = o.teacher[out.size()];
      stats.teacherAgreed += picked == given;
      picked = given;
    }
    out.push_back(picked);
    history.push_back(picked);
    return picked;
  };
  int64_t next = take(logits.data(), pick(logits.data(), vocab, o, random));
  if (marked && o.bench == "generate")
    markStart();
  while (static_cast<int64_t>(out.size()) < o.maxNewTokens) {
    // `next` is generated but not yet fed.
    std::vector<int64_t> proposal;
    const int64_t room = o.maxNewTokens - static_cast<int64_t>(out.size());
    const int64_t K = o.speculateK < room ? o.speculateK : room;
    if (o.ngram && o.temperature == 0.0)
      proposal = lookup(history, o.ngramSize, K);
    else if (draft && o.temperature == 0.0 && (rc = propose(draft, next, K, vocab, draftLogits, proposal)) != 0)
      return draftFailed(rc);
    if (proposal.empty()) {
      if ((rc = MOTE_LLM(decode)(llm, next, logits.data())) != 0)
        break;
      next = take(logits.data(), pick(logits.data(), vocab, o, random));
      continue;
    }
    // Verify: feed next and the proposal in one call; keep the proposal's prefix greedy agrees with.
    const int64_t start = MOTE_LLM(position)(llm);
    std::vector<int64_t> fed = {next};
    fed.insert(fed.end(), proposal.begin(), proposal.end());
    if ((rc = MOTE_LLM(prefill)(llm, fed.data(), static_cast<int64_t>(fed.size()), logits.data())) != 0)
      break;
    int64_t m = 0;
    while (m < static_cast<int64_t>(proposal.size()) && argmax(logits.data() + m * vocab, vocab) == proposal[m])
      ++m;
    stats.proposed += static_cast<int64_t>(proposal.size());
    stats.accepted += m;
    for (int64_t i = 0; i < m; ++i)
      take(logits.data() + i * vocab, proposal[static_cast<size_t>(i)]);
    next = argmax(logits.data() + m * vocab, vocab); // greedy's own token after the accepted prefix
    if ((rc = MOTE_LLM(rewind)(llm, start + 1 + m)) != 0)
      break;
#if defined(MOTE_DRAFT)
    // The draft fed next and all but its last proposal: back to the accepted prefix, or on by that one.
    if (draft && (rc = m < static_cast<int64_t>(proposal.size())
                           ? MOTE_DRAFT(rewind)(draft, start + 1 + m)
                           : MOTE_DRAFT(decode)(draft, proposal.back(), nullptr)) != 0)
      return draftFailed(rc);
#endif
    if (static_cast<int64_t>(out.size()) < o.maxNewTokens)
      take(logits.data() + m * vocab, next);
  }
  if (marked && o.bench == "generate")
    markEnd();
  stats.generateCalls = totalCalls(llm) - callsAfterPrompt;
  return rc;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s [--threads=N] [--bench=prefill|generate] --prompt=ID,... --max-new-tokens=T "
                 "[--temperature=X --top-k=K --top-p=P --seed=S] [--speculate=ngram --speculate-k=K --ngram=N] "
                 "[--draft-weights=FILE --speculate-k=K] [--teacher=ID,...] [--logits-out=FILE] "
                 "--tokens-out=FILE model.weights\n",
                 argv[0]);
    return 2;
  }
  mote::rt::setDefaultThreadCount(o.threads);
  Llm *llm = nullptr;
  int rc = MOTE_LLM(open)(o.weights, &llm);
  if (rc != 0) {
    std::fprintf(stderr, "generate: error: weights file '%s': %s\n", o.weights, MOTE_LLM(error)(rc));
    return 1;
  }
  const int64_t vocab = MOTE_LLM(VOCAB);
  Draft *draft = nullptr;
#if defined(MOTE_DRAFT)
  if (o.draftWeights) {
    if (MOTE_DRAFT(VOCAB) != vocab) {
      std::fprintf(stderr, "generate: error: the draft model's vocabulary (%lld) is not the model's (%lld)\n",
                   static_cast<long long>(MOTE_DRAFT(VOCAB)), static_cast<long long>(vocab));
      MOTE_LLM(close)(llm);
      return 1;
    }
    if ((rc = MOTE_DRAFT(open)(o.draftWeights, &draft)) != 0) {
      std::fprintf(stderr, "generate: error: draft weights file '%s': %s\n", o.draftWeights, MOTE_DRAFT(error)(rc));
      MOTE_LLM(close)(llm);
      return 1;
    }
  }
#endif
  std::vector<int64_t> tokens;
  Stats stats;
  if (!o.bench.empty()) { // warm-up
    rc = generate(llm, draft, o, vocab, tokens, stats, false);
    if (rc == 0)
      rc = MOTE_LLM(rewind)(llm, 0);
#if defined(MOTE_DRAFT)
    if (rc == 0 && draft && (rc = MOTE_DRAFT(rewind)(draft, 0)) != 0)
      rc = draftFailed(rc);
#endif
    stats = Stats{};
  }
  if (rc == 0)
    rc = generate(llm, draft, o, vocab, tokens, stats, !o.bench.empty());
  auto closeAll = [&] {
    MOTE_LLM(close)(llm);
#if defined(MOTE_DRAFT)
    MOTE_DRAFT(close)(draft);
#endif
  };
  if (rc >= kDraftStatus) {
#if defined(MOTE_DRAFT)
    std::fprintf(stderr, "generate: error: the draft model: %s (code %d)\n", MOTE_DRAFT(error)(rc - kDraftStatus),
                 rc - kDraftStatus);
#endif
    closeAll();
    return 1;
  }
  if (rc != 0) {
    std::fprintf(stderr, "generate: error: %s (code %d)\n", MOTE_LLM(error)(rc), rc);
    closeAll();
    return 1;
  }
  std::FILE *f = std::fopen(o.tokensOut, "w");
  if (!f) {
    std::fprintf(stderr, "generate: error: cannot write '%s'\n", o.tokensOut);
    closeAll();
    return 1;
  }
  for (size_t i = 0; i < tokens.size(); ++i)
    std::fprintf(f, "%s%lld", i ? "," : "", static_cast<long long>(tokens[i]));
  std::fprintf(f, "\n");
  if (std::fclose(f) != 0) {
    closeAll();
    return 1;
  }
  // The first generated token comes with the prompt's last call; each later one needs calls.
  std::fprintf(stderr,
               "generate: %zu prompt tokens in %lld calls; %zu tokens generated in %lld more calls (%.3f target "
               "calls per generated token after the first)\n",
               o.prompt.size(), static_cast<long long>(stats.promptCalls), tokens.size(),
               static_cast<long long>(stats.generateCalls),
               tokens.size() > 1 ? static_cast<double>(stats.generateCalls) / static_cast<double>(tokens.size() - 1)
                                 : 0.0);
  if (!o.teacher.empty())
    std::fprintf(stderr, "generate: teacher forcing: the greedy pick was the given token at %lld of %zu steps\n",
                 static_cast<long long>(stats.teacherAgreed), tokens.size());
  if (o.logitsOut) {
    std::FILE *lf = std::fopen(o.logitsOut, "wb");
    if (!lf || std::fwrite(stats.rows.data(), sizeof(float), stats.rows.size(), lf) != stats.rows.size() ||
        std::fclose(lf) != 0) {
      std::fprintf(stderr, "generate: error: cannot write '%s'\n", o.logitsOut);
      closeAll();
      return 1;
    }
  }
  if (o.ngram || draft)
    std::fprintf(stderr, "generate: speculation (%s): %lld proposed, %lld accepted (%.1f%%)\n", o.ngram ? "ngram" : "draft",
                 static_cast<long long>(stats.proposed), static_cast<long long>(stats.accepted),
                 stats.proposed ? 100.0 * static_cast<double>(stats.accepted) / static_cast<double>(stats.proposed)
                                : 0.0);
  closeAll();
  return 0;
}
