import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFilePersister, fileLayout } from '../../src/persistence/file.js';
import { testPersister } from './persister.js';

testPersister('File', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pld-file-contract-'));
  const layout = fileLayout(join(dir, 'model-{version}'));
  return {
    persister: createFilePersister({ path: 'model-{version}' }, { baseDir: dir }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
    corrupt: async (version) => {
      const bytes = await readFile(layout.artifact(String(version)));
      bytes[bytes.length >> 1] ^= 0xff;
      await writeFile(layout.artifact(String(version)), bytes);
    },
  };
});
