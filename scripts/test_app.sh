#!/usr/bin/env bash
# Mote as a build-time step, end to end (ctest `app.example`):
#   0. (the VAE decoder's copy stores its weights as ONNX external data);
#   1. `cmake --install` the build tree into a fresh prefix, and move the prefix elsewhere (it must not refer
#      back to where it was installed from, nor to the source tree);
#   2. build examples/app, a separate project that only uses find_package(Mote) and mote_add_model(), for
#      AArch64 with a toolchain file; run it under qemu on the corpus' CLIP text encoder and VAE decoder
#      against eager PyTorch's outputs (rtol 1e-3, atol 1e-4);
#   3. a second `ninja` does nothing; touching one model regenerates that model's code only;
#   4. a second build tree generates byte-identical sources and weights;
#   5. mistakes in mote_add_model (missing model, unknown target, bad input shape, an unknown QUANTIZE scheme, CALIBRATION,
#      two precisions of one target's runtime) stop the configure step with a message naming the model;
#   6. the installed `motec run` builds and uses the installed runtime;
#   7. an app built for this machine with mote_add_model(TARGET opencl) runs GPT-2 on the OpenCL device (pocl)
#      against eager PyTorch's logits.
#
#   bash scripts/test_app.sh BUILD_DIR MODELS_DIR [WORK_DIR]
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(realpath "${1:?usage: test_app.sh BUILD_DIR MODELS_DIR [WORK_DIR]}")
MODELS=$(realpath "${2:?usage: test_app.sh BUILD_DIR MODELS_DIR [WORK_DIR]}")
WORK=${3:-$BUILD/app-test}
PY=/usr/bin/python3
rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
fail() { echo "test_app.sh: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "install into a prefix, then move the prefix"
cmake --install "$BUILD" --prefix "$WORK/staging" > "$WORK/install.log"
mv "$WORK/staging" "$WORK/prefix"
PREFIX=$WORK/prefix
for f in bin/motec lib/cmake/Mote/MoteConfig.cmake lib/cmake/Mote/MoteConfigVersion.cmake \
         lib/cmake/Mote/MoteFunctions.cmake share/mote/runtime/core/Model.h share/mote/runtime/neon/Runtime.cmake \
         share/mote/runtime/opencl/Runtime.cmake share/mote/runtime/opencl/kernels/Common.cl; do
  [ -e "$PREFIX/$f" ] || fail "the install has no $f"
done
if grep -rlF -e "$SRC" -e "$WORK/staging" "$PREFIX/lib" "$PREFIX/share"; then
  fail "installed files refer to the source tree or the install-time prefix"
fi
"$PREFIX/bin/motec" --version

step "the example app's inputs and references (raw tensors from the corpus' ONNX test data)"
mkdir -p "$WORK/models" "$WORK/data"
for m in clip_text_encoder vae_decoder; do
  cp -r "$MODELS/$m" "$WORK/models/$m"
  short=${m%%_*}; [ "$m" = vae_decoder ] && short=vae
  for pb in "$MODELS/$m"/test_data_set_0/*.pb; do
    base=$(basename "$pb" .pb) # input_0, output_1, ...
    "$PY" -c "import sys, onnx; from onnx import numpy_helper as h; t = onnx.TensorProto(); \
t.ParseFromString(open(sys.argv[1], 'rb').read()); h.to_array(t).tofile(sys.argv[2])" \
      "$pb" "$WORK/data/${short}_${base}.bin"
  done
done
# The VAE decoder with its weights as external data, as big exports store them.
"$PY" -c "import onnx, sys; m = onnx.load(sys.argv[1]); \
onnx.save(m, sys.argv[1], save_as_external_data=True, all_tensors_to_one_file=True, location='weights.data', size_threshold=0)" \
  "$WORK/models/vae_decoder/model.onnx"
[ -s "$WORK/models/vae_decoder/weights.data" ] || fail "no external data written"

configure() { # configure DIR [extra cmake args]: the example app against the installed package
  local dir=$1
  shift
  cmake -G Ninja -S "$SRC/examples/app" -B "$dir" -DCMAKE_PREFIX_PATH="$PREFIX" \
    -DCMAKE_TOOLCHAIN_FILE="$SRC/examples/app/aarch64-linux-gnu.cmake" -DMOTE_EXAMPLE_MODELS="$WORK/models" "$@"
}

step "configure and build examples/app for AArch64"
configure "$WORK/app" > "$WORK/configure.log" || { cat "$WORK/configure.log"; fail "configure"; }
ninja -C "$WORK/app" | tee "$WORK/build.log" | grep -E "motec|error|warning" || true
file "$WORK/app/alternate" | grep -q "ARM aarch64" || fail "alternate is not an AArch64 program"

step "run it under qemu"
run_app() {
  qemu-aarch64 -L /usr/aarch64-linux-gnu "$WORK/app/alternate" \
    "$WORK/app/mote/clip/clip.weights" "$WORK/app/mote/vae/vae.weights" "$WORK/data"
}
run_app | tee "$WORK/run.log"
[ "$(grep -c ': PASS:' "$WORK/run.log")" = 3 ] || fail "the app's outputs do not match eager PyTorch's"

step "a second build does nothing"
ninja -C "$WORK/app" | tee "$WORK/rebuild.log"
grep -q "ninja: no work to do." "$WORK/rebuild.log" || fail "the second build did work"

step "touching one model regenerates its code only"
sleep 1
touch "$WORK/models/clip_text_encoder/model.onnx"
ninja -C "$WORK/app" | tee "$WORK/touch.log"
grep -q "motec: compiling model clip" "$WORK/touch.log" || fail "touching the CLIP model did not regenerate it"
if grep -q "motec: compiling model vae" "$WORK/touch.log"; then fail "touching the CLIP model regenerated the VAE"; fi
# The same model gives the same sources: nothing is recompiled.
if grep -qE "Building|Linking" "$WORK/touch.log"; then fail "regenerating identical sources recompiled them"; fi
run_app > /dev/null || fail "the app fails after the rebuild"

step "touching a model's external data regenerates that model"
sleep 1
touch "$WORK/models/vae_decoder/weights.data"
ninja -C "$WORK/app" | tee "$WORK/touch-data.log"
grep -q "motec: compiling model vae" "$WORK/touch-data.log" || fail "touching the VAE's external data did not regenerate it"

step "a second build tree generates byte-identical artifacts"
configure "$WORK/app2" > "$WORK/configure2.log"
ninja -C "$WORK/app2" clip_artifact vae_artifact > /dev/null
for f in clip/clip.h clip/clip.cpp clip/clip.weights vae/vae.h vae/vae.cpp vae/vae.weights; do
  cmp "$WORK/app/mote/$f" "$WORK/app2/mote/$f" || fail "$f differs between two builds"
done
echo "6 artifact files identical"

step "mistakes in mote_add_model stop the configure step, naming the model"
bad() { # bad NAME 'mote_add_model arguments' 'expected message'
  local dir=$WORK/bad/$1
  mkdir -p "$dir/src"
  printf 'cmake_minimum_required(VERSION 3.20)\nproject(Bad C CXX)\nfind_package(Mote REQUIRED)\nmote_add_model(%s)\n' \
    "$2" > "$dir/src/CMakeLists.txt"
  if cmake -G Ninja -S "$dir/src" -B "$dir/build" -DCMAKE_PREFIX_PATH="$PREFIX" > "$dir/log" 2>&1; then
    fail "mote_add_model($2) configured"
  fi
  # CMake wraps messages: compare with the whitespace squeezed.
  tr -s ' \n' '  ' < "$dir/log" | grep -qF "$3" || { cat "$dir/log"; fail "mote_add_model($2): no message '$3'"; }
  echo "refused: mote_add_model($2)"
}
bad missing "text MODEL $WORK/models/nothing.onnx" "mote_add_model(text): the model file '$WORK/models/nothing.onnx' does not exist"
bad target "enc MODEL $WORK/models/clip_text_encoder/model.onnx TARGET tpu" "mote_add_model(enc): unknown target 'tpu'"
bad shape "enc MODEL $WORK/models/clip_text_encoder/model.onnx INPUT_SHAPES input_ids:2by16" \
  "mote_add_model(enc): bad input shape 'input_ids:2by16'"
bad quantize "enc MODEL $WORK/models/clip_text_encoder/model.onnx QUANTIZE w3" \
  "mote_add_model(enc): QUANTIZE 'w3' is not a scheme of this Mote (w8, w4, w4a8, w8a8, w8a16)"
bad calibration "enc MODEL $WORK/models/clip_text_encoder/model.onnx QUANTIZE w8 CALIBRATION $WORK" \
  "mote_add_model(enc): CALIBRATION goes with QUANTIZE w8a8"
bad uncalibrated "enc MODEL $WORK/models/clip_text_encoder/model.onnx QUANTIZE w8a8" \
  "mote_add_model(enc): QUANTIZE w8a8 needs CALIBRATION dir"
bad mixed "a MODEL $WORK/models/clip_text_encoder/model.onnx)
mote_add_model(b MODEL $WORK/models/vae_decoder/model.onnx PRECISION f16" \
  "mote_add_model(b): PRECISION f16, but this project's models for neon are f32"

step "the installed motec runs a model on the installed runtime"
MOTE_RUNTIME_CACHE="$WORK/cache" MOTE_VERBOSE=1 "$PREFIX/bin/motec" run "$WORK/models/clip_text_encoder/model.onnx" \
  --target=neon --inputs "$WORK/models/clip_text_encoder/test_data_set_0" --output-dir "$WORK/installed-run" --quiet \
  2>&1 | tee "$WORK/installed-run.log"
grep -q "runtime sources in $PREFIX/share/mote" "$WORK/installed-run.log" || fail "the installed motec did not use the installed runtime"
"$PY" "$SRC/scripts/ort/compare.py" "$WORK/models/clip_text_encoder/test_data_set_0" "$WORK/installed-run" --rtol 1e-3 --atol 1e-4

step "an app for this machine with TARGET opencl runs GPT-2 on pocl"
mkdir -p "$WORK/clapp-src"
cat > "$WORK/clapp-src/CMakeLists.txt" <<EOF2
cmake_minimum_required(VERSION 3.20)
project(MoteOpenClApp C CXX)
find_package(Mote 0.1 REQUIRED)
mote_add_model(gpt2 MODEL $MODELS/gpt2/model.onnx TARGET opencl INPUT_SHAPES input_ids:1x16 PRECISION f32)
add_executable(gpt2cl main.c)
target_link_libraries(gpt2cl PRIVATE gpt2)
set_target_properties(gpt2cl PROPERTIES LINKER_LANGUAGE CXX)
EOF2
cat > "$WORK/clapp-src/main.c" <<'EOF2'
/* gpt2cl WEIGHTS IN.bin OUT.bin: one inference of the model compiled for OpenCL, through its C API. */
#include "gpt2.h"
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  if (argc != 4) return 2;
  void *in = malloc(gpt2_input_bytes[0]), *out = malloc(gpt2_output_bytes[0]);
  FILE *f = fopen(argv[2], "rb");
  if (!f || fread(in, 1, gpt2_input_bytes[0], f) != gpt2_input_bytes[0]) return 3;
  fclose(f);
  gpt2_t *model = NULL;
  int rc = gpt2_open(argv[1], &model);
  if (rc == 0) rc = gpt2_run(model, (const void *const *)&in, &out);
  if (rc != 0) { fprintf(stderr, "gpt2cl: %s\n", gpt2_error(rc)); return 1; }
  gpt2_close(model);
  f = fopen(argv[3], "wb");
  if (!f || fwrite(out, 1, gpt2_output_bytes[0], f) != gpt2_output_bytes[0]) return 4;
  fclose(f);
  return 0;
}
EOF2
cmake -G Ninja -S "$WORK/clapp-src" -B "$WORK/clapp" -DCMAKE_PREFIX_PATH="$PREFIX" > "$WORK/clapp-configure.log" ||
  { cat "$WORK/clapp-configure.log"; fail "configure the OpenCL app"; }
