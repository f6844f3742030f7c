// See KernelSelection.h. The Hexagon program computes in integers only: its inputs are the int8 (w8a16: int16)
// tensors the model's mote.quantize_activation ops make of its float inputs (token ids and a timestep the
// sinusoid reads come as they are), its outputs the tensors mote.dequantize_activation ops turn into float
// results; the caller converts on its side with the scales NAME.h gives. Every op in between must be one of the
// integer pipeline's.
#include "targets/hexagon/KernelSelection.h"

#include "codegen/KernelChoice.h"
#include "ir/MoteDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;

namespace mote::hexagon {
namespace {

/// "i8" or "i16" for int8 or int16 activations (w8a8 / w8a16), else empty.
StringRef width(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (t && t.getElementType().isSignlessInteger(8))
    return "i8";
  if (t && t.getElementType().isSignlessInteger(16))
    return "i16";
  return "";
}

FailureOr<KernelChoice> select(Operation *op) {
  auto kernel = [](const Twine &name) { return KernelChoice{name.str()}; };
  auto refuse = [&](const Twine &why) -> FailureOr<KernelChoice> {
    return op->emitError("hexagon: ") << op->getName() << " " << why;
  };
  if (auto q = dyn_cast<QuantizeActivationOp>(op)) {
    if (!isa<BlockArgument>(q.getInput()))
      return refuse("quantizes a value computed in float inside the model; the program computes in integers only "
                    "(its integer form is missing: see the ops before it)");
    return kernel("input_" + width(q.getResult()));
  }
  if (auto d = dyn_cast<DequantizeActivationOp>(op)) {
    if (!llvm::all_of(d->getUsers(), [](Operation *u) { return isa<func::ReturnOp>(u); }))
      return refuse("hands an integer value to a float op; the program computes in integers only (that op has no "
                    "integer form yet)");
    return kernel("output_" + width(d.getInput()));
  }
  // The integer pipeline's ops: one kernel per activation width.
  const StringRef w = op->getNumResults() == 1 ? width(op->getResult(0)) : StringRef();
  if (auto c = dyn_cast<IntegerConvOp>(op))
    return kernel(c.getGroup() == 1 ? "conv_" + w + "_hvx_vrmpy" : "conv_grouped_" + w);
  if (isa<IntegerMatMulOp>(op))
    return kernel("gemm_" + w + "_hvx_vrmpy");
  if (isa<IntegerAddOp>(op))
    return kernel("add_" + w);
  if (isa<IntegerTableOp>(op))
    return kernel("table_" + w);
  if (isa<IntegerMulOp>(op))
    return kernel("mul_" + w);
  if (isa<IntegerSinusoidOp>(op))
    return kernel("sinusoid_" + w);
  if (isa<IntegerNormOp>(op))
    return kernel("norm_" + w);
  if (isa<IntegerAttentionOp>(op)) // int8 dot products on vrmpy (runtime/hexagon/Attention.c)
    return kernel(w == "i8" ? "attention_i8_hvx_vrmpy" : "attention_" + w);
  auto isInt64 = [](Value v) { return cast<RankedTensorType>(v.getType()).getElementType().isInteger(64); };
  if (isa<ArgMaxOp>(op) && isInt64(op->getOperand(0)))
    return kernel("argmax_i64");
  if (isa<AddOp>(op) && isInt64(op->getResult(0)) && op->getOperand(0).getType() == op->getOperand(1).getType())
    return kernel("add_i64");
  if (auto g = dyn_cast<GatherOp>(op); g && !w.empty()) {
    if (!cast<RankedTensorType>(g.getIndices().getType()).getElementType().isInteger(64))
      return refuse("gathers by int32 indices; the kernel reads int64 indices");
    return kernel("gather_" + w);
  }
  if (isa<TransposeOp, SliceOp, SplitOp, ExpandOp>(op) && !width(op->getOperand(0)).empty())
    return kernel("copy_strided_" + width(op->getOperand(0)));
  if (isa<ReshapeOp>(op) && !w.empty())
    return kernel("copy_" + w);
  if (isa<ConcatOp>(op) && !w.empty())
    return kernel("copy_strided_" + w);
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
