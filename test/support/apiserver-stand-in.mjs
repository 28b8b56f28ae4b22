// A stand-in for kube-apiserver in the load-balancer tests: HTTPS on
// ADDRESS:PORT with a real serving certificate; GET /readyz answers 200, or
// 500 while UNHEALTHY_FILE exists; any other path answers this server's NAME
// (so a client can tell which backend a load balancer picked). Keeps
// connections alive for long, as an apiserver does for watches.
// Usage: node apiserver-stand-in.mjs CERT KEY ADDRESS PORT NAME UNHEALTHY_FILE
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:https";

const [cert, key, address, port, name, unhealthyFile] = process.argv.slice(2);
if (!unhealthyFile) {
  console.error("usage: apiserver-stand-in.mjs CERT KEY ADDRESS PORT NAME UNHEALTHY_FILE");
  process.exit(64);
}
const server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => {
  if (req.url === "/readyz") {
    const unhealthy = existsSync(unhealthyFile);
    res.writeHead(unhealthy ? 500 : 200, { "content-type": "text/plain" }).end(unhealthy ? "[-]etcd failed\n" : "ok\n");
    return;
  }
  res.writeHead(200, { "content-type": "text/plain" }).end(name);
});
server.keepAliveTimeout = 10 * 60 * 1000;
server.headersTimeout = 11 * 60 * 1000;
server.listen(Number(port), address, () => console.log(`listening ${address}:${port}`));
