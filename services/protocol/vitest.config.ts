export { default } from "@cdp/dynamodb-local/vitest-config";
