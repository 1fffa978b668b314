import { Worker } from 'node:worker_threads';
import { PldError } from '../../errors.js';
import { histogramLength, type PackedBins } from './hgb-histogram.js';
import { buildHistogramWith, type HistKernel, type KernelLayout, type WasmMemory } from './hgb-wasm.js';

/** Control slots of one worker (an Int32Array on a SharedArrayBuffer). */
export const CTRL = { seq: 0, done: 1, start: 2, end: 3, output: 4, flags: 5, stop: 6, error: 7, length: 8 } as const;
/** `flags` bits: hessians are not constant; the node is the root (counts known). */
export const FLAG_HESSIANS = 1;
export const FLAG_ROOT = 2;
/** Nodes smaller than this are built by the calling thread alone: waking a worker costs more. */
const MIN_PARALLEL_ROWS = 8192;
/** How long the calling thread waits for a worker's half before calling it lost. */
const WORKER_TIMEOUT_MS = 120_000;

/**
 * What every histogram worker gets once, on SharedArrayBuffers: the packed bins, the grower's row order,
 * the gradient and hessian arrays of every output, its control slots and scratch histogram, and its
 * range of packed words.
 * @example
 * const setup: TeamSetup = { packed, order, gradients, hessians, ctrl, scratch, wordStart: 3, wordEnd: 5, wasm: null };
 */
export interface TeamSetup {
  packed: PackedBins;
  order: Int32Array;
  gradients: Float64Array[];
  hessians: Float64Array[];
  ctrl: Int32Array;
  scratch: Float64Array;
  wordStart: number;
  wordEnd: number;
  /** The fit's WebAssembly memory (shared) and layout, when histograms are built by its kernel; `scratch` is then in it at byte `scratchAt`. */
  wasm: { memory: WasmMemory; layout: KernelLayout; scratchAt: number } | null;
}

interface _Member {
  worker: Worker;
  setup: TeamSetup;
  exited: Promise<void>;
}

/**
 * Builds node histograms on `jobs` threads (this one and `jobs - 1` workers), each over its own range
 * of packed feature words. Every bin is still summed by one thread in row order, so the histograms, and
 * the fitted model, are bit for bit those of one thread. The hand-offs are Atomics on shared memory, not
 * messages, because a tree needs one per node (thousands per fit) and the fit loop stays synchronous.
 * @example
 * const team = await HistogramTeam.start(2, packed, gradients, hessians);
 * try { ... team.build(hist, start, end, c, true, false, counts) ... } finally { await team.close(); }
 */
export class HistogramTeam {
  /** The grower's row order, shared with the workers: the grower partitions it in place. */
  readonly order: Int32Array;
  readonly #packed: PackedBins;
  readonly #gradients: Float64Array[];
  readonly #hessians: Float64Array[];
  readonly #ownWords: number;
  readonly #members: _Member[];
  readonly #kernel: HistKernel | null;
  #seq = 0;

  private constructor(packed: PackedBins, order: Int32Array, gradients: Float64Array[], hessians: Float64Array[], ownWords: number, members: _Member[], kernel: HistKernel | null) {
    this.#kernel = kernel;
    this.#packed = packed;
    this.order = order;
    this.#gradients = gradients;
    this.#hessians = hessians;
    this.#ownWords = ownWords;
    this.#members = members;
  }

