#!/usr/bin/env node
"use strict";
// The kube-ha CLI. A published package runs the compiled dist/; a checkout
// (no dist/, tsx installed as a dev dependency) runs the TypeScript sources.
const path = require("node:path");
const fs = require("node:fs");

const root = path.join(__dirname, "..");
const compiled = path.join(root, "dist", "components", "cli", "main.js");
const source = path.join(root, "components", "cli", "main.ts");

let main;
if (fs.existsSync(source) && !process.env.KUBE_HA_USE_DIST) {
  require("tsx/cjs/api").register();
  main = require(source).main;
} else {
  main = require(compiled).main;
}
main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (err) => {
    process.stderr.write(`kube-ha: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
