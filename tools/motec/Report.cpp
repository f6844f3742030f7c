// `motec compile --report`: report.json, report.md and (planned functions) memory.svg.
#include "Report.h"

#include "MemoryTimeline.h"
#include "Summary.h"

#include "codegen/KernelChoice.h"
#include "codegen/PlanFunction.h"
#include "codegen/ShapeArithmetic.h"
#include "ir/Locations.h"
#include "ir/MoteDialect.h"
#include "targets/TargetDescription.h"
#include "targets/reference/Calibration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace mlir;

namespace mote {

namespace {

std::map<std::string, int64_t> countOps(Operation *op) {
  std::map<std::string, int64_t> counts;
  for (auto &[name, n] : opHistogram(op))
    counts[name] = n;
  return counts;
}

int64_t total(const std::map<std::string, int64_t> &counts) {
  int64_t n = 0;
  for (auto &[name, c] : counts)
    n += c;
  return n;
}

} // namespace

// Counts ops before and after every pass; passes that run once per function add up into one record.
class ReportInstrumentation : public PassInstrumentation {
public:
  ReportInstrumentation(CompileReport &report, std::string phase) : report_(report), phase_(std::move(phase)) {}

  void runBeforePass(Pass *pass, Operation *op) override { before_[pass] = countOps(op); }

