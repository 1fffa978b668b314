import { activate, remove } from '../../commands/admin.js';
import { rollback } from '../../commands/rollback.js';
import { parseVersion } from '../../persistence/version.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { ADMIN_DELETE_FLAGS, ROLLBACK_FLAGS } from '../options.js';
import { printJson, printRollback } from '../print.js';

/** `pld admin activate|delete <version>` (Palladium's `pld-admin`) and `pld admin rollback`. */
export const adminCommand: CliCommand = (program, env) => {
  const admin = program.command('admin').description('activate or delete stored versions');
  admin
    .command('activate <version>')
    .description('make <version> the active model')
    .action(async (version: string) => env.run(async () => (await activate(await env.context(), parseVersion(version)), 0), false));
  const deleteCommand = admin.command('delete <version>').description('delete a stored version (the active one only with --force)');
  const deleteOptions = addFlags(deleteCommand, ADMIN_DELETE_FLAGS);
  deleteCommand.action(async (version: string) => env.run(async () => (await remove(await env.context(), parseVersion(version), deleteOptions()), 0), false));
  const rollbackCommand = admin.command('rollback').description('re-activate the version that was active before the current one');
  const rollbackOptions = addFlags(rollbackCommand, ROLLBACK_FLAGS);
  rollbackCommand.action(async () => {
    const opts = rollbackOptions();
    await env.run(async () => {
      const result = await rollback(await env.context());
      if (opts.json) printJson(env.out, result);
      else printRollback(env.out, result);
      return 0;
    }, opts.json === true);
  });
};
