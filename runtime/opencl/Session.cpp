// The OpenCL host runtime (see Session.h).
#include "runtime/opencl/Session.h"

#include "runtime/core/Model.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sys/stat.h>

namespace mote {
namespace ocl {
namespace {

const char *errorName(cl_int err) {
  switch (err) {
#define NAME(e)                                                                                                \
  case e:                                                                                                      \
    return #e;
    NAME(CL_DEVICE_NOT_FOUND)
    NAME(CL_DEVICE_NOT_AVAILABLE)
    NAME(CL_COMPILER_NOT_AVAILABLE)
    NAME(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    NAME(CL_OUT_OF_RESOURCES)
    NAME(CL_OUT_OF_HOST_MEMORY)
    NAME(CL_BUILD_PROGRAM_FAILURE)
    NAME(CL_INVALID_VALUE)
    NAME(CL_INVALID_DEVICE)
    NAME(CL_INVALID_BINARY)
    NAME(CL_INVALID_BUILD_OPTIONS)
    NAME(CL_INVALID_PROGRAM_EXECUTABLE)
    NAME(CL_INVALID_KERNEL_NAME)
    NAME(CL_INVALID_KERNEL)
    NAME(CL_INVALID_ARG_INDEX)
    NAME(CL_INVALID_ARG_VALUE)
    NAME(CL_INVALID_MEM_OBJECT)
    NAME(CL_INVALID_ARG_SIZE)
    NAME(CL_INVALID_KERNEL_ARGS)
    NAME(CL_INVALID_WORK_DIMENSION)
    NAME(CL_INVALID_WORK_GROUP_SIZE)
    NAME(CL_INVALID_WORK_ITEM_SIZE)
    NAME(CL_INVALID_GLOBAL_WORK_SIZE)
    NAME(CL_INVALID_BUFFER_SIZE)
#undef NAME
  default:
    return "an OpenCL error";
  }
}

/// FNV-1a over `text`, continuing from `h`.
uint64_t hashText(const void *text, size_t bytes, uint64_t h = 1469598103934665603ull) {
  const unsigned char *p = static_cast<const unsigned char *>(text);
  for (size_t i = 0; i < bytes; ++i)
    h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

std::string deviceString(cl_device_id device, cl_device_info what) {
  size_t size = 0;
  if (clGetDeviceInfo(device, what, 0, nullptr, &size) != CL_SUCCESS || size == 0)
    return "";
  std::string s(size, '\0');
  clGetDeviceInfo(device, what, size, &s[0], nullptr);
  s.resize(std::strlen(s.c_str()));
  return s;
}

/// The cached program binary's path for this device, source and options ("" when $MOTE_OPENCL_CACHE_DIR is
/// not set: no cache).
std::string cachePath(cl_device_id device, const SessionConfig &config, const std::string &options) {
  const char *dir = std::getenv("MOTE_OPENCL_CACHE_DIR");
  if (!dir || !*dir)
    return "";
  uint64_t h = hashText(config.source, std::strlen(config.source));
  for (cl_device_info what : {CL_DEVICE_NAME, CL_DEVICE_VENDOR, CL_DRIVER_VERSION, CL_DEVICE_VERSION}) {
    std::string s = deviceString(device, what);
    h = hashText(s.data(), s.size() + 1, h);
  }
  h = hashText(options.c_str(), options.size() + 1, h);
  char name[32];
  std::snprintf(name, sizeof(name), "%016llx.bin", static_cast<unsigned long long>(h));
  return std::string(dir) + "/" + name;
}

bool readWhole(const std::string &path, std::vector<unsigned char> &bytes) {
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return false;
  std::fseek(f, 0, SEEK_END);
  long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  bool ok = size > 0;
  if (ok) {
    bytes.resize(static_cast<size_t>(size));
    ok = std::fread(bytes.data(), 1, bytes.size(), f) == bytes.size();
  }
  std::fclose(f);
  return ok;
}

/// Writes `bytes` to `path` through a temporary file and a rename (concurrent runs never see half a file).
void writeWhole(const std::string &path, const std::vector<unsigned char> &bytes) {
  std::string dir = path.substr(0, path.rfind('/'));
  mkdir(dir.c_str(), 0755);
  std::string temp = path + ".tmp" + std::to_string(reinterpret_cast<uintptr_t>(&bytes) & 0xffff);
  std::FILE *f = std::fopen(temp.c_str(), "wb");
  if (!f)
    return;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = std::fclose(f) == 0 && ok;
  if (ok)
    std::rename(temp.c_str(), path.c_str());
  else
    std::remove(temp.c_str());
}

} // namespace

int Session::check(cl_int err, const char *call, const char *kernel) {
  if (err == CL_SUCCESS)
    return 0;
  std::fprintf(stderr, "mote opencl: error: %s%s%s%s failed: %s (%d)\n", call, kernel ? " (kernel '" : "",
               kernel ? kernel : "", kernel ? "')" : "", errorName(err), static_cast<int>(err));
  failed_ = rt::kModelDevice;
  return failed_;
}

cl_mem Session::allocate(uint64_t bytes, cl_mem_flags flags, const void *host, const char *what) {
  if (bytes == 0)
    bytes = 64;
  if (bytes > maxAlloc_) {
    std::fprintf(stderr,
                 "mote opencl: error: %s needs one allocation of %llu bytes, more than the device allows (%llu)\n",
                 what, static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(maxAlloc_));
    failed_ = rt::kModelOutOfMemory;
    return nullptr;
  }
  cl_int err = CL_SUCCESS;
  cl_mem m = clCreateBuffer(context_, flags | (host ? CL_MEM_COPY_HOST_PTR : 0), bytes, const_cast<void *>(host), &err);
  if (check(err, "clCreateBuffer", what))
    return nullptr;
  return m;
}

int Session::buildProgram(const SessionConfig &config) {
  cl_int err = CL_SUCCESS;
  std::string cache = cachePath(device_, config, options_);
  std::vector<unsigned char> binary;
  if (!cache.empty() && readWhole(cache, binary)) {
    const unsigned char *bits = binary.data();
    size_t size = binary.size();
    cl_int status = CL_SUCCESS;
    program_ = clCreateProgramWithBinary(context_, 1, &device_, &size, &bits, &status, &err);
    if (err != CL_SUCCESS || status != CL_SUCCESS ||
        clBuildProgram(program_, 1, &device_, options_.c_str(), nullptr, nullptr) != CL_SUCCESS) {
      if (program_)
        clReleaseProgram(program_);
      program_ = nullptr; // a stale or foreign binary: build from source
    }
  }
  if (!program_) {
    const char *source = config.source;
    program_ = clCreateProgramWithSource(context_, 1, &source, nullptr, &err);
    if (check(err, "clCreateProgramWithSource"))
      return failed_;
    err = clBuildProgram(program_, 1, &device_, options_.c_str(), nullptr, nullptr);
    if (err != CL_SUCCESS) {
      size_t size = 0;
      clGetProgramBuildInfo(program_, device_, CL_PROGRAM_BUILD_LOG, 0, nullptr, &size);
      std::string log(size, '\0');
      if (size)
        clGetProgramBuildInfo(program_, device_, CL_PROGRAM_BUILD_LOG, size, &log[0], nullptr);
      std::fprintf(stderr, "mote opencl: the kernel library did not build:\n%s\n", log.c_str());
      return check(err, "clBuildProgram");
    }
    if (!cache.empty()) {
      size_t size = 0;
      if (clGetProgramInfo(program_, CL_PROGRAM_BINARY_SIZES, sizeof(size), &size, nullptr) == CL_SUCCESS && size) {
        binary.assign(size, 0);
        unsigned char *bits = binary.data();
        if (clGetProgramInfo(program_, CL_PROGRAM_BINARIES, sizeof(bits), &bits, nullptr) == CL_SUCCESS)
          writeWhole(cache, binary);
      }
    }
  }
  return 0;
}

int Session::open(const SessionConfig &config, const rt::WeightsFile &weights, Session **session) {
  *session = nullptr;
  if (weights.sectionCount() != config.numSections)
    return rt::kModelSectionCount;
  for (unsigned k = 0; k < config.numSections; ++k)
    if (weights.section(k).size != config.sectionBytes[k])
      return rt::kModelSectionSize;
  Session *s = new (std::nothrow) Session;
  if (!s)
    return rt::kModelOutOfMemory;
  auto fail = [&](int rc) {
    delete s;
    return rc;
  };
  // Every device of every platform, in order; $MOTE_OPENCL_DEVICE picks one by index.
  cl_uint numPlatforms = 0;
  cl_int err = clGetPlatformIDs(0, nullptr, &numPlatforms);
  if (err != CL_SUCCESS || numPlatforms == 0) {
    std::fprintf(stderr, "mote opencl: error: no OpenCL platform (is an ICD such as pocl-opencl-icd installed?)\n");
    return fail(rt::kModelDevice);
  }
  std::vector<cl_platform_id> platforms(numPlatforms);
  clGetPlatformIDs(numPlatforms, platforms.data(), nullptr);
  std::vector<cl_device_id> devices;
  int firstGpu = -1;
  for (cl_platform_id p : platforms) {
    cl_uint n = 0;
    if (clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, nullptr, &n) != CL_SUCCESS || n == 0)
      continue;
    std::vector<cl_device_id> found(n);
    clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, n, found.data(), nullptr);
    for (cl_device_id d : found) {
      cl_device_type type = 0;
      clGetDeviceInfo(d, CL_DEVICE_TYPE, sizeof(type), &type, nullptr);
      if (firstGpu < 0 && (type & CL_DEVICE_TYPE_GPU))
        firstGpu = static_cast<int>(devices.size());
      devices.push_back(d);
    }
  }
  if (devices.empty()) {
    std::fprintf(stderr, "mote opencl: error: no OpenCL device\n");
    return fail(rt::kModelDevice);
  }
  size_t pick = firstGpu >= 0 ? static_cast<size_t>(firstGpu) : 0;
  if (const char *chosen = std::getenv("MOTE_OPENCL_DEVICE"); chosen && *chosen) {
    char *end = nullptr;
    unsigned long k = std::strtoul(chosen, &end, 10);
    if (*end != '\0' || k >= devices.size()) {
      std::fprintf(stderr, "mote opencl: error: MOTE_OPENCL_DEVICE=%s, but there are %zu devices (0 to %zu)\n",
                   chosen, devices.size(), devices.size() - 1);
      return fail(rt::kModelDevice);
    }
    pick = k;
  }
  s->device_ = devices[pick];
  cl_ulong maxAlloc = 0;
  clGetDeviceInfo(s->device_, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof(maxAlloc), &maxAlloc, nullptr);
  s->maxAlloc_ = config.maxAllocBytes && config.maxAllocBytes < maxAlloc ? config.maxAllocBytes : maxAlloc;
  s->context_ = clCreateContext(nullptr, 1, &s->device_, nullptr, nullptr, &err);
  if (s->check(err, "clCreateContext"))
    return fail(rt::kModelDevice);
  s->queue_ = clCreateCommandQueue(s->context_, s->device_, 0, &err);
  if (s->check(err, "clCreateCommandQueue"))
    return fail(rt::kModelDevice);
  // Half storage computes in half where the device has half arithmetic ($MOTE_OPENCL_HALF_ARITH=0: never).
  s->options_ = config.buildOptions;
  const char *halfArith = std::getenv("MOTE_OPENCL_HALF_ARITH");
  if (s->options_.find("-DMOTE_HALF=1") != std::string::npos &&
      deviceString(s->device_, CL_DEVICE_EXTENSIONS).find("cl_khr_fp16") != std::string::npos &&
      !(halfArith && std::strcmp(halfArith, "0") == 0))
    s->options_ += " -DMOTE_HALF_ARITH=1";
  if (int rc = s->buildProgram(config))
    return fail(rc);
  for (unsigned k = 0; k < config.numArenaParts; ++k) {
    s->arena_.push_back(s->allocate(config.arenaBytes[k], CL_MEM_READ_WRITE, nullptr, "the activation arena"));
    if (!s->arena_.back())
      return fail(s->failed_);
  }
  s->none_ = s->allocate(64, CL_MEM_READ_WRITE, nullptr, "a placeholder");
  cl_int zero = 0;
  s->status_ = s->allocate(sizeof(zero), CL_MEM_READ_WRITE, &zero, "the status word");
  if (!s->none_ || !s->status_)
    return fail(s->failed_);
  if (config.scratchBytes) {
    std::vector<unsigned char> zeros(config.scratchBytes, 0);
    s->scratch_ = s->allocate(config.scratchBytes, CL_MEM_READ_WRITE, zeros.data(), "the kernels' scratch buffer");
    if (!s->scratch_)
      return fail(s->failed_);
  }
  for (unsigned k = 0; k < config.numInputs; ++k) {
    s->inputBytes_.push_back(config.inputBytes[k]);
    s->inputs_.push_back(s->allocate(config.inputBytes[k], CL_MEM_READ_ONLY, nullptr, "a model input"));
    if (!s->inputs_.back())
      return fail(s->failed_);
  }
  for (unsigned k = 0; k < config.numOutputs; ++k) {
    s->outputBytes_.push_back(config.outputBytes[k]);
    s->outputs_.push_back(s->allocate(config.outputBytes[k], CL_MEM_READ_WRITE, nullptr, "a model output"));
    if (!s->outputs_.back())
      return fail(s->failed_);
  }
  for (unsigned k = 0; k < config.numSections; ++k) {
    rt::WeightsSection section = weights.section(k);
    s->sections_.push_back(s->allocate(section.size, CL_MEM_READ_ONLY, section.size ? section.data : nullptr,
                                       "a weights section"));
    if (!s->sections_.back())
      return fail(s->failed_);
  }
  *session = s;
  return 0;
}

Session::~Session() {
  for (auto &[name, k] : kernels_)
    clReleaseKernel(k);
  for (auto *list : {&arena_, &inputs_, &outputs_, &sections_, &tables_})
    for (cl_mem m : *list)
      if (m)
        clReleaseMemObject(m);
  for (cl_mem m : {none_, status_, scratch_})
    if (m)
      clReleaseMemObject(m);
  if (program_)
    clReleaseProgram(program_);
  if (queue_)
    clReleaseCommandQueue(queue_);
  if (context_)
    clReleaseContext(context_);
}

int Session::addTable(const void *data, size_t bytes) {
  cl_mem m = allocate(bytes, CL_MEM_READ_ONLY, data, "a constant table");
  if (!m)
    return -1;
  tables_.push_back(m);
  return static_cast<int>(tables_.size() - 1);
}

cl_kernel Session::kernelNamed(const char *name) {
  for (auto &[n, k] : kernels_)
    if (n == name)
      return k;
  cl_int err = CL_SUCCESS;
  cl_kernel k = clCreateKernel(program_, name, &err);
  if (check(err, "clCreateKernel", name))
    return nullptr;
  kernels_.push_back({name, k});
  return k;
}

int Session::setRaw(cl_kernel k, const char *name, cl_uint &index, size_t bytes, const void *value) {
  return check(clSetKernelArg(k, index++, bytes, value), "clSetKernelArg", name);
}

int Session::enqueue(cl_kernel k, const char *name, std::array<size_t, 3> global, std::array<size_t, 3> local) {
  for (size_t d = 0; d < 3; ++d)
    if (global[d] == 0)
      return 0; // nothing to compute
  ++launches_;
  return check(clEnqueueNDRangeKernel(queue_, k, 3, nullptr, global.data(), local[0] ? local.data() : nullptr, 0,
                                      nullptr, nullptr),
               "clEnqueueNDRangeKernel", name);
}

int Session::copy(Buf from, Buf to, int elementBytes, int64_t count) {
  if (count <= 0)
    return 0;
  return check(clEnqueueCopyBuffer(queue_, from.mem, to.mem, static_cast<size_t>(from.offset) * elementBytes,
                                   static_cast<size_t>(to.offset) * elementBytes,
                                   static_cast<size_t>(count) * elementBytes, 0, nullptr, nullptr),
               "clEnqueueCopyBuffer");
}

int Session::begin(const void *const *inputs) {
  cl_int zero = 0;
  if (check(clEnqueueWriteBuffer(queue_, status_, CL_FALSE, 0, sizeof(zero), &zero, 0, nullptr, nullptr),
            "clEnqueueWriteBuffer", "the status word"))
    return failed_;
  for (size_t k = 0; k < inputs_.size(); ++k)
    if (inputBytes_[k] && check(clEnqueueWriteBuffer(queue_, inputs_[k], CL_TRUE, 0, inputBytes_[k], inputs[k], 0,
                                                     nullptr, nullptr),
                                "clEnqueueWriteBuffer", "a model input"))
      return failed_;
  return 0;
}

int Session::end(void *const *outputs) {
  for (size_t k = 0; k < outputs_.size(); ++k)
    if (outputBytes_[k] && check(clEnqueueReadBuffer(queue_, outputs_[k], CL_TRUE, 0, outputBytes_[k], outputs[k], 0,
                                                     nullptr, nullptr),
                                 "clEnqueueReadBuffer", "a model output"))
      return failed_;
  cl_int status = 0;
  if (check(clEnqueueReadBuffer(queue_, status_, CL_TRUE, 0, sizeof(status), &status, 0, nullptr, nullptr),
            "clEnqueueReadBuffer", "the status word"))
    return failed_;
  return status ? rt::kModelGatherIndex : 0;
}

} // namespace ocl
} // namespace mote
