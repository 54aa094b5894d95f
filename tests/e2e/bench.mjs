// `./build.sh bench`: PO Bridge's benchmarks — figures with their targets, not pass/fail.
//
//   1. API cost (native, examples/bench_api.rs against an in-process Lightspeed sandbox): drips,
//      429s and time for 10/100/500-row orders with 0/50/100 % new items, PO Bridge beside a naive
//      baseline client, against the minimum drips and the bucket's time floor; the batch row (10
//      orders of 50 rows from two brands as one batch, beside the same orders one by one); and the
//      Lightspeed requests of a 100-order list page's statuses and of its reload within the cache.
//   2. Content script: wasm size (beside it, as for every module, its ten largest functions and
//      crates, by `twiggy`: bench/profile.mjs); buttons on a 100-row orders list, relaxed CSP (wasm) and strict
//      CSP (JS fallback); long tasks.
//   3. Popup: wasm size; time to the accounts screen.
//   4. Background: wasm size; the worker's peak memory during a 500-row export; the worker's wake
//      to a status answered from the journal, beside a baseline worker with a minimal wasm module.
//
// Writes bench-results/bench.json and bench-results/bench.md (also printed).
// Options: BENCH_SPEED (sandbox clock speed-up for the API runs, default 50), BENCH_RUNS (browser
// repetitions, default 7), BENCH_SKIP=api|browser|batch, BENCH_API_SIZES (e.g. "10,100").
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, DIST } from './lib/env.mjs';
import { browserBench } from './bench/browser.mjs';
import { wakeBench } from './bench/wake.mjs';
import { profiles } from './bench/profile.mjs';
import { renderMarkdown } from './bench/report.mjs';

const OUT = path.join(ROOT, 'bench-results');
fs.mkdirSync(OUT, { recursive: true });
const speed = Number(process.env.BENCH_SPEED || 50);
const runs = Number(process.env.BENCH_RUNS || 7);
const skip = new Set((process.env.BENCH_SKIP || '').split(',').filter(Boolean));

function log(msg) { process.stderr.write(`bench: ${msg}\n`); }

/** The wasm modules of `dist/pkg` (`po_bridge_<name>_bg.wasm`): the content script's, each page's, the worker's. */
const MODULES = ['content', 'popup', 'dialog', 'background'];

function wasmSizes() {
  const sizes = {};
  for (const name of MODULES) {
    const f = path.join(DIST, 'pkg', `po_bridge_${name}_bg.wasm`);
    const raw = fs.readFileSync(f);
    sizes[name] = { raw: raw.length, gzip: zlib.gzipSync(raw, { level: 9 }).length };
  }
  return sizes;
}

function apiBench() {
  log(`API cost: cargo run --release --example bench_api (sandbox speed ×${speed})`);
  const args = ['run', '--release', '-q', '--example', 'bench_api', '--', '--speed', String(speed)];
  if (process.env.BENCH_API_SIZES) args.push('--sizes', process.env.BENCH_API_SIZES);
  if (skip.has('batch')) args.push('--no-batch');
  const r = spawnSync('cargo', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`bench_api failed (${r.status})`);
  return JSON.parse(r.stdout);
}

const started = Date.now();
const results = {
  date: new Date().toISOString(),
  commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim(),
  chromium: spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? null,
  sizes: wasmSizes(),
  profile: profiles(MODULES),
};
if (!skip.has('api')) results.api = apiBench();
if (!skip.has('browser')) {
  log(`browser: content script (100 rows, ${runs} runs per CSP), popup, background export`);
  results.browser = await browserBench({ runs, rows: 100 });
  log(`browser: the worker's wake, PO Bridge beside a baseline (${runs} wakes each)`);
  results.wake = await wakeBench({ runs }).catch((e) => ({ error: String(e?.stack || e) }));
}
results.seconds = (Date.now() - started) / 1000;
fs.writeFileSync(path.join(OUT, 'bench.json'), JSON.stringify(results, null, 2) + '\n');
const md = renderMarkdown(results);
fs.writeFileSync(path.join(OUT, 'bench.md'), md);
process.stdout.write(md);
log(`wrote ${path.relative(ROOT, OUT)}/bench.json and bench.md in ${results.seconds.toFixed(0)} s`);
