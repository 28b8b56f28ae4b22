import { gunzipSync, gzipSync } from "node:zlib";

/** EC2 refuses user-data larger than 16 KiB (before base64 encoding). */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

/** The instance arguments that carry user-data: plain text, or gzip+base64 when the text is too large. */
export type UserData = { userData: string } | { userDataBase64: string };

/**
 * A boot script → EC2 user-data. Plain text when it fits (readable in the
 * preview and in the console); otherwise gzip-compressed, which cloud-init
 * recognises and unpacks. gzip here is deterministic (no timestamp, fixed OS byte), so the
 * same script always yields the same user-data. Pure.
 */
export function encodeUserData(script: string): UserData {
  if (Buffer.byteLength(script, "utf8") <= USER_DATA_LIMIT_BYTES) return { userData: script };
  const packed = gzipUserData(script);
  if (packed.length > USER_DATA_LIMIT_BYTES) {
    throw new RangeError(
      `the boot script is ${packed.length} bytes even gzip-compressed; EC2 user-data is limited to ${USER_DATA_LIMIT_BYTES}`,
    );
  }
  return { userDataBase64: packed.toString("base64") };
}

/** The script gzip-compressed as EC2 receives it (deterministic: no timestamp, fixed OS byte). */
export function gzipUserData(script: string): Buffer {
  const packed = gzipSync(Buffer.from(script, "utf8"), { level: 9 });
  // The header's OS byte differs between zlib builds (macOS, Linux): fix it to Unix.
  packed[9] = 3;
  return packed;
}

/** user-data → the script text again (for tests and the preview). */
export function decodeUserData(data: { userData?: unknown; userDataBase64?: unknown }): string {
  if (typeof data.userData === "string") return data.userData;
  if (typeof data.userDataBase64 === "string") {
    const raw = Buffer.from(data.userDataBase64, "base64");
    return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
  }
  return "";
}
