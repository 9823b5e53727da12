/**
 * What happens when a learner stops a training cell (Kernel ▸ Interrupt) in the real `liandan` kernel, and that
 * running the cell again resumes from the last checkpoint (issue 3). The scenario runs in tools/interrupt_driver.py.
 *
 * Measured with Deno 2.9.6: the kernelspec has no `interrupt_mode`, so Jupyter sends SIGINT to the kernel's process
 * group, and the Deno kernel, which installs no SIGINT handler, dies of it (exit status -2). So lib/gpt's trainGpt
 * listens for SIGINT while it trains in the kernel: it stops at the end of the step, saves its checkpoint, and the cell
 * ends with one line, `TrainingStopped: Training stopped at step N: run the cell again to resume from there`; the
 * kernel survives. See tools/README.md, "Stopping a training cell".
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { findPython } from "../../tools/nb.ts";
import { KERNEL_NAME, REPO_ROOT, runnerJupyterPath } from "../../tools/kernelspec.ts";

const python = await findPython();
const inCi = Deno.env.get("CI") === "true";
const noJupyter = python === null && !inCi;
if (noJupyter) {
  console.warn("Skipping the interrupt test: no Python with jupyter_client (CI=true makes this a failure)");
}

/** The run: long enough (~15 s here) that the interrupt lands mid-run, short enough for CI's 60 s. */
const MAX_ITERS = 1500;
const CHECKPOINT_INTERVAL = 20;
/** Interrupt once a checkpoint at this step or later is on disk. */
const MIN_STEP = 100;

