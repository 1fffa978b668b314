import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { k8sSchemaErrors } from '../support/k8s-schemas.js';
import { copyExample, pld } from './helpers.js';

/** The iris example as a user's project: a package.json that depends on palladium-ts, and a lockfile. */
function irisProject(): string {
  const dir = copyExample();
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'iris-service', version: '1.2.0', dependencies: { 'palladium-ts': '^0.1.0' } }));
  writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion": 3}');
  return dir;
}

/**
 * A `docker` client on PATH that records its arguments and working directory in calls.log; `info`
 * exits with `infoStatus` (1 = no engine, like this machine's), `build` with `buildStatus`.
 */
function fakeDocker(infoStatus: number, buildStatus = 0): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const bin = mkdtempSync(path.join(tmpdir(), 'pld-fake-docker-'));
  const log = path.join(bin, 'calls.log');
  writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\necho "$PWD: $*" >> '${log}'\ncase "$1" in info) exit ${infoStatus};; build) exit ${buildStatus};; esac\nexit 3\n`);
  chmodSync(path.join(bin, 'docker'), 0o755);
  return {
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH}`, PLD_DOCKER: '' },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}

describe('pld dockerize', () => {
  it('--dry-run prints the Dockerfile, the .dockerignore and the build command, and writes nothing', () => {
    const dir = irisProject();
    const docker = fakeDocker(0);
    const result = pld(dir, ['dockerize', '--dry-run', '--fit'], { env: docker.env });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`==> ${path.join(dir, 'Dockerfile')} <==\n# syntax=docker/dockerfile:1`);
    expect(result.stdout).toContain(`==> ${path.join(dir, '.dockerignore')} <==`);
    expect(result.stdout).toContain('RUN node_modules/.bin/pld fit');
    expect(result.stdout).toContain('Build the image with:\n  docker build -t iris-service:1.2.0 .\n');
    expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
    expect(existsSync(path.join(dir, '.dockerignore'))).toBe(false);
    expect(docker.calls()).toEqual([]);
  });

  it('without a Docker engine writes both files, says so, prints the exact docker build command and exits 0', () => {
    const dir = irisProject();
    const docker = fakeDocker(1);
    const result = pld(dir, ['dockerize', '--workers', '3'], { env: docker.env });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('No Docker engine answers here, so nothing was built. Build the image with:\n  docker build -t iris-service:1.2.0 .\n');
    expect(docker.calls()).toEqual([`${dir}: info --format {{.ServerVersion}}`]);
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM .*$/gm)).toEqual(['FROM node:20-slim AS deps', 'FROM node:20-slim AS runtime']);
    expect(dockerfile).toContain('RUN npm ci --omit=dev');
    expect(dockerfile).toContain('ENV NODE_ENV=production PALLADIUM_CONFIG=config.json PORT=5000');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/alive/m);
    expect(dockerfile).toContain('CMD ["node_modules/.bin/pld", "serve", "--host", "0.0.0.0", "--port", "5000", "--workers", "3"]');
    expect(readFileSync(path.join(dir, '.dockerignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['node_modules', '.git', '.env']));
  });

  it('with an engine runs docker build in the project folder, and a failed build exits 1', () => {
    const dir = irisProject();
    const docker = fakeDocker(0);
    const result = pld(dir, ['dockerize', '-t', 'acme/iris:2'], { env: docker.env });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Built image acme/iris:2');
    expect(docker.calls()).toEqual([`${dir}: info --format {{.ServerVersion}}`, `${dir}: build -t acme/iris:2 .`]);

    const failing = fakeDocker(0, 1);
    const failed = pld(dir, ['dockerize', '--force'], { env: failing.env });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('PLD_ERR_DEPLOY_BUILD_FAILED: docker build -t iris-service:1.2.0 . exited with 1');
  });

  it('refuses to overwrite an existing Dockerfile unless --force', () => {
    const dir = irisProject();
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    const docker = fakeDocker(1);
    const refused = pld(dir, ['dockerize'], { env: docker.env });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('PLD_ERR_DEPLOY_FILE_EXISTS');
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe('FROM scratch\n');
    expect(existsSync(path.join(dir, '.dockerignore'))).toBe(false);
    const forced = pld(dir, ['dockerize', '--force'], { env: docker.env });
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toContain('FROM node:20-slim AS runtime');
  });

  it('--out writes Dockerfile and Dockerfile.dockerignore elsewhere and builds with -f; pld-dockerize is the same command', () => {
    const dir = irisProject();
    const docker = fakeDocker(1);
    const result = pld(dir, ['--out', 'deploy', '--no-build'], { env: docker.env, bin: 'pld-dockerize' });
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'deploy', 'Dockerfile'))).toBe(true);
    expect(existsSync(path.join(dir, 'deploy', 'Dockerfile.dockerignore'))).toBe(true);
    expect(result.stdout).toContain('  docker build -t iris-service:1.2.0 -f deploy/Dockerfile .\n');
    expect(docker.calls()).toEqual([]);
  });

  it('needs a package.json that depends on palladium-ts', () => {
    const dir = copyExample();
    const result = pld(dir, ['dockerize', '--dry-run']);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('PLD_ERR_DEPLOY_NO_PACKAGE');
  });
});

