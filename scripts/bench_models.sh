#!/usr/bin/env bash
# Benchmark (not a test): each tiny corpus model run on the NEON target under qemu-aarch64 with the
# instruction-counting plugin: instructions per model multiply-accumulate (MACs from motec --summary),
# and the share of FMA-class instructions. Extra arguments go to motec (e.g. more --neon-* flags).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/gen_models.sh tiny build/models/tiny > /dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -shared -fPIC -o "$out/libinsn_count.so" ../shared/tools/qemu-insn-count/insn_count.c
printf '%-18s %14s %14s %10s %10s\n' model MACs instructions insn/MAC fma_share
for m in unet vae_decoder clip_text_encoder gpt2 llama; do
  d=build/models/tiny/$m
  shapes=()
  while read -r spec; do shapes+=("--input-shape=$spec"); done < "$d/input_shapes.txt"
  macs=$(build/bin/motec compile "$d/model.onnx" "${shapes[@]}" --target=neon --compile-to=legal --summary \
    | awk '/^multiply-accumulates:/ {print $2}')
  build/bin/motec run "$d/model.onnx" --target=neon "$@" --inputs "$d/test_data_set_0" --output-dir "$out/$m" \
    --quiet --sim-flags="-plugin $out/libinsn_count.so,out=$out/$m.counts -d plugin"
  awk -v m="$m" -v macs="$macs" '/^ALL/ {
      for (i = 2; i <= NF; ++i) { split($i, kv, "="); v[kv[1]] = kv[2] }
      fma = v["fmla_vec"] + v["fmla_elem"] + v["fma_scalar"] + v["dot"] + v["mmla"]
      printf "%-18s %14d %14d %10.3f %10.3f\n", m, macs, v["total"], v["total"] / macs, fma / v["total"] }' \
    "$out/$m.counts"
done
echo "(whole program: includes weight loading, packing and the portable kernels of the non-GEMM ops)"
