#!/usr/bin/env bash
# Benchmark (not a test): what quantization does to generation, on NEON under qemu. For the corpus decoders with
# past (tiny GPT-2 and Llama) and each scheme (f32, w8, w4, w4a8): how many of eager PyTorch's 24 greedy tokens
# (generation.json) free-running generation reproduces (the same prefix up to the first difference, and equal
# tokens in all), and, teacher-forced on eager's tokens (--teacher-ids: every scheme sees the same contexts), each
# step's logits against f32 Mote's (which reproduces eager's tokens exactly): the lowest and mean cosine, the
# largest |difference| over the largest |logit|, and at how many steps the greedy pick is eager's token.
# Extra arguments go to motec; BUILD_DIR (default build) names the build tree.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
MOTEC=$BUILD_DIR/bin/motec
MODELS=$BUILD_DIR/models/tiny
bash scripts/gen_models.sh tiny "$MODELS" > /dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
SCHEMES=${SCHEMES:-"f32 w8 w4 w4a8"}
printf '%-16s %-6s %12s %10s %12s %12s %14s %10s\n' model scheme same_prefix equal min_cosine mean_cosine max_err/max teacher
for m in gpt2_with_past llama_with_past; do
  g=$MODELS/$m/generation.json
  prompt=$(/usr/bin/python3 -c "import json, sys; print(','.join(map(str, json.load(open(sys.argv[1]))['prompt_ids'])))" "$g")
  want=$(/usr/bin/python3 -c "import json, sys; print(','.join(map(str, json.load(open(sys.argv[1]))['generated_ids'])))" "$g")
  for scheme in $SCHEMES; do
    quant=()
    [ "$scheme" = f32 ] || quant=(--quantize="$scheme")
    "$MOTEC" compile "$MODELS/$m/model.onnx" --target=neon --llm --max-context=48 --prefill=8 "${quant[@]}" \
      -o "$out/$m.$scheme" --quiet "$@"
    "$MOTEC" generate "$out/$m.$scheme" --prompt-ids "$prompt" --max-new-tokens 24 --quiet > "$out/$m.$scheme.free" 2> /dev/null
    "$MOTEC" generate "$out/$m.$scheme" --prompt-ids "$prompt" --max-new-tokens 24 --teacher-ids "$want" \
      --logits-out "$out/$m.$scheme.logits" --quiet > /dev/null 2> "$out/$m.$scheme.log"
    /usr/bin/python3 - "$want" "$out/$m.$scheme.free" "$out/$m.f32.logits" "$out/$m.$scheme.logits" \
      "$out/$m.$scheme.log" "$m" "$scheme" <<'PY'
import re
import sys

import numpy as np

want = [int(t) for t in sys.argv[1].split(",")]
got = [int(t) for t in open(sys.argv[2]).read().split(",")]
prefix = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), len(want))
equal = sum(a == b for a, b in zip(want, got))
ref = np.fromfile(sys.argv[3], np.float32).reshape(len(want), -1)
q = np.fromfile(sys.argv[4], np.float32).reshape(len(want), -1)
cos = (ref * q).sum(1) / (np.linalg.norm(ref, axis=1) * np.linalg.norm(q, axis=1))
err = np.abs(ref - q).max() / np.abs(ref).max()
teacher = re.search(r"at (\d+) of (\d+) steps", open(sys.argv[5]).read())
print(f"{sys.argv[6]:16s} {sys.argv[7]:6s} {prefix:9d}/24 {equal:7d}/24 {cos.min():12.6f} {cos.mean():12.6f} "
      f"{err:14.5f} {teacher.group(1):>7s}/24")
PY
  done
done
