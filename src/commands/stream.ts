import { PldError } from '../errors.js';
import { isPredictService, type PredictInput, type PredictService, type ServedModel } from '../service/predict-service.js';
import { readModel, type CommandContext } from './context.js';

/** `pld stream` options. */
export interface StreamOptions {
  /** The input, one request per line (e.g. stdin split into lines). */
  readonly input: AsyncIterable<string>;
  /** Receives each answer line, without its newline: the predictions as JSON, or `[]` after an error. */
  readonly onOutput: (line: string) => void;
  /** Receives each line that failed, with its error; the stream goes on. */
  readonly onError: (line: string, error: StreamLineError) => void;
  /** The config key of the PredictService to use (`--service`); default `predict_service`. */
  readonly service?: string;
}

/** Why one input line failed. */
export interface StreamLineError {
  readonly code: string;
  readonly message: string;
}

/** What a stream did. */
export interface StreamResult {
  readonly version: number;
  /** Lines answered with predictions. */
  readonly predicted: number;
  /** Lines answered with `[]` and an error. */
  readonly failed: number;
}

/**
 * Palladium's `pld-stream`: reads the active model once, then answers each input line. A line holds a
 * JSON list of objects (params come from the first, as in Palladium) → a JSON list of predictions, or
 * a single object → a single prediction (like `GET /predict`). A bad line gives `[]` and an error, and
 * the stream goes on; blank lines are skipped; a line `exit` (any case, trimmed) or the end of input
 * stops it.
 * @example
 * const result = await stream(ctx, { input: lines, onOutput: (l) => out.write(`${l}\n`), onError: (l, e) => log(e.message) });
 */
export async function stream(ctx: CommandContext, options: StreamOptions): Promise<StreamResult> {
  const service = await ctx.config.component<PredictService>(options.service ?? 'predict_service', 'service', isPredictService);
  const model: ServedModel = await readModel(ctx);
  ctx.log.info(`Loaded model version ${model.metadata.version}`);
  let predicted = 0;
  let failed = 0;
  for await (const raw of options.input) {
    const line = raw.replace(/\r?\n$/, '');
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.toLowerCase() === 'exit') break;
    const answer = await _answer(service, model, trimmed);
    if ('error' in answer) {
      failed++;
      options.onOutput('[]');
      options.onError(line, answer.error);
    } else {
      predicted++;
      options.onOutput(JSON.stringify(answer.result));
    }
  }
  return { version: model.metadata.version, predicted, failed };
}

async function _answer(service: PredictService, model: ServedModel, line: string): Promise<{ result: unknown } | { error: StreamLineError }> {
  let input: PredictInput;
  try {
    input = _input(line);
  } catch (error) {
    const pld = error as PldError;
    return { error: { code: pld.code, message: pld.message } };
  }
  const response = await service.handle(model, input);
  if (response.status === 200) return { result: response.body.result };
  const { metadata } = response.body;
  return { error: { code: String(metadata.error_type ?? metadata.error_code), message: String(metadata.error_message ?? 'prediction failed') } };
}

function _input(line: string): PredictInput {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (cause) {
    throw new PldError('PLD_ERR_PREDICT_BAD_INPUT', `The line is not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (Array.isArray(data)) {
    const first = data[0];
    return { kind: 'batch', body: data, query: typeof first === 'object' && first !== null && !Array.isArray(first) ? first : {} };
  }
  if (typeof data === 'object' && data !== null) return { kind: 'single', sample: data as Record<string, unknown>, query: data as Record<string, unknown> };
  throw new PldError('PLD_ERR_PREDICT_BAD_INPUT', `A line must hold a JSON list of objects or one object, got ${JSON.stringify(data)}`);
}
