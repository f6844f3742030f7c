// Tests of runtime/core/ThreadPool and of the threaded NEON kernels (runtime/neon/*Ops.cpp): parallelFor
// runs every index exactly once with the documented chunking, and the GEMM / convolution / attention
// kernels give the same bytes with 1, 2 and 3 threads. Plain main, run under qemu-aarch64 by
// scripts/bench_kernels.sh; prints PASS/FAIL lines, exit status 1 on any failure.
#include "runtime/core/ThreadPool.h"
#include "runtime/neon/Ops.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

using mote::rt::ThreadPool;
namespace ops = mote::neon::ops;

namespace {

int failures = 0;

void check(bool ok, const char *what) {
  std::printf("%s %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok)
    ++failures;
}

// ---- parallelFor -----------------------------------------------------------------------------------

/// Every index of [begin, end) visited exactly once, chunks contiguous with grain-aligned inner
/// boundaries, at most threadCount() chunks, chunk numbers below threadCount(), as chunkBounds says.
bool coverage(ThreadPool &pool, int64_t begin, int64_t end, int64_t grain) {
  const int64_t n = end > begin ? end - begin : 0;
  std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
  for (auto &h : hits)
    h.store(0);
  const int expectChunks = pool.chunkCount(begin, end, grain);
  std::vector<std::atomic<int>> chunkSeen(static_cast<size_t>(pool.threadCount()));
  for (auto &c : chunkSeen)
    c.store(0);
  std::atomic<bool> ok(true);
  pool.parallelFor(begin, end, grain, [&](int64_t b, int64_t e, int chunk) {
    if (chunk < 0 || chunk >= pool.threadCount() || b >= e || b < begin || e > end) {
      ok = false;
      return;
    }
    int64_t eb, ee;
    ThreadPool::chunkBounds(begin, end, grain, expectChunks, chunk, &eb, &ee);
    if (eb != b || ee != e)
      ok = false;
    const int64_t g = grain < 1 ? 1 : grain;
    if ((b - begin) % g != 0 || (e != end && (e - begin) % g != 0))
      ok = false;
    chunkSeen[static_cast<size_t>(chunk)]++;
    for (int64_t i = b; i < e; ++i)
      hits[static_cast<size_t>(i - begin)]++;
  });
  for (auto &h : hits)
    if (h.load() != 1)
      ok = false;
  int chunks = 0;
  for (auto &c : chunkSeen) {
    if (c.load() > 1)
      ok = false;
    chunks += c.load();
  }
  return ok && chunks == expectChunks;
}

void testParallelFor() {
  for (int threads : {1, 2, 3, 4, 7}) {
    ThreadPool pool(threads);
    bool ok = pool.threadCount() == threads;
    const int64_t ranges[][3] = {
        {0, 0, 1},   {5, 5, 3},    {7, 3, 1},    {0, 1, 1},     {0, 1, 8},      {0, 2, 1},   {0, 3, 1},
        {0, 7, 8},   {0, 8, 8},    {0, 9, 8},    {0, 17, 8},    {0, 100, 1},    {3, 1000, 7}, {-50, 50, 3},
        {0, 10, 0},  {0, 10, -4},  {0, 6, 2},    {1, 1 << 16, 64}, {0, 5, 100}, {10, 13, 1}};
    for (const auto &r : ranges)
      ok = ok && coverage(pool, r[0], r[1], r[2]);
    // Many small jobs in a row on the same pool (job hand-over).
    for (int rep = 0; rep < 200 && ok; ++rep)
      ok = coverage(pool, 0, rep % 13, 1 + rep % 3);
    char name[96];
    std::snprintf(name, sizeof(name), "parallelFor coverage, %d thread(s)", threads);
    check(ok, name);
  }

  // Chunk counts and bounds.
  {
    ThreadPool pool(3);
    bool ok = pool.chunkCount(0, 0, 1) == 0 && pool.chunkCount(0, 1, 1) == 1 && pool.chunkCount(0, 2, 1) == 2 &&
              pool.chunkCount(0, 100, 1) == 3 && pool.chunkCount(0, 16, 8) == 2 && pool.chunkCount(0, 17, 8) == 3 &&
              pool.chunkCount(0, 8, 8) == 1 && pool.chunkCount(4, 2, 1) == 0;
    int64_t b, e;
    ThreadPool::chunkBounds(0, 17, 8, 3, 0, &b, &e);
    ok = ok && b == 0 && e == 8;
    ThreadPool::chunkBounds(0, 17, 8, 3, 2, &b, &e);
    ok = ok && b == 16 && e == 17;
    ThreadPool::chunkBounds(0, 10, 1, 3, 1, &b, &e); // units 10: 0-3, 3-6, 6-10
    ok = ok && b == 3 && e == 6;
    check(ok, "chunkCount / chunkBounds edge cases");
  }

  // Size 1: everything inline on the caller, no threads.
  {
    ThreadPool pool(1);
    const std::thread::id self = std::this_thread::get_id();
    bool ok = true;
    int calls = 0;
    pool.parallelFor(0, 1000, 1, [&](int64_t b, int64_t e) {
      ok = ok && std::this_thread::get_id() == self && b == 0 && e == 1000;
      ++calls;
    });
    check(ok && calls == 1, "a pool of one thread runs inline, in one chunk");
  }

  // Work really spreads over the workers, and a nested parallelFor runs inline.
  {
    ThreadPool pool(3);
    std::vector<std::thread::id> ids(3);
    std::atomic<int> nestedCalls(0);
    std::atomic<bool> nestedOk(true);
    pool.parallelFor(0, 3, 1, [&](int64_t b, int64_t, int chunk) {
      ids[static_cast<size_t>(chunk)] = std::this_thread::get_id();
      const std::thread::id me = std::this_thread::get_id();
      pool.parallelFor(0, 30, 1, [&](int64_t nb, int64_t ne, int) {
        nestedOk = nestedOk && std::this_thread::get_id() == me;
        nestedCalls += static_cast<int>(ne - nb);
      });
      (void)b;
    });
    bool distinct = ids[0] == std::this_thread::get_id() && ids[1] != ids[0] && ids[2] != ids[0] && ids[1] != ids[2];
    check(distinct, "chunks run on the caller and on distinct workers");
    check(nestedOk && nestedCalls == 90, "nested parallelFor runs inline and covers its range");
  }

  // The default pool.
  {
    mote::rt::setDefaultThreadCount(0);
    bool ok = mote::rt::defaultThreadPool().threadCount() == 1;
    mote::rt::setDefaultThreadCount(4);
    ok = ok && mote::rt::defaultThreadPool().threadCount() == 4;
    std::atomic<int64_t> sum(0);
    mote::rt::parallelFor(0, 1000, 10, [&](int64_t b, int64_t e) {
      int64_t s = 0;
      for (int64_t i = b; i < e; ++i)
        s += i;
      sum += s;
    });
    ok = ok && sum.load() == 999 * 1000 / 2;
    mote::rt::setDefaultThreadCount(1);
    ok = ok && mote::rt::defaultThreadPool().threadCount() == 1;
    check(ok, "default pool: setDefaultThreadCount and parallelFor");
  }
}

// ---- threaded kernels: identical bytes for any thread count -----------------------------------------

uint32_t rngState = 12345;
float randf() {
  rngState = rngState * 1664525u + 1013904223u;
  return static_cast<float>((rngState >> 8) & 0xFFFF) / 32768.0f - 1.0f;
}
std::vector<float> randomVector(size_t n) {
  std::vector<float> v(n);
  for (float &x : v)
    x = randf();
  return v;
}

/// Runs `kernel(out)` with 1, 2 and 3 default-pool threads; true if all outputs have the same bytes
/// (the output is pre-filled with a different garbage pattern each time so missed elements show).
template <class Kernel>
bool sameBytes(size_t outFloats, Kernel kernel) {
  std::vector<float> ref;
  bool ok = true;
  for (int threads = 1; threads <= 3; ++threads) {
    mote::rt::setDefaultThreadCount(threads);
    std::vector<float> out(outFloats, static_cast<float>(threads) * 1e30f);
    kernel(out.data());
    if (threads == 1)
      ref = out;
    else
      ok = ok && std::memcmp(ref.data(), out.data(), outFloats * sizeof(float)) == 0;
  }
  mote::rt::setDefaultThreadCount(1);
  return ok;
}

void testKernels() {
  // Batched matmul (the GEMM fast path on AArch64): M values around the 8-row tile and chunk edges,
  // K beyond one 512-deep reduction block.
  {
    bool ok = true;
    const int64_t shapes[][3] = {{2, 5, 7}, {9, 13, 17}, {17, 12, 64}, {24, 40, 33}, {61, 29, 700}, {128, 48, 96}};
    for (const auto &s : shapes) {
      const int64_t M = s[0], N = s[1], K = s[2];
      const int64_t batch[1] = {2};
      const int64_t aStrides[1] = {M * K}, bStrides[1] = {K * N};
      std::vector<float> a = randomVector(static_cast<size_t>(2 * M * K)), b = randomVector(static_cast<size_t>(2 * K * N));
      ok = ok && sameBytes(static_cast<size_t>(2 * M * N), [&](float *out) {
             ops::matmul(1, batch, a.data(), aStrides, b.data(), bStrides, M, N, K, out);
           });
    }
    check(ok, "matmul (GEMM): same bytes with 1, 2, 3 threads");
  }
  // ONNX Gemm (portable loop).
  {
    const int64_t M = 37, N = 21, K = 50;
    std::vector<float> a = randomVector(M * K), b = randomVector(K * N), c = randomVector(N);
    check(sameBytes(M * N, [&](float *out) { ops::gemm(M, N, K, a.data(), false, b.data(), true, 0.5f, 2.0f, c.data(), 0, 1, out); }),
          "gemm (portable): same bytes with 1, 2, 3 threads");
  }
  // Convolutions, NHWC: 3x3 pad 1 (indirect GEMM), 1x1 (GEMM), and a strided 3x3 (portable loop).
  {
    struct Case {
      int64_t H, W, C, M, K, stride, pad, group;
    } cases[] = {{7, 9, 5, 11, 3, 1, 1, 1}, {16, 16, 24, 36, 3, 1, 1, 1}, {5, 5, 13, 10, 1, 1, 0, 1},
                 {12, 10, 32, 20, 1, 1, 0, 1}, {9, 11, 6, 8, 3, 2, 1, 1},  {8, 8, 8, 8, 3, 1, 1, 4}};
    bool ok = true;
    for (const Case &t : cases) {
      ops::Conv2DParams p;
      p.N = 2;
      p.C = t.C;
      p.H = t.H;
      p.W = t.W;
      p.M = t.M;
      p.KH = p.KW = t.K;
      p.strideH = p.strideW = t.stride;
      p.padTop = p.padLeft = t.pad;
      p.dilationH = p.dilationW = 1;
      p.group = t.group;
      p.OH = (t.H + 2 * t.pad - t.K) / t.stride + 1;
      p.OW = (t.W + 2 * t.pad - t.K) / t.stride + 1;
      const int64_t is[4] = {p.H * p.W * p.C, 1, p.W * p.C, p.C};
      const int64_t os[4] = {p.OH * p.OW * p.M, 1, p.OW * p.M, p.M};
      std::vector<float> in = randomVector(static_cast<size_t>(p.N * is[0]));
      std::vector<float> w = randomVector(static_cast<size_t>(p.M * (p.C / p.group) * p.KH * p.KW));
      std::vector<float> bias = randomVector(static_cast<size_t>(p.M));
      ok = ok && sameBytes(static_cast<size_t>(p.N * os[0]), [&](float *out) {
             ops::conv2d(p, in.data(), is, w.data(), bias.data(), out, os);
           });
      // And right: against a direct double-precision loop.
      mote::rt::setDefaultThreadCount(3);
      std::vector<float> out(static_cast<size_t>(p.N * os[0]));
      ops::conv2d(p, in.data(), is, w.data(), bias.data(), out.data(), os);
      mote::rt::setDefaultThreadCount(1);
      const int64_t cpg = p.C / p.group, mpg = p.M / p.group;
      for (int64_t n = 0; n < p.N; ++n)
        for (int64_t oh = 0; oh < p.OH; ++oh)
          for (int64_t ow = 0; ow < p.OW; ++ow)
            for (int64_t m = 0; m < p.M; ++m) {
              double acc = bias[static_cast<size_t>(m)];
              for (int64_t c = 0; c < cpg; ++c)
                for (int64_t kh = 0; kh < p.KH; ++kh)
                  for (int64_t kw = 0; kw < p.KW; ++kw) {
                    const int64_t ih = oh * p.strideH - p.padTop + kh, iw = ow * p.strideW - p.padLeft + kw;
                    if (ih < 0 || ih >= p.H || iw < 0 || iw >= p.W)
                      continue;
                    acc += static_cast<double>(in[static_cast<size_t>(n * is[0] + ((m / mpg) * cpg + c) * is[1] +
                                                                      ih * is[2] + iw * is[3])]) *
                           w[static_cast<size_t>(((m * cpg + c) * p.KH + kh) * p.KW + kw)];
                  }
              const double got = out[static_cast<size_t>(n * os[0] + m * os[1] + oh * os[2] + ow * os[3])];
              const double err = got - acc < 0 ? acc - got : got - acc;
              if (!(err <= 1e-4 + 1e-4 * (acc < 0 ? -acc : acc)))
                ok = false;
            }
    }
    check(ok, "conv2d (3x3, 1x1, strided, grouped): correct, and same bytes with 1, 2, 3 threads");
  }
  // Attention with a mask and grouped KV heads.
  {
    const int64_t B = 2, H = 4, Hkv = 2, Sq = 9, Sk = 11, D = 8, Dv = 6;
    std::vector<float> q = randomVector(B * H * Sq * D), k = randomVector(B * Hkv * Sk * D),
                       v = randomVector(B * Hkv * Sk * Dv), mask = randomVector(Sq * Sk);
    const int64_t ms[4] = {0, 0, Sk, 1};
    check(sameBytes(B * H * Sq * Dv,
                    [&](float *out) {
                      ops::attention(B, H, Hkv, Sq, Sk, D, Dv, 0.35f, q.data(), k.data(), v.data(), mask.data(), ms,
                                     out);
                    }),
          "attention: same bytes with 1, 2, 3 threads");
  }
}

} // namespace

int main() {
  testParallelFor();
  testKernels();
  std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "OK", failures);
  return failures ? 1 : 0;
}
