import { Role } from "@cdp/contracts";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";

export interface Caller {
  /** The token subject: who, in audit records. */
  readonly subject: string;
  readonly roles: readonly Role[];
}

/**
 * The HTTP API JWT authorizer passes array claims as a string such as `[admin viewer]`;
 * accept that form, a JSON array and a comma-separated list.
 */
export function parseGroupsClaim(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== "string") return [];
  const text = raw.trim();
  if (text.startsWith("[") && text.endsWith("]")) {
    const inner = text.slice(1, -1).trim();
    if (inner.startsWith('"')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) return parsed.map(String);
      } catch {
        // fall through to the space-separated form
      }
    }
    return inner.split(/[\s,]+/).filter(Boolean);
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

/** The caller as the authorizer saw them, or undefined when no verified claims reached us. */
export function callerOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Caller | undefined {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== "string") return undefined;
  const roles = parseGroupsClaim(claims["cognito:groups"]).flatMap((group) => {
    const parsed = Role.safeParse(group);
    return parsed.success ? [parsed.data] : [];
  });
  return { subject: claims.sub, roles };
}
