// Hand-written SVG charts rather than vega-lite: a report must be one self-contained file that opens
// offline, and the same SVG is what resvg draws for `--png` (docs/evaluation.md says why in full).

const W = 420;
const H = 280;
const M = { left: 56, right: 16, top: 28, bottom: 44 };

/**
 * Escapes text for HTML/SVG content and attributes.
 * @example
 * escapeXml('a < b'); // 'a &lt; b'
 */
export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** One point with an optional symmetric error bar. */
export interface ChartPoint {
  readonly x: number | string;
  readonly y: number;
  readonly error?: number;
}

/**
 * A line/point chart with error bars (`class="errorbar"`); string x values are placed evenly.
 * @example
 * lineChart('mean test score vs max_depth', 'max_depth', 'score', [{ x: 2, y: 0.9, error: 0.02 }]);
 */
export function lineChart(title: string, xLabel: string, yLabel: string, points: readonly ChartPoint[]): string {
  const finite = points.filter((p) => Number.isFinite(p.y));
  const numericX = points.every((p) => typeof p.x === 'number');
  const xs = numericX ? points.map((p) => p.x as number) : points.map((_, i) => i);
  const sx = _scale(Math.min(...xs), Math.max(...xs), M.left, W - M.right);
  const lows = finite.map((p) => p.y - (p.error ?? 0));
  const highs = finite.map((p) => p.y + (p.error ?? 0));
  const sy = _scale(Math.min(...lows, Infinity), Math.max(...highs, -Infinity), H - M.bottom, M.top);
  const marks: string[] = [];
  const path = finite.map((p) => `${sx(xs[points.indexOf(p)]).toFixed(1)},${sy(p.y).toFixed(1)}`);
  if (path.length > 1) marks.push(`<polyline class="line" points="${path.join(' ')}" fill="none" stroke="#4c78a8" stroke-width="2"/>`);
  points.forEach((p, i) => {
    if (!Number.isFinite(p.y)) return;
    const x = sx(xs[i]);
    if (p.error !== undefined && p.error > 0) {
      marks.push(`<line class="errorbar" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${sy(p.y - p.error).toFixed(1)}" y2="${sy(p.y + p.error).toFixed(1)}" stroke="#333"/>`);
    }
    marks.push(
      `<circle class="point" cx="${x.toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="4" fill="#4c78a8"><title>${escapeXml(`${p.x}: ${p.y}${p.error ? ` ± ${p.error}` : ''}`)}</title></circle>`,
    );
  });
  const ticks = points.map((p, i) => `<text x="${sx(xs[i]).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeXml(String(p.x))}</text>`);
  return _frame(title, xLabel, yLabel, sy, [...ticks, ...marks]);
}

/**
 * A scatter plot with an optional y = x diagonal (`class="diagonal"`), for predicted vs true values
 * and residuals.
 * @example
 * scatterChart('predicted vs true', 'true', 'predicted', xs, ys, true);
 */
export function scatterChart(title: string, xLabel: string, yLabel: string, xs: ArrayLike<number>, ys: ArrayLike<number>, diagonal: boolean, zeroLine = false): string {
  const xv = Array.from(xs);
  const yv = Array.from(ys);
  const lo = diagonal ? Math.min(...xv, ...yv) : Math.min(...xv);
  const hi = diagonal ? Math.max(...xv, ...yv) : Math.max(...xv);
  const sx = _scale(lo, hi, M.left, W - M.right);
  const sy = diagonal ? _scale(lo, hi, H - M.bottom, M.top) : _scale(Math.min(...yv, 0), Math.max(...yv, 0), H - M.bottom, M.top);
  const marks: string[] = [];
  if (diagonal) marks.push(`<line class="diagonal" x1="${sx(lo)}" y1="${sy(lo)}" x2="${sx(hi)}" y2="${sy(hi)}" stroke="#999" stroke-dasharray="4 3"/>`);
  if (zeroLine) marks.push(`<line class="zero" x1="${M.left}" x2="${W - M.right}" y1="${sy(0).toFixed(1)}" y2="${sy(0).toFixed(1)}" stroke="#999" stroke-dasharray="4 3"/>`);
  const step = Math.max(1, Math.ceil(xv.length / 2000)); // keep big test sets' reports small
  for (let i = 0; i < xv.length; i += step)
    marks.push(`<circle class="point" cx="${sx(xv[i]).toFixed(1)}" cy="${sy(yv[i]).toFixed(1)}" r="2.5" fill="#4c78a8" fill-opacity="0.6"/>`);
  marks.push(`<text x="${M.left}" y="${H - M.bottom + 16}">${_fmt(lo)}</text><text x="${W - M.right}" y="${H - M.bottom + 16}" text-anchor="end">${_fmt(hi)}</text>`);
  return _frame(title, xLabel, yLabel, sy, marks);
}

