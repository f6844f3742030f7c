// What a target can and cannot do: the struct and the `#mote.target` attribute.
#include "targets/TargetDescription.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;

namespace mote {

static Type parseElementType(MLIRContext *ctx, StringRef name) {
  Builder b(ctx);
  if (name == "f32")
    return b.getF32Type();
  if (name == "f16")
    return b.getF16Type();
  if (name == "i8")
    return b.getI8Type();
  if (name == "i4")
    return b.getIntegerType(4);
  return {};
}

TargetAttr TargetDescription::toAttr(MLIRContext *ctx, Location loc) const {
  Builder b(ctx);
  SmallVector<Attribute> nativeAttrs, weightAttrs, fusionAttrs;
  for (const std::string &n : native)
    nativeAttrs.push_back(b.getStringAttr(n));
  for (const std::string &f : fusions)
    fusionAttrs.push_back(b.getStringAttr(f));
  for (const std::string &w : weightTypes) {
    Type t = parseElementType(ctx, w);
    if (!t) {
      emitError(loc) << "target '" << name << "': weight type '" << w << "' is not one of i8, i4, f16, f32";
      return {};
    }
    weightAttrs.push_back(TypeAttr::get(t));
  }
  Type activation = parseElementType(ctx, activationType);
  if (!activation) {
    emitError(loc) << "target '" << name << "': activation type '" << activationType
                   << "' is not one of f32, f16, i8";
    return {};
  }
  ArrayAttr nativeArray = b.getArrayAttr(nativeAttrs), weightArray = b.getArrayAttr(weightAttrs);
  ArrayAttr fusionArray = fusionAttrs.empty() ? ArrayAttr() : b.getArrayAttr(fusionAttrs);
  if (failed(TargetAttr::verify([&] { return emitError(loc); }, name, maxRank, implicitBroadcast,
                                explicitBroadcast, fcMaxInputRank, maxTensorBytes, layout, nativeArray,
                                activation, weightArray, vectorBytes, fastMemoryBytes, fusionArray,
                                maxAllocBytes)))
    return {};
  return TargetAttr::get(ctx, name, maxRank, implicitBroadcast, explicitBroadcast, fcMaxInputRank,
                         maxTensorBytes, layout, nativeArray, activation, weightArray, vectorBytes,
                         fastMemoryBytes, fusionArray, maxAllocBytes);
}

} // namespace mote
