import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PldError } from '../../errors.js';
import { type CvResults, cvResultsRecords } from './cv-results.js';

/**
 * The format `--save-results` writes, from the file name: `.csv` (pandas' `to_csv(index=False)`
 * layout, `params` as JSON, NaN as an empty cell) or `.json` (one record per candidate, NaN as null).
 * @example
 * resultsFormat('out.csv'); // 'csv'
 */
export function resultsFormat(file: string): 'csv' | 'json' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.json') return ext.slice(1) as 'csv' | 'json';
  throw new PldError('PLD_ERR_CLI_OUTPUT_FORMAT', `--save-results: '${file}' must end in .csv or .json`, { details: { file } });
}

/**
 * `cv_results` as CSV text: a header of the result keys, then one row per candidate.
 * @example
 * cvResultsCsv(result.cvResults).split('\n')[0]; // 'mean_fit_time,std_fit_time,...'
 */
export function cvResultsCsv(results: CvResults): string {
  const keys = Object.keys(results);
  const rows = cvResultsRecords(results).map((record) => keys.map((key) => _cell(record[key])).join(','));
  return `${[keys.join(','), ...rows].join('\n')}\n`;
}

/**
 * Writes text to `file` atomically (a temporary file renamed into place), so an interrupted run
 * never leaves a half-written file.
 * @example
 * writeFileAtomic('results.csv', cvResultsCsv(cv));
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (cause) {
    throw new PldError('PLD_ERR_CLI_OUTPUT_FORMAT', `Cannot write '${file}': ${(cause as Error).message}`, { cause, details: { file } });
  }
}

function _cell(value: unknown): string {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
