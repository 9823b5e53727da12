/**
 * HTML for the course site (tools/site.ts): markdown with math, highlighted TypeScript, notebook outputs, exercises,
 * and the page and index templates. Pure functions of their arguments: nothing here reads or writes files.
 *
 * Markdown goes through `marked` (pinned in deno.json) with `$…$` and `$$…$$` typeset by KaTeX at build time, code
 * through highlight.js's TypeScript grammar at build time, so pages need no script but plotly.js for the charts and a
 * few lines of site.js that draw them.
 *
 * @module
 */
import { Marked, type Tokens } from "marked";
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import katex from "katex";
import { escapeHtml } from "../lib/notebook/display.ts";
import { stripAnsi } from "./nb.ts";
import type { Lang } from "./i18n.ts";

hljs.registerLanguage("typescript", typescript);

export { escapeHtml };

/** The MIME type of plotly figures in notebook outputs. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A notebook output as nbformat 4 stores it. */
export interface Output {
  /** "stream", "display_data", "execute_result" or "error". */
  output_type: string;
  /** Stream name ("stdout", "stderr"). */
  name?: string;
  /** Stream text. */
  text?: string | string[];
  /** MIME bundle of a display. */
  data?: Record<string, unknown>;
  /** Error class name. */
  ename?: string;
  /** Error message. */
  evalue?: string;
  /** Error traceback lines. */
  traceback?: string[];
}

/** Words of the site in both languages. */
export const WORDS = {
  en: {
    course: "Liandan 炼丹",
    tagline: "From machine learning to ChatGPT, cell by cell, in TypeScript",
    map: "Course map",
    notWritten: "not written yet",
    previous: "Previous",
    next: "Next",
    exercise: "Exercise",
    solution: "Show the solution",
    yourCode: "your code goes where the line that throws is; run it in `deno task lab`",
    checkNote: "The check's verdict appears here when you run your code: ✓, or which case failed and a hint.",
    student: "student edition",
    instructor: "instructor edition (with solutions)",
    outputsFrom: "Outputs from a run in",
    quick: "quick mode (LIANDAN_QUICK=1: short training loops)",
    full: "full mode (the learner's full-size runs)",
    smoke: "smoke mode (one or two steps per loop: the numbers mean nothing)",
    unknown: "an unknown mode",
    took: "which took",
    stop: ".",
    colon: ": ",
    comma: ", ",
    outputsCol: "outputs shown",
    measured: "Measured times",
    quickCol: "quick mode",
    fullCol: "full mode",
    exercisesCol: "exercises",
    notMeasured: "not measured yet (`deno task nb --all --report` writes the table)",
    noOutputs: "No executed copy of this notebook was found: the code is shown without its outputs.",
    open: "How to run it yourself: `deno task lab` opens these notebooks in Jupyter.",
    lang: "中文",
    part: "part",
    article: "the article",
    notebook: "notebook",
    time: "time",
  },
  zh: {
    course: "炼丹 Liandan",
    tagline: "从机器学习到 ChatGPT，用 TypeScript 一个单元格接一个单元格地学",
    map: "课程地图",
    notWritten: "尚未写成",
    previous: "上一篇",
    next: "下一篇",
    exercise: "练习",
    solution: "查看参考答案",
    yourCode: "把会抛出异常的那一行换成你的代码；用 `deno task lab --lang zh` 运行",
    checkNote: "运行你的代码后，检查结果显示在这里：✓，或者哪个用例没通过，并给出提示。",
    student: "学生版",
    instructor: "教师版（含参考答案）",
    outputsFrom: "输出来自一次运行，模式为",
    quick: "快速模式（LIANDAN_QUICK=1：训练循环缩短）",
    full: "完整模式（学习者的完整训练）",
    smoke: "冒烟模式（每个循环只跑一两步：数字没有意义）",
    unknown: "未知模式",
    took: "用时",
    stop: "。",
    colon: "：",
    comma: "，",
    outputsCol: "本站的输出",
    measured: "实测时间",
    quickCol: "快速模式",
    fullCol: "完整模式",
    exercisesCol: "练习",
    notMeasured: "尚未测量（`deno task nb --all --report` 会写出这张表）",
    noOutputs: "没有找到这个笔记本的运行结果：下面只显示代码，没有输出。",
    open: "自己运行：`deno task lab --lang zh` 在 Jupyter 中打开这些笔记本。",
    lang: "English",
    part: "部分",
    article: "文章",
    notebook: "笔记本",
    time: "时间",
  },
} as const;

