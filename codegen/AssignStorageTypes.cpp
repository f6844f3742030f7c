// The storage types of the planned phase: float activations retyped to the target's activation type, with
// explicit casts at the model's edges and on the constants ops read (see Passes.td).
#include "codegen/Passes.h"

#include "codegen/WeightValues.h"
#include "ir/Locations.h"
#include "ir/ModuleTarget.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"

namespace mote {
#define GEN_PASS_DEF_MOTEASSIGNSTORAGETYPES
#include "codegen/Passes.h.inc"
} // namespace mote

using namespace mlir;

namespace mote {
namespace {

/// The f32 tensor type `t` with element type `storage`, or null if `t` is not an f32 tensor.
RankedTensorType retyped(Type t, Type storage) {
  auto tensor = dyn_cast<RankedTensorType>(t);
  if (!tensor || !tensor.getElementType().isF32())
    return {};
  return tensor.clone(storage);
}

void retypeFunction(func::FuncOp func, FloatType storage) {
  Block &block = func.getBody().front();
  OpBuilder b(func.getContext());
  TypeAttr storageAttr = TypeAttr::get(storage);
  DenseSet<Operation *> created; // the casts this pass makes: already of the storage type

  // Inputs: converted once, at the top; KV caches (mote.kv_cache) take the storage type themselves, so that
  // the runtime's buffer is written in place.
  b.setInsertionPointToStart(&block);
  for (BlockArgument arg : block.getArguments())
    if (RankedTensorType type = retyped(arg.getType(), storage)) {
      if (func.getArgAttr(arg.getArgNumber(), kKvCacheAttrName)) {
        arg.setType(type);
        continue;
      }
      auto cast = CastOp::create(b, arg.getLoc(), type, arg, storageAttr);
      arg.replaceAllUsesExcept(cast.getResult(), cast);
      created.insert(cast);
    }

  // Constants and quantized weights (mote.dequantize, f32 by definition): one cast each, right after it; the
  // emitter converts constants while writing, a kernel reading a quantized weight widens it itself.
  DenseMap<Value, Value> constantCasts;
  auto castOfConstant = [&](Value constant, RankedTensorType type) -> Value {
    Value &cast = constantCasts[constant];
    if (!cast) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointAfterValue(constant);
      auto op = CastOp::create(b, constant.getLoc(), type, constant, storageAttr);
      created.insert(op);
      cast = op.getResult();
    }
    return cast;
  };

  for (Operation &op : llvm::make_early_inc_range(block)) {
    if (isa<ConstantOp, DequantizeOp, func::ReturnOp>(op) || created.contains(&op))
      continue;
    for (OpOperand &operand : op.getOpOperands())
      if (RankedTensorType type = retyped(operand.get().getType(), storage))
        if (isa_and_nonnull<ConstantOp, DequantizeOp>(operand.get().getDefiningOp()))
          operand.set(castOfConstant(operand.get(), type));
    if (auto cast = dyn_cast<CastOp>(op); cast && cast.getTo().isF32())
      cast.setToAttr(storageAttr);
    // A group norm's statistics stay f32: a mean in f16 would shift every normalized value by up to 0.05% of
    // the mean, which is many standard deviations when the mean is large.
    auto retypeResults = [&](Operation &o) {
      if (isa<GroupNormStatsOp>(o))
        return;
      for (Value result : o.getResults())
        if (RankedTensorType type = retyped(result.getType(), storage))
          result.setType(type);
    };
    // A fused region's values take the storage type too (its kernel decides what it computes in): its
    // block arguments their inputs' types, its results those of the values it yields.
    if (auto fused = dyn_cast<FusedOp>(op)) {
      for (auto [arg, input] : llvm::zip(fused.getBlock().getArguments(), fused.getInputs()))
        arg.setType(input.getType());
      for (Operation &inner : fused.getBlock())
        retypeResults(inner);
      for (auto [result, yielded] : llvm::zip(fused.getResults(), fused.getBlock().getTerminator()->getOperands()))
        result.setType(yielded.getType());
    } else {
      retypeResults(op);
    }
  }

  // Outputs: converted back to the signature's types just before the return.
  auto ret = cast<func::ReturnOp>(block.getTerminator());
  b.setInsertionPoint(ret);
  SmallVector<Type> results(func.getResultTypes());
  for (OpOperand &operand : ret->getOpOperands()) {
    Type declared = func.getResultTypes()[operand.getOperandNumber()];
    if (operand.get().getType() == declared)
      continue;
    if (func.getResultAttr(operand.getOperandNumber(), kKvCacheAttrName)) {
      results[operand.getOperandNumber()] = operand.get().getType(); // the cache, in the storage type
      continue;
    }
    auto declaredTensor = cast<RankedTensorType>(declared);
    operand.set(CastOp::create(b, operand.get().getLoc(), declaredTensor, operand.get(),
                               TypeAttr::get(declaredTensor.getElementType()))
                    .getResult());
  }
  func.setType(FunctionType::get(func.getContext(), block.getArgumentTypes(), results));
}

struct AssignStorageTypesPass : impl::MoteAssignStorageTypesBase<AssignStorageTypesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr target = getModuleTarget(module);
    Type storage = target ? target.getActivationType() : Type();
    if (!storage || storage.isF32())
      return;
    auto floatStorage = dyn_cast<FloatType>(storage);
    if (!floatStorage) {
      // Integer activations need scales, which only quantization gives (mote-quantize-activations): the
      // quantized phase has already made the model's values int8, apart from the float inputs and results
      // themselves (what mote.quantize_activation reads, what mote.dequantize_activation gives back). Any other
      // float value is an op the integer pipeline did not take.
      WalkResult walk = module.walk([&](Operation *op) {
        if (isa<ConstantOp, DequantizeActivationOp>(op) || codegen::isWeightOp(op) ||
            !llvm::any_of(op->getResultTypes(), [](Type t) {
              auto tensor = dyn_cast<RankedTensorType>(t);
              return tensor && isa<FloatType>(tensor.getElementType());
            }))
          return WalkResult::advance();
        op->emitError() << "target '" << target.getName() << "' computes in integers (activations " << storage
                        << "), but this " << op->getName() << " produces " << op->getResultTypes()[0]
                        << ": quantize the model with --quantize=w8a8 --calibration=DIR (the integer pipeline; an op "
                           "it does not take yet stays float), or use a float activation type";
        return WalkResult::interrupt();
      });
      if (walk.wasInterrupted())
        signalPassFailure();
      return;
    }
    for (func::FuncOp func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        retypeFunction(func, floatStorage);
  }
};

} // namespace
} // namespace mote
