// Building mote.fused regions (FusedRegions.h).
#include "passes/FusedRegions.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace mote {

bool isElementwiseOp(Operation *op) {
  return isa<SqrtOp, ExpOp, LogOp, ErfOp, TanhOp, SigmoidOp, ReluOp, NegOp, AbsOp, ReciprocalOp, SinOp, CosOp, SiluOp,
             GeluOp, HardSigmoidOp, LeakyReluOp, ClipOp, AddOp, SubOp, MulOp, DivOp, PowOp, MinOp, MaxOp>(op);
}

bool isPeriodicBroadcast(ArrayRef<int64_t> operand, ArrayRef<int64_t> result) {
  while (!operand.empty() && operand.front() == 1)
    operand = operand.drop_front();
  return operand.size() <= result.size() && operand == result.take_back(operand.size());
}

bool keepsInstancesAndChannels(Value v, bool channelsLast, int64_t n, int64_t c) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape() && t.getRank() == 4 && t.getDimSize(0) == n &&
         t.getDimSize(channelsLast ? 3 : 1) == c;
}

bool readsGroupNormInPrologue(ConvOp conv, bool channelsLast, int64_t n, int64_t c) {
  return conv.getGroup() == 1 && conv.getChannelsLast() == channelsLast &&
         keepsInstancesAndChannels(conv.getInput(), channelsLast, n, c);
}

Operation *ancestorInBlock(Operation *op, Block *block) {
  while (op && op->getBlock() != block)
    op = op->getParentOp();
  return op;
}

FusedOp buildFusedRegion(ArrayRef<Operation *> ops, StringRef kind, ArrayRef<Value> firstInputs) {
  Block *block = ops.back()->getBlock();
  DenseSet<Operation *> members(ops.begin(), ops.end());
  llvm::SetVector<Value> inputs;
  inputs.insert(firstInputs.begin(), firstInputs.end());
  SmallVector<Value> outputs;
  for (Operation *op : ops) {
    for (Value v : op->getOperands())
      if (!members.contains(v.getDefiningOp()))
        inputs.insert(v);
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(),
                       [&](Operation *u) { return !members.contains(ancestorInBlock(u, block)); }))
        outputs.push_back(result);
  }
  Operation *last = ops.back();
  OpBuilder b(last);
  SmallVector<Type> resultTypes;
  for (Value v : outputs)
    resultTypes.push_back(v.getType());
  SmallVector<Location> locs;
  for (Operation *op : ops)
    locs.push_back(op->getLoc());
  auto fused = FusedOp::create(b, b.getFusedLoc(locs), resultTypes, b.getStringAttr(kind), inputs.getArrayRef());
  Block *body = b.createBlock(&fused.getBody());
  IRMapping map;
  for (Value v : inputs)
    map.map(v, body->addArgument(v.getType(), v.getLoc()));
  for (Operation *op : ops)
    b.clone(*op, map);
  SmallVector<Value> yielded;
  for (Value v : outputs)
    yielded.push_back(map.lookup(v));
  YieldOp::create(b, last->getLoc(), yielded);
  for (auto [old, replacement] : llvm::zip(outputs, fused.getResults()))
    old.replaceAllUsesWith(replacement);
  for (Operation *op : llvm::reverse(ops))
    op->erase();
  return fused;
}

} // namespace mote
