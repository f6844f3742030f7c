// Unit tests of runtime/core/Llm.h, the generation session over an LLM artifact's two entries, with fake
// entries: each call writes its tokens into the KV cache at cache_position (in place: the runtime passes one
// buffer as past and present) and answers, for each of its tokens, logits that encode a hash of every cache row
// the token may attend (rows 0 .. position). A session that fed the wrong rows, lost a write, padded into rows
// it later reads or rewound wrongly gives other logits than the expected history's.
#include "runtime/core/Llm.h"
#include "runtime/core/Model.h"
#include "codegen/WeightsWriter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace mote::rt;

namespace {

constexpr int64_t kContext = 8, kVocab = 5, kPrefill = 3;

struct Call {
  int64_t tokens, position;
  std::vector<int64_t> ids, positions;
};
std::vector<Call> calls;

/// The logit vector for a history: one-hot at (sum of (row + 1) * token) % vocab, so order and values matter.
int64_t hashOf(const std::vector<int64_t> &history) {
  int64_t h = 0;
  for (size_t j = 0; j < history.size(); ++j)
    h += static_cast<int64_t>(j + 1) * (history[j] + 1);
  return h % kVocab;
}

int fakeOpen(const void *, size_t, void *, void *, void **model) {
  *model = &calls;
  return 0;
}
void fakeClose(void *) {}

/// inputs: input_ids, position_ids, past_key_values.0.key [1, 1, L, 1], cache_position; outputs: logits,
/// present.0.key.
template <int S> int fakeRun(void *, const void *const *inputs, void *const *outputs) {
  const auto *ids = static_cast<const int64_t *>(inputs[0]);
  const auto *positions = static_cast<const int64_t *>(inputs[1]);
  const int64_t pos = *static_cast<const int64_t *>(inputs[3]);
  auto *cache = static_cast<float *>(outputs[1]);
  if (cache != inputs[2] || pos < 0 || pos + S > kContext)
    return kModelCachePosition;
  calls.push_back({S, pos, std::vector<int64_t>(ids, ids + S), std::vector<int64_t>(positions, positions + S)});
  auto *logits = static_cast<float *>(outputs[0]);
  for (int s = 0; s < S; ++s)
    cache[pos + s] = static_cast<float>(ids[s]);
  for (int s = 0; s < S; ++s) {
    std::vector<int64_t> history;
    for (int64_t j = 0; j <= pos + s; ++j)
      history.push_back(static_cast<int64_t>(cache[j]));
    for (int64_t v = 0; v < kVocab; ++v)
      logits[s * kVocab + v] = v == hashOf(history) ? 1.0f : 0.0f;
  }
  return 0;
}

const char *const kInputNames[] = {"input_ids", "position_ids", "past_key_values.0.key", "cache_position"};
const int kInputRanks[] = {2, 2, 4, 1};
const char *const kOutputNames[] = {"logits", "present.0.key"};
const int kOutputRanks[] = {3, 4};
const int64_t kCacheShape[] = {1, 1, kContext, 1}, kOne[] = {1};

template <int S> struct FakeEntry {
  static constexpr int64_t ids[] = {1, S};
  static constexpr int64_t logits[] = {1, S, kVocab};
  const int64_t *inputShapes[4] = {ids, ids, kCacheShape, kOne};
  const size_t inputBytes[4] = {8 * S, 8 * S, 4 * kContext, 8};
  const int64_t *outputShapes[2] = {logits, kCacheShape};
  const size_t outputBytes[2] = {4 * S * kVocab, 4 * kContext};
  LlmEntry entry() const {
    return LlmEntry{fakeOpen,     fakeRun<S>,  fakeClose,    64,          64,           4,
                    2,            kInputNames, kInputRanks,  inputShapes, inputBytes,   kOutputNames,
                    kOutputRanks, outputShapes, outputBytes};
  }
};

class LlmSessionTest : public ::testing::Test {
protected:
  void SetUp() override {
    calls.clear();
    llvm::SmallString<128> dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mote-llm-test", dir));
    dir_ = std::string(dir);
    path_ = dir_ + "/model.weights";
    mote::WeightsWriter writer;
    writer.addOwnedSection("c0", std::vector<char>(64, 1), mote::weights::ElementType::F32);
    ASSERT_FALSE(static_cast<bool>(writer.write(path_, "neon")));
  }
  void TearDown() override {
    llmClose(session_);
    llvm::sys::fs::remove_directories(dir_);
  }
  int open() { return llmOpen(prefill_.entry(), decode_.entry(), true, path_.c_str(), &session_); }

