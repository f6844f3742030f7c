#!/usr/bin/env bash
# Report (not a test): for each tiny corpus model, the reference target's max errors against eager
# PyTorch and ONNX Runtime, and the op histogram at the import and canonical phases.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/gen_models.sh tiny build/models/tiny > /dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for m in unet vae_decoder clip_text_encoder gpt2 llama; do
  d=build/models/tiny/$m
  shapes=()
  while read -r spec; do shapes+=("--input-shape=$spec"); done < "$d/input_shapes.txt"
  echo "== $m"
  build/bin/motec run "$d/model.onnx" --inputs "$d/test_data_set_0" --output-dir "$out/$m/mote" --quiet
  node scripts/ort/run_ort.js "$d/model.onnx" --inputs "$d/test_data_set_0" --output-dir "$out/$m/ort" > /dev/null
  echo "-- reference vs eager PyTorch"
  /usr/bin/python3 scripts/ort/compare.py "$d/test_data_set_0" "$out/$m/mote" | sed 's/^/   /'
  echo "-- reference vs ONNX Runtime"
  /usr/bin/python3 scripts/ort/compare.py "$out/$m/ort" "$out/$m/mote" | sed 's/^/   /'
  for phase in import canonical; do
    echo "-- ops at $phase: $(build/bin/motec compile "$d/model.onnx" "${shapes[@]}" --compile-to=$phase --summary \
      | sed -n '/^  mote\./p' | sed 's/^  mote\.//' | tr '\n' ' ')"
  done
done
