import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { systemDocker, shellLine, type DockerClient } from '../deploy/docker.js';
import { dockerBuildArgs, renderDockerfile, renderDockerignore } from '../deploy/dockerfile.js';
import { describeProject } from '../deploy/project.js';
import { PldError } from '../errors.js';
import type { CommandContext } from './context.js';

/** `pld dockerize` options. */
export interface DockerizeOptions {
  /** The project folder (build context); default the working directory. */
  readonly dir?: string;
  /** Where to write the Dockerfile, relative to `dir`; default `dir` itself (`--out`). */
  readonly out?: string;
  /** Fit the model while building the image (`--fit`). */
  readonly fit?: boolean;
  /** Print the files, write and build nothing (`--dry-run`). */
  readonly dryRun?: boolean;
  /** Replace an existing Dockerfile or .dockerignore (`--force`). */
  readonly force?: boolean;
  /** Image tag; default `<name>:<package version>` (`--tag`). */
  readonly tag?: string;
  /** `pld serve --workers N` in the image; default 2 (`--workers`). */
  readonly workers?: number;
  /** Container port; default 5000 (`--port`). */
  readonly port?: number;
  /** Write the files but don't run docker build (`--no-build`). */
  readonly build?: boolean;
  /** The docker client; default this machine's (`PLD_DOCKER` or `docker`). */
  readonly docker?: DockerClient;
}

/** One file `pld dockerize` writes (or would write). */
export interface GeneratedFile {
  /** Absolute path. */
  readonly path: string;
  readonly content: string;
}

/** What `pld dockerize` did. */
export interface DockerizeResult {
  readonly files: GeneratedFile[];
  readonly written: boolean;
  readonly tag: string;
  /** The build command, runnable from the project folder. */
  readonly buildCommand: string;
  /** `built`: docker build succeeded; `no-engine`: no Docker engine answered; `skipped`: dry run or `--no-build`. */
  readonly build: 'built' | 'no-engine' | 'skipped';
  readonly warnings: string[];
}

/**
 * Writes a multi-stage Dockerfile and a .dockerignore for the project, then builds the image with
 * `docker build` when a Docker engine answers `docker info`; otherwise reports the command to run.
 * Refuses to overwrite either file unless `force`. Needs no secret: the config's `${VAR}`s stay
 * references (load it with `placeholderEnv()`).
 * @example
 * const { buildCommand, build } = dockerize(ctx, { fit: true, dryRun: true });
 */
export function dockerize(ctx: CommandContext, options: DockerizeOptions = {}): DockerizeResult {
  const dir = path.resolve(options.dir ?? process.cwd());
  const project = describeProject(dir, ctx.config);
  const outDir = path.resolve(dir, options.out ?? '.');
  const sameDir = outDir === dir;
  const dockerfile = path.join(outDir, 'Dockerfile');
  // BuildKit reads <Dockerfile>.dockerignore beside a Dockerfile outside the context root.
  const ignore = path.join(outDir, sameDir ? '.dockerignore' : 'Dockerfile.dockerignore');
  const generate = { fit: options.fit, workers: options.workers, port: options.port };
  const files = [
    { path: dockerfile, content: renderDockerfile(project, generate) },
    { path: ignore, content: renderDockerignore(project, generate) },
  ];
  const tag = options.tag ?? `${project.name}:${project.version}`;
  const docker = options.docker ?? systemDocker();
  const args = dockerBuildArgs(tag, sameDir ? undefined : path.relative(dir, dockerfile).split(path.sep).join('/'), '.');
  const buildCommand = shellLine(docker.binary, args);
  const warnings: string[] = [];
  if (!project.hasLockfile) warnings.push(`${dir} has no package-lock.json; the image uses npm install instead of npm ci. Run npm install and commit the lockfile.`);
  if (project.store.kind === 'none') warnings.push('The config has no model_persister; the server will have no model to serve.');
  for (const warning of warnings) ctx.log.warn(warning);
  if (options.dryRun) return { files, written: false, tag, buildCommand, build: 'skipped', warnings };

  const clashes = files.filter((file) => existsSync(file.path)).map((file) => file.path);
  if (clashes.length > 0 && !options.force) {
    throw new PldError('PLD_ERR_DEPLOY_FILE_EXISTS', `Not overwriting ${clashes.join(', ')}; pass --force to replace, or --dry-run to see the new content`, {
      details: { files: clashes },
    });
  }
  mkdirSync(outDir, { recursive: true });
  for (const file of files) writeFileSync(file.path, file.content);
  ctx.log.info(`Wrote ${files.map((file) => path.relative(dir, file.path) || file.path).join(' and ')}`);
  if (options.build === false) return { files, written: true, tag, buildCommand, build: 'skipped', warnings };
  if (!docker.engineAnswers()) {
    ctx.log.warn(`No Docker engine answers ${docker.binary} info here; not building. Build with: ${buildCommand}`);
    return { files, written: true, tag, buildCommand, build: 'no-engine', warnings };
  }
  ctx.log.info(`Building: ${buildCommand}`);
  const status = docker.run(args, dir);
  if (status !== 0) throw new PldError('PLD_ERR_DEPLOY_BUILD_FAILED', `${buildCommand} exited with ${status}`, { details: { status, command: buildCommand } });
  ctx.log.info(`Built image ${tag}`);
  return { files, written: true, tag, buildCommand, build: 'built', warnings };
}
