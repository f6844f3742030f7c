// ONNX import: the graph walk from a ModelProto to a `mote` module with one function, @main.
#include "frontend/OnnxImporter.h"
#include "frontend/GraphImporter.h"
#include "ir/ShapeUtils.h"

#include "frontend/Handlers.h"
#include "frontend/ModelFile.h"
#include "frontend/SchemaCheck.h"
#include "frontend/TensorImport.h"
#include "ir/Locations.h"
#include "ir/MoteDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace mote {

std::string parseInputShape(llvm::StringRef spec, ImportOptions &options) {
  auto [name, dims] = spec.rsplit(':');
  if (name.empty() || name.size() == spec.size())
    return "expected NAME:DIMS (for example sample:1x4x64x64), got '" + spec.str() + "'";
  SmallVector<int64_t> shape;
  if (!dims.empty())
    for (llvm::StringRef d : llvm::split(dims, 'x')) {
      int64_t v;
      if (d.getAsInteger(10, v) || v < 0)
        return "dimension '" + d.str() + "' of '" + spec.str() + "' is not a non-negative integer";
      shape.push_back(v);
    }
  if (!checkedNumElements(shape))
    return "'" + spec.str() + "' has more than 2^40 elements, the most one tensor may have";
  options.inputShapes[name] = shape;
  return "";
}

GraphImporter::GraphImporter(MLIRContext &ctx, std::shared_ptr<ModelFile> file,
                             const ImportOptions &options)
    : ctx_(ctx), file_(std::move(file)), options_(options), builder_(&ctx),
      fileName_(llvm::sys::path::filename(file_->path()).str()) {}

LogicalResult GraphImporter::readOpset() {
  int64_t irVersion = file_->model().ir_version();
  if (irVersion < kMinIrVersion || irVersion > kMaxIrVersion)
    return fileError() << "ir_version " << irVersion << " is outside the range Mote reads (" << kMinIrVersion
                       << " to " << kMaxIrVersion << ")";
  llvm::StringMap<int64_t> versions;
  for (const auto &entry : file_->model().opset_import()) {
    std::string domain = entry.domain() == "ai.onnx" ? "" : entry.domain();
    auto [it, inserted] = versions.try_emplace(domain, entry.version());
    if (!inserted)
      return fileError() << "opset_import lists the domain '" << domain << "' twice (versions " << it->second
                         << " and " << entry.version() << ")";
    if (domain.empty())
      opset_ = entry.version();
    else
      domainOpsets_[domain] = entry.version();
  }
  if (opset_ == 0)
    return fileError() << "the model imports no opset of the default ONNX domain";
  if (opset_ < kMinOnnxOpset || opset_ > kMaxOnnxOpset)
    return fileError() << "opset " << opset_ << " is outside the range Mote supports ("
                       << kMinOnnxOpset << " to " << kMaxOnnxOpset << ")";
  return success();
}

