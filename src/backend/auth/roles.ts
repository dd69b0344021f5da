/**
 * The backend's two roles and which RPCs each may call. Reading (Watch*, List*, Get*, SyncStatus)
 * is what controllers and dashboards need; writing is for the API server and operators. Any method
 * not known to be a read needs read-write, so an RPC added later is closed until classified.
 */
export type Role = "read-only" | "read-write";

/** Certificate groups (subject O) that grant a role; read-write wins when both are present. */
export const ROLE_GROUPS: Readonly<Record<Role, string>> = {
  "read-only": "netguard:read-only",
  "read-write": "netguard:read-write",
};

/** The role a method needs. */
export function requiredRole(method: string): Role {
  return /^(Watch|List|Get)/.test(method) || method === "SyncStatus" ? "read-only" : "read-write";
}

/** Whether `have` is enough for `need` (read-write includes read-only). */
export function roleAllows(have: Role | undefined, need: Role): boolean {
  return have === "read-write" || (have === "read-only" && need === "read-only");
}

/** The role certificate groups grant, if any. */
export function roleFromGroups(groups: readonly string[]): Role | undefined {
  if (groups.includes(ROLE_GROUPS["read-write"])) return "read-write";
  if (groups.includes(ROLE_GROUPS["read-only"])) return "read-only";
  return undefined;
}
