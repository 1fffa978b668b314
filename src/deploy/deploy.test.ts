import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { k8sSchemaErrors } from '../../test/support/k8s-schemas.js';
import { renderDockerfile, renderDockerignore } from './dockerfile.js';
import { k8sObjects, renderManifests } from './k8s.js';
import { type DeployProject, describeProject, dnsLabel, placeholderEnv } from './project.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-deploy-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const PKG = JSON.stringify({ name: '@acme/Iris_Service', version: '1.2.0', dependencies: { 'palladium-ts': '^0.1.0' } });
const FILE_STORE = { model_persister: { __factory__: 'palladium.persistence.File', path: 'models/iris-{version}' } };

function iris(overrides: Partial<DeployProject> = {}): DeployProject {
  const dir = project({ 'package.json': PKG, 'package-lock.json': '{}', 'config.json': '{}' });
  return { ...describeProject(dir, { files: [path.join(dir, 'config.json')], data: FILE_STORE }), ...overrides };
}

describe('describeProject', () => {
  it('reads the name, version, config files relative to the project, lockfile and a File store folder', () => {
    const dir = project({ 'package.json': PKG, 'etc/base.json': '{}', 'etc/prod.yaml': '' });
    const described = describeProject(dir, { files: [path.join(dir, 'etc/base.json'), path.join(dir, 'etc/prod.yaml')], data: FILE_STORE });
    expect(described).toMatchObject({ name: 'iris-service', version: '1.2.0', configFiles: ['etc/base.json', 'etc/prod.yaml'], hasLockfile: false });
    expect(described.store).toEqual({ kind: 'files', factory: 'File', dir: 'models' });
  });

  it('finds ${VAR} references and a postgres Database store behind CachedUpdatePersister', () => {
    const dir = project({ 'package.json': PKG, 'config.json': '{}' });
    const data = {
      model_persister: { __factory__: 'CachedUpdatePersister', impl: { '!': 'Database', url: '${DATABASE_URL}' } },
      predict_service: { decorators: [{ key: '${API_KEY}' }] },
    };
    const described = describeProject(dir, { files: [path.join(dir, 'config.json')], data });
    expect(described.envVars).toEqual(['API_KEY', 'DATABASE_URL']);
    expect(described.store).toEqual({ kind: 'database', factory: 'Database', urlVariable: 'DATABASE_URL' });
  });

  it('refuses a project without palladium-ts, and a config outside the project', () => {
    const dir = project({ 'package.json': JSON.stringify({ name: 'x', dependencies: {} }), 'config.json': '{}' });
    expect(() => describeProject(dir, { files: [path.join(dir, 'config.json')], data: {} })).toThrow(expect.objectContaining({ code: 'PLD_ERR_DEPLOY_NO_PACKAGE' }));
    const other = project({ 'package.json': PKG });
    expect(() => describeProject(other, { files: [path.join(dir, 'config.json')], data: {} })).toThrow(expect.objectContaining({ code: 'PLD_ERR_DEPLOY_OUTSIDE_PROJECT' }));
  });

  it('makes DNS labels of package names, and keeps ${VAR}s through placeholderEnv', () => {
    expect(dnsLabel('@acme/Iris_Service')).toBe('iris-service');
    expect(dnsLabel('---')).toBe('palladium-service');
    const env = placeholderEnv({ PALLADIUM_CONFIG: 'a.json', DATABASE_URL: 'postgres://secret' });
    expect(env.DATABASE_URL).toBe('${DATABASE_URL}');
    expect(env.PALLADIUM_CONFIG).toBe('a.json');
  });
});

