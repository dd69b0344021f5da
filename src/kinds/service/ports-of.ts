/**
 * A Service's ingress ports per protocol, sorted and de-duplicated, memoised per derive pass
 * (port mappings and generated rules read each Service's ports many times in one pass).
 */
import type { DeriveContext } from "../../domain/derive-context.ts";
import { servicePortsOf, type ServicePorts } from "../../domain/service-port-ranges.ts";
import { SERVICE_KIND } from "./kind-name.ts";

/** The ports of Service `serviceKey` (none when it does not exist). */
export function portsOf(ctx: DeriveContext, serviceKey: string): ServicePorts {
  return ctx.memo(`ports:${serviceKey}`, () => servicePortsOf(ctx.get(SERVICE_KIND, serviceKey)));
}
