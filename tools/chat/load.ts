/**
 * A bounded load test of the chat server: `concurrency` clients send prompts back to back for `seconds` seconds and
 * read every answer to its end. Reports requests, tokens per second over the run and the slowest time to the first
 * token (what a waiting learner feels), and counts every failure: a non-200 status, an `error` event, a stream that
 * ends without its `end` event.
 *
 * @module
 */

/** What {@link loadTest} measured. */
export interface LoadReport {
  requests: number;
  tokens: number;
  tokensPerSecond: number;
  /** Slowest time from sending a request to its first token, in ms. */
  slowestFirstTokenMs: number;
  errors: string[];
  seconds: number;
}

/** Prompts the clients cycle through. */
export const LOAD_PROMPTS: readonly string[] = Object.freeze([
  "床前明月光",
  "写一首关于「春」的诗",
  "白日依山尽",
  "月",
]);

/**
 * Runs the load test.
 *
 * @param url The server's address, e.g. `http://127.0.0.1:8370/`.
 * @param concurrency Clients at once (≥ 1).
 * @param seconds How long new requests are started (the last ones finish after).
 * @param maxTokens Tokens per answer.
 * @returns The report.
 */
export async function loadTest(url: string, concurrency: number, seconds: number, maxTokens = 16): Promise<LoadReport> {
  const report: LoadReport = {
    requests: 0,
    tokens: 0,
    tokensPerSecond: 0,
    slowestFirstTokenMs: 0,
    errors: [],
    seconds: 0,
  };
  const t0 = performance.now(), until = t0 + seconds * 1000;
  const client = async (c: number) => {
    for (let i = 0; performance.now() < until; i++) {
      const sent = performance.now();
      const prompt = LOAD_PROMPTS[(c + i) % LOAD_PROMPTS.length];
      const res = await fetch(new URL("/api/chat", url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prompt, maxTokens, seed: c * 1000 + i }),
      });
      report.requests++;
      if (res.status !== 200) {
        report.errors.push(`${prompt}: status ${res.status} ${await res.text()}`);
        continue;
      }
      let text = "", firstAt = -1;
      for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
        text += chunk;
        if (firstAt < 0 && text.includes("event: token")) firstAt = performance.now();
      }
      if (firstAt >= 0) report.slowestFirstTokenMs = Math.max(report.slowestFirstTokenMs, firstAt - sent);
      report.tokens += text.split("event: token").length - 1;
      if (text.includes("event: error")) {
        report.errors.push(`${prompt}: ${text.slice(text.indexOf("event: error"), 300)}`);
      }
      if (!text.includes("event: end")) report.errors.push(`${prompt}: the stream ended without its end event`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, c) => client(c)));
  report.seconds = (performance.now() - t0) / 1000;
  report.tokensPerSecond = report.tokens / report.seconds;
  return report;
}
