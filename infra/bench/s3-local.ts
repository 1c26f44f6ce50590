/**
 * The S3 stand-in (`@cdp/s3-local`), which the local cloud starts too. Reached by its path: @cdp/infra does not
 * declare the package among its dependencies (yet), so `@cdp/s3-local` does not resolve from here. Once it does,
 * this module becomes `export { startS3Local } from "@cdp/s3-local"`.
 */
export { readObject, type S3Local, startS3Local } from "../../packages/s3-local/src/index.ts";
