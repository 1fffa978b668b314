import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PLD_BIN } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const JITI = path.join(ROOT, 'node_modules', '.bin', 'jiti');

/**
 * The docs' code samples, run. A fenced block preceded by a marker comment is a sample:
 * - `<!-- sample: setup <folder> [into <dir>] -->` (no block): copies a repository folder into the page's temp dir;
 * - `<!-- sample: file <name> -->`: writes the block to <name> (sources, configs, data the next samples use);
 * - `<!-- sample: run [cwd=<dir>] -->`: runs it: `sh` with bash (`npx pld` is the built CLI), `ts` with
 *   jiti against the built package, `json` through `pld config --validate`.
 * One temp dir per page, samples in page order; `palladium-ts` resolves to this repository.
 */
interface Sample {
  readonly action: 'setup' | 'file' | 'run';
  readonly argument: string;
  readonly lang?: string;
  readonly code?: string;
  readonly line: number;
}

/** Pages whose every ts/json/sh block must be a sample (a `file` or a `run`). */
const FULLY_RUN = ['extending.md'];
const PAGES = ['tutorial.md', 'extending.md'];

for (const page of PAGES) {
  const text = readFileSync(path.join(ROOT, 'docs', page), 'utf8');
  const samples = _samples(text);
  // Each runnable sample is a test; the files and setups before it are written first, in page order.
  describe(`code samples in docs/${page} run`, () => {
    const dir = _workspace();
    let done = 0;
    const upTo = (index: number) => {
      for (; done < index; done++) _prepare(samples[done], dir);
    };

    it('has runnable samples (and, where required, no unmarked ts/json/sh block)', () => {
      expect(samples.filter((sample) => sample.action === 'run').length, `${page} has no runnable sample`).toBeGreaterThan(0);
      if (!FULLY_RUN.includes(page)) return;
      const blocks = [...text.matchAll(/^```(ts|json|sh)\n/gm)].length;
      const marked = samples.filter((sample) => ['ts', 'json', 'sh'].includes(sample.lang ?? '')).length;
      expect(marked, `every ts/json/sh block in ${page} is a sample`).toBe(blocks);
    });

    samples.forEach((sample, index) => {
      if (sample.action !== 'run') return;
      it(`line ${sample.line} (${sample.lang})`, { timeout: 120_000 }, () => {
        upTo(index);
        done = index + 1;
        const cwd = path.join(dir, /cwd=(\S+)/.exec(sample.argument)?.[1] ?? '.');
        const result = _run(sample, dir, cwd, index);
        expect(result.status, `docs/${page}:${sample.line} failed:\n${sample.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`).toBe(0);
      });
    });
  });
}

function _prepare(sample: Sample, dir: string): void {
  if (sample.action === 'setup') {
    const [from, , into = '.'] = sample.argument.split(' ');
    cpSync(path.join(ROOT, from), path.join(dir, into), { recursive: true });
  } else if (sample.action === 'file') {
    mkdirSync(path.dirname(path.join(dir, sample.argument)), { recursive: true });
    writeFileSync(path.join(dir, sample.argument), sample.code ?? '');
  }
}

function _samples(text: string): Sample[] {
  const samples: Sample[] = [];
  const marker = /<!-- sample: (setup|file|run)\s*(.*?)\s*-->\n(?:\n?```(\w+)\n([\s\S]*?)^```$)?/gm;
  for (const match of text.matchAll(marker)) {
    const line = text.slice(0, match.index).split('\n').length;
    const action = match[1] as Sample['action'];
    if (action !== 'setup' && match[4] === undefined) throw new Error(`sample marker at line ${line} is not followed by a fenced block`);
    samples.push({ action, argument: match[2], lang: match[3], code: match[4], line });
  }
  return samples;
}

// A temp project: palladium-ts in node_modules (as `npm install` leaves it) and `pld`/`npx` on PATH.
function _workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-docs-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(ROOT, path.join(dir, 'node_modules', 'palladium-ts'));
  const bin = path.join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'pld'), `#!/bin/sh\nexec "${process.execPath}" "${PLD_BIN}" "$@"\n`);
  writeFileSync(path.join(bin, 'npx'), '#!/bin/sh\nexec "$@"\n');
  chmodSync(path.join(bin, 'pld'), 0o755);
  chmodSync(path.join(bin, 'npx'), 0o755);
  return dir;
}

function _run(sample: Sample, workspace: string, cwd: string, index: number): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, PATH: `${path.join(workspace, '.bin')}${path.delimiter}${process.env.PATH}`, PALLADIUM_CONFIG: '', NO_COLOR: '1' };
  const options = { cwd, env, encoding: 'utf8' as const, timeout: 60_000 };
  if (sample.lang === 'sh') return spawnSync('bash', ['-euo', 'pipefail', '-c', sample.code ?? ''], options);
  if (sample.lang === 'ts') {
    const file = path.join(cwd, `.sample-${index}.ts`);
    writeFileSync(file, sample.code ?? '');
    return spawnSync(process.execPath, [JITI, file], options);
  }
  if (sample.lang === 'json') {
    const file = path.join(cwd, `.sample-${index}.json`);
    writeFileSync(file, sample.code ?? '');
    return spawnSync(process.execPath, [PLD_BIN, 'config', '--validate', '--config', file], options);
  }
  throw new Error(`cannot run a '${sample.lang}' sample`);
}
