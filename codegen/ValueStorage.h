// Where the values of a planned function live at run time, the same for every emitter: a weight in a section
// of the weights file (added on first use), a model input or output in the app's buffer, or an activation at
// its planned offset in the arena. Reshapes are views: they live where the value they reshape does.
#ifndef MOTE_CODEGEN_VALUESTORAGE_H
#define MOTE_CODEGEN_VALUESTORAGE_H

#include "codegen/WeightsWriter.h"

#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mote {
namespace codegen {

/// Where a non-weight value's elements are.
struct ActivationStorage {
  enum class Kind { Input, Output, Arena } kind = Kind::Arena;
  /// Input: the argument number; Output: the result number; Arena: the byte offset.
  int64_t index = 0;
};

/// The storage of `v` (not a weight), through reshape views; fails, with an error at the op prefixed by
/// `emitter` (e.g. "neon emitter"), when the value has no planned offset.
mlir::FailureOr<ActivationStorage> activationStorage(mlir::Value v, llvm::StringRef emitter);

/// The weights file of one artifact: a section per weight read, in first-use order. Constants are written as
/// they are, f32 constants cast to f16 (the storage type) converted while writing, int4 constants two a byte
/// (the even element in the low nibble); a reshape of a weight is the section it views.
class WeightSections {
public:
  explicit WeightSections(llvm::StringRef emitter) : emitter(emitter.str()) {}
  /// The section of weight `v` (added on first use), or failure with an error at its op.
  mlir::FailureOr<unsigned> section(mlir::Value v);
  /// Bytes of each section, in index order.
  llvm::ArrayRef<uint64_t> sectionBytes() const { return bytes; }
  /// Writes the file (weights::write's format) for `target`; fails with an error at `at`.
  mlir::LogicalResult write(mlir::Operation *at, llvm::StringRef path, llvm::StringRef target) const;

private:
  std::string emitter;
  WeightsWriter writer;
  llvm::DenseMap<mlir::Value, unsigned> sections;
  llvm::SmallVector<uint64_t> bytes;
};

} // namespace codegen
} // namespace mote

#endif // MOTE_CODEGEN_VALUESTORAGE_H
