import { parentPort, workerData } from 'node:worker_threads';
import { countHistogram, histogramLength } from './hgb-histogram.js';
import { CTRL, FLAG_HESSIANS, FLAG_ROOT, type TeamSetup } from './hgb-team.js';
import { buildHistogramWith, HistKernel } from './hgb-wasm.js';

/**
 * Worker-thread entry of {@link HistogramTeam}: sleeps on its control slots, builds its words' part of
 * each node histogram it is woken for into its scratch histogram, and reports the job done.
 */
const setup = workerData as TeamSetup;
const { ctrl, wordStart, wordEnd } = setup;
// With WebAssembly, every array is viewed on the attached memory, so the kernel sees them as its own.
const kernel = setup.wasm === null ? null : HistKernel.attach(setup.wasm.memory, setup.wasm.layout);
const packed = kernel?.packed ?? setup.packed;
const order = kernel?.order ?? setup.order;
const gradients = kernel?.g ?? setup.gradients;
const hessians = kernel?.h ?? setup.hessians;
const scratch = kernel === null || setup.wasm === null ? setup.scratch : new Float64Array(kernel.memory.buffer, setup.wasm.scratchAt, setup.scratch.length);
const counts = countHistogram(packed, order.length);
const from = histogramLength(wordStart);
const to = histogramLength(wordEnd);
parentPort?.postMessage('ready');
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, CTRL.seq, seen);
  const seq = Atomics.load(ctrl, CTRL.seq);
  if (seq === seen) continue;
  seen = seq;
  if (Atomics.load(ctrl, CTRL.stop) !== 0) break;
  try {
    const output = ctrl[CTRL.output];
    const flags = ctrl[CTRL.flags];
    scratch.fill(0, from, to);
    buildHistogramWith(
      kernel,
      scratch,
      packed,
      wordStart,
      wordEnd,
      order,
      ctrl[CTRL.start],
      ctrl[CTRL.end],
      gradients[output],
      (flags & FLAG_HESSIANS) !== 0 ? hessians[output] : null,
      (flags & FLAG_ROOT) !== 0 ? counts : null,
    );
  } catch {
    Atomics.store(ctrl, CTRL.error, 1);
  }
  Atomics.store(ctrl, CTRL.done, seq);
  Atomics.notify(ctrl, CTRL.done);
}
