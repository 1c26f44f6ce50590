// The parts of s3rver 3.7.1 (untyped CommonJS) this package uses, including internals it adjusts in-process.

declare module "s3rver" {
  import type { IncomingHttpHeaders, Server } from "node:http";
  import type { AddressInfo } from "node:net";
  import type { Readable } from "node:stream";

  export interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  /** The part of a Koa context this package's middleware touches; s3rver reads request bodies from `req`. */
  export interface S3rverContext {
    req: Readable;
    readonly headers: IncomingHttpHeaders;
    readonly query: Record<string, string | string[] | undefined>;
  }

  export type S3rverMiddleware = (context: S3rverContext, next: () => Promise<void>) => Promise<void>;

  export interface S3rverObject {
    readonly bucket: string;
    readonly key: string;
    readonly content: Readable | Buffer;
    readonly metadata: Record<string, string | number>;
  }

  export interface FilesystemStore {
    getResourcePath(bucket: string, key: string, resource: string): string;
    putMetadata(bucket: string, key: string, metadata: S3rverObject["metadata"], md5: string): Promise<void>;
    putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    /** Koa's middleware list, composed when the server starts listening. */
    readonly middleware: S3rverMiddleware[];
    readonly store: FilesystemStore;
    readonly httpServer?: Server;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}

declare module "s3rver/lib/models/account.js" {
  interface AWSAccount {
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  }
  const AWSAccount: {
    /** Access key id → account, shared by every s3rver in the process. */
    readonly registry: Map<string, AWSAccount>;
    readonly DUMMY_ACCOUNT: AWSAccount;
  };
  export default AWSAccount;
}

declare module "s3rver/lib/models/error.js" {
  export default class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string>);
  }
}
