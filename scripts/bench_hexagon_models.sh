#!/usr/bin/env bash
# Benchmark (not a test): instructions per inference of whole models on the Hexagon target under qemu-hexagon
# with the instruction-counting plugin (../shared/tools/qemu-insn-count), --quantize=$SCHEME (default w8a8;
# SCHEME=w8a16 for int16 activations) calibrated on two
# seeded random samples. Hexagon has no region markers: `motec run --bench` runs the model 3 times instead of
# once, and one inference is half the difference of the two counts (start-up and weight loading cancel).
# Columns: model, MACs (motec --summary), instructions per inference, instructions per MAC, and that against the
# ideal of one vrmpy per 128 MACs. Models: the odd-sized convolution and linear blocks the tests use
# (test/Inputs/make_conv_models.py, make_linear_models.py), then the tiny corpus (calibrated on its own
# calibration samples; a model that does not compile yet says why instead). BUILD_DIR (default build) names the build tree whose motec runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
SCHEME=${SCHEME:-w8a8}
case "$SCHEME" in w8a8|w8a16) ;; *) echo "bench_hexagon_models.sh: SCHEME must be w8a8 or w8a16, got '$SCHEME'" >&2; exit 2 ;; esac
MOTEC=$BUILD_DIR/bin/motec
MODELS=$BUILD_DIR/models/tiny
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -shared -fPIC -o "$out/libinsn_count.so" ../shared/tools/qemu-insn-count/insn_count.c
/usr/bin/python3 test/Inputs/make_conv_models.py "$out/m" > /dev/null
/usr/bin/python3 test/Inputs/make_linear_models.py "$out/m" --rows 64 --width 256 --hidden 512 --seed 3 > /dev/null

# Total instructions of one run of model dir $1 (calibration $2) on hexagon, motec flags after.
count() {
  local d=$1 cal=$2 log=$out/count.txt
  shift 2
  rm -f "$log"
  "$MOTEC" run "$d/model.onnx" "$@" --target=hexagon --quantize="$SCHEME" --calibration="$cal" --inputs "$d/test_data_set_0" \
    --output-dir "$out/o" --quiet --sim-flags="-plugin $out/libinsn_count.so,out=$log -d plugin" > /dev/null
  sed -n 's/^ALL total=\([0-9]*\).*/\1/p' "$log"
}

printf '%-20s %12s %14s %10s %9s\n' model MACs insn/inference insn/MAC x-ideal
for n in k1 k3 k3s2 k3d2 residual concat depthwise wide gemm matmul; do
  d=$out/m/$n
  /usr/bin/python3 test/Inputs/random_inputs.py "$d/model.onnx" "$d/calibration" --samples 2
  macs=$("$MOTEC" compile "$d/model.onnx" --target=hexagon --compile-to=legal --summary | awk '/^multiply-accumulates:/ {print $2}')
  one=$(count "$d" "$d/calibration")
  three=$(count "$d" "$d/calibration" --bench)
  /usr/bin/python3 -c "
m, c = $macs, ($three - $one) / 2
print('%-20s %12d %14d %10.4f %9.2f' % ('$n', m, c, c / m if m else 0, c / (m / 128) if m else 0))"
done
for n in unet vae_decoder clip_text_encoder gpt2 llama; do
  d=$MODELS/$n
  shapes=()
  while read -r spec; do shapes+=("--input-shape=$spec"); done < "$d/input_shapes.txt"
  why=$("$MOTEC" compile "$d/model.onnx" "${shapes[@]}" --target=hexagon --quantize="$SCHEME" --calibration="$d/calibration" \
    -o "$out/c" --quiet 2>&1 | head -1 || true)
  if [ -n "$why" ]; then
    printf '%-20s %s\n' "$n" "$why"
    continue
  fi
  macs=$("$MOTEC" compile "$d/model.onnx" "${shapes[@]}" --target=hexagon --compile-to=legal --summary | awk '/^multiply-accumulates:/ {print $2}')
  one=$(count "$d" "$d/calibration" "${shapes[@]}")
  three=$(count "$d" "$d/calibration" "${shapes[@]}" --bench)
  /usr/bin/python3 -c "
m, c = $macs, ($three - $one) / 2
print('%-20s %12d %14d %10.4f %9.2f' % ('$n', m, c, c / m if m else 0, c / (m / 128) if m else 0))"
done
