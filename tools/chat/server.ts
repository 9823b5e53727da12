/**
 * The chat page's server, as a plain `(Request) → Response` handler (tools/chat.ts serves it on 127.0.0.1):
 *
 * - `GET /`, `/chat.js`, `/chat.css`: the page, from a fixed table (no request names a file);
 * - `GET /api/models`: the three slots, loaded or missing (and which command makes a missing one);
 * - `POST /api/chat` with `{prompt, models?, temperature?, topK?, topP?, maxTokens?, seed?}`: the answers as server-sent
 *   events — `queued` (requests ahead), `token` (per model, with the top next-token probabilities), `done` (per model,
 *   with the labeler's scores), `error`, and `end`.
 *
 * Bad requests get a 4xx status and a sentence saying what is wrong. Generation runs through a FIFO
 * {@link GenerationQueue} (a few requests at a time, the rest wait in order, so no tab starves); a request whose
 * client goes away (tab closed, fetch aborted) stops generating at the next token.
 *
 * @module
 */
import { scorePoem } from "@lib/rlhf/mod.ts";
import {
  type Bilingual,
  type ChatModel,
  type ChatSettings,
  isAvailable,
  type MissingModel,
  type RewardScorer,
} from "./models.ts";

/** Limits of a request. */
export const LIMITS = Object.freeze({
  promptChars: 64,
  bodyBytes: 4096,
  maxTokens: 128,
  temperature: 2,
  topK: 3000,
});

/** Defaults of the sampling settings. */
export const DEFAULT_SETTINGS: Readonly<ChatSettings> = Object.freeze({
  temperature: 0.8,
  topK: 0,
  topP: 0.95,
  maxTokens: 64,
  seed: 1,
});

/** A checked chat request. */
export interface ChatRequest {
  prompt: string;
  models: string[];
  settings: ChatSettings;
}

/** A 4xx answer. */
export class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "RequestError";
  }
}

function numberIn(body: Record<string, unknown>, key: string, min: number, max: number, integer: boolean): number {
  const value = body[key] ?? DEFAULT_SETTINGS[key as keyof ChatSettings];
  if (
    typeof value !== "number" || !Number.isFinite(value) || value < min || value > max ||
    (integer && !Number.isInteger(value))
  ) {
    const kind = integer ? "an integer" : "a number";
    throw new RequestError(400, `${key} must be ${kind} from ${min} to ${max}: got ${JSON.stringify(body[key])}`);
  }
  return value;
}

/**
 * Checks the JSON body of `POST /api/chat`.
 *
 * @param body The parsed body.
 * @param slots The page's models (a missing one cannot be asked for).
 * @returns The request with defaults filled in.
 * @throws {RequestError} 400 saying which field is wrong and why.
 */
export function parseChatRequest(body: unknown, slots: readonly (ChatModel | MissingModel)[]): ChatRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new RequestError(400, 'The request must be a JSON object such as {"prompt": "床前明月光"}');
  }
  const b = body as Record<string, unknown>;
  if (typeof b.prompt !== "string") throw new RequestError(400, "prompt must be a string of text");
  const prompt = b.prompt.replace(/\r\n?/g, "\n").trim();
  if (prompt.length === 0) throw new RequestError(400, "prompt is empty: write a few characters, e.g. 床前明月光");
  if ([...prompt].length > LIMITS.promptChars) {
    throw new RequestError(
      400,
      `prompt is ${
        [...prompt].length
      } characters long: at most ${LIMITS.promptChars} fit (the models read 64 characters)`,
    );
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(prompt)) throw new RequestError(400, "prompt holds control characters");
  const available = slots.filter(isAvailable).map((m) => m.id);
  let models = available;
  if (b.models !== undefined) {
    if (!Array.isArray(b.models) || b.models.length === 0 || b.models.some((m) => typeof m !== "string")) {
      throw new RequestError(400, `models must be a non-empty list of names from ${JSON.stringify(available)}`);
    }
    for (const id of b.models as string[]) {
      const slot = slots.find((m) => m.id === id);
      if (!slot) {
        throw new RequestError(
          400,
          `Unknown model "${id}": the models are ${JSON.stringify(slots.map((m) => m.id))}`,
        );
      }
      if (!isAvailable(slot)) throw new RequestError(409, `Model "${id}" is not trained yet: ${slot.missing.en}`);
    }
    models = [...new Set(b.models as string[])];
  }
  if (models.length === 0) throw new RequestError(409, "No model is loaded: train one first (deno task pretrain)");
  const settings: ChatSettings = {
    temperature: numberIn(b, "temperature", 0, LIMITS.temperature, false),
    topK: numberIn(b, "topK", 0, LIMITS.topK, true),
    topP: numberIn(b, "topP", 0.01, 1, false),
    maxTokens: numberIn(b, "maxTokens", 1, LIMITS.maxTokens, true),
    seed: numberIn(b, "seed", 0, 2 ** 31 - 1, true),
  };
  return { prompt, models, settings };
}

