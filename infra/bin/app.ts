import { manifests } from "@cdp/local-cloud/manifests";
import { App } from "aws-cdk-lib";
import { readConfig } from "../lib/config.ts";
import { buildPlatform } from "../lib/platform.ts";

const app = new App();
buildPlatform(app, manifests, readConfig(app.node), {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});
app.synth();
