/**
 * Finalizers and the Terminating state, Kubernetes-style. An object whose delete was accepted while
 * finalizers were pending keeps living with `metadata.deletionTimestamp` set (it is Terminating)
 * and goes away in the write that empties its finalizer list.
 *
 * The server owns one finalizer, {@link IN_USE_PROTECTION_FINALIZER}: like Kubernetes'
 * `kubernetes.io/pvc-protection`, it holds an object that other objects still use, so that a delete
 * never leaves dangling references and never has to be refused for ordering reasons.
 */
import type { KubeObject } from "./model.ts";

/**
 * Added by the server when a delete finds the object still in use; removed by the server in the
 * same transaction as the object's last use. Clients may neither add nor remove it.
 */
export const IN_USE_PROTECTION_FINALIZER = "netguard.sgroups.io/in-use-protection";

/** Whether a delete of the object was accepted and it waits for its finalizers. */
export function isTerminating(obj: KubeObject | undefined): boolean {
  return typeof obj?.metadata?.deletionTimestamp === "string" && obj.metadata.deletionTimestamp !== "";
}

/** The object's finalizers (an empty list when it has none or they are malformed). */
export function finalizersOf(obj: KubeObject | undefined): string[] {
  const f = obj?.metadata?.finalizers;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === "string") : [];
}
