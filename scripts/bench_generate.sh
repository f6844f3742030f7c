#!/usr/bin/env bash
# Benchmark (not a test): instructions per token of LLM generation (motec generate) on the NEON target under
# qemu-aarch64 (-cpu cortex-a76) with the instruction-counting plugin (../shared/tools/qemu-insn-count). Each
# run generates once as a warm-up, rewinds and generates again with the counter's markers around the prompt's
# calls (--bench-phase=prefill) or every call after them (--bench-phase=generate).
# 1. Decode cost against context: the tiny Llama with past (rotary positions: any context) compiled with
#    --max-context=64 and 256, f32 and f16; T_NEW tokens decoded after prompts of 14 and 248 tokens. A decode step must cost
#    what its filled context costs, the same whatever the cache's length L.
# 2. Prefill: instructions per prompt token (--prefill=16 chunks) against decoding the prompt token by token.
# 3. Speculation: plain greedy against --speculate=ngram (k = 2, 4, 6 tokens a verification), instructions and
#    entry calls per generated token after the first (the tokens are checked equal).
# 4. Speculation with a draft model (the Llama's layer-skip draft): the same against plain greedy.
# Extra arguments go to motec (e.g. --quantize=w8); BUILD_DIR (default build) names the build tree.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
MOTEC=$BUILD_DIR/bin/motec
MODELS=$BUILD_DIR/models/tiny
bash scripts/gen_models.sh tiny "$MODELS" > /dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -shared -fPIC -o "$out/libinsn_count.so" ../shared/tools/qemu-insn-count/insn_count.c
T_NEW=${T_NEW:-5}
EXTRA=("$@")
model=$MODELS/llama_with_past/model.onnx

ids() { /usr/bin/python3 -c "import sys; n = int(sys.argv[1]); print(','.join(str((i * 37 + 11) % 1000) for i in range(n)))" "$1"; }

# Marked instructions of a generation: artifact DIR, prompt, new tokens, phase, tag, extra generate flags.
insns() {
  local dir=$1 prompt=$2 new=$3 phase=$4 tag=$5
  shift 5
  "$MOTEC" generate "$dir" --prompt-ids "$prompt" --max-new-tokens "$new" --bench-phase="$phase" --quiet "$@" \
    --sim-flags="-cpu cortex-a76 -plugin $out/libinsn_count.so,out=$out/$tag.counts -d plugin" \
    > "$out/$tag.tokens" 2> "$out/$tag.log"
  awk '/^REGION/ { for (i = 2; i <= NF; ++i) { split($i, kv, "="); if (kv[1] == "total") print kv[2] } }' \
    "$out/$tag.counts"
}

for L in 64 256; do
  "$MOTEC" compile "$model" --target=neon --llm --max-context=$L --prefill=16 -o "$out/llama$L" --quiet "${EXTRA[@]}"
  "$MOTEC" compile "$model" --target=neon --neon-precision=f16 --llm --max-context=$L --prefill=16 \
    -o "$out/llama${L}f16" --quiet "${EXTRA[@]}"
done
echo "1. decode instructions per token (tiny Llama with past, $((T_NEW - 1)) decode steps after the prompt)"
printf '%-14s %8s %12s %16s\n' artifact context insns/token vs_context_16
for precision in "" f16; do
  base=$(insns "$out/llama64$precision" "$(ids 14)" "$T_NEW" generate "l64_14$precision")
  per16=$((base / (T_NEW - 1)))
  printf '%-14s %8s %12d %16s\n' "L=64 ${precision:-f32}" "~$((14 + T_NEW / 2))" "$per16" "1.000"
  for prompt_len in 14 248; do
    total=$(insns "$out/llama256$precision" "$(ids $prompt_len)" "$T_NEW" generate "l256_$prompt_len$precision")
    per=$((total / (T_NEW - 1)))
    printf '%-14s %8s %12d %16s\n' "L=256 ${precision:-f32}" "~$((prompt_len + T_NEW / 2))" "$per" \
      "$(awk -v a="$per" -v b="$per16" 'BEGIN { printf "%.3f", a / b }')"
  done
