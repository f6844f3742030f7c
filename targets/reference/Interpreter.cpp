// The reference target's interpreter: walks the entry function op by op, keeping each value's tensor
// until its last use.
#include "targets/reference/Interpreter.h"

#include "targets/reference/Kernels.h"

#include "ir/ShapeUtils.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;

namespace mote::reference {

// The most elements one result may have: elements are held as 8-byte doubles or int64s, so this is
// 8 GiB. A hostile model (Expand to [2^20, 2^20, ...]) fails with an error instead of running out of
// memory.
constexpr int64_t kMaxResultElements = int64_t(1) << 30;

// Whether every result of `op` has a static shape of at most kMaxResultElements (without overflow).
static LogicalResult checkResultSizes(Operation &op) {
  for (Value result : op.getResults()) {
    auto type = cast<RankedTensorType>(result.getType());
    int64_t n = 1;
    for (int64_t d : type.getShape())
      if (d < 0 || (d > 0 && n > kMaxResultElements / d) || (n *= d) > kMaxResultElements)
        return op.emitError("the reference target cannot hold a result of type ")
               << type << " (at most " << kMaxResultElements << " elements)";
  }
  return success();
}

namespace {

std::optional<Results> runKernel(Operation *op, Operands operands) {
  std::optional<Results> results = runQuantized(op, operands);
  if (!results)
    results = runInteger(op, operands);
  if (!results)
    results = runElementwise(op, operands);
  if (!results)
    results = runNeural(op, operands);
  if (!results)
    results = runData(op, operands);
  return results;
}

// [N, spatial..., C] <-> [N, C, spatial...].
Tensor permuteChannels(const Tensor &t, bool toFirst) {
  int64_t rank = t.rank();
  SmallVector<int64_t> perm = {0};
  if (toFirst) {
    perm.push_back(rank - 1);
    for (int64_t d = 1; d < rank - 1; ++d)
      perm.push_back(d);
  } else {
    for (int64_t d = 2; d < rank; ++d)
      perm.push_back(d);
    perm.push_back(1);
  }
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(t.shape[p]);
  Tensor out = Tensor::zeros(shape, t.elementType);
  auto inStrides = strides(t.shape);
  for (int64_t k = 0, n = out.size(); k < n; ++k) {
    auto idx = unravelIndex(k, shape);
    int64_t src = 0;
    for (int64_t d = 0; d < rank; ++d)
      src += idx[d] * inStrides[perm[d]];
    if (out.isFloat())
      out.f[k] = t.f[src];
    else
      out.i[k] = t.i[src];
  }
  return out;
}

// A channels_last op runs as its NCHW twin: the obviously correct way, since the reference target is
// the oracle for layout conversion itself. The twin is built unlinked, run, and destroyed.
std::optional<Results> runChannelsLast(Operation *op, Operands operands) {
  OperationState state(op->getLoc(), op->getName());
  state.addOperands(op->getOperands());
  state.addAttributes(op->getAttrs());
  state.attributes.set("channels_last", BoolAttr::get(op->getContext(), false));
  for (Type t : op->getResultTypes()) {
    auto rt = cast<RankedTensorType>(t);
    SmallVector<int64_t> shape = {rt.getDimSize(0), rt.getDimSize(rt.getRank() - 1)};
    llvm::append_range(shape, rt.getShape().drop_front().drop_back());
    state.addTypes(rt.clone(shape));
  }
  Operation *twin = Operation::create(state);
  Tensor input = permuteChannels(*operands[0], /*toFirst=*/true);
  SmallVector<const Tensor *> twinOperands(operands.begin(), operands.end());
  twinOperands[0] = &input;
  std::optional<Results> results = runKernel(twin, twinOperands);
  twin->destroy();
  if (results && succeeded(*results))
    for (Tensor &t : **results)
      t = permuteChannels(t, /*toFirst=*/false);
  return results;
}

std::optional<Results> runOp(Operation *op, Operands operands) {
  // A group norm's statistics have no channel axis to move: that kernel reads the layout itself.
  if (auto last = op->getAttrOfType<BoolAttr>("channels_last"); last && last.getValue() && !isa<GroupNormStatsOp>(op))
    return runChannelsLast(op, operands);
  return runKernel(op, operands);
}

} // namespace

namespace {

// Runs the ops of `block` on `values` (which holds the block's arguments) up to its terminator, whose
// operands' tensors it returns. A mote.fused region runs its body the same way, on copies of its inputs.
FailureOr<SmallVector<Tensor>> runBlock(Block &block, llvm::DenseMap<Value, Tensor> &values, OpObserver observer) {
  // Free each tensor after its last user has run, so peak memory follows liveness.
  llvm::DenseMap<Value, Operation *> lastUser;
  for (Operation &op : block)
    for (Value v : op.getOperands())
      lastUser[v] = &op;

  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::IsTerminator>()) {
      SmallVector<Tensor> results;
      for (Value v : op.getOperands())
        results.push_back(values[v]);
      return results;
    }
    if (auto constant = dyn_cast<ConstantOp>(op)) {
      auto tensor = fromElements(constant.getValue());
      if (failed(tensor))
        return op.emitError("the reference target cannot read this constant");
      values[constant.getResult()] = std::move(*tensor);
      continue;
    }
    if (failed(checkResultSizes(op)))
      return failure();
    SmallVector<const Tensor *> operands;
    for (Value v : op.getOperands()) {
      auto it = values.find(v);
      assert(it != values.end() && "operand defined before use");
      operands.push_back(&it->second);
    }
    std::optional<Results> results;
    if (auto fused = dyn_cast<FusedOp>(op)) {
      llvm::DenseMap<Value, Tensor> inner;
      for (auto [arg, tensor] : llvm::zip(fused.getBlock().getArguments(), operands))
        inner[arg] = *tensor;
      results = runBlock(fused.getBlock(), inner, observer);
    } else {
      results = runOp(&op, operands);
    }
    if (!results)
      return op.emitError("the reference target has no kernel for '") << op.getName() << "'";
    if (failed(*results))
      return failure();
    if (observer)
      observer(&op, operands, **results);
    for (auto [result, tensor] : llvm::zip(op.getResults(), **results))
      values[result] = std::move(tensor);
    for (Value v : op.getOperands())
      if (lastUser[v] == &op && !isa<BlockArgument>(v))
        values.erase(v);
  }
  return emitError(block.getParent()->getLoc(), "block has no terminator");
}

} // namespace

FailureOr<SmallVector<DenseElementsAttr>> runFunction(func::FuncOp func, ArrayRef<ElementsAttr> inputs,
                                                    OpObserver observer) {
  Block &body = func.getBody().front();
  if (inputs.size() != body.getNumArguments())
    return func.emitError("expected ") << body.getNumArguments() << " inputs, got " << inputs.size();
  llvm::DenseMap<Value, Tensor> values;
  for (auto [arg, input] : llvm::zip(body.getArguments(), inputs)) {
    if (input.getType() != arg.getType())
      return func.emitError("input ") << arg.getArgNumber() << " has type " << input.getType()
                                      << ", the function expects " << arg.getType();
    auto tensor = fromElements(input);
    if (failed(tensor))
      return func.emitError("input ") << arg.getArgNumber() << " has an unsupported element type";
    values[arg] = std::move(*tensor);
  }
  FailureOr<SmallVector<Tensor>> tensors = runBlock(body, values, observer);
  if (failed(tensors))
    return failure();
  SmallVector<DenseElementsAttr> results;
  for (auto [tensor, type] : llvm::zip(*tensors, func.getResultTypes()))
    results.push_back(toElements(tensor, cast<RankedTensorType>(type)));
  return results;
}

} // namespace mote::reference
