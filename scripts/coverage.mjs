// `npm run coverage`: one coverage figure for the whole suite, including the code that e2e tests run
// in child processes (the built CLI, servers, cluster and worker threads).
//
// 1. vitest runs with @vitest/coverage-v8, which measures the test workers (src/ through vite) and writes
//    istanbul JSON. Its setup file test/support/child-coverage.ts sets NODE_V8_COVERAGE for the processes
//    tests spawn (the workers themselves start without it), so every child node process and its worker
//    threads dump raw V8 coverage into a directory when they exit.
// 2. The raw dumps are filtered to dist/**.js, merged, and remapped to src/**.ts through tsc's source
//    maps with the same converter (ast-v8-to-istanbul) and parser vitest uses. Both halves then describe
//    a file with the same statements, functions and branches in the same order; only some locations
//    differ (esbuild's source maps lack end columns that tsc's have), so hits are added item by item
//    rather than by istanbul's location-keyed merge, which would count such items twice.
// 3. Reports: text summary on stdout; coverage/coverage.txt (per file), html, lcov.info, json-summary.
//    A full run fails when lines or branches fall below the thresholds; a run limited to some test files
//    (`npm run coverage -- test/e2e/cli.test.ts`) reports without checking.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mergeProcessCovs } from '@bcoe/v8-coverage';
import convert from 'ast-v8-to-istanbul';
import libCoverage from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import { parseAstAsync } from 'vitest/node';

/** Below these the full run fails (docs/coverage.md says what is excluded and why). */
export const THRESHOLDS = { lines: 95, branches: 83 };

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'coverage');
const tmp = path.join(out, '.tmp');
const childrenDir = path.join(tmp, 'children');
const inProcessDir = path.join(tmp, 'in-process');
const distUrl = pathToFileURL(path.join(root, 'dist')).href + '/';
const srcDir = path.join(root, 'src') + path.sep;

async function main() {
  const args = process.argv.slice(2);
  const filtered = args.some((arg) => !arg.startsWith('-'));
  if (!existsSync(path.join(root, 'dist', 'cli', 'bin.js'))) throw new Error('dist/ is missing: run npm run build first (npm run coverage does)');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(childrenDir, { recursive: true });

  const started = Date.now();
  const vitestStatus = await runVitest(args);
  const testsSeconds = (Date.now() - started) / 1000;

  const inProcessFile = path.join(inProcessDir, 'coverage-final.json');
  if (!existsSync(inProcessFile)) {
    console.error(`vitest exited with ${vitestStatus} and wrote no coverage report`);
    process.exitCode = vitestStatus || 1;
    return;
  }
  const inProcess = libCoverage.createCoverageMap(JSON.parse(readFileSync(inProcessFile, 'utf8')));
  mergeChildren(inProcess, await childrenCoverage(childrenDir), filtered);

  const context = libReport.createContext({ dir: out, coverageMap: inProcess, defaultSummarizer: 'nested' });
  for (const [name, options] of [
    ['text-summary', {}],
    ['text', { file: 'coverage.txt', skipFull: true }],
    ['html', {}],
    ['lcovonly', {}],
    ['json-summary', {}],
    ['json', {}],
  ]) {
    reports.create(name, { projectRoot: root, ...options }).execute(context);
  }
  rmSync(tmp, { recursive: true, force: true });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `Coverage of ${inProcess.files().length} files in ${seconds.toFixed(0)} s (tests ${testsSeconds.toFixed(0)} s); per file: coverage/coverage.txt, coverage/index.html`,
  );

  let status = vitestStatus;
  if (filtered) {
    console.log('Some test files only: thresholds not checked.');
  } else {
    const total = inProcess.getCoverageSummary();
    for (const [metric, minimum] of Object.entries(THRESHOLDS)) {
      const pct = total[metric].pct;
      if (pct < minimum) {
        console.error(`ERROR: coverage for ${metric} (${pct} %) is below the threshold of ${minimum} %`);
        status ||= 1;
      }
    }
  }
  process.exitCode = status;
}

/**
 * Adds the children's coverage to the in-process map. A full run lists every included file (vitest adds
 * untested ones), so its file set carries the include/exclude of vitest.config.ts; a filtered run does
 * not, and falls back to src/**\/*.ts.
 */
export function mergeChildren(inProcess, children, filtered) {
  const known = new Set(inProcess.files());
  children.filter(filtered ? (file) => file.startsWith(srcDir) && file.endsWith('.ts') && !file.endsWith('.test.ts') : (file) => known.has(file));
  for (const file of children.files()) {
    const from = children.fileCoverageFor(file);
    if (!known.has(file)) inProcess.addFileCoverage(from);
    else if (!addHitsByItem(inProcess.fileCoverageFor(file), from)) {
      console.warn(`coverage: ${path.relative(root, file)} has a different structure in dist/ than through vite; merged by location`);
      inProcess.fileCoverageFor(file).merge(from);
    }
  }
}

function runVitest(args) {
  const bin = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const vitestArgs = ['run', '--coverage', '--coverage.reporter=json', '--coverage.reportOnFailure', `--coverage.reportsDirectory=${inProcessDir}`, ...args];
  const child = spawn(process.execPath, [bin, ...vitestArgs], { cwd: root, stdio: 'inherit', env: { ...process.env, PLD_CHILD_COVERAGE: childrenDir } });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Adds `from`'s hit counts to `to` when both list the same items in the same order; false otherwise. */
function addHitsByItem(to, from) {
  const a = to.data;
  const b = from.data;
  const sameCount = (key) => Object.keys(a[key]).length === Object.keys(b[key]).length;
  if (!sameCount('statementMap') || !sameCount('fnMap') || !sameCount('branchMap')) return false;
  for (const key of Object.keys(a.b)) if (b.b[key]?.length !== a.b[key].length) return false;
  for (const key of Object.keys(a.s)) a.s[key] += b.s[key];
  for (const key of Object.keys(a.f)) a.f[key] += b.f[key];
  for (const key of Object.keys(a.b)) a.b[key] = a.b[key].map((hits, i) => hits + b.b[key][i]);
  return true;
}

/** Raw V8 dumps of the children in `dir`, restricted to dist/ and remapped to src/. */
export async function childrenCoverage(dir) {
  let merged = { result: [] };
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    let dump;
    try {
      dump = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      continue; // a process killed while writing leaves a truncated file; its coverage is lost either way
    }
    const result = dump.result.filter((script) => script.url.startsWith(distUrl) && script.url.endsWith('.js'));
    if (result.length > 0) merged = mergeProcessCovs([merged, { result }]);
  }
  const map = libCoverage.createCoverageMap({});
  for (const script of merged.result) {
    const file = fileURLToPath(script.url);
    if (!existsSync(file) || !existsSync(`${file}.map`)) continue;
    const code = readFileSync(file, 'utf8');
    const sourceMap = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
    sourceMap.sources = sourceMap.sources.map((source) => new URL(source, script.url).href);
    const ast = await parseAstAsync(code);
    map.merge(await convert({ code, ast, sourceMap, wrapperLength: 0, coverage: { url: script.url, functions: script.functions } }));
  }
  return map;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
