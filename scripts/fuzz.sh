#!/usr/bin/env bash
# libFuzzer over the ONNX importer and the pipeline up to the planned phase (test/fuzz/ImportFuzzer.cpp),
# built with clang, AddressSanitizer and UndefinedBehaviorSanitizer into build-sanitize/ (scripts/sanitize.sh).
#
#   bash scripts/fuzz.sh [--time SECONDS] [--runs N] [--jobs N]
#
# Seeds: ONNX's node test models (libonnx-testdata) and, when build/models/tiny exists, the tiny corpus
# models with their weights replaced by ConstantOfShape (scripts/fuzz/weightless_seeds.py). Each job
# fuzzes until --time seconds pass or it has run --runs inputs (default: 60 s, no run cap); findings
# (crash-*, timeout-*, oom-*) are written to build-sanitize/fuzz-findings/. Prints the runs, findings and
# coverage of every job and exits 1 if anything was found. Safe to re-run: the corpus grown by earlier
# runs (build-sanitize/fuzz-corpus) is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TIME=60
RUNS=-1
JOBS=${JOBS:-2}
while [ $# -gt 0 ]; do
  case "$1" in
    --time) TIME=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

BUILD=${SANITIZE_BUILD_DIR:-build-sanitize}
MAX_LEN=${MAX_LEN:-131072}
bash scripts/sanitize.sh --build-only

SEEDS="$BUILD/fuzz-seeds"
CORPUS="$BUILD/fuzz-corpus"
FINDINGS="$BUILD/fuzz-findings"
mkdir -p "$SEEDS" "$CORPUS" "$FINDINGS"
for model in /usr/share/libonnx-testdata/data/node/*/model.onnx; do
  [ -f "$model" ] && cp -n "$model" "$SEEDS/node_$(basename "$(dirname "$model")").onnx"
done
# The corpus models without their weights (a few tens of KB each; the U-Net's graph alone is 800 KB and
# stays out, above -max_len).
if ls build/models/tiny/*/model.onnx > /dev/null 2>&1; then
  /usr/bin/python3 scripts/fuzz/weightless_seeds.py "$SEEDS" build/models/tiny/*/model.onnx
  find "$SEEDS" -name 'tiny_*' -size +${MAX_LEN}c -delete
fi
# ONNX Runtime's contrib operators (MatMulNBits, GroupQueryAttention, ...) as the importer's tests build them.
/usr/bin/python3 test/Inputs/make_contrib_models.py "$BUILD/contrib-models" > /dev/null
/usr/bin/python3 scripts/fuzz/weightless_seeds.py "$SEEDS" "$BUILD"/contrib-models/*/model.onnx
echo "fuzz.sh: $(ls "$SEEDS" | wc -l) seeds, $JOBS job(s), ${TIME} s each, run cap $RUNS"

rm -f "$BUILD"/fuzz-*.log
cd "$BUILD"
# -rss_limit_mb: Mote refuses models whose tensors would not fit; 4 GiB per job is far above what the
# seeds need. -timeout: no input may take 20 s (ASan costs ~2-3x); -report_slow_units at the same 20 s, so that
# the one rule decides (libFuzzer's default writes a finding at 10 s, on a loaded machine a flaky one).
set +e
"$ROOT/$BUILD/bin/mote-import-fuzzer" -jobs="$JOBS" -workers="$JOBS" -max_total_time="$TIME" -runs="$RUNS" \
  -timeout=20 -report_slow_units=20 -rss_limit_mb=4096 -max_len=$MAX_LEN -artifact_prefix=fuzz-findings/ -print_final_stats=1 \
  fuzz-corpus fuzz-seeds > /dev/null 2>&1
set -e
total=0
for log in fuzz-*.log; do
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  echo "fuzz.sh: $log: ${runs:-?} runs, $cov"
  total=$((total + ${runs:-0}))
done
found=$(ls fuzz-findings | wc -l)
echo "fuzz.sh: $total runs in all, $found finding(s) in $BUILD/fuzz-findings"
# A finding in CI must be reproducible from CI's output alone: print each failing job's report (the
# sanitizer's or libFuzzer's error and its stack) and every finding small enough to print, in base64
# (`base64 -d > crash.onnx`, then `bin/mote-import-fuzzer crash.onnx` or `motec crash.onnx`).
for log in fuzz-*.log; do
  if grep -q "ERROR: \(AddressSanitizer\|LeakSanitizer\|libFuzzer\)\|runtime error:\|==ERROR" "$log"; then
    echo "fuzz.sh: the report of $log:"
    grep -m1 -A80 "ERROR: \|runtime error:" "$log" | sed 's/^/  | /'
  fi
done
for finding in fuzz-findings/*; do
  [ -f "$finding" ] || continue
  size=$(wc -c < "$finding")
  if [ "$size" -le 16384 ]; then
    echo "fuzz.sh: $finding ($size bytes), base64:"
    base64 -w 120 "$finding" | sed 's/^/  | /'
  else
    echo "fuzz.sh: $finding ($size bytes, too large to print)"
  fi
done
if [ "$found" -ne 0 ] || grep -l "ERROR: \(AddressSanitizer\|libFuzzer\)\|runtime error:" fuzz-*.log; then
  exit 1
fi
