// What an operator handler sees of the ONNX node it imports.
#include "frontend/NodeContext.h"
#include "ir/ConstantBytes.h"
#include "ir/ShapeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;

namespace mote {

RankedTensorType NodeContext::inputType(size_t i) const {
  Value v = input(i);
  return v ? cast<RankedTensorType>(v.getType()) : RankedTensorType();
}

FailureOr<Value> NodeContext::required(size_t i) {
  if (Value v = input(i))
    return v;
  return error() << "input " << i << " is required but missing";
}

const onnx::AttributeProto *NodeContext::attr(llvm::StringRef name) const {
  for (const auto &a : node_.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeContext::getInt(llvm::StringRef name, int64_t fallback) const {
  const auto *a = attr(name);
  return a ? a->i() : fallback;
}

float NodeContext::getFloat(llvm::StringRef name, float fallback) const {
  const auto *a = attr(name);
  return a ? a->f() : fallback;
}

std::string NodeContext::getString(llvm::StringRef name, llvm::StringRef fallback) const {
  const auto *a = attr(name);
  return a ? a->s() : fallback.str();
}

std::optional<SmallVector<int64_t>> NodeContext::getInts(llvm::StringRef name) const {
  const auto *a = attr(name);
  if (!a)
    return std::nullopt;
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

std::optional<SmallVector<float>> NodeContext::getFloats(llvm::StringRef name) const {
  const auto *a = attr(name);
  if (!a)
    return std::nullopt;
  return SmallVector<float>(a->floats().begin(), a->floats().end());
}

FailureOr<int64_t> NodeContext::axisAttribute(int64_t fallback, RankedTensorType type) {
  int64_t given = getInt("axis", fallback);
  if (auto axis = normalizeAxis(given, type.getRank()))
    return *axis;
  return error() << "axis " << given << " is out of range for " << type;
}

DenseElementsAttr NodeContext::constantElements(Value v) const {
  if (!v)
    return {};
  if (auto c = v.getDefiningOp<ConstantOp>())
    return dyn_cast<DenseElementsAttr>(c.getValue());
  if (inputValues_) {
    auto it = inputValues_->find(v);
    if (it != inputValues_->end())
      return it->second;
  }
  return {};
}

FailureOr<SmallVector<int64_t>> NodeContext::constantInts(size_t i, llvm::StringRef what) {
  auto dense = constantElements(input(i));
  if (!dense || !isa<IntegerType>(dense.getElementType()))
    return error() << "input '" << what
                   << "' must be an integer tensor known at compile time (it depends on "
                      "data, or its shape sub-graph did not fold)";
  SmallVector<int64_t> values;
  for (APInt v : dense.getValues<APInt>())
    values.push_back(v.getBitWidth() == 1 ? v.getZExtValue() : v.getSExtValue());
  return values;
}

FailureOr<std::vector<char>> NodeContext::constantBytes(size_t i, llvm::StringRef what, size_t elementSize) {
  ElementsAttr attr;
  if (Value v = input(i))
    if (auto c = v.getDefiningOp<ConstantOp>())
      attr = c.getValue();
  if (!attr)
    if (DenseElementsAttr dense = constantElements(input(i)))
      attr = dense;
  // A splat (ConstantOfShape) is a few bytes in the file: expanding a huge one is no weight, only memory.
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
      dense && dense.isSplat() && dense.getNumElements() > static_cast<int64_t>(kMaxExpandedSplatBytes / elementSize))
    return error() << "input '" << what << "' is one value repeated " << dense.getNumElements()
                   << " times: not a weight";
  std::optional<std::vector<char>> bytes = attr ? mote::constantBytes(attr, elementSize) : std::nullopt;
  if (!bytes)
    return error() << "input '" << what << "' must be an initializer (a constant)";
  return std::move(*bytes);
}

FailureOr<SmallVector<double>> NodeContext::constantFloats(size_t i, llvm::StringRef what) {
  auto dense = constantElements(input(i));
  if (!dense)
    return error() << "input '" << what << "' must be known at compile time";
  SmallVector<double> values;
  if (isa<FloatType>(dense.getElementType())) {
    for (APFloat f : dense.getValues<APFloat>()) {
      bool lost;
      f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(f.convertToDouble());
    }
  } else {
    for (APInt v : dense.getValues<APInt>())
      values.push_back(static_cast<double>(v.getSExtValue()));
  }
  return values;
}

FailureOr<SmallVector<Value>> NodeContext::buildOp(llvm::StringRef name, ValueRange operands,
                                                   ArrayRef<NamedAttribute> attrs,
                                                   TypeRange resultTypes, size_t numResults) {
  OperationState state(loc_, name);
  state.addOperands(operands);
  state.addAttributes(attrs);
  // Results get placeholder types until the op has inferred them from its operands and attributes.
  if (!resultTypes.empty())
    state.addTypes(resultTypes);
  else
    state.addTypes(SmallVector<Type>(numResults, NoneType::get(context())));
  Operation *op = builder_.create(state);
  if (resultTypes.empty()) {
    auto infer = dyn_cast<InferTypeOpInterface>(op);
    assert(infer && "op built without result types must infer them");
    SmallVector<Type> inferred;
    if (failed(infer.inferReturnTypes(context(), loc_, op->getOperands(), op->getRawDictionaryAttrs(),
                                      op->getPropertiesStorage(), op->getRegions(), inferred)) ||
        inferred.size() != op->getNumResults()) {
      op->erase();
      return failure();
    }
    for (auto [result, type] : llvm::zip(op->getResults(), inferred))
      result.setType(type);
  }
  if (failed(mlir::verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    return failure();
  }
  SmallVector<Value> folded;
  if (succeeded(builder_.tryFold(op, folded)) && !folded.empty()) {
    op->erase();
    return folded;
  }
  return SmallVector<Value>(op->getResults());
}

Value NodeContext::constant(ElementsAttr value) { return ConstantOp::create(builder_, loc_, value); }

FailureOr<Value> NodeContext::reshape(Value value, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return buildTyped<ReshapeOp>(type.clone(shape), value);
}

NamedAttribute NodeContext::named(llvm::StringRef name, Attribute value) {
  return builder_.getNamedAttr(name, value);
}
NamedAttribute NodeContext::namedI64(llvm::StringRef name, int64_t value) {
  return named(name, builder_.getI64IntegerAttr(value));
}
NamedAttribute NodeContext::namedF32(llvm::StringRef name, float value) {
  return named(name, builder_.getF32FloatAttr(value));
}
NamedAttribute NodeContext::namedBool(llvm::StringRef name, bool value) {
  return named(name, builder_.getBoolAttr(value));
}
NamedAttribute NodeContext::namedI64Array(llvm::StringRef name, ArrayRef<int64_t> value) {
  return named(name, builder_.getDenseI64ArrayAttr(value));
}
NamedAttribute NodeContext::namedString(llvm::StringRef name, llvm::StringRef value) {
  return named(name, builder_.getStringAttr(value));
}

LogicalResult NodeContext::setResults(ArrayRef<Value> values) {
  for (int i = static_cast<int>(values.size()); i < node_.output_size(); ++i)
    if (!node_.output(i).empty())
      return error() << "output " << i << " ('" << node_.output(i) << "') is not supported";
  // A null value stands for an output the node leaves unnamed (a statistic an inference export skips).
  for (auto [i, v] : llvm::enumerate(values))
    if (!v && static_cast<int>(i) < node_.output_size() && !node_.output(i).empty())
      return error() << "output " << i << " ('" << node_.output(i) << "') is not supported";
  // No result may have more elements than one tensor may (its count would overflow what the compiler
  // computes from it), even one that folds away later.
  for (auto [i, v] : llvm::enumerate(values))
    if (auto type = v ? dyn_cast<RankedTensorType>(v.getType()) : RankedTensorType(); type && type.hasStaticShape() &&
                                                              !checkedNumElements(type.getShape()))
      return error() << "output " << i << " would be " << type << ", more than 2^40 elements";
  results_.assign(values.begin(), values.end());
  return success();
}

} // namespace mote