describe('pld k8s', () => {
  it('prints one YAML document per object, each valid against its vendored Kubernetes v1.30 schema, with the flags applied', () => {
    const dir = irisProject();
    const result = pld(dir, ['k8s', '--replicas', '3', '--image', 'registry.example.com/iris:1.2.0']);
    expect(result.status, result.stderr).toBe(0);
    const documents = parseAllDocuments(result.stdout);
    if (!Array.isArray(documents)) throw new Error('no documents');
    expect(documents.flatMap((document) => document.errors)).toEqual([]);
    const objects = documents.map((document) => document.toJS() as { kind: string; spec: any; data: Record<string, string> });
    expect(objects.map((object) => object.kind)).toEqual(['ConfigMap', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
    for (const object of objects) expect(k8sSchemaErrors(object)).toEqual([]);

    const [configMap, deployment, service, hpa] = objects;
    expect(Object.values(configMap.data)).toEqual([readFileSync(path.join(dir, 'config.json'), 'utf8')]);
    expect(deployment.spec.replicas).toBe(3);
    expect(hpa.spec.minReplicas).toBe(3);
    expect(hpa.spec.maxReplicas).toBe(9);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.example.com/iris:1.2.0');
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) expect(container[probe].httpGet).toEqual({ path: '/alive', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 5000, protocol: 'TCP' }]);
    expect(container.resources.requests).toEqual({ cpu: '250m', memory: '256Mi' });
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
    expect(service.spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http' });
  });

  it("takes the database URL and the config's other ${VAR}s from a Secret, without them set here", () => {
    const dir = irisProject();
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
    config.model_persister = { __factory__: 'palladium.persistence.Database', url: '${DATABASE_URL}' };
    config.service_metadata = { service_name: 'iris', region: '${REGION:-eu}' };
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    const result = pld(dir, ['k8s', '--json'], { env: { DATABASE_URL: '', REGION: '' } });
    expect(result.status, result.stderr).toBe(0);
    const objects = JSON.parse(result.stdout) as { kind: string; spec: any }[];
    for (const object of objects) expect(k8sSchemaErrors(object)).toEqual([]);
    const pod = objects[1].spec.template.spec;
    expect(pod.containers[0].env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'iris-service-secrets', key: 'DATABASE_URL' } } });
    // REGION has a default in the config, so the Secret may lack it.
    expect(pod.containers[0].env).toContainEqual({ name: 'REGION', valueFrom: { secretKeyRef: { name: 'iris-service-secrets', key: 'REGION', optional: true } } });
    expect(pod.volumes.map((volume: { name: string }) => volume.name)).toEqual(['config']);
  });

  it('writes --out, refuses to overwrite it without --force, and rejects --replicas 0', () => {
    const dir = irisProject();
    expect(pld(dir, ['k8s', '-o', 'k8s.yaml']).status).toBe(0);
    expect(parseAllDocuments(readFileSync(path.join(dir, 'k8s.yaml'), 'utf8'))).toHaveLength(5);
    const again = pld(dir, ['k8s', '-o', 'k8s.yaml']);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('PLD_ERR_DEPLOY_FILE_EXISTS');
    const zero = pld(dir, ['k8s', '--replicas', '0']);
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('PLD_ERR_DEPLOY_BAD_OPTION: --replicas must be a positive integer, got 0');
  });
});
