import { serve } from '../../commands/serve.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { SERVE_FLAGS } from '../options.js';

/** `pld serve`, alias `pld devserver` (Palladium's `pld-devserver`). */
export const serveCommand: CliCommand = (program, env) => {
  const command = program.command('serve').alias('devserver').description('serve /predict, /alive and /list over HTTP');
  const options = addFlags(command, SERVE_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      const ctx = await env.context();
      const server = await serve(ctx, opts);
      const service = server.services[0];
      ctx.log.info(`Serving on ${server.url}`);
      if (service) env.out.stderr(`Try: curl '${server.url}${service.entryPoint}?${_exampleQuery(service.options.mapping)}'\n`);
      await _untilSignal();
      await server.close();
      return 0;
    }, false);
  });
};

function _exampleQuery(mapping: readonly (readonly [string, string])[]): string {
  return mapping.map(([name, type]) => `${encodeURIComponent(name)}=${type === 'str' ? 'x' : type === 'bool' ? 'true' : '1'}`).join('&');
}

function _untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
