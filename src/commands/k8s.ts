import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { k8sObjects, renderManifests, type K8sObject, type K8sOptions } from '../deploy/k8s.js';
import { describeProject } from '../deploy/project.js';
import { PldError } from '../errors.js';
import type { CommandContext } from './context.js';

/** `pld k8s` options. */
export interface K8sCommandOptions extends K8sOptions {
  /** The project folder; default the working directory. */
  readonly dir?: string;
  /** Object names; default package.json's name as a DNS label (`--name`). */
  readonly name?: string;
  /** Write the YAML to this file (relative to `dir`) instead of returning it for stdout (`--out`). */
  readonly out?: string;
  /** Replace an existing `--out` file (`--force`). */
  readonly force?: boolean;
}

/** What `pld k8s` produced. */
export interface K8sResult {
  /** The multi-document YAML. */
  readonly yaml: string;
  readonly objects: K8sObject[];
  /** The file written, when `out` was given. */
  readonly file?: string;
}

/**
 * Kubernetes manifests for the project: ConfigMap, Deployment, Service, HorizontalPodAutoscaler and
 * PodDisruptionBudget, as one multi-document YAML.
 * @example
 * const { yaml } = k8s(ctx, { replicas: 3, image: 'registry.example.com/iris:1.0' });
 */
export function k8s(ctx: CommandContext, options: K8sCommandOptions = {}): K8sResult {
  const dir = path.resolve(options.dir ?? process.cwd());
  for (const [flag, value] of [
    ['--replicas', options.replicas],
    ['--max-replicas', options.maxReplicas],
    ['--workers', options.workers],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new PldError('PLD_ERR_DEPLOY_BAD_OPTION', `${flag} must be a positive integer, got ${value}`, { details: { flag, value } });
    }
  }
  if (options.replicas !== undefined && options.maxReplicas !== undefined && options.maxReplicas < options.replicas) {
    throw new PldError('PLD_ERR_DEPLOY_BAD_OPTION', `--max-replicas (${options.maxReplicas}) must be at least --replicas (${options.replicas})`, { details: {} });
  }
  if (options.image !== undefined && !/^[^\s]+$/.test(options.image)) {
    throw new PldError('PLD_ERR_DEPLOY_BAD_OPTION', `--image must be an image reference without spaces, got '${options.image}'`, { details: { image: options.image } });
  }
  const project = describeProject(dir, ctx.config, options.name);
  const objects = k8sObjects(project, options);
  const yaml = renderManifests(objects, project, options);
  if (options.out === undefined) return { yaml, objects };
  const file = path.resolve(dir, options.out);
  if (existsSync(file) && !options.force) {
    throw new PldError('PLD_ERR_DEPLOY_FILE_EXISTS', `Not overwriting ${file}; pass --force to replace it`, { details: { files: [file] } });
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, yaml);
  ctx.log.info(`Wrote ${objects.map((object) => object.kind).join(', ')} to ${file}`);
  return { yaml, objects, file };
}
