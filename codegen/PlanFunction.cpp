// Memory planning of a Mote IR function: liveness over the op order, views, in-place candidates, annotations.
#include "codegen/PlanFunction.h"

#include "ir/ModuleTarget.h"

#include "ir/MoteDialect.h"
#include "codegen/WeightValues.h"
#include "ir/ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Format.h"

using namespace mlir;

namespace mote {

namespace {

/// Bytes per element of `elementType` in the arena, or nullopt for a type the arena cannot hold.
std::optional<int64_t> elementBytes(Type elementType, std::optional<int64_t> bytesPerFloat) {
  if (isa<FloatType>(elementType) && bytesPerFloat)
    return *bytesPerFloat;
  if (elementType.isIntOrFloat())
    return std::max<int64_t>(1, (elementType.getIntOrFloatBitWidth() + 7) / 8);
  if (elementType.isIndex())
    return 8;
  return std::nullopt;
}

/// Elementwise ops whose kernel reads element i of each operand before writing element i of the result,
/// so the result may overwrite an operand of the result's shape that dies at the op.
bool mayRunInPlace(Operation *op) {
  return op->hasTrait<OpTrait::Elementwise>() ||
         isa<AddOp, SubOp, MulOp, DivOp, PowOp, MinOp, MaxOp, EqualOp, LessOp, GreaterOp, LessOrEqualOp,
             GreaterOrEqualOp, AndOp, OrOp, WhereOp>(op);
}

class PlanBuilder {
public:
  PlanBuilder(func::FuncOp func, const MemoryPlanOptions &options)
      : func_(func), floatBytes_(options.bytesPerFloat) {}

  LogicalResult build(FunctionMemoryPlan &out) {
    Block &block = func_.getBody().front();
    for (BlockArgument arg : block.getArguments()) {
      FailureOr<int64_t> bytes =
          bytesOf(arg, [&] { return func_.emitError() << "argument #" << arg.getArgNumber() << ": "; });
      if (failed(bytes))
        return failure();
      newBuffer(out, arg, *bytes, 0);
      ++out.numInputs;
    }

    int64_t step = 0;
    for (Operation &op : block) {
      stepOf_[&op] = step;
      if (!codegen::isWeightOp(&op)) {
        if (auto reshape = dyn_cast<ReshapeOp>(op); reshape && out.bufferOf.count(reshape.getInput())) {
          // Same elements, same order: a new name for the input's memory, which lives as long as either.
          out.bufferOf[reshape.getOutput()] = out.bufferOf[reshape.getInput()];
          ++out.numViews;
        } else {
          for (Value result : op.getResults()) {
            FailureOr<int64_t> bytes = bytesOf(result, [&] {
              return op.emitError() << "result #" << cast<OpResult>(result).getResultNumber() << ": ";
            });
            if (failed(bytes))
              return failure();
            newBuffer(out, result, *bytes, step);
          }
        }
      }
      ++step;
    }

    // Live until the last user (the terminator, for returned values). Users nested in regions count at
    // their ancestor in the function's block.
    for (auto [value, buffer] : out.bufferOf)
      for (Operation *user : value.getUsers())
        if (Operation *ancestor = block.findAncestorOpInBlock(*user))
          out.buffers[buffer].lastStep = std::max(out.buffers[buffer].lastStep, stepOf_.lookup(ancestor));
    if (Operation *terminator = block.empty() ? nullptr : &block.back())
      for (Value returned : terminator->getOperands())
        if (out.bufferOf.count(returned))
          ++out.numOutputs;

    // The app's buffers: inputs are read where they are; each returned buffer an op makes is computed
    // into its output buffer. Neither is placed in the arena (size 0 to the planner).
    out.inputOf.assign(out.buffers.size(), -1);
    out.outputOf.assign(out.buffers.size(), -1);
    for (BlockArgument arg : block.getArguments())
      out.inputOf[out.bufferOf.lookup(arg)] = arg.getArgNumber();
    if (Operation *terminator = block.empty() ? nullptr : &block.back())
      for (auto [k, returned] : llvm::enumerate(terminator->getOperands())) {
        auto it = out.bufferOf.find(returned);
        if (it == out.bufferOf.end())
          continue;
        int64_t b = it->second;
        Operation *producer = rootOf_[b].getDefiningOp();
        if (out.inputOf[b] < 0 && out.outputOf[b] < 0 && producer && producer->getNumResults() == 1)
          out.outputOf[b] = static_cast<int64_t>(k);
      }
    for (size_t b = 0; b < out.buffers.size(); ++b)
      if (out.inputOf[b] >= 0 || out.outputOf[b] >= 0)
        out.buffers[b].size = 0;

    markInPlace(out);
    return success();
  }

private:
  template <typename EmitFn> FailureOr<int64_t> bytesOf(Value value, EmitFn emit) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || !type.hasStaticShape()) {
      emit() << "memory planning needs a tensor of static shape, got " << value.getType();
      return failure();
    }
    std::optional<int64_t> bytes = elementBytes(type.getElementType(), floatBytes_);
    if (!bytes) {
      emit() << "memory planning cannot size elements of type " << type.getElementType();
      return failure();
    }
    // Checked: a dimension of 2^62 must not wrap to a size of 0 in the generated program.
    std::optional<int64_t> elements = checkedNumElements(type.getShape());
    if (!elements) {
      emit() << value.getType() << " has more than 2^40 elements, the most one tensor may have";
      return failure();
    }
    return *elements * *bytes;
  }

