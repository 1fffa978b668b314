import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PldError } from '../errors.js';

/** The folder the project templates ship in (`templates/` in the package). */
const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** `pld init` options. */
export interface InitOptions {
  /** Template name (`iris`, `regression`, `custom-estimator`); default `iris`. */
  readonly template?: string;
  /** Target folder, relative to `cwd`; default the template's name. */
  readonly dir?: string;
  readonly cwd: string;
}

/** What `pld init` wrote. */
export interface InitResult {
  readonly template: string;
  readonly dir: string;
  readonly files: string[];
}

/** The template names shipped with the package. */
export function listTemplates(): string[] {
  return readdirSync(TEMPLATES_DIR)
    .filter((name) => statSync(path.join(TEMPLATES_DIR, name)).isDirectory())
    .sort();
}

/**
 * Scaffolds a ready project from a template: config, data, README and a test. Refuses to overwrite any
 * existing file (nothing is written then).
 * @example
 * const { dir, files } = initProject({ template: 'iris', cwd: process.cwd() });
 */
export function initProject(options: InitOptions): InitResult {
  const template = options.template ?? 'iris';
  const templates = listTemplates();
  if (!templates.includes(template)) {
    throw new PldError('PLD_ERR_CLI_USAGE', `Unknown template '${template}'; the templates are ${templates.join(', ')}`, { details: { template } });
  }
  const source = path.join(TEMPLATES_DIR, template);
  const dir = path.resolve(options.cwd, options.dir ?? template);
  const files = _files(source);
  const clashes = files.filter((file) => existsSync(path.join(dir, file)));
  if (clashes.length > 0) {
    throw new PldError('PLD_ERR_INIT_FILE_EXISTS', `Not overwriting ${clashes.map((file) => path.join(dir, file)).join(', ')}; choose another folder or move them away`, {
      details: { files: clashes },
    });
  }
  cpSync(source, dir, { recursive: true, errorOnExist: true, force: false });
  return { template, dir, files };
}

function _files(root: string, prefix = ''): string[] {
  return readdirSync(path.join(root, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    return entry.isDirectory() ? _files(root, relative) : [relative];
  });
}
