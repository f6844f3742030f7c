// Activation ranges for static quantization: see Calibration.h.
#include "targets/reference/Calibration.h"

#include "ir/ModuleTarget.h"

#include "ir/MoteDialect.h"
#include "targets/reference/Interpreter.h"
#include "targets/reference/Tensor.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/MapVector.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace mote::reference {

void AbsHistogram::add(const double *values, int64_t count) {
  double m = 0.0;
  for (int64_t k = 0; k < count; ++k)
    if (std::isfinite(values[k]))
      m = std::max(m, std::fabs(values[k]));
  if (m == 0.0)
    return;
  absMax_ = std::max(absMax_, m);
  if (range_ == 0.0)
    range_ = m;
  while (range_ < m) { // double the range: bin i of the new histogram is bins 2i and 2i + 1 of the old
    for (int i = 0; i < kBins / 2; ++i)
      counts_[i] = counts_[2 * i] + counts_[2 * i + 1];
    std::fill(counts_.begin() + kBins / 2, counts_.end(), 0.0);
    range_ *= 2.0;
  }
  const double perBin = kBins / range_;
  for (int64_t k = 0; k < count; ++k)
    if (std::isfinite(values[k]))
      counts_[std::min<int64_t>(kBins - 1, static_cast<int64_t>(std::fabs(values[k]) * perBin))] += 1.0;
}

double AbsHistogram::mseClip() const {
  if (absMax_ == 0.0)
    return 0.0;
  const double width = range_ / kBins;
  // Suffix sums of n, n c and n c^2 over bin centers c: the clipped error above t = edge i in O(1).
  std::vector<double> s0(kBins + 1, 0.0), s1(kBins + 1, 0.0), s2(kBins + 1, 0.0);
  for (int j = kBins - 1; j >= 0; --j) {
    const double c = std::min((j + 0.5) * width, absMax_);
    s0[j] = s0[j + 1] + counts_[j];
    s1[j] = s1[j + 1] + counts_[j] * c;
    s2[j] = s2[j + 1] + counts_[j] * c * c;
  }
  double best = absMax_, bestError = std::numeric_limits<double>::infinity();
  auto consider = [&](double t, int firstClipped) {
    const double s = t / 127.0;
    const double error = (s0[0] - s0[firstClipped]) * s * s / 12.0 +
                         (s2[firstClipped] - 2.0 * t * s1[firstClipped] + t * t * s0[firstClipped]);
    if (error < bestError) {
      bestError = error;
      best = t;
    }
  };
  for (int i = 1; i < kBins; ++i)
    if (i * width < absMax_)
      consider(i * width, i);
  consider(absMax_, kBins);
  return best;
}

namespace {

/// Every float value of a function's results, in order.
std::vector<double> flatten(ArrayRef<DenseElementsAttr> results) {
  std::vector<double> values;
  for (DenseElementsAttr r : results)
    if (isa<FloatType>(r.getElementType()))
      for (APFloat v : r.getValues<APFloat>())
        values.push_back(v.convertToDouble());
  return values;
}

/// 10 log10(sum f^2 / sum (f - q)^2) over the values both hold (+inf when equal).
template <class F>
double sqnrDb(const std::vector<F> &f, const std::vector<double> &q) {
  double signal = 0.0, noise = 0.0;
  for (size_t k = 0; k < f.size() && k < q.size(); ++k) {
    const double v = static_cast<double>(f[k]);
    signal += v * v;
    noise += (v - q[k]) * (v - q[k]);
  }
  return noise > 0.0 ? 10.0 * std::log10(signal / noise) : std::numeric_limits<double>::infinity();
}

bool measured(Operation *op, ArrayRef<const Tensor *> operands) {
  return isa<MatMulOp, GemmOp, ConvOp>(op) && !operands.empty() && operands[0]->isFloat();
}

} // namespace

