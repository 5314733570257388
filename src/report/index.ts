/** Public face of the report module: HTML/SVG/Markdown reports. */
/** Inline-SVG charts. */
export type { BarSeries, ScatterSeries } from './svg.ts';
export { barChart, scatterChart, escapeHtml } from './svg.ts';
/** The iNAS vs HW-NAS comparison report. */
export { compareMarkdown, compareHtml } from './compare.ts';
