#!/usr/bin/python3
"""Structure-aware mutation fuzzing of motec, mote-opt and the NEON runner: every mutant must end in a
clean exit (0, or 1 with an "error:" message), never a signal, an abort, a hang or a memory blow-up; and
every ONNX mutant that onnx.checker's full check rejects for its structure (ValidationError) must be
rejected by motec too (outcome accepted-structure is a failure). Mutants that only ONNX 1.12's checker
finds too new (IR versions 9-11, opsets 18-21) are counted as accepted-newer; those whose only fault is
one shape inference finds are counted as accepted-inference (motec infers shapes itself and reports what
it cannot use); neither fails the run.

    /usr/bin/python3 scripts/fuzz/mutate.py --build build --count 5000 [--families onnx,mlir,shapes,weights,inputs]
        [--seed 1] [--jobs 2] [--timeout 30] [--memory-mb 4096] [--keep DIR]

Families (mutants are spread over them evenly):
  onnx     the tiny corpus models (build/models/tiny) with 1-3 structural mutations each: attribute
           values (0, -1, 2^31, 2^62, ...), dims of graph inputs/outputs/initializers, raw data cut or
           grown, nodes dropped, duplicated or retyped, inputs removed or renamed, duplicate or empty
           names, opset versions, element types, Constant shape values (huge Tile/Expand/Reshape/Pad
           sizes), external data pointing outside the folder, and raw byte flips of the protobuf.
           Run: motec compile --target=neon --compile-to=planned (and emitted, for every 10th).
  mlir     the canonical and planned Mote IR of the tiny models with token mutations (numbers, types,
           deleted/duplicated/swapped lines, truncation, deep nesting, byte flips).
           Run: motec compile --target=neon --compile-to=planned and mote-opt --verify-each.
  shapes   --input-shape values: ranks 0-6, dims 0, 1, 2^20, 2^40, 2^62, negative, garbage text.
  weights  a NEON program built once (the tiny GPT-2): its model.weights with header, section table and
           data bytes mutated, truncated or grown; run under qemu-aarch64 like motec run does.
  inputs   the same program's input files cut, grown or replaced.

Prints one line per family (runs and outcomes) and the cases that failed, copied into --keep (default
a temporary folder); exits 1 if any mutant crashed, hung or blew up.
"""
import argparse
import concurrent.futures
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import onnx
from onnx import TensorProto, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MODELS = ["gpt2", "llama", "llama_gqa", "clip_text_encoder", "unet", "vae_decoder"]
INTERESTING = [0, 1, -1, 2, 3, 7, 2 ** 31, 2 ** 31 - 1, 2 ** 40, 2 ** 62, -(2 ** 63), 2 ** 63 - 1, 65536]


def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------------------------------------------
# Running and classifying

