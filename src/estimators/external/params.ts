import { z } from 'zod';

/**
 * Parameters of {@link ExternalModel}: the command to start, what kind of model it is, the
 * per-request timeout, and the extra time the first request to a freshly started process gets
 * (`start_timeout_ms`, for the interpreter to start and import its libraries). `params` go to the process with `fit`, as its hyper-parameters.
 * @example
 * externalModelParams.parse({ command: ['python3', 'model.py'] }).timeout_ms; // 30000
 */
export const externalModelParams = z
  .object({
    command: z
      .array(z.string().min(1), { error: 'must be a list: the program and its arguments, e.g. ["python3", "model.py"]' })
      .min(1, { error: 'must name at least the program to run' }),
    type: z.enum(['classifier', 'regressor'], { error: "must be 'classifier' or 'regressor'" }).default('classifier'),
    timeout_ms: z.int({ error: 'must be a whole number of milliseconds > 0' }).positive({ error: 'must be a whole number of milliseconds > 0' }).default(30_000),
    start_timeout_ms: z.int({ error: 'must be a whole number of milliseconds >= 0' }).min(0, { error: 'must be a whole number of milliseconds >= 0' }).default(10_000),
    cwd: z.string({ error: 'must be a folder path' }).nullable().default(null),
    env: z.record(z.string(), z.string(), { error: 'must map variable names to string values' }).default({}),
    params: z.record(z.string(), z.unknown(), { error: 'must be an object of hyper-parameters for the external model' }).default({}),
  })
  .strict();

/**
 * Parsed parameters of {@link ExternalModel}.
 * @example
 * const params: ExternalModelParams = externalModelParams.parse({ command: ['Rscript', 'model.R'] });
 */
export type ExternalModelParams = z.infer<typeof externalModelParams>;
