#!/usr/bin/env bash
# Benchmark (not a test): instructions per token of LLM generation (motec generate) on the NEON target under
# qemu-aarch64 (-cpu cortex-a76) with the instruction-counting plugin (../shared/tools/qemu-insn-count). Each
# run generates once as a warm-up, rewinds and generates again with the counter's markers around the prompt's
# calls (--bench-phase=prefill) or every call after them (--bench-phase=generate).
# 1. Decode cost against context: the tiny Llama with past (rotary positions: any context) compiled with
#    --max-context=64 and 256; T_NEW tokens decoded after prompts of 14 and 248 tokens. A decode step must cost
#    what its filled context costs, the same whatever the cache's length L.
# 2. Prefill: instructions per prompt token (--prefill=16 chunks) against decoding the prompt token by token.
# 3. Speculation: plain greedy against --speculate=ngram on a prompt that repeats, instructions and entry
#    calls per generated token (the tokens are checked equal).
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
  "$MOTEC" compile "$model" --target=neon --llm --max-context=$L --prefill=16 -o "$out/llama$L" --quiet "$@"
done
echo "1. decode instructions per token (tiny Llama with past, $((T_NEW - 1)) decode steps after the prompt)"
printf '%-14s %8s %12s %16s\n' artifact context insns/token vs_context_16
base=$(insns "$out/llama64" "$(ids 14)" "$T_NEW" generate l64_14)
per16=$((base / (T_NEW - 1)))
printf '%-14s %8s %12d %16s\n' "L=64" "~$((14 + T_NEW / 2))" "$per16" "1.000"
for spec in "256 14" "256 248"; do
  set -- $spec
  total=$(insns "$out/llama$1" "$(ids "$2")" "$T_NEW" generate "l$1_$2")
  per=$((total / (T_NEW - 1)))
  printf '%-14s %8s %12d %16s\n' "L=$1" "~$(($2 + T_NEW / 2))" "$per" "$(awk -v a="$per" -v b="$per16" 'BEGIN { printf "%.3f", a / b }')"
done

echo "2. prefill instructions per prompt token (L=256, --prefill=16)"
printf '%-28s %12s\n' prompt insns/token
for n in 16 64; do
  total=$(insns "$out/llama256" "$(ids $n)" 1 prefill "pre_$n")
  printf '%-28s %12d\n' "$n tokens, prefill entry" "$((total / n))"
done

echo "3. speculation: the tiny GPT-2 with past, a prompt of a repeated phrase, 24 new tokens"
gpt2=$MODELS/gpt2_with_past/model.onnx
"$MOTEC" compile "$gpt2" --target=neon --llm --max-context=64 --prefill=8 -o "$out/gpt2" --quiet "$@"
prompt=$(/usr/bin/python3 -c "print(','.join(map(str, [61, 570, 272, 578, 716, 34, 227, 321] * 2)))")
printf '%-22s %12s %14s %s\n' mode insns/token calls/token accepted
plain=$(insns "$out/gpt2" "$prompt" 24 generate plain)
ngram=$(insns "$out/gpt2" "$prompt" 24 generate ngram --speculate=ngram --speculate-k=4 --ngram=2)
cmp -s "$out/plain.tokens" "$out/ngram.tokens" || { echo "speculation changed the tokens" >&2; exit 1; }
calls() { sed -n 's/.*(\([0-9.]*\) calls per generated token.*/\1/p' "$out/$1.log"; }
printf '%-22s %12d %14s %s\n' "greedy" "$((plain / 23))" "$(calls plain)" "-"
printf '%-22s %12d %14s %s\n' "greedy, ngram" "$((ngram / 23))" "$(calls ngram)" \
  "$(sed -n 's/.*speculation (ngram): \(.*\)/\1/p' "$out/ngram.log")"
echo "speculation instructions / plain: $(awk -v a="$ngram" -v b="$plain" 'BEGIN { printf "%.3f", a / b }')"
