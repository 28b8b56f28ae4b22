import { type ChildProcess, type SpawnOptions, execFile, execFileSync, spawn } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A network namespace of the test's own: its own loopback, routes and ports,
 * so a real-binary test neither sees nor disturbs the machine's network or a
 * second run of the suite. Needs `ip` (iproute2) and root, or password-less
 * sudo (then every `ip` runs through `sudo -n`); a test that needs one fails,
 * never skips, when they are missing.
 */
export interface Netns {
  name: string;
  /** Runs a command inside the namespace; resolves with its exit code and output (never rejects on a non-zero exit). */
  exec(file: string, args: string[], opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<NetnsResult>;
  /** Runs `ip ARGS` inside the namespace, throwing on failure. */
  ip(...args: string[]): void;
  /** Starts a long-running command inside the namespace (a server); the caller kills it. */
  spawn(file: string, args: string[], opts?: SpawnOptions): ChildProcess;
  destroy(): void;
}

export interface NetnsResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

let counter = 0;

/** How to run `ip` with the rights namespaces need: directly as root, else through password-less sudo. */
function ipCommand(): string[] {
  if (process.getuid?.() === 0) return ["ip"];
  try {
    execFileSync("sudo", ["-n", "true"], { stdio: "pipe" });
  } catch {
    throw new Error("network-namespace tests need root, or password-less sudo (sudo -n), to run ip netns");
  }
  return ["sudo", "-n", "ip"];
}

export function createNetns(prefix: string): Netns {
  const [ipFile, ...ipPrefix] = ipCommand() as [string, ...string[]];
  // Short (interface-name limits elsewhere), unique per process and per call.
  const name = `${prefix}-${process.pid}-${counter++}`;
  try {
    execFileSync(ipFile, [...ipPrefix, "netns", "add", name], { stdio: "pipe" });
  } catch (e) {
    throw new Error(`ip netns add ${name} failed (is iproute2 installed, and are we root?): ${(e as Error).message}`);
  }
  const ip = (...args: string[]) => {
    execFileSync(ipFile, [...ipPrefix, "-n", name, ...args], { stdio: "pipe" });
  };
  const inside = (file: string, args: string[]) => [...ipPrefix, "netns", "exec", name, file, ...args];
  ip("link", "set", "lo", "up");
  return {
    name,
    ip,
    spawn(file, args, opts = {}) {
      return spawn(ipFile, inside(file, args), opts);
    },
    async exec(file, args, opts = {}) {
      const started = Date.now();
      try {
        const r = await run(ipFile, inside(file, args), {
          env: opts.env ?? process.env,
          timeout: opts.timeoutMs ?? 60_000,
          maxBuffer: 16 * 1024 * 1024,
        });
        return { code: 0, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
      } catch (e) {
        const err = e as { code?: number | string; stdout?: string; stderr?: string };
        if (typeof err.code !== "number") throw e;
        return { code: err.code, stdout: err.stdout ?? "", stderr: err.stderr ?? "", ms: Date.now() - started };
      }
    },
    destroy() {
      // Nothing outlives the namespace: stop whatever still runs in it (a server started through sudo survives its parent's kill).
      try {
        const pids = execFileSync(ipFile, [...ipPrefix, "netns", "pids", name], { stdio: "pipe" }).toString().split(/\s+/).filter(Boolean);
        if (pids.length > 0) execFileSync(ipPrefix.length > 0 ? "sudo" : "kill", [...(ipPrefix.length > 0 ? ["-n", "kill"] : []), "-KILL", ...pids], { stdio: "pipe" });
      } catch {
        // none left, or already gone
      }
      try {
        execFileSync(ipFile, [...ipPrefix, "netns", "del", name], { stdio: "pipe" });
      } catch {
        // already gone
      }
    },
  };
}