/** The words of one language. */
export type Words = { readonly [K in keyof typeof WORDS.en]: string };

/**
 * Highlights TypeScript as HTML (highlight.js classes, `hljs-…`).
 *
 * @param code Source code.
 * @returns Escaped, highlighted HTML (no `<pre>` around it).
 * @example
 * ```ts
 * import { highlight } from "./site_render.ts";
 * import assert from "node:assert/strict";
 * assert.equal(highlight("const a = 1 < 2;"), '<span class="hljs-keyword">const</span> a = <span class="hljs-number">1</span> &lt; <span class="hljs-number">2</span>;');
 * ```
 */
export function highlight(code: string): string {
  return hljs.highlight(code, { language: "typescript", ignoreIllegals: true }).value;
}

/** A slug for a heading id: lower case, letters (any script) and digits, words joined by `-`. */
export function slugify(text: string): string {
  return text.toLowerCase().replace(/<[^>]*>/g, "").replace(/&[a-z]+;|&#\d+;/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "") || "section";
}

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** Maps a link target to its href in the site, or null to show the link's text alone; default keeps it. */
  link?: (href: string) => string | null;
  /** Heading ids already used on the page (ids are made unique against it and added to it). */
  ids?: Set<string>;
}

function tex(source: string, displayMode: boolean): string {
  return katex.renderToString(source.trim(), { throwOnError: false, displayMode, output: "html" });
}

