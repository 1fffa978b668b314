import { type FileHandle, mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { CreateContext } from '../../config/registry.js';
import { PldError } from '../../errors.js';
import { parseRecord, type PredictionRecord } from './record.js';
import type { PredictionSink } from './sink.js';

/**
 * Parameters of the `JsonLinesSink`: `path` (relative to the config file; `{pid}` becomes the process
 * id, so `--workers` processes each write their own file), and optional rotation: past `max_bytes`
 * the file becomes `path.1` (older ones `path.2`…), keeping `max_files` rotated files.
 * @example
 * jsonLinesSinkParams.parse({ path: 'logs/predictions.jsonl', max_bytes: 100_000_000 });
 */
export const jsonLinesSinkParams = z.strictObject({
  path: z.string().min(1),
  max_bytes: z.number().int().positive().optional(),
  max_files: z.number().int().positive().default(5),
});

/** Parsed parameters of the `JsonLinesSink`. */
export type JsonLinesSinkParams = z.infer<typeof jsonLinesSinkParams>;

/**
 * A sink appending one JSON record per line. Each batch is one `write` to a file opened for appending,
 * so lines from concurrent writers never interleave within a line; rotation renames the file once it
 * would grow past `max_bytes`. `read` gives the rotated files (oldest first) and then the current one.
 * @example
 * const sink = new JsonLinesSink({ path: '/var/log/pld/predictions.jsonl', max_files: 5 });
 * await sink.write(records);
 */
export class JsonLinesSink implements PredictionSink {
  readonly path: string;
  readonly #maxBytes: number | undefined;
  readonly #maxFiles: number;
  #handle: Promise<FileHandle> | undefined;
  #size = 0;

  constructor(params: z.input<typeof jsonLinesSinkParams>, ctx: Partial<Pick<CreateContext, 'baseDir'>> = {}) {
    const parsed = jsonLinesSinkParams.parse(params);
    const path = parsed.path.replaceAll('{pid}', String(process.pid));
    this.path = isAbsolute(path) ? path : resolve(ctx.baseDir ?? process.cwd(), path);
    this.#maxBytes = parsed.max_bytes;
    this.#maxFiles = parsed.max_files;
  }

  get describe(): string {
    return this.path;
  }

  async write(records: readonly PredictionRecord[]): Promise<void> {
    let text = '';
    for (const record of records) text += `${JSON.stringify(record)}\n`;
    const bytes = Buffer.byteLength(text);
    let handle = await this.#open();
    if (this.#maxBytes !== undefined && this.#size > 0 && this.#size + bytes > this.#maxBytes) handle = await this.#rotate(handle);
    // appendFile writes until every byte is out (a bare write may stop short on a large batch).
    await handle.appendFile(text);
    this.#size += bytes;
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) await (await handle.catch(() => undefined))?.close();
  }

  async *read(options: { readonly limit?: number } = {}): AsyncIterable<PredictionRecord> {
    let left = options.limit ?? Number.POSITIVE_INFINITY;
    const files: string[] = [];
    for (let i = this.#maxFiles; i >= 1; i--) if (await _exists(`${this.path}.${i}`)) files.push(`${this.path}.${i}`);
    files.push(this.path);
    for (const file of files) {
      for await (const record of readJsonLines(file, { limit: left })) {
        left -= 1;
        yield record;
      }
      if (left <= 0) return;
    }
  }

  #open(): Promise<FileHandle> {
    this.#handle ??= (async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const handle = await open(this.path, 'a');
      this.#size = (await handle.stat()).size;
      return handle;
    })().catch((error) => {
      this.#handle = undefined;
      throw new PldError('PLD_ERR_PREDLOG_SINK_FAILED', `Cannot open the prediction log ${this.path}: ${(error as Error).message}`, { cause: error });
    });
    return this.#handle;
  }

  async #rotate(handle: FileHandle): Promise<FileHandle> {
    await handle.close();
    this.#handle = undefined;
    for (let i = this.#maxFiles - 1; i >= 1; i--) {
      if (await _exists(`${this.path}.${i}`)) await rename(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    }
    await rename(this.path, `${this.path}.1`);
    return this.#open();
  }
}

/**
 * The records of one JSON lines prediction log, in file order, at most `limit`. A missing or unreadable
 * file is PLD_ERR_PREDLOG_UNREADABLE, a line that is not a record PLD_ERR_PREDLOG_BAD_RECORD naming
 * `file:line`. Blank lines are skipped.
 * @example
 * for await (const record of readJsonLines('predictions.jsonl', { limit: 100 })) console.log(record.version);
 */
export async function* readJsonLines(file: string, options: { readonly limit?: number } = {}): AsyncIterable<PredictionRecord> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (limit <= 0) return;
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('is a directory, not a file'), { code: 'EISDIR' });
    }
  } catch (error) {
    throw new PldError('PLD_ERR_PREDLOG_UNREADABLE', `Cannot read the prediction log ${file}: ${(error as Error).message}`, { cause: error, details: { file } });
  }
  const lines = createInterface({ input: handle.createReadStream({ encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let count = 0;
  try {
    for await (const line of lines) {
      lineNo += 1;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new PldError('PLD_ERR_PREDLOG_BAD_RECORD', `${file}:${lineNo}: not JSON: ${(error as Error).message}`, { details: { file, line: lineNo } });
      }
      yield parseRecord(value, `${file}:${lineNo}`);
      count += 1;
      if (count >= limit) return;
    }
  } finally {
    lines.close();
    await handle.close().catch(() => undefined);
  }
}

async function _exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
