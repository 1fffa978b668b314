import { z } from 'zod';
import type { ComponentDefinition } from '../../config/registry.js';
import type { Hook } from './types.js';

/** `RequestLogger` parameters. */
export const requestLoggerParams = z
  .object({
    /** Log level of the line. */
    level: z.enum(['DEBUG', 'INFO', 'WARNING']).default('INFO'),
    /** Also log who made the request, when an auth hook listed earlier identified them. */
    subject: z.boolean().default(true),
  })
  .strict();

/**
 * A hook that logs one line per request once the response is sent:
 * `POST /predict 200 1.3 ms list=predict_decorators user=alice`. List it after an auth hook to log the
 * user, or first to log refused requests too.
 * @example
 * const hook = requestLogger({ level: 'INFO' });
 */
export function requestLogger(options: z.input<typeof requestLoggerParams> = {}): Hook {
  const { level, subject } = requestLoggerParams.parse(options);
  return (request, reply, context) => {
    const write = level === 'DEBUG' ? context.log.debug : level === 'WARNING' ? context.log.warn : context.log.info;
    // 'finish' fires once the response is handed to the socket, so the status is the final one.
    reply.raw.once('finish', () => {
      const who = subject && request.pldAuth !== undefined ? ` user=${request.pldAuth.subject}` : '';
      write(`${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms list=${context.listName}${who}`);
    });
  };
}

/** Registry entry for {@link requestLogger}. */
export const requestLoggerDefinition: ComponentDefinition = {
  name: 'RequestLogger',
  kind: 'hook',
  params: requestLoggerParams,
  create: (params) => requestLogger(params),
  summary: 'Logs method, URL, status, time and user of each request',
};
