/**
 * The chat page in headless Chromium, on the models of the model cache (the quick ones the notebook stage of
 * `deno task test` leaves there: its `pretrain --quick` trains all three and the reward model; given the SFT and reward
 * models, the page tunes the quick RLHF model itself): a Chinese prompt, three answers (pretrained, SFT, RLHF) streamed
 * token by token with their scores, a sampling control, the next-token tooltip, both languages, a phone width, and a
 * bounded load test. Screenshots go to build/chat/.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { assertCjkFont, CHROMIUM, CHROMIUM_ARGS, SC_FONT, works } from "./_chromium.ts";
import { startChat } from "../tools/chat.ts";
import { loadTest } from "../tools/chat/load.ts";
import { REPO_ROOT } from "../tools/kernelspec.ts";

const SHOTS = join(REPO_ROOT, "build", "chat");
const haveChromium = await works(CHROMIUM, ["--version"]);

Deno.test({
  name: "chat page: a Chinese prompt, answers streamed token by token with scores, controls, tooltip, phone width",
  ignore: !haveChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startChat(0, 2, () => {});
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
    try {
      await Deno.mkdir(SHOTS, { recursive: true });
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      await page.route((u) => !u.toString().startsWith(server.url), (route) => route.abort()); // no network
      await page.goto(`${server.url}?lang=zh`);
      await page.waitForSelector(".card h2");
      assert.equal(await page.textContent("h1"), "炼丹对话：和你训练的模型聊天");
      assert.equal(await page.locator(".card").count(), 3);
      // every token's arrival time, to see that the answer streams
      await page.evaluate(() => {
        const w = window as unknown as { arrivals: number[] };
        w.arrivals = [];
        new MutationObserver((records) => {
          for (const r of records) {
            for (const n of r.addedNodes) {
              if ((n as Element).classList?.contains("tok")) w.arrivals.push(performance.now());
            }
          }
        }).observe(document.getElementById("answers")!, { childList: true, subtree: true });
      });
      await page.click("#settings summary");
      await page.fill("#temperature", "0.6");
      await page.fill("#seed", "7");
      await page.click(".example >> nth=0"); // 写一首关于月的五言绝句, as notebook 12 asks for a poem
      await page.click("#send");
      await page.waitForFunction(() => document.getElementById("status")!.textContent!.startsWith("用时"), null, {
        timeout: 60_000,
      });
      const pretrained = page.locator('.card[data-model="pretrained"]');
      // Every slot has its model (a missing one would name the command: deno task pretrain --quick makes them all),
      // and each wrote something: how long an answer is depends on the model (a quick-mode one may end its poem at
      // once), so at least one token each.
      const loaded = await page.locator(".card:not(.missing)").evaluateAll((cards) =>
        cards.map((c) => c.getAttribute("data-model"))
      );
      const missing = await page.locator(".card.missing").allTextContents();
      assert.deepEqual(loaded, ["pretrained", "sft", "rlhf"], `loaded ${loaded.join(", ")}; missing: ${missing}`);
      for (const id of loaded) {
        const tokens = await page.locator(`.card[data-model="${id}"] .answer .tok`).count();
        assert.ok(tokens >= 1, `${id} wrote nothing`);
      }
      // the tokens, several in all, arrived at different times
      const arrivals: number[] = await page.evaluate(() => (window as unknown as { arrivals: number[] }).arrivals);
      assert.ok(arrivals.length >= 3, `${arrivals.length} tokens in all`);
      assert.ok(
        new Set(arrivals.map((t) => Math.round(t))).size >= 2,
        "tokens arrived at different times, not at once",
      );
      assert.ok(await pretrained.locator(".score").count() >= 5, "the labeler's scores are shown");
      assert.match(await pretrained.locator(".scores").textContent() ?? "", /标注员/);
      await assertCjkFont(page, ":is(h1, h2, .answer .tok, .intro)", "the chat page", SC_FONT);
      await page.screenshot({ path: join(SHOTS, "chat.png"), fullPage: true });
      await page.locator(".tok").first().hover();
      await page.waitForSelector("#tip:not([hidden])");
      assert.equal(await page.locator("#tip tr").count(), 5);
      await page.screenshot({ path: join(SHOTS, "chat-tooltip.png"), fullPage: true });
      // the same answer again, with the same seed and settings
      const first = await pretrained.locator(".answer").textContent();
      await page.click("#send");
      await page.waitForFunction(() => document.getElementById("status")!.textContent!.startsWith("用时"), null, {
        timeout: 60_000,
      });
      assert.equal(await pretrained.locator(".answer").textContent(), first, "same seed, same answer");
      // English, and a phone's width
      await page.click("#lang");
      assert.equal(await page.textContent("#send"), "Send");
      await page.setViewportSize({ width: 390, height: 800 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than a phone`);
      await page.screenshot({ path: join(SHOTS, "chat-phone.png"), fullPage: true });
    } finally {
      await browser.close();
      await server.close();
    }
  },
});

Deno.test({
  name: "chat server under load: 3 clients for 6 s, every answer complete, tokens/s and the slowest first token",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startChat(0, 2, () => {});
    try {
      const report = await loadTest(server.url, 3, 6, 16);
      console.log(
        `load: ${report.requests} requests, ${report.tokens} tokens in ${report.seconds.toFixed(1)} s = ` +
          `${report.tokensPerSecond.toFixed(0)} tokens/s; slowest first token ${
            report.slowestFirstTokenMs.toFixed(0)
          } ms`,
      );
      assert.deepEqual(report.errors, []);
      assert.ok(report.requests >= 3 && report.tokens > 0);
    } finally {
      await server.close();
    }
  },
});
