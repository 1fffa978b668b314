import type { ComponentDefinition } from '../../config/registry.js';
import { apiKeyAuthDefinition } from './api-key.js';
import { basicAuthDefinition } from './basic-auth.js';
import { jwtAuthDefinition } from './jwt-auth.js';
import { requestLoggerDefinition } from './request-logger.js';

/**
 * Built-in hooks (kind `hook`), usable in every `*_decorators` list by name.
 * @example
 * for (const definition of builtinHooks) registry.register(definition);
 */
export const builtinHooks: ComponentDefinition[] = [apiKeyAuthDefinition, basicAuthDefinition, jwtAuthDefinition, requestLoggerDefinition];
