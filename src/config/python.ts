import { spawnSync } from 'node:child_process';
import { PldError } from '../errors.js';

/**
 * Runs a Python script on a Palladium `config.py` with the system `python3` (or `$PALLADIUM_PYTHON`)
 * and returns its stdout. A missing interpreter or a failing script is `PLD_ERR_CONFIG_PYTHON`,
 * naming the file and python's last error line.
 * @example
 * const json = runPythonOn('/srv/app/config.py', 'import sys; print(open(sys.argv[1]).read())');
 */
export function runPythonOn(file: string, script: string, args: readonly string[] = []): string {
  const python = process.env.PALLADIUM_PYTHON ?? 'python3';
  const result = spawnSync(python, ['-c', script, file, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new PldError(
      'PLD_ERR_CONFIG_PYTHON',
      missing
        ? `${file}: reading a Palladium config.py needs '${python}', which is not installed or not on PATH (or convert it: pld migrate-config)`
        : `${file}: ${result.error.message}`,
      { cause: result.error, details: { file } },
    );
  }
  if (result.status !== 0) {
    const lastLine = result.stderr.trim().split('\n').pop() ?? '';
    throw new PldError('PLD_ERR_CONFIG_PYTHON', `${file}: python3 could not evaluate the config: ${lastLine}`, { details: { file, stderr: result.stderr } });
  }
  return result.stdout;
}
