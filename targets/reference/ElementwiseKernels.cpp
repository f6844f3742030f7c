// Reference kernels of the elementwise ops: math, activations, broadcasting arithmetic, comparisons,
// where, cast and clip.
#include "targets/reference/Kernels.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <functional>

using namespace mlir;

namespace mote::reference {
namespace {

constexpr double kPi = 3.14159265358979323846;

Results unaryFloat(Operation *op, const Tensor &x, const std::function<double(double)> &fn) {
  Tensor out = resultTensor(op);
  for (int64_t k = 0, n = x.size(); k < n; ++k)
    out.set(k, fn(x.get(k)));
  return SmallVector<Tensor>{std::move(out)};
}

// Integer-preserving unary ops (neg, abs, relu) keep integer arithmetic for integer tensors.
Results unaryAny(Operation *op, const Tensor &x, const std::function<double(double)> &fn,
                 const std::function<int64_t(int64_t)> &intFn) {
  if (x.isFloat())
    return unaryFloat(op, x, fn);
  Tensor out = resultTensor(op);
  for (int64_t k = 0, n = x.size(); k < n; ++k)
    out.setInt(k, intFn(x.i[k]));
  return SmallVector<Tensor>{std::move(out)};
}

double gelu(double x, StringRef approximate) {
  if (approximate == "sigmoid")
    return x / (1.0 + std::exp(-1.702 * x));
  if (approximate == "tanh")
    return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / kPi) * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
}

enum class Arith { Add, Sub, Mul, Div, Pow, Min, Max };
enum class Cmp { Eq, Lt, Gt, Le, Ge, And, Or };

Results arith(Operation *op, const Tensor &a, const Tensor &b, Arith kind) {
  Tensor out = resultTensor(op);
  auto ai = broadcastIndex(a.shape, out.shape), bi = broadcastIndex(b.shape, out.shape);
  for (int64_t k = 0, n = out.size(); k < n; ++k) {
    if (out.isFloat()) {
      double x = a.f[ai[k]], y = b.f[bi[k]], r = 0;
      switch (kind) {
      case Arith::Add: r = x + y; break;
      case Arith::Sub: r = x - y; break;
      case Arith::Mul: r = x * y; break;
      case Arith::Div: r = x / y; break;
      case Arith::Pow: r = std::pow(x, y); break;
      case Arith::Min: r = std::isnan(x) || std::isnan(y) ? NAN : std::min(x, y); break;
      case Arith::Max: r = std::isnan(x) || std::isnan(y) ? NAN : std::max(x, y); break;
      }
      out.set(k, r);
      continue;
    }
    int64_t x = a.i[ai[k]], y = b.i[bi[k]], r = 0;
    switch (kind) {
    case Arith::Add: r = x + y; break;
    case Arith::Sub: r = x - y; break;
    case Arith::Mul: r = x * y; break;
    case Arith::Div:
      if (y == 0) {
        op->emitError("integer division by zero");
        return failure();
      }
      // INT64_MIN / -1 overflows (and traps on x86): negate in unsigned arithmetic, which wraps.
      r = y == -1 ? static_cast<int64_t>(0 - static_cast<uint64_t>(x)) : x / y;
      break;
    case Arith::Pow: r = static_cast<int64_t>(std::pow(static_cast<double>(x), static_cast<double>(y))); break;
    case Arith::Min: r = std::min(x, y); break;
    case Arith::Max: r = std::max(x, y); break;
    }
    out.setInt(k, r);
  }
  return SmallVector<Tensor>{std::move(out)};
}

Results compare(Operation *op, const Tensor &a, const Tensor &b, Cmp kind) {
  Tensor out = resultTensor(op);
  auto ai = broadcastIndex(a.shape, out.shape), bi = broadcastIndex(b.shape, out.shape);
  for (int64_t k = 0, n = out.size(); k < n; ++k) {
    double x = a.get(ai[k]), y = b.get(bi[k]);
    // Integers compare exactly (int64 beyond 2^53 would not survive double).
    bool ints = !a.isFloat();
    int64_t xi = ints ? a.i[ai[k]] : 0, yi = ints ? b.i[bi[k]] : 0;
    bool r = false;
    switch (kind) {
    case Cmp::Eq: r = ints ? xi == yi : x == y; break;
    case Cmp::Lt: r = ints ? xi < yi : x < y; break;
    case Cmp::Gt: r = ints ? xi > yi : x > y; break;
    case Cmp::Le: r = ints ? xi <= yi : x <= y; break;
    case Cmp::Ge: r = ints ? xi >= yi : x >= y; break;
    case Cmp::And: r = x != 0 && y != 0; break;
    case Cmp::Or: r = x != 0 || y != 0; break;
    }
    out.i[k] = r;
  }
  return SmallVector<Tensor>{std::move(out)};
}

Results where(Operation *op, const Tensor &c, const Tensor &x, const Tensor &y) {
  Tensor out = resultTensor(op);
  auto ci = broadcastIndex(c.shape, out.shape), xi = broadcastIndex(x.shape, out.shape),
       yi = broadcastIndex(y.shape, out.shape);
  for (int64_t k = 0, n = out.size(); k < n; ++k) {
    bool pick = c.i[ci[k]] != 0;
    if (out.isFloat())
      out.f[k] = pick ? x.f[xi[k]] : y.f[yi[k]];
    else
      out.i[k] = pick ? x.i[xi[k]] : y.i[yi[k]];
  }
  return SmallVector<Tensor>{std::move(out)};
}

Results castOp(Operation *op, const Tensor &x) {
  Tensor out = resultTensor(op);
  for (int64_t k = 0, n = x.size(); k < n; ++k) {
    if (x.isFloat())
      out.set(k, x.f[k]);
    else
      out.setInt(k, x.i[k]);
  }
  return SmallVector<Tensor>{std::move(out)};
}

// y = f32(q) * scale[index along axis] (per channel), or * scale[..., index / block_size, ...] (blockwise): the
// exact product rounded once to the result type.
Results dequantize(DequantizeOp op, const Tensor &q, const Tensor &scale) {
  Tensor out = resultTensor(op);
  const int64_t axis = op.getAxis();
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < q.rank(); ++d)
    inner *= q.shape[d];
  const int64_t dim = q.shape[axis];
  if (std::optional<int64_t> block = op.getBlockSize()) {
    // Scale [outer, ceil(dim / block), inner] over q [outer, dim, inner].
    const int64_t blocks = (dim + *block - 1) / *block;
    for (int64_t k = 0, n = q.size(); k < n; ++k) {
      const int64_t i = k % inner, a = (k / inner) % dim, o = k / (inner * dim);
      out.set(k, static_cast<double>(q.i[k]) * scale.f[(o * blocks + a / *block) * inner + i]);
    }
  } else {
    for (int64_t k = 0, n = q.size(); k < n; ++k)
      out.set(k, static_cast<double>(q.i[k]) * scale.f[(k / inner) % dim]);
  }
  return SmallVector<Tensor>{std::move(out)};
}

