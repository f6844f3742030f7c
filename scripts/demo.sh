#!/usr/bin/env bash
# README's demo command: installs what is missing, builds, exports the tiny Stable Diffusion U-Net from
# examples/models and imports it with motec, printing the summary of its canonical IR.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
bash scripts/gen_models.sh tiny build/models/tiny
MODEL=build/models/tiny/unet
SHAPES=()
while read -r spec; do SHAPES+=("--input-shape=$spec"); done < "$MODEL/input_shapes.txt"
echo
echo "== motec compile $MODEL/model.onnx ${SHAPES[*]} --compile-to=canonical --summary"
build/bin/motec compile "$MODEL/model.onnx" "${SHAPES[@]}" --compile-to=canonical --summary
