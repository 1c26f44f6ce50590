import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { GIFT_THRESHOLD_ENV, REPORT_RECIPIENTS_ENV, readConfig, serviceEnvironment } from "../lib/config.ts";
import { SharedStack } from "../lib/shared-stack.ts";

describe("configuration", () => {
  it("defaults to the dev stage and the front end's development server", () => {
    expect(readConfig(new App().node, {})).toEqual({ stage: "dev", allowedOrigins: ["http://localhost:5173"] });
  });

  it("takes context before the environment", () => {
    const app = new App({ context: { stage: "prod", allowedOrigins: "https://a.example.org, https://b.example.org" } });
    const config = readConfig(app.node, { CDP_STAGE: "staging", CDP_COGNITO_DOMAIN_PREFIX: "tmg-diplomacy" });
    expect(config).toEqual({
      stage: "prod",
      allowedOrigins: ["https://a.example.org", "https://b.example.org"],
      cognitoDomainPrefix: "tmg-diplomacy",
    });
  });

  it("takes the monthly report's distribution list from `-c reportRecipients=…` (or CDP_REPORT_RECIPIENTS)", () => {
    const app = new App({ context: { reportRecipients: "meeting@example.org, office@example.org" } });
    expect(readConfig(app.node, { CDP_REPORT_RECIPIENTS: "other@example.org" }).reportRecipients).toEqual([
      "meeting@example.org",
      "office@example.org",
    ]);
    expect(readConfig(new App().node, { CDP_REPORT_RECIPIENTS: "office@example.org" }).reportRecipients).toEqual([
      "office@example.org",
    ]);
    expect(readConfig(new App().node, {}).reportRecipients).toBeUndefined();
    expect(() => readConfig(new App({ context: { reportRecipients: "meeting" } }).node, {})).toThrow(
      /reportRecipients: "meeting" is not an e-mail address/,
    );
  });

  it("hands the distribution list to the reports service alone, comma-joined", () => {
    const config = { stage: "test", allowedOrigins: [], reportRecipients: ["a@example.org", "b@example.org"] };
    expect(serviceEnvironment(config, "reports")).toEqual({ [REPORT_RECIPIENTS_ENV]: "a@example.org,b@example.org" });
    expect(serviceEnvironment(config, "notifications")).toEqual({});
    expect(serviceEnvironment({ stage: "test", allowedOrigins: [] }, "reports")).toEqual({});
  });

  it("hands the gift registration threshold to the protocol office alone, when one is configured", () => {
    const app = new App({ context: { giftRegistrationThresholdYen: "30000" } });
    const config = readConfig(app.node, {});
    expect(config.giftRegistrationThresholdYen).toBe(30_000);
    expect(serviceEnvironment(config, "protocol")).toEqual({ [GIFT_THRESHOLD_ENV]: "30000" });
    expect(serviceEnvironment(config, "reports")).toEqual({});
    expect(serviceEnvironment(readConfig(new App().node, {}), "protocol")).toEqual({});
    expect(() => readConfig(new App({ context: { giftRegistrationThresholdYen: "5万" } }).node, {})).toThrow(
      /giftRegistrationThresholdYen/,
    );
  });

  it("refuses a stage that cannot name stacks", () => {
    expect(() => readConfig(new App({ context: { stage: "Prod_1" } }).node, {})).toThrow(/stage/);
  });

  it("with a Cognito domain prefix, offers the hosted sign-in with the code flow to the allowed origins", () => {
    const app = new App();
    const origins = ["https://diplomacy.example.org"];
    const stack = new SharedStack(app, "Shared", {
      stage: "test",
      allowedOrigins: origins,
      cognitoDomainPrefix: "tmg",
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties("AWS::Cognito::UserPoolDomain", { Domain: "tmg" });
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      AllowedOAuthFlows: ["code"],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: origins,
      GenerateSecret: false,
      AllowedOAuthScopes: Match.arrayWith(["openid"]),
    });
  });

  it("without one, the web client has no OAuth flow at all", () => {
    const stack = new SharedStack(new App(), "Shared", { stage: "test", allowedOrigins: ["https://x.example.org"] });
    Template.fromStack(stack).resourceCountIs("AWS::Cognito::UserPoolDomain", 0);
    Template.fromStack(stack).hasResourceProperties("AWS::Cognito::UserPoolClient", {
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
    });
  });
});
