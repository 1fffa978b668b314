import { fit } from '../../commands/fit.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { FIT_FLAGS } from '../options.js';
import { printFit, printJson } from '../print.js';

/** `pld fit` (Palladium's `pld-fit`). */
export const fitCommand: CliCommand = (program, env) => {
  const command = program.command('fit').description('fit the model on dataset_loader_train and store it as a new, active version');
  const options = addFlags(command, FIT_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      const result = await fit(await env.context(), opts);
      if (opts.json) printJson(env.out, result);
      else printFit(env.out, result);
      return 0;
    }, opts.json === true);
  });
};
