import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * Bundled in place of `@aws-sdk/credential-provider-node` (an esbuild alias, see BUNDLING in
 * bundling.ts): Lambda always hands a function its role's credentials in environment variables,
 * and so does the local cloud, so the default chain's SSO, STS, INI and IMDS providers are dead
 * weight in every bundle (about a fifth of it) and in every cold start.
 */
export const defaultProvider = () => fromEnv();
export const credentialsWillNeedRefresh = () => false;
export const credentialsTreatedAsExpired = () => false;