  FakeEntry<kPrefill> prefill_;
  FakeEntry<1> decode_;
  LlmSession *session_ = nullptr;
  std::string dir_, path_;
};

int64_t argmax(const float *row) {
  int64_t best = 0;
  for (int64_t v = 1; v < kVocab; ++v)
    if (row[v] > row[best])
      best = v;
  return best;
}

TEST_F(LlmSessionTest, PromptsRunInChunksWithAPaddedTailAndEveryRowsLogits) {
  ASSERT_EQ(open(), 0);
  const std::vector<int64_t> prompt = {4, 1, 3, 0, 2};
  std::vector<float> logits(prompt.size() * kVocab);
  ASSERT_EQ(llmPrefill(session_, prompt.data(), 5, logits.data()), 0);
  // 5 tokens, chunks of 3: one chunk, then 2 padded to 3 (it fits: 3 + 3 <= 8).
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].position, 0);
  EXPECT_EQ(calls[0].ids, (std::vector<int64_t>{4, 1, 3}));
  EXPECT_EQ(calls[0].positions, (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(calls[1].position, 3);
  EXPECT_EQ(calls[1].ids, (std::vector<int64_t>{0, 2, 2})); // padded with the last token
  EXPECT_EQ(calls[1].positions, (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(llmPosition(session_), 5);
  for (size_t i = 0; i < prompt.size(); ++i)
    EXPECT_EQ(argmax(&logits[i * kVocab]), hashOf({prompt.begin(), prompt.begin() + i + 1})) << "token " << i;
  // The padding row 5 is overwritten by the next token before anything attends it.
  std::vector<float> next(kVocab);
  ASSERT_EQ(llmDecode(session_, 1, next.data()), 0);
  EXPECT_EQ(argmax(next.data()), hashOf({4, 1, 3, 0, 2, 1}));
  int64_t prefillCalls = 0, decodeCalls = 0;
  llmCalls(session_, &prefillCalls, &decodeCalls);
  EXPECT_EQ(prefillCalls, 2);
  EXPECT_EQ(decodeCalls, 1);
}

TEST_F(LlmSessionTest, NearTheEndOfTheCacheTheTailGoesTokenByToken) {
  ASSERT_EQ(open(), 0);
  const std::vector<int64_t> prompt = {1, 2, 3, 4, 0, 1, 2};
  std::vector<float> last(kVocab);
  ASSERT_EQ(llmPrefill(session_, prompt.data(), 7, last.data(), LlmRows::Last), 0);
  // Chunks at 0 and 3; the last token at 6 cannot be padded to 3 rows (6 + 3 > 8): the decode entry.
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[2].tokens, 1);
  EXPECT_EQ(calls[2].position, 6);
  EXPECT_EQ(argmax(last.data()), hashOf(prompt));
  ASSERT_EQ(llmDecode(session_, 3, last.data()), 0); // row 7, the cache's last
  EXPECT_EQ(argmax(last.data()), hashOf({1, 2, 3, 4, 0, 1, 2, 3}));
  EXPECT_EQ(llmDecode(session_, 3, last.data()), kLlmContextFull);
}

TEST_F(LlmSessionTest, RewindingKeepsThePrefixAndLaterCallsOverwriteTheRest) {
  ASSERT_EQ(open(), 0);
  const std::vector<int64_t> prompt = {2, 2, 4, 1, 0};
  ASSERT_EQ(llmPrefill(session_, prompt.data(), 5, nullptr), 0);
  ASSERT_EQ(llmRewind(session_, 2), 0);
  EXPECT_EQ(llmPosition(session_), 2);
  std::vector<float> logits(2 * kVocab);
  const int64_t more[] = {3, 3};
  ASSERT_EQ(llmPrefill(session_, more, 2, logits.data()), 0);
  EXPECT_EQ(argmax(&logits[0]), hashOf({2, 2, 3}));
  EXPECT_EQ(argmax(&logits[kVocab]), hashOf({2, 2, 3, 3}));
  EXPECT_EQ(llmRewind(session_, 5), kLlmBadPosition); // beyond the current position (4)
  EXPECT_EQ(llmRewind(session_, -1), kLlmBadPosition);
}

TEST_F(LlmSessionTest, BadTokensAndTooLongPromptsAreRefusedBeforeAnyCall) {
  ASSERT_EQ(open(), 0);
  const int64_t outside[] = {1, kVocab};
  EXPECT_EQ(llmPrefill(session_, outside, 2, nullptr), kLlmTokenRange);
  const int64_t negative = -1;
  EXPECT_EQ(llmDecode(session_, negative, nullptr), kLlmTokenRange);
  const std::vector<int64_t> tooLong(kContext + 1, 0);
  EXPECT_EQ(llmPrefill(session_, tooLong.data(), kContext + 1, nullptr), kLlmContextFull);
  EXPECT_TRUE(calls.empty());
  EXPECT_EQ(llmPosition(session_), 0);
  EXPECT_STREQ(llmError(kLlmTokenRange), "a token id is outside the vocabulary");
}

TEST_F(LlmSessionTest, EntriesOutsideTheConventionAreRefused) {
  const char *const names[] = {"input_ids", "position_ids", "past_key_values.0.key", "token_type_ids"};
  LlmEntry odd = prefill_.entry();
  odd.inputNames = names;
  EXPECT_EQ(llmOpen(odd, decode_.entry(), true, path_.c_str(), &session_), kLlmNotADecoder);
  EXPECT_EQ(session_, nullptr);
  // Two entries of one token each: no prefill entry is not a decoder pair either way round.
  EXPECT_EQ(llmOpen(decode_.entry(), prefill_.entry(), true, path_.c_str(), &session_), kLlmNotADecoder);
  EXPECT_EQ(llmOpen(prefill_.entry(), decode_.entry(), true, (dir_ + "/missing.weights").c_str(), &session_),
            kModelWeightsIo);
}

} // namespace
