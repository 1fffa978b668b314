import { migrateConfig } from '../../commands/migrate-config.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { MIGRATE_CONFIG_FLAGS } from '../options.js';
import { printJson, printMigration } from '../print.js';

/** `pld migrate-config <config.py>`: a Palladium config.py as JSON or TypeScript; needs no config of its own. */
export const migrateConfigCommand: CliCommand = (program, env) => {
  const command = program
    .command('migrate-config <file>')
    .description("turn a Palladium config.py into a JSON or TypeScript config, reporting what changed and what couldn't be migrated");
  const options = addFlags(command, MIGRATE_CONFIG_FLAGS);
  command.action(async (file: string) => {
    const opts = options();
    await env.run(async () => {
      const result = migrateConfig({ ...opts, file, cwd: process.cwd() });
      if (opts.json)
        printJson(env.out, { source: result.source, out: result.out, format: result.format, config: result.config, changes: result.changes, unsupported: result.unsupported });
      else printMigration(env.out, result);
      return 0;
    }, opts.json === true);
  });
};