FailureOr<Type> GraphImporter::inputType(const onnx::ValueInfoProto &info, size_t position) {
  const std::string &name = info.name();
  if (!info.type().has_tensor_type())
    return fileError() << "graph input '" << name << "' is not a tensor";
  const auto &tensorType = info.type().tensor_type();
  Type elementType = onnxElementType(&ctx_, tensorType.elem_type());
  if (!elementType)
    return fileError() << "graph input '" << name << "' has element type "
                       << onnxTypeName(tensorType.elem_type()) << ", which Mote does not support";
  auto bound = options_.inputShapes.find(name);
  bool hasShape = tensorType.has_shape();
  bool isDynamic = !hasShape || llvm::any_of(tensorType.shape().dim(), [](const auto &d) {
    return !d.has_dim_value() || d.dim_value() < 0;
  });
  SmallVector<int64_t> shape;
  const SmallVector<int64_t> *given = nullptr;
  auto byName = options_.givenShapes.find(name);
  SmallVector<int64_t> byConvention;
  if (bound == options_.inputShapes.end() && options_.shapeFor) {
    SmallVector<int64_t> declared;
    for (int i = 0; hasShape && i < tensorType.shape().dim_size(); ++i)
      declared.push_back(tensorType.shape().dim(i).has_dim_value() ? tensorType.shape().dim(i).dim_value() : -1);
    if (std::optional<SmallVector<int64_t>> s = options_.shapeFor(name, declared))
      byConvention = std::move(*s);
  }
  if (bound != options_.inputShapes.end())
    given = &bound->second;
  else if (!byConvention.empty())
    given = &byConvention;
  else if (isDynamic && byName != options_.givenShapes.end())
    given = &byName->second;
  else if (isDynamic && position < options_.positionalShapes.size())
    given = &options_.positionalShapes[position];
  if (given) {
    std::string source = bound != options_.inputShapes.end() ? "--input-shape gives input '" + name + "'"
                         : given == &byConvention ? "--llm's decoder convention gives input '" + name + "'"
                                                  : "the tensor given for input '" + name + "' has";
    shape.assign(given->begin(), given->end());
    if (hasShape && tensorType.shape().dim_size() != static_cast<int>(shape.size()))
      return fileError() << source << " rank " << shape.size()
                         << ", the model declares rank " << tensorType.shape().dim_size();
    for (int i = 0; hasShape && i < tensorType.shape().dim_size(); ++i) {
      const auto &dim = tensorType.shape().dim(i);
      if (dim.has_dim_value() && dim.dim_value() != shape[i])
        return fileError() << source << " dimension " << i << " = "
                           << shape[i] << ", the model fixes it to " << dim.dim_value();
    }
    return Type(RankedTensorType::get(shape, elementType));
  }
  if (!hasShape)
    return fileError() << "graph input '" << name
                       << "' has no declared shape; give one with --input-shape=" << name << ":DIMS";
  for (int i = 0; i < tensorType.shape().dim_size(); ++i) {
    const auto &dim = tensorType.shape().dim(i);
    if (!dim.has_dim_value() || dim.dim_value() < 0) {
      auto diag = fileError() << "graph input '" << name << "' dimension " << i;
      if (dim.has_dim_param())
        diag << " ('" << dim.dim_param() << "')";
      return diag << " is dynamic; bind it with --input-shape=" << name << ":DIMS";
    }
    shape.push_back(dim.dim_value());
  }
  if (!checkedNumElements(shape))
    return fileError() << "graph input '" << name << "' declares " << RankedTensorType::get(shape, elementType)
                       << ", more than 2^40 elements, the most one tensor may have";
  return Type(RankedTensorType::get(shape, elementType));
}

FailureOr<Value> GraphImporter::lookup(const std::string &name) {
  for (Scope &scope : llvm::reverse(scopes_)) {
    auto it = scope.tensors.find(name);
    if (it != scope.tensors.end())
      return it->second;
    if (scope.sequences.count(name))
      return failure();
    auto init = scope.initializers.find(name);
    if (init == scope.initializers.end())
      continue;
    // Initializers become constants at the top of the body, on first use.
    std::string error;
    ElementsAttr value = importTensor(&ctx_, *init->second, file_, error);
    if (!value)
      return fileError() << error;
    OpBuilder::InsertionGuard guard(builder_);
    builder_.setInsertionPointToStart(body_);
    Value constant = ConstantOp::create(builder_, NameLoc::get(StringAttr::get(&ctx_, name),
                                                               onnxFileLocation(&ctx_, fileName_)),
                                        value);
    scope.tensors[name] = constant;
    return constant;
  }
  return failure();
}

const SmallVector<Value> *GraphImporter::lookupSequence(const std::string &name) const {
  for (const Scope &scope : llvm::reverse(scopes_)) {
    if (scope.tensors.count(name) || scope.initializers.count(name))
      return nullptr;
    auto it = scope.sequences.find(name);
    if (it != scope.sequences.end())
      return &it->second;
  }
  return nullptr;
}

bool GraphImporter::isKnown(const std::string &name) const {
  return llvm::any_of(scopes_, [&](const Scope &scope) {
    return scope.tensors.count(name) || scope.sequences.count(name) || scope.initializers.count(name);
  });
}

std::pair<std::string, int64_t> GraphImporter::nodeDomain(const onnx::NodeProto &node) const {
  if (node.domain().empty() || node.domain() == "ai.onnx")
    return {"", opset_};
  auto it = domainOpsets_.find(node.domain());
  return {node.domain(), it == domainOpsets_.end() ? 0 : it->second};
}

Location GraphImporter::nodeLocation(const onnx::NodeProto &node, int index) const {
  std::string nodeName = node.name().empty() ? "#" + std::to_string(index) : node.name();
  auto [domain, opset] = nodeDomain(node);
  std::string opType = domain.empty() ? node.op_type() : domain + "." + node.op_type();
  return onnxNodeLocation(&ctx_, fileName_, nodeName, opType, opset);
}

