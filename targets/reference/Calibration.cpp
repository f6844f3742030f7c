// Activation ranges for static quantization: see Calibration.h.
#include "targets/reference/Calibration.h"

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

LogicalResult calibrate(func::FuncOp func, ArrayRef<SmallVector<ElementsAttr>> samples,
                        llvm::function_ref<void(size_t)> progress) {
  llvm::MapVector<Operation *, AbsHistogram> histograms;
  for (size_t k = 0; k < samples.size(); ++k) {
    auto observe = [&](Operation *op, ArrayRef<const Tensor *> operands) {
      if (!isa<MatMulOp, GemmOp, ConvOp>(op) || operands.empty() || !operands[0]->isFloat())
        return;
      histograms[op].add(operands[0]->f.data(), operands[0]->size());
    };
    if (failed(runFunction(func, samples[k], observe)))
      return failure();
    if (progress)
      progress(k);
  }
  for (auto &[op, histogram] : histograms) {
    Builder b(op->getContext());
    op->setAttr(kCalibrationAttrName,
                b.getDictionaryAttr({b.getNamedAttr("abs_max", b.getF32FloatAttr(static_cast<float>(histogram.absMax()))),
                                     b.getNamedAttr("mse_clip", b.getF32FloatAttr(static_cast<float>(histogram.mseClip())))}));
  }
  return success();
}

} // namespace mote::reference
