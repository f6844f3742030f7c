#!/usr/bin/env bash
# Mote's own code with AddressSanitizer and UndefinedBehaviorSanitizer (and libFuzzer's coverage
# instrumentation, so the same tree holds the fuzz targets), built with clang-22 into build-sanitize/, and
# its tests run there. LLVM, MLIR, protobuf and ONNX stay as Debian built them; the NEON programs that
# motec cross-compiles are not instrumented.
#
#   bash scripts/sanitize.sh [--ci] [--build-only]
#
# Without flags: the whole suite (as scripts/test.sh runs it, ~4x slower). --ci: the units and the lit
# tests of the dialect, importer, passes and planner (what fits CI's time). --build-only: configure and
# build, run nothing. Safe to re-run. The tiny corpus is shared with build/ (MODELS_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${SANITIZE_BUILD_DIR:-build-sanitize}
MODELS_DIR=${MODELS_DIR:-$PWD/build/models/tiny}
LLVM=22
MODE=all
for arg in "$@"; do
  case "$arg" in
    --ci) MODE=ci ;;
    --build-only) MODE=build ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "sanitize.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

if ! command -v clang++-$LLVM > /dev/null ||
   ! ls /usr/lib/llvm-$LLVM/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a > /dev/null 2>&1; then
  echo "sanitize.sh: installing clang-$LLVM and its sanitizer and libFuzzer runtimes"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang-$LLVM libclang-rt-$LLVM-dev > /dev/null
fi
if [ ! -f "$BUILD/build.ninja" ]; then
  # -O1 with line tables: a third faster to build than -O2 -g, and reports still name file and line.
  cmake -G Ninja -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only" \
    -DCMAKE_C_COMPILER=clang-$LLVM -DCMAKE_CXX_COMPILER=clang++-$LLVM -DMOTE_SANITIZE=ON -DMOTE_FUZZ=ON \
    -DMOTE_MODELS_DIR="$MODELS_DIR" -DMOTE_PYTHON=/usr/bin/python3 -DPython3_EXECUTABLE=/usr/bin/python3 > /dev/null
fi
ninja -C "$BUILD" -j"${JOBS:-2}"
[ "$MODE" = build ] && exit 0

cd "$BUILD"
if [ "$MODE" = ci ]; then
  ctest --output-on-failure -j"${JOBS:-2}" -R '^(unit\.|lit\.(ir|frontend|passes|codegen)$)'
else
  ctest --output-on-failure -j"${JOBS:-2}"
fi
