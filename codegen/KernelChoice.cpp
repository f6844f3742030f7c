// Kernel choices as attributes of the planned phase (see KernelChoice.h).
#include "codegen/KernelChoice.h"

#include "codegen/MemoryPlanner.h"
#include "codegen/WeightValues.h"

#include "mlir/IR/Builders.h"

using namespace mlir;

namespace mote {

void recordKernel(Operation *op, const KernelChoice &choice) {
  Builder b(op->getContext());
  op->setAttr(kKernelAttrName, b.getStringAttr(choice.kernel));
  if (choice.widens)
    op->setAttr(kKernelWidensAttrName, b.getUnitAttr());
  else
    op->removeAttr(kKernelWidensAttrName);
  if (!choice.packedLayout.empty()) {
    op->setAttr(kPackedLayoutAttrName, b.getStringAttr(choice.packedLayout));
    op->setAttr(kPackedBytesAttrName, b.getI64IntegerAttr(choice.packedBytes));
    if (choice.packedOperand != 1)
      op->setAttr(kPackedOperandAttrName, b.getI64IntegerAttr(choice.packedOperand));
    else
      op->removeAttr(kPackedOperandAttrName);
  } else {
    op->removeAttr(kPackedLayoutAttrName);
    op->removeAttr(kPackedBytesAttrName);
    op->removeAttr(kPackedOffsetAttrName);
    op->removeAttr(kPackedOperandAttrName);
  }
}

std::optional<KernelChoice> recordedKernel(Operation *op) {
  auto kernel = op->getAttrOfType<StringAttr>(kKernelAttrName);
  if (!kernel)
    return std::nullopt;
  KernelChoice choice;
  choice.kernel = kernel.getValue().str();
  choice.widens = op->hasAttr(kKernelWidensAttrName);
  if (auto layout = op->getAttrOfType<StringAttr>(kPackedLayoutAttrName)) {
    choice.packedLayout = layout.getValue().str();
    if (auto bytes = op->getAttrOfType<IntegerAttr>(kPackedBytesAttrName))
      choice.packedBytes = bytes.getInt();
    if (auto operand = op->getAttrOfType<IntegerAttr>(kPackedOperandAttrName))
      choice.packedOperand = static_cast<unsigned>(operand.getInt());
  }
  return choice;
}

int64_t packedOffset(Operation *op) {
  auto offset = op->getAttrOfType<IntegerAttr>(kPackedOffsetAttrName);
  return offset ? offset.getInt() : -1;
}

void assignPackedOffsets(func::FuncOp func) {
  Builder b(func.getContext());
  int64_t total = 0;
  func.walk([&](Operation *op) {
    auto bytes = op->getAttrOfType<IntegerAttr>(kPackedBytesAttrName);
    if (!bytes)
      return;
    op->setAttr(kPackedOffsetAttrName, b.getI64IntegerAttr(total));
    total += alignBytes(bytes.getInt(), 64);
  });
  func->setAttr(kPackedTotalAttrName, b.getI64IntegerAttr(total));
}

LogicalResult selectKernels(ModuleOp module, function_ref<FailureOr<KernelChoice>(Operation *)> select) {
  for (func::FuncOp func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    for (Operation &op : func.getBody().front()) {
      if (isa<func::ReturnOp>(op) || codegen::isWeightOp(&op))
        continue;
      FailureOr<KernelChoice> choice = select(&op);
      if (failed(choice))
        return failure();
      recordKernel(&op, *choice);
    }
    assignPackedOffsets(func);
  }
  return success();
}

} // namespace mote
