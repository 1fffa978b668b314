import { PACKAGE_VERSION } from '../../version.js';
import type { CliCommand } from '../define.js';

/** `pld version` (Palladium's `pld-version`). */
export const versionCommand: CliCommand = (program, env) => {
  program
    .command('version')
    .description('print the version')
    .action(async () => env.run(async () => (env.out.stdout(`${PACKAGE_VERSION}\n`), 0), false));
};
