import { describe, expect, test } from "bun:test";
import { createObjectFilter, filterAccepts, parseFieldSelector, parseLabelSelector, SelectorError } from "../../src/kinds/selectors.ts";

describe("label selectors", () => {
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ["", undefined, true],
    ["tier=web", { tier: "web" }, true],
    ["tier==web", { tier: "web" }, true],
    ["tier=web", { tier: "api" }, false],
    ["tier!=web", { tier: "api" }, true],
    ["tier!=web", undefined, true],
    ["tier in (web, api)", { tier: "api" }, true],
    ["tier in (web,api)", { tier: "db" }, false],
    ["tier notin (web)", { tier: "api" }, true],
    ["tier notin (web)", {}, true],
    ["tier", { tier: "" }, true],
    ["tier", {}, false],
    ["!tier", {}, true],
    ["!tier", { tier: "x" }, false],
    ["tier in (web,api),env=prod", { tier: "web", env: "prod" }, true],
    ["tier in (web,api),env=prod", { tier: "web", env: "dev" }, false],
    ["example.com/team=net", { "example.com/team": "net" }, true],
  ];
  test.each(cases)("%p on %p → %p", (sel, labels, want) => {
    expect(parseLabelSelector(sel)(labels)).toBe(want);
  });

  test.each(["tier in ()", "=web", "tier=(x", "bad key!=x", "tier=va lue"])("rejects malformed selector %p", (sel) => {
    expect(() => parseLabelSelector(sel)).toThrow(SelectorError);
  });
});

describe("field selectors", () => {
  test("supports metadata.name and metadata.namespace with =, == and !=", () => {
    expect(parseFieldSelector("metadata.name=web,metadata.namespace!=kube-system")).toEqual([
      { field: "metadata.name", op: "eq", value: "web" },
      { field: "metadata.namespace", op: "neq", value: "kube-system" },
    ]);
  });

  test("rejects other fields with a message naming the supported ones", () => {
    expect(() => parseFieldSelector("spec.traffic=INGRESS")).toThrow(/supported: metadata.name, metadata.namespace/);
  });

  test("combined filter applies namespace, fields and labels together", () => {
    const f = createObjectFilter("shop", "tier=web", "metadata.name!=frontend");
    expect(filterAccepts(f, "shop", "other", { tier: "web" })).toBe(true);
    expect(filterAccepts(f, "shop", "frontend", { tier: "web" })).toBe(false);
    expect(filterAccepts(f, "infra", "other", { tier: "web" })).toBe(false);
    expect(filterAccepts(f, "shop", "other", { tier: "api" })).toBe(false);
    expect(createObjectFilter("", "", "").everything).toBe(true);
  });
});
