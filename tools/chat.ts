/**
 * `deno task chat [--port 8370] [--active 2]`: the chat page on http://127.0.0.1:PORT/, where the learner gives one
 * prompt to the models they trained — pretrained (11), SFT (12), RLHF (15) — and reads the answers side by side as
 * they stream (tools/chat/: the models, the server, the page). It loads the models from the model cache (full-mode
 * ones when cached, else quick-mode ones), trains the quick poem GPT when nothing is cached, and names the command
 * that makes any other missing model. Bound to 127.0.0.1 only; Ctrl+C stops it.
 *
 * @module
 */
import { type Flag, helpText, parseFlags, runCli } from "./_gpt_cli.ts";
import { isAvailable, loadChatModels, loadReward } from "./chat/models.ts";
import { chatHandler, GenerationQueue, readPage } from "./chat/server.ts";

const FLAGS: Record<string, Flag> = {
  port: { type: "int", default: 8370, min: 0, max: 65535, help: "port on 127.0.0.1 (0: any free one)" },
  active: { type: "int", default: 2, min: 1, max: 8, help: "requests that generate at once; others wait in order" },
};

/** A running chat server. */
export interface ChatServer {
  /** Its address, e.g. `http://127.0.0.1:8370/`. */
  url: string;
  /** Stops it and frees the models. */
  close(): Promise<void>;
}

/**
 * Loads the models and serves the page.
 *
 * @param port Port on 127.0.0.1 (0 picks a free one).
 * @param active Requests generating at once.
 * @param log Where progress lines go.
 * @returns The running server.
 */
export async function startChat(
  port: number,
  active: number,
  log: (line: string) => void = console.log,
): Promise<ChatServer> {
  const models = await loadChatModels(log);
  for (const m of models) if (!isAvailable(m)) log(`${m.id}: not in the model cache; ${m.missing.en}`);
  const reward = await loadReward(log);
  const handler = chatHandler({ models, page: await readPage(), queue: new GenerationQueue(active), log, reward });
  const stop = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port, signal: stop.signal, onListen: () => {} }, handler);
  const url = `http://127.0.0.1:${server.addr.port}/`;
  return {
    url,
    close: async () => {
      stop.abort();
      await server.finished;
      for (const m of models) if (isAvailable(m)) m.dispose();
      reward?.dispose();
    },
  };
}

async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  if (!flags) return console.log(helpText("deno task chat [--port N] [--active N]", FLAGS));
  const server = await startChat(flags.port as number, flags.active as number);
  console.log(`Liandan chat: ${server.url} (Ctrl+C stops it)`);
  const done = Promise.withResolvers<void>();
  const stop = () => done.resolve();
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  await done.promise;
  await server.close();
  console.log("chat stopped");
}

if (import.meta.main) await runCli(main);
