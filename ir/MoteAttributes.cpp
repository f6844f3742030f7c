// The `mote` dialect's attributes: the target description's verifier and queries.
#include "ir/MoteDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mote;

#define GET_ATTRDEF_CLASSES
#include "ir/MoteAttributes.cpp.inc"

void MoteDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ir/MoteAttributes.cpp.inc"
      >();
}

LogicalResult TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError, StringRef name,
                                 int64_t maxRank, bool, bool, int64_t fcMaxInputRank, int64_t maxTensorBytes,
                                 StringRef layout, ArrayAttr native, Type activationType,
                                 ArrayAttr weightTypes, int64_t vectorBytes, int64_t fastMemoryBytes,
                                 ArrayAttr fusions, int64_t maxAllocBytes) {
  if (name.empty())
    return emitError() << "target needs a name";
  if (maxRank < 0 || fcMaxInputRank < 0 || maxTensorBytes < 0 || vectorBytes < 0 || fastMemoryBytes < 0 ||
      maxAllocBytes < 0)
    return emitError() << "target '" << name << "': limits must be non-negative (0 means none)";
  if (layout != "NCHW" && layout != "NHWC")
    return emitError() << "target '" << name << "': layout must be \"NCHW\" or \"NHWC\", got \"" << layout
                       << "\"";
  static const char *composites[] = {"group_norm", "layer_norm", "rms_norm", "gelu", "silu", "attention"};
  for (Attribute a : native ? native.getValue() : ArrayRef<Attribute>()) {
    auto n = dyn_cast<StringAttr>(a);
    if (!n || !llvm::is_contained(composites, n.getValue()))
      return emitError() << "target '" << name << "': " << a
                         << " is not a composite op (group_norm, layer_norm, rms_norm, gelu, silu, attention)";
  }
  static const char *fusionKinds[] = {"elementwise", "norm_elementwise", "attention", "linear_epilogue",
                                      "norm_prologue", "norm_prologue_conv", "sibling_matmuls", "rotary",
                                      "linear_epilogue_broadcast", "gated_linear", "group_norm_conv", "upsample_conv"};
  for (Attribute a : fusions ? fusions.getValue() : ArrayRef<Attribute>()) {
    auto n = dyn_cast<StringAttr>(a);
    if (!n || !llvm::is_contained(fusionKinds, n.getValue()))
      return emitError() << "target '" << name << "': " << a << " is not a kind of fused region ("
                         << llvm::join(std::begin(fusionKinds), std::end(fusionKinds), ", ") << ")";
  }
  for (Attribute a : weightTypes ? weightTypes.getValue() : ArrayRef<Attribute>())
    if (!isa<TypeAttr>(a))
      return emitError() << "target '" << name << "': weight_types must list types, got " << a;
  if (!activationType || !(activationType.isF32() || activationType.isF16() || activationType.isInteger(8)))
    return emitError() << "target '" << name << "': activation_type must be f32, f16 or i8";
  return success();
}

bool TargetAttr::canFuse(StringRef kind) const {
  return getFusions() &&
         llvm::any_of(getFusions(), [&](Attribute a) { return cast<StringAttr>(a).getValue() == kind; });
}

bool TargetAttr::isNative(StringRef name) const {
  if (!getNative())
    return false;
  return llvm::any_of(getNative(), [&](Attribute a) { return cast<StringAttr>(a).getValue() == name; });
}
