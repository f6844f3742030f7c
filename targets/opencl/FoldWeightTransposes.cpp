// mote-opencl-fold-weight-transposes (see KernelSelection.h): transpose(constant) becomes the transposed
// constant, so the emitter writes weights as the kernels read them.
#include "targets/opencl/KernelSelection.h"

#include "codegen/ShapeArithmetic.h"
#include "ir/ConstantBytes.h"
#include "ir/MoteDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

namespace mote {
namespace opencl {
namespace {

/// The constant `t` computes (its input's bytes permuted), or failure when the input's bytes are not at hand.
LogicalResult fold(TransposeOp t) {
  auto constant = t.getInput().getDefiningOp<ConstantOp>();
  auto inType = cast<RankedTensorType>(t.getInput().getType());
  Type element = inType.getElementType();
  if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
    return failure();
  size_t size = element.getIntOrFloatBitWidth() / 8;
  std::optional<std::vector<char>> in = constantBytes(cast<ElementsAttr>(constant.getValue()), size);
  if (!in)
    return failure();
  codegen::StridedCopy copy = codegen::transposeCopy(t);
  std::vector<char> out(in->size());
  const int64_t n = t.getType().getNumElements(), rank = static_cast<int64_t>(copy.shape.size());
  for (int64_t i = 0; i < n; ++i) {
    int64_t rest = i, from = copy.inOffset, to = copy.outOffset;
    for (int64_t d = rank - 1; d >= 0; --d) {
      int64_t index = rest % copy.shape[d];
      rest /= copy.shape[d];
      from += index * copy.inStrides[d];
      to += index * copy.outStrides[d];
    }
    std::copy_n(in->data() + from * size, size, out.data() + to * size);
  }
  OpBuilder b(t);
  ElementsAttr value = DenseResourceElementsAttr::get(
      t.getType(), "transposed_weight", HeapAsmResourceBlob::allocateAndCopyWithAlign(ArrayRef<char>(out), 64));
  auto folded = ConstantOp::create(b, t.getLoc(), value);
  t.getResult().replaceAllUsesWith(folded.getResult());
  t.erase();
  if (constant->use_empty())
    constant.erase();
  return success();
}

struct FoldWeightTransposesPass : public PassWrapper<FoldWeightTransposesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(FoldWeightTransposesPass)

  StringRef getArgument() const override { return "mote-opencl-fold-weight-transposes"; }
  StringRef getDescription() const override {
    return "Fold each transpose of a constant into the transposed constant (weights written as read)";
  }

  void runOnOperation() override {
    SmallVector<TransposeOp> transposes;
    getOperation().walk([&](TransposeOp t) {
      if (t.getInput().getDefiningOp<ConstantOp>())
        transposes.push_back(t);
    });
    for (TransposeOp t : transposes)
      if (failed(fold(t))) {
        t.emitError("opencl: cannot read the elements of the constant this transpose reads");
        return signalPassFailure();
      }
  }
};

} // namespace

std::unique_ptr<Pass> createFoldWeightTransposesPass() { return std::make_unique<FoldWeightTransposesPass>(); }
void registerFoldWeightTransposesPass() { PassRegistration<FoldWeightTransposesPass>(); }

} // namespace opencl
} // namespace mote
