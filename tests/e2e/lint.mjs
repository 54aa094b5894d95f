// `web-ext lint` on dist/: fails on any error, and on any warning README.md does not explain (its
// list "`web-ext lint` warnings we keep, and why": a bullet per warning code, naming the files it
// is kept on, or none for a warning about the manifest as a whole).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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

/** README's bullets of kept warnings, each as one line of text. */
function keptWarnings(readme) {
  const start = readme.indexOf('`web-ext lint` warnings we keep, and why:');
  if (start < 0) return [];
  const section = readme.slice(start).split('\n\n')[0];
  return section.split(/\n- /).slice(1).map((b) => b.replace(/\s*\n\s*/g, ' '));
}

/** Whether a bullet explains warning `w`: it names its code first and its file (or no file at all). */
function explained(bullets, w) {
  return bullets.some((b) => {
    const head = b.split(' — ')[0];
    return head.startsWith(`\`${w.code}\``) && (head.includes(`\`${w.file}\``) || !/ on `/.test(head));
  });
}

const bullets = keptWarnings(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
const unexplained = warnings.filter((w) => !explained(bullets, w));
for (const w of warnings) console.log(`warning ${w.code}: ${w.file ?? ''} ${w.message}`);
for (const e of errors) console.log(`ERROR ${e.code}: ${e.file ?? ''} ${e.message}`);
for (const w of unexplained) console.log(`UNEXPLAINED warning ${w.code} on ${w.file ?? '(no file)'}: README.md's list of kept warnings does not give its reason`);
console.log(`web-ext lint: ${errors.length} errors, ${warnings.length} warnings (${unexplained.length} not explained in README.md), ${notices.length} notices`);
process.exit(errors.length === 0 && unexplained.length === 0 ? 0 : 1);