/**
 * Renders notebook markdown to HTML: CommonMark and GitHub tables through `marked`, `$…$` and `$$…$$` as KaTeX
 * (typeset at build time), headings with ids, external links opening a new tab, other links through `options.link`.
 * Raw HTML in the markdown (the Chinese edition's `<div lang="zh-CN">`) is kept.
 *
 * @param markdown The cell's text.
 * @param options How to map links; the page's heading ids.
 * @returns HTML.
 * @example
 * ```ts
 * import { renderMarkdown } from "./site_render.ts";
 * import assert from "node:assert/strict";
 * assert.equal(renderMarkdown("## Loss 损失\n\nPrice $5 and $6."), '<h2 id="loss-损失">Loss 损失</h2>\n<p>Price $5 and $6.</p>\n');
 * assert.match(renderMarkdown("Slope $f'(x) = 2x$."), /class="katex"/);
 * assert.equal(renderMarkdown("[next](01_x.ipynb)", { link: (h) => h.replace(".ipynb", ".html") }), '<p><a href="01_x.html">next</a></p>\n');
 * ```
 */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): string {
  const ids = options.ids ?? new Set<string>();
  const marked = new Marked({ gfm: true });
  marked.use({
    extensions: [
      {
        name: "blockMath",
        level: "block",
        start: (src: string) => src.match(/^\$\$/m)?.index,
        tokenizer(src: string) {
          const m = /^\$\$([\s\S]+?)\$\$[ \t]*(?:\n|$)/.exec(src);
          return m ? { type: "blockMath", raw: m[0], text: m[1] } : undefined;
        },
        renderer: (token) => `<div class="math">${tex(String(token.text), true)}</div>\n`,
      },
      {
        name: "inlineMath",
        level: "inline",
        start: (src: string) => src.indexOf("$") >= 0 ? src.indexOf("$") : undefined,
        tokenizer(src: string) {
          const display = /^\$\$([^$]+?)\$\$/.exec(src);
          if (display) return { type: "inlineMath", raw: display[0], text: display[1], display: true };
          // `$` opens math only before a non-space and closes after one, not followed by a digit (so "$5 and $6" is
          // text), as Jupyter's renderer does.
          const m = /^\$(?![\s$])((?:\\\$|[^$\n])+?)(?<![\s\\])\$(?!\d)/.exec(src);
          return m ? { type: "inlineMath", raw: m[0], text: m[1], display: false } : undefined;
        },
        renderer: (token) => tex(String(token.text), token.display === true),
      },
    ],
    renderer: {
      heading(this: { parser: { parseInline(t: unknown[]): string } }, token: Tokens.Heading) {
        const html = this.parser.parseInline(token.tokens);
        let id = slugify(token.text), n = 2;
        while (ids.has(id)) id = `${slugify(token.text)}-${n++}`;
        ids.add(id);
        return `<h${token.depth} id="${escapeHtml(id)}">${html}</h${token.depth}>\n`;
      },
      link(this: { parser: { parseInline(t: unknown[]): string } }, token: Tokens.Link) {
        const text = this.parser.parseInline(token.tokens);
        const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
        if (/^[a-z][a-z0-9+.-]*:/i.test(token.href)) {
          return `<a href="${escapeHtml(token.href)}"${title} target="_blank" rel="noopener">${text}</a>`;
        }
        const href = options.link ? options.link(token.href) : token.href;
        if (href === null) return `<span class="dead-link" title="${escapeHtml(token.href)}">${text}</span>`;
        return `<a href="${escapeHtml(href)}"${title}>${text}</a>`;
      },
      image(token: Tokens.Image) {
        // Only embedded images travel with the page; a relative file is not part of the site.
        if (token.href.startsWith("data:")) {
          return `<img src="${escapeHtml(token.href)}" alt="${escapeHtml(token.text)}">`;
        }
        return `<span class="dead-link" title="${escapeHtml(token.href)}">${escapeHtml(token.text)}</span>`;
      },
    },
  });
  const html = marked.parse(markdown, { async: false }) as string;
  // An exercise's prompt starts with ✏️: its paragraph becomes the exercise box.
  return html.replace(/<p>✏️/g, '<p class="exercise-prompt">✏️');
}

function joined(value: unknown): string {
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : "";
}

/** Whether an HTML output only carries plotly.js (`await show(plotlyScript())`): the site loads it once per page. */
export function isPlotlyLoader(html: string): boolean {
  return /window\.Plotly\s*=\s*Plotly/.test(html) || (html.length > 1_000_000 && /plotly\.js v\d/.test(html));
}

/**
 * Removes `<script>` elements from an output's HTML: in notebook outputs they only draw charts (drawn by the site from
 * the figure's JSON instead) or load plotly.js (loaded once per page).
 *
 * @param html HTML.
 * @returns It without scripts.
 * @example
 * ```ts
 * import { withoutScripts } from "./site_render.ts";
 * import assert from "node:assert/strict";
 * assert.equal(withoutScripts('<b>a</b><script type="text/javascript">draw("</b>")</script>c'), "<b>a</b>c");
 * ```
 */
export function withoutScripts(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, "");
}

/** What {@link renderOutputs} needs to know about the page. */
export interface OutputContext {
  /** A fresh element id for each chart. */
  nextId: () => string;
  /** Replaces an exercise check's verdict (the student build of a solved run), or null to keep it. */
  checkNote: string | null;
}

/** The HTML of a chart: an element the page's site.js draws from the JSON in the script element beside it. */
function chartHtml(fig: { data?: unknown; layout?: Record<string, unknown> }, id: string): string {
  const height = typeof fig.layout?.height === "number" ? fig.layout.height : 420;
  const width = typeof fig.layout?.width === "number" ? `max-width:${fig.layout.width}px;` : "";
  const json = JSON.stringify({ data: fig.data ?? [], layout: fig.layout ?? {} }).replace(/</g, "\\u003c");
  return `<div class="chart" id="${id}" data-figure="${id}-data" style="${width}height:${height}px"></div>` +
    `<script type="application/json" id="${id}-data">${json}</script>`;
}

