import type { ComponentDefinition } from '../../config/registry.js';
import { JsonLinesSink, type JsonLinesSinkParams, jsonLinesSinkParams } from './jsonl-sink.js';
import type { PredictionSink } from './sink.js';
import { SqlSink, type SqlSinkParams, sqlSinkParams } from './sql-sink.js';

/**
 * The built-in prediction log sinks for the registry (`prediction_log.sink`); a new sink is one file
 * plus one entry here, or a user class named as `./my-sink.ts#MySink`.
 * @example
 * for (const definition of builtinSinks) registry.register(definition);
 */
export const builtinSinks: ComponentDefinition[] = [
  {
    name: 'JsonLinesSink',
    kind: 'other',
    params: jsonLinesSinkParams,
    summary: 'Prediction log as a JSON lines file (appended; optional rotation by size).',
    create: (params: JsonLinesSinkParams, ctx) => new JsonLinesSink(params, ctx),
    ctor: JsonLinesSink,
  } satisfies ComponentDefinition<PredictionSink, JsonLinesSinkParams>,
  {
    name: 'SqlSink',
    kind: 'other',
    params: sqlSinkParams,
    summary: 'Prediction log in an SQL table (SQLite file or PostgreSQL URL), created on first use.',
    create: (params: SqlSinkParams, ctx) => new SqlSink(params, ctx),
    ctor: SqlSink,
  } satisfies ComponentDefinition<PredictionSink, SqlSinkParams>,
];
