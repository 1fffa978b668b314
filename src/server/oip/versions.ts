/**
 * The pinned-version LRU grew into the per-model {@link ModelVersions} (`server/models/versions.ts`);
 * these names stay for code written against the first OIP release.
 */
export { DEFAULT_MAX_LOADED_VERSIONS as DEFAULT_PINNED_VERSIONS, ModelVersions as PinnedVersions } from '../models/versions.js';
