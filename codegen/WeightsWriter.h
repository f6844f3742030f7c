// Writing `model.weights` on the compiler side: collects sections of packed constants and streams them into
// the format of runtime/core/WeightsFormat.h, computing the checksum on the way.
//
// Sections refer to bytes where they already are (an mmapped external-data file, a resource blob, a dense
// attribute's storage) and are copied only into the output stream, so a multi-gigabyte model is never held
// twice in memory.
#ifndef MOTE_CODEGEN_WEIGHTSWRITER_H
#define MOTE_CODEGEN_WEIGHTSWRITER_H

#include "runtime/core/WeightsFormat.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Types.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mote {

/// The weights-file code for tensors of `type` as MLIR stores them (one element per 1, 2, 4 or 8 bytes), or
/// nothing if the file has no such code or MLIR's storage is not what the code means (i1 is bit-packed in
/// dense attributes, i4 takes a byte per element).
std::optional<weights::ElementType> weightsElementType(mlir::Type type);

/// The most bytes one constant the compiler computed (a folded or splat DenseElementsAttr, not a model
/// weight) may take in the weights file.
constexpr uint64_t kMaxComputedConstantBytes = uint64_t(1) << 28;

/// The IEEE half bits of `f`: round to nearest, ties to even; saturated to +-65504 (infinities too); NaN kept.
uint16_t halfBits(float f);

/// The elements of an f32 constant as IEEE half bits (round to nearest even, saturated to the finite range,
/// NaN kept): a weight stored in f16. Nullopt when its bytes are not at hand.
std::optional<std::vector<char>> halfBytes(mlir::ElementsAttr f32Value);

class WeightsWriter {
public:
  /// Adds a section over `bytes`, which the caller keeps alive and unchanged until write() returns. Returns
  /// its index: the order of addition, which is how generated code refers to the section. `alignment` is a
  /// power of two from 64 to 4096; names must be unique (checked by write()).
  unsigned addSection(llvm::StringRef name, llvm::ArrayRef<char> bytes, weights::ElementType type,
                      uint32_t alignment = weights::kMinAlignment);

  /// Adds a section that owns its bytes: constants the compiler packed or quantized itself.
  unsigned addOwnedSection(llvm::StringRef name, std::vector<char> bytes, weights::ElementType type,
                           uint32_t alignment = weights::kMinAlignment);

  /// Adds the bytes of a DenseElementsAttr or DenseResourceElementsAttr as they are stored, without copying:
  /// the attribute (and its context) must outlive write(). A splat is expanded while writing; i1 values are
  /// widened to a byte each (a small copy). Fails for element types without a code, for resources whose
  /// data is missing or of the wrong size, and for a computed constant over kMaxComputedConstantBytes.
  llvm::Expected<unsigned> addConstant(llvm::StringRef name, mlir::ElementsAttr value,
                                       uint32_t alignment = weights::kMinAlignment);

  unsigned sectionCount() const { return static_cast<unsigned>(sections.size()); }

  /// Writes every section to `path` for `target` (at most 23 characters). The file is written beside
  /// `path` under a temporary name and renamed into place, so a failed write leaves no partial file.
  llvm::Error write(llvm::StringRef path, llvm::StringRef target) const;

private:
  struct Section {
    std::string name;
    llvm::ArrayRef<char> borrowed; // one element if `repeat` > 1
    std::vector<char> owned;       // used instead of `borrowed` when not empty
    uint64_t repeat = 1;           // how many times the bytes are written (splats)
    weights::ElementType type = weights::ElementType::Raw;
    uint32_t alignment = weights::kMinAlignment;

    llvm::ArrayRef<char> bytes() const { return owned.empty() ? borrowed : llvm::ArrayRef<char>(owned); }
    uint64_t size() const { return bytes().size() * repeat; }
  };

  std::vector<Section> sections;
};

} // namespace mote

#endif // MOTE_CODEGEN_WEIGHTSWRITER_H
