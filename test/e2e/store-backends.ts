import { dropSchema, freshSchema, PG_URL } from '../contracts/pg-helpers.js';

/** Fresh PostgreSQL schemas made by {@link STORE_BACKENDS}; drop them with {@link dropStoreSchemas}. */
const schemas: string[] = [];

/** Drops every schema the backends made. */
export async function dropStoreSchemas(): Promise<void> {
  for (const schema of schemas.splice(0)) await dropSchema(schema);
}

// Small chunks so every artifact spans several rows; a fresh PostgreSQL schema per test.
/** The model_persister configs the store e2e tests run on. */
export const STORE_BACKENDS: { name: string; persister: () => Record<string, unknown> }[] = [
  { name: 'SQLite', persister: () => ({ __factory__: 'palladium.persistence.Database', url: 'sqlite:store/models.db', chunk_size: 4096 }) },
  {
    name: 'PostgreSQL',
    persister: () => {
      const schema = freshSchema('pld_e2e');
      schemas.push(schema);
      return { __factory__: 'palladium.persistence.Database', url: PG_URL, schema, chunk_size: 4096 };
    },
  },
  { name: 'File', persister: () => ({ __factory__: 'palladium.persistence.File', path: 'store/iris-{version}' }) },
];
