// The OpenCL host runtime of a generated model (targets/opencl emits NAME.cpp against it): one device, the
// program built once (its binary cached on disk), the activations in the planner's buffers (one, or several
// under the target's per-allocation limit), a buffer per
// model input and output and per weights-file section (uploaded once), and kernel launches that check every
// OpenCL call. Errors name the call and the kernel on stderr and return kModelDevice.
//
// Plain C++17 over the OpenCL 1.2 C API (the ICD loader, -lOpenCL), no exceptions.
#ifndef MOTE_RUNTIME_OPENCL_SESSION_H
#define MOTE_RUNTIME_OPENCL_SESSION_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include "runtime/core/WeightsFile.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mote {
namespace ocl {

/// A tensor argument: a buffer and the element offset the kernel adds to it.
struct Buf {
  cl_mem mem;
  cl_int offset;
};

/// `b` moved `n` elements on.
inline Buf shift(Buf b, int64_t n) {
  b.offset += static_cast<cl_int>(n);
  return b;
}

/// (a, b, c, d) as an OpenCL int4.
inline cl_int4 i4(int64_t a, int64_t b, int64_t c, int64_t d) {
  cl_int4 v;
  v.s[0] = static_cast<cl_int>(a);
  v.s[1] = static_cast<cl_int>(b);
  v.s[2] = static_cast<cl_int>(c);
  v.s[3] = static_cast<cl_int>(d);
  return v;
}
inline cl_int2 i2(int64_t a, int64_t b) {
  cl_int2 v;
  v.s[0] = static_cast<cl_int>(a);
  v.s[1] = static_cast<cl_int>(b);
  return v;
}

/// What a generated model asks of the session.
struct SessionConfig {
  const char *source;       // the kernel library (NAME.cl)
  const char *buildOptions; // "-DMOTE_HALF=1" for half storage (open adds -DMOTE_HALF_ARITH=1 on cl_khr_fp16)
  const uint64_t *arenaBytes; // the planned activations: one device buffer per part (each within the limit)
  unsigned numArenaParts;
  const uint64_t *sectionBytes;
  unsigned numSections;
  const uint64_t *inputBytes;
  unsigned numInputs;
  const uint64_t *outputBytes;
  unsigned numOutputs;
  uint64_t maxAllocBytes; // the target's per-allocation limit (--opencl-max-alloc-bytes)
  uint64_t scratchBytes;  // zeroed at open: kernels' counters and partial results (0: none)
};

class Session {
public:
  /// Picks a device ($MOTE_OPENCL_DEVICE=K: the K-th device of all platforms; else the first GPU, else the
  /// first device), builds the program (from the binary cache in $MOTE_OPENCL_CACHE_DIR when it holds this
  /// device's build of this source), allocates the buffers and uploads the weights' sections. A status of
  /// runtime/core/Model.h.
  static int open(const SessionConfig &config, const rt::WeightsFile &weights, Session **session);
  ~Session();
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;

  /// Activation at byte offset `byteOffset` of arena part `part`, for a kernel reading elements of
  /// `elementBytes`.
  Buf arena(unsigned part, int64_t byteOffset, int elementBytes) const {
    return {arena_[part], static_cast<cl_int>(byteOffset / elementBytes)};
  }
  Buf input(unsigned k) const { return {inputs_[k], 0}; }
  Buf output(unsigned k) const { return {outputs_[k], 0}; }
  Buf constant(unsigned k) const { return {sections_[k], 0}; }
  /// A placeholder for an absent optional operand (the kernel is told it is absent).
  Buf none() const { return {none_, 0}; }
  /// The scratch buffer (SessionConfig::scratchBytes, zeroed at open): a counter word and partial results
  /// that a kernel's work-groups share within one launch, and that it leaves as it found them.
  Buf scratch() const { return {scratch_, 0}; }
  /// The status word kernels set on bad input (a gather index out of range).
  cl_mem status() const { return status_; }
  /// A read-only table uploaded now (at open): its index for table().
  int addTable(const void *data, size_t bytes);
  Buf table(unsigned k) const { return {tables_[k], 0}; }

