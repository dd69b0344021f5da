/** The synchronous SHA-256 and the generated-rule names built on it. */
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { sha256Hex } from "../../src/domain/sha256.ts";
import { generatedRuleName, generatedRuleNamespace, isGeneratedRuleName } from "../../src/kinds/ieagag-rule/generated-rule-name.ts";

describe("sha256", () => {
  test("FIPS 180-4 test vectors", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    expect(sha256Hex("a".repeat(1_000_000))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });

  test("agrees with node:crypto at every length around the block boundaries, and on non-ASCII text", () => {
    for (let n = 0; n < 200; n++) {
      const text = "xyz\u00e9\u2713".repeat(n).slice(0, n);
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
    }
  });
});

describe("generated IEAgAgRule names (domain-reference §4.3, Fixture 4)", () => {
  const frontend = { namespace: "shop", name: "ag-frontend" };
  const backend = { namespace: "shop", name: "ag-backend" };

  test("reproduce the fixture's names exactly", () => {
    expect(generatedRuleName({ traffic: "EGRESS", localAg: frontend, targetAg: backend, protocol: "TCP" })).toBe("egr-97877b71-97e2-9550-1be1-6cf5b857d9d6");
    expect(generatedRuleName({ traffic: "INGRESS", localAg: backend, targetAg: frontend, protocol: "TCP" })).toBe("ing-8fbe3a69-f284-d187-3317-a365c3ed8e7c");
  });

  test("UDP uses the same hash with udp as the protocol", () => {
    const hex = createHash("sha256").update("egress-ag-frontend-ag-backend-udp").digest("hex").slice(0, 32);
    const name = generatedRuleName({ traffic: "EGRESS", localAg: frontend, targetAg: backend, protocol: "UDP" });
    expect(name).toBe(`egr-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
    expect(isGeneratedRuleName(name)).toBe(true);
    expect(isGeneratedRuleName("worker-ssh-block")).toBe(false);
  });

  test("namespace: the local group's for INGRESS, the target group's for EGRESS", () => {
    const local = { namespace: "shop", name: "a" };
    const target = { namespace: "infra", name: "b" };
    expect(generatedRuleNamespace({ traffic: "INGRESS", localAg: local, targetAg: target, protocol: "TCP" })).toBe("shop");
    expect(generatedRuleNamespace({ traffic: "EGRESS", localAg: local, targetAg: target, protocol: "TCP" })).toBe("infra");
  });
});
