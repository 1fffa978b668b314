import type { FastifyError } from 'fastify';
import { PldError, toPldError, type ErrorCode } from '../errors.js';
import type { ResponseMetadata } from '../service/predict-service.js';

/** The JSON body of every error outside a PredictService: Palladium's `metadata` shape. */
export function errorBody(error: PldError, serviceMetadata: Readonly<Record<string, unknown>> = {}): { metadata: ResponseMetadata } {
  return { metadata: { ...serviceMetadata, status: 'ERROR', error_code: error.number, error_message: error.message, error_type: error.code } };
}

/**
 * Maps what fastify throws before a handler runs (bad JSON, wrong content type, body too large) and
 * anything unexpected to a PldError, so no request ever gets an HTML page or a stack trace.
 */
export function fromFastifyError(error: unknown, bodyLimit?: number): PldError {
  const code = (error as FastifyError | undefined)?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = bodyLimit === undefined ? 'server.body_limit' : `server.body_limit (${bodyLimit} bytes)`;
    return new PldError('PLD_ERR_SERVER_BODY_TOO_LARGE', `The request body is larger than ${limit}`, { cause: error });
  }
  const mapped: Record<string, [ErrorCode, string]> = {
    FST_ERR_CTP_INVALID_JSON_BODY: ['PLD_ERR_PREDICT_BAD_INPUT', 'The request body is not valid JSON'],
    FST_ERR_CTP_EMPTY_JSON_BODY: ['PLD_ERR_PREDICT_BAD_INPUT', 'The request body is empty; send a JSON list of objects'],
    FST_ERR_CTP_INVALID_MEDIA_TYPE: ['PLD_ERR_PREDICT_BAD_INPUT', 'Unsupported Content-Type; send application/json'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['PLD_ERR_PREDICT_BAD_INPUT', 'The Content-Length does not match the body'],
  };
  if (code !== undefined && code in mapped) {
    const [pldCode, message] = mapped[code];
    return new PldError(pldCode, `${message} (${(error as Error).message})`, { cause: error });
  }
  const status = (error as FastifyError | undefined)?.statusCode;
  if (status !== undefined && status >= 400 && status < 500) return new PldError('PLD_ERR_PREDICT_BAD_INPUT', `Bad request: ${(error as Error).message}`, { cause: error });
  if (error instanceof SyntaxError) return new PldError('PLD_ERR_PREDICT_BAD_INPUT', `The request body is not valid JSON (${error.message})`, { cause: error });
  return toPldError(error);
}
