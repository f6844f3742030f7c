// Unit tests of the memory planner (codegen/MemoryPlanner, codegen/PlanFunction): every plan is checked by
// an independent per-step brute force, against the liveness lower bound, and on IR built here.
#include "codegen/MemoryPlanner.h"
#include "codegen/PlanFunction.h"

#include "ir/MoteDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

using namespace mote;

namespace {

int64_t roundUp(int64_t size, int64_t alignment) { return (size + alignment - 1) / alignment * alignment; }

// The test's own reading of the in-place rule: `b` may sit on `x` if `x` dies where `b` is born and `b` fits.
bool inPlaceLegal(const std::vector<PlanBuffer> &buffers, int64_t b, int64_t x) {
  return buffers[b].mayShareWith == x && x != b && buffers[x].lastStep == buffers[b].firstStep &&
         buffers[b].size <= buffers[x].size;
}

// Step by step: every two buffers live at that step must occupy disjoint bytes, unless one takes the other
// over in place at the same offset. Also alignment and the arena's extent. Returns "" when valid.
std::string bruteForceCheck(const std::vector<PlanBuffer> &buffers, const MemoryPlan &plan,
                            int64_t alignment) {
  if (plan.offsets.size() != buffers.size())
    return "wrong number of offsets";
  if (plan.arenaBytes % alignment != 0)
    return "arena size not aligned";
  int64_t first = 0, last = -1;
  for (size_t i = 0; i < buffers.size(); ++i) {
    if (plan.offsets[i] % alignment != 0 || plan.offsets[i] < 0)
      return "buffer " + std::to_string(i) + " misaligned";
    if (buffers[i].size > 0 && plan.offsets[i] + roundUp(buffers[i].size, alignment) > plan.arenaBytes)
      return "buffer " + std::to_string(i) + " beyond the arena";
    first = std::min(first, buffers[i].firstStep);
    last = std::max(last, buffers[i].lastStep);
  }
  for (int64_t step = first; step <= last; ++step) {
    std::vector<int64_t> live;
    for (size_t i = 0; i < buffers.size(); ++i)
      if (buffers[i].firstStep <= step && step <= buffers[i].lastStep && buffers[i].size > 0)
        live.push_back(static_cast<int64_t>(i));
    for (size_t a = 0; a < live.size(); ++a)
      for (size_t b = a + 1; b < live.size(); ++b) {
        int64_t i = live[a], j = live[b];
        int64_t lo = std::max(plan.offsets[i], plan.offsets[j]);
        int64_t hi = std::min(plan.offsets[i] + buffers[i].size, plan.offsets[j] + buffers[j].size);
        if (lo >= hi)
          continue;
        bool inPlace = plan.offsets[i] == plan.offsets[j] &&
                       (inPlaceLegal(buffers, i, j) || inPlaceLegal(buffers, j, i));
        if (!inPlace)
          return "buffers " + std::to_string(i) + " and " + std::to_string(j) + " overlap at step " +
                 std::to_string(step);
      }
  }
  return "";
}

// The lower bound step by step: the aligned sizes of the live buffers, less (once per taken-over buffer)
// the largest legal in-place taker at the step the two share.
int64_t bruteForceLowerBound(const std::vector<PlanBuffer> &buffers, int64_t alignment) {
  int64_t first = 0, last = -1, best = 0;
  for (const PlanBuffer &b : buffers) {
    first = std::min(first, b.firstStep);
    last = std::max(last, b.lastStep);
  }
  for (int64_t step = first; step <= last; ++step) {
    int64_t live = 0;
    for (size_t i = 0; i < buffers.size(); ++i)
      if (buffers[i].firstStep <= step && step <= buffers[i].lastStep)
        live += roundUp(buffers[i].size, alignment);
    for (size_t x = 0; x < buffers.size(); ++x) {
      int64_t credit = 0;
      for (size_t b = 0; b < buffers.size(); ++b)
        if (buffers[b].firstStep == step && inPlaceLegal(buffers, b, x))
          credit = std::max(credit, roundUp(buffers[b].size, alignment));
      live -= credit;
    }
    best = std::max(best, live);
  }
  return best;
}

// Plans `buffers` and checks everything that must hold for any input.
MemoryPlan planAndCheck(const std::vector<PlanBuffer> &buffers, int64_t alignment = 64) {
  MemoryPlan plan = planMemory(buffers, alignment);
  EXPECT_EQ(bruteForceCheck(buffers, plan, alignment), "");
  EXPECT_EQ(verifyMemoryPlan(buffers, plan), "");
  EXPECT_EQ(plan.lowerBoundBytes, bruteForceLowerBound(buffers, alignment));
  EXPECT_GE(plan.arenaBytes, plan.lowerBoundBytes);
  EXPECT_GE(plan.peakLiveBytes, plan.lowerBoundBytes);
  int64_t total = 0;
  for (const PlanBuffer &b : buffers)
    total += roundUp(b.size, alignment);
  EXPECT_LE(plan.arenaBytes, total);
  for (size_t i = 0; i < buffers.size(); ++i)
    if (plan.inPlaceOf[i] >= 0) {
      EXPECT_TRUE(inPlaceLegal(buffers, static_cast<int64_t>(i), plan.inPlaceOf[i]));
      EXPECT_EQ(plan.offsets[i], plan.offsets[plan.inPlaceOf[i]]);
    }
  return plan;
}

TEST(MemoryPlanner, Empty) {
  MemoryPlan plan = planAndCheck({});
  EXPECT_EQ(plan.arenaBytes, 0);
  EXPECT_EQ(plan.lowerBoundBytes, 0);
}

TEST(MemoryPlanner, ChainUsesTwoSlots) {
  // x0 -> op1 -> x1 -> op2 -> x2 ...: each buffer is read by the next step only.
  std::vector<PlanBuffer> chain;
  for (int i = 0; i < 10; ++i)
    chain.push_back({4096, i, i + 1, -1});
  MemoryPlan plan = planAndCheck(chain);
  EXPECT_EQ(plan.lowerBoundBytes, 2 * 4096);
  EXPECT_EQ(plan.arenaBytes, plan.lowerBoundBytes);
}

TEST(MemoryPlanner, InPlaceChainUsesOneSlot) {
  std::vector<PlanBuffer> chain;
  for (int i = 0; i < 10; ++i)
    chain.push_back({4096, i, i + 1, i == 0 ? -1 : i - 1});
  MemoryPlan plan = planAndCheck(chain);
  EXPECT_EQ(plan.lowerBoundBytes, 4096);
  EXPECT_EQ(plan.peakLiveBytes, 2 * 4096);
  EXPECT_EQ(plan.arenaBytes, 4096);
  for (int i = 1; i < 10; ++i) {
    EXPECT_EQ(plan.inPlaceOf[i], i - 1);
    EXPECT_EQ(plan.offsets[i], plan.offsets[0]);
  }
}

TEST(MemoryPlanner, InPlaceIntoLargerBuffer) {
  // A smaller result may overwrite the start of a dying operand; the rest is free again afterwards.
  std::vector<PlanBuffer> buffers = {{8192, 0, 1, -1}, {4096, 1, 3, 0}, {4096, 2, 3, -1}};
  MemoryPlan plan = planAndCheck(buffers);
  EXPECT_EQ(plan.inPlaceOf[1], 0);
  EXPECT_EQ(plan.arenaBytes, 8192);
}

TEST(MemoryPlanner, IllegalInPlaceHintsAreIgnored) {
  std::vector<PlanBuffer> buffers = {
      {4096, 0, 2, -1}, // read again at step 2
      {4096, 1, 3, 0},  // so this cannot overwrite it at step 1
      {8192, 3, 4, 1},  // larger than the buffer it names
      {1024, 4, 5, 4},  // names itself
      {1024, 4, 5, 99}, // names nothing
  };
  MemoryPlan plan = planAndCheck(buffers);
  for (int64_t from : plan.inPlaceOf)
    EXPECT_EQ(from, -1);
  EXPECT_NE(plan.offsets[0], plan.offsets[1]);
}

TEST(MemoryPlanner, Diamond) {
  // a feeds b and c; d reads b and c.
  std::vector<PlanBuffer> buffers = {{1000, 0, 2, -1}, {1000, 1, 3, -1}, {1000, 2, 3, -1}, {1000, 3, 4, -1}};
  MemoryPlan plan = planAndCheck(buffers);
  EXPECT_EQ(plan.lowerBoundBytes, 3 * 1024);
  EXPECT_EQ(plan.arenaBytes, plan.lowerBoundBytes);
  // d may overwrite c in place (c dies at d): one slot fewer at step 3.
  buffers[3].mayShareWith = 2;
  plan = planAndCheck(buffers);
  EXPECT_EQ(plan.inPlaceOf[3], 2);
  EXPECT_EQ(plan.arenaBytes, plan.lowerBoundBytes);
}

TEST(MemoryPlanner, DisjointLifetimesShareOneOffset) {
  std::vector<PlanBuffer> buffers = {{100, 0, 0, -1}, {5000, 1, 1, -1}, {300, 2, 2, -1}, {5000, 3, 3, -1}};
  MemoryPlan plan = planAndCheck(buffers);
  EXPECT_EQ(plan.arenaBytes, roundUp(5000, 64));
  for (int64_t offset : plan.offsets)
    EXPECT_EQ(offset, 0);
}

TEST(MemoryPlanner, AllLiveTogetherIsTheSum) {
  std::vector<PlanBuffer> buffers = {{1, 0, 5, -1}, {65, 0, 5, -1}, {100, 2, 3, -1}, {64, 1, 4, -1}};
  MemoryPlan plan = planAndCheck(buffers);
  EXPECT_EQ(plan.lowerBoundBytes, 64 + 128 + 128 + 64);
  EXPECT_EQ(plan.arenaBytes, plan.lowerBoundBytes);
}

TEST(MemoryPlanner, Alignment) {
  std::vector<PlanBuffer> buffers = {{1, 0, 3, -1}, {17, 1, 3, -1}, {33, 2, 3, -1}, {100, 0, 0, -1}};
  for (int64_t alignment : {1, 16, 64, 4096}) {
    MemoryPlan plan = planAndCheck(buffers, alignment);
    EXPECT_EQ(plan.alignment, alignment);
    for (int64_t offset : plan.offsets)
      EXPECT_EQ(offset % alignment, 0) << "alignment " << alignment;
  }
  EXPECT_EQ(planMemory(buffers, 1).arenaBytes, 100 + 1); // step 0: the 1-byte and the 100-byte buffers
  EXPECT_EQ(planMemory(buffers, 4096).arenaBytes, 3 * 4096);
}

// U-Net: encoder activations halve and stay live until the mirrored decoder level reads them back.
std::vector<PlanBuffer> unetLike(int levels, int64_t top) {
  std::vector<PlanBuffer> buffers;
  int64_t step = 0;
  std::vector<size_t> skips;
  for (int l = 0; l < levels; ++l) {
    int64_t size = top >> l;
    buffers.push_back({size, step, step + 1, -1}); // conv
    ++step;
    buffers.push_back({size, step, -1, -1}); // the skip: last use patched below
    skips.push_back(buffers.size() - 1);
    ++step;
  }
  buffers.push_back({top >> levels, step, step + 1, -1}); // bottleneck
  ++step;
  for (int l = levels - 1; l >= 0; --l) {
    int64_t size = top >> l;
    buffers.push_back({2 * size, step, step + 1, -1}); // concat(upsampled, skip)
    buffers[skips[l]].lastStep = step;
    ++step;
    buffers.push_back({size, step, step + 1, -1}); // conv
    ++step;
  }
  for (PlanBuffer &b : buffers) // nothing ends before it starts
    b.lastStep = std::max(b.lastStep, b.firstStep);
  return buffers;
}

TEST(MemoryPlanner, UNetSkipConnections) {
  for (int levels : {2, 3, 4, 5}) {
    std::vector<PlanBuffer> buffers = unetLike(levels, int64_t(1) << 20);
    MemoryPlan plan = planAndCheck(buffers);
    EXPECT_EQ(plan.arenaBytes, plan.lowerBoundBytes) << levels << " levels";
  }
}

TEST(MemoryPlanner, TransformerResidualStream) {
  // Per block: norm(x), qkv, attention, proj, x + proj (in place on proj), norm, up, act (in place), down,
  // x + down (in place). The residual stream x stays live across each block.
  std::vector<PlanBuffer> buffers;
  const int64_t d = 64 * 1024, qkv = 3 * d, up = 4 * d;
  int64_t step = 0;
  buffers.push_back({d, step, 0, -1});
  size_t x = 0;
  auto add = [&](int64_t size, int64_t shareWith = -1) {
    buffers.push_back({size, step, step, shareWith});
    ++step;
    return buffers.size() - 1;
  };
  auto readAt = [&](size_t b) { buffers[b].lastStep = std::max(buffers[b].lastStep, step); };
  ++step;
  for (int block = 0; block < 6; ++block) {
    readAt(x);
    size_t n1 = add(d);
    readAt(n1);
    size_t q = add(qkv);
    readAt(q);
    size_t att = add(d);
    readAt(att);
    size_t proj = add(d);
    readAt(x);
    readAt(proj);
    size_t x1 = add(d, static_cast<int64_t>(proj));
    readAt(x1);
    size_t n2 = add(d);
    readAt(n2);
    size_t u = add(up);
    readAt(u);
    size_t a = add(up, static_cast<int64_t>(u));
    readAt(a);
    size_t down = add(d);
    readAt(x1);
    readAt(down);
    x = add(d, static_cast<int64_t>(down));
  }
  buffers[x].lastStep = step; // returned
  MemoryPlan plan = planAndCheck(buffers);
  EXPECT_EQ(plan.arenaBytes, plan.lowerBoundBytes);
  int inPlace = 0;
  for (int64_t from : plan.inPlaceOf)
    inPlace += from >= 0;
  EXPECT_EQ(inPlace, 6 * 3);
}

TEST(MemoryPlanner, RandomIntervalsAreValidAndTight) {
  std::mt19937 rng(20240607);
  double worst = 1.0, sum = 0.0;
  const int cases = 200;
  for (int c = 0; c < cases; ++c) {
    int n = 1 + static_cast<int>(rng() % 120);
    int steps = 1 + static_cast<int>(rng() % 80);
    std::vector<PlanBuffer> buffers;
    for (int i = 0; i < n; ++i) {
      int64_t first = rng() % steps;
      int64_t length = rng() % 3 == 0 ? rng() % steps : rng() % 4; // mostly short, some long
      int64_t size = rng() % 5 == 0 ? 0 : 1 + rng() % (rng() % 4 == 0 ? 65536 : 4096);
      int64_t share = -1;
      if (i > 0 && rng() % 3 == 0) { // sometimes a legal in-place candidate, sometimes not
        share = rng() % i;
        if (rng() % 2 == 0) {
          first = buffers[share].lastStep;
          size = std::min<int64_t>(size, buffers[share].size);
        }
      }
      buffers.push_back({size, first, first + length, share});
    }
    int64_t alignment = int64_t(1) << (rng() % 8);
    MemoryPlan plan = planAndCheck(buffers, alignment);
    if (plan.lowerBoundBytes > 0) {
      double ratio = static_cast<double>(plan.arenaBytes) / static_cast<double>(plan.lowerBoundBytes);
      worst = std::max(worst, ratio);
      sum += ratio;
    }
  }
  // Greedy by size is a heuristic (optimal placement is NP-hard), but on random sets it stays close.
  EXPECT_LE(sum / cases, 1.1);
  EXPECT_LE(worst, 1.5);
  std::printf("random intervals: mean arena / lower bound %.3f, worst %.3f\n", sum / cases, worst);
}

// With a segment size (OpenCL's max_alloc_bytes), no buffer that fits in a segment straddles a multiple of it,
// so the arena splits there into allocations no larger; the plan stays valid and close to the bound.
TEST(MemoryPlanner, SegmentsAreNeverStraddled) {
  std::mt19937 rng(77);
  double worst = 1.0;
  for (int c = 0; c < 200; ++c) {
    int n = 1 + static_cast<int>(rng() % 100);
    int steps = 1 + static_cast<int>(rng() % 60);
    std::vector<PlanBuffer> buffers;
    for (int i = 0; i < n; ++i) {
      int64_t first = rng() % steps, length = rng() % 3 == 0 ? rng() % steps : rng() % 4;
      buffers.push_back({1 + static_cast<int64_t>(rng() % 50000), first, first + length, -1});
    }
    const int64_t segment = 65536;
    MemoryPlan plan = planMemory(buffers, 64, segment);
    ASSERT_EQ(verifyMemoryPlan(buffers, plan), "");
    for (size_t i = 0; i < buffers.size(); ++i)
      ASSERT_EQ(plan.offsets[i] / segment, (plan.offsets[i] + buffers[i].size - 1) / segment)
          << "buffer " << i << " of case " << c << " straddles a segment";
    if (plan.lowerBoundBytes > 0)
      worst = std::max(worst, static_cast<double>(plan.arenaBytes) / static_cast<double>(plan.lowerBoundBytes));
  }
  EXPECT_LE(worst, 2.0);
}

TEST(MemoryPlanner, VerifierRejectsOverlap) {
  std::vector<PlanBuffer> buffers = {{128, 0, 2, -1}, {128, 1, 3, -1}};
  MemoryPlan plan = planMemory(buffers);
  ASSERT_EQ(verifyMemoryPlan(buffers, plan), "");
  plan.offsets = {0, 64};
  EXPECT_NE(verifyMemoryPlan(buffers, plan), "");
  EXPECT_NE(bruteForceCheck(buffers, plan, 64), "");
  plan.offsets = {0, 0};
  EXPECT_NE(verifyMemoryPlan(buffers, plan), "");
  plan.offsets = {0, 100}; // misaligned
  EXPECT_NE(verifyMemoryPlan(buffers, plan), "");
}

// --- Planning a function of Mote IR. ---

class PlanFunctionTest : public ::testing::Test {
protected:
  PlanFunctionTest() : builder(&context) {
    context.loadDialect<MoteDialect, mlir::func::FuncDialect>();
    module = mlir::ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
  }

