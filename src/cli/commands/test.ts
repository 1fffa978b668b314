import { test } from '../../commands/test.js';
import { parseVersion } from '../../persistence/version.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { TEST_FLAGS } from '../options.js';
import { printJson, printTest } from '../print.js';

/** `pld test` (Palladium's `pld-test`). */
export const testCommand: CliCommand = (program, env) => {
  const command = program.command('test').description('score a stored model on dataset_loader_test');
  const options = addFlags(command, TEST_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      const modelVersion = opts.modelVersion === undefined ? undefined : parseVersion(opts.modelVersion, '--model-version');
      const result = await test(await env.context(), { modelVersion, report: opts.report, png: opts.png });
      if (opts.json) printJson(env.out, result);
      else printTest(env.out, result);
      return 0;
    }, opts.json === true);
  });
};
