/**
 * The command-line entry (`bun run src/main.ts`, `deno run -A src/main.ts`, the compiled image).
 * Everything that touches the process — arguments, environment, signals, exit codes — lives in
 * src/runtime/main.ts, so this file stays free of runtime globals like the rest of the core.
 */
import "./runtime/main.ts";
