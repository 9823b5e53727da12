// The chat page: one prompt, the three models' answers side by side as they stream (POST /api/chat, server-sent
// events read from a streamed fetch), the labeler's scores under each, and on hover over a token the model's most
// likely next tokens at that step. No library, no build step.
"use strict";

const TEXT = {
  en: {
    title: "Liandan chat: the models you trained",
    intro: "The same prompt goes to the pretrained model (notebook 11), the SFT model (12) and the RLHF model (15). " +
      "The pretrained model never saw a question: it continues your text (文字接龙). Hover over a character to see " +
      "what the model thought could come next.",
    prompt: "Prompt",
    examples: "The kinds of instruction notebook 12 taught (the last is plain text, for the pretrained model):",
    send: "Send",
    stop: "Stop",
    settings: "Sampling",
    temperature: "temperature",
    topK: "top-k (0: off)",
    topP: "top-p",
    maxTokens: "max tokens",
    seed: "seed",
    single:
      "Single-turn on purpose: these models read only 64 characters, so there is no room for a conversation's history.",
    lang: "中文",
    mode: { full: "full-mode checkpoint", quick: "quick-mode checkpoint (rougher)" },
    missing: "not trained yet: ",
    queued: (n) => `waiting: ${n} request${n === 1 ? "" : "s"} ahead`,
    writing: "writing…",
    done: (s) => `done in ${s} s`,
    stopped: "stopped",
    scores: {
      form: "form",
      rhyme: "rhyme",
      topic: "topic",
      repetition: "no repeats",
      total: "labeler",
      reward: "reward model",
    },
    noReward: "n/a (train notebook 14)",
    noTopic: "no topic character in the prompt: no labeler score",
    next: "what the model weighed here",
    error: "error",
  },
  zh: {
    title: "炼丹对话：和你训练的模型聊天",
    intro: "同一个提示词同时发给预训练模型（第 11 课）、监督微调模型（第 12 课）和 RLHF 模型（第 15 课）。" +
      "预训练模型从没见过问题，它只会接着你的话往下写（文字接龙）。把鼠标停在某个字上，可以看到模型当时认为接下来可能是哪些字。",
    prompt: "提示词",
    examples: "第 12 课教过的几类指令（最后一个是普通文本，适合预训练模型）：",
    send: "发送",
    stop: "停止",
    settings: "采样设置",
    temperature: "温度",
    topK: "top-k（0 为不用）",
    topP: "top-p",
    maxTokens: "最多字数",
    seed: "随机种子",
    single: "这里只做单轮对话：这些模型一次只读 64 个字，放不下多轮对话的历史。",
    lang: "English",
    mode: { full: "完整模式的模型", quick: "快速模式的模型（较粗糙）" },
    missing: "还没有训练：",
    queued: (n) => `排队中：前面还有 ${n} 个请求`,
    writing: "正在写…",
    done: (s) => `用时 ${s} 秒`,
    stopped: "已停止",
    scores: { form: "格式", rhyme: "押韵", topic: "切题", repetition: "不重复", total: "标注员", reward: "打分模型" },
    noReward: "暂无（需先训练第 14 课）",
    noTopic: "提示词里没有主题字，无法打分",
    next: "模型在这一步的候选字",
    error: "出错",
  },
};

const params = new URLSearchParams(location.search);
let lang = params.get("lang") ?? (navigator.language.startsWith("zh") ? "zh" : "en");
let models = [];
let running = null;
const $ = (id) => document.getElementById(id);

function t(key) {
  return TEXT[lang][key];
}

function applyLanguage() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-t]").forEach((el) => (el.textContent = t(el.dataset.t)));
  $("lang").textContent = t("lang");
  renderCards();
}

function renderCards() {
  const box = $("answers");
  const kept = new Map([...box.children].map((c) => [c.dataset.model, c]));
  box.replaceChildren(...models.map((m) => {
    const card = kept.get(m.id) ?? document.createElement("section");
    card.dataset.model = m.id;
    card.className = m.available ? "card" : "card missing";
    let head = card.querySelector("h2");
    if (!head) {
      card.innerHTML =
        '<h2></h2><div class="meta"></div><div class="answer" aria-live="polite"></div><div class="scores"></div>';
      head = card.querySelector("h2");
    }
    head.textContent = m.label[lang];
    card.querySelector(".meta").textContent = m.available
      ? `${t("mode")[m.mode]} · ${m.template[lang]}`
      : `${t("missing")}${m.missing[lang]}`;
    return card;
  }));
}

