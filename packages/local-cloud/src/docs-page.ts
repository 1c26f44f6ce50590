/**
 * A self-contained page that renders /openapi.json for a person: no CDN (this must work offline),
 * semantic HTML so it reads well with a screen reader (JIS X 8341-3 asks AA of public pages).
 */
export const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>City Diplomacy Platform — API</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem; color: #1a1a1a; }
  h1 { font-size: 1.6rem; } h2 { border-bottom: 2px solid #0b5394; padding-bottom: .25rem; margin-top: 2rem; }
  details { border: 1px solid #ccc; border-radius: 6px; margin: .5rem 0; padding: .25rem .75rem; }
  summary { cursor: pointer; font-weight: 600; }
  .method { display: inline-block; min-width: 4.5rem; font-family: monospace; color: #fff; background: #0b5394; border-radius: 4px; padding: 0 .4rem; text-align: center; }
  .method.get { background: #1e6b3a; } .method.patch { background: #7a4b00; } .method.delete { background: #9b1c1c; }
  code, pre { font-family: ui-monospace, monospace; } pre { background: #f4f4f4; padding: .75rem; overflow: auto; font-size: .85rem; }
  table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; }
  a:focus, summary:focus { outline: 3px solid #f0a500; }
</style>
</head>
<body>
<header><h1 id="title">City Diplomacy Platform — API</h1><p id="description"></p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Every route needs <code>Authorization: Bearer &lt;token&gt;</code>; locally, <code>pnpm run token viewer</code> prints one.</p></header>
<main id="operations" aria-live="polite">Loading…</main>
<script>
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
fetch("/openapi.json").then((r) => r.json()).then((doc) => {
  document.getElementById("title").textContent = doc.info.title + " " + doc.info.version;
  document.getElementById("description").textContent = doc.info.description;
  const byTag = {};
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) (byTag[op.tags[0]] ??= []).push({ path, method, op });
  let html = "";
  for (const [tag, ops] of Object.entries(byTag)) {
    html += "<section><h2>" + esc(tag) + "</h2>";
    for (const { path, method, op } of ops) {
      html += "<details><summary><span class='method " + method + "'>" + method.toUpperCase() + "</span> <code>" + esc(path) + "</code> — " + esc(op.summary) + "</summary>";
      html += "<p>" + esc(op.description) + "</p>";
      if (op.parameters.length) html += "<table><caption>Parameters</caption><tr><th scope='col'>name</th><th scope='col'>in</th><th scope='col'>required</th><th scope='col'>schema</th></tr>" + op.parameters.map((p) => "<tr><td><code>" + esc(p.name) + "</code></td><td>" + p.in + "</td><td>" + (p.required ? "yes" : "no") + "</td><td><code>" + esc(JSON.stringify(p.schema)) + "</code></td></tr>").join("") + "</table>";
      if (op.requestBody) html += "<h3>Request body</h3><pre>" + esc(JSON.stringify(op.requestBody.content["application/json"].schema, null, 2)) + "</pre>";
      html += "<h3>Responses</h3><ul>" + Object.entries(op.responses).map(([s, r]) => "<li><strong>" + s + "</strong> " + esc(r.description) + "</li>").join("") + "</ul></details>";
    }
    html += "</section>";
  }
  document.getElementById("operations").innerHTML = html;
});
</script>
</body>
</html>`;
