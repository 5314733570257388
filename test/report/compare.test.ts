import { expect } from 'chai';
import { barChart, compareHtml, compareMarkdown, scatterChart } from '../../src/report/index.ts';
import type { CompareResult } from '../../src/nas/index.ts';

// A comparison as compareSearches returns it (numbers of the cifar HW-NAS ts1 illustration of reference §7.2:
// CONT latency 50.2 s; under INT at 5 mF with S = 1: 576.7 s; re-explored: 153.1 s).
const result: CompareResult = {
  settings_name: 'cifar10', trials: 100,
  rows: [
    { run: 0, seed: 1, inas_dir: 'a', hwnas_dir: 'b', inas_arch: [5, 4, 3, 16], inas_accuracy: 0.5486, inas_latency_s: 169.9,
      hwnas_arch: [1, 8, 3, 8], hwnas_accuracy: 0.5397, hwnas_cont_latency_s: 50.2,
      hwnas_int_s1: { feasible: true, latency_s: 576.7, reason: '' }, hwnas_int_best: { feasible: true, latency_s: 153.1, reason: '' },
      reduction_vs_s1: 1 - 169.9 / 576.7, reduction_vs_best: 1 - 169.9 / 153.1, inas_feasible_children: 40, hwnas_children_int_feasible: 12, hwnas_children: 50 },
    { run: 1, seed: 2, inas_dir: 'c', hwnas_dir: 'd', inas_arch: [3, 8, 3, 8], inas_accuracy: 0.56, inas_latency_s: 200,
      hwnas_arch: [7, 24, 7, 24], hwnas_accuracy: 0.6, hwnas_cont_latency_s: 80,
      hwnas_int_s1: { feasible: false, latency_s: null, reason: 'CONV_0: C1' }, hwnas_int_best: { feasible: true, latency_s: 400, reason: '' },
      reduction_vs_s1: null, reduction_vs_best: 0.5, inas_feasible_children: 30, hwnas_children_int_feasible: 0, hwnas_children: 45 },
  ],
  points: [
    { run: 0, source: 'inas', accuracy: 0.55, latency_s: 169.9, feasible: true },
    { run: 0, source: 'hwnas_s1', accuracy: 0.54, latency_s: 576.7, feasible: true },
    { run: 0, source: 'hwnas_best', accuracy: 0.54, latency_s: 153.1, feasible: true },
    { run: 1, source: 'hwnas_s1', accuracy: 0.6, latency_s: null, feasible: false },
  ],
  mean_reduction_vs_s1: 1 - 169.9 / 576.7, mean_reduction_vs_best: 0.5 * ((1 - 169.9 / 153.1) + 0.5),
  latency_requirements_s: { int: [302.37, 302.37], cont: [99.8, 99.8] },
};

describe('report/compare', () => {
  it('renders the Markdown table with reductions and unsafe HW-NAS designs', () => {
    const md = compareMarkdown(result);
    expect(md).to.contain('| 0 | [5,4,3,16] | 54.86 % | 169.9 s |');
    expect(md).to.contain('576.7 s');
    expect(md).to.contain('unsafe (infeasible)');
    expect(md).to.contain('70.5 %'); // 1 − 169.9/576.7
    expect(md).to.contain('12/50');
  });

  it('renders a self-contained HTML page with five inline SVG charts and the table', () => {
    const html = compareHtml(result);
    expect(html.startsWith('<!doctype html>')).to.equal(true);
    expect(html.match(/<svg /g)?.length).to.equal(5);
    expect(html).to.not.match(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).to.contain('<td>[1,8,3,8]</td>');
    // the unsafe S=1 bar of run 1 is drawn as a marker, not a bar
    expect(html).to.contain('>×</text>');
  });

  it('bar heights are proportional to values; scatter places points inside the plot', () => {
    const svg = barChart({ title: 't', yLabel: 'y', groups: ['a', 'b'], series: [{ label: 's', color: '#000', values: [50, 100] }], height: 300 });
    const heights = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights[1]! / heights[0]!).to.be.closeTo(2, 1e-9);
    const sc = scatterChart({ title: 't', xLabel: 'x', yLabel: 'y', logX: true, series: [{ label: 's', color: '#000', points: [{ x: 10, y: 1 }, { x: 1000, y: 2 }] }], width: 640, height: 340 });
    const cx = [...sc.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="4"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(cx).to.have.length(2);
    for (const [x, y] of cx) { expect(x).to.be.within(64, 624); expect(y).to.be.within(36, 276); }
    expect(cx[1]![0]).to.be.greaterThan(cx[0]![0]!);
    expect(cx[1]![1]).to.be.lessThan(cx[0]![1]!);
  });
});
