import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";
import type { paths } from "./schema.ts";

export type { components, operations, paths } from "./schema.ts";

/** A typed client of the City Diplomacy Platform's HTTP API: one method per HTTP verb, paths and bodies checked. */
export type ApiClient = Client<paths>;

/** A bearer token, or a function that gives the current one (called before every request, so a refreshed token is used). */
export type TokenSource = string | (() => string | Promise<string>);

export interface ApiClientOptions extends Omit<ClientOptions, "baseUrl"> {
  /** Where the API is, e.g. `http://127.0.0.1:3000` locally. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. Without one, only the open paths answer (every route needs a token). */
  readonly token?: TokenSource | undefined;
}

type JsonContent<T> = T extends { content: { "application/json": infer Body } } ? Body : never;
type Method<Path extends keyof paths> = {
  [M in keyof paths[Path]]-?: paths[Path][M] extends { responses: unknown } ? M : never;
}[keyof paths[Path]];

/** The JSON body a route takes, e.g. `RequestBody<"/partners", "post">`. */
export type RequestBody<Path extends keyof paths, M extends Method<Path>> = JsonContent<
  NonNullable<(paths[Path][M] & { requestBody?: unknown })["requestBody"]>
>;

/** The JSON body a route answers with a given status, e.g. `ResponseBody<"/partners/{id}", "get">`. */
export type ResponseBody<Path extends keyof paths, M extends Method<Path>, Status extends number = 200> = JsonContent<
  (paths[Path][M] & { responses: Record<Status, unknown> })["responses"][Status]
>;

function bearer(token: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      request.headers.set("authorization", `Bearer ${typeof token === "function" ? await token() : token}`);
      return request;
    },
  };
}

export function createApiClient({ token, ...options }: ApiClientOptions): ApiClient {
  const client = createClient<paths>(options);
  if (token !== undefined) client.use(bearer(token));
  return client;
}
