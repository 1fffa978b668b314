import { isPldError, toPldError } from '../errors.js';
import type { ListResult } from '../commands/list.js';
import type { FitResult } from '../commands/fit.js';
import type { GridSearchResult } from '../commands/grid-search.js';
import type { SearchProgress } from '../evaluation/search/search.js';
import type { TestResult } from '../commands/test.js';
import type { ConfigValidation } from '../commands/config.js';
import type { InitResult } from '../commands/init.js';
import type { StreamLineError } from '../commands/stream.js';
import type { ExportResult, OnnxExportResult } from '../commands/export.js';
import type { RollbackResult } from '../commands/rollback.js';
import type { TrafficShowResult } from '../commands/traffic.js';
import type { DockerizeResult } from '../commands/dockerize.js';
import type { K8sResult } from '../commands/k8s.js';
import type { ActivationRecord } from '../persistence/types.js';
import type { UpgradeResult } from '../commands/upgrade.js';
import type { MigrateConfigResult } from '../commands/migrate-config.js';
import { createLogger, type Logger, type LogLevel } from '../logging.js';

/** Where the CLI writes: stdout for results, stderr for logs and errors. All CLI output goes through here. */
export interface Output {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly color: boolean;
  /** stderr is a terminal: progress bars instead of plain lines. */
  readonly tty?: boolean;
}

/**
 * Output to the process streams. Colour (only ever on stderr) needs stderr to be a terminal and
 * NO_COLOR unset or empty (https://no-color.org), so logs piped to a file never hold escape codes.
 */
export function processOutput(): Output {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: process.stderr.isTTY === true && !process.env.NO_COLOR,
    tty: process.stderr.isTTY === true,
  };
}

/** The logger commands get: Palladium-style lines on stderr. */
export function cliLogger(out: Output, level: LogLevel): Logger {
  return createLogger((line) => out.stderr(`${line}\n`), level);
}

/** Prints a value as JSON on stdout (`--json`). */
export function printJson(out: Output, value: unknown): void {
  out.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** `pld test`: `Score: accuracy: 0.96`, one line per score, Palladium's layout. */
export function printTest(out: Output, result: TestResult): void {
  const lines = result.scores.map((score) => `${score.name}: ${score.value}`);
  out.stdout(`Score: ${lines.join('\n       ')}\n`);
}

/** `pld fit`: the scores, when it evaluated; the version goes to the log already. */
export function printFit(out: Output, result: FitResult): void {
  for (const [label, scores] of [
    ['Train', result.scoresTrain],
    ['Test', result.scoresTest],
  ] as const) {
    if (scores.length > 0) out.stdout(`${label} score: ${scores.map((score) => `${score.name}: ${score.value}`).join(', ')}\n`);
  }
}

/** `pld grid-search`: the candidates ranked best first (rank, mean ± std test score per metric, fit time, params), then the best. */
export function printGridSearch(out: Output, result: GridSearchResult): void {
  const rank = result.cvResults[`rank_test_${result.rankMetric}`] as number[];
  const order = rank.map((_, i) => i).sort((a, b) => rank[a] - rank[b] || a - b);
  const header = ['rank', ...result.metrics.flatMap((m) => [`mean_test_${m}`, `std_test_${m}`]), 'mean_fit_time', 'params'];
  const rows = order.map((i) => [
    String(rank[i]),
    ...result.metrics.flatMap((m) => [_fixed((result.cvResults[`mean_test_${m}`] as number[])[i]), _fixed((result.cvResults[`std_test_${m}`] as number[])[i])]),
    _fixed((result.cvResults.mean_fit_time as number[])[i]),
    JSON.stringify(result.candidates[i]),
  ]);
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padStart(widths[c]))).join('  ');
  out.stdout(`${[line(header), ...rows.map(line)].join('\n')}\n`);
  out.stdout(`Best: ${JSON.stringify(result.bestParams)} (mean test ${result.rankMetric} ${_fixed(result.bestScore)})\n`);
}