/**
 * A FIFO of requests: at most `active` run at once, the others wait in arrival order (told how many are ahead).
 *
 * @example
 * ```ts
 * import { GenerationQueue } from "./server.ts";
 * import assert from "node:assert/strict";
 * const queue = new GenerationQueue(1);
 * const first = await queue.acquire(new AbortController().signal);
 * const second = queue.acquire(new AbortController().signal);
 * assert.equal(queue.waiting, 1);
 * first();
 * (await second)();
 * assert.equal(queue.waiting, 0);
 * ```
 */
export class GenerationQueue {
  #running = 0;
  readonly #waiting: { start: () => void; ahead: (n: number) => void }[] = [];

  /** @param active How many requests generate at once (≥ 1). */
  constructor(readonly active: number) {
    if (!Number.isInteger(active) || active < 1) {
      throw new RangeError(`Cannot create a queue as active must be an integer ≥ 1: current value is ${active}`);
    }
  }

  /** Requests waiting for a turn. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Waits for a turn.
   *
   * @param signal Aborting it while waiting leaves the queue (the promise rejects with the abort reason).
   * @param ahead Told how many requests are ahead, now and whenever that changes.
   * @returns The function that ends the turn (call it once).
   */
  acquire(signal: AbortSignal, ahead: (n: number) => void = () => {}): Promise<() => void> {
    const release = () => {
      this.#running--;
      this.#next();
    };
    if (this.#running < this.active && this.#waiting.length === 0) {
      this.#running++;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const entry = {
        start: () => {
          signal.removeEventListener("abort", leave);
          this.#running++;
          resolve(once(release));
        },
        ahead,
      };
      const leave = () => {
        const i = this.#waiting.indexOf(entry);
        if (i >= 0) this.#waiting.splice(i, 1);
        this.#tell();
        reject(signal.reason);
      };
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener("abort", leave, { once: true });
      this.#waiting.push(entry);
      ahead(this.#waiting.length - 1 + this.#running);
    });
  }

  #next(): void {
    while (this.#running < this.active && this.#waiting.length > 0) this.#waiting.shift()!.start();
    this.#tell();
  }

  #tell(): void {
    this.#waiting.forEach((w, i) => w.ahead(i + this.#running));
  }
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (!done) (done = true, f());
  };
}

/** A static file of the page. */
export interface PageFile {
  body: string;
  type: string;
}

/** Reads the page's files from tools/chat/page/ (a fixed list). */
export async function readPage(): Promise<Record<string, PageFile>> {
  const dir = new URL("./page/", import.meta.url);
  const file = async (name: string, type: string) => ({ body: await Deno.readTextFile(new URL(name, dir)), type });
  return {
    "/": await file("index.html", "text/html; charset=utf-8"),
    "/chat.js": await file("chat.js", "text/javascript; charset=utf-8"),
    "/chat.css": await file("chat.css", "text/css; charset=utf-8"),
  };
}

/** Options of {@link chatHandler}. */
export interface ChatHandlerOptions {
  /** The page's three slots. */
  models: readonly (ChatModel | MissingModel)[];
  /** The page's files (from {@link readPage}). */
  page: Record<string, PageFile>;
  /** The queue (default: one request at a time). */
  queue?: GenerationQueue;
  /** Called with one line per finished or failed request (the terminal's log). */
  log?: (line: string) => void;
  /** Notebook 14's reward model, or null when it is not trained (the page then says so). */
  reward?: RewardScorer | null;
}

const json = (status: number, value: unknown) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json; charset=utf-8" } });

/** The `/api/models` answer. */
export function describeModels(models: readonly (ChatModel | MissingModel)[]): unknown[] {
  return models.map((m) =>
    isAvailable(m)
      ? { id: m.id, label: m.label, available: true, mode: m.mode, template: m.template }
      : { id: m.id, label: m.label, available: false, missing: m.missing }
  );
}

