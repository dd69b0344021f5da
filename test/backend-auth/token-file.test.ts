import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { writeFileSync } from "node:fs";
import type { Backend } from "../../src/backend/backend.ts";
import { parseTokenFile } from "../../src/backend/auth/token-table.ts";
import { createPki, READ_ONLY_TOKEN, READ_WRITE_TOKEN, secureClient, startSecureBackend, type Pki } from "./secure-backend.ts";

describe("token file format", () => {
  test("reads token,name,role lines; comments and blank lines are ignored", () => {
    const t = parseTokenFile("# comment\n\nabcdefghijklmnop1234, alice ,read-write\r\nqrstuvwxyz012345678,bob,read-only\n", "tokens.csv");
    expect([...t.entries()]).toEqual([
      ["abcdefghijklmnop1234", { name: "alice", role: "read-write" }],
      ["qrstuvwxyz012345678", { name: "bob", role: "read-only" }],
    ]);
  });

  test.each([
    ["abcdefghijklmnop1234,alice", "tokens.csv line 1: expected token,name,role (3 fields), got 2"],
    ["short,alice,read-write", "tokens.csv line 1: the token must be at least 16 printable characters"],
    ["abcdefghijklmnop1234,alice,admin", 'tokens.csv line 1: role "admin" must be read-only or read-write'],
    ["abcdefghijklmnop1234,,read-only", "tokens.csv line 1: the name is empty"],
    ["abcdefghijklmnop1234,a,read-only\nabcdefghijklmnop1234,b,read-write", "tokens.csv line 2: the token is already used on an earlier line"],
  ])("refuses %p naming the line and never echoing the token", (text, message) => {
    expect(() => parseTokenFile(text, "tokens.csv")).toThrow(message);
    try {
      parseTokenFile(text, "tokens.csv");
    } catch (e) {
      expect((e as Error).message).not.toContain("abcdefghijklmnop1234");
    }
  });
});

describe("token file reload", () => {
  let pki: Pki;
  let backend: Backend;
  const logs: string[] = [];
  beforeAll(async () => {
    pki = createPki();
    backend = await startSecureBackend({ tokenFile: pki.tokenFile }, (l) => logs.push(l));
  });
  afterAll(async () => {
    await backend?.close();
  });

  const codeOf = (token: string) =>
    secureClient(backend.url, { token })
      .listServices({})
      .then(
        () => "ok",
        (e) => Code[ConnectError.from(e).code],
      );

  test("a rewritten token file takes effect without a restart; a broken rewrite keeps the previous tokens", async () => {
    expect(await codeOf(READ_ONLY_TOKEN)).toBe("ok");
    const replacement = "new-reader-token-0123456789";
    writeFileSync(pki.tokenFile, `${READ_WRITE_TOKEN},writer,read-write\n${replacement},reader,read-only\n`);
    await backend.reloadFiles();
    expect(await codeOf(READ_ONLY_TOKEN)).toBe("Unauthenticated");
    expect(await codeOf(replacement)).toBe("ok");

    writeFileSync(pki.tokenFile, `${replacement},reader,superuser\n`);
    await backend.reloadFiles();
    expect(await codeOf(replacement)).toBe("ok");
    expect(await codeOf(READ_WRITE_TOKEN)).toBe("ok");
    expect(logs.some((l) => l.includes("keeping the previous tokens") && l.includes('role "superuser"'))).toBe(true);
  });

  test("the timer picks changes up by itself", async () => {
    const later = "timer-token-0123456789abc";
    writeFileSync(pki.tokenFile, `${later},late,read-only\n`);
    const deadline = Date.now() + 3000;
    while ((await codeOf(later)) !== "ok" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await codeOf(later)).toBe("ok");
  });
});
