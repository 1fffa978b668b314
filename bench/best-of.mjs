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

/**
 * Best process CPU time (user + system, ms) of `runs` calls of `run`: on a loaded machine, wall time
 * counts the time other jobs held the core, CPU time does not (cache sharing still slows it somewhat).
 * Compare it with Python's time.process_time(), which counts the same.
 */
export async function bestCpuOf(runs, run) {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = process.cpuUsage();
    await run();
    const used = process.cpuUsage(t0);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/** Best wall time and best process CPU time (ms) of `runs` calls of `run`, both from the same calls. */
export async function bestWallAndCpuOf(runs, run) {
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    await run();
    const used = process.cpuUsage(c0);
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e6);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { wall, cpu };
}
