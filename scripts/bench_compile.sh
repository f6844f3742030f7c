#!/usr/bin/env bash
# Benchmark (not a test): compiles the real-size Stable Diffusion 1.5 U-Net (~860 M parameters, weights
# as ONNX external data) to the import, canonical and legal (opencl, default limits) phases and reports
# time and peak RSS against the weights' size on disk.
# The model is exported once into build/models/full (about 2 minutes and 8 GB of RAM for PyTorch).
set -euo pipefail
cd "$(dirname "$0")/.."
MODELS=unet bash scripts/gen_models.sh full build/models/full
MODEL=build/models/full/unet
SHAPES=()
while read -r spec; do SHAPES+=("--input-shape=$spec"); done < "$MODEL/input_shapes.txt"
weights=$(( $(stat -c %s "$MODEL/model.onnx") + $(stat -c %s "$MODEL/model.onnx.data") ))
for phase in import canonical legal; do
  log=$(mktemp)
  /usr/bin/time -v build/bin/motec compile "$MODEL/model.onnx" "${SHAPES[@]}" --compile-to=$phase \
    --target=opencl --summary --quiet -o /dev/null 2> "$log"
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  awk -v p="$phase" -v w="$wall" -v r="$rss_kb" -v b="$weights" 'BEGIN {
    printf "full U-Net --target=opencl --compile-to=%s: wall %s, peak RSS %.0f MB, weights on disk %.0f MB, RSS/weights %.3f\n",
      p, w, r / 1024, b / 1048576, (r * 1024) / b }'
  rm -f "$log"
done
