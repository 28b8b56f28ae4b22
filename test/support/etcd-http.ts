/**
 * A tiny etcd v3 client over etcd's HTTP/JSON gateway (`/v3/...` on the
 * client port) with mutual TLS through node:https: enough for the writer,
 * the read-back checks and observing members, without a gRPC dependency.
 * Only for loopback test clusters.
 */
import { readFileSync } from "node:fs";
import { Agent, request } from "node:https";

export interface EtcdClientTls {
  ca: string;
  cert: string;
  key: string;
}

export interface EtcdHttpError extends Error {
  status?: number;
  body?: string;
}

const agents = new Map<string, Agent>();

function agentFor(tls: EtcdClientTls): Agent {
  const id = `${tls.ca}|${tls.cert}|${tls.key}`;
  let agent = agents.get(id);
  if (!agent) {
    agent = new Agent({
      ca: readFileSync(tls.ca),
      cert: readFileSync(tls.cert),
      key: readFileSync(tls.key),
      keepAlive: true,
      maxSockets: 64,
    });
    agents.set(id, agent);
  }
  return agent;
}

/** Closes every pooled connection (call in afterAll so no socket keeps the worker alive). */
export function closeEtcdClients(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/** POST `body` as JSON to `endpoint + path`; resolves the parsed answer, rejects on non-200 or timeout. */
export function etcdPost<T = Record<string, unknown>>(
  endpoint: string,
  path: string,
  body: unknown,
  tls: EtcdClientTls,
  timeoutMs = 2000,
): Promise<T> {
  const url = new URL(path, endpoint);
  const payload = JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent: agentFor(tls),
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode !== 200) {
            const err: EtcdHttpError = new Error(`${url.href}: HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
            err.status = res.statusCode;
            err.body = text;
            reject(err);
            return;
          }
          try {
            resolve(JSON.parse(text) as T);
          } catch (e) {
            reject(e as Error);
          }
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${url.href}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(payload);
  });
}

export const b64 = (s: string | Buffer): string => Buffer.from(s).toString("base64");
export const unb64 = (s: string | undefined): string => Buffer.from(s ?? "", "base64").toString("utf8");

/** The key just past every key that starts with `prefix` (etcd's range_end for a prefix; ASCII prefixes). */
export function prefixEnd(prefix: string): Buffer {
  const buf = Buffer.from(prefix);
  buf[buf.length - 1] = buf[buf.length - 1]! + 1;
  return buf;
}

export async function put(endpoint: string, tls: EtcdClientTls, key: string, value: string | Buffer, timeoutMs = 2000): Promise<void> {
  await etcdPost(endpoint, "/v3/kv/put", { key: b64(key), value: b64(value) }, tls, timeoutMs);
}

/** Every key/value under `prefix`, read through `endpoint` (linearizable unless `serializable`). */
export async function rangePrefix(
  endpoint: string,
  tls: EtcdClientTls,
  prefix: string,
  opts: { serializable?: boolean; timeoutMs?: number } = {},
): Promise<Map<string, string>> {
  const res = await etcdPost<{ kvs?: { key: string; value?: string }[] }>(
    endpoint,
    "/v3/kv/range",
    { key: b64(prefix), range_end: b64(prefixEnd(prefix)), serializable: opts.serializable ?? false },
    tls,
    opts.timeoutMs ?? 10_000,
  );
  const out = new Map<string, string>();
  for (const kv of res.kvs ?? []) out.set(unb64(kv.key), unb64(kv.value));
  return out;
}

export interface GatewayMember {
  ID: string;
  name?: string;
  peerURLs?: string[];
  clientURLs?: string[];
  isLearner?: boolean;
}

export async function memberList(endpoint: string, tls: EtcdClientTls): Promise<GatewayMember[]> {
  const res = await etcdPost<{ members?: GatewayMember[] }>(endpoint, "/v3/cluster/member/list", {}, tls, 3000);
  return res.members ?? [];
}

export interface GatewayStatus {
  header?: { member_id?: string };
  leader?: string;
  raftIndex?: string;
  dbSize?: string;
  isLearner?: boolean;
}

export async function memberStatus(endpoint: string, tls: EtcdClientTls, timeoutMs = 2000): Promise<GatewayStatus> {
  return etcdPost<GatewayStatus>(endpoint, "/v3/maintenance/status", {}, tls, timeoutMs);
}
