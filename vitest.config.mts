import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Mock-runtime tests share Pulumi's process-wide runtime state: isolate each file.
    pool: "forks",
    isolate: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: real-binary tests start etcd clusters; keep file parallelism modest.
    maxWorkers: 2,
  },
});
