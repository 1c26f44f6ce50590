import { fileURLToPath } from "node:url";
import { runLocalCloudCli } from "@cdp/local-cloud/cli";
import { allowedOriginsOf } from "../lib/config.ts";
import { services } from "../services.ts";

/**
 * `npm start`, `pnpm run token`, `pnpm run fire`: the local cloud over every service of the platform, its CORS
 * allowing the origins a deployment would (`CDP_ALLOWED_ORIGINS`, else the front end's development server).
 */
// The monthly report's distribution list, as a deployment's `reportRecipients`; locally its mail stays in the SES stand-in.
process.env.REPORT_RECIPIENTS ??= process.env.CDP_REPORT_RECIPIENTS ?? "city-diplomacy-meeting@metro.localhost";

runLocalCloudCli(
  {
    services,
    workDir: fileURLToPath(new URL("../..", import.meta.url)),
    allowedOrigins: allowedOriginsOf(process.env),
  },
  process.argv.slice(2),
);
