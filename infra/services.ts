import { manifest as cityRegistry } from "@cdp/city-registry/manifest";
import { manifest as fundLedger } from "@cdp/fund-ledger/manifest";
import type { ServiceManifest } from "@cdp/lambda-kit";
import { manifest as notifications } from "@cdp/notifications/manifest";
import { manifest as protocol } from "@cdp/protocol/manifest";
import { manifest as reports } from "@cdp/reports/manifest";
import { manifest as staffExchange } from "@cdp/staff-exchange/manifest";
import { manifest as visitScheduling } from "@cdp/visit-scheduling/manifest";

/**
 * Every service of the platform, in one place: the CDK app (`bin/app.ts`), the local cloud (`local/cli.ts`),
 * the benchmark (`bench/`) and the tests are all built from this list. A new service is added here and
 * nowhere else; no package under `packages/` imports a service.
 */
export const services: readonly ServiceManifest[] = [
  cityRegistry,
  visitScheduling,
  notifications,
  fundLedger,
  staffExchange,
  reports,
  protocol,
];
