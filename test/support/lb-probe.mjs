// A client of a load-balanced apiserver endpoint for the load-balancer tests,
// run inside a test namespace. Prints one JSON line per request.
//   loop HOST PORT CA INTERVAL_MS TIMEOUT_MS: a new TLS connection per request
//     (GET /who), one every INTERVAL_MS, each given TIMEOUT_MS; prints
//     {"start","end","ok","who"|"err"} with epoch milliseconds.
//   hold HOST PORT CA: one kept-alive TLS connection; a request on it for each
//     line read on stdin; prints {"ok","who","localPort","reused"} or the error.
// The chain is verified against CA; the name is not (the tests reach the
// apiservers through addresses their certificates need not name).
import { readFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { createInterface } from "node:readline";

const [mode, host, port, caFile, intervalMs, timeoutMs] = process.argv.slice(2);
const ca = readFileSync(caFile);
const tls = { ca, checkServerIdentity: () => undefined };

function get(agent, timeout) {
  return new Promise((resolve) => {
    const req = request({ host, port: Number(port), path: "/who", agent, timeout, ...tls }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ ok: res.statusCode === 200, who: body, localPort: req.socket?.localPort, reused: req.reusedSocket }));
      res.on("error", (e) => resolve({ ok: false, err: e.code ?? e.message }));
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", (e) => resolve({ ok: false, err: e.code ?? e.message }));
    req.end();
  });
}

if (mode === "loop") {
  const every = Number(intervalMs);
  const timeout = Number(timeoutMs);
  for (;;) {
    const start = Date.now();
    const r = await get(false, timeout);
    console.log(JSON.stringify({ start, end: Date.now(), ok: r.ok, ...(r.ok ? { who: r.who } : { err: r.err }) }));
    await new Promise((resolve) => setTimeout(resolve, every));
  }
} else if (mode === "hold") {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, keepAliveMsecs: 1000 });
  for await (const _line of createInterface({ input: process.stdin })) {
    console.log(JSON.stringify(await get(agent, 5000)));
  }
} else {
  console.error("usage: lb-probe.mjs loop|hold HOST PORT CA [INTERVAL_MS TIMEOUT_MS]");
  process.exit(64);
}
