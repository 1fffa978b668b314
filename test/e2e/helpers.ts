import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI; e2e tests run it the way a user does, so `npm test` builds first. */
export const PLD_BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../examples/iris/', import.meta.url));

if (!existsSync(PLD_BIN)) throw new Error(`${PLD_BIN} is missing: run npm run build first (npm test does)`);

/** A fresh copy of examples/iris (config.json and the data) in a temp folder. */
export function copyExample(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-e2e-'));
  for (const file of ['config.json', 'config.yaml', 'config.py', 'iris.data']) cpSync(path.join(EXAMPLE, file), path.join(dir, file));
  return dir;
}

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `pld <args>` (or a Palladium alias such as `pld-fit`) in `cwd`. */
export function pld(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; bin?: string } = {}): RunResult {
  const bin = options.bin === undefined ? PLD_BIN : _aliasOf(options.bin);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, env: { ...process.env, PALLADIUM_CONFIG: 'config.json', NO_COLOR: '1', ...options.env }, encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A running `pld serve` on a free port. */
export interface RunningServer {
  readonly url: string;
  readonly process: ChildProcess;
  readonly logs: () => string;
  stop(): Promise<number | null>;
}

/** Starts `pld serve --port 0 --host 127.0.0.1` (or `pld devserver`) and waits for its URL. */
export async function startServer(cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}, command: 'serve' | 'devserver' = 'serve'): Promise<RunningServer> {
  const child = spawn(process.execPath, [PLD_BIN, command, '--host', '127.0.0.1', '--port', '0', ...args], {
    cwd,
    env: { ...process.env, PALLADIUM_CONFIG: 'config.json', NO_COLOR: '1', ...env },
  });
  let logs = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs}`)), 20_000);
    child.stderr.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
      const match = /Serving on (http:\/\/[^\s"]+)/.exec(logs);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs}`)));
  });
  return {
    url,
    process: child,
    logs: () => logs,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

// npm installs each Palladium name as a link to bin.js; a link in a temp folder is the same thing.
function _aliasOf(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-bin-'));
  const link = path.join(dir, name);
  symlinkSync(PLD_BIN, link);
  return link;
}
