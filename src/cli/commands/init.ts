import { initProject, listTemplates } from '../../commands/init.js';
import type { CliCommand } from '../define.js';
import { printInit, printJson } from '../print.js';

/** `pld init [template] [dir]`: needs no config, so it never loads one. */
export const initCommand: CliCommand = (program, env) => {
  program
    .command('init [template] [dir]')
    .description(`scaffold a ready project (templates: ${listTemplates().join(', ')})`)
    .option('--json', 'print the result as JSON')
    .action(async (template: string | undefined, dir: string | undefined, opts: { json?: boolean }) =>
      env.run(async () => {
        const result = initProject({ template, dir, cwd: process.cwd() });
        if (opts.json) printJson(env.out, result);
        else printInit(env.out, result);
        return 0;
      }, opts.json === true),
    );
};
