/**
 * Enum values and size limits of the netguard API (upstream netguard-pg-backend's), in one place so the
 * per-kind rule files agree on them and the error messages list the same supported values.
 */

/** TransportProtocol. The database also knows ICMP, but no API accepts it. */
export const PROTOCOLS = ["TCP", "UDP"] as const;
/** Traffic direction of RuleS2S and IEAgAgRule (upper case). */
export const TRAFFIC = ["INGRESS", "EGRESS"] as const;
/** RuleAction: AddressGroup default action and IEAgAgRule action. */
export const RULE_ACTIONS = ["ACCEPT", "DROP"] as const;
/** Maximum length of Service, ingress-port and IEAgAgRule descriptions. */
export const MAX_DESCRIPTION = 512;
/** Maximum length of AddressGroupPortMapping access-port descriptions. */
export const MAX_PORT_DESCRIPTION = 256;
