import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * `/docs`: Swagger UI from the installed `swagger-ui-dist` package, served from its files on disk (no CDN:
 * this must work offline), reading `/openapi.json`. "Authorize" takes the bearer token the document
 * declares, and "Try it out" sends requests to this same gateway.
 */

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/**
 * Only this origin's scripts, styles and requests; `data:` images for the icons inlined in Swagger UI's CSS.
 * No inline script or style, no framing, no plugins.
 */
const SECURITY_HEADERS = {
  "content-security-policy": [
    "default-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
};

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>City Diplomacy Platform — API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="stylesheet" href="/docs/docs.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
<header class="docs-intro">
<p>Every route needs <code>Authorization: Bearer &lt;token&gt;</code>: press <strong>Authorize</strong> and paste one.
Locally, <code>pnpm run token viewer</code> (or any role) prints one. Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
</header>
<main id="swagger-ui"><noscript>This page needs JavaScript; the description itself is at <a href="/openapi.json">/openapi.json</a>.</noscript></main>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/docs.js"></script>
</body>
</html>
`;

const initializer = `window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    filter: true,
    displayRequestDuration: true,
    // No third-party validator badge: the page works offline and calls no one but this gateway.
    validatorUrl: null,
  });
});
`;

const styles = `.docs-intro { font: 14px/1.5 sans-serif; max-width: 1460px; margin: 0 auto; padding: 12px 20px 0; color: #3b4151; }
.docs-intro code { background: #f0f0f0; padding: 0 4px; border-radius: 3px; }
.docs-intro a:focus, .swagger-ui button:focus { outline: 3px solid #f0a500; }
`;

interface DocsFile {
  readonly contentType: string;
  readonly load: () => string | Buffer;
}

const fromPackage = (file: string, contentType: string): DocsFile => ({
  contentType,
  load: () => readFileSync(join(swaggerUiDir, file)),
});

/** Only these paths: nothing else under the package's folder is reachable. */
const FILES: Readonly<Record<string, DocsFile>> = {
  "/docs": { contentType: "text/html; charset=utf-8", load: () => page },
  "/docs/": { contentType: "text/html; charset=utf-8", load: () => page },
  "/docs/docs.js": { contentType: "text/javascript; charset=utf-8", load: () => initializer },
  "/docs/docs.css": { contentType: "text/css; charset=utf-8", load: () => styles },
  "/docs/swagger-ui-bundle.js": fromPackage("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
  "/docs/swagger-ui.css": fromPackage("swagger-ui.css", "text/css; charset=utf-8"),
  "/docs/favicon-32x32.png": fromPackage("favicon-32x32.png", "image/png"),
  "/docs/favicon-16x16.png": fromPackage("favicon-16x16.png", "image/png"),
};

export interface DocsAsset {
  readonly headers: Readonly<Record<string, string | number>>;
  readonly body: string | Buffer;
}

const loaded = new Map<string, DocsAsset>();

/** The docs page or one of its assets at this path, or undefined when the path is not part of the docs. */
export function docsAsset(pathname: string): DocsAsset | undefined {
  const file = FILES[pathname];
  if (!file) return undefined;
  let asset = loaded.get(pathname);
  if (!asset) {
    const body = file.load();
    asset = {
      headers: {
        ...SECURITY_HEADERS,
        "content-type": file.contentType,
        "content-length": Buffer.byteLength(body),
        "cache-control": "no-cache",
      },
      body,
    };
    loaded.set(pathname, asset);
  }
  return asset;
}