LogicalResult calibrate(func::FuncOp func, Samples samples, FloatRun &floatRun, bool keepLayers,
                        llvm::function_ref<void(size_t)> sampleDone) {
  llvm::MapVector<Operation *, AbsHistogram> histograms;
  llvm::DenseMap<Operation *, std::vector<float>> firstOutputs;
  // A target with int8 activations quantizes every value: the range of each op's first float result and of each
  // float argument.
  TargetAttr target = getModuleTarget(func->getParentOfType<ModuleOp>());
  const bool everyValue = target && target.getActivationType() && target.getActivationType().isSignlessInteger(8);
  llvm::MapVector<Operation *, AbsHistogram> resultHistograms;
  std::vector<AbsHistogram> argumentHistograms(func.getNumArguments());
  floatRun = FloatRun{};
  for (size_t k = 0; k < samples.size(); ++k) {
    if (everyValue)
      for (unsigned a = 0; a < func.getNumArguments() && a < samples[k].size(); ++a) {
        FailureOr<Tensor> t = fromElements(samples[k][a]);
        if (succeeded(t) && t->isFloat())
          argumentHistograms[a].add(t->f.data(), t->size());
      }
    auto observe = [&](Operation *op, ArrayRef<const Tensor *> operands, ArrayRef<Tensor> results) {
      const bool floatResult = !results.empty() && results[0].isFloat();
      if (everyValue && floatResult && !isa<ConstantOp>(op)) {
        resultHistograms[op].add(results[0].f.data(), results[0].size());
        if (keepLayers && k == 0) // every integer layer is measured
          firstOutputs[op].assign(results[0].f.begin(), results[0].f.end());
      }
      if (!measured(op, operands))
        return;
      histograms[op].add(operands[0]->f.data(), operands[0]->size());
      if (keepLayers && k == 0 && floatResult)
        firstOutputs[op].assign(results[0].f.begin(), results[0].f.end());
    };
    FailureOr<SmallVector<DenseElementsAttr>> outputs = runFunction(func, samples[k], observe);
    if (failed(outputs))
      return failure();
    floatRun.outputs.push_back(flatten(*outputs));
    if (sampleDone)
      sampleDone(k);
  }
  Builder builder(func.getContext());
  // Each kept output once in floatRun.layers: its index.
  llvm::DenseMap<Operation *, int64_t> layers;
  auto layerOf = [&](Operation *op) {
    auto [it, added] = layers.try_emplace(op, static_cast<int64_t>(floatRun.layers.size()));
    if (added)
      floatRun.layers.push_back(std::move(firstOutputs[op]));
    return it->second;
  };
  auto range = [&](const AbsHistogram &h) {
    return builder.getDictionaryAttr(
        {builder.getNamedAttr("abs_max", builder.getF32FloatAttr(static_cast<float>(h.absMax()))),
         builder.getNamedAttr("mse_clip", builder.getF32FloatAttr(static_cast<float>(h.mseClip())))});
  };
  for (auto &[op, histogram] : resultHistograms) {
    DictionaryAttr r = range(histogram);
    if (firstOutputs.count(op)) {
      NamedAttrList entries(r);
      entries.set("layer", builder.getI64IntegerAttr(layerOf(op)));
      r = entries.getDictionary(op->getContext());
    }
    op->setAttr(kValueRangeAttrName, r);
  }
  if (everyValue)
    for (unsigned a = 0; a < func.getNumArguments(); ++a)
      if (isa<FloatType>(cast<ShapedType>(func.getArgument(a).getType()).getElementType()))
        func.setArgAttr(a, kValueRangeAttrName, range(argumentHistograms[a]));
  for (auto &[op, histogram] : histograms) {
    Builder b(op->getContext());
    const int64_t layer = layerOf(op);
    op->setAttr(kCalibrationAttrName,
                b.getDictionaryAttr({b.getNamedAttr("abs_max", b.getF32FloatAttr(static_cast<float>(histogram.absMax()))),
                                     b.getNamedAttr("layer", b.getI64IntegerAttr(layer)),
                                     b.getNamedAttr("mse_clip", b.getF32FloatAttr(static_cast<float>(histogram.mseClip())))}));
  }
  return success();
}

