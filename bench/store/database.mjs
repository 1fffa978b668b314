// Writes and reads N versions (default 100 each) of a 1 MB and a 50 MB artifact on SQLite, PostgreSQL and File (built
// dist/), printing MB/s and per-operation latency. Run: npm run build && node bench/store/database.mjs [versions of 1 MB] [versions of 50 MB]
// PLD_BENCH_PG_URL overrides the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ARTIFACT_FORMAT, createDatabasePersister, createFilePersister, databasePersisterParams } from '../../dist/index.js';

const PG_URL = process.env.PLD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const VERSIONS_OF = { 1: Number(process.argv[2] ?? 100), 50: Number(process.argv[3] ?? process.argv[2] ?? 100) };
const dir = mkdtempSync(join(tmpdir(), 'pld-bench-store-'));
const schema = `pld_bench_${randomBytes(4).toString('hex')}`;

const backends = [
  { name: 'SQLite', make: (tag) => createDatabasePersister(databasePersisterParams.parse({ url: join(dir, `${tag}.db`) })) },
  { name: 'PostgreSQL', make: (tag) => createDatabasePersister(databasePersisterParams.parse({ url: PG_URL, schema, table_postfix: tag })) },
  { name: 'File', make: (tag) => createFilePersister({ path: join(dir, tag, 'model-{version}') }) },
];

// Random bytes do not compress, so the stored size is the artifact size (a blob, as ONNX models are).
const artifact = (megabytes) => ({
  format: ARTIFACT_FORMAT,
  factory: 'Bench',
  params: {},
  state: {},
  metadata: {},
  blobs: { 'model.bin': randomBytes(megabytes * 1024 * 1024) },
});

console.log(`node ${process.version}, ${VERSIONS_OF[1]} versions of 1 MB and ${VERSIONS_OF[50]} of 50 MB per backend, default chunk_size (100 MiB)`);
console.log('backend     size  versions  write MB/s  write ms/op  read MB/s  read ms/op');
try {
  for (const megabytes of [1, 50]) {
    const model = artifact(megabytes);
    const VERSIONS = VERSIONS_OF[megabytes];
    for (const backend of backends) {
      const store = backend.make(`s${megabytes}`);
      let start = performance.now();
      const versions = [];
      for (let i = 0; i < VERSIONS; i += 1) versions.push(await store.write(model));
      const writeMs = (performance.now() - start) / VERSIONS;
      const size = (await store.listModels())[0].size / 1024 / 1024;
      start = performance.now();
      for (const version of versions) await store.read(version);
      const readMs = (performance.now() - start) / VERSIONS;
      await store.close?.();
      const row = [
        backend.name.padEnd(10),
        `${megabytes} MB`.padStart(6),
        String(VERSIONS).padStart(9),
        (size / (writeMs / 1000)).toFixed(1).padStart(12),
        writeMs.toFixed(1).padStart(12),
        (size / (readMs / 1000)).toFixed(1).padStart(10),
        readMs.toFixed(1).padStart(11),
      ];
      console.log(row.join(' '));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}
