#!/usr/bin/env bash
# Benchmark (not a test): instructions per inference of each tiny corpus model on the NEON target under
# qemu-aarch64 (-cpu cortex-a76) with the instruction-counting plugin (../shared/tools/qemu-insn-count):
# `motec run --bench` marks one inference after a warm-up, so weight loading and packing are not counted.
# Columns: model MACs (motec --summary), Mote f32 and f16 (--neon-precision=f16) instructions per inference,
# f16/f32, instructions per MAC (f32), the f32 whole program with one inference (process start, weight
# loading and packing included: the run's ALL count less the marked repeat), and ONNX Runtime 1.30's arm64
# library measured the same way (../shared/tools/ort-arm64-bench; skipped with ORT=0) with Mote f32 / ORT.
# Then the linear layers written as ONNX Gemm against the same layers as MatMul + Add
# (test/Inputs/make_linear_models.py). With QUANT="w8 w4 ..." (default none), also each quantization scheme's
# instructions per inference against plain f32: w8, w4 (weights widened in the kernels), w4a8, w8a8 and w8a16
# (float between the integer products; calibrated on the model's calibration samples), and i8:w8a8 / i8:w8a16
# (the integer pipeline, --neon-activation-type=i8). Extra arguments go to
# motec; BUILD_DIR (default build) names the build tree whose motec runs and where the tiny corpus is generated.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-build}
MOTEC=$BUILD_DIR/bin/motec
MODELS=$BUILD_DIR/models/tiny
bash scripts/gen_models.sh tiny "$MODELS" > /dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -shared -fPIC -o "$out/libinsn_count.so" ../shared/tools/qemu-insn-count/insn_count.c
ORT=${ORT:-1}
QUANT=${QUANT:-}
declare -A F32_INSNS
ORT_LIB=$ROOT/third_party/npm/node_modules/onnxruntime-node/bin/napi-v6/linux/arm64

# Instructions of one marked inference and of the whole program less the marked repeat ("REGION WHOLE"):
# run MODEL_DIR on neon with motec flags "$@".
mote_insns() {
  local d=$1 tag=$2
  shift 2
  local shapes=()
  if [ -f "$d/input_shapes.txt" ]; then
    while read -r spec; do shapes+=("--input-shape=$spec"); done < "$d/input_shapes.txt"
  fi
  "$MOTEC" run "$d/model.onnx" "${shapes[@]}" --target=neon --bench "$@" --inputs "$d/test_data_set_0" \
    --output-dir "$out/$tag" --quiet \
    --sim-flags="-cpu cortex-a76 -plugin $out/libinsn_count.so,out=$out/$tag.counts -d plugin"
  awk '/^(REGION|ALL)/ { for (i = 2; i <= NF; ++i) { split($i, kv, "="); if (kv[1] == "total") t[$1] = kv[2] } }
    END { print t["REGION"], t["ALL"] - t["REGION"] }' "$out/$tag.counts"
}

ort_insns() {
  [ "$ORT" = 1 ] && [ -d "$ORT_LIB" ] || { echo "-"; return; }
  ../shared/tools/ort-arm64-bench/ort-insn-count "$1" --ort-lib "$ORT_LIB" --plugin "$out/libinsn_count.so" \
    2>/dev/null | awk -F'instructions_per_inference=' '/instructions_per_inference/ { split($2, a, " "); print a[1] }' ||
    echo "-"
}

printf '%-18s %11s %13s %13s %7s %9s %14s %13s %9s\n' model MACs mote_f32 mote_f16 f16/f32 f32/MAC \
  f32_whole ort f32/ort
for m in unet vae_decoder clip_text_encoder gpt2 llama; do
  d=$MODELS/$m
  shapes=()
  while read -r spec; do shapes+=("--input-shape=$spec"); done < "$d/input_shapes.txt"
  macs=$("$MOTEC" compile "$d/model.onnx" "${shapes[@]}" --target=neon --compile-to=legal --summary \
    | awk '/^multiply-accumulates:/ {print $2}')
  f32=$(mote_insns "$d" "$m.f32" "$@")
  f16=$(mote_insns "$d" "$m.f16" --neon-precision=f16 "$@")
  read -r f32 whole <<< "$f32"
  read -r f16 _ <<< "$f16"
  F32_INSNS[$m]=$f32
  ort=$(ort_insns "$d")
  awk -v m="$m" -v macs="$macs" -v a="$f32" -v h="$f16" -v w="$whole" -v o="$ort" 'BEGIN {
    r = (o == "-") ? "-" : sprintf("%.3f", a / o)
    printf "%-18s %11d %13d %13d %7.3f %9.3f %14d %13s %9s\n", m, macs, a, h, h / a, a / macs, w, o, r }'
done

if [ -n "$QUANT" ]; then
  echo
  printf '%-18s %13s' model mote_f32
  for q in $QUANT; do printf ' %13s %7s' "$q" "$q/f32"; done
  echo
  for m in unet vae_decoder clip_text_encoder gpt2 llama; do
    printf '%-18s %13d' "$m" "${F32_INSNS[$m]}"
    for q in $QUANT; do
      scheme=${q#i8:}
      flags=(--quantize="$scheme")
      [ "$scheme" != "$q" ] && flags+=(--neon-activation-type=i8)
      case $scheme in w8a8 | w8a16) flags+=(--calibration="$MODELS/$m/calibration") ;; esac
      n=$(mote_insns "$MODELS/$m" "$m.${q/:/-}" "${flags[@]}" "$@")
      read -r n _ <<< "$n"
      awk -v n="$n" -v a="${F32_INSNS[$m]}" 'BEGIN { printf " %13d %7.3f", n, n / a }'
    done
    echo
  done
fi

echo
/usr/bin/python3 test/Inputs/make_linear_models.py "$out/linear" > /dev/null
g=$(mote_insns "$out/linear/gemm" gemm "$@")
mm=$(mote_insns "$out/linear/matmul" matmul "$@")
read -r g _ <<< "$g"
read -r mm _ <<< "$mm"
awk -v g="$g" -v m="$mm" 'BEGIN {
  printf "linear layers 64x256x1024 (f32): Gemm %d, MatMul+Add %d instructions per inference, Gemm/MatMul %.3f\n",
    g, m, g / m }'
