// Where the values of a planned function live (see ValueStorage.h).
#include "codegen/ValueStorage.h"

#include "codegen/PlanFunction.h"
#include "codegen/ShapeArithmetic.h"
#include "codegen/WeightValues.h"
#include "ir/MoteDialect.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace mote {
namespace codegen {

FailureOr<ActivationStorage> activationStorage(Value v, StringRef emitter) {
  Value stored = v;
  while (auto reshape = stored.getDefiningOp<ReshapeOp>()) {
    if (reshape->hasAttr(kOffsetAttrName) || reshape->hasAttr(kOutputAttrName))
      break;
    stored = reshape.getInput();
  }
  if (auto arg = dyn_cast<BlockArgument>(stored)) // the app's input buffer, read in place
    return ActivationStorage{ActivationStorage::Kind::Input, arg.getArgNumber()};
  Operation *def = stored.getDefiningOp();
  if (auto output = def->getAttrOfType<IntegerAttr>(kOutputAttrName)) // computed into the app's output
    return ActivationStorage{ActivationStorage::Kind::Output, output.getInt()};
  int64_t offset = -1;
  if (def->getNumResults() == 1) {
    if (auto attr = def->getAttrOfType<IntegerAttr>(kOffsetAttrName))
      offset = attr.getInt();
  } else if (auto attr = def->getAttrOfType<DenseI64ArrayAttr>(kOffsetsAttrName)) {
    offset = attr[cast<OpResult>(stored).getResultNumber()];
  }
  if (offset < 0)
    return def->emitError(emitter) << ": value has no arena offset (is the function planned?)";
  return ActivationStorage{ActivationStorage::Kind::Arena, offset};
}

FailureOr<unsigned> WeightSections::section(Value v) {
  if (auto it = sections.find(v); it != sections.end())
    return it->second;
  Operation *op = v.getDefiningOp();
  std::string name = "c" + std::to_string(bytes.size());
  unsigned index;
  if (auto reshape = dyn_cast<ReshapeOp>(op)) {
    FailureOr<unsigned> viewed = section(reshape.getInput()); // same bytes
    if (failed(viewed))
      return failure();
    index = *viewed;
  } else if (isa<DequantizeOp>(op)) {
    return op->emitError(emitter) << ": an int8 weight read as float by a kernel that does not widen it";
  } else if (auto conversion = dyn_cast<CastOp>(op)) {
    // The storage-type conversion of a constant, applied while writing.
    ConstantOp constant = weightConstant(conversion.getInput());
    std::optional<std::vector<char>> half =
        constant && elementTypeOf(conversion.getInput()).isF32() && elementTypeOf(v).isF16()
            ? halfBytes(constant.getValue())
            : std::nullopt;
    if (!half)
      return op->emitError(emitter) << ": only f32 constants can be stored as f16";
    bytes.push_back(half->size());
    index = writer.addOwnedSection(name, std::move(*half), weights::ElementType::F16);
  } else if (elementTypeOf(v).isSignlessInteger(4)) {
    // int4 (w4 weights): two a byte, the even element in the low nibble (weights::ElementType::I4).
    auto dense = dyn_cast<DenseElementsAttr>(cast<ConstantOp>(op).getValue());
    if (!dense)
      return op->emitError(emitter) << ": an int4 constant must be dense";
    std::vector<char> packed((static_cast<size_t>(dense.getNumElements()) + 1) / 2, 0);
    size_t e = 0;
    for (APInt x : dense.getValues<APInt>()) {
      packed[e / 2] = static_cast<char>(static_cast<unsigned char>(packed[e / 2]) |
                                        ((x.getZExtValue() & 15u) << (e % 2 ? 4 : 0)));
      ++e;
    }
    bytes.push_back(packed.size());
    index = writer.addOwnedSection(name, std::move(packed), weights::ElementType::I4);
  } else if (auto constant = dyn_cast<ConstantOp>(op)) {
    auto added = writer.addConstant(name, constant.getValue());
    if (!added)
      return op->emitError(emitter) << ": " << llvm::toString(added.takeError());
    index = *added;
    bytes.push_back(static_cast<uint64_t>(elementCount(v) * elementBytes(elementTypeOf(v))));
  } else {
    return op->emitError(emitter) << ": a weight that cannot be stored ('" << op->getName() << "')";
  }
  sections[v] = index;
  return index;
}

LogicalResult WeightSections::write(Operation *at, StringRef path, StringRef target) const {
  if (llvm::Error err = writer.write(path, target))
    return at->emitError(emitter) << ": writing '" << path << "': " << llvm::toString(std::move(err));
  return success();
}

} // namespace codegen
} // namespace mote