  void runAfterPass(Pass *pass, Operation *op) override {
    // The adaptor that runs nested (per-function) passes is not a pass of ours to report.
    if (pass->getArgument().empty() && pass->getName().contains("OpToOpPassAdaptor"))
      return;
    auto after = countOps(op);
    auto &before = before_[pass];
    std::string name = pass->getArgument().empty() ? pass->getName().str() : pass->getArgument().str();
    // One record per pass instance (canonicalize runs more than once per phase); a nested pass that
    // runs on several functions adds up into its record.
    auto [it, inserted] = records_.try_emplace(pass, report_.passes_.size());
    if (inserted)
      report_.passes_.push_back({phase_, name, 0, 0, {}});
    CompileReport::PassRecord *record = &report_.passes_[it->second];
    record->opsBefore += total(before);
    record->opsAfter += total(after);
    for (auto &[op, n] : after)
      record->delta[op] += n;
    for (auto &[op, n] : before)
      record->delta[op] -= n;
    for (auto it = record->delta.begin(); it != record->delta.end();)
      it = it->second == 0 ? record->delta.erase(it) : std::next(it);
  }

private:
  CompileReport &report_;
  std::string phase_;
  llvm::DenseMap<Pass *, std::map<std::string, int64_t>> before_;
  llvm::DenseMap<Pass *, size_t> records_;
};

void CompileReport::recordPhase(llvm::StringRef phase, ModuleOp module) {
  phases_.emplace_back(phase.str(), opHistogram(module));
}

std::unique_ptr<PassInstrumentation> CompileReport::instrument(llvm::StringRef phase) {
  return std::make_unique<ReportInstrumentation>(*this, phase.str());
}

bool CompileReport::write(llvm::StringRef dir, ModuleOp module, std::string &error) const {
  llvm::json::Object root;
  if (auto source = module->getAttrOfType<StringAttr>("mote.source"))
    root["model"] = source.getValue().str();
  if (TargetAttr target = getModuleTarget(module)) {
    std::string text;
    llvm::raw_string_ostream os(text);
    Attribute(target).print(os);
    root["target"] = target.getName().str();
    root["target_description"] = text;
  }
  llvm::json::Array phases;
  for (auto &[phase, histogram] : phases_) {
    llvm::json::Object ops;
    int64_t n = 0;
    for (auto &[name, count] : histogram) {
      ops[name] = count;
      n += count;
    }
    phases.push_back(llvm::json::Object{{"phase", phase}, {"ops", n}, {"histogram", std::move(ops)}});
  }
  root["phases"] = std::move(phases);
  llvm::json::Array passes;
  for (const PassRecord &r : passes_) {
    llvm::json::Object delta;
    for (auto &[name, d] : r.delta)
      delta[name] = d;
    passes.push_back(llvm::json::Object{{"phase", r.phase},
                                        {"pass", r.pass},
                                        {"ops_before", r.opsBefore},
                                        {"ops_after", r.opsAfter},
                                        {"changed", !r.delta.empty()},
                                        {"delta", std::move(delta)}});
  }
  root["passes"] = std::move(passes);
  // Serialized convolutions carry what forced them (see mote-serialize-conv2d).
  llvm::json::Array serializations;
  module.walk([&](Operation *op) {
    auto info = op->getAttrOfType<DictionaryAttr>("mote.serialization");
    if (!info)
      return;
    llvm::json::Object entry{{"node", describeLocation(op->getLoc())}};
    for (NamedAttribute a : info) {
      if (auto i = dyn_cast<IntegerAttr>(a.getValue()))
        entry[a.getName().getValue()] = i.getInt();
      else if (auto s = dyn_cast<StringAttr>(a.getValue()))
        entry[a.getName().getValue()] = s.getValue().str();
    }
    serializations.push_back(std::move(entry));
  });
  root["serializations"] = std::move(serializations);
  // Quantized weights (mote-quantize-weights), the lowest output SQNR first (measured on --calibration's
  // samples), else the lowest weight SQNR first.
  struct Quantized {
    std::string node, scheme;
    int64_t floatBytes, quantizedBytes;
    double sqnr;
    std::optional<double> outputSqnr;
  };
  std::vector<Quantized> quantized;
  module.walk([&](DequantizeOp op) {
    auto info = op->getAttrOfType<DictionaryAttr>("mote.quantization");
    if (!info)
      return;
    auto str = [&](llvm::StringRef k) { auto a = info.getAs<StringAttr>(k); return a ? a.getValue().str() : ""; };
    auto num = [&](llvm::StringRef k) { auto a = info.getAs<IntegerAttr>(k); return a ? a.getInt() : 0; };
    auto sqnr = info.getAs<FloatAttr>("weight_sqnr_db");
    auto output = info.getAs<FloatAttr>("output_sqnr_db");
    quantized.push_back({describeNodes(op.getLoc()), str("scheme"), num("float_bytes"), num("quantized_bytes"),
                         sqnr ? sqnr.getValueAsDouble() : 0.0,
                         output ? std::optional<double>(output.getValueAsDouble()) : std::nullopt});
  });
  // Without a measurement a layer sorts last (infinity).
  auto key = [](const Quantized &q) {
    return q.outputSqnr ? *q.outputSqnr : std::numeric_limits<double>::infinity();
  };
  std::stable_sort(quantized.begin(), quantized.end(), [&](const Quantized &a, const Quantized &b) {
    return key(a) != key(b) ? key(a) < key(b) : a.sqnr < b.sqnr;
  });
  auto jsonNumber = [](double v) { // JSON has no infinity: an exact result (no error) is null
    return std::isfinite(v) ? llvm::json::Value(v) : llvm::json::Value(nullptr);
  };
  llvm::json::Array quantizedJson;
  int64_t floatTotal = 0, quantizedTotal = 0;
  for (const Quantized &q : quantized) {
    floatTotal += q.floatBytes;
    quantizedTotal += q.quantizedBytes;
    quantizedJson.push_back(llvm::json::Object{
        {"node", q.node},
        {"scheme", q.scheme},
        {"float_bytes", q.floatBytes},
        {"quantized_bytes", q.quantizedBytes},
        {"weight_sqnr_db", jsonNumber(q.sqnr)}});
    if (q.outputSqnr)
      (*quantizedJson.back().getAsObject())["output_sqnr_db"] = jsonNumber(*q.outputSqnr);
  }
  root["quantized_weights"] = std::move(quantizedJson);
  // Layers the quantized phase left float, and why (mote.float_reason).
  std::vector<std::pair<std::string, std::string>> floatLayers;
  module.walk([&](Operation *op) {
    if (auto reason = op->getAttrOfType<StringAttr>("mote.float_reason"))
      floatLayers.push_back({describeNodes(op->getLoc()), reason.getValue().str()});
  });
  llvm::json::Array floatJson;
  for (const auto &[node, reason] : floatLayers)
    floatJson.push_back(llvm::json::Object{{"node", node}, {"reason", reason}});
  if (!quantized.empty())
    root["float_layers"] = std::move(floatJson);
  std::optional<double> modelSqnr, modelCosine;
  int64_t errorSamples = 0;
  module.walk([&](func::FuncOp f) {
    if (auto error = f->getAttrOfType<DictionaryAttr>(reference::kQuantizationErrorAttrName)) {
      auto sqnr = error.getAs<FloatAttr>("sqnr_db"), cosine = error.getAs<FloatAttr>("cosine");
      auto samples = error.getAs<IntegerAttr>("samples");
      modelSqnr = sqnr ? sqnr.getValueAsDouble() : 0.0;
      modelCosine = cosine ? cosine.getValueAsDouble() : 0.0;
      errorSamples = samples ? samples.getInt() : 0;
    }
  });
  // The integer pipeline's layers (kMeasuredLayerAttrName) with a measured output, the lowest SQNR first.
  struct IntegerLayer {
    std::string node, op;
    double sqnr;
  };
  std::vector<IntegerLayer> integerLayers;
  module.walk([&](Operation *op) {
    auto info = op->getAttrOfType<DictionaryAttr>(kMeasuredLayerAttrName);
    if (auto sqnr = info ? info.getAs<FloatAttr>("output_sqnr_db") : FloatAttr())
      integerLayers.push_back({describeNodes(op->getLoc()), op->getName().getStringRef().str(), sqnr.getValueAsDouble()});
  });
  std::stable_sort(integerLayers.begin(), integerLayers.end(),
                   [](const IntegerLayer &a, const IntegerLayer &b) { return a.sqnr < b.sqnr; });
  llvm::json::Array integerJson;
  for (const IntegerLayer &l : integerLayers)
    integerJson.push_back(llvm::json::Object{{"node", l.node}, {"op", l.op}, {"output_sqnr_db", jsonNumber(l.sqnr)}});
  if (!integerLayers.empty())
    root["integer_layers"] = std::move(integerJson);
  if (modelSqnr)
    root["quantized_output"] =
        llvm::json::Object{{"sqnr_db", jsonNumber(*modelSqnr)}, {"cosine", *modelCosine}, {"samples", errorSamples}};
  if (!quantized.empty()) {
    root["quantized_float_bytes"] = floatTotal;
    root["quantized_bytes"] = quantizedTotal;
  }

  // Kernel calls per inference once kernels are chosen (planned, emitted): every op of @main with a
  // kernel other than a view, plus the f16 <-> f32 conversions of ops that compute on widened copies. And
  // the fused regions, with the ops each computes.
  llvm::json::Array fused;
  int64_t launches = 0;
  bool planned = false;
  // Which ops run how: per kernel, the ops that call it by op name (a region by its kind).
  std::map<std::string, std::map<std::string, int64_t>> kernelOps;
  if (auto main = module.lookupSymbol<func::FuncOp>("main"); main && !main.isExternal()) {
    for (Operation &op : main.getBody().front()) {
      if (auto region = dyn_cast<FusedOp>(op)) {
        llvm::json::Array ops;
        for (Operation &inner : region.getBlock().without_terminator())
          ops.push_back(inner.getName().getStringRef().str());
        fused.push_back(llvm::json::Object{
            {"kind", region.getKind().str()}, {"nodes", describeLocation(op.getLoc())}, {"ops", std::move(ops)}});
      }
      std::optional<KernelChoice> choice = recordedKernel(&op);
      if (!choice || choice->kernel.empty())
        continue;
      planned = true;
      auto region = dyn_cast<FusedOp>(op);
      ++kernelOps[choice->kernel][region ? "mote.fused \"" + region.getKind().str() + "\""
                                         : op.getName().getStringRef().str()];
      if (choice->kernel == "view")
        continue;
      // A concat or split is one copy per piece on every target.
      launches += isa<ConcatOp>(op) ? op.getNumOperands() : isa<SplitOp>(op) ? op.getNumResults() : 1;
      if (choice->widens)
        for (Value v : llvm::concat<Value>(op.getOperands(), op.getResults()))
          launches += codegen::elementTypeOf(v).isF16();
    }
  }
  root["fused_regions"] = std::move(fused);
  if (planned) {
    llvm::json::Object kernels;
    for (auto &[kernel, ops] : kernelOps) {
      llvm::json::Object byOp;
      for (auto &[name, count] : ops)
        byOp[name] = count;
      kernels[kernel] = std::move(byOp);
    }
    root["kernels"] = std::move(kernels);
    root["kernel_launches"] = launches;
    for (auto &[phase, histogram] : phases_) {
      if (phase != "canonical")
        continue;
      int64_t compute = 0;
      for (auto &[name, count] : histogram)
        compute += name == "mote.constant" ? 0 : count;
      root["canonical_compute_ops"] = compute;
      if (compute)
        root["launches_per_canonical_op"] = static_cast<double>(launches) / compute;
    }
  }
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    for (StringRef name : {StringRef(kDeviceMemoryAttrName), StringRef(kLargestAllocationAttrName)})
      if (auto bytes = main->getAttrOfType<IntegerAttr>(name))
        root[name.drop_front(5)] = bytes.getInt(); // "device_memory_bytes", "largest_allocation_bytes"
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    if (auto sizes = main->getAttrOfType<DictionaryAttr>(kWorkGroupSizesAttrName)) {
      llvm::json::Object byKernel;
      for (NamedAttribute entry : sizes) {
        llvm::json::Array list;
        for (Attribute a : cast<ArrayAttr>(entry.getValue()))
          list.push_back(cast<StringAttr>(a).getValue().str());
        byKernel[entry.getName().getValue()] = std::move(list);
      }
      root["work_group_sizes"] = std::move(byKernel);
    }

  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    error = "cannot create '" + dir.str() + "': " + ec.message();
    return false;
  }
  llvm::SmallString<256> jsonPath(dir), mdPath(dir);
  llvm::sys::path::append(jsonPath, "report.json");
  llvm::sys::path::append(mdPath, "report.md");
  std::error_code ec;
  llvm::raw_fd_ostream json(jsonPath, ec);
  if (ec) {
    error = "cannot write '" + std::string(jsonPath) + "': " + ec.message();
    return false;
  }
  llvm::json::Value value(std::move(root));
  json << llvm::formatv("{0:2}", value) << "\n";

