import { Logger } from "@aws-lambda-powertools/logger";

/**
 * One logger per function, created at module scope. Bodies are never logged: they may hold
 * personal data (passport numbers, medical or dietary notes, private e-mail addresses).
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, logLevel: (process.env.LOG_LEVEL as "INFO" | "SILENT" | undefined) ?? "INFO" });
}
export type { Logger } from "@aws-lambda-powertools/logger";
