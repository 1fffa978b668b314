import { PldError } from '../../errors.js';
import { writeFileAtomic } from '../search/results-file.js';
import { type NamedChart, renderPngs } from './png.js';

/**
 * Writes an HTML report and, with `png`, one PNG per chart beside it (`out-<chart>.png`). The PNGs
 * are rendered before anything is written, and each file is written atomically, so a failure leaves
 * no half-written report. Returns the PNG files written.
 * @example
 * const pngs = await writeReport('test.html', html, charts, true); // ['test-confusion-matrix.png']
 */
export async function writeReport(file: string, html: string, charts: readonly NamedChart[], png: boolean): Promise<string[]> {
  const rendered = png ? await renderPngs(file, charts) : [];
  writeFileAtomic(file, html);
  for (const image of rendered) writeFileAtomic(image.file, image.png);
  return rendered.map((image) => image.file);
}

/**
 * `--png` renders the report's charts, so it needs `--report`.
 * @example
 * checkPngOption({ png: true }); // throws PLD_ERR_CLI_USAGE
 */
export function checkPngOption(options: { readonly report?: string; readonly png?: boolean }): void {
  if (options.png === true && options.report === undefined) {
    throw new PldError('PLD_ERR_CLI_USAGE', '--png writes the charts of the report: give --report <file> too', { details: { option: '--png' } });
  }
}
