import { list } from '../../commands/list.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { LIST_FLAGS } from '../options.js';
import { printJson, printList } from '../print.js';

/** `pld list` (Palladium's `pld-list`). */
export const listCommand: CliCommand = (program, env) => {
  const command = program.command('list').description('list stored model versions and store properties');
  const options = addFlags(command, LIST_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      const result = await list(await env.context());
      if (opts.json) printJson(env.out, result);
      else printList(env.out, result);
      return 0;
    }, opts.json === true);
  });
};
