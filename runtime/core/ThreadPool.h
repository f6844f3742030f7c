// A small fixed-size thread pool for the runtimes' kernels: parallelFor splits an index range into
// contiguous chunks and runs them on the workers and on the calling thread, returning when all are done.
//
// Chunking is deterministic: a range of n indices with grain g is cut into
//   chunks = min(threads, ceil(n / g))
// pieces whose boundaries (relative to `begin`) are multiples of g, as even as that allows; chunk c runs
// on worker c (chunk 0 on the caller). Callers that need per-thread scratch index it by the chunk number,
// which is below threadCount(). A pool of size 1 creates no threads and runs everything inline; a
// parallelFor issued from inside a running chunk (nesting) or while another caller uses the pool runs
// inline too. Portable C++17, no exceptions; nothing from the compiler side.
#ifndef MOTE_RUNTIME_CORE_THREADPOOL_H
#define MOTE_RUNTIME_CORE_THREADPOOL_H

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace mote {
namespace rt {

class ThreadPool {
public:
  /// Body of a parallel loop: runs indices [begin, end) as chunk number `chunk`.
  using ChunkFn = void (*)(void *context, int64_t begin, int64_t end, int chunk);

  /// A pool running loops on `threads` threads in all (the caller plus threads - 1 workers); values
  /// below 1 mean 1.
  explicit ThreadPool(int threads = 1);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  int threadCount() const { return threads_; }

  /// How many chunks parallelFor cuts [begin, end) into with this grain (0 for an empty range).
  int chunkCount(int64_t begin, int64_t end, int64_t grain) const;

  /// The bounds of chunk `chunk` of `chunks` over [begin, end) with this grain.
  static void chunkBounds(int64_t begin, int64_t end, int64_t grain, int chunks, int chunk, int64_t *chunkBegin,
                          int64_t *chunkEnd);

  /// Runs fn(begin', end', chunk) over contiguous chunks covering [begin, end) exactly once; grain (at
  /// least 1) is the smallest chunk and the alignment of chunk boundaries.
  void parallelForRaw(int64_t begin, int64_t end, int64_t grain, ChunkFn fn, void *context);

  /// parallelForRaw with a callable taking (int64_t begin, int64_t end) or (begin, end, int chunk).
  template <class F>
  void parallelFor(int64_t begin, int64_t end, int64_t grain, F &&fn) {
    parallelForRaw(begin, end, grain, &trampoline<typename std::remove_reference<F>::type>,
                   static_cast<void *>(&fn));
  }

private:
  template <class F>
  static auto call(F &f, int64_t b, int64_t e, int c, int) -> decltype(f(b, e, c), void()) {
    f(b, e, c);
  }
  template <class F>
  static void call(F &f, int64_t b, int64_t e, int, long) {
    f(b, e);
  }
  template <class F>
  static void trampoline(void *context, int64_t b, int64_t e, int chunk) {
    call(*static_cast<F *>(context), b, e, chunk, 0);
  }

  void workerLoop(int index);
  void runChunk(int chunk);

  int threads_;
  std::vector<std::thread> workers_;
  std::mutex callerMutex_; // one parallelFor at a time; others run inline
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  uint64_t generation_ = 0; // bumped per job
  bool stop_ = false;
  int pending_ = 0; // worker chunks of the current job not finished yet
  // The current job.
  ChunkFn fn_ = nullptr;
  void *context_ = nullptr;
  int64_t begin_ = 0, end_ = 0, grain_ = 1;
  int chunks_ = 0;
};

/// The process-wide pool the kernels use (one thread until setDefaultThreadCount says otherwise).
ThreadPool &defaultThreadPool();

/// Replaces the default pool by one of `threads` threads (values below 1 mean 1). Not thread-safe: call
/// it before running a model, not during.
void setDefaultThreadCount(int threads);

/// Convenience: defaultThreadPool().parallelFor(...).
template <class F>
inline void parallelFor(int64_t begin, int64_t end, int64_t grain, F &&fn) {
  defaultThreadPool().parallelFor(begin, end, grain, static_cast<F &&>(fn));
}

} // namespace rt
} // namespace mote

#endif // MOTE_RUNTIME_CORE_THREADPOOL_H