ninja -C "$WORK/clapp" > "$WORK/clapp-build.log" || { cat "$WORK/clapp-build.log"; fail "build the OpenCL app"; }
[ -s "$WORK/clapp/mote/gpt2/gpt2.cl" ] || fail "no kernel library in the OpenCL artifact"
"$PY" -c "import sys, onnx; from onnx import numpy_helper as h; t = onnx.TensorProto(); \
t.ParseFromString(open(sys.argv[1], 'rb').read()); h.to_array(t).tofile(sys.argv[2])" \
  "$MODELS/gpt2/test_data_set_0/input_0.pb" "$WORK/clapp/ids.bin"
POCL_CACHE_DIR="$WORK/pocl" "$WORK/clapp/gpt2cl" "$WORK/clapp/mote/gpt2/gpt2.weights" "$WORK/clapp/ids.bin" \
  "$WORK/clapp/logits.bin" || fail "the OpenCL app failed"
"$PY" -c "import sys, onnx, numpy as np; from onnx import numpy_helper as h; t = onnx.TensorProto(); \
t.ParseFromString(open(sys.argv[1], 'rb').read()); want = h.to_array(t); \
got = np.fromfile(sys.argv[2], np.float32).reshape(want.shape); \
ok = np.allclose(got, want, rtol=1e-3, atol=1e-4); print('OpenCL app vs eager PyTorch: max abs %.3g' % np.abs(got - want).max(), 'PASS' if ok else 'FAIL'); \
sys.exit(0 if ok else 1)" "$MODELS/gpt2/test_data_set_0/output_0.pb" "$WORK/clapp/logits.bin" || fail "the OpenCL app's logits"

echo "test_app.sh: PASS"
