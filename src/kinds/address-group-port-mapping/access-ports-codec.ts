/**
 * The AddressGroupPortMapping `accessPorts` codec (the mapping's one field).
 */
import { formatPortRange, parsePortRange, type Codec } from "../codecs.ts";
import { API_VERSION, type ObjectRef } from "../model.ts";
import { SERVICE_KIND } from "../service/kind-name.ts";

/**
 * AddressGroupPortMapping.accessPorts: `{items: [{apiVersion, kind, name, namespace, ports: {TCP:
 * [{port}], UDP: [{port}]}}]}` ↔ repeated ServicePortsRef with per-protocol ranges. Items are sorted
 * by service namespace/name so that reads are stable (upstream's order changed between reads).
 */
export const accessPortsCodec: Codec = {
  toProto: (v) => {
    const items = (v as { items?: unknown[] } | undefined)?.items;
    if (!Array.isArray(items)) return [];
    return items.map((raw) => {
      const it = (raw ?? {}) as ObjectRef & { ports?: Record<string, { port?: string }[]> };
      const ports: Record<string, { ranges: { start: number; end: number }[] }> = {};
      for (const proto of ["TCP", "UDP"]) {
        const list = it.ports?.[proto];
        if (!Array.isArray(list)) continue;
        const ranges: { start: number; end: number }[] = [];
        for (const p of list) {
          for (const part of String(p?.port ?? "").split(",")) {
            const r = parsePortRange(part);
            if (r) ranges.push(r);
          }
        }
        ports[proto] = { ranges };
      }
      return {
        identifier: { name: it.name ?? "", namespace: it.namespace ?? "" },
        objectRef: { apiVersion: it.apiVersion ?? "", kind: it.kind ?? "", name: it.name ?? "", namespace: it.namespace ?? "" },
        ports: { ports },
      };
    });
  },
  fromProto: (v) => {
    if (!Array.isArray(v) || v.length === 0) return undefined;
    const items = v.map((raw) => {
      const m = raw as {
        identifier?: { name: string; namespace: string };
        objectRef?: ObjectRef;
        ports?: { ports?: Record<string, { ranges?: { start: number; end: number }[] }> };
      };
      const name = m.objectRef?.name || m.identifier?.name || "";
      const namespace = m.objectRef?.namespace || m.identifier?.namespace || "";
      const ports: Record<string, { port: string }[]> = {};
      for (const proto of Object.keys(m.ports?.ports ?? {}).sort()) {
        const ranges = m.ports!.ports![proto]?.ranges ?? [];
        if (ranges.length) ports[proto] = ranges.map((r) => ({ port: formatPortRange(r) }));
      }
      return { apiVersion: m.objectRef?.apiVersion || API_VERSION, kind: m.objectRef?.kind || SERVICE_KIND, name, namespace, ports };
    });
    items.sort((a, b) => (a.namespace + "/" + a.name).localeCompare(b.namespace + "/" + b.name));
    return { items };
  },
};
