import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { PACKAGE_VERSION } from '../version.js';
import type { DeployProject } from './project.js';

/** What `pld k8s` varies. */
export interface K8sOptions {
  /** Deployment replicas and the autoscaler's minimum; default 2. */
  readonly replicas?: number;
  /** The autoscaler's maximum; default three times `replicas`. */
  readonly maxReplicas?: number;
  /** The image; default `<name>:<package version>`. */
  readonly image?: string;
  /** Container port; default 5000. */
  readonly port?: number;
  /** `pld serve --workers`; default 1 (Kubernetes scales with replicas). */
  readonly workers?: number;
  /** Mount a PersistentVolumeClaim on a file model store (default true); false when the image holds the model (`pld dockerize --fit`). */
  readonly storeVolume?: boolean;
  /** The Secret holding the config's `${VAR}`s; default `<name>-secrets`. */
  readonly secretName?: string;
}

/** One Kubernetes object, as plain data. */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> } } & Record<string, unknown>;

/** Path the readiness, liveness and startup probes ask: 503 until a model is loaded. */
export const PROBE_PATH = '/alive';

/**
 * The Kubernetes objects that run the project: ConfigMap (the config files), Deployment (probes on
 * `/alive`, resources, graceful termination, `${VAR}`s from a Secret), Service,
 * HorizontalPodAutoscaler (autoscaling/v2, CPU) and PodDisruptionBudget (policy/v1).
 * @example
 * const yaml = renderManifests(k8sObjects(project, { replicas: 3 }));
 */
export function k8sObjects(project: DeployProject, options: K8sOptions = {}): K8sObject[] {
  const name = project.name;
  const replicas = options.replicas ?? 2;
  const port = options.port ?? 5000;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'palladium-ts' };
  const selector = { 'app.kubernetes.io/name': name };
  const configData: Record<string, string> = {};
  const mounts: Record<string, unknown>[] = [];
  project.configFiles.forEach((file, i) => {
    const key = _configKey(file, i);
    configData[key] = readFileSync(path.join(project.dir, file), 'utf8');
    // subPath puts each file where the image has it, so paths relative to the config keep working.
    mounts.push({ name: 'config', mountPath: `/app/${file}`, subPath: key, readOnly: true });
  });
  const checksum = createHash('sha256').update(JSON.stringify(configData)).digest('hex');
  const secretName = options.secretName ?? `${name}-secrets`;
  const env: Record<string, unknown>[] = [
    { name: 'PALLADIUM_CONFIG', value: project.configFiles.join(',') },
    { name: 'PORT', value: String(port) },
    // A variable with a default in the config is optional in the Secret; the others must be there or the pod does not start.
    ...project.envVars.map((variable) => ({
      name: variable,
      valueFrom: { secretKeyRef: { name: secretName, key: variable, ...(project.optionalEnvVars?.includes(variable) ? { optional: true } : {}) } },
    })),
  ];
  const volumes: Record<string, unknown>[] = [{ name: 'config', configMap: { name: `${name}-config` } }];
  const storeDir = storeVolume(project, options);
  if (storeDir !== undefined) {
    volumes.push({ name: 'models', persistentVolumeClaim: { claimName: `${name}-models` } });
    mounts.push({ name: 'models', mountPath: `/app/${storeDir}` });
  }
  const probe = (extra: Record<string, number>) => ({ httpGet: { path: PROBE_PATH, port: 'http' }, timeoutSeconds: 5, ...extra });

  const configMap: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-config`, labels }, data: configData };
  const deployment: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels, annotations: { 'palladium-ts/config-checksum': checksum } },
        spec: {
          // SIGTERM makes pld serve stop accepting and finish in-flight requests; the preStop pause lets
          // the Service drop the pod from its endpoints first.
          terminationGracePeriodSeconds: 30,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
          containers: [
            {
              name: 'predict',
              image: options.image ?? `${name}:${project.version}`,
              imagePullPolicy: 'IfNotPresent',
              args: ['node_modules/.bin/pld', 'serve', '--host', '0.0.0.0', '--port', String(port), '--workers', String(options.workers ?? 1)],
              ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
              env,
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
              // /alive is 503 until the model is loaded: the startup probe waits for it, readiness keeps a
              // pod without a model out of the Service. (/v2/health/live and /ready exist with the Open
              // Inference Protocol routes, if you prefer them.)
              startupProbe: probe({ periodSeconds: 5, failureThreshold: 60 }),
              readinessProbe: probe({ periodSeconds: 5, failureThreshold: 3 }),
              livenessProbe: probe({ periodSeconds: 15, failureThreshold: 4 }),
              lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  };
  const service: K8sObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels },
    spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  };
  const hpa: K8sObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: replicas,
      maxReplicas: options.maxReplicas ?? replicas * 3,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
  const pdb: K8sObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  };
  return [configMap, deployment, service, hpa, pdb];
}

/** The objects as one multi-document YAML file, with a header naming what must exist beforehand. */
export function renderManifests(objects: readonly K8sObject[], project: DeployProject, options: K8sOptions = {}): string {
  const notes = [`# Written by pld k8s (palladium-ts ${PACKAGE_VERSION}) for ${project.name}. Apply with: kubectl apply -f <this file>`];
  if (project.envVars.length > 0) {
    const secret = options.secretName ?? `${project.name}-secrets`;
    const literals = project.envVars.map((variable) => `--from-literal=${variable}=...`).join(' ');
    notes.push(`# The config reads ${project.envVars.join(', ')}: create the Secret first: kubectl create secret generic ${secret} ${literals}`);
  }
  if (storeVolume(project, options) !== undefined) {
    notes.push(
      `# The model store in ./${storeVolume(project, options)} is mounted is mounted from the PersistentVolumeClaim ${project.name}-models (ReadWriteMany or ReadOnlyMany for several replicas);`,
      '# if the image holds the model (pld dockerize --fit), run pld k8s --no-store-volume instead.',
    );
  }
  const header = `${notes.join('\n')}\n`;
  return header + objects.map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/** The store folder the Deployment mounts a volume on: a file model store's, unless it is the project folder itself or `storeVolume: false`. */
export function storeVolume(project: DeployProject, options: K8sOptions): string | undefined {
  return project.store.kind === 'files' && project.store.dir !== '.' && options.storeVolume !== false ? project.store.dir : undefined;
}

function _configKey(file: string, index: number): string {
  return `${index}-${file.replace(/[^-._a-zA-Z0-9]+/g, '_')}`;
}
