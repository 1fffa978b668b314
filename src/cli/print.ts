import { isPldError, toPldError } from '../errors.js';
import type { ListResult } from '../commands/list.js';
import type { FitResult } from '../commands/fit.js';
import type { TestResult } from '../commands/test.js';
import type { UpgradeResult } from '../commands/upgrade.js';
import { createLogger, type Logger, type LogLevel } from '../logging.js';

/** Where the CLI writes: stdout for results, stderr for logs and errors. All CLI output goes through here. */
export interface Output {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly color: boolean;
}

/** Output to the process streams; colour only on a TTY and without NO_COLOR. */
export function processOutput(): Output {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: process.stderr.isTTY === true && process.env.NO_COLOR === undefined,
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

/** `pld list`: `Models:` and `Properties:` blocks, as Palladium prints them. */
export function printList(out: Output, result: ListResult): void {
  out.stdout(`Models:\n${JSON.stringify(result.models, null, 2)}\nProperties:\n${JSON.stringify(result.properties, null, 2)}\n`);
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
