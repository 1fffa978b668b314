import { activate, remove } from '../../commands/admin.js';
import { rollback } from '../../commands/rollback.js';
import { parseVersion } from '../../persistence/version.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { ADMIN_ACTIVATE_FLAGS, ADMIN_DELETE_FLAGS, ROLLBACK_FLAGS } from '../options.js';
import { printJson, printRollback } from '../print.js';

/** `pld admin activate|delete <version>` (Palladium's `pld-admin`) and `pld admin rollback`. */
export const adminCommand: CliCommand = (program, env) => {
  const admin = program.command('admin').description('activate or delete stored versions');
  const activateCommand = admin.command('activate <version>').description('make <version> the active model');
  const activateOptions = addFlags(activateCommand, ADMIN_ACTIVATE_FLAGS);
  activateCommand.action(async (version: string) => {
    const opts = activateOptions();
    await env.run(async () => {
      const parsed = parseVersion(version);
      await activate(await env.context(), parsed);
      if (opts.json) printJson(env.out, { activated: parsed });
      return 0;
    }, opts.json === true);
  });
  const deleteCommand = admin.command('delete <version>').description('delete a stored version (the active one only with --force)');
  const deleteOptions = addFlags(deleteCommand, ADMIN_DELETE_FLAGS);
  deleteCommand.action(async (version: string) => {
    const opts = deleteOptions();
    await env.run(async () => {
      const parsed = parseVersion(version);
      await remove(await env.context(), parsed, { force: opts.force });
      if (opts.json) printJson(env.out, { deleted: parsed });
      return 0;
    }, opts.json === true);
  });
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
