import assert from "node:assert/strict";
import { withTempCache } from "../_temp_cache.ts";
import {
  type ChatModel,
  type ChatSettings,
  isAvailable,
  loadRlhf,
  type MissingModel,
  type TokenEvent,
} from "../../tools/chat/models.ts";
import {
  chatHandler,
  GenerationQueue,
  LIMITS,
  parseChatRequest,
  promptTopic,
  readPage,
  RequestError,
} from "../../tools/chat/server.ts";

/** A model that writes `text` one character at a time, `delayMs` apart, and records whether it was stopped. */
function fakeModel(id: string, text: string, delayMs = 1): ChatModel & { stopped: boolean; calls: number } {
  const model = {
    id,
    label: { en: id, zh: id },
    mode: "quick" as const,
    template: { en: "raw", zh: "原样" },
    stopped: false,
    calls: 0,
    async answer(_prompt: string, settings: ChatSettings, onToken: (e: TokenEvent) => unknown, signal: AbortSignal) {
      model.calls++;
      let out = "";
      for (const [index, ch] of [...text].slice(0, settings.maxTokens).entries()) {
        if (signal.aborted) {
          model.stopped = true;
          break;
        }
        await new Promise((r) => setTimeout(r, delayMs));
        out += ch;
        await onToken({ index, text: ch, top: [[ch, 0.5]] });
      }
      return out;
    },
    dispose() {},
  };
  return model;
}

/** A slot without its model, as loadRlhf reports the RLHF model when the cache lacks it and what it is tuned from. */
const MISSING: MissingModel = {
  id: "rlhf",
  label: { en: "RLHF (notebook 15)", zh: "RLHF（第 15 课）" },
  missing: { en: "notebook 15 (or deno task pretrain)", zh: "第 15 课（或 deno task pretrain）" },
};
const POEM = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。";

async function handler(models: (ChatModel | MissingModel)[], active = 1) {
  return chatHandler({ models, page: await readPage(), queue: new GenerationQueue(active) });
}

const post = (body: unknown, type = "application/json") =>
  new Request("http://127.0.0.1/api/chat", {
    method: "POST",
    headers: { "content-type": type },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** The server-sent events of a response, parsed. */
async function events(res: Response): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const text = await res.text();
  return text.split("\n\n").filter(Boolean).map((block) => ({
    event: block.match(/^event: (.*)$/m)![1],
    data: JSON.parse(block.match(/^data: (.*)$/m)![1]),
  }));
}

Deno.test("chat: bad requests get a 4xx status and a sentence, never a crash", async () => {
  const h = await handler([fakeModel("pretrained", POEM), MISSING]);
  const cases: [Request, number, RegExp][] = [
    [post({ prompt: "" }), 400, /prompt is empty/],
    [post({ prompt: "   " }), 400, /prompt is empty/],
    [post({ prompt: "月".repeat(LIMITS.promptChars + 1) }), 400, /at most 64 fit/],
    [post({ prompt: 42 }), 400, /prompt must be a string/],
    [post({ prompt: "月\u0007" }), 400, /control characters/],
    [post("{not json"), 400, /not valid JSON/],
    [post("[1, 2]"), 400, /must be a JSON object/],
    [post({ prompt: "月" }, "text/plain"), 415, /Send JSON/],
    [post("x".repeat(LIMITS.bodyBytes + 1)), 413, /at most 4096/],
    [post({ prompt: "月", models: ["gpt5"] }), 400, /Unknown model "gpt5"/],
    [post({ prompt: "月", models: ["rlhf"] }), 409, /is not trained yet: notebook 15 \(or deno task pretrain\)/],
    [post({ prompt: "月", models: [] }), 400, /non-empty list/],
    [post({ prompt: "月", temperature: -1 }), 400, /temperature must be a number from 0 to 2: got -1/],
    [post({ prompt: "月", temperature: "hot" }), 400, /temperature must be a number/],
    [post({ prompt: "月", topK: 2.5 }), 400, /topK must be an integer/],
    [post({ prompt: "月", topP: 0 }), 400, /topP must be a number from 0.01 to 1/],
    [post({ prompt: "月", maxTokens: 10_000 }), 400, /maxTokens must be an integer from 1 to 128/],
    [post({ prompt: "月", seed: -3 }), 400, /seed must be an integer/],
    [new Request("http://127.0.0.1/api/chat"), 405, /Use POST/],
    [new Request("http://127.0.0.1/api/models", { method: "DELETE" }), 405, /Cannot DELETE/],
  ];
  for (const [i, [req, status, message]] of cases.entries()) {
    const res = await h(req);
    assert.equal(res.status, status, `case ${i}: ${req.method} ${req.url}`);
    assert.match((await res.json()).error, message, `case ${i}`);
  }
});

Deno.test("chat: no request reaches a file by a path it supplies", async () => {
  const h = await handler([fakeModel("pretrained", POEM)]);
  for (
    const path of ["/../deno.json", "/%2e%2e/deno.json", "/chat.ts", "/page/index.html", "/constructor", "/__proto__"]
  ) {
    const res = await h(new Request(`http://127.0.0.1${path}`));
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
  for (const [path, type] of [["/", /text\/html/], ["/chat.js", /javascript/], ["/chat.css", /text\/css/]] as const) {
    const res = await h(new Request(`http://127.0.0.1${path}`));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, type);
    assert.ok((await res.text()).length > 100);
  }
  const models = await (await h(new Request("http://127.0.0.1/api/models"))).json();
  assert.deepEqual(models.models.map((m: { id: string; available: boolean }) => [m.id, m.available]), [[
    "pretrained",
    true,
  ]]);
});

Deno.test("chat: the answers stream token by token from every model, then the labeler's scores and an end", async () => {
  const a = fakeModel("pretrained", POEM), b = fakeModel("sft", "月出惊山鸟");
  const h = await handler([a, b, MISSING]);
  const res = await h(post({ prompt: "写一首关于「月」的诗", maxTokens: 128 }));
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /text\/event-stream/);
  const got = await events(res);
  assert.equal(got[0].event, "start");
  assert.deepEqual(got[0].data.models, ["pretrained", "sft"]);
  const tokens = (id: string) =>
    got.filter((e) => e.event === "token" && e.data.model === id).map((e) => e.data.text).join("");
  assert.equal(tokens("pretrained"), POEM);
  assert.equal(tokens("sft"), "月出惊山鸟");
  const done = got.filter((e) => e.event === "done");
  assert.equal(done.length, 2);
  const poem = done.find((e) => e.data.model === "pretrained")!.data;
  assert.equal(poem.topic, "月");
  assert.equal((poem.scores as { form: number }).form, 1);
  assert.equal(got.at(-1)!.event, "end");
  // interleaved, not one model after the other: the short answer finishes before the long one
  const order = got.filter((e) => e.event === "done").map((e) => e.data.model);
  assert.deepEqual(order, ["sft", "pretrained"]);
});

