import { isModelPersister, type ModelPersister, type Version } from '../persistence/types.js';
import { activationInfo } from './activation.js';
import { persisterOf, type CommandContext } from './context.js';

/** `pld export` options (Palladium's `pld-export` flags). */
export interface ExportOptions {
  /** The version to export; the active one when omitted (`--version`). */
  readonly version?: Version;
  /** Activate the copy in the target store (default true; `--no-activate`). */
  readonly activate?: boolean;
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
