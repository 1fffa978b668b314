// `--png`: each report chart's SVG rendered to a PNG file beside the HTML report. @resvg/resvg-js is a
// native addon (its prebuilt binary comes as an npm optional dependency), so it is imported only when
// PNGs are asked for: `pld test` without `--png` never loads it.
import path from 'node:path';
import { PldError } from '../../errors.js';

/** One chart of a report: a name for its file and its self-contained SVG. */
export interface NamedChart {
  readonly name: string;
  readonly svg: string;
}

/** A rendered chart: where it goes and its PNG bytes. */
export interface RenderedPng {
  readonly file: string;
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** PNGs are drawn at twice the SVG's size so labels stay legible on high-density screens. */
export const PNG_SCALE = 2;

/**
 * The PNG file name of a chart next to a report: `out.html` + `confusion matrix` → `out-confusion-matrix.png`.
 * @example
 * pngFileFor('reports/test.html', 'confusion matrix'); // 'reports/test-confusion-matrix.png'
 */
export function pngFileFor(reportFile: string, chartName: string): string {
  const parsed = path.parse(reportFile);
  const slug = chartName
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-|-$/g, '');
  return path.join(parsed.dir, `${parsed.name}-${slug || 'chart'}.png`);
}

/**
 * Renders every chart to PNG in memory (nothing is written, so a failure leaves no partial output).
 * Text uses the system fonts (fontconfig's folders, e.g. fonts-dejavu-core); without any, charts
 * render without their labels.
 * @example
 * const pngs = await renderPngs('test.html', [{ name: 'confusion matrix', svg }]);
 */
export async function renderPngs(reportFile: string, charts: readonly NamedChart[]): Promise<RenderedPng[]> {
  const { Resvg } = await _resvg();
  return charts.map((chart) => {
    const file = pngFileFor(reportFile, chart.name);
    try {
      const rendered = new Resvg(chart.svg, {
        background: 'white',
        fitTo: { mode: 'zoom', value: PNG_SCALE },
        font: { loadSystemFonts: true, sansSerifFamily: 'DejaVu Sans' },
      }).render();
      return { file, png: rendered.asPng(), width: rendered.width, height: rendered.height };
    } catch (cause) {
      throw new PldError('PLD_ERR_EVAL_PNG', `--png: cannot render the chart '${chart.name}' to ${file}: ${(cause as Error).message}`, { cause, details: { file } });
    }
  });
}

async function _resvg(): Promise<typeof import('@resvg/resvg-js')> {
  try {
    return await import('@resvg/resvg-js');
  } catch (cause) {
    throw new PldError(
      'PLD_ERR_EVAL_PNG',
      `--png needs @resvg/resvg-js and its prebuilt binary for ${process.platform}-${process.arch} (an optional dependency; reinstall without --omit=optional): ${(cause as Error).message}`,
      { cause },
    );
  }
}
