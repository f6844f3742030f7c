// NEON op kernels: data movement (strided copies, gather, trilu, resize, pad) and reductions.
#include "runtime/neon/OpsSupport.h"

#include <type_traits>

namespace mote {
namespace neon {
namespace ops {

using namespace support;

void copyStrided(int elemBytes, int rank, const int64_t *shape, const void *in, const int64_t *inStrides, void *out,
                 const int64_t *outStrides) {
  // Drop unit dims and merge neighbours that are contiguous on both sides (a slice of rows, a concat into
  // channels): fewer, longer rows.
  int64_t sh[kMaxRank], is[kMaxRank], os[kMaxRank];
  int r = 0;
  for (int d = 0; d < rank; ++d) {
    if (shape[d] == 0)
      return;
    if (shape[d] == 1)
      continue;
    if (r > 0 && is[r - 1] == inStrides[d] * shape[d] && os[r - 1] == outStrides[d] * shape[d]) {
      sh[r - 1] *= shape[d];
      is[r - 1] = inStrides[d];
      os[r - 1] = outStrides[d];
      continue;
    }
    sh[r] = shape[d];
    is[r] = inStrides[d];
    os[r] = outStrides[d];
    ++r;
  }
  const unsigned char *ib = static_cast<const unsigned char *>(in);
  unsigned char *ob = static_cast<unsigned char *>(out);
  if (r == 0) {
    std::memcpy(ob, ib, static_cast<size_t>(elemBytes));
    return;
  }
  const int64_t *strides[2] = {is, os};
  const int64_t n = sh[r - 1];
  if (is[r - 1] == 1 && os[r - 1] == 1) { // contiguous rows: one memcpy each
    const size_t bytes = static_cast<size_t>(n * elemBytes);
    forEachIndex<2>(r - 1, sh, strides, [&](const int64_t *o) {
      std::memcpy(ob + o[1] * elemBytes, ib + o[0] * elemBytes, bytes);
    });
    return;
  }
  // Strided rows (transposes): a tight loop over the innermost dim.
  const int64_t si = is[r - 1], so = os[r - 1];
  auto rows = [&](auto *typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    forEachIndex<2>(r - 1, sh, strides, [&](const int64_t *o) {
      const T *src = reinterpret_cast<const T *>(ib) + o[0];
      T *dst = reinterpret_cast<T *>(ob) + o[1];
      for (int64_t i = 0; i < n; ++i)
        dst[i * so] = src[i * si];
    });
  };
  switch (elemBytes) {
  case 1:
    return rows(static_cast<uint8_t *>(nullptr));
  case 2:
    return rows(static_cast<uint16_t *>(nullptr));
  case 4:
    return rows(static_cast<uint32_t *>(nullptr));
  case 8:
    return rows(static_cast<uint64_t *>(nullptr));
  default:
    forEachIndex<2>(r, sh, strides, [&](const int64_t *o) {
      std::memcpy(ob + o[1] * elemBytes, ib + o[0] * elemBytes, static_cast<size_t>(elemBytes));
    });
  }
}

bool gather(int elemBytes, int64_t outer, int64_t axisDim, int64_t inner, const void *data, DType indexType,
            const void *indices, int64_t numIndices, void *out) {
  bool ok = true;
  const unsigned char *src = static_cast<const unsigned char *>(data);
  unsigned char *dst = static_cast<unsigned char *>(out);
  const size_t row = static_cast<size_t>(inner * elemBytes);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < numIndices; ++i) {
      int64_t idx = readInt(indexType, indices, i);
      if (idx < 0)
        idx += axisDim;
      unsigned char *d = dst + (o * numIndices + i) * row;
      if (idx < 0 || idx >= axisDim) {
        std::memset(d, 0, row);
        ok = false;
        continue;
      }
      std::memcpy(d, src + (o * axisDim + idx) * row, row);
    }
  return ok;
}

bool gatherW8(int64_t outer, int64_t axisDim, int64_t inner, const void *q, const float *scales, DType indexType,
              const void *indices, int64_t numIndices, float *out) {
  bool ok = true;
  const int8_t *src = static_cast<const int8_t *>(q);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < numIndices; ++i) {
      int64_t idx = readInt(indexType, indices, i);
      if (idx < 0)
        idx += axisDim;
      float *d = out + (o * numIndices + i) * inner;
      if (idx < 0 || idx >= axisDim) {
        std::memset(d, 0, sizeof(float) * static_cast<size_t>(inner));
        ok = false;
        continue;
      }
      const int8_t *row = src + (o * axisDim + idx) * inner;
      const float scale = scales[idx];
      for (int64_t k = 0; k < inner; ++k)
        d[k] = static_cast<float>(row[k]) * scale;
    }
  return ok;
}

bool gatherW4(int64_t rows, int64_t D, int64_t group, const void *q, const void *scales, DType indexType,
              const void *indices, int64_t numIndices, float *out, bool f16Scales) {
  bool ok = true;
  const uint8_t *nibbles = static_cast<const uint8_t *>(q);
  const int64_t groups = (D + group - 1) / group;
  for (int64_t i = 0; i < numIndices; ++i) {
    int64_t idx = readInt(indexType, indices, i);
    if (idx < 0)
      idx += rows;
    float *d = out + i * D;
    if (idx < 0 || idx >= rows) {
      std::memset(d, 0, sizeof(float) * static_cast<size_t>(D));
      ok = false;
      continue;
    }
    for (int64_t k = 0; k < D; ++k) {
      const int64_t g = idx * groups + k / group;
      d[k] = static_cast<float>(int4At(nibbles, idx * D + k)) * blockScaleAt(scales, f16Scales, g);
    }
  }
  return ok;
}

namespace {

// Reduces `read(i)` (element i of the contiguous input [shape]) into `write(o, value)` for each output o
// (outStrides index the output by each input dimension, 0 on reduced axes), accumulating in Acc: double for
// floats, int64_t (wrapping sums) for integers; the mean divides by reduceCount (truncating for integers).
template <typename Acc, typename Read, typename Write>
void reduceInto(Reduce op, int rank, const int64_t *shape, const int64_t *outStrides, int64_t outCount,
                int64_t reduceCount, Acc lowest, Acc highest, Read read, Write write) {
  Acc *acc = static_cast<Acc *>(std::malloc(static_cast<size_t>(outCount > 0 ? outCount : 1) * sizeof(Acc)));
  if (!acc)
    std::abort();
  const Acc init = op == Reduce::Max ? lowest : op == Reduce::Min ? highest : Acc(0);
  for (int64_t i = 0; i < outCount; ++i)
    acc[i] = init;
  int64_t is[kMaxRank];
  contiguousStrides(rank, shape, is);
  const int64_t *strides[2] = {is, outStrides};
  forEachIndex<2>(rank, shape, strides, [&](const int64_t *o) {
    Acc x = read(o[0]);
    Acc &a = acc[o[1]];
    switch (op) {
    case Reduce::Mean:
    case Reduce::Sum:
      if constexpr (std::is_integral_v<Acc>)
        a = static_cast<Acc>(static_cast<uint64_t>(a) + static_cast<uint64_t>(x));
      else
        a += x;
      break;
    case Reduce::Max: a = x > a ? x : a; break;
    case Reduce::Min: a = x < a ? x : a; break;
    }
  });
  // An empty integer mean is 0 (no division by zero); an empty float mean is NaN, as the reference's.
  const Acc count = static_cast<Acc>(std::is_integral_v<Acc> && reduceCount < 1 ? 1 : reduceCount);
  for (int64_t i = 0; i < outCount; ++i)
    write(i, op == Reduce::Mean ? acc[i] / count : acc[i]);
  std::free(acc);
}

} // namespace

void reduceF32(Reduce op, int rank, const int64_t *shape, const float *in, const int64_t *outStrides, float *out,
               int64_t outCount, int64_t reduceCount) {
  reduceInto<double>(
      op, rank, shape, outStrides, outCount, reduceCount, -std::numeric_limits<double>::infinity(),
      std::numeric_limits<double>::infinity(), [&](int64_t i) { return static_cast<double>(in[i]); },
      [&](int64_t i, double v) { out[i] = static_cast<float>(v); });
}

void reduceInt(Reduce op, DType type, int rank, const int64_t *shape, const void *in, const int64_t *outStrides,
               void *out, int64_t outCount, int64_t reduceCount) {
  reduceInto<int64_t>(
      op, rank, shape, outStrides, outCount, reduceCount, std::numeric_limits<int64_t>::min(),
      std::numeric_limits<int64_t>::max(), [&](int64_t i) { return readInt(type, in, i); },
      [&](int64_t i, int64_t v) {
        if (type == DType::I32)
          static_cast<int32_t *>(out)[i] = static_cast<int32_t>(v);
        else
          static_cast<int64_t *>(out)[i] = v;
      });
}

void argMax(DType type, int64_t outer, int64_t n, int64_t inner, bool selectLast, const void *in, int64_t *out) {
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      int64_t best = 0;
      for (int64_t i = 1; i < n; ++i) {
        const int64_t e = (o * n + i) * inner + j, b = (o * n + best) * inner + j;
        bool better;
        if (type == DType::F32) {
          float x = static_cast<const float *>(in)[e], y = static_cast<const float *>(in)[b];
          better = selectLast ? x >= y : x > y;
        } else {
          int64_t x = readInt(type, in, e), y = readInt(type, in, b);
          better = selectLast ? x >= y : x > y;
        }
        if (better)
          best = i;
      }
      out[o * inner + j] = best;
    }
}

