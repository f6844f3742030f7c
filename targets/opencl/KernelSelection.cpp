// The OpenCL target's kernel selection (see KernelSelection.h).
#include "targets/opencl/KernelSelection.h"

#include "codegen/ShapeArithmetic.h"
#include "codegen/WeightValues.h"
#include "ir/MoteDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace opencl {
namespace {

KernelChoice plain(StringRef kernel) { return KernelChoice{kernel.str()}; }

/// The storage type of `op`'s float tensors when they all share one (f32 or f16), else null. A group norm's
/// statistics, f32 in every storage, do not count.
Type floatStorage(Operation *op) {
  Type storage;
  for (Value v : llvm::concat<Value>(op->getOperands(), op->getResults())) {
    if (isGroupNormStatistics(v))
      continue;
    Type t = elementTypeOf(v);
    if (!isa<FloatType>(t))
      continue;
    if (!t.isF32() && !t.isF16())
      return {};
    if (storage && storage != t)
      return {};
    storage = t;
  }
  return storage;
}

/// `kernel`, when every float tensor of `op` has the storage type and `op` has no others.
FailureOr<KernelChoice> floatKernel(Operation *op, StringRef kernel) {
  if (!floatStorage(op))
    return failure();
  for (Value v : llvm::concat<Value>(op->getOperands(), op->getResults()))
    if (!isa<FloatType>(elementTypeOf(v)))
      return failure();
  return plain(kernel);
}

FailureOr<KernelChoice> select(Operation *op) {
  return TypeSwitch<Operation *, FailureOr<KernelChoice>>(op)
      .Case([](ReshapeOp) { return plain("view"); })
      .Case([](CastOp c) -> FailureOr<KernelChoice> {
        Type from = elementTypeOf(c.getInput()), to = elementTypeOf(c.getResult());
        if (from.isF32() && to.isF16())
          return plain("cast_f32_to_store");
        if (from.isF16() && to.isF32())
          return plain("cast_store_to_f32");
        if (from.isInteger(64) && (to.isF32() || to.isF16()))
          return plain("cast_i64_to_store");
        return failure();
      })
      .Case<AddOp, SubOp, MulOp, DivOp, PowOp, MinOp, MaxOp>([](Operation *op) -> FailureOr<KernelChoice> {
        auto i64 = [](Value v) { return elementTypeOf(v).isInteger(64); };
        if (!isa<PowOp>(op) && llvm::all_of(op->getOperands(), i64) && llvm::all_of(op->getResults(), i64))
          return plain("binary_i64");
        return floatKernel(op, "binary");
      })
      // Bool masks (attention_mask -> Equal, And, Where in exports with a KV cache).
      .Case<EqualOp, LessOp, GreaterOp, LessOrEqualOp, GreaterOrEqualOp>([](Operation *op) -> FailureOr<KernelChoice> {
        Type t = elementTypeOf(op->getOperand(0));
        if (t.isInteger(64) && elementTypeOf(op->getOperand(1)).isInteger(64))
          return plain("compare_i64");
        if (!isa<FloatType>(t) || elementTypeOf(op->getOperand(1)) != t)
          return failure();
        return plain("compare");
      })
      .Case<AndOp, OrOp>([](Operation *) { return plain("logical"); })
      .Case([](WhereOp w) -> FailureOr<KernelChoice> {
        Type t = elementTypeOf(w.getResult());
        if (!isa<FloatType>(t) || elementTypeOf(w.getX()) != t || elementTypeOf(w.getY()) != t)
          return failure();
        return plain("where_select");
      })
      .Case<SqrtOp, ExpOp, LogOp, ErfOp, TanhOp, SigmoidOp, ReluOp, NegOp, AbsOp, ReciprocalOp, SinOp, CosOp,
            SiluOp, GeluOp, ClipOp, HardSigmoidOp, LeakyReluOp>([](Operation *op) { return floatKernel(op, "unary"); })
      .Case([](BatchNormOp op) { return floatKernel(op, "batch_norm"); })
      .Case<AveragePoolOp, MaxPoolOp>([](Operation *op) -> FailureOr<KernelChoice> {
        if (shapeOf(op->getOperand(0)).size() != 4)
          return failure();
        return floatKernel(op, "pool2d");
      })
      .Case([](ConvTransposeOp op) -> FailureOr<KernelChoice> {
        if (shapeOf(op.getInput()).size() != 4)
          return failure();
        return floatKernel(op, "conv_transpose2d");
      })
      .Case<TransposeOp, SliceOp, ConcatOp, SplitOp, ExpandOp>([](Operation *op) -> FailureOr<KernelChoice> {
        int64_t bytes = elementBytes(elementTypeOf(op->getResult(0)));
        if (bytes != 2 && bytes != 4 && bytes != 8)
          return failure();
        return plain("copy_strided");
      })
      .Case([](GatherOp g) -> FailureOr<KernelChoice> {
        int64_t bytes = elementBytes(elementTypeOf(g.getResult()));
        if (!elementTypeOf(g.getIndices()).isInteger(64) || (bytes != 2 && bytes != 4 && bytes != 8))
          return failure();
        return plain("gather");
      })
      .Case<ReduceMeanOp, ReduceSumOp, ReduceMaxOp, ReduceMinOp>(
          [](Operation *op) { return floatKernel(op, "reduce"); })
      // Norms, and fused regions: kernels generated for the op (FusedKernels.h).
      .Case<LayerNormOp, RmsNormOp, GroupNormOp, GroupNormStatsOp>(
          [](Operation *op) { return floatKernel(op, "generated_norm"); })
      .Case([](FusedOp f) -> FailureOr<KernelChoice> {
        if (f.getKind() == "attention") // the head transposes read and written as strides
          return floatKernel(f, "attention");
        if (f.getKind() != "elementwise" && f.getKind() != "norm_elementwise" && f.getKind() != "linear_epilogue" &&
            f.getKind() != "rotary")
          return KernelChoice{};
        return floatKernel(f, "generated_" + f.getKind().str());
      })
      .Case([](SoftmaxOp op) { return floatKernel(op, "softmax_rows"); })
      .Case([](AttentionOp op) { return floatKernel(op, "attention"); })
      .Case([](ResizeOp op) { return floatKernel(op, "resize"); })
      .Case([](ArgMaxOp a) -> FailureOr<KernelChoice> {
        if (elementTypeOf(a.getInput()).isInteger(64))
          return plain("arg_max_i64"); // CLIP's pooling: the position of the largest token id
        if (!floatStorage(a))
          return failure();
        return plain("arg_max");
      })
      // Matmuls, Gemms and convolutions: a kernel generated for each (the GEMM tile for matmuls, Gemms and 1x1
      // convolutions, the implicit-GEMM tile for convolutions with a group norm or upsampling fused around
      // them, the direct convolution otherwise), with the epilogue fused after it.
      .Case<GemmOp, MatMulOp>([](Operation *op) { return floatKernel(op, "generated_linear"); })
      .Case([](ConvOp c) -> FailureOr<KernelChoice> {
        if (failed(convGeometry(c)))
          return failure();
        return floatKernel(c, "generated_linear");
      })
      .Default([](Operation *) { return KernelChoice{}; });
}

} // namespace

