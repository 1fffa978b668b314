// Setup file for `npm run coverage` (scripts/coverage.mjs): the processes that tests spawn (the built CLI,
// servers and their workers) inherit NODE_V8_COVERAGE and dump raw V8 coverage when they exit. It is set
// here, inside the test worker, rather than in vitest's env, so that the worker itself (already measured
// by @vitest/coverage-v8) does not also dump its own coverage.
const dir = process.env.PLD_CHILD_COVERAGE;
if (dir) process.env.NODE_V8_COVERAGE = dir;
