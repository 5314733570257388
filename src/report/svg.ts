/** Minimal inline-SVG charts (grouped bars, scatter) for the HTML reports. Pure string builders, no I/O. */

export interface BarSeries {
  readonly label: string;
  readonly color: string;
  /** One value per group; null = missing (drawn as an "×" marker). */
  readonly values: readonly (number | null)[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const fmtTick = (v: number): string => (Number.isInteger(v) || Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(2));

/** Round tick values covering [lo, hi] (about `n` intervals, steps of 1, 2, 2.5 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, n = 4): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * p >= raw) ?? 10) * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Tick values of a log10 axis spanning [lo, hi] (in log10 units): decades, or 1-2-5 steps over a short span. */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const mults = hi - lo < 2 ? [1, 2, 5] : [1];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of mults) { const v = m * 10 ** e; const lv = Math.log10(v); if (lv >= lo - 1e-9 && lv <= hi + 1e-9) out.push(v); }
  }
  return out;
}

/** Grouped bar chart (negative values are drawn below a zero line). */
export function barChart(opts: { title: string; yLabel: string; groups: readonly string[]; series: readonly BarSeries[]; width?: number; height?: number }): string {
  const W = opts.width ?? 640, H = opts.height ?? 300;
  const m = { l: 64, r: 16, t: 36, b: 56 };
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const all = opts.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const ymax = Math.max(0, ...all) > 0 ? niceMax(Math.max(...all)) : 0;
  const ymin = Math.min(0, ...all) < 0 ? -niceMax(-Math.min(...all)) : 0;
  const top = ymax > ymin ? ymax : 1;
  const gw = pw / Math.max(1, opts.groups.length);
  const bw = (gw * 0.8) / Math.max(1, opts.series.length);
  const y = (v: number): number => m.t + ph - ((v - ymin) / (top - ymin)) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(opts.title)}">`);
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(opts.title)}</text>`);
  for (const v of niceTicks(ymin, top)) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${fmtTick(v)}</text>`);
  }
  parts.push(`<text x="14" y="${m.t + ph / 2}" transform="rotate(-90 14 ${m.t + ph / 2})" text-anchor="middle" font-size="12">${esc(opts.yLabel)}</text>`);
  opts.groups.forEach((g, gi) => {
    const gx = m.l + gi * gw + gw * 0.1;
    opts.series.forEach((s, si) => {
      const v = s.values[gi];
      const x = gx + si * bw;
      if (v === null || v === undefined || !Number.isFinite(v)) {
        parts.push(`<text x="${x + bw / 2}" y="${y(0) - 4}" text-anchor="middle" font-size="14" fill="${s.color}">×</text>`);
      } else {
        const y0 = Math.min(y(v), y(0));
        parts.push(`<rect x="${x}" y="${y0}" width="${bw - 2}" height="${Math.abs(y(0) - y(v))}" fill="${s.color}"><title>${esc(`${s.label} ${g}: ${v.toPrecision(4)}`)}</title></rect>`);
      }
    });
    parts.push(`<text x="${m.l + gi * gw + gw / 2}" y="${m.t + ph + 16}" text-anchor="middle" font-size="11">${esc(g)}</text>`);
  });
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y(0)}" y2="${y(0)}" stroke="#333"/>`);
  opts.series.forEach((s, si) => {
    const lx = m.l + si * 170;
    parts.push(`<rect x="${lx}" y="${H - 18}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${lx + 16}" y="${H - 8}" font-size="11">${esc(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface ScatterSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly { x: number; y: number; hollow?: boolean }[];
}

/** Scatter plot (x on a log scale when `logX`). */
export function scatterChart(opts: { title: string; xLabel: string; yLabel: string; series: readonly ScatterSeries[]; logX?: boolean; width?: number; height?: number }): string {
  const W = opts.width ?? 640, H = opts.height ?? 340;
  const m = { l: 64, r: 16, t: 36, b: 64 };
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const pts = opts.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!opts.logX || p.x > 0));
  const tx = (v: number): number => (opts.logX ? Math.log10(v) : v);
  const xs = pts.map((p) => tx(p.x)), ys = pts.map((p) => p.y);
  let x0 = Math.min(...xs), x1 = Math.max(...xs);
  if (!Number.isFinite(x0)) { x0 = 0; x1 = 1; }
  if (x1 - x0 < 1e-9) { x0 -= 0.5; x1 += 0.5; }
  let y0 = Math.min(...ys), y1 = Math.max(...ys);
  if (!Number.isFinite(y0)) { y0 = 0; y1 = 1; }
  if (y1 - y0 < 1e-9) { y0 -= 0.05; y1 += 0.05; }
  const padX = (x1 - x0) * 0.05, padY = (y1 - y0) * 0.08;
  x0 -= padX; x1 += padX; y0 -= padY; y1 += padY;
  const X = (v: number): number => m.l + ((tx(v) - x0) / (x1 - x0)) * pw;
  const Y = (v: number): number => m.t + ph - ((v - y0) / (y1 - y0)) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(opts.title)}">`);
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(opts.title)}</text>`);
  for (const yv of niceTicks(y0, y1)) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${Y(yv)}" y2="${Y(yv)}" stroke="#eee"/>`,
      `<text x="${m.l - 6}" y="${Y(yv) + 4}" text-anchor="end" font-size="11">${fmtTick(yv)}</text>`);
  }
  for (const xl of opts.logX ? logTicks(x0, x1) : niceTicks(x0, x1)) {
    const px = m.l + ((tx(xl) - x0) / (x1 - x0)) * pw;
    parts.push(`<line x1="${px}" x2="${px}" y1="${m.t}" y2="${m.t + ph}" stroke="#eee"/>`,
      `<text x="${px}" y="${m.t + ph + 16}" text-anchor="middle" font-size="11">${fmtTick(xl)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${m.l + pw / 2}" y="${m.t + ph + 34}" text-anchor="middle" font-size="12">${esc(opts.xLabel)}${opts.logX ? ' (log)' : ''}</text>`);
  parts.push(`<text x="14" y="${m.t + ph / 2}" transform="rotate(-90 14 ${m.t + ph / 2})" text-anchor="middle" font-size="12">${esc(opts.yLabel)}</text>`);
  for (const s of opts.series) {
    for (const p of s.points) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y) || (opts.logX && p.x <= 0)) continue;
      parts.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="4" fill="${p.hollow ? 'none' : s.color}" stroke="${s.color}" fill-opacity="0.7"/>`);
    }
  }
  opts.series.forEach((s, si) => {
    const lx = m.l + si * 200;
    const hollow = s.points.length > 0 && s.points.every((p) => p.hollow);
    parts.push(`<circle cx="${lx + 6}" cy="${H - 12}" r="5" fill="${hollow ? 'none' : s.color}" stroke="${s.color}"/>`, `<text x="${lx + 16}" y="${H - 8}" font-size="11">${esc(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export { esc as escapeHtml };