void trilu(int elemBytes, int64_t batch, int64_t rows, int64_t cols, bool upper, int64_t k, const void *in,
           void *out) {
  const unsigned char *src = static_cast<const unsigned char *>(in);
  unsigned char *dst = static_cast<unsigned char *>(out);
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        const bool keep = upper ? j >= i + k : j <= i + k;
        const int64_t e = (b * rows + i) * cols + j;
        if (keep)
          std::memmove(dst + e * elemBytes, src + e * elemBytes, static_cast<size_t>(elemBytes));
        else
          std::memset(dst + e * elemBytes, 0, static_cast<size_t>(elemBytes));
      }
}

void resizeNearest(int elemBytes, int rank, const int64_t *outShape, const int64_t *inStrides, const int64_t *idx,
                   const void *in, void *out) {
  if (rank == 0) {
    std::memcpy(out, in, static_cast<size_t>(elemBytes));
    return;
  }
  int64_t base[kMaxRank];
  for (int d = 0; d < rank; ++d)
    base[d] = 2 * (d == 0 ? 0 : (base[d - 1] / 2 + outShape[d - 1]));
  // Copy runs: the trailing dims that map every output index to the same input index and are contiguous in
  // the input (NHWC channels under a spatial resize) move as one memcpy per output row.
  int keep = rank;
  int64_t run = 1;
  while (keep > 0) {
    const int d = keep - 1;
    bool identity = inStrides[d] == run;
    for (int64_t i = 0; identity && i < outShape[d]; ++i)
      identity = idx[base[d] + 2 * i] == i;
    if (!identity)
      break;
    run *= outShape[d];
    --keep;
  }
  const size_t runBytes = static_cast<size_t>(run * elemBytes);
  int64_t rows = 1;
  for (int d = 0; d < keep; ++d)
    rows *= outShape[d];
  const unsigned char *src = static_cast<const unsigned char *>(in);
  unsigned char *dst = static_cast<unsigned char *>(out);
  rt::parallelFor(0, rows, 64, [&](int64_t r0, int64_t r1) {
    int64_t o[kMaxRank] = {0};
    int64_t rest = r0; // r0 unravelled over the outer dims
    for (int d = keep - 1; d >= 0; --d) {
      o[d] = rest % outShape[d];
      rest /= outShape[d];
    }
    for (int64_t r = r0; r < r1; ++r) {
      int64_t from = 0;
      for (int d = 0; d < keep; ++d)
        from += idx[base[d] + 2 * o[d]] * inStrides[d];
      std::memcpy(dst + static_cast<size_t>(r) * runBytes, src + static_cast<size_t>(from * elemBytes), runBytes);
      for (int d = keep - 1; d >= 0; --d) {
        if (++o[d] < outShape[d])
          break;
        o[d] = 0;
      }
    }
  });
}

