import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PldError } from '../errors.js';

/** Where the project keeps its models, as far as deployment cares. */
export type StoreInfo =
  /** Files in the project folder (File persister, or a SQLite Database): a volume in a container. */
  | { readonly kind: 'files'; readonly factory: string; readonly dir: string }
  /** A database server (`postgres://`) reached by URL, usually from `${DATABASE_URL}`. */
  | { readonly kind: 'database'; readonly factory: string; readonly urlVariable?: string }
  /** A Rest store or anything else reached over the network. */
  | { readonly kind: 'remote'; readonly factory: string }
  | { readonly kind: 'none' };

/** What `pld dockerize` and `pld k8s` need to know about the project being deployed. */
export interface DeployProject {
  /** The project folder (the build context), absolute. */
  readonly dir: string;
  /** A DNS-1123 label for the image and the Kubernetes objects, from package.json's name. */
  readonly name: string;
  /** package.json's version, or `latest`. */
  readonly version: string;
  /** The config files, relative to `dir`, POSIX separators, in load order. */
  readonly configFiles: readonly string[];
  /** The environment variables the config reads (`${VAR}`), sorted. */
  readonly envVars: readonly string[];
  /** Those of `envVars` the config gives a default everywhere it reads them (`${VAR:-default}`). */
  readonly optionalEnvVars?: readonly string[];
  readonly store: StoreInfo;
  readonly hasLockfile: boolean;
}

/** What the project analysis reads from a loaded config. */
export interface ProjectConfigView {
  readonly files: readonly string[];
  readonly data: Readonly<Record<string, unknown>>;
}

const _DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Reads the project folder and its config: package.json (must depend on palladium-ts, or be it), the
 * config files relative to the folder, the `${VAR}`s the config reads, and where the model store is.
 * Expects the config loaded with {@link placeholderEnv}, so `${VAR}` references are still visible.
 * @example
 * const project = describeProject(process.cwd(), ctx.config);
 */
export function describeProject(dir: string, config: ProjectConfigView, nameOverride?: string): DeployProject {
  const root = path.resolve(dir);
  const pkgFile = path.join(root, 'package.json');
  if (!existsSync(pkgFile)) {
    throw new PldError('PLD_ERR_DEPLOY_NO_PACKAGE', `${root} has no package.json; the image installs palladium-ts from it. Run npm init -y && npm install palladium-ts`, {
      details: { dir: root },
    });
  }
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name?: string; version?: string; dependencies?: Record<string, string> };
  if (pkg.name !== 'palladium-ts' && pkg.dependencies?.['palladium-ts'] === undefined) {
    throw new PldError('PLD_ERR_DEPLOY_NO_PACKAGE', `${pkgFile} does not list palladium-ts in "dependencies", so the image would have no pld; run npm install palladium-ts`, {
      details: { file: pkgFile },
    });
  }
  const name = nameOverride ?? dnsLabel(pkg.name ?? path.basename(root));
  if (!_DNS_LABEL.test(name)) {
    throw new PldError('PLD_ERR_DEPLOY_BAD_OPTION', `'${name}' is not a valid name: lower-case letters, digits and '-', at most 63 characters, starting and ending alphanumeric`, {
      details: { name },
    });
  }
  const configFiles = config.files.map((file) => _inside(root, file, 'config file'));
  const store = _store(root, config.data.model_persister);
  return {
    dir: root,
    name,
    version: pkg.version ?? 'latest',
    configFiles,
    envVars: [...new Set(_references(config.data))].sort(),
    optionalEnvVars: _withDefaults(config.files),
    store,
    hasLockfile: existsSync(path.join(root, 'package-lock.json')),
  };
}

/** A package name as a DNS-1123 label: `@acme/Iris_Service` → `iris-service`. */
export function dnsLabel(name: string): string {
  const label = name
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label === '' ? 'palladium-service' : label;
}

/**
 * An environment for loading a config to deploy: `${VAR}`s stay as they are (the container resolves
 * them), so no secret needs to be set on the machine that writes the Dockerfile or manifests.
 * `PALLADIUM_CONFIG` is read for real.
 */
export function placeholderEnv(real: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return new Proxy({} as NodeJS.ProcessEnv, {
    get: (_target, key) => (typeof key !== 'string' ? undefined : key === 'PALLADIUM_CONFIG' ? real.PALLADIUM_CONFIG : `\${${key}}`),
  });
}

function _inside(root: string, file: string, what: string): string {
  const relative = path.relative(root, path.resolve(root, file));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new PldError('PLD_ERR_DEPLOY_OUTSIDE_PROJECT', `The ${what} ${file} is outside the project folder ${root}; move it in so the image can hold it`, {
      details: { file, dir: root },
    });
  }
  return relative.split(path.sep).join('/');
}

/** A folder inside the project (or the project itself, `.`), relative, POSIX separators. */
function _insideDir(root: string, dir: string, what: string): string {
  return path.relative(root, dir) === '' ? '.' : _inside(root, dir, what);
}

/** Variables read only as `${VAR:-default}` in the config files' text. */
function _withDefaults(files: readonly string[]): string[] {
  const text = files.map((file) => (existsSync(file) ? readFileSync(file, 'utf8') : '')).join('\n');
  const bare = new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1]));
  return [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):-/g)].map((match) => match[1]))].filter((name) => !bare.has(name)).sort();
}

function _references(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1]);
  if (Array.isArray(value)) return value.flatMap(_references);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(_references);
  return [];
}

function _factory(spec: Record<string, unknown>): string {
  const factory = spec.__factory__ ?? spec['!'];
  return typeof factory === 'string' ? factory.replace(/^palladium\.persistence\./, '') : '';
}

function _store(root: string, spec: unknown): StoreInfo {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return { kind: 'none' };
  const params = spec as Record<string, unknown>;
  const factory = _factory(params);
  if (factory === 'CachedUpdatePersister') return _store(root, params.impl);
  if (factory === 'File' && typeof params.path === 'string') {
    return { kind: 'files', factory, dir: _insideDir(root, path.dirname(path.resolve(root, params.path)), 'File model store') };
  }
  if (factory === 'Database' && typeof params.url === 'string') {
    const url = params.url;
    const variable = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(url)?.[1];
    if (variable !== undefined || /^postgres(ql)?:\/\//.test(url)) return { kind: 'database', factory, urlVariable: variable };
    const file = url.replace(/^sqlite:(\/\/)?/, '');
    return { kind: 'files', factory, dir: _insideDir(root, path.dirname(path.resolve(root, file)), 'SQLite model store') };
  }
  return { kind: 'remote', factory };
}