/**
 * A confusion-matrix heat map: one `class="cell"` rect per (true, predicted) pair with its count.
 * @example
 * heatmap('confusion matrix', ['a', 'b'], [[5, 1], [0, 4]]);
 */
export function heatmap(title: string, labels: readonly string[], matrix: readonly (readonly number[])[]): string {
  const n = labels.length;
  const size = Math.min(56, 320 / Math.max(n, 1));
  const left = 110;
  const top = 40;
  const max = Math.max(1, ...matrix.flat());
  const cells: string[] = [];
  for (let i = 0; i < matrix.length; i++) {
    for (let j = 0; j < matrix[i].length; j++) {
      const count = matrix[i][j];
      const shade = Math.round(255 - (count / max) * 180);
      cells.push(
        `<rect class="cell" x="${left + j * size}" y="${top + i * size}" width="${size}" height="${size}" fill="rgb(${shade},${shade},255)" stroke="#fff"><title>true ${escapeXml(labels[i])}, predicted ${escapeXml(labels[j])}: ${count}</title></rect>`,
        `<text x="${left + j * size + size / 2}" y="${top + i * size + size / 2 + 4}" text-anchor="middle">${count}</text>`,
      );
    }
  }
  const rowLabels = labels.map((label, i) => `<text x="${left - 6}" y="${top + i * size + size / 2 + 4}" text-anchor="end">${escapeXml(label)}</text>`);
  // Labels wider than a cell (about 6.5 px per character at 11 px) are slanted so they do not overlap.
  const longest = Math.max(0, ...labels.map((label) => label.length));
  const slant = longest * 6.5 > size;
  const labelDepth = slant ? Math.ceil(longest * 6.5 * 0.6) + 8 : 0;
  const colLabels = labels.map((label, j) => {
    const x = left + j * size + size / 2;
    const y = top + n * size + 16;
    return slant
      ? `<text x="${x}" y="${y}" text-anchor="end" transform="rotate(-35 ${x} ${y})">${escapeXml(label)}</text>`
      : `<text x="${x}" y="${y}" text-anchor="middle">${escapeXml(label)}</text>`;
  });
  const width = left + n * size + 20;
  const height = top + n * size + 44 + labelDepth;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11"><text x="${width / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)}</text>${cells.join('')}${rowLabels.join('')}${colLabels.join('')}<text x="${left + (n * size) / 2}" y="${height - 6}" text-anchor="middle">predicted</text><text x="12" y="${top + (n * size) / 2}" transform="rotate(-90 12 ${top + (n * size) / 2})" text-anchor="middle">true</text></svg>`;
}

function _frame(title: string, xLabel: string, yLabel: string, sy: ReturnType<typeof _scale>, marks: string[]): string {
  const [lo, hi] = [sy.invert(H - M.bottom), sy.invert(M.top)];
  const yTicks = [lo, (lo + hi) / 2, hi].map((v) => `<text x="${M.left - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${_fmt(v)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11"><text x="${W / 2}" y="16" text-anchor="middle" font-size="13">${escapeXml(title)}</text><line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#333"/><line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#333"/>${yTicks.join('')}<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">${escapeXml(xLabel)}</text><text x="14" y="${(M.top + H - M.bottom) / 2}" transform="rotate(-90 14 ${(M.top + H - M.bottom) / 2})" text-anchor="middle">${escapeXml(yLabel)}</text>${marks.join('')}</svg>`;
}

function _scale(lo: number, hi: number, from: number, to: number): ((v: number) => number) & { invert: (p: number) => number } {
  const [a, b] = !Number.isFinite(lo) || !Number.isFinite(hi) ? [0, 1] : lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
  const pad = (b - a) * 0.05;
  const [min, max] = [a - pad, b + pad];
  const scale = (v: number) => from + ((v - min) / (max - min)) * (to - from);
  return Object.assign(scale, { invert: (p: number) => min + ((p - from) / (to - from)) * (max - min) });
}

function _fmt(value: number): string {
  return Math.abs(value) >= 1000 || (Math.abs(value) < 0.01 && value !== 0) ? value.toExponential(2) : value.toFixed(3);
}
