import { App } from "aws-cdk-lib";
import { readConfig } from "../lib/config.ts";
import { buildPlatform } from "../lib/platform.ts";
import { services } from "../services.ts";

const app = new App();
buildPlatform(app, services, readConfig(app.node), {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});
app.synth();