/** The topic a prompt asks for: the character in 「」 or after 关于, else its first Chinese character. */
export function promptTopic(prompt: string): string | null {
  const quoted = prompt.match(/[「“"《]\s*(\p{Script=Han})/u) ?? prompt.match(/关于\s*(\p{Script=Han})/u);
  if (quoted) return quoted[1];
  return prompt.match(/\p{Script=Han}/u)?.[0] ?? null;
}

/**
 * The request handler.
 *
 * @param options Models, page and queue.
 * @returns A handler for `Deno.serve`.
 */
export function chatHandler(options: ChatHandlerOptions): (req: Request) => Promise<Response> {
  const { models, page, log = () => {}, reward = null } = options;
  const queue = options.queue ?? new GenerationQueue(1);
  return async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname;
    if (path === "/api/chat") {
      if (req.method !== "POST") return json(405, { error: "Use POST for /api/chat" });
      try {
        return stream(await readRequest(req, models), models, queue, log, reward);
      } catch (e) {
        if (e instanceof RequestError) return json(e.status, { error: e.message });
        throw e;
      }
    }
    if (req.method !== "GET" && req.method !== "HEAD") return json(405, { error: `Cannot ${req.method} ${path}` });
    if (path === "/api/models") {
      return json(200, { models: describeModels(models), reward: reward ? { mode: reward.mode } : null });
    }
    if (path === "/favicon.ico") return new Response(null, { status: 204 });
    const file = Object.hasOwn(page, path) ? page[path] : undefined;
    if (!file) return json(404, { error: `Nothing at ${path}: the page is at /` });
    return new Response(req.method === "HEAD" ? null : file.body, {
      headers: { "content-type": file.type, "cache-control": "no-store" },
    });
  };
}

async function readRequest(req: Request, models: readonly (ChatModel | MissingModel)[]): Promise<ChatRequest> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new RequestError(415, `Send JSON (content-type: application/json): got ${type || "no content type"}`);
  }
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > LIMITS.bodyBytes) {
    throw new RequestError(413, `The request is ${length} bytes: at most ${LIMITS.bodyBytes}`);
  }
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.length > LIMITS.bodyBytes) {
    throw new RequestError(413, `The request is ${bytes.length} bytes: at most ${LIMITS.bodyBytes}`);
  }
  let text: string, body: unknown;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new RequestError(400, "The request is not UTF-8 text");
  }
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new RequestError(400, `The request is not valid JSON (${(e as Error).message})`);
  }
  return parseChatRequest(body, models);
}

function stream(
  request: ChatRequest,
  models: readonly (ChatModel | MissingModel)[],
  queue: GenerationQueue,
  log: (line: string) => void,
  reward: RewardScorer | null,
): Response {
  const stop = new AbortController();
  // The client going away (tab closed, fetch aborted) cancels the stream: cancel() below stops the generation.
  const abort = () => stop.abort(new DOMException("the client went away", "AbortError"));
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => {
        if (stop.signal.aborted) return;
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          abort(); // the stream was closed under us
        }
      };
      const t0 = performance.now();
      let release: (() => void) | null = null;
      try {
        release = await queue.acquire(stop.signal, (ahead) => send("queued", { ahead }));
        send("start", { models: request.models, settings: request.settings });
        const topic = promptTopic(request.prompt);
        let tokens = 0;
        await Promise.all(request.models.map(async (id) => {
          const model = models.find((m) => m.id === id) as ChatModel;
          try {
            const answer = await model.answer(request.prompt, request.settings, async (e) => {
              tokens++;
              send("token", { model: id, ...e });
              // A model's step awaits only microtasks on wasm: yield to the event loop, so that the token is
              // written out now and other requests (other tabs) get their turn between tokens.
              await new Promise((resolve) => setTimeout(resolve, 0));
            }, stop.signal);
            const label = topic ? scorePoem(answer, topic) : null;
            const score = reward && answer.length > 0 && !stop.signal.aborted
              ? await reward.score(request.prompt, answer)
              : null;
            send("done", { model: id, answer, topic, scores: label?.scores ?? null, reward: score });
          } catch (e) {
            if (!stop.signal.aborted) send("error", { model: id, message: (e as Error).message });
          }
        }));
        send("end", { seconds: Number(((performance.now() - t0) / 1000).toFixed(2)) });
        log(
          `${stop.signal.aborted ? "stopped" : "answered"}: ${JSON.stringify(request.prompt)} (${tokens} tokens, ${
            ((performance.now() - t0) / 1000).toFixed(1)
          } s)`,
        );
      } catch (e) {
        if (!stop.signal.aborted) send("error", { message: (e as Error).message });
      } finally {
        release?.();
        try {
          controller.close();
        } catch { /* already closed by the client */ }
      }
    },
    cancel() {
      abort();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
}

/** Re-exported for the page's tests. */
export type { Bilingual };