FailureOr<SmallVector<Value>> GraphImporter::nodeInputs(const onnx::NodeProto &node, Location loc) {
  SmallVector<Value> inputs;
  for (const std::string &name : node.input()) {
    if (name.empty() || lookupSequence(name)) {
      inputs.push_back(Value());
      continue;
    }
    auto value = lookup(name);
    if (failed(value)) {
      if (!isKnown(name))
        return emitError(loc) << "input '" << name
                              << "' is not produced by an earlier node, an initializer or a graph input";
      return failure();
    }
    inputs.push_back(*value);
  }
  while (!inputs.empty() && !inputs.back())
    inputs.pop_back();
  for (Value v : inputs)
    if (v && !isa<RankedTensorType>(v.getType()))
      return emitError(loc) << "an input is not a tensor";
  return inputs;
}

LogicalResult GraphImporter::importNodes(const onnx::GraphProto &graph) {
  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, static_cast<int>(index))))
      return failure();
  return success();
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node, int index) {
  Location loc = nodeLocation(node, index);
  // Operators of other domains (com.microsoft's contrib operators) are keyed "DOMAIN.OpType", at the
  // version of that domain the model imports.
  auto [domain, opset] = nodeDomain(node);
  if (opset == 0)
    return emitError(loc) << "the model's opset_import does not list the domain '" << domain << "'";
  std::string opType = domain.empty() ? node.op_type() : domain + "." + node.op_type();
  bool structural = domain.empty() && isControlFlowOrSequenceOp(node.op_type());
  OpHandler handler = structural ? OpHandler() : findHandler(opType, opset);
  if (!structural && !handler) {
    if (isKnownOperator(opType))
      return emitError(loc) << "operator not supported at opset " << opset;
    if (!domain.empty())
      return emitError(loc) << "operator not supported (domain '" << domain << "')";
    return emitError(loc) << "operator not supported";
  }
  if (std::string invalid = checkNodeSchema(node, domain, opset); !invalid.empty())
    return emitError(loc) << invalid;
  // ONNX graphs are single-assignment: a name is produced once, by one node, a graph input or an
  // initializer (and a body does not shadow the graphs around it).
  for (auto [i, name] : llvm::enumerate(node.output()))
    if (!name.empty() && (isKnown(name) || llvm::count(node.output(), name) > 1))
      return emitError(loc) << "output " << i << " ('" << name
                            << "') is already the name of another value (ONNX names are assigned once)";
  auto inputs = nodeInputs(node, loc);
  if (failed(inputs))
    return failure();
  if (!structural)
    for (const std::string &name : node.input())
      if (!name.empty() && lookupSequence(name))
        return emitError(loc) << "input '" << name << "' is a sequence; this operator takes tensors";
  builder_.setInsertionPointToEnd(body_);
  NodeContext context(node, opset, builder_, loc, std::move(*inputs), file_);
  context.setInputValues(&inputValues_);
  if (structural)
    return importControlFlowOrSequence(node, context);
  if (failed(handler(context)))
    return failure();
  if (static_cast<int>(context.results().size()) > node.output_size())
    return emitError(loc) << "the node has " << node.output_size() << " outputs; " << node.op_type()
                          << " produces " << context.results().size();
  for (auto [i, value] : llvm::enumerate(context.results())) {
    const std::string &name = node.output(i);
    if (!name.empty())
      bindTensor(name, value);
  }
  return success();
}

