import { describe, expect, it } from 'vitest';
import { cliReference, ERROR_CODES, runCli } from '../index.js';

function capture() {
  let stdout = '';
  let stderr = '';
  return { out: { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text), color: false }, text: () => ({ stdout, stderr }) };
}

describe('cliReference (the source of docs/reference/cli.md)', () => {
  it('has a help section for pld and every subcommand, and lists every error code under its exit code', () => {
    const reference = cliReference();
    for (const command of ['pld', 'pld fit', 'pld serve', 'pld admin activate', 'pld worker']) expect(reference).toContain(`### \`${command}\`\n\n\`\`\`\nUsage: ${command}`);
    expect(reference).not.toContain('### `pld help`');
    expect(reference).toContain('## Exit codes');
    for (const [code, info] of Object.entries(ERROR_CODES)) expect(reference).toMatch(new RegExp(`^\\| ${info.exit} \\|.*\`${code}\``, 'm'));
  });
});

describe('runCli', () => {
  it('rejects an unknown --log-level before loading any config, with a usage exit', async () => {
    const { out, text } = capture();
    const code = await runCli(['--log-level', 'LOUD', 'list', '--config', 'does-not-exist.json'], out);
    expect(code).toBe(ERROR_CODES.PLD_ERR_CLI_USAGE.exit);
    expect(text().stderr).toContain("PLD_ERR_CLI_USAGE: --log-level must be DEBUG, INFO, WARNING or ERROR, got 'LOUD'");
  });
});
