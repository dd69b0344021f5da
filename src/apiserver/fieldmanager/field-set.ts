/**
 * A set of field paths, the unit server-side apply reasons in: which fields a manager owns, which
 * fields an operation added, changed or removed. It is a tree keyed by field name; a node is a
 * member when its own path is in the set (FieldsV1 writes that as `.`). Children live in `Map`s, so
 * client-chosen names such as `__proto__` are plain data. Lists are atomic here (as for CRDs without
 * `x-kubernetes-list-type`), so a path is only ever made of field names.
 */

/** One node of the path tree. */
export interface FieldSet {
  member: boolean;
  children: Map<string, FieldSet>;
}

/** A field path: field names from the object root. */
export type FieldPath = readonly string[];

/** An empty set. */
export function createFieldSet(): FieldSet {
  return { member: false, children: new Map() };
}

/** Adds `path` (the root path `[]` is never a member). */
export function insertPath(set: FieldSet, path: FieldPath): void {
  let node = set;
  for (const name of path) {
    let next = node.children.get(name);
    if (!next) node.children.set(name, (next = createFieldSet()));
    node = next;
  }
  if (path.length) node.member = true;
}

/** Whether `path` is a member. */
export function hasPath(set: FieldSet, path: FieldPath): boolean {
  let node: FieldSet | undefined = set;
  for (const name of path) {
    node = node.children.get(name);
    if (!node) return false;
  }
  return path.length > 0 && node.member;
}

/** Whether the set has no member at all. */
export function isEmptySet(set: FieldSet): boolean {
  if (set.member) return false;
  for (const child of set.children.values()) if (!isEmptySet(child)) return false;
  return true;
}

function combine(a: FieldSet | undefined, b: FieldSet | undefined, keep: (inA: boolean, inB: boolean) => boolean): FieldSet | undefined {
  const out = createFieldSet();
  out.member = keep(!!a?.member, !!b?.member);
  const names = new Set([...(a?.children.keys() ?? []), ...(b?.children.keys() ?? [])]);
  for (const name of names) {
    const child = combine(a?.children.get(name), b?.children.get(name), keep);
    if (child) out.children.set(name, child);
  }
  return out.member || out.children.size ? out : undefined;
}

/** Members of either set. */
export function union(a: FieldSet, b: FieldSet): FieldSet {
  return combine(a, b, (x, y) => x || y) ?? createFieldSet();
}

/** Members of `a` that are not members of `b`. */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  return combine(a, b, (x, y) => x && !y) ?? createFieldSet();
}

/** Members of both sets. */
export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  return combine(a, b, (x, y) => x && y) ?? createFieldSet();
}

/** Whether both sets have the same members. */
export function setsEqual(a: FieldSet, b: FieldSet): boolean {
  return isEmptySet(difference(a, b)) && isEmptySet(difference(b, a));
}

/** Every member path, in sorted order. */
export function memberPaths(set: FieldSet): string[][] {
  const out: string[][] = [];
  const walk = (node: FieldSet, path: string[]) => {
    if (node.member && path.length) out.push(path);
    for (const name of [...node.children.keys()].sort()) walk(node.children.get(name)!, [...path, name]);
  };
  walk(set, []);
  return out;
}

/** The subtree at `path` re-rooted at the same place, or the set without it (`keep` false). */
export function restrictToPrefix(set: FieldSet, prefix: FieldPath, keep: boolean): FieldSet {
  const within = createFieldSet();
  let src: FieldSet | undefined = set;
  for (const name of prefix) src = src?.children.get(name);
  if (src) {
    let dst = within;
    for (const name of prefix) {
      const next = createFieldSet();
      dst.children.set(name, next);
      dst = next;
    }
    dst.member = src.member;
    for (const [name, child] of src.children) dst.children.set(name, child);
  }
  return keep ? union(createFieldSet(), within) : difference(set, withSubtreeMembers(within));
}

/** `set` with every node of it marked a member (to remove whole subtrees by difference). */
function withSubtreeMembers(set: FieldSet): FieldSet {
  const out = createFieldSet();
  out.member = true;
  for (const [name, child] of set.children) out.children.set(name, withSubtreeMembers(child));
  return out;
}

/** Kubernetes' text form of a path, as in conflict causes: `.spec.logs`. */
export function formatPath(path: FieldPath): string {
  return path.map((name) => `.${name}`).join("");
}
