// One load in its own process, so /usr/bin/time reports that load's peak RSS alone.
// Prints one JSON line: {rows, columns, seconds, cpu, lib} (seconds = the load's wall time, without
// process start-up; cpu = the CPU seconds of the whole process, all threads, during the load; lib = the
// wall seconds of loading DuckDB's native library before the load, for the modes that use DuckDB: the
// Parquet loader pays it on its first load in a process, so it is reported apart from the load).
// Usage: node bench/data/load-child.mjs ours-csv|ours-parquet|ours-parquet-2threads|duckdb-csv FILE
// (ours-parquet-2threads: the Parquet loader with use_threads: true, the read split between two threads)
import { ParquetLoader, TableLoader } from '../../dist/index.js';

const [mode, file] = process.argv.slice(2);
// ours-parquet: the loader's direct reader needs no DuckDB for these files, so the library is not loaded
// ahead (were the loader to fall back to DuckDB, the library's load would count in the load's time).
const usesDuckDB = mode === 'duckdb-csv' || mode === 'ours-parquet-2threads';
const libStart = process.hrtime.bigint();
const { DuckDBInstance } = usesDuckDB ? await import('@duckdb/node-api') : {};
const bindings = usesDuckDB ? (await import('@duckdb/node-bindings')).default : undefined;
const lib = usesDuckDB ? Number(process.hrtime.bigint() - libStart) / 1e9 : 0;
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
let rows;
let columns;
let threads;
let reader;
if (mode === 'ours-csv' || mode === 'ours-parquet' || mode === 'ours-parquet-2threads') {
  const loader =
    mode === 'ours-csv'
      ? new TableLoader({ path: file, target_column: 'label' })
      : new ParquetLoader({ path: file, target_column: 'label', ...(mode === 'ours-parquet-2threads' ? { use_threads: true } : {}) });
  const { X, y } = await loader.load();
  rows = X.nRows;
  columns = X.nColumns + (y === undefined ? 0 : 1);
  threads = loader.describe().threads;
  reader = loader.describe().reader;
} else if (mode === 'duckdb-csv') {
  // DuckDB's CSV reader into the same Frame column types as our loaders (what the Parquet loader does).
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const source = `read_csv('${file}')`;
  const described = (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowsJS();
  const list = described.map(([name, type]) => (type === 'VARCHAR' ? `"${name}"` : `CAST("${name}" AS DOUBLE)`));
  const result = await db.stream(`SELECT ${list.join(', ')} FROM ${source}`);
  const parts = described.map(() => []);
  rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    for (let k = 0; k < described.length; k++) {
      if (described[k][1] === 'VARCHAR') {
        const vector = chunk.getColumnVector(k);
        const out = new Array(n);
        for (let i = 0; i < n; i++) out[i] = vector.getItem(i);
        parts[k].push(out);
        continue;
      }
      // Doubles copied from DuckDB's vector as the Parquet loader does (no nulls in this data).
      const bytes = bindings.vector_get_data(bindings.data_chunk_get_vector(chunk.chunk, k), n * 8);
      parts[k].push(new Float64Array(bytes.buffer, bytes.byteOffset, n).slice());
    }
    rows += chunk.rowCount;
  }
  const joined = parts.map((chunks, k) => {
    if (described[k][1] === 'VARCHAR') return chunks.flat();
    const out = new Float64Array(rows);
    let offset = 0;
    for (const c of chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  });
  columns = joined.length;
  db.closeSync();
  instance.closeSync();
} else {
  throw new Error(`unknown mode ${mode}`);
}
const cpu = process.cpuUsage(cpuStart);
console.log(JSON.stringify({ rows, columns, seconds: Number(process.hrtime.bigint() - start) / 1e9, cpu: (cpu.user + cpu.system) / 1e6, lib, threads, reader }));
