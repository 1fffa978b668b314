import { PACKAGE_VERSION } from '../version.js';
import type { DeployProject } from './project.js';

/** How to build the image. */
export interface DockerfileOptions {
  /** Run `pld fit` while building, so the image holds a fitted model (Palladium's predict image). */
  readonly fit?: boolean;
  /** `pld serve --workers N`; default 2. */
  readonly workers?: number;
  /** The port the server listens on in the container; default 5000. */
  readonly port?: number;
}

/** The base image of every stage. */
export const NODE_IMAGE = 'node:20-slim';

/**
 * A multi-stage Dockerfile for the project: `deps` installs production dependencies with `npm ci`,
 * `fit` (with `fit: true`) fits the model at build time, and the final stage runs `pld serve` as
 * the unprivileged `node` user, with `PALLADIUM_CONFIG` set and a `HEALTHCHECK` on `/alive`.
 * @example
 * writeFileSync('Dockerfile', renderDockerfile(project, { fit: true }));
 */
export function renderDockerfile(project: DeployProject, options: DockerfileOptions = {}): string {
  const port = options.port ?? 5000;
  const workers = options.workers ?? 2;
  const config = project.configFiles.join(',');
  const install = project.hasLockfile ? 'npm ci --omit=dev' : 'npm install --omit=dev --no-audit --no-fund';
  const lines = [
    '# syntax=docker/dockerfile:1',
    `# Written by pld dockerize (palladium-ts ${PACKAGE_VERSION}) for ${project.name}. Edit freely; pld dockerize --force rewrites it.`,
    '',
    '# Stage 1: production dependencies only.',
    `FROM ${NODE_IMAGE} AS deps`,
    'WORKDIR /app',
    'ENV NODE_ENV=production',
    project.hasLockfile ? 'COPY package.json package-lock.json ./' : 'COPY package.json ./',
    ...(project.hasLockfile ? [] : ['# No package-lock.json: run npm install once and commit the lockfile, then this line can be npm ci --omit=dev.']),
    `RUN ${install} && npm cache clean --force`,
    '',
  ];
  if (options.fit) {
    lines.push(
      "# Stage 2: fit the model at build time, like Palladium's predict image; the store ends up in the image.",
      'FROM deps AS fit',
      'COPY . .',
      `ENV PALLADIUM_CONFIG=${config}`,
      'RUN node_modules/.bin/pld fit',
      '',
    );
  }
  lines.push(
    `# ${options.fit ? 'Stage 3' : 'Stage 2'}: the predict server.`,
    `FROM ${NODE_IMAGE} AS runtime`,
    'WORKDIR /app',
    `ENV NODE_ENV=production PALLADIUM_CONFIG=${config} PORT=${port}`,
  );
  if (options.fit) lines.push('COPY --from=fit --chown=node:node /app ./');
  else lines.push('COPY --from=deps --chown=node:node /app/node_modules ./node_modules', 'COPY --chown=node:node . .');
  if (project.store.kind === 'files' && !options.fit) {
    lines.push(`# The model store (${project.store.factory}) lives in ./${project.store.dir}: mount a volume there, e.g. docker run -v models:/app/${project.store.dir}`);
  }
  lines.push(
    '# The official node image ships the unprivileged user node (uid 1000).',
    'USER node',
    `EXPOSE ${port}`,
    '# /alive answers 503 until a model is loaded; node:20-slim has no curl, so node itself asks.',
    'HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \\',
    `  CMD ["node", "-e", "fetch('http://127.0.0.1:${port}/alive').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`,
    '# Exec form: pld is PID 1 and receives SIGTERM itself, so it shuts down gracefully.',
    `CMD ["node_modules/.bin/pld", "serve", "--host", "0.0.0.0", "--port", "${port}", "--workers", "${workers}"]`,
    '',
  );
  return lines.join('\n');
}

/**
 * The `.dockerignore`: keeps node_modules (installed in the image), git, logs, env files and earlier
 * Docker and Kubernetes files out of the build context. With `fit`, the local model store stays out
 * too, since the build fits its own.
 */
export function renderDockerignore(project: DeployProject, options: DockerfileOptions = {}): string {
  const lines = [
    '# Written by pld dockerize.',
    'node_modules',
    'npm-debug.log*',
    '.git',
    '.gitignore',
    '.env',
    '.env.*',
    '*.log',
    'coverage',
    'Dockerfile*',
    '.dockerignore',
    'k8s*.yaml',
  ];
  if (options.fit && project.store.kind === 'files' && project.store.dir !== '.') lines.push(`# The build fits its own model: leave the local store out.`, project.store.dir);
  return `${lines.join('\n')}\n`;
}

/** The `docker build` command line for the project (arguments, without `docker`). */
export function dockerBuildArgs(tag: string, dockerfile: string | undefined, context: string): string[] {
  return ['build', '-t', tag, ...(dockerfile === undefined ? [] : ['-f', dockerfile]), context];
}
