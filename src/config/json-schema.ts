import { z } from 'zod';
import { PACKAGE_VERSION } from '../version.js';
import type { ComponentDefinition, ComponentKind, Registry } from './registry.js';
import { COMPONENT_KEYS, MODEL_NAME_PATTERN, SERVER_WIDE_KEYS, topLevelSchema } from './schema.js';

type JsonSchema = Record<string, unknown>;

/**
 * A JSON Schema (draft 2020-12) of the whole config, generated from the same zod schemas that validate
 * it: the top-level keys, and for every registered component its `__factory__` names and parameters.
 * Editors use it through `"$schema"` in `config.json` (or a YAML language-server comment) to complete
 * and check configs. `__copy__` dicts and `./file.ts#Export` user components are accepted as they are.
 * @example
 * writeFileSync('palladium-config.schema.json', JSON.stringify(configJsonSchema(createRegistry()), null, 2));
 */
export function configJsonSchema(registry: Registry): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  const byKind = new Map<ComponentKind, string[]>();
  for (const definition of registry.list()) {
    const ref = `component.${definition.name}`;
    defs[ref] = _componentSchema(definition);
    byKind.set(definition.kind, [...(byKind.get(definition.kind) ?? []), ref]);
  }
  defs.copy = { type: 'object', required: ['__copy__'], properties: { __copy__: { type: 'string' }, __default__: {} } };
  defs.userComponent = {
    type: 'object',
    description: 'User code: "./path/module.ts#Export" (relative to the config file) or "package#Export".',
    anyOf: [
      { required: ['__factory__'], properties: { __factory__: { type: 'string', pattern: '#' } } },
      { required: ['!'], properties: { '!': { type: 'string', pattern: '#' } } },
    ],
  };
  for (const [kind, refs] of byKind)
    defs[`kind.${kind}`] = { anyOf: [...refs.map((ref) => ({ $ref: `#/$defs/${ref}` })), { $ref: '#/$defs/copy' }, { $ref: '#/$defs/userComponent' }] };
  const anyComponent = { anyOf: [...[...byKind.keys()].map((kind) => ({ $ref: `#/$defs/kind.${kind}` }))] };

  const plain = z.toJSONSchema(topLevelSchema, { unrepresentable: 'any', io: 'input' }) as { properties: Record<string, JsonSchema> };
  const properties: Record<string, JsonSchema> = { $schema: { type: 'string' }, ...plain.properties };
  for (const [key, kind] of Object.entries(COMPONENT_KEYS)) properties[key] = byKind.has(kind) ? { $ref: `#/$defs/kind.${kind}` } : {};
  properties.scoring = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'object' }] };
  properties.grid_search = { type: 'object' };
  properties.models = _modelsSchema(plain.properties.models, properties, anyComponent);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://palladium-ts.dev/schema/${PACKAGE_VERSION}/palladium-config.schema.json`,
    title: 'Palladium-TS configuration',
    type: 'object',
    properties,
    // Any other key may hold another component (a second PredictService, hook lists...) or plain data.
    additionalProperties: { anyOf: [anyComponent, { not: { type: 'object', anyOf: [{ required: ['__factory__'] }, { required: ['!'] }] } }] },
    $defs: defs,
  };
}

// `models`: the zod shape (names, required store, server-wide keys refused) with each entry's component keys
// typed as at the top level, and other keys (more services) any component or plain data.
function _modelsSchema(generated: JsonSchema | undefined, top: Record<string, JsonSchema>, anyComponent: JsonSchema): JsonSchema {
  const { anyOf: _optional, ...models } = (generated ?? {}) as JsonSchema & { additionalProperties?: JsonSchema };
  const entry = ((models as { additionalProperties?: JsonSchema }).additionalProperties ?? { type: 'object' }) as JsonSchema & { properties?: Record<string, JsonSchema> };
  const properties: Record<string, JsonSchema> = { ...(entry.properties ?? {}) };
  for (const key of [...Object.keys(COMPONENT_KEYS), 'scoring', 'grid_search']) properties[key] = top[key];
  for (const key of SERVER_WIDE_KEYS) properties[key] = { not: {}, description: `'${key}' is server-wide; set it at the top level` };
  return {
    ...models,
    type: 'object',
    propertyNames: { type: 'string', pattern: MODEL_NAME_PATTERN.source },
    description: 'Several models behind one server: name → entry with its own model_persister, model, dataset loaders, services and service_metadata.',
    additionalProperties: { ...entry, type: 'object', required: ['model_persister'], properties, additionalProperties: { anyOf: [anyComponent, {}] } },
  };
}

function _componentSchema(definition: ComponentDefinition): JsonSchema {
  const names = [definition.name, ...(definition.aliases ?? [])];
  let params: JsonSchema;
  try {
    params = z.toJSONSchema(definition.params, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  } catch {
    params = { type: 'object' };
  }
  const { $schema: _drop, ...rest } = params;
  const own = (rest.properties ?? {}) as Record<string, JsonSchema>;
  const factory = { type: 'string', enum: names };
  return {
    ...rest,
    type: 'object',
    description: definition.summary,
    properties: { __factory__: factory, '!': factory, ...own },
    anyOf: [{ required: ['__factory__'] }, { required: ['!'] }],
    required: [...((rest.required as string[] | undefined) ?? [])],
  };
}
