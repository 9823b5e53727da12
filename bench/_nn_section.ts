/**
 * What the sections of bench/nn_bench.ts share: the section type, CPU-time and load readings, medians, and a
 * long-lived PyTorch reference process that times steps on request (so rounds can alternate with ours).
 *
 * @module
 */
import { findPython } from "../tools/nb.ts";

/** A section of bench:nn: runs with the command-line arguments meant for it. */
export type NnSection = (args: string[]) => Promise<void>;

/** CPU time of this process in ms (user + system, all threads) from /proc; NaN where /proc is missing. */
export function cpuMs(): number {
  try {
    const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 1/100 s
  } catch {
    return NaN;
  }
}

/** The 1-minute load average and the CPU count, as `"load 1.23 on 2 CPUs"` (empty where unknown). */
export function load(): string {
  try {
    const avg = Deno.readTextFileSync("/proc/loadavg").split(" ")[0];
    return `load ${avg} on ${navigator.hardwareConcurrency} CPUs`;
  } catch {
    return "";
  }
}

/** The median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One round of reference steps: per-step wall and CPU ms. */
export interface ReferenceRound {
  wallMs: number[];
  cpuMs: number[];
}

/**
 * A PyTorch reference script running as a child process that times `steps` training steps per request (the
 * protocol of bench/reference/cnn_step.py).
 */
export class TorchReference {
  readonly torch: string;
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #lines: AsyncIterator<string>;

  private constructor(child: Deno.ChildProcess, lines: AsyncIterator<string>, torch: string) {
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.#lines = lines;
    this.torch = torch;
  }

  /**
   * Starts `script` with a Python that has torch; null (with the reason printed) when there is none.
   *
   * @param script Path of the reference script.
   * @param args Its arguments.
   */
  static async start(script: string, args: string[]): Promise<TorchReference | null> {
    const python = await findPython(undefined, "torch");
    if (python === null) {
      console.log("PyTorch reference skipped: no Python with torch (set LIANDAN_PYTHON)");
      return null;
    }
    const child = new Deno.Command(python, { args: [script, ...args], stdin: "piped", stdout: "piped" }).spawn();
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(splitLines()).values();
    const first = await lines.next();
    if (first.done) throw new Error(`Cannot start the PyTorch reference ${script}: it exited before it was ready`);
    return new TorchReference(child, lines, JSON.parse(first.value).torch);
  }

  /** Times `steps` steps in the reference process. */
  async round(steps: number): Promise<ReferenceRound> {
    await this.#writer.write(new TextEncoder().encode(JSON.stringify({ steps }) + "\n"));
    const line = await this.#lines.next();
    if (line.done) throw new Error("Cannot time the PyTorch reference: it exited (see its error above)");
    const { wall_ms, cpu_ms } = JSON.parse(line.value);
    return { wallMs: wall_ms, cpuMs: cpu_ms };
  }

  /** Asks the process to exit and waits for it. */
  async close(): Promise<void> {
    await this.#writer.write(new TextEncoder().encode(JSON.stringify({ quit: true }) + "\n"));
    await this.#writer.close();
    await this.#child.status;
  }
}

/** A stream that splits text into lines. */
function splitLines(): TransformStream<string, string> {
  let buffer = "";
  return new TransformStream({
    transform(chunk, controller) {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      for (const part of parts) if (part.trim()) controller.enqueue(part);
    },
    flush(controller) {
      if (buffer.trim()) controller.enqueue(buffer);
    },
  });
}
