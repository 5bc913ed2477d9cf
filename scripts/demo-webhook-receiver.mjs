// The demo's webhook receiver: what a school's own system would do with NotifyHub's webhooks.
// Listens on http://127.0.0.1:7072 (DEMO_WEBHOOK_PORT), verifies every webhook's Standard Webhooks signature with
// the npm `standardwebhooks` package, prints what it received, and answers 204 when the signature is valid and 401
// when it is not (or no secret has been set yet). Set the secret the hub issued with:
//   curl -X PUT http://127.0.0.1:7072/secret --data "$SECRET"
// (or start it with DEMO_WEBHOOK_SECRET set). Synthetic demo data only.
import http from "node:http";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { Webhook } = require("standardwebhooks");

const port = Number(process.env.DEMO_WEBHOOK_PORT ?? 7072);
let secret = process.env.DEMO_WEBHOOK_SECRET ?? "";

const server = http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk) => { body += chunk; if (body.length > 1_000_000) req.destroy(); });
  req.on("end", () => {
    if (req.method === "PUT" && req.url === "/secret") {
      secret = body.trim();
      console.log(`[demo receiver] signing secret set (${secret.slice(0, 10)}…)`);
      res.writeHead(204).end();
      return;
    }
    if (req.method !== "POST") { res.writeHead(405).end(); return; }
    const headers = { "webhook-id": req.headers["webhook-id"], "webhook-timestamp": req.headers["webhook-timestamp"], "webhook-signature": req.headers["webhook-signature"] };
    let verified = false, why = "no secret set: PUT it to /secret first";
    if (secret) {
      try { new Webhook(secret.replace(/^whsec_/, "")).verify(body, headers); verified = true; why = "signature valid"; }
      catch (e) { why = "signature refused: " + e.message; }
    }
    let summary = "";
    try {
      const doc = JSON.parse(body);
      summary = `${doc.type} v${doc.version} for ${doc.recipient?.id}` + (doc.content ? ` — reference ${doc.content.forceCode} ${doc.content.incidentReference}` : "");
    } catch { summary = "(body is not JSON)"; }
    console.log(`[demo receiver] ${req.url} webhook-id ${headers["webhook-id"]}: ${summary}; ${why}`);
    if (verified && process.env.DEMO_WEBHOOK_PRINT_BODY !== "0") console.log(JSON.stringify(JSON.parse(body), null, 2));
    res.writeHead(verified ? 204 : 401).end();
  });
});
server.listen(port, "127.0.0.1", () => console.log(`[demo receiver] listening on http://127.0.0.1:${port}`));
