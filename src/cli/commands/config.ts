import { configSchema, resolvedConfig, validateConfig } from '../../commands/config.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { CONFIG_FLAGS } from '../options.js';
import { printJson, printValidation } from '../print.js';

/** `pld config --print | --validate | --schema`. */
export const configCommand: CliCommand = (program, env) => {
  const command = program.command('config').description('print the resolved config, validate it, or print its JSON Schema');
  const options = addFlags(command, CONFIG_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      const ctx = await env.context({ allModels: true });
      if (opts.schema) printJson(env.out, configSchema(ctx));
      else if (opts.validate) {
        const result = await validateConfig(ctx);
        if (opts.json) printJson(env.out, result);
        else printValidation(env.out, result);
      } else printJson(env.out, resolvedConfig(ctx));
      return 0;
    }, opts.json === true);
  });
};
