import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { PLD_BIN } from './helpers.js';

/** A long-running `pld` (or other) child whose output is collected. */
export interface Child {
  readonly process: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in output appearing after `from` (default 0). */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited(): Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `command args` in `cwd`, collecting its output. */
export function startChild(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    waitFor(pattern, timeoutMs = 20_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(output.slice(from));
          if (match === null) return false;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern} in:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        check();
        void exit.then(() => {
          if (listeners.has(check) && !check()) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`exited before ${pattern} appeared:\n${output}`));
          }
        });
      });
    },
    exited: () => exit,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}

/** Starts the built `pld <args>` in `cwd` with `PALLADIUM_CONFIG=config.json`. */
export function startPld(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  return startChild(process.execPath, [PLD_BIN, ...args], cwd, { PALLADIUM_CONFIG: 'config.json', ...env });
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
