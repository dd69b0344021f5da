/** RFC 7386 and RFC 6902 on plain documents (examples from the RFCs). */
import { describe, expect, test } from "bun:test";
import { applyJsonPatch, applyMergePatch, parseJsonPatch, parsePointer } from "../../../src/apiserver/rest/patch/mod.ts";
import { StatusError } from "../../../src/apiserver/status.ts";

describe("merge patch (RFC 7386 appendix A)", () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [["a", "b"], ["c", "d"], ["c", "d"]],
    [{ a: "b" }, ["c"], ["c"]],
    [{ a: "foo" }, null, null],
    [{ a: "foo" }, "bar", "bar"],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  test("every example of the RFC", () => {
    for (const [target, patch, result] of cases) expect(applyMergePatch(target, patch)).toEqual(result);
  });

  test("does not modify its inputs", () => {
    const target = { a: { b: 1 } };
    const patch = { a: { c: 2 } };
    applyMergePatch(target, patch);
    expect(target).toEqual({ a: { b: 1 } });
    expect(patch).toEqual({ a: { c: 2 } });
  });
});

describe("JSON patch (RFC 6902 appendix A)", () => {
  const apply = (doc: unknown, ops: unknown) => applyJsonPatch(doc, parseJsonPatch(ops));
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e instanceof StatusError ? e.status.code : -1;
    }
    return 0;
  };

  test("adding, removing and replacing object members and array elements", () => {
    expect(apply({ foo: "bar" }, [{ op: "add", path: "/baz", value: "qux" }])).toEqual({ baz: "qux", foo: "bar" });
    expect(apply({ foo: ["bar", "baz"] }, [{ op: "add", path: "/foo/1", value: "qux" }])).toEqual({ foo: ["bar", "qux", "baz"] });
    expect(apply({ baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }])).toEqual({ foo: "bar" });
    expect(apply({ foo: ["bar", "qux", "baz"] }, [{ op: "remove", path: "/foo/1" }])).toEqual({ foo: ["bar", "baz"] });
    expect(apply({ baz: "qux", foo: "bar" }, [{ op: "replace", path: "/baz", value: "boo" }])).toEqual({ baz: "boo", foo: "bar" });
    expect(apply({ foo: ["bar"] }, [{ op: "add", path: "/foo/-", value: ["abc", "def"] }])).toEqual({ foo: ["bar", ["abc", "def"]] });
  });

  test("moving and copying", () => {
    const doc = { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } };
    expect(apply(doc, [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }])).toEqual({ foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } });
    expect(apply({ foo: ["all", "grass", "cows", "eat"] }, [{ op: "move", from: "/foo/1", path: "/foo/3" }])).toEqual({ foo: ["all", "cows", "eat", "grass"] });
    expect(apply({ a: { b: 1 } }, [{ op: "copy", from: "/a", path: "/c" }])).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  test("test succeeds on equal values and fails (422) otherwise", () => {
    const doc = { baz: "qux", foo: ["a", 2, "c"] };
    expect(apply(doc, [{ op: "test", path: "/baz", value: "qux" }, { op: "test", path: "/foo/1", value: 2 }])).toEqual(doc);
    expect(code(() => apply({ baz: "qux" }, [{ op: "test", path: "/baz", value: "bar" }]))).toBe(422);
    expect(apply({ "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: 10 }])).toEqual({ "/": 9, "~1": 10 });
  });

  test("a target location that does not exist is 422; adding to a nonexistent parent too", () => {
    expect(code(() => apply({ foo: "bar" }, [{ op: "add", path: "/baz/bat", value: "qux" }]))).toBe(422);
    expect(code(() => apply({ foo: "bar" }, [{ op: "remove", path: "/nope" }]))).toBe(422);
    expect(code(() => apply({ foo: [1] }, [{ op: "replace", path: "/foo/5", value: 1 }]))).toBe(422);
  });

  test("malformed documents are 400", () => {
    expect(code(() => parseJsonPatch({ op: "add" }))).toBe(400);
    expect(code(() => parseJsonPatch([{ op: "frobnicate", path: "/a" }]))).toBe(400);
    expect(code(() => parseJsonPatch([{ op: "add", path: "/a" }]))).toBe(400);
    expect(code(() => parseJsonPatch([{ op: "move", path: "/a" }]))).toBe(400);
    expect(code(() => parseJsonPatch([{ op: "add", path: "a", value: 1 }]))).toBe(400);
  });

  test("the document is copied, never modified", () => {
    const doc = { a: [1] };
    apply(doc, [{ op: "add", path: "/a/-", value: 2 }]);
    expect(doc).toEqual({ a: [1] });
  });
});

describe("JSON pointer", () => {
  test("unescapes ~1 and ~0 and rejects invalid escapes", () => {
    expect(parsePointer("/a~1b/m~0n")).toEqual(["a/b", "m~n"]);
    expect(parsePointer("")).toEqual([]);
    expect(parsePointer("/")).toEqual([""]);
    expect(parsePointer("a")).toBeUndefined();
    expect(parsePointer("/a~2")).toBeUndefined();
  });
});
