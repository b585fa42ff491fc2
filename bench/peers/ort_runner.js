#!/usr/bin/env node
// ONNX Runtime arm of bench/bench_peers.py: times one ONNX model with onnxruntime-node on the CPU.
// Usage: NODE_PATH=build/peers/node_modules node bench/peers/ort_runner.js MODEL.onnx
//          [--threads T] [--warmup W] [--runs N] [--input X.npy] [--shape 1,3,224,224] [--seed S]
// Session: intraOpNumThreads=T, interOpNumThreads=1, graphOptimizationLevel 'all', executionMode 'sequential'.
// Input: X.npy (float32, C order) if given, else seeded N(0, 1) noise of --shape. Prints one JSON object on stdout:
// {"arm": "ort", "version", "model", "threads", "warmup", "load_s", "runs_s": [seconds per timed run], "median_ms"}.
'use strict';
const fs = require('fs');
let ort;
try {
  ort = require('onnxruntime-node');
} catch (e) {
  console.error('ort_runner.js: onnxruntime-node not found (' + e.code + '); install it with scripts/install_peers.sh');
  process.exit(3);
}

function parseArgs(argv) {
  const a = { threads: 1, warmup: 5, runs: 20, input: '', shape: '1,3,224,224', seed: 0, model: '' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (!k.startsWith('--')) { a.model = k; continue; }
    const name = k.slice(2);
    if (!(name in a) || i + 1 >= argv.length) throw new Error('bad option ' + k);
    a[name] = typeof a[name] === 'number' ? Number(argv[++i]) : argv[++i];
  }
  if (!a.model) throw new Error('no model given');
  return a;
}

// Reads a float32 little-endian C-order .npy (format versions 1-3); returns {data, dims}.
function readNpy(path) {
  const buf = fs.readFileSync(path);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(path + ': not a .npy file');
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + hlen;
  const header = buf.toString('latin1', start - hlen, start);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header))
    throw new Error(path + ': want float32 little-endian C order, header ' + header.trim());
  const dims = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(',').filter((s) => s.trim()).map(Number);
  const bytes = buf.subarray(start);
  return { data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)), dims };
}

// Seeded N(0, 1) noise: mulberry32 + Box-Muller.
function noise(dims, seed) {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const data = new Float32Array(dims.reduce((x, y) => x * y, 1));
  for (let i = 0; i < data.length; i++) data[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return { data, dims };
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const t0 = process.hrtime.bigint();
  const session = await ort.InferenceSession.create(a.model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: a.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  const x = a.input ? readNpy(a.input) : noise(a.shape.split(',').map(Number), a.seed);
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', x.data, x.dims) };
  const loadS = Number(process.hrtime.bigint() - t0) * 1e-9;
  for (let i = 0; i < a.warmup; i++) await session.run(feeds);
  const runs = [];
  for (let i = 0; i < a.runs; i++) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    runs.push(Number(process.hrtime.bigint() - start) * 1e-9);
  }
  const sorted = [...runs].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  console.log(JSON.stringify({
    arm: 'ort', version: require('onnxruntime-node/package.json').version, model: a.model, threads: a.threads,
    warmup: a.warmup, load_s: loadS, runs_s: runs, median_ms: median * 1e3,
  }));
}

main().catch((e) => { console.error('ort_runner.js: ' + (e && e.message ? e.message : e)); process.exit(1); });
