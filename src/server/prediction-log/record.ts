import { z } from 'zod';
import { PldError } from '../../errors.js';
import { formatZodError } from '../../internal/zod-format.js';

/** Which model output a record holds: labels (or regression values), or class probabilities. */
export const LOGGED_OUTPUTS = ['predict', 'predict_proba'] as const;
export type LoggedOutput = (typeof LOGGED_OUTPUTS)[number];

/** One input row as logged: each `mapping` field with its converted value (bool fields as booleans). */
export type LoggedRow = Readonly<Record<string, number | string | boolean | null>>;

/**
 * One logged prediction request: what `pld replay` reads back. `inputs` and `outputs` have one item per
 * row (a GET is one row); `outputs` holds what the response's `result` held per row (a label, a value,
 * or a list of probabilities for `predict_proba`).
 */
export interface PredictionRecord {
  /** ISO time the request was answered. */
  readonly ts: string;
  readonly request_id: string;
  /** The served model's name (`default` for a single-model config). */
  readonly model: string;
  /** The model version that answered. */
  readonly version: number;
  /** The route that answered: a PredictService `entry_point` or the OIP infer path. */
  readonly entry_point: string;
  /** Time from the request reaching the route to the prediction, in milliseconds. */
  readonly latency_ms: number;
  readonly output: LoggedOutput;
  readonly inputs: readonly LoggedRow[];
  /** The service's `params` read from the query (or OIP `parameters`), when there were any. */
  readonly params?: Readonly<Record<string, number | string | boolean>>;
  readonly outputs: readonly unknown[];
}

const _scalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** The shape of a {@link PredictionRecord}, checked when a log is read back. */
export const predictionRecordSchema = z.object({
  ts: z.string(),
  request_id: z.string(),
  model: z.string().min(1),
  version: z.number().int().positive(),
  entry_point: z.string().startsWith('/'),
  latency_ms: z.number().nonnegative(),
  output: z.enum(LOGGED_OUTPUTS),
  inputs: z.array(z.record(z.string(), _scalar)).min(1),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  outputs: z.array(z.unknown()),
});

/**
 * Checks one record read back from a log; anything else is PLD_ERR_PREDLOG_BAD_RECORD naming `where`
 * (`log.jsonl:12`) and the field.
 * @example
 * const record = parseRecord(JSON.parse(line), 'predictions.jsonl:3');
 */
export function parseRecord(value: unknown, where: string): PredictionRecord {
  const parsed = predictionRecordSchema.safeParse(value);
  if (!parsed.success) {
    throw new PldError('PLD_ERR_PREDLOG_BAD_RECORD', `${where}: not a prediction record: ${formatZodError(parsed.error, '', value)}`, { details: { where } });
  }
  if (parsed.data.outputs.length !== parsed.data.inputs.length) {
    throw new PldError('PLD_ERR_PREDLOG_BAD_RECORD', `${where}: not a prediction record: ${parsed.data.inputs.length} inputs but ${parsed.data.outputs.length} outputs`, {
      details: { where },
    });
  }
  return parsed.data as PredictionRecord;
}
