import type { Node } from "constructs";

/** What differs between deployments. Each value comes from CDK context (`-c key=value`) or else the environment. */
export interface PlatformConfig {
  /** Names the stacks, the user pool and the API, and tags every resource: e.g. `dev` or `prod`. */
  readonly stage: string;
  /** Origins of the front ends allowed to call the HTTP API from a browser (CORS) and to sign in (hosted UI). */
  readonly allowedOrigins: readonly string[];
  /** Hosted sign-in at `https://<prefix>.auth.<region>.amazoncognito.com`; without it, no hosted UI. */
  readonly cognitoDomainPrefix?: string;
  /** The SES domain partner-city notices are sent from; its DKIM records must be published to verify it. */
  readonly senderDomain?: string;
  /** Who is told when an alarm goes off or clears: each address gets an SNS e-mail subscription to confirm. */
  readonly alarmEmails?: readonly string[];
  /** The distribution list the monthly progress report is e-mailed to; without it, the report is only stored. */
  readonly reportRecipients?: readonly string[];
  /** A received gift above this value (whole yen) must be registered within 30 days; without it, ¥50,000. */
  readonly giftRegistrationThresholdYen?: number;
}

/** Where the protocol office's functions find `giftRegistrationThresholdYen`. */
export const GIFT_THRESHOLD_ENV = "GIFT_REGISTRATION_THRESHOLD_YEN";

/** Where the reports service's functions find `reportRecipients`, comma-separated. */
export const REPORT_RECIPIENTS_ENV = "REPORT_RECIPIENTS";

/** Where notices come from unless a deployment names its own domain (`-c senderDomain=...`). */
export const DEFAULT_SENDER_DOMAIN = "notices.city-diplomacy.metro.tokyo.lg.jp";

/** The front end's development server; a deployed stage names its real origins. */
const DEV_ORIGINS = ["http://localhost:5173"];

/** The CORS origins from `CDP_ALLOWED_ORIGINS` alone (the local cloud has no CDK context): as `readConfig` reads them. */
export function allowedOriginsOf(env: NodeJS.ProcessEnv): readonly string[] {
  const origins = (env.CDP_ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
  return origins.length > 0 ? origins : DEV_ORIGINS;
}

/** Reads the configuration from context first, then from `CDP_*` environment variables. */
export function readConfig(node: Node, env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const read = (key: string, envName: string): string[] => {
    const value: unknown = node.tryGetContext(key) ?? env[envName];
    const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [];
    return items.map((item) => String(item).trim()).filter((item) => item !== "");
  };
  const [stage = "dev"] = read("stage", "CDP_STAGE");
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) {
    throw new Error(`stage "${stage}" must be 1 to 16 lowercase letters, digits or hyphens, starting with a letter`);
  }
  const origins = read("allowedOrigins", "CDP_ALLOWED_ORIGINS");
  const [cognitoDomainPrefix] = read("cognitoDomainPrefix", "CDP_COGNITO_DOMAIN_PREFIX");
  const [senderDomain] = read("senderDomain", "CDP_SENDER_DOMAIN");
  const readEmails = (key: string, envName: string): string[] => {
    const emails = read(key, envName);
    for (const email of emails) {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`${key}: "${email}" is not an e-mail address`);
    }
    return emails;
  };
  const alarmEmails = readEmails("alarmEmails", "CDP_ALARM_EMAILS");
  const reportRecipients = readEmails("reportRecipients", "CDP_REPORT_RECIPIENTS");
  const [threshold] = read("giftRegistrationThresholdYen", "CDP_GIFT_REGISTRATION_THRESHOLD_YEN");
  if (threshold !== undefined && !/^\d{1,12}$/.test(threshold)) {
    throw new Error(`giftRegistrationThresholdYen: "${threshold}" is not whole yen`);
  }
  return {
    stage,
    allowedOrigins: origins.length > 0 ? origins : DEV_ORIGINS,
    cognitoDomainPrefix,
    senderDomain,
    ...(alarmEmails.length > 0 && { alarmEmails }),
    ...(reportRecipients.length > 0 && { reportRecipients }),
    ...(threshold !== undefined && { giftRegistrationThresholdYen: Number(threshold) }),
  };
}

/**
 * The deployment settings a service's functions read from their environment, by service: the one place where the
 * configuration reaches a service's code. A service not named here gets none.
 */
export function serviceEnvironment(config: PlatformConfig, serviceName: string): Readonly<Record<string, string>> {
  const byService: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    reports: config.reportRecipients ? { [REPORT_RECIPIENTS_ENV]: config.reportRecipients.join(",") } : {},
    protocol:
      config.giftRegistrationThresholdYen !== undefined
        ? { [GIFT_THRESHOLD_ENV]: String(config.giftRegistrationThresholdYen) }
        : {},
  };
  return byService[serviceName] ?? {};
}
