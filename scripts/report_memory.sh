#!/usr/bin/env bash
# Report (and check): each tiny corpus model compiled to the planned phase (default --target=neon: storage
# types and kernels chosen) and planned again by `mote-opt --mote-plan-memory`: arena bytes, liveness lower
# bound, their ratio. Fails if any ratio exceeds 1.1 (the planner's acceptance bound). Extra arguments go to
# motec (e.g. --neon-precision=f16).
set -euo pipefail
cd "$(dirname "$0")/.."
MOTE_OPT=${MOTE_OPT:-build/bin/mote-opt}
if ! "$MOTE_OPT" --help 2>/dev/null | grep -q -- '--mote-plan-memory'; then
  echo "report_memory.sh: $MOTE_OPT has no --mote-plan-memory pass (register mote::registerPlanMemoryPass())" >&2
  exit 1
fi
bash scripts/gen_models.sh tiny build/models/tiny > /dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--target=neon)
status=0
printf '%-18s %12s %12s %6s  %s\n' model arena_bytes lower_bound ratio "buffers / views / in place"
for m in unet vae_decoder clip_text_encoder gpt2 llama; do
  d=build/models/tiny/$m
  shapes=()
  while read -r spec; do shapes+=("--input-shape=$spec"); done < "$d/input_shapes.txt"
  build/bin/motec compile "$d/model.onnx" "${shapes[@]}" "${args[@]}" --compile-to=planned --quiet \
    -o "$out/$m.mlir"
  # The pass emits one remark per function:
  # "memory plan: N buffers (...), V views, P in place; arena A B, lower bound L B, ratio R (...)".
  remark=$("$MOTE_OPT" --mote-plan-memory=report=true --mlir-print-op-on-diagnostic=false "$out/$m.mlir" \
    -o /dev/null 2>&1 | grep 'remark: memory plan:' | head -1)
  arena=$(sed -E 's/.*arena ([0-9]+) B.*/\1/' <<< "$remark")
  bound=$(sed -E 's/.*lower bound ([0-9]+) B.*/\1/' <<< "$remark")
  counts=$(sed -E 's/.*memory plan: ([0-9]+) buffers.*, ([0-9]+) views, ([0-9]+) in place.*/\1 \/ \2 \/ \3/' <<< "$remark")
  ratio=$(awk -v a="$arena" -v b="$bound" 'BEGIN { printf "%.3f", (b > 0) ? a / b : 1 }')
  printf '%-18s %12s %12s %6s  %s\n' "$m" "$arena" "$bound" "$ratio" "$counts"
  if awk -v r="$ratio" 'BEGIN { exit !(r > 1.1) }'; then
    echo "  $m: arena exceeds 1.1x the liveness lower bound" >&2
    status=1
  fi
done
exit $status
