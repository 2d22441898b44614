// `replay --html FILE`: one self-contained static page (no network) to read a trace: the steps in a
// list (the violating one marked), and for the selected step its action, both machines'
// observations, the violations, and the real and ideal states side by side with what the step changed
// highlighted. Data is embedded as JSON; a few lines of script render it.

import type { AnySystem } from '../model/system';
import { Lockstep, StepReport } from '../properties/engine';

interface PageStep {
  readonly index: number;
  readonly action: string;
  readonly real: string;
  readonly ideal: string;
  readonly fired: readonly string[];
  readonly violations: readonly { property: string; component: string; detail: string }[];
  readonly realState: unknown;
  readonly idealState: unknown;
}

/** Re-runs the trace to capture each step's states (the reports carry only observations). */
export function pageData(sys: AnySystem, setup: { spec: unknown; config: unknown; rules: ReadonlySet<string> }, actions: readonly unknown[], reports: readonly StepReport[]) {
  const l = new Lockstep(sys, setup);
  const show = (f: ((x: unknown) => unknown) | undefined, x: unknown) => (f ? f(x) : {});
  const initial = { real: show(sys.display?.real, l.real), ideal: show(sys.display?.ideal, l.ideal) };
  const steps: PageStep[] = [];
  for (const r of reports) {
    if (r.index < 0) continue;
    l.step(actions[r.index]);
    steps.push({
      index: r.index,
      action: sys.actions.describe(r.action),
      real: r.real === null ? 'threw' : sys.observe.describe(r.real),
      ideal: r.ideal === null ? 'threw' : sys.observe.describe(r.ideal),
      fired: r.fired,
      violations: r.violations.map((v) => ({ property: v.property, component: v.component, detail: v.detail })),
      realState: show(sys.display?.real, l.real),
      idealState: show(sys.display?.ideal, l.ideal),
    });
  }
  return { system: sys.name, title: sys.title, initial, steps };
}

const esc = (s: string) => s.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

export function htmlPage(title: string, data: ReturnType<typeof pageData>): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title.replace(/[<>&]/g, '')}</title>
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:0;display:flex;height:100vh}
#steps{width:34%;overflow:auto;border-right:1px solid #ccc;margin:0;padding:0;list-style:none}
#steps li{padding:3px 8px;cursor:pointer;border-bottom:1px solid #eee;font-family:monospace;white-space:pre-wrap}
#steps li.sel{background:#dde8ff}#steps li.violation{background:#ffe0e0;font-weight:bold}
#main{flex:1;overflow:auto;padding:8px 12px}
.cols{display:flex;gap:12px}.cols>div{flex:1;min-width:0}
pre{white-space:pre-wrap;word-break:break-all;margin:0}
.changed{background:#fff3a0}.v{color:#b00;font-weight:bold}
h1{font-size:16px;margin:4px 0}h2{font-size:14px;margin:10px 0 4px}
details{margin-left:12px}summary{cursor:pointer}
</style></head><body>
<ul id="steps"></ul>
<div id="main"><h1 id="title"></h1><div id="detail"></div></div>
<script id="data" type="application/json">${esc(JSON.stringify(data))}</script>
<script>
const D = JSON.parse(document.getElementById('data').textContent);
document.getElementById('title').textContent = D.system + ': ' + D.title + ' (' + D.steps.length + ' steps)';
const list = document.getElementById('steps');
const detail = document.getElementById('detail');
function text(tag, s, cls) { const e = document.createElement(tag); e.textContent = s; if (cls) e.className = cls; return e; }
function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
// A state as nested details; a leaf or subtree that differs from the previous step is highlighted.
function tree(key, v, prev) {
  const changed = !same(v, prev);
  if (v === null || typeof v !== 'object') return text('div', key + ': ' + JSON.stringify(v), changed ? 'changed' : '');
  const d = document.createElement('details');
  const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
  d.open = changed && entries.length < 40;
  const s = text('summary', key + (Array.isArray(v) ? ' [' + v.length + ']' : ' {' + entries.length + '}'), changed ? 'changed' : '');
  d.appendChild(s);
  for (const [k, x] of entries) d.appendChild(tree(k, x, prev && typeof prev === 'object' ? prev[k] : undefined));
  return d;
}
function show(i) {
  const s = D.steps[i];
  const prev = i === 0 ? D.initial : { real: D.steps[i - 1].realState, ideal: D.steps[i - 1].idealState };
  for (const li of list.children) li.classList.toggle('sel', Number(li.dataset.i) === i);
  detail.replaceChildren();
  detail.appendChild(text('h2', 'step ' + s.index + ': ' + s.action));
  detail.appendChild(text('div', 'real:  ' + s.real));
  detail.appendChild(text('div', 'ideal: ' + s.ideal));
  if (s.fired.length) detail.appendChild(text('div', 'rules used: ' + s.fired.join(', ')));
  for (const v of s.violations) detail.appendChild(text('div', 'VIOLATION ' + v.property + ' ' + v.component + ': ' + v.detail, 'v violation-component'));
  const cols = document.createElement('div'); cols.className = 'cols';
  const a = document.createElement('div'); a.appendChild(text('h2', 'real state')); a.appendChild(tree('real', s.realState, prev.real));
  const b = document.createElement('div'); b.appendChild(text('h2', 'ideal state')); b.appendChild(tree('ideal', s.idealState, prev.ideal));
  cols.append(a, b); detail.appendChild(cols);
}
D.steps.forEach((s, i) => {
  const li = text('li', s.index + '  ' + s.action + '  -> ' + s.real, s.violations.length ? 'violation' : '');
  li.dataset.i = String(i);
  li.onclick = () => show(i);
  list.appendChild(li);
});
if (D.steps.length) show(0);
</script></body></html>
`;
}
