// The C API every target's artifact offers, the same shape for every target (README "Using a compiled
// model"): `NAME.h`, callable from C and C++, declares
//
//   int  NAME_open(const char *weights_path, NAME_t **model);
//   int  NAME_open_with(const void *weights, size_t weights_bytes, void *arena, void *packed, int threads,
//                       NAME_t **model);
//   int  NAME_run(NAME_t *model, const void *const *inputs, void *const *outputs);
//   void NAME_close(NAME_t *model);
//   const char *NAME_error(int status);
//
// and the model's inputs and outputs (counts, names, ranks, shapes, element types, bytes). Everything is
// prefixed by NAME, so two models link into one app. The emitters write the header with writeCApiHeader and
// the functions' definitions with writeCApiDefinitions (forwarding to runtime/core/Model.h).
#ifndef MOTE_CODEGEN_MODELINTERFACE_H
#define MOTE_CODEGEN_MODELINTERFACE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mote {
namespace codegen {

/// Whether `name` can name a model: a C identifier of at most 64 characters (it prefixes C symbols) whose
/// NAME_t is not a C library type (size_t, int64_t, ...).
bool isValidModelName(llvm::StringRef name);

/// One input or output of the model, as the C API describes it.
struct TensorInterface {
  std::string name;
  std::vector<int64_t> shape;
  int onnxType = 0;      // ONNX TensorProto.DataType: 1 float, 6 int32, 7 int64, 9 bool, 10 float16
  int64_t bytes = 0;     // densely packed
};

struct ModelInterface {
  std::string name;   // the C prefix
  std::string target; // the target the code and weights are for
  std::vector<TensorInterface> inputs, outputs;
  int64_t arenaBytes = 0, packedBytes = 0;
};

/// The inputs and outputs of `func` (names from `mote.name`, else input_K / output_K). Fails, with an error
/// on `func`, for a type the C API cannot describe (dynamic shapes, other element types).
mlir::FailureOr<ModelInterface> describeModel(mlir::func::FuncOp func, llvm::StringRef name, llvm::StringRef target);

/// NAME.h.
std::string writeCApiHeader(const ModelInterface &m);

/// The definitions of NAME.h's tables and functions, for the end of NAME.cpp: they forward to
/// runtime/core/Model.h with `initFunction` and `runFunction`, the generated code's entry points
/// (`int init(const mote::rt::WeightsFile &, float *packed)`, `int run(const mote::rt::WeightsFile &,
/// unsigned char *arena, const float *packed, const void *const *inputs, void *const *outputs)`), and
/// `releaseFunction` when not empty (`void release(float *packed)`: frees what init made besides the packed
/// bytes, e.g. a device session).
std::string writeCApiDefinitions(const ModelInterface &m, llvm::StringRef initFunction, llvm::StringRef runFunction,
                                 llvm::StringRef releaseFunction = "");

} // namespace codegen
} // namespace mote

#endif // MOTE_CODEGEN_MODELINTERFACE_H
