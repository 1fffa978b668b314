import { ERROR_CODES, PldError } from '../../errors.js';
import { replay } from '../../commands/replay.js';
import { parseVersion } from '../../persistence/version.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import type { FlagSpec } from '../options.js';
import { printError, printJson } from '../print.js';
import { printReplay } from '../print-replay.js';

type _ReplayFlags = {
  version?: string;
  modelVersion?: string;
  url?: string;
  table?: string;
  limit?: number;
  tolerance?: number;
  examples?: number;
  failOnDiff?: boolean;
};

// Declared beside the command rather than in options.ts, so this feature merges without conflicts there.
const REPLAY_FLAGS: readonly FlagSpec<_ReplayFlags>[] = [
  { flags: '--version <version>', description: 'replay against this stored version (default the active one)', option: 'version' },
  { flags: '--model-version <version>', description: 'the same as --version', option: 'modelVersion' },
  { flags: '--url <url>', description: 'send the inputs to this running server (http://host:5000) instead of predicting here', option: 'url' },
  { flags: '--table <name>', description: 'the table of an SQL log (default prediction_log)', option: 'table' },
  { flags: '--limit <n>', description: 'replay at most <n> logged requests', option: 'limit', parse: _positiveInt('--limit') },
  { flags: '--tolerance <x>', description: 'numeric outputs this close (absolute) count as the same (default 1e-9)', option: 'tolerance', parse: _nonNegative('--tolerance') },
  { flags: '--examples <n>', description: 'show up to <n> differing rows (default 5)', option: 'examples', parse: _nonNegativeInt('--examples') },
  { flags: '--fail-on-diff', description: 'exit with a non-zero code when any prediction differs or fails', option: 'failOnDiff' },
  { flags: '--json', description: 'print the report as JSON', option: 'json' },
];

/** `pld replay [log]`: logged predictions against another model version, with the differences. */
export const replayCommand: CliCommand = (program, env) => {
  const command = program
    .command('replay [log]')
    .description("replay logged predictions (a JSON lines file, an SQL URL, or the config's prediction_log) against another model version and report the differences");
  const options = addFlags(command, REPLAY_FLAGS);
  command.action(async (log: string | undefined) => {
    const opts = options();
    const json = opts.json === true;
    await env.run(async () => {
      const given = opts.version ?? opts.modelVersion;
      const version = given === undefined ? undefined : parseVersion(given, opts.version === undefined ? '--model-version' : '--version');
      // A named log replayed against a server needs no config; everything else reads the model store or the sink.
      const ctx = log !== undefined && opts.url !== undefined ? undefined : await env.context();
      const report = await replay(ctx, {
        log,
        version,
        url: opts.url,
        table: opts.table,
        limit: opts.limit,
        // The global --model: the entry of `models` whose store answers, and the only records replayed.
        model: command.optsWithGlobals<{ model?: string }>().model,
        tolerance: opts.tolerance,
        examples: opts.examples,
      });
      if (json) printJson(env.out, report);
      else printReplay(env.out, report);
      const bad = report.differing + report.failed;
      if (opts.failOnDiff !== true || bad === 0) return 0;
      const error = new PldError('PLD_ERR_REPLAY_DIFFERENCES', `${bad} of ${report.compared} replayed predictions differ or failed (--fail-on-diff)`);
      // With --json the report is the one JSON document on stdout; the exit code says the rest.
      if (!json) printError(env.out, error, false);
      return ERROR_CODES.PLD_ERR_REPLAY_DIFFERENCES.exit;
    }, json);
  });
};

function _positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new Error(`${flag} must be a positive integer, got '${value}'`);
    return number;
  };
}

function _nonNegativeInt(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0) throw new Error(`${flag} must be a non-negative integer, got '${value}'`);
    return number;
  };
}

function _nonNegative(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < 0) throw new Error(`${flag} must be a number >= 0, got '${value}'`);
    return number;
  };
}