FailureOr<KernelChoice> selectKernel(Operation *op) {
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(t);
    if (!tensor || !tensor.hasStaticShape() || tensor.getRank() > 4)
      return op->emitError("opencl: no kernel for '")
             << op->getName() << "' on " << t << " (the OpenCL kernels take static tensors of rank <= 4)";
  }
  for (Value v : op->getOperands())
    if (quantizedWeight(v))
      return op->emitError("opencl: '") << op->getName()
                                        << "' reads quantized weights (--quantize), which the opencl target does "
                                           "not run yet: compile without --quantize";
  FailureOr<KernelChoice> choice = select(op);
  if (succeeded(choice) && choice->kernel.empty())
    return op->emitError("opencl: '") << op->getName() << "' is not supported by the opencl target yet";
  if (failed(choice))
    return op->emitError("opencl: no kernel for '")
           << op->getName() << "' on these types (" << op->getOperandTypes() << " -> " << op->getResultTypes()
           << "): the kernels compute on f32 or f16 storage, every float tensor of an op in the one storage type";
  return choice;
}

namespace {

struct SelectKernelsPass : public PassWrapper<SelectKernelsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SelectKernelsPass)

  StringRef getArgument() const override { return "mote-opencl-select-kernels"; }
  StringRef getDescription() const override {
    return "Record on every op the runtime/opencl kernel that runs it (mote.kernel)";
  }

  void runOnOperation() override {
    if (failed(selectKernels(getOperation(), selectKernel)))
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> createSelectKernelsPass() { return std::make_unique<SelectKernelsPass>(); }
void registerSelectKernelsPass() { PassRegistration<SelectKernelsPass>(); }

} // namespace opencl
} // namespace mote