  /**
   * Starts the workers (`packed`, `gradients` and `hessians` must live on SharedArrayBuffers) and
   * resolves once each is ready; null when one thread would do (fewer than two words or jobs). With a
   * `kernel` on shared memory (holding those arrays), every thread builds with it; each worker takes
   * one of its histograms as scratch.
   */
  static async start(jobs: number, packed: PackedBins, gradients: Float64Array[], hessians: Float64Array[], kernel: HistKernel | null = null): Promise<HistogramTeam | null> {
    const threads = Math.min(jobs, packed.nWords);
    if (threads < 2) return null;
    const n = packed.nWords === 0 ? 0 : packed.words.length / packed.nWords;
    const order = kernel?.order ?? new Int32Array(new SharedArrayBuffer(n * 4));
    // This thread takes the first (largest) share: a worker starts late by its wake-up time.
    const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.round((t * packed.nWords) / threads));
    const ownWords = bounds[1];
    const url = new URL('./hgb-worker.js', import.meta.url);
    const members: _Member[] = [];
    const ready: Promise<void>[] = [];
    for (let t = 1; t < threads; t++) {
      const setup: TeamSetup = {
        packed,
        order,
        gradients,
        hessians,
        ctrl: new Int32Array(new SharedArrayBuffer(CTRL.length * 4)),
        scratch: kernel?.histograms.pop() ?? new Float64Array(new SharedArrayBuffer(histogramLength(packed.nWords) * 8)),
        wordStart: bounds[t],
        wordEnd: bounds[t + 1],
        wasm: null,
      };
      if (kernel !== null) setup.wasm = { memory: kernel.memory, layout: kernel.layout, scratchAt: setup.scratch.byteOffset };
      const worker = new Worker(url, { workerData: setup });
      const failed = (error: Error) => new PldError('PLD_ERR_INTERNAL', `A histogram gradient boosting worker thread failed: ${error.message}`, { cause: error });
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', (error) => reject(failed(error)));
          worker.once('exit', (code) => reject(new PldError('PLD_ERR_INTERNAL', `A histogram gradient boosting worker thread exited with code ${code} before it was ready`)));
        }),
      );
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      members.push({ worker, setup, exited });
    }
    const team = new HistogramTeam(packed, order, gradients, hessians, ownWords, members, kernel);
    try {
      await Promise.all(ready);
    } catch (error) {
      await team.close();
      throw error;
    }
    return team;
  }

  /**
   * Fills the zeroed `hist` with the sums of rows `order[start..end)` for output `output` (its hessians
   * when `withHessians`, else counts; `counts` for the root), splitting the words between the threads.
   */
  build(hist: Float64Array, start: number, end: number, output: number, withHessians: boolean, counts: Float64Array | null): void {
    const hessians = withHessians ? this.#hessians[output] : null;
    const gradients = this.#gradients[output];
    if (end - start < MIN_PARALLEL_ROWS) {
      buildHistogramWith(this.#kernel, hist, this.#packed, 0, this.#packed.nWords, this.order, start, end, gradients, hessians, counts);
      return;
    }
    const seq = ++this.#seq;
    const flags = (withHessians ? FLAG_HESSIANS : 0) | (counts !== null ? FLAG_ROOT : 0);
    for (const { setup } of this.#members) {
      const ctrl = setup.ctrl;
      ctrl[CTRL.start] = start;
      ctrl[CTRL.end] = end;
      ctrl[CTRL.output] = output;
      ctrl[CTRL.flags] = flags;
      Atomics.store(ctrl, CTRL.seq, seq);
      Atomics.notify(ctrl, CTRL.seq);
    }
    buildHistogramWith(this.#kernel, hist, this.#packed, 0, this.#ownWords, this.order, start, end, gradients, hessians, counts);
    for (const { setup } of this.#members) {
      const ctrl = setup.ctrl;
      const deadline = Date.now() + WORKER_TIMEOUT_MS;
      for (let done = Atomics.load(ctrl, CTRL.done); done !== seq; done = Atomics.load(ctrl, CTRL.done)) {
        if (Date.now() > deadline) throw new PldError('PLD_ERR_INTERNAL', `A histogram gradient boosting worker thread did not answer within ${WORKER_TIMEOUT_MS / 1000} s`);
        Atomics.wait(ctrl, CTRL.done, done, 1000);
      }
      if (Atomics.load(ctrl, CTRL.error) !== 0) throw new PldError('PLD_ERR_INTERNAL', 'A histogram gradient boosting worker thread failed while building a histogram');
      const from = histogramLength(setup.wordStart);
      hist.set(setup.scratch.subarray(from, histogramLength(setup.wordEnd)), from);
    }
  }

  /** Stops the workers and waits until they have exited. */
  async close(): Promise<void> {
    for (const { setup } of this.#members) {
      Atomics.store(setup.ctrl, CTRL.stop, 1);
      Atomics.add(setup.ctrl, CTRL.seq, 1);
      Atomics.notify(setup.ctrl, CTRL.seq);
    }
    await Promise.all(this.#members.map((m) => m.exited));
  }
}
