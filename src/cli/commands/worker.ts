import { worker } from '../../commands/worker.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { WORKER_FLAGS } from '../options.js';

/** `pld worker`: runs distributed grid-search fits until SIGINT/SIGTERM. */
export const workerCommand: CliCommand = (program, env) => {
  const command = program.command('worker').description('run the fits of `pld grid-search --backend` searches, loading dataset_loader_train from this config');
  const options = addFlags(command, WORKER_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const summary = await worker(await env.context(), { ...opts, signal: controller.signal });
        env.out.stderr(`Worker stopped after ${summary.fits} fits in ${summary.runs} searches\n`);
        return 0;
      } finally {
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
      }
    }, false);
  });
};