  void newBuffer(FunctionMemoryPlan &out, Value value, int64_t bytes, int64_t step) {
    out.bufferOf[value] = static_cast<int64_t>(out.buffers.size());
    out.buffers.push_back(PlanBuffer{bytes, step, step, -1});
    rootOf_.push_back(value);
  }

  // An elementwise op's result in the arena may take over one operand's arena buffer: dead
  // after this op, of the result's shape and byte size, not taken by another op already, and not also read
  // by this op through a view of another shape (which would read elements already overwritten).
  void markInPlace(FunctionMemoryPlan &out) {
    std::vector<bool> taken(out.buffers.size(), false);
    for (Operation &op : func_.getBody().front()) {
      if (op.getNumResults() != 1 || !mayRunInPlace(&op))
        continue;
      Value result = op.getResult(0);
      auto resultIt = out.bufferOf.find(result);
      if (resultIt == out.bufferOf.end())
        continue;
      if (out.outputOf[resultIt->second] >= 0)
        continue;
      PlanBuffer &self = out.buffers[resultIt->second];
      auto resultType = cast<ShapedType>(result.getType());
      for (Value operand : op.getOperands()) {
        auto operandIt = out.bufferOf.find(operand);
        if (operandIt == out.bufferOf.end())
          continue;
        int64_t from = operandIt->second;
        auto operandType = cast<ShapedType>(operand.getType());
        if (out.inputOf[from] >= 0 || out.outputOf[from] >= 0 || taken[from] || out.buffers[from].lastStep != stepOf_.lookup(&op) ||
            out.buffers[from].size != self.size || operandType.getShape() != resultType.getShape() ||
            elementBytes(operandType.getElementType(), floatBytes_) !=
                elementBytes(resultType.getElementType(), floatBytes_))
          continue;
        bool otherView = llvm::any_of(op.getOperands(), [&](Value other) {
          auto it = out.bufferOf.find(other);
          return it != out.bufferOf.end() && it->second == from &&
                 cast<ShapedType>(other.getType()).getShape() != operandType.getShape();
        });
        if (otherView)
          continue;
        self.mayShareWith = from;
        taken[from] = true;
        break;
      }
    }
  }

  func::FuncOp func_;
  std::optional<int64_t> floatBytes_;
  llvm::DenseMap<Operation *, int64_t> stepOf_;
  std::vector<Value> rootOf_; // per buffer: the value that made it
};

} // namespace

int64_t FunctionMemoryPlan::offsetOf(Value value) const {
  auto it = bufferOf.find(value);
  if (it == bufferOf.end() || inputOf[it->second] >= 0 || outputOf[it->second] >= 0)
    return -1;
  return plan.offsets[it->second];
}

int64_t FunctionMemoryPlan::outputIndexOf(Value value) const {
  auto it = bufferOf.find(value);
  return it == bufferOf.end() ? -1 : outputOf[it->second];
}

unsigned FunctionMemoryPlan::numInPlace() const {
  return static_cast<unsigned>(llvm::count_if(plan.inPlaceOf, [](int64_t from) { return from >= 0; }));
}

FailureOr<FunctionMemoryPlan> planFunctionMemory(func::FuncOp func, const MemoryPlanOptions &options) {
  FunctionMemoryPlan out;
  if (func.isExternal()) {
    out.plan = planMemory({}, options.alignment);
    return out;
  }
  if (!func.getBody().hasOneBlock())
    return func.emitError() << "memory planning needs a function of one block (a straight-line schedule)";
  PlanBuilder builder(func, options);
  if (failed(builder.build(out)))
    return failure();
  // Every offset the planner computes is at most the sum of all buffers (plus alignment), so bounding the
  // sum keeps its arithmetic exact; no device has anywhere near this much memory anyway.
  int64_t total = 0;
  for (const PlanBuffer &b : out.buffers) {
    total += b.size + options.alignment;
    if (total > kMaxActivationBytes)
      return func.emitError() << "the activations total more than 2^46 bytes (64 TiB) before reuse, more "
                                 "than Mote plans; check the input shapes";
  }
  int64_t segment = options.segmentBytes;
  if (TargetAttr target = getModuleTarget(func); target && segment == 0)
    segment = target.getMaxAllocBytes();
  out.plan = planMemory(out.buffers, options.alignment, segment);
  // Cheap next to planning, and a wrong plan would corrupt activations silently on the device.
  if (std::string why = verifyMemoryPlan(out.buffers, out.plan); !why.empty())
    return func.emitError() << "internal error: invalid memory plan: " << why;
  return out;
}

