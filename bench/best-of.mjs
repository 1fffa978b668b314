// Shared by the estimator benchmarks: on a shared machine the best of several runs is the figure least
// disturbed by other jobs.

/** Best wall time of `runs` calls of `run`, in ms. */
export async function bestOf(runs, run) {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    await run();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return best;
}
