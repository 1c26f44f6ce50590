import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Role } from "@cdp/contracts";
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from "jose";

/**
 * The local dev issuer. Its key pair is made on first use and kept out of git (in `.local/`), so a
 * token it signs is accepted by the local gateway and by no real deployment, whose authorizer only
 * trusts the Cognito user pool's keys and issuer.
 */
export const LOCAL_ISSUER = "https://local-dev-issuer.city-diplomacy.invalid";
export const LOCAL_AUDIENCE = "city-diplomacy-local";
const ALGORITHM = "RS256";

interface StoredKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

async function loadOrCreate(keyFile: string): Promise<StoredKey> {
  try {
    return JSON.parse(readFileSync(keyFile, "utf8")) as StoredKey;
  } catch {
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const stored: StoredKey = {
      kid: `local-${Date.now().toString(36)}`,
      privateJwk: await exportJWK(privateKey),
      publicJwk: await exportJWK(publicKey),
    };
    mkdirSync(dirname(keyFile), { recursive: true });
    // wx: when two processes race to create it, the loser reads the winner's key.
    try {
      writeFileSync(keyFile, JSON.stringify(stored), { mode: 0o600, flag: "wx" });
    } catch {
      return JSON.parse(readFileSync(keyFile, "utf8")) as StoredKey;
    }
    return stored;
  }
}

export async function mintToken(
  keyFile: string,
  roles: readonly Role[],
  options: { subject?: string; expiresIn?: string } = {},
): Promise<string> {
  const key = await loadOrCreate(keyFile);
  return new SignJWT({ "cognito:groups": [...roles], token_use: "id" })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: "JWT" })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(options.subject ?? `local-${roles.join("+") || "no-role"}`)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "12h")
    .sign(await importJWK(key.privateJwk, ALGORITHM));
}

/** Verifies as the HTTP API JWT authorizer does: signature by a known key, issuer, audience, expiry. */
export async function createVerifier(keyFile: string): Promise<(token: string) => Promise<Record<string, unknown>>> {
  const key = await loadOrCreate(keyFile);
  const publicKey = await importJWK(key.publicJwk, ALGORITHM);
  return async (token) => {
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALGORITHM],
    });
    if (protectedHeader.kid !== key.kid) throw new Error("unknown key id");
    return payload as Record<string, unknown>;
  };
}
