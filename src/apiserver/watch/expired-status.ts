/**
 * The 410 Expired Status a watch ends with when its position is gone (lapped by the ring, stalled
 * during a catch-up, inside a relist gap, or older than the backend's log).
 */
import { statusBody, type StatusBody } from "../status.ts";

/** The Status of an expired watch position, worded like the Kubernetes API server. */
export function expiredStatus(rv: number | string, oldest: number | string): StatusBody {
  return statusBody(410, "Expired", `too old resource version: ${rv} (${oldest})`);
}
