// Checks of the sizes and offsets a planned function records (PlannedSizes.h).
#include "codegen/PlannedSizes.h"

#include "codegen/KernelChoice.h"
#include "codegen/PlanFunction.h"
#include "codegen/ShapeArithmetic.h"
#include "ir/ShapeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace mote::codegen {

namespace {

/// Bytes of a value of `type` as the runtime stores it, or nullopt for a type no size can be given.
std::optional<int64_t> storedBytes(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape() || !ranked.getElementType().isIntOrFloat())
    return std::nullopt;
  std::optional<int64_t> elements = checkedNumElements(ranked.getShape());
  if (!elements)
    return std::nullopt;
  return *elements * elementBytes(ranked.getElementType());
}

/// Whether [offset, offset + bytes) lies inside [0, limit), without overflow.
bool inside(int64_t offset, int64_t bytes, int64_t limit) {
  return offset >= 0 && bytes >= 0 && offset <= limit && bytes <= limit - offset;
}

} // namespace

LogicalResult verifyPlannedSizes(func::FuncOp func) {
  auto arenaAttr = func->getAttrOfType<IntegerAttr>(kArenaBytesAttrName);
  if (!arenaAttr)
    return func.emitError("the function has no ") << kArenaBytesAttrName << " (it is not planned)";
  int64_t arena = arenaAttr.getInt();
  if (arena < 0 || arena > kMaxActivationBytes)
    return func.emitError() << kArenaBytesAttrName << " = " << arena << " is outside [0, 2^46]";
  auto packedAttr = func->getAttrOfType<IntegerAttr>(kPackedTotalAttrName);
  int64_t packedTotal = packedAttr ? packedAttr.getInt() : 0;
  if (packedTotal < 0)
    return func.emitError() << kPackedTotalAttrName << " = " << packedTotal << " is negative";

  for (auto [k, type] : llvm::enumerate(func.getArgumentTypes()))
    if (!storedBytes(type))
      return func.emitError() << "argument " << k << " has type " << type
                              << ", which has no static size of at most 2^40 elements";
  for (auto [k, type] : llvm::enumerate(func.getResultTypes()))
    if (!storedBytes(type))
      return func.emitError() << "result " << k << " has type " << type
                              << ", which has no static size of at most 2^40 elements";

  auto checkOffset = [&](Operation *op, Value value, int64_t offset) -> LogicalResult {
    std::optional<int64_t> bytes = storedBytes(value.getType());
    if (!bytes)
      return op->emitError() << "planned value of type " << value.getType()
                             << " has no static size of at most 2^40 elements";
    if (!inside(offset, *bytes, arena))
      return op->emitError() << "planned at offset " << offset << " with " << *bytes
                             << " bytes, outside the arena of " << arena << " bytes";
    return success();
  };
  WalkResult walk = func.walk([&](Operation *op) -> WalkResult {
    if (auto offset = op->getAttrOfType<IntegerAttr>(kOffsetAttrName)) {
      if (op->getNumResults() != 1)
        return op->emitError() << kOffsetAttrName << " on an op with " << op->getNumResults() << " results";
      if (failed(checkOffset(op, op->getResult(0), offset.getInt())))
        return WalkResult::interrupt();
    }
    if (auto offsets = op->getAttrOfType<DenseI64ArrayAttr>(kOffsetsAttrName)) {
      if (offsets.size() != static_cast<int64_t>(op->getNumResults()))
        return op->emitError() << kOffsetsAttrName << " has " << offsets.size() << " offsets for "
                               << op->getNumResults() << " results";
      for (auto [result, offset] : llvm::zip(op->getResults(), offsets.asArrayRef()))
        if (offset >= 0 && failed(checkOffset(op, result, offset)))
          return WalkResult::interrupt();
    }
    if (auto output = op->getAttrOfType<IntegerAttr>(kOutputAttrName)) {
      int64_t k = output.getInt();
      // The op's result is the output's bytes (the output itself, or a view of it of another shape).
      if (op->getNumResults() != 1 || k < 0 || k >= static_cast<int64_t>(func.getNumResults()) ||
          storedBytes(func.getResultTypes()[k]) != storedBytes(op->getResult(0).getType()))
        return op->emitError() << kOutputAttrName << " = " << k
                               << " does not name a function result of this op's size";
    }
    if (auto offset = op->getAttrOfType<IntegerAttr>(kPackedOffsetAttrName)) {
      auto bytes = op->getAttrOfType<IntegerAttr>(kPackedBytesAttrName);
      if (!bytes || !inside(offset.getInt(), bytes.getInt(), packedTotal))
        return op->emitError() << "packed weights at offset " << offset.getInt() << " with "
                               << (bytes ? bytes.getInt() : -1) << " bytes lie outside the "
                               << packedTotal << " packed bytes";
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

} // namespace mote::codegen
