// See KernelSelection.h. The Hexagon program computes in integers only: its inputs are the int8 tensors the
// model's mote.quantize_activation ops make of its float inputs (integer inputs, token ids, come as they are),
// its outputs the int8 tensors mote.dequantize_activation ops turn into float results; the caller converts on its side with the scales NAME.h gives. Every op in between
// must be one of the integer pipeline's.
#include "targets/hexagon/KernelSelection.h"

#include "codegen/KernelChoice.h"
#include "ir/MoteDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;

namespace mote::hexagon {
namespace {

bool isInt8(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.getElementType().isSignlessInteger(8);
}

FailureOr<KernelChoice> select(Operation *op) {
  auto kernel = [](StringRef name) { return KernelChoice{name.str()}; };
  auto refuse = [&](const Twine &why) -> FailureOr<KernelChoice> {
    return op->emitError("hexagon: ") << op->getName() << " " << why;
  };
  auto isInt16 = [](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && t.getElementType().isSignlessInteger(16);
  };
  if (llvm::any_of(op->getOperands(), isInt16) || llvm::any_of(op->getResults(), isInt16))
    return refuse("holds int16 activations (--quantize=w8a16): the Hexagon kernels for them (beyond the HVX "
                  "convolution's sums) are not written yet; --quantize=w8a8 runs");
  if (auto q = dyn_cast<QuantizeActivationOp>(op)) {
    if (!isa<BlockArgument>(q.getInput()))
      return refuse("quantizes a value computed in float inside the model; the program computes in integers only "
                    "(its integer form is missing: see the ops before it)");
    return kernel("input_i8");
  }
  if (auto d = dyn_cast<DequantizeActivationOp>(op)) {
    if (!llvm::all_of(d->getUsers(), [](Operation *u) { return isa<func::ReturnOp>(u); }))
      return refuse("hands an int8 value to a float op; the program computes in integers only (that op has no "
                    "integer form yet)");
    return kernel("output_i8");
  }
  if (auto c = dyn_cast<IntegerConvOp>(op))
    return kernel(c.getGroup() == 1 ? "conv_i8_hvx_vrmpy" : "conv_grouped_i8");
  if (isa<IntegerMatMulOp>(op))
    return kernel("gemm_i8_hvx_vrmpy");
  if (isa<IntegerAddOp>(op))
    return kernel("add_i8");
  if (isa<IntegerTableOp>(op))
    return kernel("table_i8");
  if (isa<IntegerMulOp>(op))
    return kernel("mul_i8");
  if (isa<IntegerSinusoidOp>(op))
    return kernel("sinusoid_i8");
  if (isa<IntegerNormOp>(op))
    return kernel("norm_i8");
  if (isa<IntegerAttentionOp>(op))
    return kernel("attention_i8");
  auto isInt64 = [](Value v) { return cast<RankedTensorType>(v.getType()).getElementType().isInteger(64); };
  if (isa<ArgMaxOp>(op) && isInt64(op->getOperand(0)))
    return kernel("argmax_i64");
  if (isa<AddOp>(op) && isInt64(op->getResult(0)) && op->getOperand(0).getType() == op->getOperand(1).getType())
    return kernel("add_i64");
  if (auto g = dyn_cast<GatherOp>(op); g && isInt8(g.getResult())) {
    if (!cast<RankedTensorType>(g.getIndices().getType()).getElementType().isInteger(64))
      return refuse("gathers by int32 indices; the kernel reads int64 indices");
    return kernel("gather_i8");
  }
  if (isa<TransposeOp, SliceOp, SplitOp, ExpandOp>(op) && isInt8(op->getOperand(0)))
    return kernel("copy_strided_i8");
  if (isa<ReshapeOp>(op) && isInt8(op->getOperand(0)))
    return kernel("copy_i8");
  if (isa<ConcatOp>(op) && isInt8(op->getResult(0)))
    return kernel("copy_strided_i8");
  return refuse("has no Hexagon kernel: the program computes in integers only, and this op is not in the integer "
                "pipeline (compile with --quantize=w8a8 --calibration=DIR; ops the integer pipeline does not cover "
                "yet stay float)");
}

struct SelectKernelsPass : PassWrapper<SelectKernelsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SelectKernelsPass)
  StringRef getArgument() const override { return "mote-hexagon-select-kernels"; }
  StringRef getDescription() const override {
    return "Record the HVX kernel of every op of the integer pipeline (mote.kernel); refuse anything else";
  }
  void runOnOperation() override {
    if (failed(selectKernels(getOperation(), select)))
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> createSelectKernelsPass() { return std::make_unique<SelectKernelsPass>(); }
void registerSelectKernelsPass() { PassRegistration<SelectKernelsPass>(); }

} // namespace mote::hexagon
