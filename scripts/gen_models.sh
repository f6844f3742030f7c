#!/usr/bin/env bash
# Generates the ONNX model corpus (examples/models/*.py) into OUTDIR, re-exporting only stale models.
# Usage: scripts/gen_models.sh [tiny|full] [OUTDIR]   (OUTDIR defaults to build/models/<size>)
# Env: MODELS=unet,gpt2 limits the set; PYTHON overrides /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE="${1:-tiny}"
case "$SIZE" in tiny|full) ;; *) echo "usage: $0 [tiny|full] [OUTDIR]" >&2; exit 2 ;; esac
OUT="${2:-build/models/$SIZE}"
PYTHON="${PYTHON:-/usr/bin/python3}"
SRC=examples/models
IFS=, read -r -a ALL <<< "${MODELS:-unet,vae_decoder,clip_text_encoder,gpt2,llama,llama_gqa,gpt2_with_past,llama_with_past,llama_draft_with_past,vae_decoder_192,unet_int64_timestep}"

# input_shapes.txt is written last by export.py, so it marks a complete export.
stale=()
for m in "${ALL[@]}"; do
  stamp="$OUT/$m/input_shapes.txt"
  if [ ! -f "$stamp" ] || [ ! -f "$OUT/$m/model.onnx" ] || [ "$SRC/$m.py" -nt "$stamp" ] \
     || [ "$SRC/export.py" -nt "$stamp" ] || { [[ $m == *_with_past ]] && [ "$SRC/with_past.py" -nt "$stamp" ]; } \
     || { [[ $m == vae_decoder_* ]] && [ "$SRC/vae_decoder.py" -nt "$stamp" ]; } \
     || { [[ $m == unet_* ]] && [ "$SRC/unet.py" -nt "$stamp" ]; }; then
    stale+=("$m")
  fi
done
if [ ${#stale[@]} -eq 0 ]; then
  echo "gen_models: $SIZE models in $OUT are up to date"
  exit 0
fi
if ! "$PYTHON" -c "import torch, onnx" 2>/dev/null; then
  echo "gen_models: $PYTHON cannot import torch and onnx; run scripts/setup.sh" >&2
  exit 1
fi
models="$(IFS=,; echo "${stale[*]}")"
echo "gen_models: exporting $SIZE $models into $OUT"
exec "$PYTHON" "$SRC/export.py" --size "$SIZE" --out "$OUT" --models "$models"
