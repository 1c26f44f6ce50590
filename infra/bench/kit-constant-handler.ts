import { ALL_ROLES, PartnerId } from "@cdp/contracts";
import { defineRoute, httpHandler } from "@cdp/lambda-kit";
import * as z from "zod/mini";

/**
 * The kit's whole HTTP stack (middy, the Powertools logger, caller and roles, zod parsing of the path,
 * the response and its log line) around a business function that does nothing. Compared with the bare
 * handler, it isolates what the kit costs per request.
 */
export const constantRoute = defineRoute({
  method: "GET",
  path: "/bench/{id}",
  operationId: "benchConstant",
  summary: "Answers a constant",
  handler: "src/kit-constant-handler.ts",
  roles: ALL_ROLES,
  access: "read",
  request: { params: z.object({ id: PartnerId }) },
  responses: { 200: { description: "A constant" } },
});

export const handler = httpHandler(constantRoute, async ({ params }) => ({ status: 200, body: { id: params.id } }), {
  serviceName: "bench",
});
