// mote-check-legality: every op fits the target's description, or the pass fails naming the op, its
// ONNX origin (the op's location) and the violated constraint.
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "ir/ModuleTarget.h"

#include "mlir/IR/BuiltinAttributes.h"

namespace mote {
#define GEN_PASS_DEF_MOTECHECKLEGALITY
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

// The bytes a kernel touches for `type`: float activations in the target's activation type.
int64_t kernelBytes(RankedTensorType type, TargetAttr target) {
  Type et = type.getElementType();
  int64_t bits = isa<FloatType>(et) ? target.getActivationType().getIntOrFloatBitWidth()
                                    : et.getIntOrFloatBitWidth();
  return type.getNumElements() * std::max<int64_t>(1, bits / 8);
}

class Checker {
public:
  explicit Checker(TargetAttr target) : target_(target) {}

  void check(Operation *op) {
    StringRef name = op->getName().getStringRef();
    if (int64_t maxRank = target_.getMaxRank())
      for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
        if (auto rt = dyn_cast<RankedTensorType>(t); rt && rt.getRank() > maxRank) {
          violation(op) << "has a value of rank " << rt.getRank() << " (" << rt << "); max_rank is " << maxRank;
          break;
        }
    if (!target_.getExplicitBroadcast() && isa<ExpandOp>(op))
      violation(op) << "is an explicit broadcast; the target has no BroadcastTo (explicit_broadcast = false)";
    if (!target_.getImplicitBroadcast() &&
        (isa<AddOp, SubOp, MulOp, DivOp, PowOp, MinOp, MaxOp, EqualOp, LessOp, GreaterOp, LessOrEqualOp,
             GreaterOrEqualOp, AndOp, OrOp, WhereOp>(op)))
      for (Type t : op->getOperandTypes())
        if (t != op->getResult(0).getType() &&
            cast<RankedTensorType>(t).getShape() != cast<RankedTensorType>(op->getResult(0).getType()).getShape()) {
          violation(op) << "broadcasts an operand of type " << t << "; the target has implicit_broadcast = false";
          break;
        }
    if (int64_t fcRank = target_.getFcMaxInputRank()) {
      Value input, weight;
      if (auto mm = dyn_cast<MatMulOp>(op)) {
        input = mm.getLhs();
        weight = mm.getRhs();
      } else if (auto gemm = dyn_cast<GemmOp>(op)) {
        input = gemm.getA();
        weight = gemm.getB();
      }
      if (input && isConstantComputed(weight) && cast<RankedTensorType>(input.getType()).getRank() > fcRank)
        violation(op) << "is a fully connected layer with an input of rank "
                      << cast<RankedTensorType>(input.getType()).getRank() << "; fc_max_input_rank is " << fcRank;
    }
    // Convolutions: input, output and weight (widened to the activation type in the kernel).
    if (int64_t limit = target_.getMaxTensorBytes())
      if (isa<ConvOp, ConvTransposeOp>(op))
        for (Value v : {Value(op->getOperand(0)), Value(op->getResult(0)), Value(op->getOperand(1))}) {
          int64_t bytes = kernelBytes(cast<RankedTensorType>(v.getType()), target_);
          if (bytes > limit) {
            violation(op) << "reads or writes " << bytes << " bytes (" << v.getType()
                          << "); max_tensor_bytes is " << limit;
            break;
          }
        }
    static const std::pair<const char *, const char *> composites[] = {
        {"mote.group_norm", "group_norm"}, {"mote.layer_norm", "layer_norm"}, {"mote.rms_norm", "rms_norm"},
        {"mote.gelu", "gelu"},             {"mote.silu", "silu"},             {"mote.attention", "attention"}};
    for (auto [opName, composite] : composites)
      if (name == opName && !target_.isNative(composite))
        violation(op) << "is a composite the target has no kernel for (not in native)";
  }

  int64_t violations() const { return count_; }

private:
  InFlightDiagnostic violation(Operation *op) {
    ++count_;
    return op->emitError("'") << op->getName() << "' violates target '" << target_.getName() << "': it ";
  }

  TargetAttr target_;
  int64_t count_ = 0;
};

struct CheckLegalityPass : mote::impl::MoteCheckLegalityBase<CheckLegalityPass> {
  void runOnOperation() override {
    TargetAttr target = getModuleTarget(getOperation());
    if (!target)
      return; // no target, no constraints
    Checker checker(target);
    getOperation().walk([&](Operation *op) {
      if (op->getDialect() && isa<MoteDialect>(op->getDialect()))
        checker.check(op);
    });
    if (checker.violations()) {
      getOperation().emitError() << checker.violations() << " op(s) violate target '" << target.getName() << "'";
      signalPassFailure();
    }
  }
};

} // namespace
