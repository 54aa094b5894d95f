// `web-ext lint` on dist/: fails on any error; prints warnings (each one is explained in README.md).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './lib/env.mjs';

const dist = process.argv[2] || path.join(ROOT, 'dist');
const bin = path.join(ROOT, 'node_modules/web-ext/bin/web-ext.js');
const r = spawnSync(process.execPath, [bin, 'lint', '--source-dir', dist, '--output', 'json', '--no-config-discovery'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(r.stdout);
} catch {
  console.error(r.stdout, r.stderr);
  process.exit(1);
}
const { errors = [], warnings = [], notices = [] } = report;
for (const w of warnings) console.log(`warning ${w.code}: ${w.file ?? ''} ${w.message}`);
for (const e of errors) console.log(`ERROR ${e.code}: ${e.file ?? ''} ${e.message}`);
console.log(`web-ext lint: ${errors.length} errors, ${warnings.length} warnings, ${notices.length} notices`);
process.exit(errors.length === 0 ? 0 : 1);
