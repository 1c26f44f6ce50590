import type { Node } from "constructs";

/** What differs between deployments. Each value comes from CDK context (`-c key=value`) or else the environment. */
export interface PlatformConfig {
  /** Names the stacks and tags every resource, e.g. `dev` or `prod`. */
  readonly stage: string;
  /** Origins of the front ends allowed to call the HTTP API from a browser (CORS). */
  readonly allowedOrigins: readonly string[];
  /** Hosted sign-in at `https://<prefix>.auth.<region>.amazoncognito.com`; no hosted UI without it. */
  readonly cognitoDomainPrefix?: string;
  /** The SES domain partner-city notices will be sent from, once the notifications service is deployed. */
  readonly senderDomain?: string;
}

const DEV_ORIGINS = ["http://localhost:5173"];

/** Reads the configuration from context first, then from `CDP_*` environment variables. */
export function readConfig(node: Node, env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const read = (key: string, envName: string): string | undefined => {
    const value: unknown = node.tryGetContext(key) ?? env[envName];
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const stage = read("stage", "CDP_STAGE") ?? "dev";
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) throw new Error(`stage "${stage}" must be lowercase letters, digits, -`);
  const origins = read("allowedOrigins", "CDP_ALLOWED_ORIGINS");
  return {
    stage,
    allowedOrigins: origins ? origins.split(",").map((origin) => origin.trim()) : DEV_ORIGINS,
    cognitoDomainPrefix: read("cognitoDomainPrefix", "CDP_COGNITO_DOMAIN_PREFIX"),
    senderDomain: read("senderDomain", "CDP_SENDER_DOMAIN"),
  };
}
