#!/usr/bin/env bash
# Report (not a test): each tiny corpus model compiled to the legal phase for a target (default opencl,
# with max_tensor_bytes 64 KiB so the tiny VAE decoder is serialized): the op histogram per phase, what
# each legalization pass changed, and the serialized convolutions. Extra arguments go to motec.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/gen_models.sh tiny build/models/tiny > /dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--target=opencl --opencl-max-tensor-bytes=65536)
for m in unet vae_decoder clip_text_encoder gpt2 llama; do
  d=build/models/tiny/$m
  shapes=()
  while read -r spec; do shapes+=("--input-shape=$spec"); done < "$d/input_shapes.txt"
  build/bin/motec compile "$d/model.onnx" "${shapes[@]}" "${args[@]}" --compile-to=legal --report --quiet \
    -o "$out/$m/legal.mlir"
  echo "################ $m (${args[*]})"
  sed -n '/^## Op histogram/,/^## What each/p' "$out/$m/report.md" | sed '$d'
  echo "## Legalization passes that changed something"
  grep -E '^\| legal \|' "$out/$m/report.md" | grep -v 'no change' || true
  sed -n '/^## Serialized/,$p' "$out/$m/report.md"
done