def classify(cmd, timeout, memory_mb, cwd=None):
    """Runs cmd and returns (outcome, detail): ok, rejected, crash, hang, blowup or unclear."""
    # The limits are set by a shell that then execs the command (preexec_fn is not safe with threads).
    # --memory-mb 0: no address-space limit (AddressSanitizer reserves terabytes of shadow memory; its
    # allocator reports blow-ups itself).
    address_limit = f"ulimit -v {memory_mb * 1024}; " if memory_mb else ""
    limited = ["bash", "-c", f'{address_limit}ulimit -c 0; exec "$@"', "limit"] + list(cmd)
    try:
        p = subprocess.run(limited, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        return "hang", f"no exit in {timeout} s"
    err = p.stderr.decode("utf-8", "replace")
    tail = err.strip().splitlines()[-1][:300] if err.strip() else ""
    if "out of memory" in err or "bad_alloc" in err or "Cannot allocate memory" in err:
        return "blowup", tail
    if "Sanitizer" in err or "runtime error:" in err:
        return "crash", next((l for l in err.splitlines() if "Sanitizer" in l or "runtime error:" in l), tail)[:300]
    if p.returncode < 0:
        return "crash", f"signal {-p.returncode}: {tail}"
    if "uncaught target signal" in err or "LLVM ERROR" in err or "Assertion" in err or "Stack dump" in err:
        return "crash", tail
    if p.returncode == 0:
        return "ok", ""
    if (p.returncode == 1 and "error" in err) or (p.returncode == 2 and "usage:" in err):
        return "rejected", tail
    return "unclear", f"exit {p.returncode}: {tail}"


def first_line(error):
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__


def checker_verdict(path):
    """onnx.checker's full check of a mutant: None if it passes, else (kind, message). kind is
    "structure" (ValidationError: graph structure, attributes, types, opsets; motec must reject these
    too), "inference" (shape inference's InferenceError) or "unreadable" (not a ModelProto)."""
    try:
        onnx.checker.check_model(path, full_check=True)
        return None
    except onnx.checker.ValidationError as e:
        return "structure", first_line(e)
    except onnx.shape_inference.InferenceError as e:
        return "inference", first_line(e)
    except Exception as e:  # a protobuf that does not parse
        return "unreadable", f"{type(e).__name__}: {str(e)[:200]}"


# The onnx.checker of ONNX 1.12 (the version on this machine) rejects what newer ONNX allows; motec reads
# IR versions up to 11 and opsets up to 21 (ONNX 1.18). These checker messages are intentional
# differences: motec accepts those models.
NEWER_THAN_CHECKER = re.compile(r"ir_version.* is higher than the checker|is under development|"
                                r"Opset \d+ is not supported")


# ---------------------------------------------------------------------------------------------------
# ONNX mutations

def all_graphs(graph):
    yield graph
    for node in graph.node:
        for a in node.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                yield from all_graphs(a.g)


def mutate_onnx(model, rng):
    g = model.graph
    choice = rng.randrange(14)
    nodes = list(g.node)
    if choice == 0 and nodes:  # an integer attribute
        cands = [(n, a) for n in nodes for a in n.attribute if a.type in (onnx.AttributeProto.INT, onnx.AttributeProto.INTS)]
        if cands:
            n, a = rng.choice(cands)
            if a.type == onnx.AttributeProto.INT:
                a.i = rng.choice(INTERESTING)
            elif a.ints:
                a.ints[rng.randrange(len(a.ints))] = rng.choice(INTERESTING)
            else:
                a.ints.append(rng.choice(INTERESTING))
            return f"attr {n.op_type}.{a.name}"
    if choice == 1:  # a declared dim
        infos = list(g.input) + list(g.output) + list(g.value_info)
        infos = [i for i in infos if i.type.tensor_type.shape.dim]
        if infos:
            info = rng.choice(infos)
            d = rng.choice(info.type.tensor_type.shape.dim)
            d.dim_value = rng.choice([0, 1, 3, 2 ** 20, 2 ** 40, 2 ** 62])
            return f"dim of {info.name}"
    if choice == 2 and g.initializer:  # initializer dims disagree with the data
        t = rng.choice(g.initializer)
        if t.dims:
            t.dims[rng.randrange(len(t.dims))] = rng.choice(INTERESTING)
        else:
            t.dims.append(rng.choice(INTERESTING))
        return f"initializer dims {t.name}"
    if choice == 3 and g.initializer:  # raw data cut or grown
        t = rng.choice(g.initializer)
        if t.raw_data:
            t.raw_data = t.raw_data[: rng.randrange(len(t.raw_data))] if rng.random() < 0.7 else t.raw_data + b"\0" * 7
            return f"raw data {t.name}"
    if choice == 4 and nodes:  # drop a node
        del g.node[rng.randrange(len(nodes))]
        return "drop node"
    if choice == 5 and nodes:  # duplicate a node (duplicate output names)
        g.node.append(rng.choice(nodes))
        return "duplicate node"
    if choice == 6 and len(nodes) > 1:  # retype a node
        n = rng.choice(nodes)
        n.op_type = rng.choice(nodes).op_type if rng.random() < 0.8 else rng.choice(["Loop", "If", "Scan", "Foo", ""])
        return f"op type -> {n.op_type}"
    if choice == 7 and nodes:  # remove, add or rename an input
        n = rng.choice(nodes)
        r = rng.random()
        if n.input and r < 0.4:
            del n.input[rng.randrange(len(n.input))]
        elif r < 0.7:
            n.input.append(rng.choice(["", "nonexistent", n.output[0] if n.output else "x"]))
        elif n.input:
            n.input[rng.randrange(len(n.input))] = rng.choice(["", "nonexistent"] + [o for m in nodes for o in m.output][:50])
        return f"inputs of {n.op_type}"
    if choice == 8 and nodes:  # outputs: none, empty, duplicated
        n = rng.choice(nodes)
        r = rng.random()
        if r < 0.3:
            del n.output[:]
        elif r < 0.6 and n.output:
            n.output[0] = ""
        else:
            n.output.append(rng.choice(nodes).output[0] if rng.choice(nodes).output else "dup")
        return f"outputs of {n.op_type}"
    if choice == 9:  # opset
        model.opset_import[0].version = rng.choice([-1, 0, 1, 7, 8, 9, 13, 17, 21, 22, 10 ** 6])
        if rng.random() < 0.3:
            model.opset_import.add(domain="", version=rng.choice([9, 17]))
        return "opset"
    if choice == 10:  # element types
        infos = list(g.input) + list(g.initializer)
        if infos:
            x = rng.choice(infos)
            new = rng.choice([TensorProto.INT8, TensorProto.STRING, TensorProto.COMPLEX64, TensorProto.UNDEFINED,
                              TensorProto.BFLOAT16, TensorProto.FLOAT16, TensorProto.DOUBLE, 99])
            if isinstance(x, TensorProto):
                x.data_type = new
            else:
                x.type.tensor_type.elem_type = new
            return f"element type of {x.name}"
    if choice == 11:  # Constant shape values (Tile/Expand/Reshape/Pad/ConstantOfShape sizes)
        consts = [n for n in nodes if n.op_type == "Constant" and n.attribute and n.attribute[0].type == onnx.AttributeProto.TENSOR
                  and n.attribute[0].t.data_type == TensorProto.INT64]
        if consts:
            n = rng.choice(consts)
            arr = numpy_helper.to_array(n.attribute[0].t).copy()
            if arr.size:
                arr.flat[rng.randrange(arr.size)] = rng.choice(INTERESTING)
                n.attribute[0].t.CopyFrom(numpy_helper.from_array(arr, n.attribute[0].t.name))
                return "constant int64 value"
    if choice == 12 and g.initializer:  # external data outside the folder or absent
        t = rng.choice(g.initializer)
        t.data_location = TensorProto.EXTERNAL
        t.ClearField("raw_data")
        del t.external_data[:]
        for k, v in [("location", rng.choice(["../../../etc/passwd", "/etc/passwd", "missing.bin", "", "."])),
                     ("offset", str(rng.choice([0, 2 ** 62, -1]))), ("length", str(rng.choice([4, 2 ** 40])))]:
            e = t.external_data.add()
            e.key, e.value = k, v
        return f"external data {t.name}"
    # byte flips of the serialized model are applied by the caller
    return "bytes"


def onnx_case(seed_path, rng, workdir):
    model = onnx.load(seed_path)
    steps = [mutate_onnx(model, rng) for _ in range(rng.randint(1, 3))]
    data = model.SerializeToString()
    if "bytes" in steps:
        data = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        data = bytes(data)
    path = os.path.join(workdir, "model.onnx")
    with open(path, "wb") as f:
        f.write(data)
    return path, steps


# ---------------------------------------------------------------------------------------------------
# Mote IR mutations

NUMBER = re.compile(r"(?<![A-Za-z_%#@])-?\d+")
TENSOR = re.compile(r"tensor<([0-9x]+)x([a-z0-9]+)>")


def mutate_mlir(text, rng):
    lines = text.split("\n")
    choice = rng.randrange(8)
    if choice == 0:
        nums = list(NUMBER.finditer(text))
        if nums:
            m = rng.choice(nums)
            return text[: m.start()] + str(rng.choice(INTERESTING)) + text[m.end():], "number"
    if choice == 1:
        types = list(TENSOR.finditer(text))
        if types:
            m = rng.choice(types)
            dims = m.group(1).split("x")
            dims[rng.randrange(len(dims))] = str(rng.choice([0, 1, 3, 2 ** 40, 2 ** 62]))
            return text[: m.start()] + f"tensor<{'x'.join(dims)}x{m.group(2)}>" + text[m.end():], "tensor type"
    if choice == 2 and len(lines) > 2:
        del lines[rng.randrange(1, len(lines) - 1)]
        return "\n".join(lines), "delete line"
    if choice == 3 and len(lines) > 2:
        i = rng.randrange(1, len(lines) - 1)
        lines.insert(i, lines[i])
        return "\n".join(lines), "duplicate line"
    if choice == 4 and len(lines) > 3:
        i, j = rng.randrange(1, len(lines) - 1), rng.randrange(1, len(lines) - 1)
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines), "swap lines"
    if choice == 5:
        return text[: rng.randrange(len(text))], "truncate"
    if choice == 6:
        depth = rng.choice([100, 2000, 20000])
        at = rng.randrange(len(text))
        return text[:at] + "[" * depth + text[at:], "nesting"
    data = bytearray(text.encode())
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(32, 127)
    return data.decode("ascii", "replace"), "bytes"


