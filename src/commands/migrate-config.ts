import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRegistry } from '../config/builtins.js';
import { ENV_MARKER, evaluatePythonConfig, HERE_MARKER, type PythonUnsupported } from '../config/migrate/evaluate-python.js';
import type { Registry } from '../config/registry.js';
import { PldError } from '../errors.js';
import { isPlainObject, joinPath } from '../internal/objects.js';

/** `pld migrate-config` options. */
export interface MigrateConfigOptions {
  /** The Palladium `config.py`, relative to `cwd`. */
  readonly file: string;
  /** Where to write: a `.json` file or a `.ts` file with `defineConfig`; none: return the JSON text only. */
  readonly out?: string;
  /** Keep `palladium.*`/`sklearn.*` dotted names (they are aliases) instead of writing the short names. */
  readonly keepAliases?: boolean;
  /** Replace an existing `out` file. */
  readonly force?: boolean;
  readonly cwd: string;
  /** Registry the factory names are checked against; default the built-ins. */
  readonly registry?: Registry;
}

/** What the migration changed, at which key path. */
export interface MigrationChange {
  readonly path: string;
  readonly kind: 'factory' | 'alias-kept' | 'bang' | 'tuple' | 'env' | 'env-default-type' | 'env-default-none' | 'here' | 'copy' | 'dollar';
  readonly detail: string;
}

/** `pld migrate-config`'s result: the new config, its text, and the report. */
export interface MigrateConfigResult {
  readonly source: string;
  /** The file written, if `out` was given. */
  readonly out?: string;
  readonly format: 'json' | 'ts';
  readonly config: Record<string, unknown>;
  readonly text: string;
  readonly changes: MigrationChange[];
  /** Entries that could not be migrated (left out, or kept as they were for unknown factories); fix them by hand. */
  readonly unsupported: PythonUnsupported[];
}

/**
 * Turns a Palladium `config.py` into a JSON config or a TypeScript `defineConfig` file: dotted factory
 * names become registry names, tuples lists, `environ[...]` `${VAR}`, `here` relative paths; entries
 * that cannot be data are reported with their key path. Needs `python3`.
 * @example
 * const { changes, unsupported } = migrateConfig({ file: 'config.py', out: 'palladium-config.json', cwd: process.cwd() });
 */
export function migrateConfig(options: MigrateConfigOptions): MigrateConfigResult {
  const source = path.resolve(options.cwd, options.file);
  if (!existsSync(source)) throw new PldError('PLD_ERR_CONFIG_NOT_FOUND', `Cannot read config file '${source}': it does not exist`, { details: { file: source } });
  const out = options.out === undefined ? undefined : path.resolve(options.cwd, options.out);
  const format = _format(out);
  if (out !== undefined && existsSync(out) && options.force !== true) {
    throw new PldError('PLD_ERR_MIGRATE_OUT_EXISTS', `Not overwriting ${out}; pass --force to replace it`, { details: { file: out } });
  }
  const evaluated = evaluatePythonConfig(source);
  if (!isPlainObject(evaluated.value)) {
    throw new PldError('PLD_ERR_CONFIG_PARSE', `${source}: the config must be a dict of top-level keys`, { details: { file: source, unsupported: evaluated.unsupported } });
  }
  const walk: _Walk = {
    registry: options.registry ?? createRegistry(),
    keepAliases: options.keepAliases === true,
    configDir: path.dirname(source),
    relativeDir:
      path
        .relative(path.dirname(out ?? source), path.dirname(source))
        .split(path.sep)
        .join('/') || '.',
    changes: evaluated.notes.map((note) => ({ path: note.path, kind: note.kind, detail: note.detail })),
    unsupported: [...evaluated.unsupported],
  };
  const config = _translate(evaluated.value, '', walk) as Record<string, unknown>;
  const text = format === 'ts' ? _typescript(config, path.basename(source)) : `${JSON.stringify({ $schema: _SCHEMA, ...config }, null, 2)}\n`;
  if (out !== undefined) writeFileSync(out, text);
  return { source, out, format, config, text, changes: walk.changes, unsupported: walk.unsupported };
}

const _SCHEMA = './node_modules/palladium-ts/dist/palladium-config.schema.json';

interface _Walk {
  readonly registry: Registry;
  readonly keepAliases: boolean;
  readonly configDir: string;
  /** `here` as seen from the folder of the written file. */
  readonly relativeDir: string;
  readonly changes: MigrationChange[];
  readonly unsupported: PythonUnsupported[];
}

function _format(out: string | undefined): 'json' | 'ts' {
  if (out === undefined || out.endsWith('.json')) return 'json';
  if (/\.(m|c)?ts$/.test(out)) return 'ts';
  throw new PldError('PLD_ERR_CLI_USAGE', `--out must end in .json or .ts, got '${out}'`, { details: { out } });
}