void resize(int rank, const int64_t *outShape, const int64_t *inStrides, const int64_t *idx, const float *wts,
            bool linear, const float *in, float *out) {
  if (!linear)
    return resizeNearest(4, rank, outShape, inStrides, idx, in, out);
  int64_t base[kMaxRank];
  int64_t total = 1;
  for (int d = 0; d < rank; ++d) {
    base[d] = 2 * (d == 0 ? 0 : (base[d - 1] / 2 + outShape[d - 1]));
    total *= outShape[d];
  }
  int64_t o[kMaxRank] = {0};
  const int corners = linear ? 1 << rank : 1;
  for (int64_t e = 0; e < total; ++e) {
    double acc = 0.0;
    for (int c = 0; c < corners; ++c) {
      double w = 1.0;
      int64_t src = 0;
      for (int d = 0; d < rank; ++d) {
        const int bit = linear ? (c >> d) & 1 : 0;
        const int64_t t = base[d] + 2 * o[d] + bit;
        w *= wts[t];
        src += idx[t] * inStrides[d];
      }
      if (w != 0.0)
        acc += w * in[src];
    }
    out[e] = static_cast<float>(acc);
    for (int d = rank - 1; d >= 0; --d) {
      if (++o[d] < outShape[d])
        break;
      o[d] = 0;
    }
  }
}

