import { gridSearch } from '../../commands/grid-search.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { GRID_SEARCH_FLAGS } from '../options.js';
import { printGridSearch, printJson, searchProgressPrinter } from '../print.js';

/** `pld grid-search` (Palladium's `pld-grid-search`). Ctrl-C stops the workers and writes nothing. */
export const gridSearchCommand: CliCommand = (program, env) => {
  const command = program.command('grid-search').description('cross-validate the grid_search candidates on dataset_loader_train and rank them');
  const options = addFlags(command, GRID_SEARCH_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      try {
        const result = await gridSearch(await env.context(), { ...opts, onProgress: searchProgressPrinter(env.out), signal: controller.signal });
        if (opts.json) printJson(env.out, { ...result, cvResults: undefined });
        else printGridSearch(env.out, result);
        return 0;
      } finally {
        process.removeListener('SIGINT', stop);
      }
    }, opts.json === true);
  });
};
