import { upgrade } from '../../commands/upgrade.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { UPGRADE_FLAGS } from '../options.js';
import { printJson, printUpgrade } from '../print.js';

/** `pld upgrade [--from v] [--to v]` (Palladium's `pld-upgrade`): migrates the model store's layout. */
export const upgradeCommand: CliCommand = (program, env) => {
  const command = program.command('upgrade').description("migrate the model store's layout (db-version) to this version of palladium-ts");
  const options = addFlags(command, UPGRADE_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      const result = await upgrade(await env.context(), { from: opts.from, to: opts.to });
      if (opts.json) printJson(env.out, result);
      else printUpgrade(env.out, result);
      return 0;
    }, opts.json === true);
  });
};
