import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateConfigFiles } from './locate.js';

function project(files: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-locate-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), '{}');
  }
  return dir;
}

describe('locateConfigFiles', () => {
  it('takes a comma-separated list, trimming names, relative to cwd; --config wins over PALLADIUM_CONFIG', () => {
    const cwd = project(['a.json', 'b.yaml', 'c.json']);
    expect(locateConfigFiles({ explicit: ' a.json , b.yaml', env: 'c.json', cwd })).toEqual([path.join(cwd, 'a.json'), path.join(cwd, 'b.yaml')]);
    expect(locateConfigFiles({ env: 'c.json', cwd })).toEqual([path.join(cwd, 'c.json')]);
  });

  it('prefers palladium-config.* over config.*, and the cwd over etc/', () => {
    expect(locateConfigFiles({ cwd: project(['config.json', 'palladium-config.yaml']) })[0]).toMatch(/palladium-config\.yaml$/);
    expect(locateConfigFiles({ cwd: project(['etc/palladium-config.py']) })[0]).toMatch(/etc\/palladium-config\.py$/);
    expect(locateConfigFiles({ cwd: project(['config.yaml', 'etc/palladium-config.json']) })[0]).toMatch(/\/config\.yaml$/);
  });

  it('names the missing file and where the name came from', () => {
    const cwd = project([]);
    expect(() => locateConfigFiles({ env: 'nope.json', cwd })).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_CONFIG_NOT_FOUND', message: expect.stringContaining('nope.json') }),
    );
    expect(() => locateConfigFiles({ cwd })).toThrow(/PALLADIUM_CONFIG/);
  });
});