/** Search progress on stderr: a bar redrawn in place on a terminal, otherwise one plain line per fit (scikit-learn's verbose format). */
export function searchProgressPrinter(out: Output): (event: SearchProgress) => void {
  return (event) => {
    if (out.tty) {
      const width = 30;
      const filled = Math.round((event.done / event.total) * width);
      out.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${event.done}/${event.total} fits${event.done === event.total ? '\n' : ''}`);
      return;
    }
    const params = Object.entries(event.params)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(', ');
    const scores = event.error !== undefined ? 'failed' : event.scorerNames.map((name, m) => `${name}=${_fixed(event.testScores?.[m] ?? Number.NaN)}`).join(', ');
    out.stderr(`[CV ${event.fold + 1}/${event.nSplits}; ${event.candidate + 1}] END ${params}; ${scores} total time=${event.fitTime.toFixed(3)}s (${event.done}/${event.total})\n`);
  };
}

function _fixed(value: number): string {
  return Number.isNaN(value) ? 'nan' : value.toFixed(4);
}

/** `pld list`: `Models:` and `Properties:` blocks, as Palladium prints them. */
export function printList(out: Output, result: ListResult): void {
  out.stdout(`Models:\n${JSON.stringify(result.models, null, 2)}\nProperties:\n${JSON.stringify(result.properties, null, 2)}\n`);
  if (result.history !== undefined) printHistory(out, result.history);
}

/** `pld list`'s `History:` block: one activation per line, oldest first. */
export function printHistory(out: Output, history: readonly ActivationRecord[]): void {
  const lines = history.map((entry) => {
    const previous = entry.previous === null ? '' : ` (was ${entry.previous})`;
    const who = [entry.by === undefined ? '' : ` by ${entry.by}`, entry.via === undefined ? '' : ` via ${entry.via}`].join('');
    return `  ${entry.at}  version ${entry.version}${previous}${who}\n`;
  });
  out.stdout(`History:\n${lines.length === 0 ? '  (no activations)\n' : lines.join('')}`);
}

/** `pld export`: the new version in the target store (the log line says it too, as Palladium's does). */
export function printExport(out: Output, result: ExportResult): void {
  out.stdout(`Exported version ${result.source} as version ${result.version}${result.activated ? ' (activated)' : ''}.\n`);
}

/** `pld export --onnx`: which version went to which file. */
export function printOnnxExport(out: Output, result: OnnxExportResult): void {
  out.stdout(`Exported version ${result.source} (${result.factory}) as ONNX to ${result.file} (${result.bytes} bytes).\n`);
}

/** `pld admin rollback`: from which version to which. */
export function printRollback(out: Output, result: RollbackResult): void {
  out.stdout(`Active version: ${result.version} (was ${result.from}).\n`);
}

/** `pld admin traffic`: the policy in force, where it comes from, and who set it. */
export function printTraffic(out: Output, result: TrafficShowResult): void {
  const who =
    result.source === 'store' ? ` (set ${result.updated_at ?? ''}${result.by === undefined ? '' : ` by ${result.by}`}${result.via === undefined ? '' : ` via ${result.via}`})` : '';
  out.stdout(`Traffic policy (${result.source}): ${result.description}${who}\n${JSON.stringify(result.policy)}\n`);
}

/** `pld stream`: one answer line on stdout (predictions JSON, or `[]` after a bad line). */
export function printStreamOutput(out: Output, line: string): void {
  out.stdout(`${line}\n`);
}

/** `pld stream`: a bad input line and why, on stderr, in Palladium's words. */
export function printStreamError(out: Output, line: string, error: StreamLineError): void {
  out.stderr(`Error while processing input row: ${line}\n${error.code}: ${error.message}\n`);
}

/** `pld upgrade`: one line per step run, then the layout version. */
export function printUpgrade(out: Output, result: UpgradeResult): void {
  const steps = result.steps.length === 0 ? 'No upgrade steps to run; the store is up to date.\n' : result.steps.map((step) => `Ran upgrade step ${step}\n`).join('');
  out.stdout(`${steps}Store db-version: ${result.dbVersion ?? 'unknown'}\n`);
}

/** An error: code and message on stderr (or JSON on stdout with `--json`); never a stack trace unless PLD_DEBUG is set. */
export function printError(out: Output, error: unknown, json: boolean): number {
  const pld = toPldError(error);
  if (json) {
    printJson(out, { error: { code: pld.code, message: pld.message, details: pld.details } });
  } else {
    const label = out.color ? '\u001b[31mERROR\u001b[0m' : 'ERROR';
    out.stderr(`${label} ${pld.code}: ${pld.message}\n`);
    if (!isPldError(error) || process.env.PLD_DEBUG) out.stderr(`${(error as Error)?.stack ?? String(error)}\n`);
  }
  return pld.exitCode;
}

/** `pld config --validate`: one line per component, then OK. */
export function printValidation(out: Output, result: ConfigValidation): void {
  for (const check of result.components) out.stdout(`  ${check.key}: ${check.factory} (${check.kind})\n`);
  out.stdout(`Config OK: ${result.files.join(', ')}\n`);
}

/** `pld init`: what was written and the next commands. */
export function printInit(out: Output, result: InitResult): void {
  out.stdout(`Created ${result.template} project in ${result.dir}:\n${result.files.map((file) => `  ${file}`).join('\n')}\n`);
  out.stdout(`Next:\n  cd ${result.dir}\n  npm install\n  npx pld fit --evaluate\n  npx pld serve\n`);
}

/** `pld dockerize`: with `--dry-run` each file under a `==> path <==` header; then how to build, or what was built. */
export function printDockerize(out: Output, result: DockerizeResult): void {
  if (!result.written) for (const file of result.files) out.stdout(`==> ${file.path} <==\n${file.content}\n`);
  else out.stdout(`Wrote ${result.files.map((file) => file.path).join(', ')}\n`);
  if (result.build === 'built') out.stdout(`Built image ${result.tag}\n`);
  else if (result.build === 'no-engine') out.stdout(`No Docker engine answers here, so nothing was built. Build the image with:\n  ${result.buildCommand}\n`);
  else out.stdout(`Build the image with:\n  ${result.buildCommand}\n`);
}

/** `pld k8s`: the YAML on stdout, or where it was written. */
export function printK8s(out: Output, result: K8sResult): void {
  if (result.file === undefined) out.stdout(result.yaml);
  else out.stdout(`Wrote ${result.objects.map((object) => `${object.kind}/${object.metadata.name}`).join(', ')} to ${result.file}\nApply with: kubectl apply -f ${result.file}\n`);
}

/**
 * `pld migrate-config`: without `--out` the config goes to stdout and the report to stderr (so it can be
 * redirected to a file); with `--out` the report goes to stdout.
 */
export function printMigration(out: Output, result: MigrateConfigResult): void {
  const report = result.out === undefined ? out.stderr : out.stdout;
  if (result.out === undefined) out.stdout(result.text);
  const lines = [`Migrated ${result.source}${result.out === undefined ? '' : ` -> ${result.out}`}:`];
  for (const change of result.changes) lines.push(`  ${change.kind.padEnd(16)} ${change.path}: ${change.detail}`);
  // Colour only where the report goes to stderr, the stream `color` was decided for.
  const label = result.out === undefined && out.color ? `\u001b[31m${'UNSUPPORTED'.padEnd(16)}\u001b[0m` : 'UNSUPPORTED'.padEnd(16);
  for (const entry of result.unsupported) lines.push(`  ${label} ${entry.path}: ${entry.reason}${entry.source === undefined ? '' : `\n${' '.repeat(19)}${entry.source}`}`);
  lines.push(
    `${result.changes.length} change(s), ${result.unsupported.length} unsupported entr${result.unsupported.length === 1 ? 'y' : 'ies'}${result.unsupported.length > 0 ? ' (fix them by hand)' : ''}.`,
  );
  report(`${lines.join('\n')}\n`);
}
