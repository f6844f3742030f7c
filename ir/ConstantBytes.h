// The raw elements of a constant attribute, whichever storage it has (dense, splat, or a resource blob), and
// int4 constants built from bytes: for the importer's contrib operators and the passes that rewrite weights.
#ifndef MOTE_IR_CONSTANTBYTES_H
#define MOTE_IR_CONSTANTBYTES_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mote {

/// The bytes of a constant's elements in row-major order (a splat expanded), `elementSize` bytes each, or
/// nullopt when they are not at hand (a resource without its blob).
std::optional<std::vector<char>> constantBytes(mlir::ElementsAttr value, size_t elementSize);

/// An i4 constant of `type` holding `values` (each in [-8, 7]), built from one byte per element as MLIR stores
/// i4 (an APInt per element would take 16 times the memory of a multi-gigabyte model's int4 weights).
mlir::DenseElementsAttr int4Elements(mlir::RankedTensorType type, llvm::ArrayRef<int8_t> values);

} // namespace mote

#endif // MOTE_IR_CONSTANTBYTES_H
