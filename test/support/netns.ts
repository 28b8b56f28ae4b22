import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A network namespace of the test's own: its own loopback, routes and ports,
 * so a real-binary test neither sees nor disturbs the machine's network or a
 * second run of the suite. Needs root and `ip` (iproute2); a test that needs
 * one fails, never skips, when they are missing.
 */
export interface Netns {
  name: string;
  /** Runs a command inside the namespace; resolves with its exit code and output (never rejects on a non-zero exit). */
  exec(file: string, args: string[], opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<NetnsResult>;
  /** Runs `ip ARGS` inside the namespace, throwing on failure. */
  ip(...args: string[]): void;
  destroy(): void;
}

export interface NetnsResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

let counter = 0;

export function createNetns(prefix: string): Netns {
  if (process.getuid?.() !== 0) throw new Error("network-namespace tests need root (ip netns add)");
  // Short (interface-name limits elsewhere), unique per process and per call.
  const name = `${prefix}-${process.pid}-${counter++}`;
  try {
    execFileSync("ip", ["netns", "add", name], { stdio: "pipe" });
  } catch (e) {
    throw new Error(`ip netns add ${name} failed (is iproute2 installed, and are we root?): ${(e as Error).message}`);
  }
  const ip = (...args: string[]) => {
    execFileSync("ip", ["-n", name, ...args], { stdio: "pipe" });
  };
  ip("link", "set", "lo", "up");
  return {
    name,
    ip,
    async exec(file, args, opts = {}) {
      const started = Date.now();
      try {
        const r = await run("ip", ["netns", "exec", name, file, ...args], {
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
      try {
        execFileSync("ip", ["netns", "del", name], { stdio: "pipe" });
      } catch {
        // already gone
      }
    },
  };
}
