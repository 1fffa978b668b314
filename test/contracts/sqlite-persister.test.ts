import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createDatabasePersister, databasePersisterParams } from '../../src/persistence/database.js';
import { testPersister } from './persister.js';

// 64-byte chunks: the sample artifact spans several rows, so chunk order and reassembly are exercised.
testPersister('Database (SQLite file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pld-sqlite-contract-'));
  const file = join(dir, 'models.db');
  return {
    persister: createDatabasePersister(databasePersisterParams.parse({ url: `sqlite:${file}`, chunk_size: 64, table_postfix: 'c' })),
    cleanup: () => rm(dir, { recursive: true, force: true }),
    corrupt: async (version) => {
      const db = new Database(file);
      try {
        const row = db.prepare('SELECT bytes FROM model_chunks_c WHERE model_version = ? AND chunk_no = 1').get(version) as { bytes: Buffer };
        row.bytes[10] ^= 0xff;
        db.prepare('UPDATE model_chunks_c SET bytes = ? WHERE model_version = ? AND chunk_no = 1').run(row.bytes, version);
      } finally {
        db.close();
      }
    },
  };
});

testPersister('Database (SQLite in memory)', async () => ({
  persister: createDatabasePersister(databasePersisterParams.parse({ url: 'sqlite::memory:', chunk_size: 100 })),
}));
