#!/usr/bin/env node
'use strict';
// ONNX Runtime oracle: runs a model on CPU and writes its outputs in the ONNX
// backend-test layout.
//
//   node scripts/ort/run_ort.js MODEL.onnx --inputs DIR --output-dir OUT [--input NAME=FILE.pb ...]
//                               [--graph-opt disabled|basic|extended|all]
//
// DIR/input_K.pb feeds the K-th graph input that is not an initializer (the
// session's inputNames order); --input NAME=FILE.pb feeds (or overrides) one
// input by name. Writes OUT/output_K.pb (raw_data + output name) in the
// session's output order; stale OUT/output_*.pb files are removed first.
// Single-threaded (intra- and inter-op) so results are repeatable.

const fs = require('fs');
const path = require('path');
const tp = require('./tensor_proto');

const USAGE = 'usage: node scripts/ort/run_ort.js MODEL.onnx --inputs DIR --output-dir OUT ' +
  '[--input NAME=FILE.pb ...] [--graph-opt disabled|basic|extended|all]';

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { model: null, inputsDir: null, outDir: null, named: [], graphOpt: 'all' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '-h' || a === '--help') { console.log(USAGE); process.exit(0); }
    else if (a === '--inputs') opts.inputsDir = value();
    else if (a === '--output-dir') opts.outDir = value();
    else if (a === '--graph-opt') opts.graphOpt = value();
    else if (a === '--input') {
      const v = value();
      const eq = v.indexOf('=');
      if (eq <= 0) throw new UsageError(`--input expects NAME=FILE.pb, got '${v}'`);
      opts.named.push({ name: v.slice(0, eq), file: v.slice(eq + 1) });
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (opts.model === null) opts.model = a;
    else throw new UsageError(`unexpected argument '${a}'`);
  }
  if (!opts.model) throw new UsageError('missing MODEL.onnx');
  if (!opts.outDir) throw new UsageError('missing --output-dir');
  if (!['disabled', 'basic', 'extended', 'all'].includes(opts.graphOpt)) {
    throw new UsageError(`--graph-opt must be disabled, basic, extended or all, not '${opts.graphOpt}'`);
  }
  return opts;
}

function loadOrt() {
  const dir = path.resolve(__dirname, '..', '..', 'third_party', 'npm', 'node_modules', 'onnxruntime-node');
  try {
    return require(dir);
  } catch (e) {
    throw new Error(`cannot load onnxruntime-node from ${dir}: ${e.message}\n` +
      'install it with scripts/setup.sh (or: cd third_party/npm && ' +
      'ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund)');
  }
}

// input_0.pb, input_1.pb, ... (must be consecutive).
function numberedFiles(dir, prefix) {
  let entries;
  try { entries = fs.readdirSync(dir); } catch (e) { throw new Error(`cannot read directory ${dir}: ${e.message}`); }
  const re = new RegExp(`^${prefix}_(\\d+)\\.pb$`);
  const idx = entries.map((f) => re.exec(f)).filter(Boolean).map((m) => Number(m[1])).sort((a, b) => a - b);
  idx.forEach((k, i) => {
    if (k !== i) throw new Error(`${dir}: ${prefix}_K.pb files are not numbered 0..N-1 (missing ${prefix}_${i}.pb)`);
  });
  return idx.map((k) => path.join(dir, `${prefix}_${k}.pb`));
}

function readTensor(file) {
  let buf;
  try { buf = fs.readFileSync(file); } catch (e) { throw new Error(`cannot read ${file}: ${e.message}`); }
  try { return tp.decode(buf); } catch (e) { throw new Error(`${file}: ${e.message}`); }
}

function describe(t) { return `${t.typeName}[${t.dims.join('x')}]`; }

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const ort = loadOrt();
  if (!fs.existsSync(opts.model)) throw new Error(`model not found: ${opts.model}`);

  let session;
  try {
    session = await ort.InferenceSession.create(opts.model, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: opts.graphOpt,
    });
  } catch (e) {
    throw new Error(`onnxruntime could not load ${opts.model}: ${e.message}`);
  }
  const inputNames = session.inputNames;
  const outputNames = session.outputNames;

  const files = {}; // input name -> .pb file
  if (opts.inputsDir !== null) {
    const positional = numberedFiles(opts.inputsDir, 'input');
    if (positional.length !== inputNames.length) {
      throw new Error(`${opts.inputsDir} has ${positional.length} input_K.pb file(s) but the model has ` +
        `${inputNames.length} input(s): ${inputNames.join(', ')}`);
    }
    positional.forEach((f, k) => { files[inputNames[k]] = f; });
  }
  for (const { name, file } of opts.named) {
    if (!inputNames.includes(name)) {
      throw new Error(`--input ${name}: the model has no input '${name}' (inputs: ${inputNames.join(', ')})`);
    }
    files[name] = file;
  }
  const missing = inputNames.filter((n) => !(n in files));
  if (missing.length) {
    throw new Error(`no data for input(s) ${missing.join(', ')}; pass --inputs DIR or --input NAME=FILE.pb`);
  }

  const feeds = {};
  for (const n of inputNames) {
    const t = readTensor(files[n]);
    if (t.name && t.name !== n) {
      process.stderr.write(`run_ort: note: ${files[n]} is named '${t.name}', feeding it to input '${n}'\n`);
    }
    feeds[n] = new ort.Tensor(t.typeName, t.data, t.dims);
  }

  let results;
  try {
    results = await session.run(feeds);
  } catch (e) {
    const got = inputNames.map((n) => `${n}: ${feeds[n].type}[${feeds[n].dims.join('x')}]`).join(', ');
    throw new Error(`onnxruntime failed to run ${opts.model} (inputs ${got}): ${e.message}`);
  }

  // Encode everything before touching the output directory.
  const encoded = outputNames.map((n) => {
    const r = results[n];
    if (!r) throw new Error(`onnxruntime returned no value for output '${n}'`);
    if (!(r.type in tp.TYPE_BY_NAME)) {
      throw new Error(`output '${n}' has element type '${r.type}', which cannot be written`);
    }
    const t = { name: n, typeName: r.type, dims: Array.from(r.dims, Number), data: r.data };
    return { t, buf: tp.encode(t) };
  });

  fs.mkdirSync(opts.outDir, { recursive: true });
  for (const f of fs.readdirSync(opts.outDir)) {
    if (/^output_\d+\.pb$/.test(f)) fs.unlinkSync(path.join(opts.outDir, f));
  }
  encoded.forEach(({ t, buf }, k) => {
    const file = path.join(opts.outDir, `output_${k}.pb`);
    fs.writeFileSync(file, buf);
    console.log(`${file}: ${t.name} ${describe(t)}`);
  });
  if (session.release) await session.release();
}

main().catch((e) => {
  if (e instanceof UsageError) process.stderr.write(`run_ort: error: ${e.message}\n${USAGE}\n`);
  else process.stderr.write(`run_ort: error: ${e.message}\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
