// Verifies a Standard Webhooks signature with the npm `standardwebhooks` package: an implementation independent
// of the hub's. Reads {secret, id, timestamp, signature, body} as JSON on stdin; exits 0 when the signature is valid.
import { createRequire } from "node:module";
const require = createRequire(process.env.NOTIFYHUB_ROOT + "/package.json");
const { Webhook } = require("standardwebhooks");
let input = "";
for await (const chunk of process.stdin) input += chunk;
const m = JSON.parse(input);
try {
  new Webhook(m.secret.replace(/^whsec_/, "")).verify(m.body, { "webhook-id": m.id, "webhook-timestamp": m.timestamp, "webhook-signature": m.signature });
  console.log("verified");
} catch (e) {
  console.log("refused: " + e.message);
  process.exit(1);
}