Results clip(ClipOp op, const Tensor &x) {
  double lo = op.getMin().convertToDouble(), hi = op.getMax().convertToDouble();
  Tensor out = resultTensor(op);
  for (int64_t k = 0, n = x.size(); k < n; ++k) {
    if (x.isFloat()) {
      double v = x.f[k];
      out.set(k, std::isnan(v) ? v : std::min(std::max(v, lo), hi));
    } else {
      double v = static_cast<double>(x.i[k]);
      out.setInt(k, v < lo ? static_cast<int64_t>(std::ceil(lo)) : v > hi ? static_cast<int64_t>(std::floor(hi)) : x.i[k]);
    }
  }
  return SmallVector<Tensor>{std::move(out)};
}

} // namespace

std::optional<Results> runElementwise(Operation *op, Operands in) {
  auto neg = [](double v) { return -v; };
  return llvm::TypeSwitch<Operation *, std::optional<Results>>(op)
      .Case([&](SqrtOp) { return unaryFloat(op, *in[0], [](double v) { return std::sqrt(v); }); })
      .Case([&](ExpOp) { return unaryFloat(op, *in[0], [](double v) { return std::exp(v); }); })
      .Case([&](LogOp) { return unaryFloat(op, *in[0], [](double v) { return std::log(v); }); })
      .Case([&](ErfOp) { return unaryFloat(op, *in[0], [](double v) { return std::erf(v); }); })
      .Case([&](TanhOp) { return unaryFloat(op, *in[0], [](double v) { return std::tanh(v); }); })
      .Case([&](SigmoidOp) { return unaryFloat(op, *in[0], [](double v) { return 1.0 / (1.0 + std::exp(-v)); }); })
      .Case([&](ReciprocalOp) { return unaryFloat(op, *in[0], [](double v) { return 1.0 / v; }); })
      .Case([&](SinOp) { return unaryFloat(op, *in[0], [](double v) { return std::sin(v); }); })
      .Case([&](CosOp) { return unaryFloat(op, *in[0], [](double v) { return std::cos(v); }); })
      .Case([&](SiluOp) { return unaryFloat(op, *in[0], [](double v) { return v / (1.0 + std::exp(-v)); }); })
      .Case([&](GeluOp g) {
        std::string approximate = g.getApproximate().str();
        return unaryFloat(op, *in[0], [approximate](double v) { return gelu(v, approximate); });
      })
      .Case([&](HardSigmoidOp h) {
        double alpha = h.getAlpha().convertToDouble(), beta = h.getBeta().convertToDouble();
        return unaryFloat(op, *in[0], [=](double v) { return std::max(0.0, std::min(1.0, alpha * v + beta)); });
      })
      .Case([&](LeakyReluOp l) {
        double alpha = l.getAlpha().convertToDouble();
        return unaryFloat(op, *in[0], [=](double v) { return v >= 0 ? v : alpha * v; });
      })
      .Case([&](ReluOp) {
        return unaryAny(op, *in[0], [](double v) { return v > 0 ? v : 0.0; },
                        [](int64_t v) { return v > 0 ? v : int64_t(0); });
      })
      .Case([&](NegOp) { return unaryAny(op, *in[0], neg, [](int64_t v) { return -v; }); })
      .Case([&](AbsOp) {
        return unaryAny(op, *in[0], [](double v) { return std::fabs(v); },
                        [](int64_t v) { return v < 0 ? -v : v; });
      })
      .Case([&](NotOp) {
        Tensor out = resultTensor(op);
        for (int64_t k = 0, n = in[0]->size(); k < n; ++k)
          out.i[k] = in[0]->i[k] == 0;
        return Results(SmallVector<Tensor>{std::move(out)});
      })
      .Case([&](ClipOp c) { return clip(c, *in[0]); })
      .Case([&](CastOp) { return castOp(op, *in[0]); })
      .Case([&](DequantizeOp d) { return dequantize(d, *in[0], *in[1]); })
      .Case([&](AddOp) { return arith(op, *in[0], *in[1], Arith::Add); })
      .Case([&](SubOp) { return arith(op, *in[0], *in[1], Arith::Sub); })
      .Case([&](MulOp) { return arith(op, *in[0], *in[1], Arith::Mul); })
      .Case([&](DivOp) { return arith(op, *in[0], *in[1], Arith::Div); })
      .Case([&](PowOp) { return arith(op, *in[0], *in[1], Arith::Pow); })
      .Case([&](MinOp) { return arith(op, *in[0], *in[1], Arith::Min); })
      .Case([&](MaxOp) { return arith(op, *in[0], *in[1], Arith::Max); })
      .Case([&](EqualOp) { return compare(op, *in[0], *in[1], Cmp::Eq); })
      .Case([&](LessOp) { return compare(op, *in[0], *in[1], Cmp::Lt); })
      .Case([&](GreaterOp) { return compare(op, *in[0], *in[1], Cmp::Gt); })
      .Case([&](LessOrEqualOp) { return compare(op, *in[0], *in[1], Cmp::Le); })
      .Case([&](GreaterOrEqualOp) { return compare(op, *in[0], *in[1], Cmp::Ge); })
      .Case([&](AndOp) { return compare(op, *in[0], *in[1], Cmp::And); })
      .Case([&](OrOp) { return compare(op, *in[0], *in[1], Cmp::Or); })
      .Case([&](WhereOp) { return where(op, *in[0], *in[1], *in[2]); })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace mote::reference