function card(id) {
  return document.querySelector(`.card[data-model="${id}"]`);
}

function setRunning(on) {
  $("send").disabled = on;
  $("stop").disabled = !on;
}

function settings() {
  const n = (id) => Number($(id).value);
  return {
    temperature: n("temperature"),
    topK: n("topK"),
    topP: n("topP"),
    maxTokens: n("maxTokens"),
    seed: n("seed"),
  };
}

function showScores(id, data) {
  const box = card(id).querySelector(".scores");
  const names = t("scores");
  box.replaceChildren();
  const add = (label, value) => {
    const span = document.createElement("span");
    span.className = "score";
    span.innerHTML = "<span></span>: <b></b>";
    span.firstChild.textContent = label;
    span.lastChild.textContent = value;
    box.append(span);
  };
  if (data.scores) {
    for (const key of ["total", "form", "rhyme", "topic", "repetition"]) add(names[key], data.scores[key].toFixed(2));
  } else add(names.total, t("noTopic"));
  add(names.reward, data.reward === null ? t("noReward") : data.reward.toFixed(2));
  // the labeler's total is in [0, 1]; the reward model's score is a Bradley–Terry logit: only differences mean much
}

function addToken(id, e) {
  const span = document.createElement("span");
  span.className = "tok";
  span.tabIndex = 0;
  span.textContent = e.text;
  span.dataset.top = JSON.stringify(e.top);
  card(id).querySelector(".answer").append(span);
}

function showTip(event) {
  const tok = event.target.closest(".tok");
  const tip = $("tip");
  if (!tok) return void (tip.hidden = true);
  const rows = JSON.parse(tok.dataset.top).map(([text, p]) =>
    `<tr><td>${escape(text === "\n" ? "↵" : text)}</td><td class="p">${(100 * p).toFixed(1)}%</td></tr>`
  );
  tip.innerHTML = `<div>${t("next")}</div><table>${rows.join("")}</table>`;
  const box = tok.getBoundingClientRect();
  tip.style.left = `${Math.min(box.left, innerWidth - 160)}px`;
  tip.style.top = box.top > 170 ? `${box.top - 6}px` : `${box.bottom + 6}px`;
  tip.style.transform = box.top > 170 ? "translateY(-100%)" : "";
  tip.hidden = false;
}

function escape(s) {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

async function ask(event) {
  event.preventDefault();
  if (running) return;
  const prompt = $("prompt").value;
  for (const m of models.filter((m) => m.available)) {
    card(m.id).querySelector(".answer").replaceChildren();
    card(m.id).querySelector(".scores").replaceChildren();
  }
  running = new AbortController();
  setRunning(true);
  $("status").textContent = t("writing");
  try {
    const res = await fetch("/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt, ...settings() }),
      signal: running.signal,
    });
    if (!res.ok) {
      $("status").textContent = `${t("error")}: ${(await res.json()).error}`;
      return;
    }
    await readEvents(res.body, (name, data) => {
      if (name === "queued") $("status").textContent = data.ahead > 0 ? t("queued")(data.ahead) : t("writing");
      else if (name === "start") $("status").textContent = t("writing");
      else if (name === "token") addToken(data.model, data);
      else if (name === "done") showScores(data.model, data);
      else if (name === "error") $("status").textContent = `${t("error")}: ${data.message}`;
      else if (name === "end") $("status").textContent = t("done")(data.seconds);
    });
  } catch (e) {
    $("status").textContent = e.name === "AbortError" ? t("stopped") : `${t("error")}: ${e.message}`;
  } finally {
    running = null;
    setRunning(false);
  }
}

async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const name = block.match(/^event: (.*)$/m)?.[1];
      const data = block.match(/^data: (.*)$/m)?.[1];
      if (name && data) onEvent(name, JSON.parse(data));
    }
  }
}

async function start() {
  models = (await (await fetch("/api/models")).json()).models;
  applyLanguage();
  $("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    applyLanguage();
  });
  $("ask").addEventListener("submit", ask);
  $("stop").addEventListener("click", () => running?.abort());
  document.querySelectorAll(".example").forEach((b) =>
    b.addEventListener("click", () => {
      $("prompt").value = b.textContent;
      $("prompt").focus();
    })
  );
  document.addEventListener("mouseover", showTip);
  document.addEventListener("focusin", showTip);
}

start();
