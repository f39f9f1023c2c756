import { z } from 'zod';
import { contract, ErrorAnswer } from './schemas.js';
import { ERRORS, ROUTER_ROUTES, USER_ROUTER_ROUTES, type JsonRoute } from './routes.js';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  [key: string]: unknown;
}

const REF = (id: string) => `#/components/schemas/${id}`;

/** The component schemas, each without the `$schema`/`$id` zod puts on a standalone schema. */
function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(contract, { uri: REF, io: 'output', unrepresentable: 'any' });
  const out: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
    out[id] = rest;
  }
  return out;
}

/** An answer's schema: a reference to its component, or `anyOf` references for a union of them. */
function answerSchema(schema: z.ZodType): unknown {
  const id = contract.get(schema)?.id;
  if (id) return { $ref: REF(id) };
  if (schema instanceof z.ZodUnion) return { anyOf: (schema.options as z.ZodType[]).map(answerSchema) };
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function inline(schema: z.ZodType): unknown {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function operation(route: JsonRoute, tag: string): Record<string, unknown> {
  const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const query = Object.entries(route.query ?? {}).map(([name, kind]) => ({
    name,
    in: 'query',
    required: false,
    schema: kind === 'cursor' || kind === 'id' ? { type: 'integer', minimum: 1 } : { type: 'string' },
  }));
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(route.answers)) {
    const content = route.produces ? { [route.produces]: { schema: { type: 'string' } } } : { 'application/json': { schema: answerSchema(schema) } };
    responses[status] = { description: status.startsWith('2') ? 'Done' : 'Refused', content };
  }
  for (const status of ERRORS) {
    responses[String(status)] ??= { $ref: '#/components/responses/Refused' };
  }
  return {
    tags: [tag],
    summary: route.summary,
    operationId: `${route.method}${tag}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: inline(route.body) } } } } : {}),
    ...(route.method === 'post' ? { security: [{ session: [], csrf: [] }] } : { security: [{ session: [] }, {}] }),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of both routers' JSON routes, their paths under `mountPath` and
 * `userMountPath`. Built from the same zod schemas the exported response types come from.
 */
export function openApiDocument(mounts: { mountPath: string; userMountPath: string }, version: string): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (mount: string, routes: JsonRoute[], tag: string) => {
    for (const route of routes) {
      const path = `${mount}${route.path === '/' ? '/' : route.path}`;
      (paths[path] ??= {})[route.method] = operation(route, tag);
    }
  };
  add(mounts.mountPath, ROUTER_ROUTES, 'Router');
  add(mounts.userMountPath, USER_ROUTER_ROUTES, 'UserRouter');
  return {
    openapi: '3.1.0',
    info: {
      title: 'express-account-users JSON API',
      version,
      description:
        "The JSON routes of au.router and au.userRouter (docs/json-api.md). A request gets JSON when it sends a JSON body or `Accept: application/json`. Every POST sends the session's CSRF token in `x-csrf-token`; every answer of a page and of a POST that succeeded carries the current one in `csrfToken`.",
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      { name: 'Router', description: `au.router, mounted at ${mounts.mountPath}` },
      { name: 'UserRouter', description: `au.userRouter, mounted at ${mounts.userMountPath}` },
    ],
    paths,
    components: {
      schemas: componentSchemas(),
      responses: {
        Refused: {
          description: 'Refused: see the error table of docs/json-api.md',
          content: { 'application/json': { schema: { $ref: REF(contract.get(ErrorAnswer)!.id) } } },
        },
      },
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'connect.sid',
          description: "The host's session cookie (its name is the host's express-session `name`).",
        },
        csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: 'The `csrfToken` of the latest answer.' },
      },
    },
  };
}
