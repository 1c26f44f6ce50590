import { eventHandler } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { agreementConcludedSubscription, table } from "../manifest.ts";
import { exchange } from "./shared.ts";

/** A programme may name the agreement it rests on: this keeps the agreements the registry concluded. */
export const handler = eventHandler(
  agreementConcludedSubscription,
  async (agreement, { correlationId, log }) => {
    await exchange.programmes.keepAgreement(
      { partnerId: agreement.partnerId, agreementId: agreement.agreementId, signedOn: agreement.signedOn },
      { actor: "event:city-registry", correlationId, now: new Date() },
    );
    log.info("agreement known", { partnerId: agreement.partnerId, agreementId: agreement.agreementId });
  },
  { serviceName: SERVICE_NAME, table },
);
