/**
 * A fresh PostgreSQL database per benchmark run, dropped afterwards (also on Ctrl-C, through the
 * benchmark's cleanup). The server is taken from NETGUARD_BENCH_PG (default: the local trust
 * server, user postgres); the run's database name is derived from the pid and the time.
 */
import { SQL } from "bun";
import { onCleanup } from "../system/cleanup.ts";

export const BENCH_PG_SERVER = process.env.NETGUARD_BENCH_PG ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  /** postgres:// URL of the fresh database. */
  url: string;
  drop(): Promise<void>;
}

/** True when the server answers within a few seconds. */
export async function postgresReachable(): Promise<boolean> {
  const sql = new SQL(BENCH_PG_SERVER, { max: 1, connectionTimeout: 3 });
  try {
    await sql`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.close({ timeout: 1 }).catch(() => undefined);
  }
}

/** Creates `netguard_bench_<pid>_<n>`; retries for a while when the server is restarting. */
export async function createBenchDatabase(tag: string): Promise<BenchDatabase> {
  const name = `netguard_bench_${process.pid}_${tag}_${Date.now() % 1_000_000}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_PG_SERVER);
  url.pathname = `/${name}`;
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    unregister();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  const unregister = onCleanup(drop);
  return { url: url.toString(), drop };
}

async function admin(statement: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const sql = new SQL(BENCH_PG_SERVER, { max: 1, connectionTimeout: 5 });
    try {
      await sql.unsafe(statement);
      return;
    } catch (e) {
      if (attempt >= 10) throw e;
      await Bun.sleep(1000);
    } finally {
      await sql.close({ timeout: 1 }).catch(() => undefined);
    }
  }
}
