import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CreateContext, Registry } from '../../config/registry.js';
import { isDatasetLoader } from '../types.js';
import { builtinLoaders } from './builtins.js';
import { EmptyDatasetLoader, InMemoryLoader } from './memory.js';
import type { TableLoader } from './table.js';

const dir = mkdtempSync(join(tmpdir(), 'pld-builtins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const registry = new Registry();
for (const definition of builtinLoaders) registry.register(definition);
const ctx: CreateContext = { baseDir: dir, file: join(dir, 'config.json'), keyPath: 'dataset_loader_train', registry };

async function create(name: string, raw: unknown): Promise<unknown> {
  const definition = registry.get(name);
  if (!definition) throw new Error(`no ${name}`);
  return definition.create(definition.params.parse(raw), ctx);
}

describe('builtinLoaders', () => {
  it('registers short names and Palladium aliases as loaders', () => {
    expect(registry.get('palladium.dataset.CSV')?.name).toBe('CSV');
    expect(registry.get('palladium.dataset.Table')?.name).toBe('Table');
    expect(registry.get('palladium.dataset.EmptyDatasetLoader')?.name).toBe('EmptyDatasetLoader');
    expect(registry.get('InMemory')?.name).toBe('InMemory');
    expect(registry.list('loader').map((d) => d.name)).toEqual(expect.arrayContaining(['CSV', 'Table', 'InMemory', 'EmptyDatasetLoader']));
    expect(registry.get('palladium.dataset.SQL')?.name).toBe('SQL');
    expect(registry.get('palladium.dataset.ScheduledDatasetLoader')?.name).toBe('ScheduledDatasetLoader');
  });

  it("gives CSV ',' and Table a tab as the default separator", async () => {
    writeFileSync(join(dir, 'data.txt'), 'a\tb,c\n1\t2,3\n');
    const table = (await create('palladium.dataset.Table', { path: 'data.txt' })) as TableLoader;
    expect((await table.load()).X.columns).toEqual(['a', 'b,c']);
    const csv = (await create('CSV', { path: 'data.txt' })) as TableLoader;
    expect((await csv.load()).X.columns).toEqual(['a\tb', 'c']);
  });

  it('creates instances that map back to their definitions', async () => {
    const memory = await create('InMemory', { data: { a: [1] } });
    const empty = await create('EmptyDatasetLoader', {});
    expect(memory).toBeInstanceOf(InMemoryLoader);
    expect(empty).toBeInstanceOf(EmptyDatasetLoader);
    expect(isDatasetLoader(memory) && isDatasetLoader(empty)).toBe(true);
    expect(registry.definitionOf(empty as object)?.name).toBe('EmptyDatasetLoader');
  });
});
