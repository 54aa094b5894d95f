// Where each wasm module's bytes are (issue 17): the ten largest functions and data segments of
// each module, and the same bytes summed by crate, read by `twiggy` from the name section of
// wasm-bindgen's output (build.sh keeps those copies in $PROFILE_DIR; the shipped module is the
// same code after `wasm-opt -Oz`, which drops the names). A report, never a failure: without
// twiggy or the copies the bench says so and goes on.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const TOP = 10;

/** A function's name without its hash, generic arguments shortened. */
export function shortName(name) {
  return name.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '').replace(/::\{\{closure\}\}/g, '::{closure}');
}

/** What a function belongs to: serde's generated code, formatting, or its crate. */
export function bucket(name) {
  if (/^data\[/.test(name)) return 'data (strings, tables)';
  if (/serde_core::de|Deserializ|serde::private::de/.test(name)) return 'serde (deserialize)';
  if (/serde_core::ser|Serializ/.test(name)) return 'serde (serialize)';
  if (/core(\[[0-9a-f]+\])?::fmt/.test(name)) return 'fmt';
  const short = shortName(name).replace(/^<[A-Z]\w* as /, '').replace(/^[<&]+(mut |dyn )?/, '');
  const m = short.match(/^([A-Za-z_][A-Za-z0-9_]*)::/);
  return m ? m[1] : 'other';
}

/** `twiggy top` of one module: every item, name section and other custom sections left out. */
function items(twiggy, file) {
  const r = spawnSync(twiggy, ['top', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`twiggy failed on ${path.basename(file)}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout)
    .filter((i) => !i.name.startsWith('"') && !/^(custom section|producers|target_features)/.test(i.name))
    .map((i) => ({ name: i.name, bytes: i.shallow_size }));
}

/** Top functions and crates of `names` (module keys), or `{ error }`. */
export function profiles(names, { twiggy = process.env.TWIGGY, dir = process.env.PROFILE_DIR } = {}) {
  if (!twiggy || !fs.existsSync(twiggy)) return { error: 'twiggy is not installed (./build.sh bench installs it)' };
  if (!dir || !fs.existsSync(dir)) return { error: 'no named builds ($PROFILE_DIR; ./build.sh keeps them)' };
  const out = {};
  for (const name of names) {
    const all = items(twiggy, path.join(dir, `po_bridge_${name}_bg.wasm`));
    const total = all.reduce((a, i) => a + i.bytes, 0);
    const crates = new Map();
    for (const i of all) crates.set(bucket(i.name), (crates.get(bucket(i.name)) || 0) + i.bytes);
    out[name] = {
      total,
      top: all.sort((a, b) => b.bytes - a.bytes).slice(0, TOP).map((i) => ({ name: shortName(i.name), bytes: i.bytes })),
      crates: [...crates].sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([crate, bytes]) => ({ crate, bytes })),
    };
  }
  return out;
}
