import type { ComponentDefinition } from '../../config/registry.js';
import { EmptyDatasetLoader, InMemoryLoader, inMemoryLoaderParams } from './memory.js';
import { ParquetLoader } from './parquet.js';
import { parquetLoaderParams } from './parquet-params.js';
import { ScheduledDatasetLoader, scheduledLoaderParams } from './scheduled.js';
import { SqlLoader, sqlLoaderParams } from './sql.js';
import { TableLoader } from './table.js';
import { tableLoaderParams } from './table-params.js';

/**
 * The built-in dataset loaders, for `createRegistry()`: `CSV` (`,`-separated, pandas `read_csv`),
 * `Table` (tab-separated, pandas `read_table`), `InMemory` and `EmptyDatasetLoader`, with Palladium's
 * dotted names as aliases.
 * @example
 * for (const definition of builtinLoaders) registry.register(definition);
 * registry.get('palladium.dataset.CSV')?.name; // 'CSV'
 */
export const builtinLoaders: ComponentDefinition[] = [
  {
    name: 'CSV',
    aliases: ['palladium.dataset.CSV'],
    kind: 'loader',
    params: tableLoaderParams,
    ctor: TableLoader,
    summary: 'Reads a comma-separated file (pandas read_csv options); `target_column` becomes y.',
    create: (params, ctx) => new TableLoader(params, ctx, { defaultSep: ',' }),
  },
  {
    name: 'Table',
    aliases: ['palladium.dataset.Table'],
    kind: 'loader',
    params: tableLoaderParams,
    ctor: TableLoader,
    summary: 'Reads a tab-separated file (pandas read_table options); `target_column` becomes y.',
    create: (params, ctx) => new TableLoader(params, ctx, { defaultSep: '\t' }),
  },
  {
    name: 'InMemory',
    kind: 'loader',
    params: inMemoryLoaderParams,
    ctor: InMemoryLoader,
    summary: 'Serves columns given inline in the config; `target_column` becomes y.',
    create: (params, ctx) => new InMemoryLoader(params, ctx),
  },
  {
    name: 'EmptyDatasetLoader',
    aliases: ['palladium.dataset.EmptyDatasetLoader'],
    kind: 'loader',
    params: EmptyDatasetLoader.params,
    ctor: EmptyDatasetLoader,
    summary: 'Loads nothing: no rows and no y.',
    create: () => new EmptyDatasetLoader(),
  },
  {
    name: 'SQL',
    aliases: ['palladium.dataset.SQL'],
    kind: 'loader',
    params: sqlLoaderParams,
    ctor: SqlLoader,
    summary: 'Runs a query (or reads a table) on PostgreSQL or a SQLite file; `target_column` becomes y.',
    create: (params, ctx) => new SqlLoader(params, ctx),
  },
  {
    name: 'Parquet',
    aliases: ['palladium.dataset.Parquet'],
    kind: 'loader',
    params: parquetLoaderParams,
    ctor: ParquetLoader,
    summary: 'Reads a Parquet file or glob (columns, pyarrow-style filters) with DuckDB; `target_column` becomes y.',
    create: (params, ctx) => new ParquetLoader(params, ctx),
  },
  {
    name: 'ScheduledDatasetLoader',
    aliases: ['palladium.dataset.ScheduledDatasetLoader'],
    kind: 'loader',
    params: scheduledLoaderParams,
    ctor: ScheduledDatasetLoader,
    summary: 'Caches another loader (`impl`) and reloads it on update_cache_rrule / _cron / _interval.',
    create: (params, ctx) => new ScheduledDatasetLoader(params, ctx),
  },
];
