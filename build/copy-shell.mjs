// Copies every components/**/*.sh to <outDir>/components/ at the same relative
// path: kube-ha reads its shell files at run time (components/shell/shell-file.ts),
// so the compiled library needs them beside its modules. Part of `npm run build`.
//
//   node build/copy-shell.mjs [outDir]    (outDir as given to tsc; default dist)
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = process.argv[2] === undefined ? join(root, "dist") : resolve(process.argv[2]);
const components = join(root, "components");

const files = readdirSync(components, { recursive: true }).filter((name) => name.endsWith(".sh"));
for (const name of files) {
  const target = join(outDir, "components", name);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(components, name), target);
}
console.log(`copied ${files.length} shell file(s) to ${join(outDir, "components")}`);
