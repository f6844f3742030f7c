// The runtimes' thread pool: see ThreadPool.h.
#include "runtime/core/ThreadPool.h"

#include <memory>

namespace mote {
namespace rt {

namespace {

// Set while a thread runs a chunk: a parallelFor issued from there runs inline.
thread_local bool tInsideChunk = false;

struct ChunkScope {
  bool saved;
  ChunkScope() : saved(tInsideChunk) { tInsideChunk = true; }
  ~ChunkScope() { tInsideChunk = saved; }
};

} // namespace

ThreadPool::ThreadPool(int threads) : threads_(threads < 1 ? 1 : threads) {
  workers_.reserve(static_cast<size_t>(threads_ - 1));
  for (int i = 1; i < threads_; ++i)
    workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread &t : workers_)
    t.join();
}

int ThreadPool::chunkCount(int64_t begin, int64_t end, int64_t grain) const {
  if (end <= begin)
    return 0;
  if (grain < 1)
    grain = 1;
  const int64_t units = (end - begin - 1) / grain + 1;
  return units < threads_ ? static_cast<int>(units) : threads_;
}

void ThreadPool::chunkBounds(int64_t begin, int64_t end, int64_t grain, int chunks, int chunk, int64_t *chunkBegin,
                             int64_t *chunkEnd) {
  if (grain < 1)
    grain = 1;
  const int64_t units = end > begin ? (end - begin - 1) / grain + 1 : 0;
  const int64_t u0 = units * chunk / chunks, u1 = units * (chunk + 1) / chunks;
  const int64_t b = begin + u0 * grain, e = begin + u1 * grain;
  *chunkBegin = b < end ? b : end;
  *chunkEnd = e < end ? e : end;
}

void ThreadPool::runChunk(int chunk) {
  int64_t b, e;
  chunkBounds(begin_, end_, grain_, chunks_, chunk, &b, &e);
  if (b < e) {
    ChunkScope scope;
    fn_(context_, b, e, chunk);
  }
}

void ThreadPool::workerLoop(int index) {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_)
        return;
      seen = generation_;
      if (index >= chunks_)
        continue; // this job has fewer chunks than threads
    }
    // The job's fields stay unchanged until every pending chunk is done.
    runChunk(index);
    bool last;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      last = --pending_ == 0;
    }
    if (last)
      done_.notify_one();
  }
}

void ThreadPool::parallelForRaw(int64_t begin, int64_t end, int64_t grain, ChunkFn fn, void *context) {
  if (end <= begin)
    return;
  if (grain < 1)
    grain = 1;
  const int chunks = chunkCount(begin, end, grain);
  std::unique_lock<std::mutex> caller(callerMutex_, std::defer_lock);
  if (chunks <= 1 || tInsideChunk || !caller.try_lock()) {
    // Inline, with the same chunk boundaries so results do not depend on who runs them.
    for (int c = 0; c < chunks; ++c) {
      int64_t b, e;
      chunkBounds(begin, end, grain, chunks, c, &b, &e);
      if (b < e) {
        ChunkScope scope;
        fn(context, b, e, c);
      }
    }
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fn_ = fn;
    context_ = context;
    begin_ = begin;
    end_ = end;
    grain_ = grain;
    chunks_ = chunks;
    pending_ = chunks - 1;
    ++generation_;
  }
  wake_.notify_all();
  runChunk(0);
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return pending_ == 0; });
}

namespace {
std::unique_ptr<ThreadPool> &defaultPoolSlot() {
  static std::unique_ptr<ThreadPool> pool;
  return pool;
}
} // namespace

ThreadPool &defaultThreadPool() {
  std::unique_ptr<ThreadPool> &slot = defaultPoolSlot();
  if (!slot)
    slot.reset(new ThreadPool(1));
  return *slot;
}

void setDefaultThreadCount(int threads) {
  std::unique_ptr<ThreadPool> &slot = defaultPoolSlot();
  if (threads < 1)
    threads = 1;
  if (slot && slot->threadCount() == threads)
    return;
  slot.reset(new ThreadPool(threads));
}

} // namespace rt
} // namespace mote
