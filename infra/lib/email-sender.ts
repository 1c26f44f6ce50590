import { SENDER_ADDRESS_ENV } from "@cdp/lambda-kit";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as ses from "aws-cdk-lib/aws-ses";
import { Construct } from "constructs";

/**
 * The SES identity a service sends notices from: a domain identity (DKIM records to publish in DNS),
 * and leave for chosen functions to send from its one address, and nothing else.
 */
export class EmailSender extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly address: string;

  constructor(scope: Construct, id: string, domain: string) {
    super(scope, id);
    this.identity = new ses.EmailIdentity(this, "Identity", { identity: ses.Identity.domain(domain) });
    this.address = `city-diplomacy@${domain}`;
  }

  allow(fn: lambda.Function): void {
    fn.addEnvironment(SENDER_ADDRESS_ENV, this.address);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        // SendRawEmail for messages built whole, with attachments (the monthly report's PDF); the condition holds
        // for both: SES checks the From address of a raw message too.
        actions: ["ses:SendEmail", "ses:SendRawEmail"],
        resources: [this.identity.emailIdentityArn],
        conditions: { StringEquals: { "ses:FromAddress": this.address } },
      }),
    );
  }
}
