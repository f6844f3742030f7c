#!/usr/bin/env bash
# NEON kernel figures in simulation: cross-compiles runtime/neon with its correctness test
# (test/neon/KernelsTest.cpp, test/neon/KernelsI8Test.cpp for the integer kernels, and test/neon/ThreadPoolTest.cpp for the thread pool and the threaded
# kernels of runtime/neon/*Ops.cpp) and benchmark (test/neon/KernelsBench.cpp), runs the test under
# qemu-aarch64, then each benchmark shape under qemu with the instruction-counting plugin
# (../shared/tools/qemu-insn-count), and prints per kernel: MACs, instructions in the marked region,
# instructions per MAC and efficiency (ideal FMA-instruction count / instructions) next to the goal.
# Also checks that everything compiles warning-free with clang --target=aarch64-linux-gnu.
#
#   bash scripts/bench_kernels.sh            # everything
#   KERNELS="gemm conv3x3" bash scripts/bench_kernels.sh
#   KERNELS=test bash scripts/bench_kernels.sh   # builds and runs the correctness test only (ctest)
#
# Environment: OUT (build dir, default /tmp/mote-neon-bench), CXX_AARCH64 (default
# aarch64-linux-gnu-g++), CLANGXX (default clang++-14, else clang++), INSN_COUNT_DIR (plugin sources).
# Exit status: non-zero if anything fails to build, the test fails, or a goal is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-/tmp/mote-neon-bench}
CXX_AARCH64=${CXX_AARCH64:-aarch64-linux-gnu-g++}
INSN_COUNT_DIR=${INSN_COUNT_DIR:-$ROOT/../shared/tools/qemu-insn-count}
KERNELS=${KERNELS:-"gemm gemv conv3x3 winograd gemm_f16 gemm_f16acc32 gemm_i8 gemm_i8mm gemv_i8 gemv_i4 gemv_i4_g32 conv3x3_i8"}
[ "$KERNELS" = test ] && KERNELS=""
QEMU=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
mkdir -p "$OUT"

# The kernel sources (runtime/neon also holds other parts of the runtime).
RUNTIME_SRC=(runtime/neon/Gemm.cpp runtime/neon/GemmF16.cpp runtime/neon/GemmI8.cpp runtime/neon/GemmI4.cpp runtime/neon/GemmI8MM.cpp runtime/neon/GemmI16.cpp runtime/neon/Conv3x3.cpp
  runtime/neon/Winograd.cpp)
# The thread pool test also needs the pool and the portable kernels that use it.
THREAD_SRC=(runtime/core/ThreadPool.cpp runtime/neon/ElementwiseOps.cpp runtime/neon/DataOps.cpp runtime/neon/LinearOps.cpp
  runtime/neon/NormOps.cpp runtime/neon/Attention.cpp runtime/neon/ElementwiseF16.cpp runtime/neon/Conv3x3F16.cpp runtime/neon/AttentionF16.cpp
  runtime/neon/FusedElementwise.cpp runtime/neon/LinearI8Ops.cpp runtime/neon/ConvBands.cpp runtime/neon/NormF16.cpp
  runtime/neon/Rotary.cpp runtime/neon/WinogradF16.cpp)
FLAGS=(-O3 -march=armv8.2-a+fp16+dotprod -std=c++17 -Wall -Wextra -Werror -fno-exceptions -I"$ROOT")

echo "== build (${CXX_AARCH64})"
cc -O2 -shared -fPIC -o "$OUT/libinsn_count.so" "$INSN_COUNT_DIR/insn_count.c"
"$CXX_AARCH64" "${FLAGS[@]}" -static test/neon/KernelsTest.cpp "${RUNTIME_SRC[@]}" -o "$OUT/KernelsTest"
"$CXX_AARCH64" "${FLAGS[@]}" -static test/neon/KernelsI8Test.cpp "${RUNTIME_SRC[@]}" -o "$OUT/KernelsI8Test"
"$CXX_AARCH64" "${FLAGS[@]}" -static test/neon/KernelsBench.cpp "${RUNTIME_SRC[@]}" -o "$OUT/KernelsBench"
"$CXX_AARCH64" "${FLAGS[@]}" -static test/neon/ThreadPoolTest.cpp "${RUNTIME_SRC[@]}" "${THREAD_SRC[@]}" \
  -o "$OUT/ThreadPoolTest"
