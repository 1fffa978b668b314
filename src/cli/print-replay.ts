import type { ReplayReport } from '../commands/replay.js';
import type { Output } from './print.js';

/**
 * `pld replay`: counts, agreement, numeric distance and a few differing rows. In a file of its own
 * beside print.ts so the replay feature merges without touching the shared printers.
 * @example
 * printReplay(out, report);
 */
export function printReplay(out: Output, report: ReplayReport): void {
  const lines = [
    `Replayed ${report.records} records (${report.compared} predictions) from ${report.source} against ${report.target}`,
    `Logged versions: ${_versions(report.logged_versions)}${Object.keys(report.replayed_versions).length > 0 ? `; answered by: ${_versions(report.replayed_versions)}` : ''}`,
    `Agreement: ${_percent(report.agreement)} (${report.compared - report.differing - report.failed} of ${report.compared} the same, ${report.differing} differ, ${report.failed} failed; tolerance ${report.tolerance})`,
  ];
  if (report.max_abs_diff !== undefined) lines.push(`Numeric difference: max ${_round(report.max_abs_diff)}, mean ${_round(report.mean_abs_diff ?? 0)}`);
  if (report.examples.length > 0) {
    lines.push('Examples:');
    for (const diff of report.examples) {
      const now = diff.error === undefined ? `now ${JSON.stringify(diff.replayed)}` : `failed: ${diff.error}`;
      lines.push(`  ${diff.request_id} row ${diff.row} (version ${diff.logged_version}): logged ${JSON.stringify(diff.logged)}, ${now}; input ${JSON.stringify(diff.input)}`);
    }
  }
  out.stdout(`${lines.join('\n')}\n`);
}

function _versions(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([version, rows]) => `${version} (${rows})`)
    .join(', ');
}

function _percent(share: number): string {
  return `${Number((share * 100).toFixed(2))} %`;
}

function _round(value: number): string {
  return String(Number(value.toPrecision(6)));
}
