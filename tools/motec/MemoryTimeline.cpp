// The report's memory timeline: see MemoryTimeline.h.
#include "MemoryTimeline.h"

#include "codegen/PlanFunction.h"
#include "ir/Locations.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <numeric>

using namespace mlir;

namespace mote {

namespace {

std::string xmlEscaped(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

/// 1234567 -> "1,234,567".
std::string grouped(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

/// What made a buffer: its first op's ONNX nodes (shortened), else the op's name.
std::string producerName(Operation *op) {
  std::string nodes = describeNodes(op->getLoc());
  std::string name = nodes.empty() ? op->getName().getStringRef().str() : nodes;
  if (name.size() > 70)
    name = name.substr(0, 67) + "...";
  return name;
}

} // namespace

std::optional<MemoryTimeline> drawMemoryTimeline(func::FuncOp func) {
  auto arenaAttr = func->getAttrOfType<IntegerAttr>(kArenaBytesAttrName);
  if (!arenaAttr)
    return std::nullopt;
  FailureOr<FunctionMemoryPlan> planned = planFunctionMemory(func);
  if (failed(planned))
    return std::nullopt;
  const FunctionMemoryPlan &p = *planned;
  const int64_t arena = arenaAttr.getInt();
  const int64_t bound = p.plan.lowerBoundBytes;

  // The arena's buffers (not the app's inputs and outputs), each with the op that first writes it.
  struct Shown {
    int64_t index, offset, size, first, last;
    std::string producer;
  };
  std::vector<Operation *> stepOps(func.getBody().front().getOperations().size(), nullptr);
  for (auto [k, op] : llvm::enumerate(func.getBody().front()))
    stepOps[k] = &op;
  std::vector<Shown> shown;
  int64_t steps = std::max<int64_t>(1, static_cast<int64_t>(stepOps.size()));
  for (size_t b = 0; b < p.buffers.size(); ++b) {
    if (p.inputOf[b] >= 0 || p.outputOf[b] >= 0 || p.buffers[b].size == 0)
      continue;
    const PlanBuffer &buf = p.buffers[b];
    Operation *producer = buf.firstStep >= 0 && buf.firstStep < steps ? stepOps[buf.firstStep] : nullptr;
    // The offset the planned IR records (what the emitter uses); the lifetimes come from planning it again.
    int64_t offset = p.plan.offsets[b];
    if (producer) {
      if (auto attr = producer->getAttrOfType<IntegerAttr>(kOffsetAttrName))
        offset = attr.getInt();
      else if (auto attrs = producer->getAttrOfType<ArrayAttr>(kOffsetsAttrName))
        for (auto [k, result] : llvm::enumerate(producer->getResults()))
          if (k < attrs.size() && p.bufferOf.lookup(result) == static_cast<int64_t>(b))
            if (auto a = dyn_cast<IntegerAttr>(attrs[k]))
              offset = a.getInt();
    }
    shown.push_back({static_cast<int64_t>(b), offset, buf.size, buf.firstStep, buf.lastStep,
                     producer ? producerName(producer) : "?"});
  }
  // Bytes live at each step (the arena's buffers only).
  std::vector<int64_t> live(steps, 0);
  for (const Shown &s : shown)
    for (int64_t t = std::max<int64_t>(0, s.first); t <= std::min(steps - 1, s.last); ++t)
      live[t] += s.size;
  const int64_t peakLive = live.empty() ? 0 : *std::max_element(live.begin(), live.end());
  std::vector<size_t> bySize(shown.size());
  std::iota(bySize.begin(), bySize.end(), 0);
  std::stable_sort(bySize.begin(), bySize.end(), [&](size_t a, size_t b) { return shown[a].size > shown[b].size; });
  const size_t named = std::min<size_t>(5, bySize.size());

  // Geometry: steps along x, arena bytes up y.
  const int width = 960, height = 540, left = 90, right = 20, top = 56, plotH = 330;
  const int plotW = width - left - right, bottomY = top + plotH;
  const double yMax = std::max<double>({static_cast<double>(arena), static_cast<double>(peakLive), 1.0}) * 1.08;
  // The steps buffers live over (constants lead the schedule and hold no activation).
  int64_t xMin = steps, xMax = 0;
  for (const Shown &s : shown) {
    xMin = std::min(xMin, s.first);
    xMax = std::max(xMax, s.last + 1);
  }
  if (xMin >= xMax) {
    xMin = 0;
    xMax = steps;
  }
  auto X = [&](double step) { return left + plotW * (step - xMin) / static_cast<double>(xMax - xMin); };
  auto Y = [&](double bytes) { return bottomY - plotH * bytes / yMax; };
  auto num = [](double v) { return llvm::formatv("{0:F1}", v).str(); };

  std::string svg;
  llvm::raw_string_ostream os(svg);
  
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
     << "\" viewBox=\"0 0 " << width << " " << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
     << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
     << "<text x=\"" << left << "\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Activation arena over the schedule"
     << "</text>\n"
     << "<text x=\"" << left << "\" y=\"42\">planned arena (peak) " << grouped(arena) << " B; liveness lower bound "
     << grouped(bound) << " B; ratio " << llvm::formatv("{0:F3}", bound ? double(arena) / double(bound) : 1.0).str()
     << "; " << shown.size() << " buffers over " << steps << " steps</text>\n";
  // Axes.
  os << "<line x1=\"" << left << "\" y1=\"" << bottomY << "\" x2=\"" << left + plotW << "\" y2=\"" << bottomY
     << "\" stroke=\"black\"/>\n<line x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left << "\" y2=\""
     << bottomY << "\" stroke=\"black\"/>\n";
  for (int k = 0; k <= 4; ++k) {
    double bytes = yMax / 1.08 * k / 4;
    os << "<text x=\"" << left - 6 << "\" y=\"" << num(Y(bytes) + 4) << "\" text-anchor=\"end\">"
       << grouped(static_cast<int64_t>(bytes)) << "</text>\n";
  }
  os << "<text x=\"" << left + plotW / 2 << "\" y=\"" << bottomY + 22
     << "\" text-anchor=\"middle\">schedule step (op)</text>\n"
     << "<text x=\"" << left << "\" y=\"" << bottomY + 16 << "\">" << xMin << "</text>\n"
     << "<text x=\"" << left + plotW << "\" y=\"" << bottomY + 16 << "\" text-anchor=\"end\">" << xMax << "</text>\n"
     << "<text transform=\"translate(16," << top + plotH / 2 << ") rotate(-90)\" text-anchor=\"middle\">arena offset "
     << "(bytes)</text>\n";
  // Buffers: where they live in the arena, for how long; the largest outlined and numbered.
  for (size_t i = 0; i < shown.size(); ++i) {
    const Shown &s = shown[i];
    size_t rank = std::find(bySize.begin(), bySize.begin() + named, i) - bySize.begin();
    double hue = static_cast<double>((s.index * 47) % 360);
    os << "<rect x=\"" << num(X(s.first)) << "\" y=\"" << num(Y(s.offset + s.size)) << "\" width=\""
       << num(std::max(1.0, X(s.last + 1) - X(s.first))) << "\" height=\""
       << num(std::max(1.0, Y(s.offset) - Y(s.offset + s.size))) << "\" fill=\"hsl(" << hue
       << ",60%,70%)\" fill-opacity=\"0.8\"" << (rank < named ? " stroke=\"black\"" : "") << "><title>"
       << xmlEscaped(s.producer) << ": " << grouped(s.size) << " B at offset " << grouped(s.offset) << ", steps "
       << s.first << "-" << s.last << "</title></rect>\n";
    if (rank < named)
      os << "<text x=\"" << num(X(s.first) + 2) << "\" y=\"" << num(Y(s.offset + s.size) + 12) << "\">" << rank + 1
         << "</text>\n";
  }
  // Bytes live per step, the arena and the bound.
  os << "<polyline fill=\"none\" stroke=\"#444\" stroke-width=\"1.5\" points=\"";
  for (int64_t t = xMin; t < xMax; ++t)
    os << num(X(t)) << "," << num(Y(live[t])) << " " << num(X(t + 1)) << "," << num(Y(live[t])) << " ";
  os << "\"/>\n";
  os << "<line x1=\"" << left << "\" y1=\"" << num(Y(arena)) << "\" x2=\"" << left + plotW << "\" y2=\""
     << num(Y(arena)) << "\" stroke=\"#c00\" stroke-dasharray=\"6,3\"/>\n"
     << "<line x1=\"" << left << "\" y1=\"" << num(Y(bound)) << "\" x2=\"" << left + plotW << "\" y2=\""
     << num(Y(bound)) << "\" stroke=\"#06c\" stroke-dasharray=\"2,3\"/>\n";
  // Legend.
  int ly = bottomY + 48;
  os << "<line x1=\"" << left << "\" y1=\"" << ly - 4 << "\" x2=\"" << left + 24 << "\" y2=\"" << ly - 4
     << "\" stroke=\"#c00\" stroke-dasharray=\"6,3\"/><text x=\"" << left + 30 << "\" y=\"" << ly
     << "\">planned arena " << grouped(arena) << " B</text>\n"
     << "<line x1=\"" << left + 330 << "\" y1=\"" << ly - 4 << "\" x2=\"" << left + 354 << "\" y2=\"" << ly - 4
     << "\" stroke=\"#06c\" stroke-dasharray=\"2,3\"/><text x=\"" << left + 360 << "\" y=\"" << ly
     << "\">liveness lower bound " << grouped(bound) << " B</text>\n"
     << "<line x1=\"" << left + 640 << "\" y1=\"" << ly - 4 << "\" x2=\"" << left + 664 << "\" y2=\"" << ly - 4
     << "\" stroke=\"#444\"/><text x=\"" << left + 670 << "\" y=\"" << ly << "\">bytes live</text>\n";
  for (size_t r = 0; r < named; ++r) {
    const Shown &s = shown[bySize[r]];
    os << "<text x=\"" << left << "\" y=\"" << ly + 18 * (r + 1) << "\">" << r + 1 << ". " << grouped(s.size)
       << " B, steps " << s.first << "-" << s.last << ": " << xmlEscaped(s.producer) << "</text>\n";
  }
  os << "</svg>\n";

  std::string summary;
  llvm::raw_string_ostream md(summary);
  md << "Planned arena " << grouped(arena) << " bytes; liveness lower bound " << grouped(bound) << " bytes (ratio "
     << llvm::formatv("{0:F3}", bound ? double(arena) / double(bound) : 1.0).str()
     << "; the generated program's arena adds the f32 copies of ops computing on widened f16 values). Largest "
        "tensors:";
  for (size_t r = 0; r < named; ++r) {
    const Shown &s = shown[bySize[r]];
    md << (r ? ";" : "") << " " << grouped(s.size) << " B (" << s.producer << ")";
  }
  md << (named ? "." : " none.");
  return MemoryTimeline{svg, summary};
}

} // namespace mote
