import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { PldError } from '../errors.js';
import { jsonErrorOffset } from '../internal/json-error-offset.js';
import { isPlainObject } from '../internal/objects.js';
import { runPythonOn } from './python.js';

/**
 * Reads one config file into plain data, by extension: `.json`, `.yaml`/`.yml`, `.ts`/`.mts`/`.js`/
 * `.mjs` (default export: an object, or a function returning one), or Palladium's `.py` (a Python
 * expression with `environ` and `here`, evaluated by `python3`). The result must be an object.
 * @example
 * const raw = await readConfigFile('/srv/app/config.yaml');
 */
export async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  const ext = path.extname(file).toLowerCase();
  let value: unknown;
  if (ext === '.json') value = _readJson(file);
  else if (ext === '.yaml' || ext === '.yml') value = _readYaml(file);
  else if (ext === '.py') value = _readPython(file);
  else if (['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].includes(ext)) value = await _readModule(file);
  else throw new PldError('PLD_ERR_CONFIG_PARSE', `${file}: unknown config file type '${ext}'; expected .json, .yaml, .yml, .ts, .js, .mjs or .py`, { details: { file } });
  if (!isPlainObject(value)) {
    throw new PldError('PLD_ERR_CONFIG_PARSE', `${file}: the config must be an object of top-level keys, got ${Array.isArray(value) ? 'a list' : typeof value}`, {
      details: { file },
    });
  }
  // `$schema` only tells editors where the JSON Schema is; it is not configuration.
  const { $schema: _schema, ...config } = value;
  return config;
}

/** Imports TypeScript and JavaScript (configs and `./file.ts#Export` user modules) without a build step. */
export const moduleImporter = createJiti(import.meta.url, { interopDefault: false, moduleCache: true });

function _readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PldError('PLD_ERR_CONFIG_NOT_FOUND', `Cannot read config file '${file}': ${(cause as Error).message}`, { cause, details: { file } });
  }
}

function _readJson(file: string): unknown {
  const text = _readText(file);
  try {
    return JSON.parse(text);
  } catch (cause) {
    const message = (cause as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? ` (line ${_lineCol(text, Number(position[1]))})` : _offsetPosition(text);
    throw new PldError('PLD_ERR_CONFIG_PARSE', `${file}: invalid JSON${where}: ${message}`, { cause, details: { file } });
  }
}

function _readYaml(file: string): unknown {
  const text = _readText(file);
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (cause) {
    const where = cause instanceof YAMLParseError && cause.linePos ? ` (line ${cause.linePos[0].line}, column ${cause.linePos[0].col})` : '';
    throw new PldError('PLD_ERR_CONFIG_PARSE', `${file}: invalid YAML${where}: ${(cause as Error).message.split('\n')[0]}`, { cause, details: { file } });
  }
}

async function _readModule(file: string): Promise<unknown> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await moduleImporter.import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (cause) {
    throw new PldError('PLD_ERR_CONFIG_PARSE', `${file}: cannot load the config module: ${(cause as Error).message}`, { cause, details: { file } });
  }
  const exported = loaded.default ?? loaded.config;
  if (exported === undefined) throw new PldError('PLD_ERR_CONFIG_PARSE', `${file}: the module has no default export (export default defineConfig({...}))`, { details: { file } });
  return typeof exported === 'function' ? await (exported as () => unknown)() : exported;
}

// Evaluates Palladium's config.py the way Palladium does (eval with `environ` and `here`), then
// requires the result to be JSON literals: lambdas and objects cannot cross into a TypeScript process.
const _PYTHON_EVAL = `
import json, os, sys
path = sys.argv[1]
here = os.path.dirname(os.path.abspath(path))
sys.path.insert(0, here)
with open(path) as f:
    text = f.read()
value = eval(text, {'environ': os.environ, 'here': here})
def reject(o):
    raise TypeError('%s value %r is not a literal (only dicts, lists, strings, numbers, booleans and None can be used)' % (type(o).__name__, o))
sys.stdout.write(json.dumps(value, default=reject))
`;

function _readPython(file: string): unknown {
  return JSON.parse(runPythonOn(file, _PYTHON_EVAL));
}

function _offsetPosition(text: string): string {
  const offset = jsonErrorOffset(text);
  return offset < 0 ? '' : ` (line ${_lineCol(text, offset)})`;
}

function _lineCol(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const col = position - before.lastIndexOf('\n');
  return `${line}, column ${col}`;
}