interface Output {
  output_type: string;
  name?: string;
  text?: string;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
interface Run {
  outputs: Output[];
  reply_status: string | null;
  seconds: number;
}
interface Report {
  ok: boolean;
  error: string | null;
  spec_interrupt_mode: string;
  inherited_sigint: string;
  first: Run;
  interrupted: boolean;
  died: boolean;
  exit_code?: number;
  interrupt_step: number;
  checkpoint_step: number;
  second: Run;
  died_again: boolean;
}
interface CellResult {
  resumedFrom: number;
  losses: number;
  firstLoss: number;
  lastLoss: number;
}

/** The training cell, as a notebook would hold it (its body in a block, so it can run twice in one kernel). */
function trainingCell(dir: string): string {
  return `import { GPT_TINY, trainResumable } from "@lib/gpt/mod.ts";
{
  const train = Array.from({ length: 2000 }, (_, i) => (i * 7) % 11);
  const options = { maxIters: ${MAX_ITERS}, batchSize: 4, evalInterval: 0, checkpointInterval: ${CHECKPOINT_INTERVAL} };
  const { model, run, resumedFrom } = await trainResumable(${JSON.stringify(dir)}, GPT_TINY, { train }, {
    ...options,
    progress: false,
  });
${REPORT_LINES}
}
`;
}

/** Prints the RESULT line the test reads, and frees the model. */
const REPORT_LINES = `  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [firstLoss, lastLoss] = [mean(run.losses.slice(0, 50)), mean(run.losses.slice(-50))];
  console.log("RESULT " + JSON.stringify({ resumedFrom, losses: run.losses.length, firstLoss, lastLoss }));
  model.dispose();`;

const text = (outputs: Output[]) =>
  outputs.map((o) => o.output_type === "error" ? `${o.ename}: ${o.evalue}\n${(o.traceback ?? []).join("\n")}` : o.text)
    .join("");

function cellResult(run: Run): CellResult | null {
  const line = text(run.outputs).split("\n").find((l) => l.startsWith("RESULT "));
  return line ? JSON.parse(line.slice("RESULT ".length)) : null;
}

async function runScenario(tmp: string, cell: (dir: string) => string): Promise<Report> {
  const [code, checkpoint, report] = ["cell.ts", "checkpoint", "report.json"].map((n) => join(tmp, n));
  await Deno.writeTextFile(code, cell(checkpoint));
  const jupyterPath = await runnerJupyterPath(REPO_ROOT);
  const env = { JUPYTER_PATH: [jupyterPath, Deno.env.get("JUPYTER_PATH")].filter(Boolean).join(":"), NO_COLOR: "1" };
  const args = [join(REPO_ROOT, "tools", "interrupt_driver.py"), code, checkpoint, report, "--kernel", KERNEL_NAME];
  args.push("--cwd", join(REPO_ROOT, "tests", "fixtures"), "--min-step", String(MIN_STEP), "--timeout", "150");
  // Backstop only: the driver enforces its own timeout and shuts the kernel down in `finally`.
  const signal = AbortSignal.timeout(200_000);
  const out = await new Deno.Command(python!, { args, env, stdout: "piped", stderr: "piped", signal }).output();
  const log = new TextDecoder().decode(out.stderr);
  let parsed: Report;
  try {
    parsed = JSON.parse(await Deno.readTextFile(report));
  } catch {
    throw new Error(`interrupt_driver.py wrote no report (exit status ${out.code}):\n${log}`);
  }
  assert.equal(parsed.error, null, `the scenario failed: ${parsed.error}\n${log}`);
  assert.equal(out.code, 0, log);
  // The interrupt landed mid-run: a checkpoint was on disk and the cell had not printed its result.
  assert.equal(parsed.interrupted, true, "the driver must have interrupted the cell");
  assert.ok(parsed.interrupt_step >= MIN_STEP, `interrupted at checkpoint step ${parsed.interrupt_step}`);
  assert.equal(cellResult(parsed.first), null, "the first run must not have finished before the interrupt");
  assert.equal(parsed.spec_interrupt_mode, "signal", "the kernelspec leaves interrupt_mode at Jupyter's default");
  return parsed;
}

/** The second run resumed from the checkpoint left on disk and finished the whole run; returns what it printed. */
function assertResumed(r: Report): CellResult {
  assert.equal(r.died_again, false, "the second run must not kill the kernel");
  assert.equal(r.second.reply_status, "ok", text(r.second.outputs));
  const result = cellResult(r.second);
  assert.ok(result, `the second run printed no RESULT line:\n${text(r.second.outputs)}`);
  assert.equal(result.resumedFrom, r.checkpoint_step, "resumed from the checkpoint left on disk");
  assert.ok(result.resumedFrom >= MIN_STEP && result.resumedFrom < MAX_ITERS, `resumed from ${result.resumedFrom}`);
  assert.equal(result.losses, MAX_ITERS, "the loss curve holds every step, before and after the interrupt");
  assert.ok(result.lastLoss < result.firstLoss / 2, `loss ${result.firstLoss} -> ${result.lastLoss}`);
  return result;
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "liandan-interrupt-" });
  try {
    await fn(tmp);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

const summary = (r: Report, result: CellResult, started: number) =>
  `kernel ${
    r.died ? `died (exit ${r.exit_code})` : "survived"
  } on interrupt (checkpoint at step ${r.interrupt_step} after the first run); ` +
  `resumed from ${result.resumedFrom}; first run ${r.first.seconds} s, second ${r.second.seconds} s, ` +
  `total ${((performance.now() - started) / 1000).toFixed(1)} s (driver's inherited SIGINT: ${r.inherited_sigint})`;

Deno.test({
  name: "Kernel ▸ Interrupt stops a training cell with one line, and running it again resumes in the same kernel",
  ignore: noJupyter,
  fn: () =>
    withTempDir(async (tmp) => {
      const started = performance.now();
      const r = await runScenario(tmp, trainingCell);
      assert.equal(r.died, false, "trainGpt's SIGINT listener keeps the kernel alive");
      assert.equal(r.first.reply_status, "error", "the interrupted cell ends with an error");
      const errors = r.first.outputs.filter((o) => o.output_type === "error");
      assert.equal(errors.length, 1, text(r.first.outputs));
      const step = r.checkpoint_step;
      const message = `Training stopped at step ${step}: run the cell again to resume from there`;
      assert.deepEqual([errors[0].ename, errors[0].evalue], ["TrainingStopped", message]);
      assert.deepEqual(errors[0].traceback, [message], "the learner sees one line, no stack trace");
      const result = assertResumed(r);
      console.log(summary(r, result, started));
    }),
});
