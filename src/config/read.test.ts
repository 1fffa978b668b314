import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from './read.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pld-read-'));
function file(name: string, text: string): string {
  const target = path.join(dir, name);
  writeFileSync(target, text);
  return target;
}
const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('readConfigFile', () => {
  it('reads JSON and YAML into the same data', async () => {
    const json = await readConfigFile(file('a.json', '{"model": {"!": "T", "x": [1, 2]}}'));
    const yaml = await readConfigFile(file('a.yaml', 'model:\n  "!": T\n  x: [1, 2]\n'));
    expect(yaml).toEqual(json);
  });

  it('names file, line and column of a JSON syntax error', async () => {
    await expect(readConfigFile(file('bad.json', '{\n  "a": 1,\n  "b": }\n'))).rejects.toMatchObject({
      code: 'PLD_ERR_CONFIG_PARSE',
      message: expect.stringMatching(/bad\.json: invalid JSON \(line 3, column \d+\)/),
    });
  });

  it('names file and line of a YAML syntax error', async () => {
    await expect(readConfigFile(file('bad.yaml', 'a: 1\nb: [1, 2\n'))).rejects.toMatchObject({
      code: 'PLD_ERR_CONFIG_PARSE',
      message: expect.stringMatching(/bad\.yaml: invalid YAML/),
    });
  });

  it('loads a TypeScript default export, also a function returning the config', async () => {
    expect(await readConfigFile(file('a.ts', 'const n: number = 3;\nexport default { model: { __factory__: "T", n } };\n'))).toEqual({ model: { __factory__: 'T', n: 3 } });
    expect(await readConfigFile(file('b.mjs', 'export default async () => ({ k: 1 });\n'))).toEqual({ k: 1 });
  });

  it('refuses a config that is not an object, and unknown extensions', async () => {
    await expect(readConfigFile(file('list.json', '[1]'))).rejects.toThrow(/must be an object of top-level keys, got a list/);
    await expect(readConfigFile(file('a.toml', 'x=1'))).rejects.toThrow(/unknown config file type '.toml'/);
  });

  it.skipIf(!hasPython)("evaluates Palladium's config.py with environ and here (needs python3)", async () => {
    process.env.PLD_TEST_VALUE = 'from-env';
    const config = await readConfigFile(file('palladium-config.py', "{'a': environ['PLD_TEST_VALUE'], 'b': '{}/x.data'.format(here), 'c': ('t', 1), 'd': None}"));
    expect(config).toEqual({ a: 'from-env', b: `${dir}/x.data`, c: ['t', 1], d: null });
  });

  it.skipIf(!hasPython)('rejects non-literal Python values with a clear error (needs python3)', async () => {
    await expect(readConfigFile(file('lambda.py', "{'f': lambda x: x}"))).rejects.toMatchObject({
      code: 'PLD_ERR_CONFIG_PYTHON',
      message: expect.stringMatching(/is not a literal/),
    });
  });

  it('says python3 is missing when it is', async () => {
    const saved = process.env.PALLADIUM_PYTHON;
    process.env.PALLADIUM_PYTHON = 'python3-that-does-not-exist';
    try {
      await expect(readConfigFile(file('c.py', '{}'))).rejects.toMatchObject({ code: 'PLD_ERR_CONFIG_PYTHON', message: expect.stringMatching(/not installed or not on PATH/) });
    } finally {
      if (saved === undefined) delete process.env.PALLADIUM_PYTHON;
      else process.env.PALLADIUM_PYTHON = saved;
    }
  });
});