  llvm::raw_fd_ostream md(mdPath, ec);
  if (ec) {
    error = "cannot write '" + std::string(mdPath) + "': " + ec.message();
    return false;
  }
  const llvm::json::Object &r = *value.getAsObject();
  md << "# Mote compile report\n\n";
  if (auto model = r.getString("model"))
    md << "Model: `" << *model << "`";
  if (auto target = r.getString("target"))
    md << ", target: `" << *target << "`";
  md << "\n\n## Op histogram per phase\n\n| op |";
  for (auto &[phase, histogram] : phases_)
    md << " " << phase << " |";
  md << "\n|---|";
  for (size_t i = 0; i < phases_.size(); ++i)
    md << "---:|";
  md << "\n";
  std::vector<std::string> names;
  for (auto &[phase, histogram] : phases_)
    for (auto &[name, count] : histogram)
      if (std::find(names.begin(), names.end(), name) == names.end())
        names.push_back(name);
  for (const std::string &name : names) {
    md << "| " << name << " |";
    for (auto &[phase, histogram] : phases_) {
      auto it = std::find_if(histogram.begin(), histogram.end(), [&](auto &e) { return e.first == name; });
      md << " " << (it == histogram.end() ? 0 : it->second) << " |";
    }
    md << "\n";
  }
  md << "\n## What each pass changed\n\n| phase | pass | ops before | ops after | change |\n|---|---|---:|---:|---|\n";
  for (const PassRecord &p : passes_) {
    md << "| " << p.phase << " | " << p.pass << " | " << p.opsBefore << " | " << p.opsAfter << " | ";
    bool first = true;
    for (auto &[name, d] : p.delta) {
      md << (first ? "" : ", ") << (d > 0 ? "+" : "") << d << " " << name;
      first = false;
    }
    md << (p.delta.empty() ? "no change" : "") << " |\n";
  }
  if (std::optional<int64_t> launches = r.getInteger("kernel_launches")) {
    md << "\n## Kernels\n\n" << *launches << " kernel launches per inference";
    if (std::optional<int64_t> compute = r.getInteger("canonical_compute_ops"))
      md << " for " << *compute << " non-constant ops at canonical ("
         << llvm::format("%.2f", *compute ? static_cast<double>(*launches) / *compute : 0.0) << " per op)";
    md << ".\n";
    if (const llvm::json::Object *kernels = r.getObject("kernels")) {
      md << "\nWhich ops run how: each kernel the target calls, with the ops that call it.\n\n"
         << "| kernel | ops |\n|---|---|\n";
      std::vector<std::string> names;
      for (const auto &entry : *kernels)
        names.push_back(entry.first.str());
      std::sort(names.begin(), names.end());
      for (const std::string &name : names) {
        md << "| " << name << " | ";
        bool first = true;
        if (const llvm::json::Object *ops = kernels->getObject(name)) {
          std::vector<std::string> opNames;
          for (const auto &entry : *ops)
            opNames.push_back(entry.first.str());
          std::sort(opNames.begin(), opNames.end());
          for (const std::string &op : opNames) {
            md << (first ? "" : ", ") << ops->getInteger(op).value_or(0) << " " << op;
            first = false;
          }
        }
        md << " |\n";
      }
    }
  }
  if (const llvm::json::Object *sizes = r.getObject("work_group_sizes")) {
    md << "\nWork-group sizes per kernel (\"driver\": the OpenCL driver's choice), with the launches of each:\n\n"
       << "| kernel | work-group size: launches |\n|---|---|\n";
    std::vector<std::string> names;
    for (const auto &entry : *sizes)
      names.push_back(entry.first.str());
    llvm::sort(names);
    for (const std::string &name : names) {
      md << "| " << name << " |";
      bool first = true;
      for (const llvm::json::Value &v : *sizes->getArray(name)) {
        md << (first ? " " : ", ") << v.getAsString().value_or("");
        first = false;
      }
      md << " |\n";
    }
  }
  if (std::optional<int64_t> device = r.getInteger("device_memory_bytes"))
    md << "\nDevice memory: " << *device << " bytes (activations, weights, inputs and outputs, kernels' scratch); the largest single "
       << "allocation " << r.getInteger("largest_allocation_bytes").value_or(0) << " bytes.\n";
  // The memory timeline, once the function is planned.
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    if (std::optional<MemoryTimeline> timeline = drawMemoryTimeline(main)) {
      llvm::SmallString<256> svgPath(dir);
      llvm::sys::path::append(svgPath, "memory.svg");
      llvm::raw_fd_ostream svg(svgPath, ec);
      if (ec) {
        error = "cannot write '" + std::string(svgPath) + "': " + ec.message();
        return false;
      }
      svg << timeline->svg;
      md << "\n## Memory\n\n" << timeline->summary << "\n\n![Activation arena over the schedule](memory.svg)\n";
    }
  md << "\n## Fused regions\n\n";
  const llvm::json::Array *regions = r.getArray("fused_regions");
  if (!regions || regions->empty()) {
    md << "None.\n";
  } else {
    md << "| kind | ops | nodes |\n|---|---|---|\n";
    for (const llvm::json::Value &v : *regions) {
      const llvm::json::Object &o = *v.getAsObject();
      std::string ops;
      if (const llvm::json::Array *list = o.getArray("ops"))
        for (const llvm::json::Value &name : *list)
          ops += (ops.empty() ? "" : ", ") + name.getAsString().value_or("").str();
      md << "| " << o.getString("kind").value_or("") << " | " << ops << " | " << o.getString("nodes").value_or("")
         << " |\n";
    }
  }
  if (!quantized.empty()) {
    md << "\n## Quantized weights\n\n" << quantized.size() << " weights, " << floatTotal << " bytes as float, "
       << quantizedTotal << " quantized (" << llvm::format("%.3f", static_cast<double>(quantizedTotal) / floatTotal)
       << "x; values and scales). The weight SQNR is 10 log10(sum w^2 / sum (w - dequantized w)^2)";
    auto dB = [](double v) { return std::isfinite(v) ? llvm::formatv("{0:F1}", v).str() : std::string("exact"); };
    if (modelSqnr)
      md << "; the output SQNR is the same measure of the layer's output in the quantized model against the float model, "
            "on the first --calibration sample (errors of earlier layers included), the lowest first. The model's "
            "outputs over "
         << errorSamples << " samples: SQNR " << dB(*modelSqnr) << " dB, cosine "
         << llvm::format("%.6f", *modelCosine);
    else
      md << ", the lowest first (--calibration=DIR adds each layer's output SQNR)";
    md << ".\n\n| node | scheme | float bytes | quantized bytes | weight SQNR (dB) | output SQNR (dB) |\n"
          "|---|---|---:|---:|---:|---:|\n";
    for (const Quantized &q : quantized)
      md << "| " << q.node << " | " << q.scheme << " | " << q.floatBytes << " | " << q.quantizedBytes << " | "
         << dB(q.sqnr) << " | " << (q.outputSqnr ? dB(*q.outputSqnr) : std::string("")) << " |\n";
    md << "\n### Layers kept float\n\n";
    if (floatLayers.empty())
      md << "None.\n";
    else
      md << "| node | why |\n|---|---|\n";
    for (const auto &[node, reason] : floatLayers)
      md << "| " << node << " | " << reason << " |\n";
  }
  if (!integerLayers.empty()) {
    auto dB = [](double v) { return std::isfinite(v) ? llvm::formatv("{0:F1}", v).str() : std::string("exact"); };
    md << "\n## Integer layers\n\n" << integerLayers.size()
       << " integer ops compute the model's values (the target's integer pipeline). The output SQNR is 10 log10(sum "
          "f^2 / sum (f - q)^2) of each one's dequantized output against the float model's value on the first "
          "--calibration sample (errors of earlier layers included), the lowest first.";
    if (modelSqnr)
      md << " The model's outputs over " << errorSamples << " samples: SQNR " << dB(*modelSqnr) << " dB, cosine "
         << llvm::format("%.6f", *modelCosine) << ".";
    md << "\n\n| node | op | output SQNR (dB) |\n|---|---|---:|\n";
    for (const IntegerLayer &l : integerLayers)
      md << "| " << l.node << " | " << l.op << " | " << dB(l.sqnr) << " |\n";
  }
  md << "\n## Serialized convolutions\n\n";
  const llvm::json::Array *serialized = r.getArray("serializations");
  if (!serialized || serialized->empty()) {
    md << "None.\n";
  } else {
    md << "| node | axis | factor | input bytes | output bytes | weight bytes | limit |\n"
       << "|---|---|---:|---:|---:|---:|---:|\n";
    for (const llvm::json::Value &v : *serialized) {
      const llvm::json::Object &o = *v.getAsObject();
      auto str = [&](llvm::StringRef k) { return o.getString(k).value_or("").str(); };
      auto num = [&](llvm::StringRef k) { return o.getInteger(k).value_or(0); };
      md << "| " << str("node") << " | " << str("axis") << " | " << num("factor") << " | " << num("input_bytes")
         << " | " << num("output_bytes") << " | " << num("weight_bytes") << " | " << num("limit") << " |\n";
    }
  }
  return true;
}

} // namespace mote
