// Import of the ONNX nodes that are not tensor operators: Loop and If, whose bodies are graphs, and the
// sequence operators torch.onnx.export emits around them (repeat_interleave with dynamic axes becomes
// SplitToSequence -> Loop { SequenceAt, Expand, SequenceInsert } -> ConcatFromSequence).
//
// Mote's functions are static, straight-line code, so control flow is resolved while importing: a Loop
// whose trip count and condition fold to constants is unrolled (each iteration imports the body in a
// new scope, with the iteration number as a constant), an If whose condition folds imports the branch
// it takes, and a sequence is a list of tensors the importer holds by name. What does not fold is an
// error naming the node; unrolling stops at kMaxUnrolledNodes so a hostile trip count cannot blow up.
#include "frontend/GraphImporter.h"
#include "frontend/NodeContext.h"
#include "ir/ShapeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/ScopeExit.h"

using namespace mlir;

namespace mote {

namespace {

/// Body nodes one model may import by unrolling loops.
constexpr int64_t kMaxUnrolledNodes = 200000;

const onnx::GraphProto *graphAttribute(const onnx::NodeProto &node, llvm::StringRef name) {
  for (const auto &a : node.attribute())
    if (a.name() == name && a.type() == onnx::AttributeProto::GRAPH)
      return &a.g();
  return nullptr;
}

Value scalarConstant(NodeContext &ctx, Type elementType, int64_t value) {
  auto type = RankedTensorType::get({}, elementType);
  return ctx.constant(DenseElementsAttr::get(
      type, APInt(elementType.getIntOrFloatBitWidth(), static_cast<uint64_t>(value), /*isSigned=*/true,
                  /*implicitTrunc=*/true)));
}

/// A position into a sequence of `length` tensors (negative counts from the end); `allowEnd` admits
/// `length` itself (SequenceInsert's append position).
FailureOr<int64_t> sequencePosition(NodeContext &ctx, size_t input, int64_t length, bool allowEnd) {
  auto values = ctx.constantInts(input, "position");
  if (failed(values))
    return failure();
  if (values->size() != 1)
    return ctx.error() << "'position' must hold one value, it holds " << values->size();
  int64_t position = (*values)[0] < 0 ? (*values)[0] + length : (*values)[0];
  if (position < 0 || position > length || (position == length && !allowEnd))
    return ctx.error() << "position " << (*values)[0] << " is out of range for a sequence of " << length
                       << " tensors";
  return position;
}

} // namespace

bool GraphImporter::isControlFlowOrSequenceOp(llvm::StringRef opType) {
  return llvm::is_contained({"Loop", "If", "SequenceEmpty", "SequenceConstruct", "SequenceInsert",
                             "SequenceAt", "SequenceErase", "SequenceLength", "SplitToSequence",
                             "ConcatFromSequence"},
                            opType);
}

LogicalResult GraphImporter::importControlFlowOrSequence(const onnx::NodeProto &node, NodeContext &context) {
  if (node.op_type() == "Loop")
    return importLoop(node, context);
  if (node.op_type() == "If")
    return importIf(node, context);
  return importSequenceOp(node, context);
}

FailureOr<SmallVector<GraphImporter::BodyValue>>
GraphImporter::importBody(const onnx::GraphProto &body, ArrayRef<BodyValue> inputs, NodeContext &context) {
  if (body.input_size() != static_cast<int>(inputs.size()))
    return context.error() << "its body graph '" << body.name() << "' has " << body.input_size()
                           << " inputs, expected " << inputs.size();
  unrolledNodes_ += body.node_size();
  if (unrolledNodes_ > kMaxUnrolledNodes)
    return context.error() << "unrolling its body would import more than " << kMaxUnrolledNodes
                           << " nodes";
  scopes_.emplace_back();
  llvm::scope_exit popScope([&] { scopes_.pop_back(); });
  for (const auto &init : body.initializer())
    scopes_.back().initializers[init.name()] = &init;
  for (auto [info, value] : llvm::zip(body.input(), inputs))
    bindValue(info.name(), value);
  if (failed(importNodes(body)))
    return failure();
  SmallVector<BodyValue> outputs;
  for (const auto &info : body.output()) {
    if (const auto *sequence = lookupSequence(info.name())) {
      outputs.push_back({Value(), *sequence});
      continue;
    }
    if (!isKnown(info.name()))
      return context.error() << "its body's output '" << info.name() << "' is not produced by any node";
    auto value = lookup(info.name());
    if (failed(value))
      return failure();
    outputs.push_back({*value, std::nullopt});
  }
  return outputs;
}

LogicalResult GraphImporter::importLoop(const onnx::NodeProto &node, NodeContext &ctx) {
  const onnx::GraphProto *body = graphAttribute(node, "body");
  if (!body)
    return ctx.error() << "Loop has no 'body' graph";
  int numCarried = std::max(0, node.input_size() - 2);
  int numScans = body->output_size() - 1 - numCarried;
  if (numScans < 0 || node.output_size() != numCarried + numScans)
    return ctx.error() << "Loop carries " << numCarried << " values; its body has "
                       << body->output_size() << " outputs and the node " << node.output_size();
  // The trip count and the condition must be compile-time values.
  std::optional<int64_t> tripCount;
  if (node.input_size() > 0 && !node.input(0).empty()) {
    auto m = ctx.constantInts(0, "M (trip count)");
    if (failed(m))
      return failure();
    if (m->size() != 1)
      return ctx.error() << "the trip count must hold one value, it holds " << m->size();
    tripCount = (*m)[0];
  }
  bool hasCondition = node.input_size() > 1 && !node.input(1).empty();
  bool condition = true;
  if (hasCondition) {
    auto c = ctx.constantInts(1, "cond");
    if (failed(c))
      return failure();
    if (c->size() != 1)
      return ctx.error() << "the loop condition must hold one value, it holds " << c->size();
    condition = (*c)[0] != 0;
  }
  if (!tripCount && !hasCondition)
    return ctx.error() << "a Loop with neither a trip count nor a condition never ends";
  if (tripCount && condition && body->node_size() > 0 &&
      *tripCount > (kMaxUnrolledNodes - unrolledNodes_) / body->node_size())
    return ctx.error() << "unrolling " << *tripCount << " iterations of its " << body->node_size()
                       << "-node body would import more than " << kMaxUnrolledNodes << " nodes";

  SmallVector<BodyValue> carried;
  for (int i = 2; i < node.input_size(); ++i) {
    const std::string &name = node.input(i);
    if (const auto *sequence = lookupSequence(name)) {
      carried.push_back({Value(), *sequence});
      continue;
    }
    if (name.empty() || !ctx.input(i))
      return ctx.error() << "loop-carried input " << i - 2 << " is missing";
    carried.push_back({ctx.input(i), std::nullopt});
  }
  SmallVector<SmallVector<Value>> scans(numScans);
  Type i64 = builder_.getIntegerType(64), i1 = builder_.getIntegerType(1);
  for (int64_t i = 0; (!tripCount || i < *tripCount) && condition; ++i) {
    SmallVector<BodyValue> inputs = {{scalarConstant(ctx, i64, i), std::nullopt},
                                     {scalarConstant(ctx, i1, 1), std::nullopt}};
    inputs.append(carried.begin(), carried.end());
    auto outputs = importBody(*body, inputs, ctx);
    if (failed(outputs))
      return failure();
    builder_.setInsertionPointToEnd(body_);
    if (hasCondition) {
      Value next = (*outputs)[0].tensor;
      auto constant = next ? next.getDefiningOp<ConstantOp>() : ConstantOp();
      auto c = constant ? dyn_cast<DenseElementsAttr>(constant.getValue()) : DenseElementsAttr();
      if (!c || c.getNumElements() != 1 || !isa<IntegerType>(c.getElementType()))
        return ctx.error() << "the loop condition after iteration " << i
                           << " is not a value known at compile time (Mote unrolls loops)";
      condition = !(*c.getValues<APInt>().begin()).isZero();
    }
    for (int k = 0; k < numCarried; ++k)
      carried[k] = (*outputs)[1 + k];
    for (int k = 0; k < numScans; ++k) {
      const BodyValue &scan = (*outputs)[1 + numCarried + k];
      if (!scan.tensor)
        return ctx.error() << "scan output " << k << " is a sequence";
      scans[k].push_back(scan.tensor);
    }
  }
  for (int k = 0; k < numCarried; ++k) {
    const std::string &name = node.output(k);
    if (name.empty())
      continue;
    bindValue(name, carried[k]);
  }
  // Scan outputs stack the iterations' values along a new leading axis.
  for (int k = 0; k < numScans; ++k) {
    const std::string &name = node.output(numCarried + k);
    if (name.empty())
      continue;
    if (scans[k].empty())
      return ctx.error() << "the loop runs 0 times, so its scan output '" << name << "' has no shape";
    SmallVector<Value> slices;
    for (Value v : scans[k]) {
      auto type = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape = {1};
      shape.append(type.getShape().begin(), type.getShape().end());
      auto r = ctx.reshape(v, shape);
      if (failed(r))
        return failure();
      slices.push_back(*r);
    }
    auto stacked = ctx.build<ConcatOp>(slices, {ctx.namedI64("axis", 0)});
    if (failed(stacked))
      return failure();
    bindTensor(name, *stacked);
  }
  return success();
}

LogicalResult GraphImporter::importIf(const onnx::NodeProto &node, NodeContext &ctx) {
  auto c = ctx.constantInts(0, "cond");
  if (failed(c))
    return failure();
  if (c->size() != 1)
    return ctx.error() << "the condition must hold one value, it holds " << c->size();
  const char *branchName = (*c)[0] ? "then_branch" : "else_branch";
  const onnx::GraphProto *branch = graphAttribute(node, branchName);
  if (!branch)
    return ctx.error() << "If has no '" << branchName << "' graph";
  if (branch->output_size() != node.output_size())
    return ctx.error() << "its " << branchName << " has " << branch->output_size()
                       << " outputs, the node " << node.output_size();
  auto outputs = importBody(*branch, {}, ctx);
  if (failed(outputs))
    return failure();
  for (auto [name, value] : llvm::zip(node.output(), *outputs)) {
    if (name.empty())
      continue;
    bindValue(name, value);
  }
  return success();
}

LogicalResult GraphImporter::importSequenceOp(const onnx::NodeProto &node, NodeContext &ctx) {
  llvm::StringRef op = node.op_type();
  if (node.output_size() != 1 || node.output(0).empty())
    return ctx.error() << op << " must have one output";
  const std::string &output = node.output(0);
  // The sequence input (input 0 of every op here that takes one).
  auto sequenceInput = [&]() -> FailureOr<SmallVector<Value>> {
    if (node.input_size() < 1 || node.input(0).empty())
      return ctx.error() << "input 'input_sequence' is required but missing";
    if (const auto *sequence = lookupSequence(node.input(0)))
      return SmallVector<Value>(*sequence);
    return ctx.error() << "input '" << node.input(0) << "' is not a sequence";
  };

  if (op == "SequenceEmpty") {
    bindSequence(output, {});
    return success();
  }
  if (op == "SequenceConstruct") {
    SmallVector<Value> values;
    for (size_t i = 0; i < static_cast<size_t>(node.input_size()); ++i) {
      auto v = ctx.required(i);
      if (failed(v))
        return failure();
      values.push_back(*v);
    }
    bindSequence(output, std::move(values));
    return success();
  }
  if (op == "SplitToSequence") {
    auto x = ctx.required(0);
    if (failed(x))
      return failure();
    auto type = ctx.inputType(0);
    auto axis = ctx.axisAttribute(0, type);
    if (failed(axis))
      return failure();
    int64_t extent = type.getDimSize(*axis);
    SmallVector<int64_t> sizes;
    bool keepDims = true;
    if (ctx.input(1)) {
      auto split = ctx.constantInts(1, "split");
      if (failed(split))
        return failure();
      if (ctx.inputType(1).getRank() == 0) {
        // One chunk size; the last chunk may be smaller.
        int64_t chunk = (*split)[0];
        if (chunk <= 0)
          return ctx.error() << "split size " << chunk << " is not positive";
        for (int64_t start = 0; start < extent; start += chunk)
          sizes.push_back(std::min(chunk, extent - start));
      } else {
        sizes = *split;
      }
    } else {
      sizes.assign(extent, 1);
      keepDims = ctx.getInt("keepdims", 1) != 0;
    }
    int64_t total = 0;
    for (int64_t s : sizes) {
      if (s < 0)
        return ctx.error() << "split size " << s << " is negative";
      total += s;
    }
    if (total != extent)
      return ctx.error() << "split sizes add up to " << total << ", axis " << *axis << " of " << type
                         << " has " << extent;
    SmallVector<Value> pieces;
    if (!sizes.empty()) {
      auto results = ctx.buildOp(SplitOp::getOperationName(), *x,
                                 {ctx.namedI64("axis", *axis), ctx.namedI64Array("sizes", sizes)}, {},
                                 sizes.size());
      if (failed(results))
        return failure();
      pieces = *results;
    }
    if (!keepDims)
      for (Value &piece : pieces) {
        SmallVector<int64_t> shape(cast<RankedTensorType>(piece.getType()).getShape());
        shape.erase(shape.begin() + *axis);
        auto r = ctx.reshape(piece, shape);
        if (failed(r))
          return failure();
        piece = *r;
      }
    bindSequence(output, std::move(pieces));
    return success();
  }

  auto sequence = sequenceInput();
  if (failed(sequence))
    return failure();
  int64_t length = sequence->size();
  if (op == "SequenceLength") {
    bindTensor(output, scalarConstant(ctx, builder_.getIntegerType(64), length));
    return success();
  }
  if (op == "SequenceAt") {
    auto position = sequencePosition(ctx, 1, length, /*allowEnd=*/false);
    if (failed(position))
      return failure();
    bindTensor(output, (*sequence)[*position]);
    return success();
  }
  if (op == "SequenceInsert") {
    auto tensor = ctx.required(1);
    if (failed(tensor))
      return failure();
    int64_t position = length;
    if (ctx.input(2)) {
      auto p = sequencePosition(ctx, 2, length, /*allowEnd=*/true);
      if (failed(p))
        return failure();
      position = *p;
    }
    if (length && getElementTypeOrSelf((*sequence)[0].getType()) != getElementTypeOrSelf(tensor->getType()))
      return ctx.error() << "inserts a " << tensor->getType() << " into a sequence of "
                         << getElementTypeOrSelf((*sequence)[0].getType()) << " tensors";
    sequence->insert(sequence->begin() + position, *tensor);
    bindSequence(output, std::move(*sequence));
    return success();
  }
  if (op == "SequenceErase") {
    if (length == 0)
      return ctx.error() << "erases from an empty sequence";
    int64_t position = length - 1;
    if (ctx.input(1)) {
      auto p = sequencePosition(ctx, 1, length, /*allowEnd=*/false);
      if (failed(p))
        return failure();
      position = *p;
    }
    sequence->erase(sequence->begin() + position);
    bindSequence(output, std::move(*sequence));
    return success();
  }
  // ConcatFromSequence: concatenation along `axis`, or stacking along a new one with new_axis = 1.
  if (length == 0)
    return ctx.error() << "concatenates an empty sequence";
  bool newAxis = ctx.getInt("new_axis", 0) != 0;
  int64_t rank = cast<RankedTensorType>((*sequence)[0].getType()).getRank() + (newAxis ? 1 : 0);
  auto axis = normalizeAxis(ctx.getInt("axis", 0), rank);
  if (!axis)
    return ctx.error() << "axis " << ctx.getInt("axis", 0) << " is out of range for rank " << rank;
  SmallVector<Value> parts;
  for (Value v : *sequence) {
    if (newAxis) {
      SmallVector<int64_t> shape(cast<RankedTensorType>(v.getType()).getShape());
      shape.insert(shape.begin() + *axis, 1);
      auto r = ctx.reshape(v, shape);
      if (failed(r))
        return failure();
      v = *r;
    }
    parts.push_back(v);
  }
  auto joined = ctx.build<ConcatOp>(parts, {ctx.namedI64("axis", *axis)});
  if (failed(joined))
    return failure();
  bindTensor(output, *joined);
  return success();
}

} // namespace mote
