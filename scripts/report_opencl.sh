#!/usr/bin/env bash
# Figures of the OpenCL target (not a test; the tests are test/targets/opencl): per tiny corpus model, the
# f32 and f16 outputs on pocl against the reference target (max abs error, f16 cosine and error against the
# output's peak), kernel launches per inference and per non-constant op at canonical, and the device memory
# and largest allocation from the report. With FULL=1 also the full-size SD U-Net (1x4x64x64 latent, 77
# tokens) and VAE decoder (512x512) compiled for opencl: compile time, peak RSS, device memory, largest
# allocation, arena parts. BUILD_DIR (default build) names the build tree.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
MOTEC=$BUILD_DIR/bin/motec
MODELS=$BUILD_DIR/models/tiny
bash scripts/gen_models.sh tiny "$MODELS" > /dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
field() { /usr/bin/python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$@"; }

printf '%-18s %10s %10s %10s %9s %8s %6s %14s %12s\n' model f32_maxabs f16_cosine f16_peak launches per_op \
  parts device_bytes largest
for m in unet vae_decoder clip_text_encoder gpt2 llama; do
  d=$MODELS/$m
  shapes=()
  while read -r spec; do shapes+=("--input-shape=$spec"); done < "$d/input_shapes.txt"
  "$MOTEC" run "$d/model.onnx" --target=reference --inputs "$d/test_data_set_0" --output-dir "$out/$m/ref" --quiet
  "$MOTEC" run "$d/model.onnx" --target=opencl --opencl-precision=f32 --inputs "$d/test_data_set_0" \
    --output-dir "$out/$m/f32" --quiet
  "$MOTEC" run "$d/model.onnx" --target=opencl --inputs "$d/test_data_set_0" --output-dir "$out/$m/f16" --quiet
  "$MOTEC" compile "$d/model.onnx" "${shapes[@]}" --target=opencl --report -o "$out/$m/a" --quiet
  f32=$(/usr/bin/python3 scripts/ort/compare.py "$out/$m/ref" "$out/$m/f32" --rtol 1e30 --atol 1e30 |
    awk -F'max_abs=' '/max_abs=/ { split($2, a, " "); if (a[1] + 0 > m) m = a[1] + 0 } END { printf "%.2e", m }')
  read -r cos peak <<< "$(/usr/bin/python3 scripts/ort/compare.py "$out/$m/ref" "$out/$m/f16" --cosine \
    --peak-rtol 1 --rtol 1e30 --atol 1e30 | awk '
      /cosine=/ { split($0, a, "cosine="); split(a[2], b, " "); c = (c == "" || b[1] < c) ? b[1] : c }
      /peak_rel=/ { split($0, a, "peak_rel="); split(a[2], b, " "); p = (b[1] + 0 > p) ? b[1] + 0 : p }
      END { printf "%s %.2e", c, p }')"
  parts=$(grep -o 'kArenaBytes\[\] = {[^}]*}' "$out/$m/a/model.cpp" | tr -cd ',' | wc -c)
  printf '%-18s %10s %10s %10s %9s %8.3f %6s %14s %12s\n' "$m" "$f32" "$cos" "$peak" \
    "$(field "$out/$m/a/report.json" kernel_launches)" "$(field "$out/$m/a/report.json" launches_per_canonical_op)" \
    "$parts" "$(field "$out/$m/a/report.json" device_memory_bytes)" \
    "$(field "$out/$m/a/report.json" largest_allocation_bytes)"
done

if [ "${FULL:-0}" = 1 ]; then
  echo
  printf '%-18s %10s %10s %14s %12s %s\n' full_model compile_s rss_MiB device_bytes largest arena_parts
  for m in unet vae_decoder; do
    d=$BUILD_DIR/models/full/$m
    [ -f "$d/model.onnx" ] || { echo "$m: no full-size model in $d (bash scripts/gen_models.sh full)"; continue; }
    shapes=()
    while read -r spec; do shapes+=("--input-shape=$spec"); done < "$d/input_shapes.txt"
    /usr/bin/time -f '%e %M' -o "$out/$m.time" "$MOTEC" compile "$d/model.onnx" "${shapes[@]}" --target=opencl \
      --report -o "$out/full_$m" --quiet
    read -r secs kb < "$out/$m.time"
    printf '%-18s %10s %10d %14s %12s %s\n' "$m" "$secs" $((kb / 1024)) \
      "$(field "$out/full_$m/report.json" device_memory_bytes)" \
      "$(field "$out/full_$m/report.json" largest_allocation_bytes)" \
      "$(grep -o 'kArenaBytes\[\] = {[^}]*}' "$out/full_$m/model.cpp" | sed 's/.*{//; s/, 0}//')"
  done
fi
