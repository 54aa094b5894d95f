// The premise build.sh runs `wasm-opt --low-memory-unused` under (tools/low-memory.mjs): no data
// in the low 1 KiB of linear memory. Checked on the shipped modules, and the check itself on
// modules built by hand with data below, at and above that line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, ROOT } from './lib/env.mjs';
import { dataSegments, lowMemoryUsed } from '../../tools/low-memory.mjs';

/**
 * A module of one memory, an imported i32 global `env.g` (global 0) and an active data segment
 * of 3 bytes at each of `inits` (constant expressions' bytes).
 */
function moduleWithData(...inits) {
  const section = (id, body) => [id, body.length, ...body];
  const name = (s) => [s.length, ...Buffer.from(s)];
  const segments = inits.flatMap((init) => [0x00, ...init, 0x0b, 3, 0x61, 0x62, 0x63]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(2, [1, ...name('env'), ...name('g'), 0x03, 0x7f, 0x00]),
    ...section(5, [1, 0x00, 1]),
    ...section(11, [inits.length, ...segments]),
  ]);
}

// Shipped modules, after wasm-opt: its memory packing turns runs of zeros into passive segments
// that the module's start copies to where the active ones were, so only the active ones show
// where data lies (build.sh checks the modules before wasm-opt, where all are active).
test('every shipped module keeps its data above the low 1 KiB', () => {
  const modules = fs.readdirSync(path.join(DIST, 'pkg')).filter((f) => f.endsWith('_bg.wasm'));
  assert.equal(modules.length, 4, modules.join(', '));
  for (const m of modules) {
    const bytes = fs.readFileSync(path.join(DIST, 'pkg', m));
    const offsets = dataSegments(bytes).filter((s) => !s.passive).map((s) => s.offset);
    assert.ok(offsets.length > 0 && offsets.every((o) => typeof o === 'number' && o >= 1024), `${m}: ${offsets}`);
    assert.equal(lowMemoryUsed(bytes), null, m);
  }
});

test('data below 1 KiB, at an address that is not a constant, or in a module that does not read, is refused', () => {
  assert.deepEqual(dataSegments(moduleWithData([0x41, 0x10])), [{ offset: 16 }]);
  assert.match(lowMemoryUsed(moduleWithData([0x41, 0x10])), /data at 16/);
  assert.match(lowMemoryUsed(moduleWithData([0x41, 0xff, 0x07])), /data at 1023/);
  assert.equal(lowMemoryUsed(moduleWithData([0x41, 0x80, 0x08])), null); // 1024
  assert.equal(lowMemoryUsed(moduleWithData([0x41, 0x80, 0x80, 0xc0, 0x00])), null); // 1 MiB
  // global.get of the imported global, second of two segments: known only when the module runs.
  assert.match(lowMemoryUsed(moduleWithData([0x41, 0x80, 0x08], [0x23, 0x00])), /segment 1 .*not a constant/);
  // 1024 + 1, an extended constant expression: binaryen reads it but gives no address.
  assert.match(lowMemoryUsed(moduleWithData([0x41, 0x80, 0x08, 0x41, 0x01, 0x6a])), /segment 0 .*not a constant/);
  // Cut off inside the segment's offset.
  assert.match(lowMemoryUsed(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 11, 5, 1, 0, 0x41])), /does not read/);
  const twoSegments = moduleWithData([0x41, 0x80, 0x80, 0xc0, 0x00], [0x41, 0x10]);
  assert.deepEqual(dataSegments(twoSegments), [{ offset: 1048576 }, { offset: 16 }]);
  assert.match(lowMemoryUsed(twoSegments), /data at 16/);
});

// The command build.sh runs, from a folder whose name a file URL escapes (its first version
// compared URLs by hand, checked nothing there and exited 0). The folder is inside the project,
// where the tool's `binaryen` import resolves.
test('the command stops the build on a module with low data, from any folder', () => {
  fs.mkdirSync(path.join(ROOT, 'target', 'tmp'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, 'target', 'tmp', 'po-bridge low memory '));
  try {
    const tool = path.join(dir, 'low-memory.mjs');
    fs.copyFileSync(path.join(ROOT, 'tools/low-memory.mjs'), tool);
    const low = path.join(dir, 'low.wasm');
    const high = path.join(dir, 'high.wasm');
    fs.writeFileSync(low, moduleWithData([0x41, 0x10]));
    fs.writeFileSync(high, moduleWithData([0x41, 0x80, 0x80, 0xc0, 0x00]));
    const run = (...files) => spawnSync(process.execPath, [tool, ...files], { encoding: 'utf8' });
    const refused = run(high, low);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /low\.wasm: data at 16/);
    assert.doesNotMatch(refused.stderr, /high\.wasm/);
    const passed = run(high);
    assert.equal(passed.status, 0, passed.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
