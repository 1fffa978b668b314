import { createDatabasePersister, databasePersisterParams } from '../../src/persistence/database.js';
import { dropSchema, freshSchema, PG_URL, pgQuery } from './pg-helpers.js';
import { testPersister } from './persister.js';

// Each test gets its own schema (dropped afterwards) and 64-byte chunks, so artifacts span several rows.
testPersister('Database (PostgreSQL)', async () => {
  const schema = freshSchema();
  return {
    persister: createDatabasePersister(databasePersisterParams.parse({ url: PG_URL, schema, chunk_size: 64 })),
    cleanup: () => dropSchema(schema),
    corrupt: async (version) => {
      await pgQuery(`UPDATE "${schema}".model_chunks SET bytes = overlay(bytes placing '\\xff'::bytea from 5 for 1) WHERE model_version = $1 AND chunk_no = 1`, [version]);
    },
  };
});
