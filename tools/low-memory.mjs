// The premise of `wasm-opt --low-memory-unused` (build.sh), checked on each module before it is
// optimized: no data lies in the low 1 KiB of linear memory. The flag lets wasm-opt fold a pointer's
// added constant (< 1 KiB) into the load's or store's offset, which differs from the add only when
// the add wraps past 2^32 into that low KiB. Rust's linker puts the stack first (growing down
// from 1 MiB to 0) and the data above it, so the low KiB is reached only by a stack 1023 KiB
// deep; a layout that put data there would make the fold unsound, and this refuses the build.
//
// `node tools/low-memory.mjs a.wasm b.wasm …`: exits 1 naming each module with a data segment
// below 1 KiB, at an address known only at run time (`global.get`), or behind an offset
// expression it does not read.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

export const LOW_MEMORY = 1024;

/** Each data segment of a wasm binary: `{ offset }` (a number, or null when not a constant) or `{ passive: true }`. */
export function dataSegments(bytes) {
  let i = 8;
  const uleb = () => {
    let result = 0, shift = 0, byte;
    do {
      byte = bytes[i++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const sleb32 = () => {
    let result = 0, shift = 0, byte;
    do {
      byte = bytes[i++];
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return shift < 32 && byte & 0x40 ? result | (-1 << shift) : result;
  };
  // An active segment's offset: `i32.const n` (its address), or `global.get g` (null: an address
  // known only when the module runs); any other expression is not read.
  const offset = () => {
    const op = bytes[i++];
    const value = op === 0x41 ? sleb32() >>> 0 : op === 0x23 ? (uleb(), null) : undefined;
    if (value === undefined || bytes[i++] !== 0x0b) throw new Error(`a data segment's offset not read (opcode 0x${op.toString(16)})`);
    return value;
  };
  const segments = [];
  while (i < bytes.length) {
    const id = bytes[i++];
    const size = uleb();
    const end = i + size;
    if (id === 11) {
      for (let n = uleb(); n > 0; n--) {
        const flags = uleb();
        if (flags === 1) {
          segments.push({ passive: true });
        } else {
          if (flags === 2) uleb(); // the memory index
          segments.push({ offset: offset() });
        }
        const length = uleb();
        i += length;
      }
    }
    i = end;
  }
  return segments;
}

/** Why the module may not be optimized under `--low-memory-unused`, or null when it may. */
export function lowMemoryUsed(bytes) {
  let segments;
  try {
    segments = dataSegments(bytes);
  } catch (e) {
    return e.message;
  }
  const low = segments.filter((s) => !s.passive && (s.offset === null || s.offset < LOW_MEMORY));
  if (low.length === 0) return null;
  return `data at ${low.map((s) => (s.offset === null ? 'an address that is not a constant' : s.offset)).join(', ')} (below ${LOW_MEMORY} or unknown)`;
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
