import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLD_BIN, type RunResult } from './helpers.js';

/** A child script that writes one large artifact through the built public API (for SIGKILL tests). */
export const LARGE_WRITER = fileURLToPath(new URL('./fixtures/write-large.mjs', import.meta.url));

/** Replaces `model_persister` in the copied example's config.json. */
export function usePersister(dir: string, persister: Record<string, unknown>): void {
  const file = path.join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  config.model_persister = persister;
  writeFileSync(file, JSON.stringify(config, null, 2));
}

/** Runs `pld <args>` without blocking, so several run at once. */
export function pldAsync(cwd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PLD_BIN, ...args], { cwd, env: { ...process.env, PALLADIUM_CONFIG: 'config.json', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** `pld <args>` with a hang guard: a run that does not end within `guardMs` is killed and reported as status -1. */
export function pldGuarded(cwd: string, args: string[], guardMs = 30_000): RunResult {
  const result = spawnSync(process.execPath, [PLD_BIN, ...args], {
    cwd,
    env: { ...process.env, PALLADIUM_CONFIG: 'config.json', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: guardMs,
    killSignal: 'SIGKILL',
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** What happened to one writer: killed mid-write, or it finished before the kill. */
export interface KillOutcome {
  readonly killedMidWrite: boolean;
}

/**
 * Starts the large writer on `persister` (config-style params), waits until it starts writing, then
 * SIGKILLs it after `delayMs`.
 */
export function killDuringWrite(cwd: string, persister: Record<string, unknown>, delayMs: number): Promise<KillOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LARGE_WRITER, JSON.stringify(persister)], { cwd });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const before = out;
      out += chunk.toString();
      if (!before.includes('writing') && out.includes('writing')) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`writer failed (${code}): ${err}`));
      else resolve({ killedMidWrite: signal === 'SIGKILL' && !out.includes('written') });
    });
  });
}
