import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** The floor: a function that does nothing but answer. Its cold start is Node's own start-up. */
export async function handler(): Promise<APIGatewayProxyStructuredResultV2> {
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}' };
}
