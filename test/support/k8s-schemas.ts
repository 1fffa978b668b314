import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

const DEFINITIONS = JSON.parse(readFileSync(new URL('../fixtures/k8s-schemas/_definitions.json', import.meta.url), 'utf8')) as { $id: string };

/** The vendored definition each kind validates against (test/fixtures/k8s-schemas/README.md). */
export const K8S_DEFINITION_OF: Readonly<Record<string, string>> = {
  ConfigMap: 'io.k8s.api.core.v1.ConfigMap',
  Deployment: 'io.k8s.api.apps.v1.Deployment',
  Service: 'io.k8s.api.core.v1.Service',
  HorizontalPodAutoscaler: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  PodDisruptionBudget: 'io.k8s.api.policy.v1.PodDisruptionBudget',
};

// The OpenAPI formats Kubernetes uses; int32/int64 ranges are checked, the string ones are types already.
const ajv = new Ajv({
  allErrors: true,
  strict: false,
  formats: {
    int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
    int64: { type: 'number', validate: (n: number) => Number.isSafeInteger(n) },
    'int-or-string': true,
    byte: true,
  },
});
ajv.addSchema(DEFINITIONS);
const validators = new Map<string, ValidateFunction>();

/** Validates one Kubernetes object against the vendored v1.30 schema of its kind; returns ajv's errors as lines ([] when valid). */
export function k8sSchemaErrors(object: object): string[] {
  const kind = String((object as { kind?: unknown }).kind);
  const definition = K8S_DEFINITION_OF[kind];
  if (definition === undefined) return [`no vendored schema for kind ${kind}`];
  let validate = validators.get(definition);
  if (validate === undefined) {
    validate = ajv.getSchema(`${DEFINITIONS.$id}#/definitions/${definition}`);
    if (validate === undefined) throw new Error(`${definition} missing from _definitions.json`);
    validators.set(definition, validate);
  }
  return validate(object) ? [] : (validate.errors ?? []).map((error) => `${kind}${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
}