describe('renderDockerfile', () => {
  it('has a deps stage with npm ci, a node:20-slim runtime as user node, PALLADIUM_CONFIG, a HEALTHCHECK on /alive and pld serve --workers', () => {
    const text = renderDockerfile(iris(), { workers: 4, port: 8000 });
    expect(text.match(/^FROM .*$/gm)).toEqual(['FROM node:20-slim AS deps', 'FROM node:20-slim AS runtime']);
    expect(text).toContain('RUN npm ci --omit=dev');
    expect(text).toContain('ENV NODE_ENV=production PALLADIUM_CONFIG=config.json PORT=8000');
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\\\n {2}CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:8000\/alive'\)/m);
    expect(text).toMatch(/^CMD \["node_modules\/\.bin\/pld", "serve", "--host", "0\.0\.0\.0", "--port", "8000", "--workers", "4"\]$/m);
    expect(text).not.toContain('pld fit');
    // USER comes before CMD, so the server never runs as root.
    expect(text.indexOf('USER node')).toBeLessThan(text.lastIndexOf('CMD ['));
  });

  it('with fit adds a fit stage whose /app the runtime copies, and leaves the local store out of the context', () => {
    const text = renderDockerfile(iris(), { fit: true });
    expect(text.match(/^FROM .*$/gm)).toEqual(['FROM node:20-slim AS deps', 'FROM deps AS fit', 'FROM node:20-slim AS runtime']);
    expect(text).toContain('RUN node_modules/.bin/pld fit');
    expect(text).toContain('COPY --from=fit --chown=node:node /app ./');
    expect(renderDockerignore(iris(), { fit: true }).split('\n')).toContain('models');
    expect(renderDockerignore(iris()).split('\n')).not.toContain('models');
  });

  it('falls back to npm install without a lockfile', () => {
    expect(renderDockerfile(iris({ hasLockfile: false }))).toContain('RUN npm install --omit=dev');
  });
});

describe('k8sObjects', () => {
  it('emits ConfigMap, Deployment, Service, HPA and PDB, each valid against its vendored v1.30 schema', () => {
    const objects = k8sObjects(iris({ envVars: ['DATABASE_URL'] }), { replicas: 3, image: 'reg.example.com/iris:1' });
    expect(objects.map((object) => object.kind)).toEqual(['ConfigMap', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
    for (const object of objects) expect(k8sSchemaErrors(object)).toEqual([]);
  });

  it('the schemas catch a wrong type, a missing required field and a misspelt field', () => {
    const [, deployment] = k8sObjects(iris());
    const container = (deployment.spec as any).template.spec.containers[0];
    expect(k8sSchemaErrors({ ...deployment, spec: { ...(deployment.spec as object), replicas: '2' } }).join()).toContain('/spec/replicas must be integer');
    const noPort = structuredClone(deployment) as any;
    delete noPort.spec.template.spec.containers[0].ports[0].containerPort;
    expect(k8sSchemaErrors(noPort).join()).toContain("must have required property 'containerPort'");
    const typo = structuredClone(deployment) as any;
    typo.spec.template.spec.containers[0] = { ...container, readinesProbe: container.readinessProbe };
    expect(k8sSchemaErrors(typo).join()).toContain('must NOT have additional properties');
  });

  it('puts the config in the ConfigMap, mounted where the image has it, and ${VAR}s from the Secret', () => {
    const described = iris({ envVars: ['DATABASE_URL'] });
    const [configMap, deployment] = k8sObjects(described);
    expect(Object.values(configMap.data as object)).toEqual(['{}']);
    const pod = (deployment.spec as any).template.spec;
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'config', mountPath: '/app/config.json', subPath: '0-config.json', readOnly: true });
    expect(pod.containers[0].env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'iris-service-secrets', key: 'DATABASE_URL' } } });
    expect(pod.containers[0].env).toContainEqual({ name: 'PALLADIUM_CONFIG', value: 'config.json' });
    expect(pod.volumes).toContainEqual({ name: 'models', persistentVolumeClaim: { claimName: 'iris-service-models' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'models', mountPath: '/app/models' });
    const [, baked] = k8sObjects(described, { storeVolume: false });
    expect((baked.spec as any).template.spec.volumes.map((volume: { name: string }) => volume.name)).toEqual(['config']);
  });

  it('renders one YAML document per object, with the Secret to create named in the header', () => {
    const described = iris({ envVars: ['DATABASE_URL'] });
    const text = renderManifests(k8sObjects(described), described);
    expect(text).toContain('kubectl create secret generic iris-service-secrets --from-literal=DATABASE_URL=...');
    const documents = parseAllDocuments(text);
    expect(Array.isArray(documents) && documents.map((document) => document.errors)).toEqual([[], [], [], [], []]);
    expect(text).not.toContain('*a1');
  });
});
