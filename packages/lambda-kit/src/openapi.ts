import * as z from "zod/v4/core";
import type { RouteSpec, ServiceManifest } from "./manifest.ts";

type JsonSchema = Record<string, unknown>;

const PROBLEM_SCHEMA: JsonSchema = {
  type: "object",
  description: "RFC 9457 problem details",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string", format: "uri" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    correlationId: { type: "string" },
    errors: {
      type: "array",
      description: "For validation problems: every offending field",
      items: {
        type: "object",
        required: ["path", "message"],
        properties: { path: { type: "string" }, message: { type: "string" } },
      },
    },
  },
};

function jsonSchema(schema: z.$ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

/** Path and query schemas become one OpenAPI parameter per property. */
function parameters(schema: z.$ZodType | undefined, location: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, "input");
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || required.has(name),
    schema: property,
  }));
}

function operation(route: RouteSpec, service: ServiceManifest): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const code = Number(status);
    responses[status] =
      code >= 400
        ? { description: response.description, content: { "application/problem+json": { schema: PROBLEM_SCHEMA } } }
        : {
            description: response.description,
            ...(response.schema && {
              content: { "application/json": { schema: jsonSchema(response.schema, "output") } },
            }),
          };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [service.title],
    description: `Roles allowed: ${route.roles.join(", ")}.`,
    "x-roles": route.roles,
    parameters: [
      ...parameters(route.request.params, "path"),
      ...parameters(route.request.query, "query"),
      ...(route.requiredHeaders ?? []).map((name) => ({
        name,
        in: "header",
        required: true,
        schema: { type: "string" },
      })),
    ],
    ...(route.request.body && {
      requestBody: {
        required: true,
        content: { "application/json": { schema: jsonSchema(route.request.body, "input") } },
      },
    }),
    responses,
    security: [{ bearer: [] }],
  };
}

/** The OpenAPI 3.1 document of every route of the given services, generated from their zod schemas. */
export function openApiDocument(
  services: readonly ServiceManifest[],
  info: { title: string; version: string },
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const service of services) {
    for (const route of service.routes) {
      paths[route.path] ??= {};
      (paths[route.path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = operation(route, service);
    }
  }
  return {
    openapi: "3.1.0",
    info: { ...info, description: "City Diplomacy Platform of the Tokyo Metropolitan Government" },
    tags: services.map((s) => ({ name: s.title })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "Roles come from the cognito:groups claim",
        },
      },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
  };
}