/**
 * Renders one display's MIME bundle: a plotly figure as a chart, else HTML (without scripts), an image, markdown, or
 * plain text; the output that only loads plotly.js renders as nothing.
 */
function renderBundle(data: Record<string, unknown>, context: OutputContext): string {
  if (PLOTLY_MIME in data) {
    return chartHtml(data[PLOTLY_MIME] as { data?: unknown; layout?: Record<string, unknown> }, context.nextId());
  }
  const html = joined(data["text/html"]);
  if (html !== "") {
    if (isPlotlyLoader(html)) return "";
    if (context.checkNote !== null && /class="liandan-check"/.test(html)) {
      const exercise = /data-exercise="([^"]*)"/.exec(html)?.[1] ?? "";
      return `<div class="check-note" data-exercise="${exercise}">✏️ ${escapeHtml(context.checkNote)}</div>`;
    }
    return `<div class="output-html">${withoutScripts(html)}</div>`;
  }
  for (const mime of ["image/png", "image/jpeg", "image/gif"]) {
    const b64 = joined(data[mime]).replace(/\s+/g, "");
    if (b64 !== "") return `<img class="output-image" src="data:${mime};base64,${b64}" alt="">`;
  }
  const svg = joined(data["image/svg+xml"]);
  if (svg !== "") return `<div class="output-html">${withoutScripts(svg)}</div>`;
  const md = joined(data["text/markdown"]);
  if (md !== "") return `<div class="output-markdown">${renderMarkdown(md)}</div>`;
  const text = joined(data["text/plain"]);
  return text === "" ? "" : `<pre class="output-text">${escapeHtml(stripAnsi(text))}</pre>`;
}

/**
 * Renders a code cell's outputs: streams as text (consecutive pieces of one stream joined), displays by their richest
 * MIME type, errors with their traceback.
 *
 * @param outputs The cell's outputs.
 * @param context Chart ids, and whether check verdicts are replaced.
 * @returns HTML, empty when there is nothing to show.
 * @example
 * ```ts
 * import { renderOutputs } from "./site_render.ts";
 * import assert from "node:assert/strict";
 * const outputs = [
 *   { output_type: "stream", name: "stdout", text: "a < b\n" },
 *   { output_type: "stream", name: "stdout", text: ["c\n"] },
 *   { output_type: "display_data", data: { "text/plain": "x", "text/html": "<b>x</b><script>1</script>" } },
 * ];
 * let n = 0;
 * assert.equal(
 *   renderOutputs(outputs, { nextId: () => `chart-${n++}`, checkNote: null }),
 *   '<pre class="output-stream stdout">a &lt; b\nc\n</pre><div class="output-html"><b>x</b></div>',
 * );
 * ```
 */
export function renderOutputs(outputs: readonly Output[], context: OutputContext): string {
  const parts: string[] = [];
  const stream = { name: "", text: "" };
  const flush = () => {
    if (stream.text !== "") {
      parts.push(`<pre class="output-stream ${stream.name}">${escapeHtml(stripAnsi(stream.text))}</pre>`);
    }
    stream.text = "";
  };
  for (const o of outputs) {
    if (o.output_type === "stream") {
      const name = o.name === "stderr" ? "stderr" : "stdout";
      if (stream.name !== name) flush();
      stream.name = name;
      stream.text += joined(o.text);
      continue;
    }
    flush();
    if (o.output_type === "error") {
      const trace = (o.traceback ?? []).map(stripAnsi).join("\n") || `${o.ename}: ${o.evalue}`;
      parts.push(`<pre class="output-error">${escapeHtml(trace)}</pre>`);
    } else if (o.data) parts.push(renderBundle(o.data, context));
  }
  flush();
  return parts.join("");
}

