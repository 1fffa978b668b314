import { resolve } from 'node:path';
import { PldError } from '../errors.js';
import type { Version } from '../persistence/types.js';
import { PREDICTION_LOG_KEY, predictionLogConfig } from '../server/prediction-log/from-config.js';
import { readJsonLines } from '../server/prediction-log/jsonl-sink.js';
import type { PredictionRecord } from '../server/prediction-log/record.js';
import { DEFAULT_LOG_TABLE, SqlSink } from '../server/prediction-log/sql-sink.js';
import { createServices } from '../server/services.js';
import { type CommandContext, persisterOf, readModel } from './context.js';
import { numericDifference, sameOutput } from './replay-compare.js';
import { httpTarget, localTarget, type ReplayTarget } from './replay-targets.js';

/** `pld replay` options. */
export interface ReplayOptions {
  /** A JSON lines file or an SQL URL (`sqlite:…`, `postgres://…`); default the config's `prediction_log` sink. */
  readonly log?: string;
  /** The table of an SQL log; default `prediction_log`. */
  readonly table?: string;
  /** The stored version to replay against; default the active one (or, with `url`, the served one). */
  readonly version?: Version;
  /** Send the inputs to this running server instead of predicting in this process. */
  readonly url?: string;
  /** Replay at most this many records (requests). */
  readonly limit?: number;
  /** Only records of this model. */
  readonly model?: string;
  /** Numeric outputs within this absolute difference count as the same; default 1e-9. */
  readonly tolerance?: number;
  /** How many differing rows to show; default 5. */
  readonly examples?: number;
  /** Where relative log paths resolve; default the current directory. */
  readonly cwd?: string;
}

/** One differing (or failed) row. */
export interface ReplayDiff {
  readonly request_id: string;
  readonly entry_point: string;
  /** Row within the request. */
  readonly row: number;
  readonly logged_version: number;
  readonly input: unknown;
  readonly logged: unknown;
  readonly replayed?: unknown;
  readonly error?: string;
}

/** What `pld replay` found. */
export interface ReplayReport {
  readonly source: string;
  readonly target: string;
  /** Records (requests) replayed. */
  readonly records: number;
  /** Rows (predictions) compared. */
  readonly compared: number;
  readonly differing: number;
  /** Rows the target could not predict. */
  readonly failed: number;
  /** Share of compared rows that agree, 0 to 1. */
  readonly agreement: number;
  readonly tolerance: number;
  /** Largest absolute difference of numeric outputs (regression values, probabilities), when there were any. */
  readonly max_abs_diff?: number;
  /** Mean absolute difference of numeric outputs over compared rows. */
  readonly mean_abs_diff?: number;
  /** Rows per logged version, and per version that answered the replay. */
  readonly logged_versions: Readonly<Record<string, number>>;
  readonly replayed_versions: Readonly<Record<string, number>>;
  readonly examples: readonly ReplayDiff[];
}

/**
 * Replays logged predictions against another model version and reports how many differ: locally
 * against a stored version (`version`, default the active one), or through a running server (`url`).
 * No `process.exit` here: the CLI turns differences into an exit code with `--fail-on-diff`.
 * @example
 * const report = await replay(ctx, { log: 'predictions.jsonl', version: 2 });
 * report.agreement; // 0.97
 */
export async function replay(ctx: CommandContext | undefined, options: ReplayOptions = {}): Promise<ReplayReport> {
  const tolerance = options.tolerance ?? 1e-9;
  const { source, records } = await _source(ctx, options);
  const target = await _target(ctx, options);
  const tally = new _Tally(tolerance, options.examples ?? 5);
  let count = 0;
  try {
    for await (const record of records) {
      if (options.model !== undefined && record.model !== options.model) continue;
      count += 1;
      tally.add(record, await target.replay(record));
    }
  } finally {
    if (ctx !== undefined && options.url === undefined) await (await persisterOf(ctx)).close?.();
  }
  if (count === 0) {
    const which = options.model === undefined ? '' : ` of model '${options.model}'`;
    throw new PldError('PLD_ERR_PREDLOG_EMPTY', `No prediction records${which} in ${source}; nothing to replay`, { details: { source } });
  }
  return { source, target: target.describe, records: count, ...tally.summary() };
}

