import { exportModel, exportOnnx } from '../../commands/export.js';
import { parseVersion } from '../../persistence/version.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { EXPORT_FLAGS } from '../options.js';
import { printExport, printJson, printOnnxExport } from '../print.js';

/** `pld export` (Palladium's `pld-export`): copy a version from model_persister to model_persister_export. */
export const exportCommand: CliCommand = (program, env) => {
  const command = program.command('export').description('copy a stored version from model_persister to model_persister_export, or write it as ONNX (--onnx)');
  const options = addFlags(command, EXPORT_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      const version = opts.version === undefined ? undefined : parseVersion(opts.version, '--version');
      if (opts.onnx !== undefined) {
        const written = await exportOnnx(await env.context(), { version, onnx: opts.onnx });
        if (opts.json) printJson(env.out, written);
        else printOnnxExport(env.out, written);
        return 0;
      }
      const result = await exportModel(await env.context(), { version, activate: opts.activate });
      if (opts.json) printJson(env.out, result);
      else printExport(env.out, result);
      return 0;
    }, opts.json === true);
  });
};
