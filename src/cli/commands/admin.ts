import { activate, remove } from '../../commands/admin.js';
import { rollback } from '../../commands/rollback.js';
import { clearTraffic, setTraffic, showTraffic, type TrafficShowResult } from '../../commands/traffic.js';
import { parseVersion } from '../../persistence/version.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { ADMIN_ACTIVATE_FLAGS, ADMIN_DELETE_FLAGS, ADMIN_TRAFFIC_FLAGS, ADMIN_TRAFFIC_SET_FLAGS, ROLLBACK_FLAGS, type TrafficSetOptions } from '../options.js';
import { printJson, printRollback, printTraffic } from '../print.js';
import type { CliEnv } from '../define.js';
import type { Command } from 'commander';

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
  _trafficCommands(admin, env);
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

/** `pld admin traffic show|set <mode>|clear`: the model's traffic policy in the store. */
function _trafficCommands(admin: Command, env: CliEnv): void {
  const traffic = admin.command('traffic').description('show or change the traffic policy (canary, sticky A/B, shadow) servers read from the store');
  const run = (command: Command, flags: typeof ADMIN_TRAFFIC_FLAGS, action: (...args: string[]) => Promise<TrafficShowResult>) => {
    const options = addFlags(command, flags);
    command.action(async (...args: unknown[]) => {
      const opts = options();
      await env.run(async () => {
        const result = await action(...(args.filter((arg) => typeof arg === 'string') as string[]));
        if (opts.json) printJson(env.out, result);
        else printTraffic(env.out, result);
        return 0;
      }, opts.json === true);
    });
  };
  run(traffic.command('show', { isDefault: true }).description('print the policy in force and where it comes from'), ADMIN_TRAFFIC_FLAGS, async () =>
    showTraffic(await env.context()),
  );
  const set = traffic.command('set <mode>').description('store a policy: none, canary, sticky or shadow (servers pick it up at their next check)');
  const setOptions = addFlags(set, ADMIN_TRAFFIC_SET_FLAGS);
  set.action(async (mode: string) => {
    const opts = setOptions();
    await env.run(async () => {
      const result = await setTraffic(await env.context(), _policyOf(mode, opts));
      if (opts.json) printJson(env.out, result);
      else printTraffic(env.out, result);
      return 0;
    }, opts.json === true);
  });
  run(traffic.command('clear').description("remove the stored policy: servers go back to the config's traffic, or none"), ADMIN_TRAFFIC_FLAGS, async () =>
    clearTraffic(await env.context()),
  );
}

// Only the flags given become fields, so the policy parser reports a flag that does not fit the mode.
function _policyOf(mode: string, options: Partial<TrafficSetOptions>): Record<string, unknown> {
  const policy: Record<string, unknown> = { mode };
  if (options.challenger !== undefined) policy.challenger = options.challenger;
  if (options.weight !== undefined) policy.weight = options.weight;
  if (options.shadow !== undefined) policy.shadow = options.shadow;
  if (options.keyHeader !== undefined) policy.key = { header: options.keyHeader };
  if (options.keyQuery !== undefined) policy.key = options.keyHeader === undefined ? { query: options.keyQuery } : { header: options.keyHeader, query: options.keyQuery };
  return policy;
}