  mlir::RankedTensorType f32(llvm::ArrayRef<int64_t> shape) {
    return mlir::RankedTensorType::get(shape, builder.getF32Type());
  }

  template <typename OpTy> mlir::Value op(mlir::Type type, mlir::ValueRange operands) {
    return OpTy::create(builder, builder.getUnknownLoc(), mlir::TypeRange{type}, operands).getResult();
  }

  mlir::MLIRContext context;
  mlir::OpBuilder builder;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

TEST_F(PlanFunctionTest, ViewsInPlaceAndAnnotations) {
  // %r = relu(%x); %v = reshape(%r); %s = sigmoid(%v); %t = add(%s, %w); %m = matmul(%t2d, %c); return %m, %v
  auto t = f32({1, 16, 64}), flat = f32({16, 64}), out = f32({16, 8});
  auto func = mlir::func::FuncOp::create(builder, builder.getUnknownLoc(), "main",
                                         builder.getFunctionType({t, t}, {out, flat}));
  mlir::Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  mlir::Value x = body->getArgument(0), w = body->getArgument(1);
  auto weightType = f32({64, 8});
  mlir::Value c =
      ConstantOp::create(builder, builder.getUnknownLoc(), mlir::DenseElementsAttr::get(weightType, 0.5f))
          .getResult();
  mlir::Value r = op<ReluOp>(t, {x});       // step 1: may not overwrite the input
  mlir::Value v = op<ReshapeOp>(flat, {r}); // step 2: a view of r, returned
  mlir::Value s = op<SigmoidOp>(flat, {v}); // step 3: v is returned, so not in place
  mlir::Value s3 = op<ReshapeOp>(t, {s});   // step 4: view of s
  mlir::Value a = op<AddOp>(t, {s3, w});    // step 5: s dies here: in place
  mlir::Value a2 = op<ReshapeOp>(flat, {a});
  mlir::Value m = op<MatMulOp>(out, {a2, c}); // different shape: never in place
  mlir::func::ReturnOp::create(builder, builder.getUnknownLoc(), mlir::ValueRange{m, v});

  mlir::FailureOr<FunctionMemoryPlan> plan = planFunctionMemory(func);
  ASSERT_TRUE(mlir::succeeded(plan));
  EXPECT_EQ(plan->numInputs, 2u);
  EXPECT_EQ(plan->numOutputs, 2u);
  EXPECT_EQ(plan->numViews, 3u);
  EXPECT_EQ(plan->buffers.size(), 2u + 4u); // x, w, r, s, a, m
  EXPECT_EQ(plan->offsetOf(c), -1);
  EXPECT_EQ(plan->offsetOf(v), plan->offsetOf(r));
  EXPECT_EQ(plan->offsetOf(a2), plan->offsetOf(a));
  // r is returned through its view: live to the end.
  EXPECT_EQ(plan->buffers[plan->bufferOf.lookup(r)].lastStep,
            plan->buffers[plan->bufferOf.lookup(m)].lastStep);
  EXPECT_EQ(plan->buffers[plan->bufferOf.lookup(r)].mayShareWith, -1);
  EXPECT_EQ(plan->buffers[plan->bufferOf.lookup(s)].mayShareWith, -1);
  EXPECT_EQ(plan->buffers[plan->bufferOf.lookup(a)].mayShareWith, plan->bufferOf.lookup(s));
  EXPECT_EQ(plan->offsetOf(a), plan->offsetOf(s));
  EXPECT_EQ(plan->numInPlace(), 1u);
  EXPECT_EQ(plan->buffers[plan->bufferOf.lookup(s)].size, 1 * 16 * 64 * 4);
  // Inputs stay in the app's buffers; returned values are computed into the app's output buffers (r through
  // its returned view v): none of them takes arena space.
  EXPECT_EQ(plan->inputOf[plan->bufferOf.lookup(x)], 0);
  EXPECT_EQ(plan->inputOf[plan->bufferOf.lookup(w)], 1);
  EXPECT_EQ(plan->outputOf[plan->bufferOf.lookup(m)], 0);
  EXPECT_EQ(plan->outputOf[plan->bufferOf.lookup(r)], 1);
  EXPECT_EQ(plan->buffers[plan->bufferOf.lookup(x)].size, 0);
  EXPECT_EQ(plan->buffers[plan->bufferOf.lookup(m)].size, 0);
  EXPECT_EQ(plan->offsetOf(x), -1);
  EXPECT_EQ(plan->offsetOf(v), -1);

  annotateMemoryPlan(func, *plan);
  auto offsetAttr = [](mlir::Value value) {
    return mlir::cast<mlir::IntegerAttr>(value.getDefiningOp()->getAttr(kOffsetAttrName)).getInt();
  };
  EXPECT_EQ(offsetAttr(a), plan->offsetOf(a));
  EXPECT_EQ(mlir::cast<mlir::IntegerAttr>(v.getDefiningOp()->getAttr(kOutputAttrName)).getInt(), 1);
  EXPECT_EQ(mlir::cast<mlir::IntegerAttr>(m.getDefiningOp()->getAttr(kOutputAttrName)).getInt(), 0);
  EXPECT_FALSE(c.getDefiningOp()->hasAttr(kOffsetAttrName));
  EXPECT_FALSE(func.getArgAttr(1, kOffsetAttrName));
  EXPECT_EQ(mlir::cast<mlir::IntegerAttr>(func->getAttr(kArenaBytesAttrName)).getInt(),
            plan->plan.arenaBytes);

  // Half-width float activations halve every buffer.
  MemoryPlanOptions half;
  half.bytesPerFloat = 2;
  mlir::FailureOr<FunctionMemoryPlan> halfPlan = planFunctionMemory(func, half);
  ASSERT_TRUE(mlir::succeeded(halfPlan));
  EXPECT_EQ(halfPlan->buffers[halfPlan->bufferOf.lookup(s)].size, 1 * 16 * 64 * 2);
  EXPECT_EQ(halfPlan->plan.lowerBoundBytes * 2, plan->plan.lowerBoundBytes);
}

} // namespace
