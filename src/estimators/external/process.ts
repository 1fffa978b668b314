import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PldError } from '../../errors.js';

/** How to start an external model process. */
export interface ProcessOptions {
  readonly command: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Extra time the first request to a fresh process gets, for the interpreter to start and import. */
  readonly startGraceMs?: number;
}

interface Pending {
  readonly op: string;
  resolve(result: Record<string, unknown>): void;
  reject(error: Error): void;
  readonly timer: NodeJS.Timeout;
}

/** Bytes of stderr kept for error messages: enough for a traceback's last lines. */
const _STDERR_TAIL = 4096;

/** Live children, ended when this process exits so none outlives a `pld` run or a server. */
const _live = new Set<ChildProcessWithoutNullStreams>();
let _exitHook = false;

/**
 * One warm external model process speaking the JSON-lines protocol (docs/external-models.md): each
 * request is a line `{"id","op",...}`, each answer a line `{"id","result"}` or `{"id","error"}`.
 * The process starts on the first request and is started again on the next request after it died;
 * `generation` counts starts, so callers know when state must be loaded again. A timeout kills the
 * process (a hung model cannot be trusted with the next request) and fails that request only.
 * @example
 * const proc = new ExternalProcess({ command: ['python3', 'model.py'] });
 * const { predictions } = await proc.request('predict', { X }, 5000);
 */
export class ExternalProcess {
  readonly #options: ProcessOptions;
  #child: ChildProcessWithoutNullStreams | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #stderr = '';
  #generation = 0;
  /** Whether the running process has answered anything yet (until then, requests get the start grace). */
  #warm = false;

  constructor(options: ProcessOptions) {
    this.#options = options;
  }

  /** How many times the process was started; changes when a dead process is replaced. */
  get generation(): number {
    return this.#generation;
  }

  /** The command as one string, for messages. */
  get commandLine(): string {
    return this.#options.command.join(' ');
  }

  /** Whether a process is running now. */
  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Starts the process now unless it runs already; requests do this on their own. */
  ensureStarted(): void {
    if (this.#child === undefined) this.#start();
  }

  /** Sends one request and waits for its answer, at most `timeoutMs`. */
  request(op: string, payload: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
    this.ensureStarted();
    const child = this.#child as ChildProcessWithoutNullStreams;
    const id = this.#nextId++;
    const limit = timeoutMs + (this.#warm ? 0 : (this.#options.startGraceMs ?? 0));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(
          new PldError(
            'PLD_ERR_ESTIMATOR_EXTERNAL_TIMEOUT',
            `External model [${this.commandLine}] did not answer '${op}' within ${limit} ms; the process was killed and restarts on the next request`,
            {
              details: { command: this.#options.command, op, timeout_ms: limit },
            },
          ),
        );
        // Other requests in flight went to the same hung process: fail them now, not at their own timeouts.
        this.#failAll(`was killed after '${op}' timed out`);
        this.#kill(child);
      }, limit);
      this.#pending.set(id, { op, resolve, reject, timer });
      child.stdin.write(`${JSON.stringify({ id, op, ...payload })}\n`);
    });
  }

  /** Ends the process (pending requests fail); the next request starts a new one. */
  close(): void {
    if (this.#child !== undefined) this.#kill(this.#child);
  }

  #start(): void {
    const [file, ...args] = this.#options.command;
    const child = spawn(file, args, { cwd: this.#options.cwd, env: { ...process.env, ...this.#options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    this.#generation++;
    this.#warm = false;
    this.#stderr = '';
    _live.add(child);
    if (!_exitHook) {
      _exitHook = true;
      process.once('exit', () => {
        for (const live of _live) live.kill('SIGKILL');
      });
    }
    // Idle children must not keep `pld fit` or a test run alive; pending requests hold their timers.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    child.stdin.on('error', () => {
      // EPIPE after the child died: the 'exit' handler reports it with the exit code.
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-_STDERR_TAIL);
    });
    createInterface({ input: child.stdout }).on('line', (line) => this.#answer(line));
    child.on('error', (error) => this.#died(child, `cannot be started: ${error.message}`));
    child.on('exit', (code, signal) => this.#died(child, signal === null ? `exited with code ${code}` : `was killed by ${signal}`));
  }

  #answer(line: string): void {
    if (line.trim() === '') return;
    let message: { id?: unknown; result?: unknown; error?: unknown };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      // A stray print() in the model: everything on stdout must be protocol, so say so loudly.
      this.#failAll(`wrote a line that is not JSON to stdout (log to stderr instead): ${line.slice(0, 200)}`);
      return;
    }
    const pending = typeof message.id === 'number' ? this.#pending.get(message.id) : undefined;
    if (pending === undefined) return;
    this.#warm = true;
    this.#pending.delete(message.id as number);
    clearTimeout(pending.timer);
    if (message.error !== undefined && message.error !== null) {
      pending.reject(
        new PldError('PLD_ERR_ESTIMATOR_EXTERNAL', `External model [${this.commandLine}] failed '${pending.op}': ${String(message.error)}`, {
          details: { command: this.#options.command, op: pending.op },
        }),
      );
    } else pending.resolve((message.result ?? {}) as Record<string, unknown>);
  }

  #died(child: ChildProcessWithoutNullStreams, how: string): void {
    _live.delete(child);
    if (this.#child !== child) return;
    this.#child = undefined;
    this.#failAll(how);
  }

  #failAll(how: string): void {
    const stderr = this.#stderr.trim();
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(
        new PldError(
          'PLD_ERR_ESTIMATOR_EXTERNAL',
          `External model [${this.commandLine}] ${how} while answering '${pending.op}'${stderr ? `; stderr: ${stderr.slice(-1000)}` : ''}`,
          {
            details: { command: this.#options.command, op: pending.op },
          },
        ),
      );
    }
  }

  #kill(child: ChildProcessWithoutNullStreams): void {
    child.kill('SIGKILL');
    if (this.#child === child) this.#child = undefined;
    _live.delete(child);
  }
}