done

echo "2. prefill instructions per prompt token (L=256, --prefill=16)"
printf '%-28s %12s\n' prompt insns/token
for n in 16 64; do
  total=$(insns "$out/llama256" "$(ids $n)" 1 prefill "pre_$n")
  printf '%-28s %12d\n' "$n tokens, prefill entry" "$((total / n))"
done

echo "3. speculation: the tiny Llama draft with past (its greedy text falls into a cycle that prompt lookup"
echo "   predicts), generation.json's prompt, 64 new tokens, against plain greedy (same tokens, checked)"
draft=$MODELS/llama_draft_with_past
"$MOTEC" compile "$draft/model.onnx" --target=neon --llm --max-context=96 --prefill=8 -o "$out/draft" --quiet "${EXTRA[@]}"
prompt=$(/usr/bin/python3 -c "import json, sys; print(','.join(map(str, json.load(open(sys.argv[1]))['prompt_ids'])))" "$draft/generation.json")
printf '%-26s %12s %14s %s\n' mode insns/token calls/token accepted
plain=$(insns "$out/draft" "$prompt" 64 generate plain)
calls() { sed -n 's/.*(\([0-9.]*\) target calls per generated token.*/\1/p' "$out/$1.log"; }
printf '%-26s %12d %14s %s\n' "greedy" "$((plain / 63))" "$(calls plain)" "-"
for k in 2 4 6; do
  ngram=$(insns "$out/draft" "$prompt" 64 generate "ngram$k" --speculate=ngram --speculate-k=$k --ngram=2)
  cmp -s "$out/plain.tokens" "$out/ngram$k.tokens" || { echo "speculation changed the tokens" >&2; exit 1; }
  printf '%-26s %12d %14s %s (x%s of plain)\n' "greedy, ngram, k=$k" "$((ngram / 63))" "$(calls "ngram$k")" \
    "$(sed -n 's/.*speculation (ngram): \(.*\)/\1/p' "$out/ngram$k.log")" \
    "$(awk -v a="$ngram" -v b="$plain" 'BEGIN { printf "%.3f", a / b }')"
done

echo "4. speculation with a draft model: the tiny Llama with past, its layer-skip draft (llama_draft_with_past:"
echo "   the first of its 2 layers), generation.json's prompt, 24 new tokens (instructions include the draft's)"
target=$MODELS/llama_with_past
"$MOTEC" compile "$target/model.onnx" --target=neon --llm --max-context=64 --prefill=8 -o "$out/target" --quiet "${EXTRA[@]}"
"$MOTEC" compile "$draft/model.onnx" --target=neon --llm --max-context=64 --prefill=8 --name=draft -o "$out/drafter" \
  --quiet "${EXTRA[@]}"
prompt=$(/usr/bin/python3 -c "import json, sys; print(','.join(map(str, json.load(open(sys.argv[1]))['prompt_ids'])))" "$target/generation.json")
printf '%-26s %12s %14s %s\n' mode insns/token calls/token accepted
plain=$(insns "$out/target" "$prompt" 24 generate tplain)
printf '%-26s %12d %14s %s\n' "greedy" "$((plain / 23))" "$(calls tplain)" "-"
for k in 2 3 4; do
  spec=$(insns "$out/target" "$prompt" 24 generate "draft$k" --draft="$out/drafter" --speculate-k=$k)
  cmp -s "$out/tplain.tokens" "$out/draft$k.tokens" || { echo "speculation changed the tokens" >&2; exit 1; }
  printf '%-26s %12d %14s %s (x%s of plain)\n' "greedy, draft, k=$k" "$((spec / 23))" "$(calls "draft$k")" \
    "$(sed -n 's/.*speculation (draft): \(.*\)/\1/p' "$out/draft$k.log")" \
    "$(awk -v a="$spec" -v b="$plain" 'BEGIN { printf "%.3f", a / b }')"
done
