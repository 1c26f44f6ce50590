import type { ServiceManifest, SubscriptionSpec } from "@cdp/lambda-kit";

/** A subscription's function: `<service>.<subscription name>`. */
export const subscriptionKey = (service: Pick<ServiceManifest, "name">, subscriptionName: string) =>
  `${service.name}.${subscriptionName}`;

/**
 * The samples a subscription needs: one, keyed by its function, when it consumes one contract; one per contract,
 * keyed `<service>.<subscription name>:<detail-type>`, when it consumes several (a read model behind one rule).
 */
export function subscriptionSampleKeys(
  service: Pick<ServiceManifest, "name">,
  subscription: Pick<SubscriptionSpec, "name" | "contracts">,
): string[] {
  const key = subscriptionKey(service, subscription.name);
  return subscription.contracts.length === 1
    ? [key]
    : subscription.contracts.map((contract) => `${key}:${contract.detailType}`);
}