/** One cell as the page shows it. */
export type PageCell =
  | { kind: "markdown"; html: string }
  | {
    kind: "code";
    /** The code shown (the student's version of an exercise cell). */
    code: string;
    /** Rendered outputs. */
    outputs: string;
    /** Execution count, when executed. */
    count: number | null;
    /** The exercise ids whose solution the cell holds (empty for other cells). */
    exercises: string[];
    /** The instructor's version, shown behind a toggle (only in the solutions build). */
    solution?: string;
    /** The cell id. */
    id: string;
  };

/**
 * Renders a code cell: the highlighted code with its prompt, an exercise's label and (solutions build) its solution
 * behind a `<details>` toggle, then the outputs.
 *
 * @param cell The cell.
 * @param words The page's language.
 * @returns HTML.
 */
export function renderCodeCell(cell: Extract<PageCell, { kind: "code" }>, words: Words): string {
  const prompt = `<div class="prompt">[${cell.count ?? " "}]</div>`;
  const code = `<pre class="code"><code class="hljs language-typescript">${highlight(cell.code)}</code></pre>`;
  const exercise = cell.exercises.length > 0;
  const label = exercise
    ? `<div class="exercise-label">✏️ ${escapeHtml(words.exercise)} ${cell.exercises.map(escapeHtml).join(", ")}: ${
      inlineCode(words.yourCode)
    }</div>`
    : "";
  const solution = cell.solution === undefined
    ? ""
    : `<details class="solution"><summary>${
      escapeHtml(words.solution)
    }</summary><pre class="code"><code class="hljs language-typescript">${
      highlight(cell.solution)
    }</code></pre></details>`;
  const outputs = cell.outputs === "" ? "" : `<div class="outputs">${cell.outputs}</div>`;
  return `<section class="cell code-cell${exercise ? " exercise" : ""}" id="cell-${escapeHtml(cell.id)}">${label}` +
    `<div class="input">${prompt}${code}</div>${solution}${outputs}</section>`;
}

/** Escapes text and turns `backticks` into code elements. */
export function inlineCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

/** A link of the navigation: where it goes and what it says. */
export interface NavLink {
  /** Relative href. */
  href: string;
  /** Its text. */
  label: string;
}

/** One row of the course map, as seen from a page. */
export interface MapRow {
  /** `00`. */
  number: string;
  /** Title in the page's language. */
  title: string;
  /** Part of the course. */
  part: string;
  /** The article's section. */
  article: string;
  /** Relative href of its page, or null when the notebook is not written yet. */
  href: string | null;
  /** Whether it is the page being shown. */
  current?: boolean;
  /** Measured quick-mode time, as the README's table writes it. */
  quick?: string;
  /** Measured full-mode time. */
  full?: string;
  /** Exercises. */
  exercises?: number;
  /** The mode and time of the run whose outputs the site shows. */
  outputs?: string;
}

/** Everything a page template needs beyond its body. */
export interface Frame {
  /** The page's language. */
  lang: Lang;
  /** The `<title>`. */
  title: string;
  /** Relative path from the page to the site's root (`""` or `../`). */
  root: string;
  /** The same page in the other language. */
  other: string;
  /** The index of this language. */
  home: string;
  /** The course map. */
  map: MapRow[];
  /** Whether the build shows solutions. */
  solutions: boolean;
  /** Whether the page draws charts (loads plotly.js). */
  charts: boolean;
}

const LANG_TAG: Record<Lang, string> = { en: "en", zh: "zh-CN" };

