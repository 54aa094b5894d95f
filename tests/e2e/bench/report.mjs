// The summary table of `./build.sh bench` (bench-results/bench.md, also pasted into the README).
const KB = 1000;
const f = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
const kb = (b) => `${f(b / KB, 1)} KB`;
const mark = (ok) => (ok === null ? '' : ok ? ' ✓' : ' ✗');

// What a run spent over its minimum, by request kind (`over_by_kind`, bench_api's minimum.rs):
// `GET Order +3.0 (+3)` is 3 more requests of that kind than the minimum, costing 3 drips more.
const signed = (x, d = 1) => `${x >= 0 ? '+' : '−'}${f(Math.abs(x), d)}`;
const kinds = (over) =>
  over && over.length ? over.map((o) => `${o.kind} ${signed(o.drips)} (${signed(o.requests, 0)})`).join(', ') : 'none';

// What each request kind above the minimum is spent on (README "Where targets are missed" says why
// each stays).
const SPENT_ON = [
  ['GET Order', "the PO markers (the preview's b2bOrderNumber lookup, the job's refNum and b2bOrderNumber lookups before its first write; the minimum counts one) and the PO's twin check after its create"],
  ['GET Item', "each code's other forms asked beside it (a UPC-A's EAN-13 and GTIN-14 forms; one lookup per 100 forms), and the new items' twin check"],
  ['GET ItemMatrix', "the new matrices' twin check"],
  ['GET OrderLine', 'the final line pass (one request per 100 lines)'],
];

function overByKind(out, cases) {
  if (!cases.some((c) => c.over_by_kind)) return;
  out.push('**Over the minimum, by request kind** (what PO Bridge spent beyond the minimum in each row above: drips, and requests in brackets):');
  out.push('');
  out.push('| rows | new | over | by request kind |');
  out.push('|---:|---:|---:|---|');
  for (const c of cases) {
    out.push(`| ${c.rows} | ${c.new_pct} % | ${signed(c.ours.sandbox.drips_spent - c.minimum.drips)} | ${kinds(c.over_by_kind)} |`);
  }
  out.push('');
  out.push(SPENT_ON.map(([k, what]) => `\`${k}\`: ${what}.`).join(' '));
  out.push('');
}

