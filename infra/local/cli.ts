import { fileURLToPath } from "node:url";
import { runLocalCloudCli } from "@cdp/local-cloud/cli";
import { services } from "../services.ts";

/** `npm start`, `pnpm run token`, `pnpm run fire`: the local cloud over every service of the platform. */
runLocalCloudCli({ services, workDir: fileURLToPath(new URL("../..", import.meta.url)) }, process.argv.slice(2));
