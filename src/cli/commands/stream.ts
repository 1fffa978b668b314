import { createInterface, type Interface } from 'node:readline';
import { stream } from '../../commands/stream.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { STREAM_FLAGS } from '../options.js';
import { printStreamError, printStreamOutput } from '../print.js';

/** `pld stream` (Palladium's `pld-stream`): JSON lines on stdin → predictions on stdout. */
export const streamCommand: CliCommand = (program, env) => {
  const command = program.command('stream').description('read JSON lines on stdin, write one line of predictions per line on stdout; errors go to stderr');
  const options = addFlags(command, STREAM_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      let lines: Interface | undefined;
      // readline starts reading at once and its iterator drops lines read before iteration starts, so it
      // is created only when stream() begins to iterate (after the config and model have loaded).
      const input: AsyncIterable<string> = {
        [Symbol.asyncIterator]: () => (lines ??= createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false }))[Symbol.asyncIterator](),
      };
      try {
        await stream(await env.context(), {
          input,
          service: opts.service,
          onOutput: (line) => printStreamOutput(env.out, line),
          onError: (line, error) => printStreamError(env.out, line, error),
        });
      } finally {
        lines?.close();
        // After an `exit` line stdin may still be open (a pipe that the writer keeps); let the process end.
        process.stdin.destroy();
      }
      return 0;
    }, false);
  });
};
