// The raw elements of a constant attribute, whichever storage it has (dense, splat, or a resource blob):
// for the importer's contrib operators and the passes that rewrite weights.
#ifndef MOTE_IR_CONSTANTBYTES_H
#define MOTE_IR_CONSTANTBYTES_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"

#include <optional>
#include <vector>

namespace mote {

/// The bytes of a constant's elements in row-major order (a splat expanded), `elementSize` bytes each, or
/// nullopt when they are not at hand (a resource without its blob).
std::optional<std::vector<char>> constantBytes(mlir::ElementsAttr value, size_t elementSize);

} // namespace mote

#endif // MOTE_IR_CONSTANTBYTES_H