function mapHtml(rows: readonly MapRow[], words: Words): string {
  let part = "";
  const items: string[] = [];
  for (const r of rows) {
    if (r.part !== part) {
      if (part !== "") items.push("</ol>");
      items.push(`<h3>${escapeHtml(r.part)}</h3><ol>`);
      part = r.part;
    }
    const text = `<span class="num">${r.number}</span> ${escapeHtml(r.title)}`;
    items.push(
      r.href === null
        ? `<li class="unwritten" title="${escapeHtml(words.notWritten)}">${text} <small>(${
          escapeHtml(words.notWritten)
        })</small></li>`
        : `<li${r.current ? ' class="current"' : ""}><a href="${r.href}">${text}</a></li>`,
    );
  }
  if (part !== "") items.push("</ol>");
  return `<nav class="course-map" aria-label="${escapeHtml(words.map)}"><h2>${escapeHtml(words.map)}</h2>${
    items.join("")
  }</nav>`;
}

/**
 * A whole page: header with the course name, edition and language switch, the course map beside the body.
 *
 * @param frame Language, paths, map, build.
 * @param body The page's main HTML.
 * @returns An HTML document.
 */
export function pageHtml(frame: Frame, body: string): string {
  const words = WORDS[frame.lang];
  const edition = frame.solutions ? words.instructor : words.student;
  const scripts = frame.charts
    ? `<script src="${frame.root}assets/plotly.min.js"></script><script src="${frame.root}assets/site.js"></script>`
    : "";
  return `<!DOCTYPE html>
<html lang="${LANG_TAG[frame.lang]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(frame.title)}</title>
<link rel="stylesheet" href="${frame.root}assets/katex/katex.min.css">
<link rel="stylesheet" href="${frame.root}assets/highlight.css">
<link rel="stylesheet" href="${frame.root}assets/site.css">
</head>
<body class="${frame.solutions ? "solutions" : "student"}">
<header class="top"><a class="home" href="${frame.home}">${escapeHtml(words.course)}</a>
<span class="edition">${escapeHtml(edition)}</span>
<a class="lang-switch" href="${frame.other}" hreflang="${frame.lang === "en" ? "zh-CN" : "en"}">${
    escapeHtml(words.lang)
  }</a></header>
<div class="layout">
${mapHtml(frame.map, words)}
<main>
${body}
</main>
</div>
${scripts}
</body>
</html>
`;
}

/** The previous/next links of a notebook page. */
export function pagerHtml(previous: NavLink | null, next: NavLink | null, words: Words): string {
  const link = (l: NavLink | null, rel: string, label: string) =>
    l === null
      ? `<span class="${rel} none"></span>`
      : `<a class="${rel}" rel="${rel}" href="${l.href}">${escapeHtml(label)}: ${escapeHtml(l.label)}</a>`;
  return `<nav class="pager">${link(previous, "prev", `← ${words.previous}`)}${
    link(next, "next", `${words.next} →`)
  }</nav>`;
}

/**
 * The index's table of notebooks: number, title (a link once written), the article's section, the measured times of
 * README's table, exercises, and the mode and time of the run whose outputs the site shows.
 *
 * @param rows The course map.
 * @param words The language.
 * @returns HTML.
 */
export function courseTable(rows: readonly MapRow[], words: Words): string {
  const head = [words.notebook, words.article, words.quickCol, words.fullCol, words.exercisesCol, words.outputsCol];
  const body = rows.map((r) => {
    const title = r.href === null
      ? `${escapeHtml(r.title)} <small class="unwritten">(${escapeHtml(words.notWritten)})</small>`
      : `<a href="${r.href}">${escapeHtml(r.title)}</a>`;
    const cls = r.href === null ? ' class="unwritten"' : "";
    return `<tr${cls}><td class="num">${r.number}</td><td>${title}</td><td lang="zh-CN">${
      escapeHtml(r.article)
    }</td><td class="time">${escapeHtml(r.quick ?? "")}</td><td class="time">${
      escapeHtml(r.full ?? "")
    }</td><td class="time">${r.exercises ?? ""}</td><td class="time">${escapeHtml(r.outputs ?? "")}</td></tr>`;
  });
  return `<table class="course"><thead><tr><th>#</th>${
    head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")
  }</tr></thead><tbody>${body.join("")}</tbody></table>`;
}
