// Copies the last run's figures (test-results/reliability.json, written by the reliability and
// security suites) into README.md between the reliability-figures markers.
//   node tests/e2e/figures.mjs            print the table
//   node tests/e2e/figures.mjs --readme   also rewrite the README block
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/env.mjs';
import { aggregate } from './lib/reliability.mjs';

const figures = aggregate();
const t = figures.totals;
const c = (suite, name) => figures.suites[suite]?.cases?.[name] ?? {};
const r1 = c('reliability-chromium', 'R1');
const r9 = c('reliability-chromium', 'R9');
const lastRun = Object.values(figures.suites).map((x) => x.updated).filter(Boolean).sort().at(-1) ?? figures.generated;
const lines = [
  `Last run: ${lastRun.slice(0, 16).replace('T', ' ')} UTC (\`test-results/reliability.json\`).`,
  '',
  '| Figure | Value |',
  '|---|---|',
  `| Kill points survived (browser: the worker killed through CDP, R1 ${r1.kill_points ?? '–'} + R9 ${r9.kill_points ?? '–'} + R2; native: the convergence kill sweeps) | ${t.kill_points_survived} |`,
  `| Browser restarts survived (R4) | ${t.browser_restarts_survived} |`,
  `| Real idle stops of the worker survived (chromedriver, product timings) | ${t.idle_stops_survived ?? 0} |`,
  `| Interleavings of two exports of one order tried (native, command line, two browsers) | ${t.interleavings_tried ?? 0} |`,
  `| Attacks tried from the page, a frame or a content script (both browsers) | ${t.attacks_tried ?? 0} |`,
  `| Faults injected (hangs, commit-then-drop, 35 s answers, full bucket, token expiry/revocation) | ${t.faults_injected} |`,
  `| Hostile inputs tried (browser + native) | ${t.hostile_inputs_tried} |`,
  `| Refused requests checked from a real content script (S2) | ${t.refused_requests_checked} |`,
  `| Duplicates found | ${t.duplicates_found} |`,
  `| Tokens leaked | ${t.tokens_leaked} |`,
];
const block = lines.join('\n');
console.log(block);
if (process.argv.includes('--readme')) {
  const readme = path.join(ROOT, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const re = /(<!-- reliability-figures:start -->\n)[\s\S]*?(\n<!-- reliability-figures:end -->)/;
  if (!re.test(text)) throw new Error('README.md has no reliability-figures markers');
  fs.writeFileSync(readme, text.replace(re, `$1${block}$2`));
  console.log('README.md updated');
}
