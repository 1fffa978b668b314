import { parentPort, workerData } from 'node:worker_threads';
import { type ForestJob, growForestTree } from './forest-core.js';

/**
 * Worker-thread entry of {@link fitForestTrees}: grows the trees it is given (indices `first`,
 * `first + stride`, ...) from the shared job and posts them back with their buffers transferred.
 */
const { job, first, stride } = workerData as { job: ForestJob; first: number; stride: number };
for (let t = first; t < job.seeds.length; t += stride) {
  const tree = growForestTree(job, t);
  const buffers = [tree.feature, tree.threshold, tree.left, tree.right, tree.impurity, tree.nNodeSamples, tree.weightedNNodeSamples, tree.value, tree.featureImportances].map(
    (a) => a.buffer as ArrayBuffer,
  );
  parentPort?.postMessage({ t, tree }, buffers);
}