Deno.test("chat: a client that goes away stops the generation at the next token", async () => {
  const slow = fakeModel("pretrained", "月".repeat(100), 20);
  const h = await handler([slow]);
  const client = new AbortController();
  const req = new Request("http://127.0.0.1/api/chat", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ prompt: "月", maxTokens: 100 }),
    signal: client.signal,
  });
  const res = await h(req);
  const reader = res.body!.getReader();
  await reader.read(); // start
  await reader.read(); // a token
  await reader.cancel(); // the tab is closed
  for (let i = 0; i < 50 && !slow.stopped; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(slow.stopped, "the model was told to stop");
});

Deno.test("chat: several clients at once are queued in order, each told how many are ahead, none starved", async () => {
  const model = fakeModel("pretrained", "一二三四五", 5);
  const h = await handler([model], 1);
  const all = await Promise.all([1, 2, 3].map((i) => h(post({ prompt: `月${i}` })).then(events)));
  for (const [i, got] of all.entries()) {
    assert.equal(got.at(-1)!.event, "end", `request ${i} finished`);
    const ahead = got.filter((e) => e.event === "queued").map((e) => e.data.ahead);
    assert.equal(ahead[0] ?? 0, i, `request ${i} saw ${i} ahead first`);
  }
  assert.equal(model.calls, 3);
});

Deno.test("GenerationQueue: leaving the queue while waiting frees the place; a bad size is a clear error", async () => {
  const queue = new GenerationQueue(1);
  const release = await queue.acquire(new AbortController().signal);
  const leaving = new AbortController();
  const waiting = queue.acquire(leaving.signal);
  const third = queue.acquire(new AbortController().signal);
  leaving.abort(new Error("gone"));
  await assert.rejects(waiting, /gone/);
  assert.equal(queue.waiting, 1);
  release();
  (await third)();
  assert.throws(() => new GenerationQueue(0), /active must be an integer ≥ 1/);
});

Deno.test("parseChatRequest fills defaults; promptTopic finds the topic character", () => {
  const r = parseChatRequest({ prompt: " 床前明月光 " }, [fakeModel("pretrained", POEM)]);
  assert.equal(r.prompt, "床前明月光");
  assert.deepEqual(r.models, ["pretrained"]);
  assert.equal(r.settings.maxTokens, 64);
  assert.throws(() => parseChatRequest({ prompt: "月" }, [MISSING]), RequestError);
  assert.equal(promptTopic("写一首关于「雪」的五言绝句"), "雪");
  assert.equal(promptTopic("写一首关于春的诗"), "春");
  assert.equal(promptTopic("床前明月光"), "床");
  assert.equal(promptTopic("hello"), null);
});

Deno.test("loadRlhf: with nothing to tune it from in the cache, the slot names notebook 15", async () => {
  await withTempCache(async (root) => {
    const lines: string[] = [];
    const slot = await loadRlhf((line) => lines.push(line));
    assert.ok(!isAvailable(slot), "no RLHF model without the SFT and reward models");
    assert.equal(slot.id, "rlhf");
    assert.deepEqual(slot.missing, MISSING.missing);
    assert.deepEqual(slot.label, MISSING.label);
    assert.deepEqual(lines, ["gpt-rlhf: not in the model cache, nor the quick gpt-sft and reward-14 it is tuned from"]);
    assert.deepEqual([...Deno.readDirSync(root)], [], "the cache stays empty");
  });
});
