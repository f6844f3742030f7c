// `motec compile --summary`: a short account of a module instead of its IR.
#include "Summary.h"

#include "ir/MoteDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringMap.h"

#include <algorithm>
#include <vector>

using namespace mlir;

namespace mote {

static void printValues(llvm::raw_ostream &os, llvm::StringRef title, TypeRange types,
                        llvm::function_ref<Attribute(unsigned)> nameOf) {
  os << title << ":\n";
  for (auto [i, type] : llvm::enumerate(types)) {
    auto name = dyn_cast_or_null<StringAttr>(nameOf(i));
    os << "  " << (name ? name.getValue() : llvm::StringRef("?")) << ": " << type << "\n";
  }
}

std::vector<std::pair<std::string, int64_t>> opHistogram(Operation *root) {
  llvm::StringMap<int64_t> histogram;
  root->walk([&](Operation *op) {
    if (!isa<ModuleOp, func::FuncOp, func::ReturnOp>(op))
      ++histogram[op->getName().getStringRef()];
  });
  std::vector<std::pair<std::string, int64_t>> sorted;
  for (const auto &entry : histogram)
    sorted.emplace_back(entry.getKey().str(), entry.getValue());
  std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return sorted;
}

int64_t multiplyAccumulates(ModuleOp module) {
  int64_t macs = 0;
  module.walk([&](Operation *op) {
    auto resultType = op->getNumResults() ? dyn_cast<RankedTensorType>(op->getResult(0).getType()) : nullptr;
    if (!resultType || !resultType.hasStaticShape())
      return;
    int64_t out = resultType.getNumElements();
    if (auto conv = dyn_cast<ConvOp>(op)) {
      // Every output element sums C/group x kernel products.
      auto w = conv.getWeight().getType();
      macs += out * w.getNumElements() / w.getDimSize(0);
    } else if (auto conv = dyn_cast<ConvTransposeOp>(op)) {
      auto w = conv.getWeight().getType();
      auto in = conv.getInput().getType();
      macs += in.getNumElements() * w.getNumElements() / w.getDimSize(0);
    } else if (auto mm = dyn_cast<MatMulOp>(op)) {
      auto lhs = mm.getLhs().getType();
      macs += out * lhs.getDimSize(lhs.getRank() - 1);
    } else if (auto gemm = dyn_cast<GemmOp>(op)) {
      auto a = gemm.getA().getType();
      macs += out * a.getDimSize(gemm.getTransA() ? 0 : 1);
    } else if (auto att = dyn_cast<AttentionOp>(op)) {
      // q k^T and p v: [B, H, Sq, Sk] x D and [B, H, Sq, Dv] x Sk.
      auto q = att.getQuery().getType(), k = att.getKey().getType();
      int64_t scores = q.getDimSize(0) * q.getDimSize(1) * q.getDimSize(2) * k.getDimSize(2);
      macs += scores * q.getDimSize(3) + out * k.getDimSize(2);
    }
  });
  return macs;
}

void printSummary(ModuleOp module, llvm::StringRef phase, llvm::raw_ostream &os) {
  auto source = module->getAttrOfType<StringAttr>("mote.source");
  auto opset = module->getAttrOfType<IntegerAttr>("mote.opset");
  os << "model: " << (source ? source.getValue() : "?") << " (opset "
     << (opset ? opset.getInt() : 0) << "), phase: " << phase << "\n";
  module.walk([&](func::FuncOp func) {
    printValues(os, "inputs", func.getArgumentTypes(),
                [&](unsigned i) { return func.getArgAttr(i, "mote.name"); });
    printValues(os, "outputs", func.getResultTypes(),
                [&](unsigned i) { return func.getResultAttr(i, "mote.name"); });
  });
  int64_t ops = 0, parameters = 0, parameterBytes = 0, dynamicValues = 0;
  module.walk([&](Operation *op) {
    if (isa<ModuleOp, func::FuncOp, func::ReturnOp>(op))
      return;
    ++ops;
    for (Type t : op->getResultTypes())
      if (auto shaped = dyn_cast<ShapedType>(t); shaped && !shaped.hasStaticShape())
        ++dynamicValues;
    if (auto constant = dyn_cast<ConstantOp>(op)) {
      auto type = constant.getType();
      parameters += type.getNumElements();
      parameterBytes += type.getNumElements() * std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
    }
  });
  auto sorted = opHistogram(module);
  os << "ops: " << ops << " (" << dynamicValues << " values with dynamic shapes)\n";
  for (const auto &[name, count] : sorted)
    os << "  " << name << ": " << count << "\n";
  os << "constants: " << parameters << " elements, " << parameterBytes << " bytes\n";
  os << "multiply-accumulates: " << multiplyAccumulates(module) << " (convolutions, matmuls, attention)\n";
}

} // namespace mote