# ---------------------------------------------------------------------------------------------------
# --input-shape values

def random_shape_spec(name, rng):
    r = rng.random()
    if r < 0.1:
        return rng.choice([f"{name}:", f"{name}:x", f"{name}:1xx2", ":1x2", name, f"{name}:abc", f"{name}:1x-3",
                           f"{name}:99999999999999999999", f"{name}::1", f"{name}:1x2:3"])
    dims = [rng.choice([0, 1, 1, 2, 3, 7, 16, 77, 2 ** 20, 2 ** 31, 2 ** 40, 2 ** 62]) for _ in range(rng.randint(0, 6))]
    return f"{name}:" + "x".join(str(d) for d in dims)


# ---------------------------------------------------------------------------------------------------
# Runner: weights files and inputs

def build_runner(motec, models, workdir, timeout):
    """Runs the tiny GPT-2 on neon keeping the simulation folder; returns (folder, qemu command prefix)."""
    m = os.path.join(models, "gpt2")
    env = dict(os.environ, MOTE_KEEP_TEMPS="1")
    p = subprocess.run([motec, "run", os.path.join(m, "model.onnx"), "--input-shape=input_ids:1x16", "--target=neon",
                        "--inputs", os.path.join(m, "test_data_set_0"), "--output-dir", os.path.join(workdir, "out"),
                        "--quiet"], env=env, capture_output=True, text=True, timeout=timeout * 20)
    found = re.search(r"kept the simulation folder (\S+)", p.stderr)
    if p.returncode != 0 or not found:
        raise RuntimeError(f"could not build the NEON runner: {p.stderr[-2000:]}")
    folder = os.path.join(workdir, "runner")
    shutil.copytree(found.group(1), folder)
    shutil.rmtree(found.group(1), ignore_errors=True)
    qemu = shutil.which("qemu-aarch64") or "qemu-aarch64"
    return folder, [qemu, "-L", "/usr/aarch64-linux-gnu", os.path.join(folder, "runner")]


