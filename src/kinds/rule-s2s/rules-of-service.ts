/**
 * The RuleS2S naming a Service (local or target), memoised per derive pass and answered from the
 * reference index: what a change of the Service's groups or ports drags along.
 */
import type { DeriveContext } from "../../domain/derive-context.ts";
import { findBy, refIndex } from "../../domain/state-lookup.ts";
import type { KubeObject } from "../model.ts";
import { SERVICE_KIND } from "../service/kind-name.ts";
import { RULE_S2S_KIND } from "./kind-name.ts";

/** RuleS2S objects whose local or target Service is `serviceKey`. */
export function rulesOfService(ctx: DeriveContext, serviceKey: string): KubeObject[] {
  return ctx.memo(`rules:${serviceKey}`, () => findBy(ctx.state, RULE_S2S_KIND, refIndex(RULE_S2S_KIND, SERVICE_KIND), serviceKey));
}