"$CXX_AARCH64" "${FLAGS[@]}" -static test/neon/OpsTest.cpp "${RUNTIME_SRC[@]}" "${THREAD_SRC[@]}" -o "$OUT/OpsTest"

status=0
CLANGXX=${CLANGXX:-$(command -v clang++-14 || command -v clang++ || true)}
if [ -n "$CLANGXX" ]; then
  echo "== build ($CLANGXX --target=aarch64-linux-gnu)"
  CLANG=("$CLANGXX" --target=aarch64-linux-gnu --sysroot=/usr/aarch64-linux-gnu)
  if "${CLANG[@]}" "${FLAGS[@]}" -static test/neon/KernelsTest.cpp "${RUNTIME_SRC[@]}" -o "$OUT/KernelsTest.clang" &&
     "${CLANG[@]}" "${FLAGS[@]}" -static test/neon/KernelsI8Test.cpp "${RUNTIME_SRC[@]}" -o "$OUT/KernelsI8Test.clang" &&
     "${CLANG[@]}" "${FLAGS[@]}" -static test/neon/KernelsBench.cpp "${RUNTIME_SRC[@]}" -o "$OUT/KernelsBench.clang" &&
     "${CLANG[@]}" "${FLAGS[@]}" -static test/neon/ThreadPoolTest.cpp "${RUNTIME_SRC[@]}" "${THREAD_SRC[@]}" \
       -o "$OUT/ThreadPoolTest.clang"; then
    echo "clang: builds warning-free"
  else
    echo "clang: BUILD FAILED"; status=1
  fi
else
  echo "== clang for aarch64 not found: skipped"
fi

echo "== correctness (gcc build)"
if "${QEMU[@]}" "$OUT/KernelsTest" > "$OUT/KernelsTest.log"; then :; else status=1; fi
cat "$OUT/KernelsTest.log"
if "${QEMU[@]}" "$OUT/KernelsI8Test" > "$OUT/KernelsI8Test.log"; then :; else status=1; fi
cat "$OUT/KernelsI8Test.log"
if "${QEMU[@]}" "$OUT/ThreadPoolTest" > "$OUT/ThreadPoolTest.log"; then :; else status=1; fi
cat "$OUT/ThreadPoolTest.log"
if "${QEMU[@]}" "$OUT/OpsTest" > "$OUT/OpsTest.log"; then :; else status=1; fi
cat "$OUT/OpsTest.log"
if [ -x "$OUT/KernelsTest.clang" ]; then
  echo "== correctness (clang build)"
  if "${QEMU[@]}" "$OUT/KernelsTest.clang" > "$OUT/KernelsTest.clang.log"; then :; else status=1; fi
  grep -v '^PASS ' "$OUT/KernelsTest.clang.log" || true
  if "${QEMU[@]}" "$OUT/KernelsI8Test.clang" > "$OUT/KernelsI8Test.clang.log"; then :; else status=1; fi
  grep -v '^PASS ' "$OUT/KernelsI8Test.clang.log" || true
  if [ -x "$OUT/ThreadPoolTest.clang" ]; then
    if "${QEMU[@]}" "$OUT/ThreadPoolTest.clang" > "$OUT/ThreadPoolTest.clang.log"; then :; else status=1; fi
    grep -v '^PASS ' "$OUT/ThreadPoolTest.clang.log" || true
  fi
fi