export function renderMarkdown(r) {
  const out = [];
  out.push(`PO Bridge benchmark — ${r.date.slice(0, 10)}, commit ${r.commit}${r.chromium ? `, ${r.chromium}` : ''}`);
  out.push('');
  if (r.api) {
    const a = r.api;
    out.push(`**API cost** — Lightspeed sandbox, ${a.limits.registers} register (bucket ${a.limits.bucket_size}, drip ${a.limits.drip_per_s}/s, burst ${a.limits.burst_per_s}/s), sandbox clock ×${a.speed}; times in sandbox seconds. Floor = max((D − B)/d, ⌈Q/L⌉ − 1, k × r) for the minimum's D drips in Q requests, k the requests on the longest chain (shops → lookups → vendor → matrix → item → PO → line → Ordered mark; 6 without new items) and r PO Bridge's median round trip in that run; "lines in order" puts all R lines on the chain (k + R − 1). Targets: drips within 2 of the minimum under 100 rows and ≤ 1.03 × the minimum from 100 rows, 0 × 429, time ≤ 1.1 × floor.`);
    out.push('');
    out.push('| rows | new | min drips | PO Bridge drips (×min, +over) | 429s | r ms | floor s | PO Bridge s (×floor) | ×floor, lines in order | naive drips (×min) | naive 429s | naive s (×floor) |');
    out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const c of a.cases) {
      const o = c.ours;
      const n = c.naive || {};
      const dr = c.ours_ratio.drips;
      const over = o.sandbox.drips_spent - c.minimum.drips;
      const dripsOk = c.target_drips === undefined ? dr <= 1.05 : o.sandbox.drips_spent <= c.target_drips + 1e-9;
      const tr = c.ours_ratio.time_vs_floor;
      const lr = c.ours_ratio.time_vs_lines_in_order_floor;
      const fl = c.minimum.floors || {};
      out.push(`| ${c.rows} | ${c.new_pct} % | ${f(c.minimum.drips)} | ${f(o.sandbox.drips_spent)} (${f(dr, 2)}, +${f(over)}${mark(dripsOk)}) | ${o.sandbox.rate_limited}${mark(o.sandbox.rate_limited === 0)} | ${f((fl.rtt_s ?? 0) * 1000, 0)} | ${f(c.minimum.floor_s, 2)} | ${f(o.sandbox_s, 2)} (${tr === null ? 'floor 0' : f(tr, 2) + mark(tr <= 1.1)}) | ${lr === null || lr === undefined ? '—' : f(lr, 2) + mark(lr <= 1.1)} | ${n.sandbox ? `${f(n.sandbox.drips_spent)} (${f(c.naive_ratio.drips, 2)})` : '—'} | ${n.sandbox ? n.sandbox.rate_limited : '—'} | ${n.sandbox ? `${f(n.sandbox_s)} (${c.naive_ratio.time_vs_floor === null ? 'floor 0' : f(c.naive_ratio.time_vs_floor, 2)})` : '—'} |`);
    }
    out.push('');
    overByKind(out, a.cases);
    if (a.batch) {
      const b = a.batch;
      const m = b.minimum;
      const row = (name, r, ratio, target) => `| ${name} | ${r.exported} of ${r.orders} | ${f(r.sandbox.drips_spent)} (${f(ratio.drips, 2)}${target ? mark(ratio.drips <= 1.05) : ''}) | ${r.sandbox.requests} | ${r.sandbox.rate_limited}${target ? mark(r.sandbox.rate_limited === 0) : ''} | ${f(r.sandbox_s)} (${f(ratio.time_vs_floor, 2)}${target ? mark(ratio.time_vs_floor <= 1.1) : ''}) |`;
      out.push(`**Batch** — ${b.orders} orders of ${b.rows / b.orders} size rows from ${b.brands} brands (${b.distinct_styles} distinct styles, ${b.shared_styles} of them in more than one order, ${b.new_styles} new), exported as one batch and, on a fresh account, one by one. Batch minimum ${f(m.drips)} drips in ${m.requests} requests (shared lookups, each new item once), time floor ${f(m.floor_s)} s. Targets: batch drips ≤ 1.05 × the minimum and fewer than one by one, time ≤ 1.10 × the floor, 0 × 429.`);
      out.push('');
      out.push('| run | exported | drips (×min) | requests | 429s | s (×floor) |');
      out.push('|---|---:|---:|---:|---:|---:|');
      out.push(row('PO Bridge, one batch', b.batch, b.batch_ratio, true));
      out.push(row('PO Bridge, one by one', b.one_by_one, b.one_by_one_ratio, false));
      out.push('');
      out.push(`Batch drips fewer than one by one: ${b.batch.sandbox.drips_spent < b.one_by_one.sandbox.drips_spent ? 'yes ✓' : 'no ✗'}.`);
      out.push('');
      if (b.over_by_kind) {
        out.push(`Over the batch minimum, by request kind — one batch: ${kinds(b.over_by_kind.batch)}; one by one: ${kinds(b.over_by_kind.one_by_one)}.`);
        out.push('');
      }
    }
    const rtt = a.cases.map((c) => (c.ours.median_rtt_real_ms ?? c.ours.mean_rtt_real_ms) * a.speed);
    if (a.list_page) {
      const l = a.list_page;
      out.push(`**List page** — statuses of a ${l.orders}-order NuORDER list page (${l.exported} exported), through the application's status path: ${l.requests} Lightspeed requests${mark(l.requests <= 2)} (target ≤ 2); a reload ${f(l.reload_after_ms / 1000, 0)} s later, within the ${f(l.cache_ms / 1000, 0)} s cache: ${l.reload_requests} requests${mark(l.reload_requests === 0)} (target 0).`);
      out.push('');
    }
    if (rtt.length) out.push(`Median request round trip (r) in sandbox time: ${f(Math.min(...rtt), 0)}–${f(Math.max(...rtt), 0)} ms (real round trip × ${a.speed}).`);
    out.push('');
  }
  const s = r.sizes;
  const b = r.browser;
  out.push('**Extension** (headless Chromium, median of ' + (b ? b.runs : '—') + ' runs)');
  out.push('');
  out.push('| what | figure | target |');
  out.push('|---|---:|---|');
  out.push(`| content wasm | ${kb(s.content.raw)} raw, ${kb(s.content.gzip)} gzip${mark(s.content.gzip <= 50 * KB)} | ≤ 50 KB gzip |`);
  if (b) {
    for (const k of ['relaxed', 'strict']) {
      const c = b.content[k];
      out.push(`| buttons on ${b.rows} rows, ${k} CSP (${c.engines.join('/')}) | ${f(c.median_after_rows_ms)} ms after rows render${mark(c.median_after_rows_ms <= 30)}; rows at ${f(c.median_rows_at_ms, 0)} ms, buttons at ${f(c.median_buttons_at_ms, 0)} ms after navigation start; each carrying its order ${f(c.median_named_after_rows_ms)} ms after the rows | ≤ 30 ms after rows |`);
      out.push(`| long tasks until buttons, ${k} CSP | median ${f(c.median_longtask_ms, 0)} ms in all; longest ${f(c.max_longest_task_ms, 0)} ms | — |`);
    }
  }
  // The ui of issue 17 is two modules since the split (each page loads only its own).
  for (const page of ['popup', 'dialog']) {
    out.push(`| ${page} page's wasm (ui) | ${kb(s[page].raw)} raw, ${kb(s[page].gzip)} gzip${mark(s[page].gzip <= 120 * KB)} | ≤ 120 KB gzip |`);
  }
  if (b) out.push(`| popup: accounts screen rendered | ${f(b.popup.median_rendered_ms)} ms after navigation start${mark(b.popup.median_rendered_ms <= 150)} | ≤ 150 ms |`);
  out.push(`| background wasm | ${kb(s.background.raw)} raw, ${kb(s.background.gzip)} gzip${mark(s.background.gzip <= 150 * KB)} | ≤ 150 KB gzip |`);
  if (b && b.background && !b.background.error) {
    const g = b.background;
    out.push(`| background worker, ${g.rows}-row export (${g.status}, ${f(g.seconds, 0)} s) | peak JS heap ${f(g.peak_used / 1e6)} MB used / ${f(g.peak_total / 1e6)} MB total${g.peak_backing ? `, backing stores (wasm memory, buffers) ${f(g.peak_backing / 1e6)} MB` : ''}; before ${f(g.before.used / 1e6)} MB | — |`);
  } else if (b && b.background) {
    out.push(`| background worker, 500-row export | not measured: ${String(b.background.error).split('\n')[0]} | — |`);
  }
  const w = r.wake;
  if (w && !w.error) {
    out.push(`| worker wake → a status answered from the journal (median of ${w.runs}) | PO Bridge ${f(w.po_bridge_ms, 0)} ms, a baseline worker with a minimal wasm module ${f(w.baseline_ms, 0)} ms: ${f(w.ratio, 2)} ×${mark(w.ratio <= w.target_ratio)} | ≤ 2 × the baseline |`);
    const h = w.history;
    if (h) out.push(`| the same wake with ${h.journals} exports in the store (a retailer's history) | PO Bridge ${f(h.po_bridge_ms, 0)} ms, the baseline ${f(h.baseline_ms, 0)} ms: ${f(h.ratio, 2)} ×${mark(h.ratio <= w.target_ratio)} | ≤ 2 × the baseline |`);
    const resumed = (x) => (x && x.resumed_ms !== undefined ? `${f(x.resumed_ms, 0)} ms` : 'not measured');
    out.push(`| the woken worker's own work over (unfinished work resumed: \`po-bridge:resumed\`), since the worker started | fresh store ${resumed(w)}; with the history ${resumed(h)} | — |`);
  } else if (w) {
    out.push(`| worker wake | not measured: ${String(w.error).split('\n')[0]} | ≤ 2 × the baseline |`);
  }
  out.push('');
  out.push(...renderProfile(r.profile));
  return out.join('\n') + '\n';
}

/** The ten largest functions and crates of each module (bench/profile.mjs), beside its size. */
function renderProfile(p) {
  if (!p) return [];
  if (p.error) return [`**Where the bytes are** — not measured: ${p.error}.`, ''];
  const out = ['**Where the bytes are** — the ten largest items and crates of each module, by `twiggy` on wasm-bindgen\'s output with its names (before `wasm-opt -Oz`, which ships the same code smaller and without names); % of the module without its name section.', ''];
  const pct = (b, t) => `${f((100 * b) / t, 1)} %`;
  for (const [name, m] of Object.entries(p)) {
    out.push(`*${name}* — ${kb(m.total)} before wasm-opt. Crates: ${m.crates.map((c) => `${c.crate} ${pct(c.bytes, m.total)}`).join(', ')}.`);
    out.push('');
    out.push('| bytes | % | item |');
    out.push('|---:|---:|---|');
    for (const i of m.top) out.push(`| ${i.bytes} | ${pct(i.bytes, m.total)} | \`${i.name.length > 140 ? i.name.slice(0, 139) + '…' : i.name}\` |`);
    out.push('');
  }
  return out;
}
