import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromObject, createRegistry, isEstimator } from '../index.js';

// A user reference (`./file.ts#Export`, `package#Export`) that cannot be loaded fails at load time
// with PLD_ERR_CONFIG_USER_MODULE, naming the config file, the key and the module.
describe('user module references that cannot be loaded', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-user-module-'));
  writeFileSync(path.join(dir, 'broken.mjs'), 'export const Model = ;\n');
  const build = (factory: string) => configFromObject({ model: { __factory__: factory } }, createRegistry(), dir).component('model', 'estimator', isEstimator);
  const failure = (text: string | RegExp) =>
    expect.objectContaining({ code: 'PLD_ERR_CONFIG_USER_MODULE', message: typeof text === 'string' ? expect.stringContaining(text) : expect.stringMatching(text) });

  it('names a missing module file with the path it resolved to', async () => {
    await expect(build('./models/missing.ts#Model')).rejects.toThrow(
      failure(`model.__factory__: module '${path.join(dir, 'models', 'missing.ts')}' (from './models/missing.ts#Model') does not exist`),
    );
  });

  it('names a package that cannot be resolved from the config folder', async () => {
    await expect(build('no-such-package-pld#Model')).rejects.toThrow(failure(`model.__factory__: package 'no-such-package-pld' cannot be resolved from ${dir}`));
  });

  it('reports a module that fails to import, with the cause', async () => {
    await expect(build('./broken.mjs#Model')).rejects.toThrow(failure(/model\.__factory__: importing '\.\/broken\.mjs#Model' failed: .+/));
  });
});