LogicalResult measureQuantizationError(func::FuncOp func, Samples samples, const FloatRun &floatRun,
                                       llvm::function_ref<void(size_t)> sampleDone) {
  std::vector<double> allFloat, allQuantized;
  llvm::DenseMap<Operation *, double> layerSqnr, integerSqnr;
  for (size_t k = 0; k < samples.size(); ++k) {
    auto observe = [&](Operation *op, ArrayRef<const Tensor *> operands, ArrayRef<Tensor> results) {
      if (auto integer = op->getAttrOfType<DictionaryAttr>(kMeasuredLayerAttrName); integer && k == 0) {
        auto layer = integer.getAs<IntegerAttr>("layer");
        auto scale = integer.getAs<FloatAttr>("scale");
        if (layer && scale && !results.empty() && !results[0].isFloat() && layer.getInt() >= 0 &&
            static_cast<size_t>(layer.getInt()) < floatRun.layers.size()) {
          const std::vector<float> &f = floatRun.layers[static_cast<size_t>(layer.getInt())];
          std::vector<double> q(results[0].i.size());
          for (size_t i = 0; i < q.size(); ++i)
            q[i] = static_cast<double>(results[0].i[i]) * scale.getValueAsDouble();
          if (f.size() == q.size())
            integerSqnr[op] = sqnrDb(f, q);
        }
      }
      auto calibration = op->getAttrOfType<DictionaryAttr>(kCalibrationAttrName);
      auto layer = calibration ? calibration.getAs<IntegerAttr>("layer") : IntegerAttr();
      if (k != 0 || !layer || !measured(op, operands) || results.empty() || layer.getInt() < 0 ||
          static_cast<size_t>(layer.getInt()) >= floatRun.layers.size())
        return;
      const std::vector<float> &f = floatRun.layers[static_cast<size_t>(layer.getInt())];
      if (f.size() == results[0].f.size())
        layerSqnr[op] = sqnrDb(f, results[0].f);
    };
    FailureOr<SmallVector<DenseElementsAttr>> outputs = runFunction(func, samples[k], observe);
    if (failed(outputs))
      return failure();
    std::vector<double> q = flatten(*outputs);
    if (k < floatRun.outputs.size() && q.size() == floatRun.outputs[k].size()) {
      allFloat.insert(allFloat.end(), floatRun.outputs[k].begin(), floatRun.outputs[k].end());
      allQuantized.insert(allQuantized.end(), q.begin(), q.end());
    }
    if (sampleDone)
      sampleDone(k);
  }
  // Each quantized weight: the lowest output SQNR over the layers that read it.
  Builder b(func.getContext());
  for (auto &[op, sqnr] : layerSqnr)
    for (Value operand : op->getOperands()) {
      auto dequantize = operand.getDefiningOp<DequantizeOp>();
      auto info = dequantize ? dequantize->getAttrOfType<DictionaryAttr>("mote.quantization") : DictionaryAttr();
      if (!info)
        continue;
      auto previous = info.getAs<FloatAttr>("output_sqnr_db");
      if (previous && previous.getValueAsDouble() <= sqnr)
        continue;
      NamedAttrList entries(info);
      entries.set("output_sqnr_db", b.getF64FloatAttr(sqnr));
      dequantize->setAttr("mote.quantization", entries.getDictionary(func.getContext()));
    }
  for (auto &[op, sqnr] : integerSqnr) {
    NamedAttrList entries(op->getAttrOfType<DictionaryAttr>(kMeasuredLayerAttrName));
    entries.set("output_sqnr_db", b.getF64FloatAttr(sqnr));
    op->setAttr(kMeasuredLayerAttrName, entries.getDictionary(func.getContext()));
  }
  double dot = 0.0, ff = 0.0, qq = 0.0;
  for (size_t k = 0; k < allFloat.size(); ++k) {
    dot += allFloat[k] * allQuantized[k];
    ff += allFloat[k] * allFloat[k];
    qq += allQuantized[k] * allQuantized[k];
  }
  const double cosine = ff > 0.0 && qq > 0.0 ? dot / std::sqrt(ff * qq) : (ff == qq ? 1.0 : 0.0);
  func->setAttr(kQuantizationErrorAttrName,
                b.getDictionaryAttr({b.getNamedAttr("cosine", b.getF64FloatAttr(cosine)),
                                     b.getNamedAttr("samples", b.getI64IntegerAttr(static_cast<int64_t>(samples.size()))),
                                     b.getNamedAttr("sqnr_db", b.getF64FloatAttr(sqnrDb(allFloat, allQuantized)))}));
  return success();
}

} // namespace mote::reference
