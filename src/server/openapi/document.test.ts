import { describe, expect, it } from 'vitest';
import { PredictService } from '../../service/predict-service.js';
import { openApiDocument } from './document.js';

const service = new PredictService({
  mapping: [
    ['size', 'float'],
    ['count', 'int'],
    ['colour', 'str'],
    ['fresh', 'bool'],
  ],
  params: [['limit', 'int']],
  entry_point: '/score',
});

describe('openApiDocument', () => {
  const document = openApiDocument({
    title: 'shop',
    version: '2',
    serviceMetadata: { service_name: 'shop', team: 'ml' },
    services: [service],
    routes: [
      { method: 'GET', url: '/score' },
      { method: 'HEAD', url: '/score' },
      { method: 'POST', url: '/score' },
      { method: 'GET', url: '/metrics' },
      { method: 'GET', url: '/files/*' },
      { method: 'GET', url: '/things/:id' },
    ],
  }) as any;

  it('types each mapping field by its field type, for GET query parameters and the POST sample schema', () => {
    const get = document.paths['/score'].get;
    expect(get.parameters.map((p: any) => [p.name, p.schema.type, p.required])).toEqual([
      ['size', 'number', true],
      ['count', 'integer', true],
      ['colour', 'string', true],
      ['fresh', 'boolean', true],
      ['limit', 'integer', false],
    ]);
    const sample = document.components.schemas['score.Sample'];
    expect(sample.required).toEqual(['size', 'count', 'colour', 'fresh']);
    expect(Object.fromEntries(Object.entries(sample.properties).map(([k, v]: [string, any]) => [k, v.type]))).toEqual({
      size: 'number',
      count: 'integer',
      colour: 'string',
      fresh: 'boolean',
    });
    expect(document.paths['/score'].post.parameters.map((p: any) => p.name)).toEqual(['limit']);
  });

  it("documents Palladium's metadata with the service metadata keys", () => {
    expect(document.components.schemas.ResponseMetadata.properties.team).toEqual({ description: 'from service_metadata', examples: ['ml'] });
  });

  it('lists only mounted routes: HEAD and wildcards left out, unknown routes with a summary and their path parameters', () => {
    expect(Object.keys(document.paths)).toEqual(['/metrics', '/score', '/things/{id}']);
    expect(Object.keys(document.paths['/score'])).toEqual(['get', 'post']);
    expect(document.paths['/metrics'].get.summary).toBe('GET /metrics');
    expect(document.paths['/things/{id}'].get.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(document.paths['/v2/models/{name}/infer']).toBeUndefined();
  });
});
