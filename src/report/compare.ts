/** The iNAS vs HW-NAS comparison as a Markdown table and a self-contained HTML page with inline SVG plots. */
import type { CompareResult, CompareRow } from '../nas/index.ts';
import { barChart, escapeHtml, scatterChart } from './svg.ts';

const pct = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);
const acc = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(2)} %`);
const sec = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${x.toPrecision(4)} s`);
const arch = (a: readonly number[] | null): string => (a ? `[${a.join(',')}]` : '–');

const HEAD = ['run', 'iNAS arch', 'iNAS acc', 'iNAS latency (INT)', 'HW-NAS arch', 'HW-NAS acc', 'HW-NAS latency (CONT)',
  'HW-NAS under INT, S=1', 'HW-NAS under INT, re-explored', 'reduction vs S=1', 'reduction vs re-explored', 'HW-NAS children safe under INT'];

function cells(r: CompareRow): string[] {
  const ic = (c: CompareRow['hwnas_int_s1']): string => (c === null ? '–' : c.feasible ? sec(c.latency_s) : 'unsafe (infeasible)');
  return [String(r.run), arch(r.inas_arch), acc(r.inas_accuracy), sec(r.inas_latency_s), arch(r.hwnas_arch), acc(r.hwnas_accuracy),
    sec(r.hwnas_cont_latency_s), ic(r.hwnas_int_s1), ic(r.hwnas_int_best), pct(r.reduction_vs_s1), pct(r.reduction_vs_best),
    `${r.hwnas_children_int_feasible}/${r.hwnas_children}`];
}

/** Markdown table of the comparison. */
export function compareMarkdown(c: CompareResult): string {
  const lines = [`# iNAS vs HW-NAS: ${c.settings_name} (${c.trials} trials per search, ${c.rows.length} run${c.rows.length === 1 ? '' : 's'})`, '',
    `| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`, ...c.rows.map((r) => `| ${cells(r).join(' | ')} |`), '',
    `Mean latency reduction of iNAS: ${pct(c.mean_reduction_vs_s1)} vs HW-NAS designs deployed with S = 1; ${pct(c.mean_reduction_vs_best)} vs HW-NAS architectures re-explored under INT.`,
    'HW-NAS designs with S = 1 are how the paper deployed the continuous-power solutions; "unsafe" means some layer needs more energy in one power cycle than the capacitor gives (C1) or more VM than available (C0).',
    `Latency requirements: INT ${c.latency_requirements_s.int.map((x) => x.toPrecision(4)).join(', ')} s; CONT ${c.latency_requirements_s.cont.map((x) => x.toPrecision(4)).join(', ')} s.`];
  return lines.join('\n') + '\n';
}

/** Self-contained HTML page (inline SVG, no scripts, no external resources). */
export function compareHtml(c: CompareResult): string {
  const groups = c.rows.map((r) => `run ${r.run}`);
  const accChart = barChart({ title: 'Accuracy of the best child', yLabel: 'accuracy (%)', groups, series: [
    { label: 'iNAS', color: '#1f77b4', values: c.rows.map((r) => (r.inas_accuracy === null ? null : 100 * r.inas_accuracy)) },
    { label: 'HW-NAS', color: '#ff7f0e', values: c.rows.map((r) => (r.hwnas_accuracy === null ? null : 100 * r.hwnas_accuracy)) },
  ] });
  const latChart = barChart({ title: 'Intermittent latency of the best child (× = unsafe)', yLabel: 'latency (s)', groups, series: [
    { label: 'iNAS', color: '#1f77b4', values: c.rows.map((r) => r.inas_latency_s) },
    { label: 'HW-NAS, S=1', color: '#ff7f0e', values: c.rows.map((r) => (r.hwnas_int_s1?.feasible ? r.hwnas_int_s1.latency_s : null)) },
    { label: 'HW-NAS re-explored', color: '#2ca02c', values: c.rows.map((r) => (r.hwnas_int_best?.feasible ? r.hwnas_int_best.latency_s : null)) },
  ] });
  const redChart = barChart({ title: 'Latency reduction of iNAS (below 0: iNAS slower)', yLabel: 'reduction (%)', groups, series: [
    { label: 'vs HW-NAS S=1', color: '#ff7f0e', values: c.rows.map((r) => (r.reduction_vs_s1 === null ? null : 100 * r.reduction_vs_s1)) },
    { label: 'vs HW-NAS re-explored', color: '#2ca02c', values: c.rows.map((r) => (r.reduction_vs_best === null ? null : 100 * r.reduction_vs_best)) },
  ] });
  const feasChart = barChart({ title: 'Children safe under intermittent power', yLabel: 'children', groups, series: [
    { label: 'iNAS (trained)', color: '#1f77b4', values: c.rows.map((r) => r.inas_feasible_children) },
    { label: 'HW-NAS safe with S=1', color: '#ff7f0e', values: c.rows.map((r) => r.hwnas_children_int_feasible) },
    { label: 'HW-NAS trained', color: '#bbbbbb', values: c.rows.map((r) => r.hwnas_children) },
  ] });
  const sc = scatterChart({ title: 'Trained children: accuracy vs intermittent latency', xLabel: 'latency under INT (s)', yLabel: 'accuracy (%)', logX: true, series: [
    { label: 'iNAS', color: '#1f77b4', points: c.points.filter((p) => p.source === 'inas' && p.latency_s !== null).map((p) => ({ x: p.latency_s as number, y: 100 * p.accuracy })) },
    { label: 'HW-NAS, S=1 (safe only)', color: '#ff7f0e', points: c.points.filter((p) => p.source === 'hwnas_s1' && p.feasible && p.latency_s !== null).map((p) => ({ x: p.latency_s as number, y: 100 * p.accuracy })) },
    { label: 'HW-NAS re-explored', color: '#2ca02c', points: c.points.filter((p) => p.source === 'hwnas_best' && p.feasible && p.latency_s !== null).map((p) => ({ x: p.latency_s as number, y: 100 * p.accuracy, hollow: true })) },
  ] });
  const table = `<table><thead><tr>${HEAD.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${
    c.rows.map((r) => `<tr>${cells(r).map((x) => `<td>${escapeHtml(x)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>iNAS vs HW-NAS: ${escapeHtml(c.settings_name)}</title>
<style>body{font-family:sans-serif;margin:24px;max-width:1400px}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td{white-space:nowrap}th{background:#f4f4f4}.wide{overflow-x:auto;max-width:100%}.charts{display:flex;flex-wrap:wrap;gap:16px;margin-top:16px}.charts svg{border:1px solid #eee;background:#fff}</style>
</head><body>
<h1>iNAS vs HW-NAS: ${escapeHtml(c.settings_name)}</h1>
<p>${c.trials} trials per search, ${c.rows.length} run(s). Mean latency reduction of iNAS: <b>${pct(c.mean_reduction_vs_s1)}</b> vs HW-NAS designs deployed with S = 1, <b>${pct(c.mean_reduction_vs_best)}</b> vs HW-NAS architectures re-explored under intermittent power (the paper reports 60 % on average).</p>
<div class="wide">${table}</div>
<div class="charts">${accChart}${latChart}${redChart}${feasChart}${sc}</div>
</body></html>
`;
}
