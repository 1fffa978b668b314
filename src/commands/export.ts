import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PldError } from '../errors.js';
import { toOnnx } from '../estimators/onnx/export.js';
import { isModelPersister, type ModelPersister, type Version } from '../persistence/types.js';
import { activationInfo } from './activation.js';
import { persisterOf, type CommandContext } from './context.js';

/** `pld export` options (Palladium's `pld-export` flags). */
export interface ExportOptions {
  /** The version to export; the active one when omitted (`--version`). */
  readonly version?: Version;
  /** Activate the copy in the target store (default true; `--no-activate`). */
  readonly activate?: boolean;
  /** Write the version as an ONNX file here instead of copying it to `model_persister_export` (`--onnx`). */
  readonly onnx?: string;
}

/** What an export did. */
export interface ExportResult {
  /** The exported version in `model_persister`. */
  readonly source: Version;
  /** Its new version number in `model_persister_export`. */
  readonly version: Version;
  readonly activated: boolean;
}

/**
 * Copies a stored model from `model_persister` to `model_persister_export` as a new version there,
 * and activates it unless `activate: false`. Unlike Palladium, `version` is honoured also when the
 * source is a CachedUpdatePersister (every persister method reads the store, not a cache).
 * @example
 * const { version } = await exportModel(ctx, { version: parseVersion('3') });
 */
export async function exportModel(ctx: CommandContext, options: ExportOptions = {}): Promise<ExportResult> {
  const source = await persisterOf(ctx);
  const target = await ctx.config.component<ModelPersister>('model_persister_export', 'persister', isModelPersister);
  const artifact = await source.read(options.version);
  const version = await target.write(artifact);
  ctx.log.info(`Exported model. New version number: ${version}`);
  const activate = options.activate ?? true;
  if (activate) await target.activate(version, activationInfo(ctx));
  return { source: artifact.metadata.version as Version, version, activated: activate };
}

/** What `pld export --onnx` wrote. */
export interface OnnxExportResult {
  /** The exported version in `model_persister`. */
  readonly source: Version;
  readonly factory: string;
  /** Absolute path of the ONNX file. */
  readonly file: string;
  readonly bytes: number;
}

/**
 * Writes a stored version (the active one, or `version`) as an ONNX model file that any ONNX runtime
 * can serve: trees, forests and linear models (see `ONNX_EXPORTABLE`); anything else is
 * PLD_ERR_EXPORT_ONNX_UNSUPPORTED.
 * @example
 * const { file } = await exportOnnx(ctx, { onnx: 'model.onnx' });
 */
export async function exportOnnx(ctx: CommandContext, options: ExportOptions & { onnx: string }): Promise<OnnxExportResult> {
  const source = await persisterOf(ctx);
  const artifact = await source.read(options.version);
  const bytes = toOnnx(artifact.factory, artifact.state);
  const file = resolve(options.onnx);
  try {
    writeFileSync(file, bytes);
  } catch (error) {
    throw new PldError('PLD_ERR_CLI_USAGE', `--onnx: cannot write '${file}': ${(error as Error).message}`, { cause: error });
  }
  ctx.log.info(`Exported version ${artifact.metadata.version} (${artifact.factory}) as ONNX to ${file}`);
  return { source: artifact.metadata.version as Version, factory: artifact.factory, file, bytes: bytes.length };
}
