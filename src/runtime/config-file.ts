/**
 * Reads the YAML configuration file named by `--config` or NETGUARD_CONFIG, for the server
 * (src/runtime/main.ts) and the import command (src/import/import-command.ts) alike: an unreadable
 * file is a ConfigError (exit 2) that names the path.
 */
import { ConfigError } from "../config/config.ts";
import { readTextFile } from "./text-files.ts";

/** The file's text, or undefined when no file is named. */
export function readConfigFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readTextFile(path);
  } catch (e) {
    throw new ConfigError(`config: cannot read ${path}: ${(e as Error).message}`);
  }
}
