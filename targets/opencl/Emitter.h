// The OpenCL emitter: from a planned function (storage types, kernels and arena offsets decided), the
// artifact a host program links with runtime/core and runtime/opencl (-lOpenCL):
//
//   NAME.cl       the kernel library (runtime/opencl/kernels/*.cl) and the kernels generated for this model
//                 (FusedKernels.h), OpenCL C 1.2, built at open with -DMOTE_HALF=1 for f16 storage
//   NAME.h        the model's C API (codegen/ModelInterface.h), as for every target
//   NAME.cpp      init (opens a runtime/opencl Session: device, program, buffers, the weights uploaded once;
//                 the session lives in the packed buffer and is released at close) and run (uploads the
//                 inputs, launches the planned `mote.kernel` op by op with every shape a constant and every
//                 activation at its `mote.offset` in the one device arena, each launch under a comment
//                 naming the ONNX nodes, and reads the outputs back); NAME.cl's text is embedded too
//   NAME.weights  one section per weight read, in first-use order, target "opencl"
#ifndef MOTE_TARGETS_OPENCL_EMITTER_H
#define MOTE_TARGETS_OPENCL_EMITTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mote {
namespace opencl {

/// Writes NAME.cl, NAME.h, NAME.cpp and NAME.weights for the planned `func` into the existing folder `dir`: the
/// activation arena split into device buffers of at most the target's max_alloc_bytes, and the device memory
/// recorded on `func` (kDeviceMemoryAttrName, kLargestAllocationAttrName) for the report. Errors are emitted at
/// the op that cannot be emitted (or at `func`).
mlir::LogicalResult emitArtifact(mlir::func::FuncOp func, llvm::StringRef dir, llvm::StringRef modelName);

/// The kernel library's OpenCL C source (runtime/opencl/kernels, read from the runtime source root), or an
/// error naming the file that is missing.
llvm::Expected<std::string> kernelLibrary();

} // namespace opencl
} // namespace mote

#endif // MOTE_TARGETS_OPENCL_EMITTER_H
