import { deadLetterPrefixOf, type ServiceManifest } from "@cdp/lambda-kit";
import { type App, type Environment, Tags, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { DEFAULT_SENDER_DOMAIN, type PlatformConfig, serviceEnvironment } from "./config.ts";
import { ServiceStack } from "./service-stack.ts";
import { SharedStack } from "./shared-stack.ts";

export interface Platform {
  readonly shared: SharedStack;
  readonly services: readonly ServiceStack[];
}

/** The whole platform in one app: the shared stack, then one stack per service manifest, checked by cdk-nag. */
export function buildPlatform(
  app: App,
  manifests: readonly ServiceManifest[],
  config: PlatformConfig,
  env?: Environment,
): Platform {
  const prefix = `cdp-${config.stage}`;
  const shared = new SharedStack(app, `${prefix}-shared`, config, {
    env,
    description: "City Diplomacy: bus, API, users",
  });
  const services = manifests.map(
    (manifest) =>
      new ServiceStack(app, `${prefix}-${manifest.name}`, {
        env,
        description: `City Diplomacy: ${manifest.title}`,
        manifest,
        shared,
        senderDomain: config.senderDomain ?? DEFAULT_SENDER_DOMAIN,
        environment: serviceEnvironment(config, manifest.name),
        deadLetterPrefix: deadLetterPrefixOf(config.stage),
      }),
  );
  Tags.of(app).add("project", "city-diplomacy");
  Tags.of(app).add("stage", config.stage);
  addSecurityChecks(app);
  return { shared, services };
}

/** cdk-nag's AwsSolutions rules run at synthesis; an unacknowledged error fails it. */
export function addSecurityChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
