#!/usr/bin/env bash
# README's demo command: installs what is missing, builds, exports the tiny Stable Diffusion U-Net from
# examples/models, compiles it with motec (printing the summary of its canonical IR), runs it on the
# reference target (compared with eager PyTorch and ONNX Runtime), then compiles it for the NEON target
# and runs the generated program under qemu-aarch64, and for the OpenCL target (f16 storage) and runs it on
# pocl's OpenCL device, printing each one's error against the reference; then generates
# 24 tokens with the tiny GPT-2 with past (motec generate) and compares them with eager PyTorch's.
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

OUT=build/demo
rm -rf "$OUT"
echo
echo "== motec run $MODEL/model.onnx --target=reference --inputs $MODEL/test_data_set_0 --output-dir $OUT/mote"
build/bin/motec run "$MODEL/model.onnx" --target=reference --inputs "$MODEL/test_data_set_0" --output-dir "$OUT/mote"
node scripts/ort/run_ort.js "$MODEL/model.onnx" --inputs "$MODEL/test_data_set_0" --output-dir "$OUT/ort" > /dev/null
echo "== reference target vs eager PyTorch"
/usr/bin/python3 scripts/ort/compare.py "$MODEL/test_data_set_0" "$OUT/mote"
echo "== reference target vs ONNX Runtime"
/usr/bin/python3 scripts/ort/compare.py "$OUT/ort" "$OUT/mote"

echo
echo "== motec compile $MODEL/model.onnx --target=neon --compile-to=emitted -o $OUT/neon-artifact"
build/bin/motec compile "$MODEL/model.onnx" "${SHAPES[@]}" --target=neon --compile-to=emitted --report \
  -o "$OUT/neon-artifact"
ls -l "$OUT/neon-artifact"
echo "== motec run $MODEL/model.onnx --target=neon (cross-compiled, run under qemu-aarch64)"
build/bin/motec run "$MODEL/model.onnx" --target=neon --inputs "$MODEL/test_data_set_0" --output-dir "$OUT/neon"
echo "== NEON target vs reference target"
/usr/bin/python3 scripts/ort/compare.py "$OUT/mote" "$OUT/neon"

echo
echo "== motec compile $MODEL/model.onnx --target=opencl -o $OUT/opencl-artifact (f16 storage)"
build/bin/motec compile "$MODEL/model.onnx" "${SHAPES[@]}" --target=opencl --report -o "$OUT/opencl-artifact"
ls -l "$OUT/opencl-artifact"
echo "== motec run $MODEL/model.onnx --target=opencl (host program on pocl's OpenCL device)"
build/bin/motec run "$MODEL/model.onnx" --target=opencl --inputs "$MODEL/test_data_set_0" --output-dir "$OUT/opencl"
echo "== OpenCL target (f16 storage) vs reference target (f32): cosine and error against the output's peak"
/usr/bin/python3 scripts/ort/compare.py "$OUT/mote" "$OUT/opencl" --cosine --min-cosine 0.9999 --peak-rtol 0.01 \
  --rtol 1e30 --atol 1e30

# LLM generation: the tiny GPT-2 with past as an LLM artifact (prefill and decode entries over a static KV
# cache), 24 greedy tokens under qemu against eager PyTorch's.
LLM=build/models/tiny/gpt2_with_past
PROMPT=$(/usr/bin/python3 -c "import json, sys; print(','.join(map(str, json.load(open(sys.argv[1]))['prompt_ids'])))" "$LLM/generation.json")
echo
echo "== motec generate $LLM/model.onnx --max-context=64 --prefill=8 --prompt-ids $PROMPT --max-new-tokens 24"
GOT=$(build/bin/motec generate "$LLM/model.onnx" --max-context=64 --prefill=8 --prompt-ids "$PROMPT" --max-new-tokens 24)
WANT=$(/usr/bin/python3 -c "import json, sys; print(','.join(map(str, json.load(open(sys.argv[1]))['generated_ids'])))" "$LLM/generation.json")
echo "mote:  $GOT"
echo "eager: $WANT"
[ "$GOT" = "$WANT" ] && echo "== the same 24 tokens as eager PyTorch" || { echo "== the tokens differ from eager PyTorch"; exit 1; }
