/**
 * A watch request's selectors are parsed once: the REST layer hands the hub the parsed filter
 * (src/apiserver/rest/params/selector-params.ts), and the hub serves with it instead of parsing the
 * selector strings again.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { createObjectFilter } from "../../../src/kinds/selectors.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { backend, hub, makeSample, openWatch, params, useCleanup } from "./watch-kit.ts";

useCleanup();

const kind = kindByName("RuleS2S")!;

test("the hub filters with the request's parsed filter, not by parsing the selector strings again", async () => {
  const b = await backend();
  const client = clientFor(b.url);
  const one = await makeSample(client, kind, 1);
  const two = await makeSample(client, kind, 2);
  const h = hub(createBackendClient(b.url), "streaming");
  // The strings select everything; only the parsed filter names one object.
  const filter = createObjectFilter("", "", `metadata.name=${one.metadata.name}`);
  const w = openWatch(h, params(kind, { resourceVersion: "0", allowBookmarks: true, sendInitialEvents: true, filter }));
  const events = await w.until((es) => es.some((e) => e.type === "BOOKMARK"), 8000, "the initial-events-end bookmark");
  const names = events.filter((e) => e.type === "ADDED").map((e) => e.object.metadata.name as string);
  expect(names).toEqual([one.metadata.name]);
  expect(names).not.toContain(two.metadata.name);
  w.stop();
});
