# Exports the Mote model corpus to ONNX (opset 17) with ONNX backend-test-style reference data.
"""Usage: /usr/bin/python3 examples/models/export.py --size tiny|full --out DIR [--models a,b] [--no-reference]

Writes, per model:
  DIR/<model>/model.onnx                 (full size: weights in DIR/<model>/model.onnx.data)
  DIR/<model>/test_data_set_0/input_K.pb  seeded random inputs
  DIR/<model>/test_data_set_0/output_K.pb eager-PyTorch float32 reference outputs (unless --no-reference)
  DIR/<model>/calibration/test_data_set_K/input_K.pb  CALIBRATION_SAMPLES other seeded inputs, for
                                          `motec --calibration` (never the test inputs)
  DIR/<model>/generation.json             decoders with past (*_with_past): eager PyTorch's greedy tokens
                                          after a seeded prompt (prompt_ids, generated_ids, min_top2_margin)
  DIR/<model>/input_shapes.txt            `--input-shape` values, one NAME:DxDxD per line (written last)
"""
import argparse
import collections
import gc
import importlib
import json
import os
import shutil
import sys
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper

MODELS = ["unet", "vae_decoder", "clip_text_encoder", "gpt2", "llama", "llama_gqa", "gpt2_with_past",
          "llama_with_past", "llama_draft_with_past", "vae_decoder_192",
          "unet_int64_timestep"]
OPSET = 17
CALIBRATION_SAMPLES = 4


def log(msg):
    print(f"[export {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def write_tensors(dirname, prefix, names, tensors):
    for k, (name, t) in enumerate(zip(names, tensors)):
        proto = numpy_helper.from_array(np.ascontiguousarray(t.detach().cpu().numpy()), name)
        with open(os.path.join(dirname, f"{prefix}_{k}.pb"), "wb") as f:
            f.write(proto.SerializeToString())


def export_one(name, size, out_dir, reference):
    mod = importlib.import_module(name)
    mdir = os.path.join(out_dir, name)
    os.makedirs(mdir, exist_ok=True)
    # Stale files first: input_shapes.txt marks a complete export.
    for stale in ("input_shapes.txt", "model.onnx", "model.onnx.data", "generation.json"):
        if os.path.exists(os.path.join(mdir, stale)):
            os.remove(os.path.join(mdir, stale))
    shutil.rmtree(os.path.join(mdir, "test_data_set_0"), ignore_errors=True)
    shutil.rmtree(os.path.join(mdir, "calibration"), ignore_errors=True)
    tdir = os.path.join(mdir, "test_data_set_0")
    os.makedirs(tdir)

    # Calibration samples: the inputs make() draws from other seeds (the model it builds is dropped).
    for k in range(CALIBRATION_SAMPLES):
        cdir = os.path.join(mdir, "calibration", f"test_data_set_{k}")
        os.makedirs(cdir)
        calib_model, calib_inputs, _, _ = mod.make(size, torch.Generator().manual_seed(5678 + k))
        write_tensors(cdir, "input", list(calib_inputs.keys()), tuple(calib_inputs.values()))
        del calib_model, calib_inputs
        gc.collect()

    t0 = time.time()
    gen = torch.Generator().manual_seed(1234)
    model, inputs, output_names, dynamic_axes = mod.make(size, gen)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"{name}/{size}: built, {n_params:,} parameters ({time.time() - t0:.1f}s)")
    input_names = list(inputs.keys())
    args = tuple(inputs.values())
    write_tensors(tdir, "input", input_names, args)

    if reference and hasattr(mod, "reference_generation"):
        generation = mod.reference_generation(size, torch.Generator().manual_seed(4321))
        with open(os.path.join(mdir, "generation.json"), "w") as f:
            json.dump(generation, f)
        log(f"{name}/{size}: greedy reference {generation['generated_ids']}")

    if reference:
        t1 = time.time()
        with torch.no_grad():
            outs = model(*args)
        outs = outs if isinstance(outs, tuple) else (outs,)
        for o_name, o in zip(output_names, outs):
            if not torch.isfinite(o).all():
                raise RuntimeError(f"{name}: reference output {o_name} is not finite")
        write_tensors(tdir, "output", output_names, outs)
        log(f"{name}/{size}: reference outputs {[tuple(o.shape) for o in outs]} ({time.time() - t1:.1f}s)")
        del outs

    external = size == "full"
    path = os.path.join(mdir, "model.onnx")
    # Full size: torch switches to one-file-per-tensor external data above 2 GB, so export into a
    # scratch directory and re-save with all weights in one model.onnx.data.
    tmp_dir = os.path.join(mdir, "tmp-export")
    export_path = os.path.join(tmp_dir, "model.onnx") if external else path
    if external:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        os.makedirs(tmp_dir)
    t1 = time.time()
    with torch.no_grad():
        torch.onnx.export(model, args, export_path, opset_version=OPSET, input_names=input_names,
                          output_names=output_names, dynamic_axes=dynamic_axes, do_constant_folding=True)
    log(f"{name}/{size}: torch.onnx.export done ({time.time() - t1:.1f}s)")
    del model, args
    gc.collect()

    if external:
        t1 = time.time()
        proto = onnx.load(export_path)  # pulls in the scratch external data
        onnx.save_model(proto, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location="model.onnx.data", size_threshold=1024)
        del proto
        gc.collect()
        shutil.rmtree(tmp_dir)
        log(f"{name}/{size}: re-saved with external data ({time.time() - t1:.1f}s)")

    onnx.checker.check_model(path)  # by path: works for external data / >2 GB
    proto = onnx.load(path, load_external_data=False)
    graph_inputs = [i.name for i in proto.graph.input]
    graph_outputs = [o.name for o in proto.graph.output]
    if graph_inputs != input_names or graph_outputs != output_names:
        raise RuntimeError(f"{name}: graph I/O {graph_inputs} -> {graph_outputs} differs from "
                           f"{input_names} -> {output_names}")
    ops = collections.Counter(n.op_type for n in proto.graph.node)
    log(f"{name}/{size}: {len(proto.graph.node)} nodes: " +
        ", ".join(f"{k}={v}" for k, v in sorted(ops.items())))
    with open(os.path.join(mdir, "input_shapes.txt"), "w") as f:
        for name_, t in inputs.items():
            f.write(f"{name_}:{'x'.join(str(d) for d in t.shape)}\n")
    sizes = os.path.getsize(path) + (os.path.getsize(path + ".data") if external else 0)
    log(f"{name}/{size}: wrote {mdir} ({sizes / 2**20:.1f} MiB, {time.time() - t0:.1f}s total)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=["tiny", "full"], required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of " + ",".join(MODELS))
    ref = ap.add_mutually_exclusive_group()
    ref.add_argument("--reference", dest="reference", action="store_true", default=None,
                     help="write reference outputs (default for tiny)")
    ref.add_argument("--no-reference", dest="reference", action="store_false",
                     help="skip reference outputs (default for full)")
    a = ap.parse_args()
    models = [m for m in a.models.split(",") if m]
    for m in models:
        if m not in MODELS:
            ap.error(f"unknown model {m!r}; choose from {','.join(MODELS)}")
    reference = a.reference if a.reference is not None else a.size == "tiny"
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    torch.set_num_threads(min(2, os.cpu_count() or 1))
    for m in models:
        export_one(m, a.size, a.out, reference)
    log("done")


if __name__ == "__main__":
    main()
