import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReference, ERROR_CODES } from '../../dist/index.js';
import { copyExample, PLD_BIN, pld } from './helpers.js';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const REFERENCE = cliReference();

describe('pld --json, colour and exit codes', () => {
  it('offers --json on every command a machine reads, and it prints JSON', { timeout: 120_000 }, () => {
    for (const command of [
      'fit',
      'test',
      'list',
      'grid-search',
      'version',
      'config',
      'admin activate',
      'admin delete',
      'admin rollback',
      'export',
      'upgrade',
      'init',
      'migrate-config',
      'dockerize',
      'k8s',
    ]) {
      const section = REFERENCE.split(/^### /m).find((text) => text.startsWith(`\`pld ${command}\``));
      expect(section, command).toMatch(/--json/);
    }
    const dir = copyExample();
    expect(JSON.parse(pld(dir, ['version', '--json']).stdout)).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), node: process.versions.node });
    expect(pld(dir, ['fit']).status).toBe(0);
    expect(pld(dir, ['fit', '--no-activate']).status).toBe(0);
    const activated = pld(dir, ['admin', 'activate', '2', '--json']);
    expect(activated.status, activated.stderr).toBe(0);
    expect(JSON.parse(activated.stdout)).toEqual({ activated: 2 });
    const deleted = pld(dir, ['admin', 'delete', '1', '--json']);
    expect(JSON.parse(deleted.stdout)).toEqual({ deleted: 1 });
    const missing = pld(dir, ['admin', 'delete', '7', '--json']);
    expect(missing.status).toBe(6);
    expect(JSON.parse(missing.stdout).error.code).toBe('PLD_ERR_PERSIST_VERSION_NOT_FOUND');
  });

  it('exits with the code docs/reference/cli.md gives for each failure', { timeout: 120_000 }, () => {
    const dir = copyExample();
    const doc = readFileSync(new URL('../../docs/reference/cli.md', import.meta.url), 'utf8');
    const failures: [string[], number][] = [
      [['nope'], 2],
      [['fit', '--config', 'missing.json'], 3],
      [['test'], 6],
    ];
    for (const [args, exit] of failures) {
      const run = pld(dir, args);
      const code = /ERROR (PLD_ERR_[A-Z_]+):/.exec(run.stderr)?.[1] as keyof typeof ERROR_CODES;
      expect(run.status, `${args.join(' ')}: ${run.stderr}`).toBe(exit);
      expect(ERROR_CODES[code].exit).toBe(exit);
      const row = doc.split('\n').find((line) => line.startsWith(`| ${exit} |`));
      expect(row, `exit ${exit} row`).toContain(`\`${code}\``);
    }
  });

  it(`colours errors only on a terminal and never with NO_COLOR${has('script') ? '' : ' (skipped: util-linux script (a pseudo-terminal) is not installed)'}`, {
    skip: !has('script'),
    timeout: 120_000,
  }, () => {
    const dir = copyExample();
    const inTerminal = (env: NodeJS.ProcessEnv) =>
      spawnSync('script', ['-qec', `${process.execPath} ${PLD_BIN} fit --config missing.json`, '/dev/null'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: undefined, ...env },
      }).stdout;
    expect(inTerminal({})).toContain('\u001b[31mERROR\u001b[0m PLD_ERR_CONFIG_NOT_FOUND');
    const noColor = inTerminal({ NO_COLOR: '1' });
    expect(noColor).toContain('ERROR PLD_ERR_CONFIG_NOT_FOUND');
    expect(noColor).not.toContain('\u001b[');
    const piped = spawnSync(process.execPath, [PLD_BIN, 'fit', '--config', 'missing.json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: undefined } });
    expect(piped.stderr).toContain('ERROR PLD_ERR_CONFIG_NOT_FOUND');
    expect(piped.stderr).not.toContain('\u001b[');
  });
});
