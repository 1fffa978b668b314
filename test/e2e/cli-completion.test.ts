import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliReference } from '../../dist/index.js';
import { pld } from './helpers.js';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const REFERENCE = cliReference();
/** Every command path in the tree (`fit`, `admin activate`...), read from the generated reference. */
const COMMANDS = [...REFERENCE.matchAll(/^### `pld ?(.*)`$/gm)].map((match) => match[1]).filter((name) => name !== '');

describe('pld completion and help', () => {
  const script = (shell: string) => {
    const run = pld(tmpdir(), ['completion', shell]);
    expect(run.status, run.stderr).toBe(0);
    return run.stdout;
  };

  it(`completes commands, subcommands, aliases and flags in bash${has('bash') ? '' : ' (skipped: bash is not installed)'}`, { skip: !has('bash') }, () => {
    const file = path.join(tmpdir(), `pld-completion-${process.pid}.bash`);
    writeFileSync(file, script('bash'));
    const complete = (line: string) => {
      const words = line.split(' ');
      const probe = `source ${file}; COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _pld_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const run = spawnSync('bash', ['-c', probe], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout
        .trim()
        .split('\n')
        .filter((word) => word !== '');
    };
    expect(complete('pld gr')).toEqual(['grid-search']);
    expect(complete('pld mi')).toEqual(['migrate-config']);
    expect(complete('pld admin ')).toEqual(expect.arrayContaining(['activate', 'delete', 'rollback']));
    expect(complete('pld fit --e')).toEqual(['--evaluate']);
    expect(complete('pld --config a.json test --model-')).toEqual(['--model-version']);
    expect(complete('pld --config a.json test --model')).toEqual(['--model-version', '--model']);
    expect(complete('pld devserver --log-r')).toEqual(['--log-requests']);
    expect(complete('pld admin delete --f')).toEqual(['--force']);
    const shells = complete('pld completion ');
    expect(shells.slice(0, 3)).toEqual(['bash', 'zsh', 'fish']);
    expect(shells).toEqual(expect.arrayContaining(['--help', '--config', '--log-level']));
    // After a flag that takes a value the script offers nothing, so bash falls back to file names.
    expect(complete('pld test --report ')).toEqual([]);
  });

  it.each(['zsh', 'fish'])('writes a %s script naming every command and flag', (shell) => {
    const text = script(shell);
    for (const command of COMMANDS) expect(text).toContain(command.split(' ').pop());
    for (const flag of ['--evaluate', '--save-if-better-than', '--persist-best', '--keep-aliases', '--log-level'])
      expect(text).toContain(shell === 'fish' ? `-l ${flag.slice(2)}` : `'${flag}:`);
    if (!has(shell)) return; // Only the syntax check needs the shell itself.
    const check = spawnSync(shell, ['-n', '-c', text], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });

  it('rejects other shells with a usage error', () => {
    const run = pld(tmpdir(), ['completion', 'powershell']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/PLD_ERR_CLI_USAGE: .*powershell.*bash, zsh, fish/);
  });

  it("shows Examples: in every command's help, from the examples data", () => {
    const sections = REFERENCE.split(/^### /m).slice(1);
    expect(sections.length).toBe(COMMANDS.length + 1);
    for (const section of sections) expect(section, section.split('\n')[0]).toMatch(/\nExamples:\n {2}\S/);
    const help = pld(tmpdir(), ['fit', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n {2}pld fit --evaluate\n/);
  });
});