// Exporters record the shapes their own inference found (value_info, graph outputs). Where those are
// static and differ from what Mote's ops inferred, say so: it is a model error or an importer bug.
void GraphImporter::checkDeclaredShapes() {
  const onnx::GraphProto &graph = file_->model().graph();
  auto check = [&](const onnx::ValueInfoProto &info) {
    auto it = scopes_.front().tensors.find(info.name());
    if (it == scopes_.front().tensors.end() || !info.type().has_tensor_type() || !info.type().tensor_type().has_shape())
      return;
    auto type = dyn_cast<RankedTensorType>(it->second.getType());
    const auto &declared = info.type().tensor_type().shape();
    if (!type)
      return;
    bool differs = declared.dim_size() != type.getRank();
    for (int i = 0; !differs && i < declared.dim_size(); ++i)
      differs = declared.dim(i).has_dim_value() && declared.dim(i).dim_value() != type.getDimSize(i);
    if (!differs)
      return;
    Location loc = it->second.getDefiningOp() ? it->second.getDefiningOp()->getLoc()
                                              : onnxFileLocation(&ctx_, fileName_);
    auto diag = emitWarning(loc) << "the model declares '" << info.name() << "' with shape [";
    for (int i = 0; i < declared.dim_size(); ++i) {
      const auto &d = declared.dim(i);
      diag << (i ? ", " : "") << (d.has_dim_value() ? std::to_string(d.dim_value()) : d.dim_param());
    }
    diag << "], Mote infers " << type;
  };
  for (const auto &info : graph.value_info())
    check(info);
  for (const auto &info : graph.output())
    check(info);
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  const onnx::GraphProto &graph = file_->model().graph();
  if (failed(readOpset()))
    return nullptr;
  scopes_.emplace_back();
  for (const auto &init : graph.initializer())
    scopes_.back().initializers[init.name()] = &init;
  for (const auto &sparse : graph.sparse_initializer()) {
    fileError() << "sparse initializer '" << sparse.values().name() << "' is not supported";
    return nullptr;
  }

  Location fileLoc = onnxFileLocation(&ctx_, fileName_);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  module->getOperation()->setAttr("mote.source", builder_.getStringAttr(fileName_));
  module->getOperation()->setAttr("mote.opset", builder_.getI64IntegerAttr(opset_));

  // Graph inputs, minus the initializers older exporters also list as inputs.
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  llvm::StringSet<> declared;
  for (const auto &input : graph.input()) {
    declared.insert(input.name());
    if (scopes_.back().initializers.count(input.name()))
      continue;
    auto type = inputType(input, argTypes.size());
    if (failed(type))
      return nullptr;
    argTypes.push_back(*type);
    argNames.push_back(input.name());
  }
  for (const auto &entry : options_.inputShapes)
    if (!declared.contains(entry.getKey())) {
      auto diag = fileError() << "--input-shape names '" << entry.getKey()
                              << "', which is not a graph input; the inputs are:";
      for (const std::string &name : argNames)
        diag << " '" << name << "'";
      return nullptr;
    }

  if (options_.givenValuesMustBeInputs)
    for (const auto &entry : options_.givenValues)
      if (!declared.contains(entry.getKey())) {
        fileError() << "--bind-input names '" << entry.getKey() << "', which is not a graph input";
        return nullptr;
      }

  builder_.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder_, fileLoc, "main", builder_.getFunctionType(argTypes, {}));
  body_ = func.addEntryBlock();
  // All names at once: setArgAttr rebuilds the attribute array each time (quadratic in the inputs).
  auto nameAttrs = [&](auto names) {
    SmallVector<DictionaryAttr> attrs;
    for (const std::string &name : names)
      attrs.push_back(builder_.getDictionaryAttr(builder_.getNamedAttr("mote.name", builder_.getStringAttr(name))));
    return attrs;
  };
  func.setAllArgAttrs(nameAttrs(argNames));
  for (auto [i, name] : llvm::enumerate(argNames)) {
    bindTensor(name, body_->getArgument(i));
    auto byName = options_.givenValues.find(name);
    DenseElementsAttr value = byName != options_.givenValues.end() ? byName->second
                              : i < options_.positionalValues.size() ? options_.positionalValues[i]
                                                                     : DenseElementsAttr();
    if (value && value.getType() != argTypes[i]) {
      fileError() << "the tensor given for input '" << name << "' is a " << value.getType()
                  << ", the model's input is a " << argTypes[i];
      return nullptr;
    }
    if (value)
      inputValues_[body_->getArgument(i)] = value;
  }

  if (failed(importNodes(graph)))
    return nullptr;

  SmallVector<Value> results;
  for (const auto &output : graph.output()) {
    if (!isKnown(output.name())) {
      fileError() << "graph output '" << output.name() << "' is not produced by any node";
      return nullptr;
    }
    if (lookupSequence(output.name())) {
      fileError() << "graph output '" << output.name() << "' is a sequence; Mote's outputs are tensors";
      return nullptr;
    }
    auto value = lookup(output.name());
    if (failed(value))
      return nullptr;
    results.push_back(*value);
  }
  checkDeclaredShapes();
  builder_.setInsertionPointToEnd(body_);
  func::ReturnOp::create(builder_, fileLoc, results);
  func.setType(builder_.getFunctionType(argTypes, ValueRange(results).getTypes()));
  SmallVector<std::string> outputNames;
  for (const auto &output : graph.output())
    outputNames.push_back(output.name());
  func.setAllResultAttrs(nameAttrs(outputNames));
  return module;
}

OwningOpRef<ModuleOp> importOnnxModel(MLIRContext &context, llvm::StringRef path,
                                      const ImportOptions &options) {
  context.loadDialect<MoteDialect, func::FuncDialect>();
  std::string error;
  auto file = ModelFile::load(path, error);
  if (!file) {
    emitError(onnxFileLocation(&context, llvm::sys::path::filename(path))) << error;
    return nullptr;
  }
  auto module = GraphImporter(context, file, options).run();
  if (module && options.filesRead) {
    options.filesRead->push_back(path.str());
    for (std::string &external : file->externalFiles())
      options.filesRead->push_back(std::move(external));
  }
  return module;
}

} // namespace mote