async function _source(ctx: CommandContext | undefined, options: ReplayOptions): Promise<{ source: string; records: AsyncIterable<PredictionRecord> }> {
  const limit = options.limit;
  const log = options.log;
  if (log !== undefined && /^(sqlite:|postgres(ql)?:\/\/)/i.test(log)) {
    const sink = new SqlSink({ url: log, table: options.table ?? DEFAULT_LOG_TABLE }, { baseDir: options.cwd });
    return { source: sink.describe, records: _closing(sink.read({ limit }), () => sink.close()) };
  }
  if (log !== undefined) {
    const file = resolve(options.cwd ?? process.cwd(), log);
    return { source: file, records: readJsonLines(file, { limit }) };
  }
  const settings = ctx === undefined ? undefined : await predictionLogConfig(ctx);
  if (settings === undefined) {
    throw new PldError('PLD_ERR_CONFIG_MISSING_KEY', `pld replay needs a log: name a JSON lines file or an SQL URL, or set ${PREDICTION_LOG_KEY}.sink in the config`, {
      details: { key: PREDICTION_LOG_KEY },
    });
  }
  const { sink } = settings;
  if (sink.read === undefined) {
    throw new PldError('PLD_ERR_PREDLOG_UNREADABLE', `The prediction log sink ${sink.describe} cannot be read back; name the log file or URL`, {
      details: { sink: sink.describe },
    });
  }
  return { source: sink.describe, records: _closing(sink.read({ limit }), () => sink.close()) };
}

async function _target(ctx: CommandContext | undefined, options: ReplayOptions): Promise<ReplayTarget> {
  if (options.url !== undefined) return httpTarget(options.url, options.version);
  if (ctx === undefined) throw new PldError('PLD_ERR_CONFIG_NOT_FOUND', 'pld replay without --url needs the config of the model store');
  const model = await readModel(ctx, options.version);
  return localTarget(model, await createServices(ctx.config));
}

async function* _closing<T>(items: AsyncIterable<T>, close: () => Promise<void>): AsyncIterable<T> {
  try {
    yield* items;
  } finally {
    await close();
  }
}

// Counts rows, keeps the first few differences and the numeric distance.
class _Tally {
  compared = 0;
  differing = 0;
  failed = 0;
  #numeric = 0;
  #sum = 0;
  #max: number | undefined;
  readonly #logged = new Map<string, number>();
  readonly #replayed = new Map<string, number>();
  readonly #examples: ReplayDiff[] = [];

  constructor(
    readonly tolerance: number,
    readonly maxExamples: number,
  ) {}

  add(record: PredictionRecord, answer: Awaited<ReturnType<ReplayTarget['replay']>>): void {
    const rows = record.inputs.length;
    this.compared += rows;
    _bump(this.#logged, String(record.version), rows);
    if (answer.version !== undefined) _bump(this.#replayed, String(answer.version), rows);
    const base = { request_id: record.request_id, entry_point: record.entry_point, logged_version: record.version };
    if ('error' in answer || answer.outputs.length !== rows) {
      const error = 'error' in answer ? answer.error : `${answer.outputs.length} outputs for ${rows} inputs`;
      this.failed += rows;
      for (let row = 0; row < rows; row++) this.#example({ ...base, row, input: record.inputs[row], logged: record.outputs[row], error });
      return;
    }
    for (let row = 0; row < rows; row++) {
      const logged = record.outputs[row];
      const replayed = answer.outputs[row];
      const difference = numericDifference(logged, replayed);
      if (difference !== undefined) {
        this.#numeric += 1;
        this.#sum += difference;
        this.#max = Math.max(this.#max ?? 0, difference);
      }
      if (sameOutput(logged, replayed, this.tolerance)) continue;
      this.differing += 1;
      this.#example({ ...base, row, input: record.inputs[row], logged, replayed });
    }
  }

  summary(): Omit<ReplayReport, 'source' | 'target' | 'records'> {
    const agreeing = this.compared - this.differing - this.failed;
    return {
      compared: this.compared,
      differing: this.differing,
      failed: this.failed,
      agreement: this.compared === 0 ? 0 : agreeing / this.compared,
      tolerance: this.tolerance,
      ...(this.#max === undefined ? {} : { max_abs_diff: this.#max, mean_abs_diff: this.#sum / this.#numeric }),
      logged_versions: Object.fromEntries(this.#logged),
      replayed_versions: Object.fromEntries(this.#replayed),
      examples: this.#examples,
    };
  }

  #example(diff: ReplayDiff): void {
    if (this.#examples.length < this.maxExamples) this.#examples.push(diff);
  }
}

function _bump(counts: Map<string, number>, key: string, by: number): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}
