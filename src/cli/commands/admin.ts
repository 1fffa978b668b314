import { activate, remove } from '../../commands/admin.js';
import { parseVersion } from '../../persistence/version.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { ADMIN_DELETE_FLAGS } from '../options.js';

/** `pld admin activate|delete <version>` (Palladium's `pld-admin`). */
export const adminCommand: CliCommand = (program, env) => {
  const admin = program.command('admin').description('activate or delete stored versions');
  admin
    .command('activate <version>')
    .description('make <version> the active model')
    .action(async (version: string) => env.run(async () => (await activate(await env.context(), parseVersion(version)), 0), false));
  const deleteCommand = admin.command('delete <version>').description('delete a stored version (the active one only with --force)');
  const deleteOptions = addFlags(deleteCommand, ADMIN_DELETE_FLAGS);
  deleteCommand.action(async (version: string) => env.run(async () => (await remove(await env.context(), parseVersion(version), deleteOptions()), 0), false));
};
