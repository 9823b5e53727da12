/**
 * Flag parsing shared by `gpt:train` and `gpt:sample`: every flag is declared once with its type, default and help
 * line, so `--help` documents all of them and a bad flag gets a clear one-line error.
 *
 * @module
 */

/** One command-line flag. */
export interface Flag {
  /** "int" (integer ≥ min), "number", "string" or "bool". */
  type: "int" | "number" | "string" | "bool";
  /** Help text. */
  help: string;
  /** Default value (none = optional, or required when `required`). */
  default?: number | string | boolean;
  /** Must be given. */
  required?: boolean;
  /** Smallest allowed value (numbers). */
  min?: number;
  /** Largest allowed value (numbers). */
  max?: number;
}

/** A command-line error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The help text: usage line and one line per flag with its default. */
export function helpText(usage: string, flags: Record<string, Flag>): string {
  const lines = [usage, "", "Flags:"];
  for (const [name, f] of Object.entries(flags)) {
    const arg = f.type === "bool" ? "" : f.type === "string" ? " VALUE" : " N";
    const def = f.required ? " (required)" : f.default !== undefined ? ` (default ${JSON.stringify(f.default)})` : "";
    lines.push(`  --${(name + arg).padEnd(22)} ${f.help}${def}`);
  }
  lines.push(`  --${"help".padEnd(22)} show this help`);
  return lines.join("\n");
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name` flags.
 *
 * @returns Values by flag name (defaults filled in), or `null` when `--help` was asked for.
 * @throws {UsageError} For an unknown flag, a missing value, a value of the wrong type or range, or a missing
 *   required flag.
 */
export function parseFlags(
  args: string[],
  flags: Record<string, Flag>,
): Record<string, number | string | boolean | undefined> | null {
  const out: Record<string, number | string | boolean | undefined> = {};
  for (const [name, f] of Object.entries(flags)) out[name] = f.default;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") return null;
    if (!arg.startsWith("--")) throw new UsageError(`Unexpected argument "${arg}": flags look like --name value`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const f = flags[name];
    if (!f) {
      throw new UsageError(`Unknown flag --${name}. Known flags: ${Object.keys(flags).map((n) => "--" + n).join(" ")}`);
    }
    if (f.type === "bool") {
      if (value !== undefined && !["true", "false"].includes(value)) {
        throw new UsageError(`Flag --${name} is a switch: give it alone or as --${name}=true/false, not "${value}"`);
      }
      out[name] = value !== "false";
      continue;
    }
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new UsageError(`Flag --${name} needs a value`);
    }
    out[name] = f.type === "string" ? value : parseNumber(name, value, f);
  }
  for (const [name, f] of Object.entries(flags)) {
    if (f.required && out[name] === undefined) throw new UsageError(`Missing required flag --${name}`);
  }
  return out;
}

function parseNumber(name: string, value: string, f: Flag): number {
  const n = Number(value);
  const kind = f.type === "int" ? "an integer" : "a number";
  if (value.trim() === "" || !Number.isFinite(n) || (f.type === "int" && !Number.isInteger(n))) {
    throw new UsageError(`Flag --${name} must be ${kind}: got "${value}"`);
  }
  if (f.min !== undefined && n < f.min) throw new UsageError(`Flag --${name} must be ≥ ${f.min}: got ${n}`);
  if (f.max !== undefined && n > f.max) throw new UsageError(`Flag --${name} must be ≤ ${f.max}: got ${n}`);
  return n;
}

/** Runs a command's main function: usage errors and library errors print one line to stderr and exit 2 / 1. */
export async function runCli(main: (args: string[]) => Promise<void>): Promise<void> {
  try {
    await main(Deno.args);
  } catch (e) {
    const err = e as Error;
    console.error(`error: ${err.message}`);
    Deno.exit(err instanceof UsageError ? 2 : 1);
  }
}
