import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ExternalModel } from '../../src/estimators/external/external-model.js';
import type { EstimatorCase, EstimatorCheck } from './estimator.js';

const MODEL_PY = fileURLToPath(new URL('../../examples/python-model/model.py', import.meta.url));

/** Why Python tests cannot run here, or undefined when python3 with numpy is available. */
export function pythonMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.error !== undefined) return `python3 is not installed (${probe.error.message})`;
  return probe.status === 0 ? undefined : `python3 has no numpy (${probe.stderr.trim().split('\n').pop()})`;
}

const ALL: EstimatorCheck[] = ['params', 'clone', 'fit', 'refit', 'notFitted', 'determinism', 'persistence', 'proba', 'labels', 'badParam', 'nan', 'config'];

/**
 * ExternalModel in the estimator contract, run by the Python example (examples/python-model, a
 * nearest-centroid classifier): it learns at fit, so the whole contract applies; NaN is rejected by
 * model.py itself, naming the column. Skipped with the reason where python3 or numpy is missing.
 */
export function externalContractCase(): EstimatorCase {
  const command = ['python3', MODEL_PY];
  const missing = pythonMissing();
  return {
    make: (params) => new ExternalModel({ command, ...params }),
    config: { command },
    altParam: { timeout_ms: 20_000 },
    badParam: ['timeout_ms', -1],
    ...(missing === undefined ? {} : { skip: Object.fromEntries(ALL.map((check) => [check, missing])) }),
  };
}
