/** Log levels, Palladium's names. */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/**
 * Where commands and the server report progress. Commands never print; the CLI gives them a logger
 * that writes Palladium-style lines (`INFO:palladium:Loading data...`) to stderr.
 * @example
 * const log = createLogger((line) => process.stderr.write(`${line}\n`), 'INFO');
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /**
   * Optional capability: a message with structured fields (request id, route, status...). JSON loggers
   * write the fields as keys of the line; callers fall back to a text line when a logger lacks it.
   */
  fields?(level: LogLevel, message: string, fields: Readonly<Record<string, unknown>>): void;
}

const _ORDER: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40 };

/**
 * A logger writing `LEVEL:palladium:message` lines at or above `level`, as Palladium's default
 * logging does.
 * @example
 * createLogger(console.error, 'DEBUG').info('Loading data...');
 */
export function createLogger(write: (line: string) => void, level: LogLevel = 'INFO', name = 'palladium'): Logger {
  const emit = (at: LogLevel) => (message: string) => {
    if (_ORDER[at] >= _ORDER[level]) write(`${at}:${name}:${message}`);
  };
  return { debug: emit('DEBUG'), info: emit('INFO'), warn: emit('WARNING'), error: emit('ERROR') };
}

/**
 * A logger writing one JSON object per line (`{"time","level","name","msg",...fields}`), for log
 * collectors (`pld serve --log-format json`).
 * @example
 * createJsonLogger((line) => process.stderr.write(`${line}\n`)).fields?.('INFO', 'request', { status: 200 });
 */
export function createJsonLogger(write: (line: string) => void, level: LogLevel = 'INFO', name = 'palladium'): Logger {
  const line = (at: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => {
    if (_ORDER[at] >= _ORDER[level]) write(JSON.stringify({ time: new Date().toISOString(), level: at, name, msg: message, ...fields }));
  };
  return {
    debug: (message) => line('DEBUG', message),
    info: (message) => line('INFO', message),
    warn: (message) => line('WARNING', message),
    error: (message) => line('ERROR', message),
    fields: line,
  };
}

/** A logger that drops everything (package API default, tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Runs `work` between `<label>...` and `<label> done in 0.004 sec.` log lines, Palladium's timing style.
 * @example
 * const data = await timed(log, 'Loading data', () => loader.load());
 */
export async function timed<T>(log: Logger, label: string, work: () => T | Promise<T>): Promise<T> {
  log.info(`${label}...`);
  const start = performance.now();
  const result = await work();
  log.info(`${label} done in ${((performance.now() - start) / 1000).toFixed(3)} sec.`);
  return result;
}