  /// Copies `count` elements of `elementBytes` from `from` to `to` on the device.
  int copy(Buf from, Buf to, int elementBytes, int64_t count);

  /// Copies the inputs to the device and clears the status word: the start of a run.
  int begin(const void *const *inputs);
  /// Reads the outputs back (waiting for every launch) and checks the status word: the end of a run.
  int end(void *const *outputs);

  /// Enqueues `kernel` over `global` work-items (unused dims 1) in work-groups of `local` (all 0: the driver
  /// chooses; else every dim set) with `args`.
  template <class... Args>
  int launch(const char *kernel, std::array<size_t, 3> global, std::array<size_t, 3> local, const Args &...args) {
    cl_kernel k = kernelNamed(kernel);
    if (!k)
      return failed_;
    cl_uint index = 0;
    int rc = 0;
    ((rc = rc ? rc : setArg(k, kernel, index, args)), ...);
    if (rc)
      return rc;
    return enqueue(k, kernel, global, local);
  }

  /// Kernel launches since open.
  uint64_t launches() const { return launches_; }

private:
  Session() = default;
  cl_kernel kernelNamed(const char *name);
  int enqueue(cl_kernel k, const char *name, std::array<size_t, 3> global, std::array<size_t, 3> local);
  int check(cl_int err, const char *call, const char *kernel = nullptr);
  int setRaw(cl_kernel k, const char *name, cl_uint &index, size_t bytes, const void *value);
  int setArg(cl_kernel k, const char *name, cl_uint &index, const Buf &b) {
    if (int rc = setRaw(k, name, index, sizeof(cl_mem), &b.mem))
      return rc;
    return setRaw(k, name, index, sizeof(cl_int), &b.offset);
  }
  int setArg(cl_kernel k, const char *name, cl_uint &index, cl_mem m) {
    return setRaw(k, name, index, sizeof(cl_mem), &m);
  }
  int setArg(cl_kernel k, const char *name, cl_uint &index, int v) {
    cl_int x = v;
    return setRaw(k, name, index, sizeof(x), &x);
  }
  int setArg(cl_kernel k, const char *name, cl_uint &index, int64_t v) {
    cl_int x = static_cast<cl_int>(v);
    return setRaw(k, name, index, sizeof(x), &x);
  }
  int setArg(cl_kernel k, const char *name, cl_uint &index, float v) {
    return setRaw(k, name, index, sizeof(v), &v);
  }
  int setArg(cl_kernel k, const char *name, cl_uint &index, const cl_int4 &v) {
    return setRaw(k, name, index, sizeof(v), &v);
  }
  int setArg(cl_kernel k, const char *name, cl_uint &index, const cl_int2 &v) {
    return setRaw(k, name, index, sizeof(v), &v);
  }
  int buildProgram(const SessionConfig &config);
  cl_mem allocate(uint64_t bytes, cl_mem_flags flags, const void *host, const char *what);

  cl_device_id device_ = nullptr;
  cl_context context_ = nullptr;
  cl_command_queue queue_ = nullptr;
  cl_program program_ = nullptr;
  cl_mem none_ = nullptr, status_ = nullptr, scratch_ = nullptr;
  std::vector<cl_mem> arena_, inputs_, outputs_, sections_, tables_;
  std::vector<uint64_t> inputBytes_, outputBytes_;
  std::vector<std::pair<std::string, cl_kernel>> kernels_;
  std::string options_; // the program's build options (the config's, plus -DMOTE_HALF_ARITH=1 where it applies)
  uint64_t launches_ = 0, maxAlloc_ = 0;
  int failed_ = 0;
};

} // namespace ocl
} // namespace mote

#endif // MOTE_RUNTIME_OPENCL_SESSION_H
