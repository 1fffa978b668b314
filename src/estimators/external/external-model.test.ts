import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Frame } from '../../data/frame.js';
import { isPldError } from '../../errors.js';
import { ExternalModel } from './external-model.js';

const FLAKY = fileURLToPath(new URL('../../../test/fixtures/external/flaky-model.mjs', import.meta.url));
const frame = (...a: number[]) => new Frame({ a: Float64Array.from(a) });
const codeOf = (error: unknown) => (isPldError(error) ? error.code : String(error));

async function fitted(timeout_ms = 2000): Promise<ExternalModel> {
  return new ExternalModel({ command: [process.execPath, FLAKY], type: 'regressor', timeout_ms, params: { offset: 1 } }).fit(frame(1, 2, 3), Float64Array.of(3, 5, 7));
}

describe('ExternalModel: a crash or a hang fails one request, the next one works', () => {
  it('predicts through the process, with the state saved at fit', async () => {
    const model = await fitted();
    expect(Array.from((await model.predict(frame(10, 20))) as Float64Array)).toEqual([21, 41]);
    model.close();
  });

  it('a crash mid-request fails that request naming the command and showing stderr; the next request restarts and reloads', async () => {
    const model = await fitted();
    const error = await model.predict(frame(666)).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('PLD_ERR_ESTIMATOR_EXTERNAL');
    expect((error as Error).message).toContain('flaky-model.mjs');
    expect((error as Error).message).toContain('exited with code 3');
    expect((error as Error).message).toContain('about to crash on 666');
    // Restarted process: the state (offset 1) was loaded again, or the answer would be 10.
    expect(Array.from((await model.predict(frame(5))) as Float64Array)).toEqual([11]);
    model.close();
  });

  it('a hang is a timeout error naming the command and timeout_ms; the next request works', async () => {
    const model = await fitted(300);
    const error = await model.predict(frame(777)).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('PLD_ERR_ESTIMATOR_EXTERNAL_TIMEOUT');
    expect((error as Error).message).toMatch(/flaky-model\.mjs.*300 ms/);
    expect(Array.from((await model.predict(frame(4))) as Float64Array)).toEqual([9]);
    model.close();
  });

  it('an error answer fails that request with the model message; the process stays up', async () => {
    const model = await fitted();
    const error = await model.predict(frame(888)).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('PLD_ERR_ESTIMATOR_EXTERNAL');
    expect((error as Error).message).toContain('ValueError: 888 is not allowed');
    expect(Array.from((await model.predict(frame(1))) as Float64Array)).toEqual([3]);
    model.close();
  });

  it('a command that cannot start is a clear error naming it', async () => {
    const model = new ExternalModel({ command: ['/nonexistent/pld-model-binary'], type: 'regressor', timeout_ms: 2000 });
    const error = await model.fit(frame(1), Float64Array.of(1)).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('PLD_ERR_ESTIMATOR_EXTERNAL');
    expect((error as Error).message).toMatch(/\/nonexistent\/pld-model-binary.*cannot be started.*ENOENT/);
  });

  it('a bad command param is PLD_ERR_ESTIMATOR_INVALID_PARAM naming `command`', async () => {
    const error = await new ExternalModel({ command: 'python3 model.py' as unknown as string[] }).fit(frame(1), Float64Array.of(1)).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('PLD_ERR_ESTIMATOR_INVALID_PARAM');
    expect((error as Error).message).toContain('command');
  });
});
