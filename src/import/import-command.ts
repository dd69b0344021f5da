/**
 * `main.ts import --from postgres://… [--dry-run] [--config FILE] [--timeout 30s]`: migrates an
 * upstream netguard-pg-backend database into the configured store (storage / NETGUARD_STORAGE).
 *
 * Output: one line per upstream row (`created|updated|unchanged|skipped Kind ns/name[: reason]`),
 * then the totals, and last one JSON line `{"import":{…}}` for scripts. Exit code 0 when the source
 * was read (skipped rows included: they are reported, not fatal), 1 when the source cannot be read,
 * 2 for usage and configuration errors. Run it while no backend writes the same store.
 */
import { ConfigError, loadConfig } from "../config/config.ts";
import { parseDuration } from "../config/duration.ts";
import { createEngine } from "../backend/engine/mod.ts";
import { openPersistence } from "../backend/open-persistence.ts";
import { createPostgresReader, PostgresReadError, redactUrl } from "../runtime/postgres-reader.ts";
import { readConfigFile } from "../runtime/config-file.ts";
import { runImport, type ObjectResult } from "./import-run.ts";
import { createDiscardingPersistence, createPinningPersistence, type IdentityPins } from "./pinning-persistence.ts";
import { readUpstream } from "./upstream-source.ts";

export const IMPORT_USAGE = "usage: bun run src/main.ts import --from postgres://USER@HOST:PORT/DB [--dry-run] [--config FILE] [--timeout 30s]";

export interface ImportArgs {
  from: string;
  dryRun: boolean;
  configPath?: string;
  timeoutMs: number;
}

/** Parses the import's arguments; throws ConfigError (exit 2) on anything unknown or missing. */
export function parseImportArgs(argv: string[], env: Record<string, string | undefined>): ImportArgs {
  const a: Partial<ImportArgs> = { dryRun: false, configPath: env.NETGUARD_CONFIG, timeoutMs: 30_000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flagName, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flagName === "--from") a.from = value();
    else if (flagName === "--config") a.configPath = value();
    else if (flagName === "--dry-run") a.dryRun = true;
    else if (flagName === "--timeout") {
      const ms = parseDuration(value() ?? "");
      if (!ms) throw new ConfigError(`import: --timeout must be a duration such as 30s\n${IMPORT_USAGE}`);
      a.timeoutMs = ms;
    } else throw new ConfigError(`import: unknown argument "${arg}"\n${IMPORT_USAGE}`);
  }
  if (!a.from) throw new ConfigError(`import: --from is required\n${IMPORT_USAGE}`);
  return a as ImportArgs;
}

function line(r: ObjectResult): string {
  return `${r.outcome} ${r.kind} ${r.namespace}/${r.name}${r.reason ? `: ${r.reason}` : ""}`;
}

/** Runs the import with the process's environment `env`; resolves to the process exit code. */
export async function runImportCommand(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const args = parseImportArgs(argv, env);
  const cfg = loadConfig(readConfigFile(args.configPath), env);
  const source = redactUrl(args.from);

  const reader = await createPostgresReader(args.from, { timeoutMs: args.timeoutMs });
  let rows;
  try {
    rows = await readUpstream(reader);
  } catch (e) {
    const why = e instanceof PostgresReadError ? e.message : (e as Error)?.message ?? String(e);
    console.error(`import: cannot read ${source}: ${why}`);
    console.log(JSON.stringify({ import: { source, dryRun: args.dryRun, error: why } }));
    return 1;
  } finally {
    await reader.close();
  }

  const pins: IdentityPins = new Map();
  const store = await openPersistence(cfg.storage);
  const persistence = args.dryRun ? createDiscardingPersistence(store) : createPinningPersistence(store, pins);
  const engine = await createEngine({
    persistence,
    retention: cfg.retention,
    ringCapacity: cfg.eventStore.ringCapacity,
    onWarning: (m) => console.error(`import: ${m}`),
  });
  try {
    const { results, totals } = await runImport(engine, rows, pins, (r) => console.log(`${args.dryRun ? "[dry-run] " : ""}${line(r)}`));
    console.log(
      `import ${args.dryRun ? "(dry run, nothing written) " : ""}from ${source}: ` +
        `${totals.created} created, ${totals.updated} updated, ${totals.unchanged} unchanged, ${totals.skipped} skipped`,
    );
    console.log(JSON.stringify({ import: { source, dryRun: args.dryRun, totals, objects: results } }));
    return 0;
  } finally {
    await engine.close();
  }
}