def mutate_bytes(data, rng, header_bias):
    data = bytearray(data)
    r = rng.random()
    if r < 0.15:
        return bytes(data[: rng.randrange(len(data) + 1)])
    if r < 0.25:
        return bytes(data + bytes(rng.randrange(256) for _ in range(rng.randint(1, 4096))))
    for _ in range(rng.randint(1, 6)):
        limit = min(len(data), 4096) if rng.random() < header_bias else len(data)
        i = rng.randrange(max(1, limit))
        if i < len(data):
            if rng.random() < 0.5:
                data[i] = rng.randrange(256)
            else:  # an 8-byte field to an interesting value
                v = rng.choice(INTERESTING) % 2 ** 64
                data[i:i + 8] = v.to_bytes(8, "little")[: max(0, min(8, len(data) - i))]
    return bytes(data)


# ---------------------------------------------------------------------------------------------------

def run_case(args, family, index, seed):
    rng = random.Random(seed * 1000003 + index)
    work = tempfile.mkdtemp(prefix=f"fuzz-{family}-", dir=args.scratch)
    try:
        cmds, what = [], ""
        if family == "onnx":
            name = rng.choice(args.seed_models)
            path, steps = onnx_case(os.path.join(args.models, name, "model.onnx"), rng, work)
            shapes = [f"--input-shape={s}" for s in args.shapes[name]]
            phase = "emitted" if index % 10 == 0 else "planned"
            out = os.path.join(work, "out") if phase == "emitted" else "/dev/null"
            cmds.append([args.motec, "compile", path, *shapes, "--target=neon", f"--compile-to={phase}", "-o", out, "--quiet"])
            what = f"{name}: {', '.join(steps)}"
        elif family == "mlir":
            src = rng.choice(args.mlir_seeds)
            with open(src) as f:
                text = f.read()
            steps = []
            for _ in range(rng.randint(1, 3)):
                text, step = mutate_mlir(text, rng)
                steps.append(step)
            path = os.path.join(work, "model.mlir")
            with open(path, "w") as f:
                f.write(text)
            cmds.append([args.motec, "compile", path, "--target=neon", "--compile-to=planned", "-o", "/dev/null", "--quiet"])
            cmds.append([args.mote_opt, path, "--verify-each", "-o", "/dev/null"])
            what = f"{os.path.basename(src)}: {', '.join(steps)}"
        elif family == "shapes":
            name = rng.choice(args.seed_models)
            specs = [random_shape_spec(s.split(":")[0], rng) for s in args.shapes[name]]
            cmds.append([args.motec, "compile", os.path.join(args.models, name, "model.onnx"),
                         *[f"--input-shape={s}" for s in specs], "--target=neon", "--compile-to=planned", "-o", "/dev/null", "--quiet"])
            what = f"{name}: {' '.join(specs)}"
        else:
            folder, prefix = args.runner
            weights = os.path.join(folder, "model.weights")
            ins = sorted(glob.glob(os.path.join(folder, "in_*.bin")))
            if family == "weights":
                with open(weights, "rb") as f:
                    data = mutate_bytes(f.read(), rng, header_bias=0.7)
                target = os.path.join(work, "model.weights")
                with open(target, "wb") as f:
                    f.write(data)
                run_ins = ins
                what = "weights"
            else:
                target = weights
                run_ins = []
                for k, src in enumerate(ins):
                    with open(src, "rb") as f:
                        data = f.read()
                    dst = os.path.join(work, f"in{k}.bin")
                    with open(dst, "wb") as f:
                        f.write(mutate_bytes(data, rng, header_bias=0.0) if rng.random() < 0.8 else data)
                    run_ins.append(dst)
                if rng.random() < 0.2:
                    run_ins = run_ins[:-1] if rng.random() < 0.5 else run_ins + run_ins
                what = "inputs"
            cmds.append(prefix + [target, *run_ins, "--", os.path.join(work, "out0.bin")])
        results = []
        for cmd in cmds:
            outcome, detail = classify(cmd, args.timeout, args.memory_mb)
            results.append((outcome, detail, cmd))
        # A mutant the ONNX checker rejects for its structure must not compile.
        if family == "onnx":
            verdict = checker_verdict(path)
            if verdict and results[0][0] == "ok":
                kind, message = verdict
                if kind == "structure" and NEWER_THAN_CHECKER.search(message):
                    kind = "newer"
                results.append((f"accepted-{kind}", message, cmds[0]))
        bad = [r for r in results if r[0] in ("crash", "hang", "blowup", "unclear", "accepted-structure")]
        if bad:
            keep = os.path.join(args.keep, f"{family}-{index}")
            shutil.copytree(work, keep, dirs_exist_ok=True)
        return family, [r[0] for r in results], what, bad
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--models", help="tiny corpus folder (default BUILD/models/tiny)")
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--families", default="onnx,mlir,shapes,weights,inputs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per command")
    ap.add_argument("--memory-mb", type=int, default=4096, help="address-space limit per command (0: none, for sanitizer builds)")
    ap.add_argument("--keep", help="where failing cases are copied (default: a temporary folder)")
    args = ap.parse_args()
    args.motec = os.path.join(args.build, "bin", "motec")
    args.mote_opt = os.path.join(args.build, "bin", "mote-opt")
    args.models = args.models or os.path.join(args.build, "models", "tiny")
    families = [f for f in args.families.split(",") if f]
    for f in families:
        if f not in ("onnx", "mlir", "shapes", "weights", "inputs"):
            ap.error(f"unknown family {f!r}")
    args.keep = args.keep or tempfile.mkdtemp(prefix="mote-fuzz-failures-")
    os.makedirs(args.keep, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="mote-fuzz-")
    args.scratch = scratch
    try:
        args.seed_models = [m for m in MODELS if os.path.exists(os.path.join(args.models, m, "model.onnx"))]
        if not args.seed_models:
            sys.exit(f"fuzz: no tiny corpus models in {args.models}; run scripts/gen_models.sh tiny")
        args.shapes = {}
        for m in args.seed_models:
            with open(os.path.join(args.models, m, "input_shapes.txt")) as f:
                args.shapes[m] = [line.strip() for line in f if line.strip()]
        args.mlir_seeds = []
        if "mlir" in families:
            for m in ("gpt2", "llama"):
                for phase in ("canonical", "planned"):
                    out = os.path.join(scratch, f"{m}.{phase}.mlir")
                    subprocess.run([args.motec, "compile", os.path.join(args.models, m, "model.onnx"),
                                    *[f"--input-shape={s}" for s in args.shapes[m]], "--target=neon",
                                    f"--compile-to={phase}", "-o", out, "--quiet"], check=True)
                    args.mlir_seeds.append(out)
        args.runner = None
        if "weights" in families or "inputs" in families:
            args.runner = build_runner(args.motec, args.models, scratch, args.timeout)
        cases = [(families[i % len(families)], i) for i in range(args.count)]
        tally = {f: {} for f in families}
        failures = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(run_case, args, f, i, args.seed) for f, i in cases]
            for done, fut in enumerate(concurrent.futures.as_completed(futures), 1):
                family, outcomes, what, bad = fut.result()
                for o in outcomes:
                    tally[family][o] = tally[family].get(o, 0) + 1
                for outcome, detail, cmd in bad:
                    failures.append(f"{outcome.upper()} [{family}] {what}: {detail}")
                    log(failures[-1])
                if done % 500 == 0:
                    log(f"fuzz: {done}/{len(cases)} mutants")
        for f in families:
            runs = sum(v for k, v in tally[f].items() if not k.startswith("accepted-"))
            log(f"{f:8s} {runs:6d} runs: " + ", ".join(f"{k} {v}" for k, v in sorted(tally[f].items())))
        bad_total = len(failures)
        log(f"fuzz: {args.count} mutants, {bad_total} crashes/hangs/blow-ups/unclear exits/accepted invalid"
            + (f" (cases in {args.keep})" if bad_total else ""))
        return 1 if bad_total else 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
