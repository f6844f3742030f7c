// See ResizeTables.h.
#include "ir/ResizeTables.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace mote {

ResizeTables resizeTables(ResizeOp op) {
  ArrayRef<int64_t> i = cast<RankedTensorType>(op.getInput().getType()).getShape(),
                    o = cast<RankedTensorType>(op.getResult().getType()).getShape();
  StringRef ctm = op.getCoordinateTransformationMode(), nm = op.getNearestMode();
  ResizeTables t;
  t.linear = op.getMode() == "linear";
  for (size_t d = 0; d < i.size(); ++d) {
    int64_t inN = i[d], outN = o[d];
    double scale = op.getScales()[d];
    for (int64_t oc = 0; oc < outN; ++oc) {
      double x = static_cast<double>(oc), s;
      if (ctm == "asymmetric")
        s = x / scale;
      else if (ctm == "align_corners")
        s = outN == 1 ? 0.0 : x * static_cast<double>(inN - 1) / static_cast<double>(outN - 1);
      else if (ctm == "pytorch_half_pixel")
        s = outN > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
      else if (ctm == "tf_half_pixel_for_nn")
        s = (x + 0.5) / scale;
      else
        s = (x + 0.5) / scale - 0.5;
      if (!t.linear) {
        double q;
        if (nm == "floor")
          q = std::floor(s);
        else if (nm == "ceil")
          q = std::ceil(s);
        else if (nm == "round_prefer_ceil")
          q = std::floor(s + 0.5);
        else
          q = s == std::floor(s) + 0.5 ? std::floor(s) : std::round(s);
        int64_t k = std::min<int64_t>(std::max<int64_t>(static_cast<int64_t>(q), 0), inN - 1);
        t.indices.append({k, k});
        t.weights.append({1.0f, 0.0f});
        continue;
      }
      s = std::min(std::max(s, 0.0), static_cast<double>(inN - 1));
      int64_t lo = static_cast<int64_t>(std::floor(s)), hi = std::min(lo + 1, inN - 1);
      double frac = s - static_cast<double>(lo);
      t.indices.append({lo, hi});
      t.weights.append({static_cast<float>(1.0 - frac), static_cast<float>(frac)});
    }
  }
  return t;
}

} // namespace mote
