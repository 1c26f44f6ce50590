import { ALL_ROLES } from "@cdp/contracts";
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  CorsHttpMethod,
  HttpApi,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as events from "aws-cdk-lib/aws-events";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";
import { AlarmTopic } from "./alarms.ts";
import type { PlatformConfig } from "./config.ts";

export const BUS_NAME = "city-diplomacy";

/** What every service stack builds on. */
export interface SharedResources {
  readonly bus: events.IEventBus;
  readonly api: HttpApi;
  readonly authorizer: IHttpRouteAuthorizer;
  /** Where every alarm of the platform goes. */
  readonly alarmTopic: sns.ITopic;
}

/** HTTP API access log fields (no request bodies, no personal data beyond the caller's IP and token subject). */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: "$context.requestId",
    time: "$context.requestTime",
    ip: "$context.identity.sourceIp",
    method: "$context.httpMethod",
    routeKey: "$context.routeKey",
    status: "$context.status",
    latencyMs: "$context.responseLatency",
    responseLength: "$context.responseLength",
    subject: "$context.authorizer.claims.sub",
    authorizerError: "$context.authorizer.error",
    integrationError: "$context.integrationErrorMessage",
  }),
);

/** The platform's common ground: the event bus, the HTTP API and who may call it. */
export class SharedStack extends Stack implements SharedResources {
  readonly bus: events.EventBus;
  readonly api: HttpApi;
  readonly authorizer: HttpJwtAuthorizer;
  readonly userPool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, id: string, config: PlatformConfig, props?: StackProps) {
    super(scope, id, props);
    this.alarmTopic = new AlarmTopic(this, "Alarms", config.alarmEmails ?? []);

    this.bus = new events.EventBus(this, "Bus", { eventBusName: BUS_NAME });
    // Everything published is kept a month, so consumers can be replayed after a fix.
    this.bus.archive("Archive", {
      description: "Every event on the bus, for replay",
      eventPattern: { account: [this.account] },
      retention: Duration.days(30),
    });

    this.userPool = new cognito.UserPool(this, "Users", {
      userPoolName: `city-diplomacy-${config.stage}`,
      // Staff accounts are created by an administrator, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: "AwsSolutions-COG8",
      reason:
        "The Plus plan's threat protection is billed per active user with no free tier; accounts are admin-created only and every sign-in needs a TOTP second factor, which covers the credential attacks it detects.",
    });
    for (const role of ALL_ROLES) {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: `Platform role ${role}` });
    }

    const domainPrefix = config.cognitoDomainPrefix;
    if (domainPrefix) this.userPool.addDomain("HostedUi", { cognitoDomain: { domainPrefix } });
    this.webClient = this.userPool.addClient("WebClient", {
      userPoolClientName: "web",
      // A browser cannot keep a secret: a public client, signing in with SRP or the hosted code flow with PKCE.
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      // Without a hosted UI the CDK would otherwise enable OAuth flows with a placeholder callback URL.
      disableOAuth: !domainPrefix,
      oAuth: domainPrefix
        ? {
            flows: { authorizationCodeGrant: true },
            scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
            callbackUrls: [...config.allowedOrigins],
            logoutUrls: [...config.allowedOrigins],
          }
        : undefined,
    });

    this.authorizer = new HttpJwtAuthorizer("CognitoJwt", this.userPool.userPoolProviderUrl, {
      jwtAudience: [this.webClient.userPoolClientId],
    });
    this.api = new HttpApi(this, "Api", {
      apiName: `city-diplomacy-${config.stage}`,
      description: "City Diplomacy Platform HTTP API",
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...config.allowedOrigins],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PUT,
          CorsHttpMethod.PATCH,
          CorsHttpMethod.DELETE,
        ],
        allowHeaders: ["authorization", "content-type", "if-match", "x-correlation-id"],
        exposeHeaders: ["etag", "location", "x-correlation-id"],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new logs.LogGroup(this, "ApiAccessLogs", {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = this.api.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
      // Caps what a runaway client can spend; far above the office's own traffic.
      throttle: { rateLimit: 50, burstLimit: 100 },
    });

    new CfnOutput(this, "ApiUrl", { value: stage.url });
    new CfnOutput(this, "UserPoolId", { value: this.userPool.userPoolId });
    new CfnOutput(this, "WebClientId", { value: this.webClient.userPoolClientId });
    new CfnOutput(this, "Issuer", { value: this.userPool.userPoolProviderUrl });
    new CfnOutput(this, "EventBusName", { value: this.bus.eventBusName });
    new CfnOutput(this, "AlarmTopicArn", { value: this.alarmTopic.topicArn });
  }
}