void pad(int elemBytes, int rank, const int64_t *inShape, const int64_t *outShape, const int64_t *padsBegin, int mode,
         double value, DType type, const void *in, void *out) {
  int64_t is[kMaxRank];
  contiguousStrides(rank, inShape, is);
  int64_t total = 1;
  for (int d = 0; d < rank; ++d)
    total *= outShape[d];
  unsigned char fill[8] = {0};
  if (type == DType::F32) {
    float f = static_cast<float>(value);
    std::memcpy(fill, &f, 4);
  } else if (type == DType::I64) {
    int64_t v = static_cast<int64_t>(value);
    std::memcpy(fill, &v, 8);
  } else if (type == DType::I32) {
    int32_t v = static_cast<int32_t>(value);
    std::memcpy(fill, &v, 4);
  } else {
    fill[0] = value != 0.0 ? 1 : 0;
  }
  const unsigned char *src = static_cast<const unsigned char *>(in);
  unsigned char *dst = static_cast<unsigned char *>(out);
  int64_t o[kMaxRank] = {0};
  for (int64_t e = 0; e < total; ++e) {
    int64_t s = 0;
    bool inside = true;
    for (int d = 0; d < rank; ++d) {
      int64_t i = o[d] - padsBegin[d], n = inShape[d];
      if (i < 0 || i >= n) {
        if (mode == 0 || n == 0) {
          inside = false;
          break;
        }
        if (mode == 1) { // reflect
          const int64_t period = 2 * (n - 1);
          if (period == 0)
            i = 0;
          else {
            i = ((i % period) + period) % period;
            if (i >= n)
              i = period - i;
          }
        } else { // edge
          i = i < 0 ? 0 : n - 1;
        }
      }
      s += i * is[d];
    }
    std::memcpy(dst + e * elemBytes, inside ? src + s * elemBytes : fill, static_cast<size_t>(elemBytes));
    for (int d = rank - 1; d >= 0; --d) {
      if (++o[d] < outShape[d])
        break;
      o[d] = 0;
    }
  }
}

} // namespace ops
} // namespace neon
} // namespace mote
