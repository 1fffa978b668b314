import { PACKAGE_VERSION } from '../../version.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { VERSION_FLAGS } from '../options.js';
import { printJson } from '../print.js';

/** `pld version` (Palladium's `pld-version`). */
export const versionCommand: CliCommand = (program, env) => {
  const command = program.command('version').description('print the version');
  const options = addFlags(command, VERSION_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      if (opts.json) printJson(env.out, { version: PACKAGE_VERSION, node: process.versions.node });
      else env.out.stdout(`${PACKAGE_VERSION}\n`);
      return 0;
    }, opts.json === true);
  });
};
