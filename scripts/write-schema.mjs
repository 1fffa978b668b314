// Build step: writes the config JSON Schema next to the compiled code, so editors can point `$schema`
// at node_modules/palladium-ts/dist/palladium-config.schema.json.
import { writeFileSync } from 'node:fs';
import { configJsonSchema, createRegistry } from '../dist/index.js';

const target = new URL('../dist/palladium-config.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(configJsonSchema(createRegistry()), null, 2)}\n`);