# kernel -> shape, ideal MACs per FMA instruction, goal (max instructions per MAC; "-" for none)
declare -A SHAPE=(
  [gemm]="M=1024 K=320 N=1280 f32"
  [gemv]="K=N=4096 f32"
  [conv3x3]="1x32x32x320->320 direct f32"
  [winograd]="1x32x32x320->320 F(4x4,3x3) f32"
  [gemm_f16]="M=1024 K=320 N=1280 f16 (f16 accum)"
  [gemm_f16acc32]="M=1024 K=320 N=1280 f16 (f32 accum)"
  [gemm_i8]="M=1024 K=320 N=1280 i8 x i8 (sdot)"
  [gemm_i8mm]="M=1024 K=320 N=1280 i8 x i8 (smmla)"
  [gemv_i8]="K=N=4096 i8 x i8 (sdot)"
  [gemv_i4]="K=N=4096 i8 x i4 per column (sdot)"
  [gemv_i4_g32]="K=N=4096 i8 x i4 group 32 (sdot)"
  [conv3x3_i8]="1x32x32x320->320 w8a8 (sdot)"
)
declare -A LANES=([gemm]=4 [gemv]=4 [conv3x3]=4 [winograd]=4 [gemm_f16]=8 [gemm_f16acc32]=4 [gemm_i8]=16 [gemm_i8mm]=32 [gemv_i8]=16
  [gemv_i4]=16 [gemv_i4_g32]=16 [conv3x3_i8]=16)
# Integer goals: issue 11 (XNNPACK 2024: 0.079-0.086 for int8 GEMM, 0.066 with i8mm, 0.126 / 0.173 for int8 / per-channel int4 GEMV;
# the int8 3x3 convolution, its image quantization included, as the int8 GEMM).
# Group-32 int4 has no goal: its per-group convert-and-fma adds ~0.035 to the 0.125 floor of unpack + sdot.
declare -A GOAL=([gemm]=0.29 [gemv]=0.40 [conv3x3]=0.29 [winograd]=0.08 [gemm_f16]=- [gemm_f16acc32]=- [gemm_i8]=0.075 [gemm_i8mm]=0.045
  [gemv_i8]=0.11 [gemv_i4]=0.14 [gemv_i4_g32]=- [conv3x3_i8]=0.075)

echo "== figures (qemu-aarch64 + insn_count plugin, one thread, region = one kernel call)"
printf '%-14s %-36s %12s %12s %9s %6s %7s %s\n' kernel shape MACs insns insn/MAC eff goal met
for k in $KERNELS; do
  [ -n "${SHAPE[$k]:-}" ] || { echo "unknown kernel $k"; status=1; continue; }
  counts="$OUT/$k.counts"
  rm -f "$counts"
  if ! "${QEMU[@]}" -plugin "$OUT/libinsn_count.so,out=$counts" -d plugin "$OUT/KernelsBench" "$k" \
      > "$OUT/$k.log" 2> "$OUT/$k.err"; then
    if grep -q '^UNSUPPORTED' "$OUT/$k.log"; then
      printf '%-14s %-36s %s\n' "$k" "${SHAPE[$k]}" "$(grep '^UNSUPPORTED' "$OUT/$k.log")"
      continue
    fi
    echo "$k: benchmark failed"; cat "$OUT/$k.log" "$OUT/$k.err"; status=1; continue
  fi
  macs=$(awk '/^KERNEL/{print $4}' "$OUT/$k.log")
  region=$(grep '^REGION' "$counts" 2>/dev/null || grep '^REGION' "$OUT/$k.err")
  total=$(sed -n 's/.* total=\([0-9]*\).*/\1/p' <<<"$region")
  read -r ipm eff met < <(awk -v m="$macs" -v t="$total" -v l="${LANES[$k]}" -v g="${GOAL[$k]}" 'BEGIN{
    ipm = t / m; eff = (m / l) / t;
    met = (g == "-") ? "-" : (ipm <= g ? "yes" : "NO");
    printf "%.4f %.3f %s\n", ipm, eff, met }')
  [ "$met" = "NO" ] && status=1
  printf '%-14s %-36s %12s %12s %9s %6s %7s %s\n' "$k" "${SHAPE[$k]}" "$macs" "$total" "$ipm" "$eff" \
    "${GOAL[$k]}" "$met"
done
echo "(efficiency = (MACs / lanes) / instructions, lanes = 4 for f32 fmla .4s, 8 for f16 .8h, 16 for sdot, 32 for smmla; Winograd"
echo " counts the direct convolution's MACs, so its efficiency can exceed 1)"
exit $status