function _translate(value: unknown, keyPath: string, walk: _Walk): unknown {
  if (typeof value === 'string') return _string(value, keyPath, walk);
  if (Array.isArray(value)) return value.map((item, i) => _translate(item, joinPath(keyPath, String(i)), walk));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const itemPath = joinPath(keyPath, key);
    if (key === '__python__') {
      walk.unsupported.push({ path: itemPath, reason: '__python__ runs Python statements on the config; do the same edit by hand', source: String(item) });
      continue;
    }
    if (key === '__copy__') walk.changes.push({ path: itemPath, kind: 'copy', detail: `kept: __copy__ '${String(item)}' works the same here` });
    if ((key === '__factory__' || key === '!') && typeof item === 'string') {
      if (key === '!') walk.changes.push({ path: itemPath, kind: 'bang', detail: "'!' written as '__factory__'" });
      out.__factory__ = _factory(item, joinPath(keyPath, '__factory__'), walk);
      continue;
    }
    out[key] = _translate(item, itemPath, walk);
  }
  return out;
}

function _factory(name: string, keyPath: string, walk: _Walk): string {
  const definition = walk.registry.get(name);
  if (definition === undefined) {
    const hint = walk.registry.suggest(name)[0];
    walk.unsupported.push({
      path: keyPath,
      reason: `unknown factory '${name}'${hint === undefined ? '' : ` (did you mean '${hint}'?)`}; port it to TypeScript and name it as './file.ts#Export' (kept as it was)`,
    });
    return name;
  }
  if (definition.name === name) return name;
  if (walk.keepAliases) {
    walk.changes.push({ path: keyPath, kind: 'alias-kept', detail: `'${name}' kept: an alias of '${definition.name}'` });
    return name;
  }
  walk.changes.push({ path: keyPath, kind: 'factory', detail: `'${name}' -> '${definition.name}'` });
  return definition.name;
}

function _string(text: string, keyPath: string, walk: _Walk): string {
  // Pieces: literal, NAME, default, literal, NAME, default, ..., literal (`environ` markers split out).
  const pieces = text.split(ENV_MARKER);
  const literals = pieces.filter((_, i) => i % 3 === 0);
  // A literal `$$` or `${` would read as a reference once `${VAR}` substitution runs: escape every `$` then.
  const escapeDollars = /\$[{$]/.test(literals.join(''));
  if (escapeDollars) walk.changes.push({ path: keyPath, kind: 'dollar', detail: "'$' written as '$$' so it is not read as a ${VAR} reference" });
  let out = '';
  for (let i = 0; i < pieces.length; i += 3) {
    const literal = _here(pieces[i], i === 0, keyPath, walk);
    out += escapeDollars ? literal.replaceAll('$', () => '$$') : literal;
    if (i + 1 >= pieces.length) break;
    const name = pieces[i + 1];
    const fallback = pieces[i + 2] === undefined ? undefined : _here(pieces[i + 2], true, keyPath, walk);
    const reference = fallback === undefined ? `\${${name}}` : `\${${name}:-${fallback}}`;
    walk.changes.push({ path: keyPath, kind: 'env', detail: `${fallback === undefined ? `environ['${name}']` : `environ.get('${name}', ...)`} -> ${reference}` });
    if (fallback !== undefined && !/^(?:[^{}]|\{[^{}]*\})*$/.test(fallback)) {
      walk.unsupported.push({ path: keyPath, reason: `the default of ${name} has unbalanced or nested braces, which a \${VAR:-default} cannot hold; edit it by hand` });
    }
    out += reference;
  }
  return out;
}

// `here` at the start of a value is a path: written relative to the new file, which resolves paths
// against its own folder. Inside a longer string (a URL) it is kept absolute, since the consumer may not.
function _here(text: string, atStart: boolean, keyPath: string, walk: _Walk): string {
  if (!text.includes(HERE_MARKER)) return text;
  if (atStart && text.startsWith(HERE_MARKER) && (text.length === HERE_MARKER.length || text[HERE_MARKER.length] === '/')) {
    const rest = text.slice(HERE_MARKER.length + 1);
    const relative = rest === '' ? walk.relativeDir : walk.relativeDir === '.' ? rest : `${walk.relativeDir}/${rest}`;
    walk.changes.push({ path: keyPath, kind: 'here', detail: `here -> relative path '${relative}'` });
    return relative.replaceAll(HERE_MARKER, walk.configDir);
  }
  walk.changes.push({
    path: keyPath,
    kind: 'here',
    detail: `here inside a string: written as the absolute folder ${walk.configDir}; make it relative by hand if the consumer allows`,
  });
  return text.replaceAll(HERE_MARKER, walk.configDir);
}

function _typescript(config: Record<string, unknown>, sourceName: string): string {
  return `import { defineConfig } from 'palladium-ts';\n\n// Migrated from ${sourceName} by pld migrate-config.\nexport default defineConfig(${JSON.stringify(config, null, 2)});\n`;
}
