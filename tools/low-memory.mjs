// The premise of `wasm-opt --low-memory-unused` (build.sh), checked on each module before it is
// optimized: no data lies in the low 1 KiB of linear memory. The flag lets wasm-opt fold a pointer's
// added constant (< 1 KiB) into the load's or store's offset, which differs from the add only when
// the add wraps past 2^32 into that low KiB. Rust's linker puts the stack first (growing down
// from 1 MiB to 0) and the data above it, so the low KiB is reached only by a stack 1023 KiB
// deep; a layout that put data there would make the fold unsound, and this refuses the build.
//
// `node tools/low-memory.mjs a.wasm b.wasm …`: exits 1 naming each module with a data segment
// below 1 KiB, or at an address binaryen (the build's own wasm-opt, from npm) cannot resolve to a
// constant, or that does not read at all.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import binaryen from 'binaryen';

export const LOW_MEMORY = 1024;

/**
 * Each data segment of a wasm binary, read by binaryen: `{ offset }` or `{ passive: true }`.
 * Throws when the module does not read, or when a segment's address is not a constant
 * (binaryen resolves `i32.const` and a `global.get` of a global with a constant value).
 */
export function dataSegments(bytes) {
  let module;
  try {
    module = binaryen.readBinary(bytes);
  } catch (e) {
    throw new Error(`the module does not read (${e?.message ?? 'binaryen refused it'})`);
  }
  try {
    const segments = [];
    for (let i = 0; i < module.getNumDataSegments(); i++) {
      let info;
      try {
        info = module.getDataSegmentInfo(module.getDataSegmentByIndex(i));
      } catch {
        throw new Error(`data segment ${i} is at an address that is not a constant`);
      }
      segments.push(info.passive ? { passive: true } : { offset: info.offset });
    }
    return segments;
  } finally {
    module.dispose();
  }
}

/** Why the module may not be optimized under `--low-memory-unused`, or null when it may. */
export function lowMemoryUsed(bytes) {
  let segments;
  try {
    segments = dataSegments(bytes);
  } catch (e) {
    return e.message;
  }
  const low = segments.filter((s) => !s.passive && s.offset < LOW_MEMORY);
  if (low.length === 0) return null;
  return `data at ${low.map((s) => s.offset).join(', ')} (below ${LOW_MEMORY})`;
}

// Run as a command (build.sh), not imported (the test): compared as URLs, so a path with spaces
// or other characters a URL escapes still runs the check.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let failed = false;
  for (const file of process.argv.slice(2)) {
    const why = lowMemoryUsed(fs.readFileSync(file));
    if (why) {
      console.error(`${file}: ${why}: wasm-opt --low-memory-unused would be unsound`);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
}
