import type { ServiceManifest } from "@cdp/lambda-kit";
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

export type BucketSpec = NonNullable<ServiceManifest["bucket"]>;

/** Old versions of a file (overwritten or expired) are kept this long, to undo a mistake. */
export const NONCURRENT_VERSION_DAYS = 30;

/** What every bucket of the platform shares: private, encrypted at rest, TLS only, no ACLs, kept on stack deletion. */
const PRIVATE_BUCKET: s3.BucketProps = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  // S3-managed keys: server access logs can be delivered to no other kind, and the files need no key policy of
  // their own because only the service's roles reach them.
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
};

/**
 * A service's own bucket, as its manifest describes it: private, encrypted, TLS only, versioned, its files expiring
 * after the manifest's days and old versions 30 days later, every request logged to an access-log bucket of its own.
 * Kept when the stack goes: the files are records. Nothing may read or write it but what `allowGet`/`allowPut` name.
 */
export class ServiceBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** The variable through which the service's functions learn the bucket's name. */
  readonly envVar: string;
  /** Where S3 writes the server access logs of `bucket`. */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, spec: BucketSpec) {
    super(scope, id);
    this.envVar = spec.envVar;
    const keptDays = spec.expireAfterDays + NONCURRENT_VERSION_DAYS;
    this.accessLogs = new s3.Bucket(this, "AccessLogs", {
      ...PRIVATE_BUCKET,
      // The logs say who fetched a file: keep them as long as any version of the file can be.
      lifecycleRules: [{ id: "expire-logs", expiration: Duration.days(keptDays) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "This is the access-log bucket of the service's bucket; logging it too would need another log bucket, or itself as its own target, which logs its own log deliveries without end.",
    });

    this.bucket = new s3.Bucket(this, "Bucket", {
      ...PRIVATE_BUCKET,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: "access/",
      lifecycleRules: [
        {
          id: "expire-files",
          expiration: Duration.days(spec.expireAfterDays),
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        // S3 refuses this in the rule above (it has an expiration in days): the markers that expiry leaves behind,
        // once their last old version is gone, are removed by a rule of their own.
        { id: "remove-expired-delete-markers", expiredObjectDeleteMarker: true },
      ],
    });
  }

  /** Leave to read (and so presign a download of) any of the bucket's files: `s3:GetObject` on its objects alone. */
  allowGet(grantee: iam.IGrantable): void {
    this.allowOnObjects(grantee, "s3:GetObject");
  }

  /** Leave to store files in the bucket: `s3:PutObject` on its objects alone (no reading, listing or deleting). */
  allowPut(grantee: iam.IGrantable): void {
    this.allowOnObjects(grantee, "s3:PutObject");
  }

  // Not `bucket.grantRead`/`grantPut`: those add ListBucket, GetBucket*, the object ACL and tagging actions too.
  private allowOnObjects(grantee: iam.IGrantable, action: string): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [action], resources: [this.bucket.arnForObjects("*")] }),
    );
  }
}
