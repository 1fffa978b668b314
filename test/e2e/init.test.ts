import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PLD_BIN, pld } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('pld init', () => {
  it.each(['iris', 'regression', 'custom-estimator', 'onnx'])('scaffolds %s; its own test fits, tests and serves it', (template) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'pld-init-'));
    const created = pld(cwd, ['init', template, 'svc']);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain('config.json');
    const dir = path.join(cwd, 'svc');
    // What `npm install` gives a real project: palladium-ts in node_modules.
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(ROOT, path.join(dir, 'node_modules', 'palladium-ts'));
    const smoke = spawnSync(process.execPath, ['--test', 'test/'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PLD_BIN, PALLADIUM_CONFIG: '' } });
    expect(smoke.status, `${smoke.stdout}\n${smoke.stderr}`).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toHaveProperty('palladium-ts');
  });

  it('refuses to overwrite files and names them; rejects unknown templates', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'pld-init-'));
    mkdirSync(path.join(cwd, 'iris'));
    writeFileSync(path.join(cwd, 'iris', 'config.json'), '{"mine": true}');
    const refused = pld(cwd, ['init', 'iris']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/PLD_ERR_INIT_FILE_EXISTS: Not overwriting .*iris\/config\.json/);
    expect(readFileSync(path.join(cwd, 'iris', 'config.json'), 'utf8')).toBe('{"mine": true}');
    expect(pld(cwd, ['init', 'nope']).stderr).toMatch(/Unknown template 'nope'; the templates are custom-estimator, iris, onnx, regression/);
  });
});