void annotateMemoryPlan(func::FuncOp func, const FunctionMemoryPlan &plan) {
  mlir::Builder b(func.getContext());
  if (!func.isExternal()) {
    Block &block = func.getBody().front();
    for (Operation &op : block) {
      if (op.getNumResults() == 1)
        if (int64_t k = plan.outputIndexOf(op.getResult(0)); k >= 0) {
          op.setAttr(kOutputAttrName, b.getI64IntegerAttr(k));
          continue;
        }
      if (op.getNumResults() == 0 || plan.offsetOf(op.getResult(0)) < 0)
        continue;
      if (op.getNumResults() == 1) {
        op.setAttr(kOffsetAttrName, b.getI64IntegerAttr(plan.offsetOf(op.getResult(0))));
        continue;
      }
      SmallVector<int64_t> offsets;
      for (Value result : op.getResults())
        offsets.push_back(plan.offsetOf(result));
      op.setAttr(kOffsetsAttrName, b.getDenseI64ArrayAttr(offsets));
    }
  }
  func->setAttr(kArenaBytesAttrName, b.getI64IntegerAttr(plan.plan.arenaBytes));
  func->setAttr(kArenaLowerBoundAttrName, b.getI64IntegerAttr(plan.plan.lowerBoundBytes));
}

LogicalResult planModuleMemory(ModuleOp module, const MemoryPlanOptions &options) {
  for (func::FuncOp func : module.getOps<func::FuncOp>()) {
    FailureOr<FunctionMemoryPlan> plan = planFunctionMemory(func, options);
    if (failed(plan))
      return failure();
    annotateMemoryPlan(func, *plan);
  }
  return success();
}

std::string describeMemoryPlan(const FunctionMemoryPlan &plan) {
  const MemoryPlan &p = plan.plan;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << plan.buffers.size() << " buffers (" << plan.numInputs << " inputs, " << plan.numOutputs
     << " outputs), " << plan.numViews << " views, " << plan.numInPlace() << " in place; arena "
     << p.arenaBytes << " B, lower bound " << p.lowerBoundBytes << " B, ratio ";
  if (p.lowerBoundBytes > 0)
    os << llvm::format("%.3f", static_cast<double>(p.arenaBytes) / static_cast<double>(p.lowerBoundBytes));
  else
    os << "n/a";
  os << " (peak live without in-place reuse " << p.peakLiveBytes << " B)";
  return text;
}

LogicalResult printMemoryReport(ModuleOp module, llvm::raw_ostream &os, const MemoryPlanOptions &options) {
  for (func::FuncOp func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    FailureOr<FunctionMemoryPlan> plan = planFunctionMemory(func, options);
    if (failed(plan))
      return failure();
    os << "@" << func.getSymName() << ": " << describeMemoryPlan(*plan) << "\n";
  }
  return success();
}

namespace {

// Declared here rather than in a Passes.td: codegen has no pass table of its own yet.
struct PlanMemoryPass : public PassWrapper<PlanMemoryPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PlanMemoryPass)

  PlanMemoryPass() = default;
  PlanMemoryPass(const PlanMemoryPass &other) : PassWrapper(other) {}
  PlanMemoryPass(const MemoryPlanOptions &options, bool reportPlan) {
    alignment = options.alignment;
    bytesPerFloat = options.bytesPerFloat.value_or(0);
    report = reportPlan;
  }

  StringRef getArgument() const override { return "mote-plan-memory"; }
  StringRef getDescription() const override {
    return "Give every activation an offset in one arena (mote.offset) and record the arena size "
           "(mote.arena_bytes)";
  }

  void runOnOperation() override {
    if (alignment <= 0 || bytesPerFloat < 0) {
      getOperation().emitError() << "mote-plan-memory: alignment must be positive and bytes-per-float "
                                    "non-negative, got "
                                 << alignment << " and " << bytesPerFloat;
      return signalPassFailure();
    }
    MemoryPlanOptions options;
    options.alignment = alignment;
    if (bytesPerFloat > 0)
      options.bytesPerFloat = bytesPerFloat;
    for (func::FuncOp func : getOperation().getOps<func::FuncOp>()) {
      FailureOr<FunctionMemoryPlan> plan = planFunctionMemory(func, options);
      if (failed(plan))
        return signalPassFailure();
      annotateMemoryPlan(func, *plan);
      if (report)
        func.emitRemark() << "memory plan: " << describeMemoryPlan(*plan);
    }
  }

  Option<int64_t> alignment{*this, "alignment", llvm::cl::desc("Byte alignment of every buffer"),
                            llvm::cl::init(64)};
  Option<int64_t> bytesPerFloat{*this, "bytes-per-float",
                                llvm::cl::desc("Bytes per float activation element (0: its type's width)"),
                                llvm::cl::init(0)};
  Option<bool> report{*this, "report", llvm::cl::desc("Emit each function's plan summary as a remark"),
                      llvm::cl::init(false)};
};

} // namespace

std::unique_ptr<Pass> createPlanMemoryPass(const MemoryPlanOptions &options, bool report) {
  return std::make_unique<PlanMemoryPass>(options, report);
}

void registerPlanMemoryPass() { PassRegistration<PlanMemoryPass>(); }

} // namespace mote
