/** kube's static token file format, read as k8s.io/apiserver's tokenfile reads it. */
import { expect, test } from "bun:test";
import { parseTokenFile } from "../../src/apiserver/auth/authn-token-csv.ts";

test("token,user,uid and a quoted comma-separated group list", () => {
  const t = parseTokenFile('abc,alice,u1,"g1,g2"\n\n  def,bob,u2\n', "f");
  expect(t.tokens.get("abc")).toEqual({ name: "alice", uid: "u1", groups: ["g1", "g2"], extra: {} });
  expect(t.tokens.get("def")).toEqual({ name: "bob", uid: "u2", groups: [], extra: {} });
});

test("fewer than 3 columns makes the file invalid; empty and duplicate tokens warn", () => {
  expect(() => parseTokenFile("abc,alice\n", "f")).toThrow("token file 'f' must have at least 3 columns (token, user name, user uid), found 2");
  const t = parseTokenFile(",x,1\nabc,a,1\nabc,b,2\n", "f");
  expect(t.tokens.get("abc")?.name).toBe("b");
  expect(t.warnings).toEqual([
    "empty token has been found in token file 'f', record number '1'",
    "duplicate token has been found in token file 'f', record number '3'",
  ]);
});

test("a stray quote is an error, as Go's encoding/csv", () => {
  expect(() => parseTokenFile('ab"c,alice,u1\n', "f")).toThrow(/bare "/);
});
