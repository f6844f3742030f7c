#!/usr/bin/env bash
# Hexagon (HVX-128) kernel figures in simulation: cross-compiles runtime/hexagon with its correctness test
# (test/hexagon/KernelsTest.c: bit for bit against brute-force C) and benchmark (test/hexagon/KernelsBench.c),
# runs the test under qemu-hexagon, then each benchmark shape under qemu with the instruction-counting plugin
# (../shared/tools/qemu-insn-count) and prints per kernel: MACs, instructions per run, instructions per MAC and
# the multiple of the ideal (one vrmpy per 128 MACs; two for 16-bit activations, whose ideal is reported
# against the int8 one) next to the goal. Hexagon has no region markers: a run's instructions are those of 3
# runs minus those of 1, halved (set-up and weight packing cancel).
#
#   bash scripts/bench_hexagon_kernels.sh                  # everything
#   KERNELS="gemm_i8" bash scripts/bench_hexagon_kernels.sh
#   KERNELS=test bash scripts/bench_hexagon_kernels.sh     # builds and runs the correctness test only (ctest)
#
# Environment: OUT (build dir, default /tmp/mote-hexagon-bench), CLANG (default clang-22), LLD (default
# ld.lld-22's path), INSN_COUNT_DIR (plugin sources).
# Exit status: non-zero if anything fails to build, the test fails, or an int8 goal is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-/tmp/mote-hexagon-bench}
CLANG=${CLANG:-clang-22}
LLD=${LLD:-/usr/lib/llvm-22/bin/ld.lld}
INSN_COUNT_DIR=${INSN_COUNT_DIR:-$ROOT/../shared/tools/qemu-insn-count}
KERNELS=${KERNELS:-"gemm_i8 conv3x3_i8 gemm_i16 conv3x3_i16"}
[ "$KERNELS" = test ] && KERNELS=""
QEMU=(qemu-hexagon -cpu v67)
mkdir -p "$OUT"

RUNTIME_SRC=(runtime/hexagon/ConvI8.c runtime/hexagon/ConvI16.c runtime/hexagon/System.c)
FLAGS=(--target=hexagon -mcpu=hexagonv68 -mhvx -mhvx-length=128b -ffreestanding -O2 -std=c11 -Wall -Wextra -Werror
  -I"$ROOT" -nostdlib -static --ld-path="$LLD")

echo "== build ($CLANG --target=hexagon)"
"$CLANG" "${FLAGS[@]}" test/hexagon/KernelsTest.c "${RUNTIME_SRC[@]}" -o "$OUT/KernelsTest"
"$CLANG" "${FLAGS[@]}" test/hexagon/KernelsBench.c "${RUNTIME_SRC[@]}" -o "$OUT/KernelsBench"

echo "== test (qemu-hexagon)"
status=0
"${QEMU[@]}" "$OUT/KernelsTest" || status=1

if [ -n "$KERNELS" ]; then
  cc -O2 -shared -fPIC -o "$OUT/libinsn_count.so" "$INSN_COUNT_DIR/insn_count.c"
  echo "== kernels (instructions per run = (3 runs - 1 run) / 2)"
  printf '%-12s %12s %14s %10s %9s %s\n' kernel MACs instructions insn/MAC x-ideal goal
  for k in $KERNELS; do
    count() { "${QEMU[@]}" -plugin "$OUT/libinsn_count.so" -d plugin "$OUT/KernelsBench" "$k" "$1" 2>&1; }
    one=$(count 1) three=$(count 3)
    c1=$(sed -n 's/^ALL total=\([0-9]*\).*/\1/p' <<<"$one")
    c3=$(sed -n 's/^ALL total=\([0-9]*\).*/\1/p' <<<"$three")
    macs=$(sed -n 's/^macs \([0-9]*\)$/\1/p' <<<"$three")
    line=$(/usr/bin/python3 - "$k" "$c1" "$c3" "$macs" <<'PY'
import sys
k, c1, c3, macs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
insn = (c3 - c1) / 2
per_mac = insn / macs
goal = 2 / 128  # int8: at most twice one vrmpy per 128 MACs
ok = per_mac <= goal if k.endswith("_i8") else True
print("%-12s %12d %14d %10.5f %9.2f %s" % (k, macs, insn, per_mac, insn / (macs / 128),
      ("<= %.4f %s" % (goal, "ok" if ok else "MISSED")) if k.endswith("_i8") else "(reported)"))
PY
)
    echo "$line"
    case "$line" in *MISSED*) status=1 ;; esac
  done
fi
exit $status
