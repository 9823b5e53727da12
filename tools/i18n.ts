/**
 * Language editions of the notebooks: `deno task i18n [names…] [--lang=zh]` reports which markdown cells lack a
 * translation or have one made from an older English text.
 *
 * One source, two languages. The English notebook in `notebooks/` is the source; each other language keeps one
 * translation file per notebook, `notebooks/<lang>/<name>.md` (e.g. `notebooks/zh/00_welcome.md`), with one section per
 * markdown cell, keyed by the cell's id:
 *
 * ```md
 * <!-- cell welcome-04 en:1b2c3d4e5f60 -->
 * ## 自动求导
 *
 * 训练就是一点一点地改变模型的参数……
 * ```
 *
 * `en:` is the first 12 hex digits of the SHA-256 of the English cell the section was translated from
 * ({@link sourceHash}): when the English changes, the section is reported stale until it is translated again and
 * its hash updated (`deno task i18n` prints the header line to use). Code cells are shared by every edition; the strings
 * they print or plot follow the kernel's `LIANDAN_LANG` through `tr()` (lib/notebook/lang.ts).
 *
 * {@link languageEdition} builds an edition as a pure function of the notebook and its translation; {@link
 * writeEdition} writes it under `build/` (sources in notebooks/ are never rewritten).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { isLang, type Lang } from "../lib/notebook/lang.ts";
import { REPO_ROOT } from "./kernelspec.ts";

export type { Lang };

/** The languages that have translation files (every language but the English source). */
export const TRANSLATED_LANGS: readonly Lang[] = Object.freeze(["zh"] as const);

/** Where generated editions go: `build/editions/<lang>/` (ignored by git). */
export const EDITIONS_DIR: string = join(REPO_ROOT, "build", "editions");

/** A notebook cell (nbformat 4), as far as editions need it. */
export interface NotebookCell {
  /** "markdown", "code" or "raw". */
  cell_type: string;
  /** The cell's id (nbformat ≥ 4.5); translations are keyed by it. */
  id?: string;
  /** The text, as one string or as lines. */
  source: string | string[];
  /** Cell metadata. */
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A notebook (nbformat 4), as far as editions need it. */
export interface Notebook {
  /** The cells, in order. */
  cells: NotebookCell[];
  /** Notebook metadata (kernelspec, language_info, and `liandan.lang` in an edition). */
  metadata: Record<string, unknown>;
  [key: string]: unknown;
}

/** One translated markdown cell. */
export interface TranslatedCell {
  /** {@link sourceHash} of the English text it was translated from. */
  from: string;
  /** The translated markdown. */
  text: string;
}

/** A notebook's translation into one language. */
export interface Translation {
  /** The language. */
  lang: Lang;
  /** Translated cells by cell id. */
  cells: Map<string, TranslatedCell>;
}

/** What a translation lacks, compared with its notebook. */
export interface TranslationStatus {
  /** Ids of markdown cells with no translation. */
  missing: string[];
  /** Ids of markdown cells whose English changed since they were translated. */
  stale: string[];
  /** Ids in the translation that are no markdown cell of the notebook (removed or renamed cells). */
  orphaned: string[];
}

const HEADER = /^<!-- cell (\S+) en:([0-9a-f]{12}) -->[ \t]*$/;
const LOOKS_LIKE_HEADER = /^<!--\s*cell\b/;

/**
 * A cell's text as one string, lines joined (nbformat stores it as a string or as lines).
 *
 * @param cell A cell.
 * @returns Its source.
 * @example
 * ```ts
 * import { cellText } from "./i18n.ts";
 * import assert from "node:assert/strict";
 * assert.equal(cellText({ cell_type: "markdown", source: ["# Title\n", "text"] }), "# Title\ntext");
 * ```
 */
export function cellText(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? "");
}

/**
 * The hash a translation stores of the English text it was made from: the first 12 hex digits of the SHA-256 of the
 * text with line endings normalised and trailing white space removed.
 *
 * @param english The English markdown.
 * @returns 12 lowercase hex digits.
 * @example
 * ```ts
 * import { sourceHash } from "./i18n.ts";
 * import assert from "node:assert/strict";
 * assert.match(sourceHash("# Welcome"), /^[0-9a-f]{12}$/);
 * assert.equal(sourceHash("# Welcome\r\n"), sourceHash("# Welcome"));
 * assert.notEqual(sourceHash("# Welcome"), sourceHash("# Welcome!"));
 * ```
 */
export function sourceHash(english: string): string {
  if (typeof english !== "string") {
    throw new TypeError(`Cannot hash an English source as it must be a string: current value is ${english}`);
  }
  const normal = english.replace(/\r\n?/g, "\n").trimEnd();
  return createHash("sha256").update(normal, "utf8").digest("hex").slice(0, 12);
}

/**
 * The header line that opens a cell's section in a translation file.
 *
 * @param id The cell id.
 * @param english The cell's English text.
 * @returns `<!-- cell ID en:HASH -->`.
 * @example
 * ```ts
 * import { sectionHeader, sourceHash } from "./i18n.ts";
 * import assert from "node:assert/strict";
 * assert.equal(sectionHeader("welcome-00", "# Welcome"), `<!-- cell welcome-00 en:${sourceHash("# Welcome")} -->`);
 * ```
 */
export function sectionHeader(id: string, english: string): string {
  if (typeof id !== "string" || !/^\S+$/.test(id)) {
    throw new TypeError(
      `Cannot write a section header as the cell id must be a word without spaces: current value is ${
        JSON.stringify(id)
      }`,
    );
  }
  return `<!-- cell ${id} en:${sourceHash(english)} -->`;
}

/**
 * Reads a translation file: everything before the first section header is a note for translators; each section runs
 * from its header to the next, blank lines around it trimmed.
 *
 * @param text The file's content.
 * @param lang The language it is in.
 * @param file The file's name, for error messages.
 * @returns The translation.
 * @throws {SyntaxError} On a malformed section header, a repeated cell id or an empty section.
 * @throws {RangeError} When `lang` is not a translated language.
 * @example
 * ```ts
 * import { parseTranslation } from "./i18n.ts";
 * import assert from "node:assert/strict";
 * const t = parseTranslation("A note.\n\n<!-- cell a en:0123456789ab -->\n# 标题\n\n正文\n\n", "zh");
 * assert.deepEqual(t.cells.get("a"), { from: "0123456789ab", text: "# 标题\n\n正文" });
 * ```
 */
export function parseTranslation(text: string, lang: Lang, file = "the translation"): Translation {
  checkTranslatedLang(lang, "read a translation");
  if (typeof text !== "string") {
    throw new TypeError(`Cannot read ${file} as its content must be a string: current value is ${text}`);
  }
  const cells = new Map<string, TranslatedCell>();
  let current: { id: string; from: string; line: number; lines: string[] } | null = null;
  const finish = () => {
    if (current === null) return;
    const body = current.lines.join("\n").replace(/^\s*\n/, "").trimEnd();
    if (body.trim() === "") {
      throw new SyntaxError(`Cannot read ${file} as the section of cell ${current.id} (line ${current.line}) is empty`);
    }
    cells.set(current.id, { from: current.from, text: body });
  };
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  lines.forEach((line, i) => {
    const header = HEADER.exec(line);
    if (header === null) {
      if (LOOKS_LIKE_HEADER.test(line)) {
        throw new SyntaxError(
          `Cannot read ${file} as line ${i + 1} looks like a section header but is not ` +
            `"<!-- cell ID en:HASH -->" with a 12-digit hex hash: current value is ${JSON.stringify(line)}`,
        );
      }
      current?.lines.push(line);
      return;
    }
    finish();
    const [, id, from] = header;
    if (cells.has(id)) {
      throw new SyntaxError(`Cannot read ${file} as cell ${id} has two sections (the second at line ${i + 1})`);
    }
    current = { id, from, line: i + 1, lines: [] };
  });
  finish();
  return { lang, cells };
}

function checkTranslatedLang(lang: unknown, action: string): asserts lang is Lang {
  if (!isLang(lang) || !TRANSLATED_LANGS.includes(lang)) {
    throw new RangeError(
      `Cannot ${action} as the language must be one of ${TRANSLATED_LANGS.join(", ")} ` +
        `(English is the source): current value is ${JSON.stringify(lang)}`,
    );
  }
}

function checkNotebook(notebook: Notebook, action: string): void {
  if (notebook === null || typeof notebook !== "object" || !Array.isArray(notebook.cells)) {
    throw new TypeError(
      `Cannot ${action} as the notebook must be an object with a cells array: current value is ${
        notebook === null || typeof notebook !== "object" ? notebook : `an object with cells ${notebook.cells}`
      }`,
    );
  }
  for (const [i, cell] of notebook.cells.entries()) {
    if (cell.cell_type === "markdown" && (typeof cell.id !== "string" || cell.id === "")) {
      throw new TypeError(
        `Cannot ${action} as markdown cell ${i} has no id (nbformat 4.5 cell ids key the translations): ` +
          `current value is ${JSON.stringify(cell.id)}`,
      );
    }
  }
}

/**
 * Compares a translation with its notebook.
 *
 * @param notebook The English notebook.
 * @param translation Its translation (null: none yet, every markdown cell is missing).
 * @returns Missing, stale and orphaned cell ids, in notebook order (orphans in file order).
 * @throws {TypeError} When the notebook has no cells array or a markdown cell has no id.
 * @example
 * ```ts
 * import { parseTranslation, sectionHeader, translationStatus } from "./i18n.ts";
 * import assert from "node:assert/strict";
 * const nb = { metadata: {}, cells: [
 *   { cell_type: "markdown", id: "a", source: "# Title" },
 *   { cell_type: "markdown", id: "b", source: "New English" },
 *   { cell_type: "markdown", id: "c", source: "Not yet" },
 * ] };
 * const file = `${sectionHeader("a", "# Title")}\n# 标题\n${sectionHeader("b", "Old English")}\n旧的\n`;
 * assert.deepEqual(translationStatus(nb, parseTranslation(file, "zh")), { missing: ["c"], stale: ["b"], orphaned: [] });
 * ```
 */
export function translationStatus(notebook: Notebook, translation: Translation | null): TranslationStatus {
  checkNotebook(notebook, "check a translation");
  const status: TranslationStatus = { missing: [], stale: [], orphaned: [] };
  const ids = new Set<string>();
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "markdown") continue;
    const id = cell.id!;
    ids.add(id);
    const entry = translation?.cells.get(id);
    if (entry === undefined) status.missing.push(id);
    else if (entry.from !== sourceHash(cellText(cell))) status.stale.push(id);
  }
  for (const id of translation?.cells.keys() ?? []) if (!ids.has(id)) status.orphaned.push(id);
  return status;
}

/** What an edition shows above a markdown cell that has no translation yet (its English follows). */
export const UNTRANSLATED_NOTE: Readonly<Record<Lang, string>> = Object.freeze({
  en: "",
  zh: "> *（本段尚无中文翻译，以下是英文原文。）*\n\n",
});

/**
 * The BCP 47 tag a translated cell declares (`<div lang="zh-CN">`): without it the page says nothing about the text's
 * language, and browsers draw Chinese with whichever CJK font comes first (on Linux often Noto Sans CJK JP, whose
 * full-width punctuation sits in the middle of the line, as in Japanese).
 */
export const LANG_TAGS: Readonly<Record<Lang, string>> = Object.freeze({ en: "en", zh: "zh-CN" });

/**
 * Wraps translated markdown in a block that declares its language (blank lines keep the markdown inside rendered).
 *
 * @param text Translated markdown.
 * @param lang Its language.
 * @returns The markdown inside `<div lang="…">`.
 * @example
 * ```ts
 * import { declareLang } from "./i18n.ts";
 * import assert from "node:assert/strict";
 * assert.equal(declareLang("# 张量", "zh"), '<div lang="zh-CN">\n\n# 张量\n\n</div>');
 * ```
 */
export function declareLang(text: string, lang: Lang): string {
  return `<div lang="${LANG_TAGS[lang]}">\n\n${text}\n\n</div>`;
}

/**
 * Splits text into nbformat source lines (each but the last ends with its newline).
 *
 * @param text Text.
 * @returns Lines.
 */
function toLines(text: string): string[] {
  return text === "" ? [] : text.split(/(?<=\n)/);
}

/**
 * The edition of a notebook in one language, as a new notebook (the input is not changed): each markdown cell is
 * replaced by its translation inside a block that declares its language ({@link declareLang}; a missing one keeps its
 * English under a short note, a stale one is used as it is: the check reports it), code cells are shared, and `metadata.liandan.lang` names the language so that the runner can
 * set the kernel's `LIANDAN_LANG`. English is the source itself, with only the metadata set.
 *
 * Chain it with other edition steps (student and instructor editions): they keep cell ids, so the order does not
 * matter, but the language step must see the notebook's own cell ids.
 *
 * @param notebook The English notebook (parsed .ipynb JSON).
 * @param lang The edition's language.
 * @param translation Required for a translated language; ignored for English.
 * @returns The edition.
 * @throws {TypeError} When the notebook is malformed or a translated language has no translation.
 * @throws {RangeError} When `lang` is unknown or the translation is in another language.
 * @example
 * ```ts
 * import { cellText, languageEdition, parseTranslation, sectionHeader } from "./i18n.ts";
 * import assert from "node:assert/strict";
 * const nb = { metadata: {}, cells: [
 *   { cell_type: "markdown", id: "a", source: ["# Tensors"] },
 *   { cell_type: "code", id: "b", source: ["1 + 1"] },
 * ] };
 * const zh = languageEdition(nb, "zh", parseTranslation(`${sectionHeader("a", "# Tensors")}\n# 张量\n`, "zh"));
 * assert.equal(cellText(zh.cells[0]), '<div lang="zh-CN">\n\n# 张量\n\n</div>');
 * assert.equal(zh.cells[1], nb.cells[1]);
 * assert.deepEqual(zh.metadata, { liandan: { lang: "zh" } });
 * assert.deepEqual(nb.cells[0].source, ["# Tensors"]);
 * ```
 */
export function languageEdition(notebook: Notebook, lang: Lang, translation?: Translation | null): Notebook {
  if (!isLang(lang)) {
    throw new RangeError(
      `Cannot build a language edition as lang must be "en" or "zh": current value is ${JSON.stringify(lang)}`,
    );
  }
  checkNotebook(notebook, `build the ${lang} edition`);
  const old = notebook.metadata?.liandan;
  const metadata = { ...notebook.metadata, liandan: { ...(typeof old === "object" ? old : {}), lang } };
  if (lang === "en") return { ...notebook, metadata };
  if (translation === undefined || translation === null) {
    throw new TypeError(
      `Cannot build the ${lang} edition as no translation was given: current value is ${translation}`,
    );
  }
  if (translation.lang !== lang) {
    throw new RangeError(
      `Cannot build the ${lang} edition from a translation into another language: current value is ${translation.lang}`,
    );
  }
  const cells = notebook.cells.map((cell) => {
    if (cell.cell_type !== "markdown") return cell;
    const entry = translation.cells.get(cell.id!);
    const text = entry === undefined ? UNTRANSLATED_NOTE[lang] + cellText(cell) : declareLang(entry.text, lang);
    return { ...cell, source: toLines(text) };
  });
  return { ...notebook, metadata, cells };
}

/**
 * The language of an edition, from its metadata (`metadata.liandan.lang`); English when it has none.
 *
 * @param notebook A notebook or edition.
 * @returns Its language.
 * @throws {RangeError} When the metadata names an unknown language.
 * @example
 * ```ts
 * import { editionLang } from "./i18n.ts";
 * import assert from "node:assert/strict";
 * assert.equal(editionLang({ cells: [], metadata: { liandan: { lang: "zh" } } }), "zh");
 * assert.equal(editionLang({ cells: [], metadata: {} }), "en");
 * ```
 */
export function editionLang(notebook: Notebook): Lang {
  const value = (notebook?.metadata?.liandan as { lang?: unknown } | undefined)?.lang;
  if (value === undefined) return "en";
  if (!isLang(value)) {
    throw new RangeError(
      `Cannot read the edition's language as metadata.liandan.lang must be "en" or "zh": current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

/**
 * The translation file of a notebook: `<notebook's folder>/<lang>/<name>.md`.
 *
 * @param notebookPath The English notebook.
 * @param lang The language.
 * @returns The path.
 * @example
 * ```ts
 * import { translationPath } from "./i18n.ts";
 * import assert from "node:assert/strict";
 * assert.equal(translationPath("/repo/notebooks/00_welcome.ipynb", "zh"), "/repo/notebooks/zh/00_welcome.md");
 * ```
 */
export function translationPath(notebookPath: string, lang: Lang): string {
  checkTranslatedLang(lang, "find a translation file");
  return join(dirname(notebookPath), lang, basename(notebookPath).replace(/\.ipynb$/, "") + ".md");
}

/**
 * Reads a notebook's translation file.
 *
 * @param notebookPath The English notebook.
 * @param lang The language.
 * @returns The translation, or null when the file does not exist.
 * @throws {SyntaxError} When the file is malformed.
 */
export async function loadTranslation(notebookPath: string, lang: Lang): Promise<Translation | null> {
  const path = translationPath(notebookPath, lang);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  return parseTranslation(text, lang, path);
}

/**
 * Reads a notebook file.
 *
 * @param path An .ipynb file.
 * @returns The parsed notebook.
 */
export async function readNotebook(path: string): Promise<Notebook> {
  return JSON.parse(await Deno.readTextFile(path)) as Notebook;
}

/**
 * Builds a notebook's edition in one language from its files ({@link languageEdition} of the notebook and its
 * translation file).
 *
 * @param notebookPath The English notebook.
 * @param lang The language.
 * @returns The edition and what its translation lacks.
 */
export async function buildEdition(
  notebookPath: string,
  lang: Lang,
): Promise<{ notebook: Notebook; status: TranslationStatus }> {
  const source = await readNotebook(notebookPath);
  if (lang === "en") return { notebook: languageEdition(source, "en"), status: translationStatus(source, null) };
  const translation = await loadTranslation(notebookPath, lang) ?? { lang, cells: new Map() };
  return { notebook: languageEdition(source, lang, translation), status: translationStatus(source, translation) };
}

/**
 * Serialises a notebook as Jupyter does (one-space indent, non-ASCII kept, final newline).
 *
 * @param notebook A notebook.
 * @returns Its .ipynb text.
 */
export function notebookJson(notebook: Notebook): string {
  return JSON.stringify(notebook, null, 1) + "\n";
}

/**
 * Writes a notebook's edition in one language to `outDir/<name>.ipynb` (default `build/editions/<lang>/`).
 *
 * @param notebookPath The English notebook.
 * @param lang The language.
 * @param outDir The folder for the edition.
 * @returns The edition's path and what its translation lacks.
 */
export async function writeEdition(
  notebookPath: string,
  lang: Lang,
  outDir: string = join(EDITIONS_DIR, lang),
): Promise<{ path: string; status: TranslationStatus }> {
  const { notebook, status } = await buildEdition(notebookPath, lang);
  await Deno.mkdir(outDir, { recursive: true });
  const path = join(outDir, basename(notebookPath));
  await Deno.writeTextFile(path, notebookJson(notebook));
  return { path, status };
}

/**
 * Describes what a translation lacks, with the header line each missing or stale section needs.
 *
 * @param notebook The English notebook.
 * @param status Its {@link translationStatus}.
 * @param name The notebook's name, for the first line.
 * @param lang The language.
 * @returns Lines of text; empty when the translation is complete and current.
 */
export function describeStatus(notebook: Notebook, status: TranslationStatus, name: string, lang: Lang): string[] {
  const lines: string[] = [];
  const english = new Map(notebook.cells.map((c) => [c.id, cellText(c)]));
  const show = (kind: string, ids: string[]) => {
    for (const id of ids) {
      lines.push(`${name} (${lang}): ${kind} cell ${id}: translate it under ${sectionHeader(id, english.get(id)!)}`);
    }
  };
  show("missing", status.missing);
  show("stale", status.stale);
  for (const id of status.orphaned) lines.push(`${name} (${lang}): section ${id} matches no markdown cell: remove it`);
  return lines;
}

async function main(args: readonly string[]): Promise<number> {
  const { resolveNotebooks } = await import("./nb.ts");
  const langArg = args.find((a) => a.startsWith("--lang="))?.slice("--lang=".length);
  const langs = langArg === undefined ? TRANSLATED_LANGS : [langArg as Lang];
  const names = args.filter((a) => !a.startsWith("--"));
  let problems = 0;
  try {
    for (const lang of langs) checkTranslatedLang(lang, "check translations");
    for (const path of await resolveNotebooks(names)) {
      const notebook = await readNotebook(path);
      for (const lang of langs) {
        const status = translationStatus(notebook, await loadTranslation(path, lang));
        const name = basename(path, ".ipynb");
        const lines = describeStatus(notebook, status, name, lang);
        const markdown = notebook.cells.filter((c) => c.cell_type === "markdown").length;
        const done = markdown - status.missing.length - status.stale.length;
        console.log(`${lines.length === 0 ? "ok  " : "TODO"} ${name} (${lang}): ${done}/${markdown} cells current`);
        for (const line of lines) console.log(`  ${line}`);
        problems += lines.length;
      }
    }
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  return problems === 0 ? 0 : 1;
}

// No top-level await: main() imports nb.ts, which imports this module, so this module must finish evaluating first.
if (import.meta.main) main(Deno.args).then((code) => Deno.exit(code));

/**
 * Takes `--lang L` or `--lang=L` out of the command line (the rest goes to Jupyter).
 *
 * @param args The command line.
 * @returns The language (English when absent) and the other arguments.
 * @throws {RangeError} When the language is missing or unknown.
 * @example
 * ```ts
 * import { takeLang } from "./i18n.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(takeLang(["--lang", "zh", "--no-browser"]), { lang: "zh", rest: ["--no-browser"] });
 * assert.deepEqual(takeLang(["--port=8890"]), { lang: "en", rest: ["--port=8890"] });
 * ```
 */
export function takeLang(args: readonly string[]): { lang: Lang; rest: string[] } {
  const rest: string[] = [];
  let lang: string = "en";
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--lang") lang = args[++i] ?? "";
    else if (args[i].startsWith("--lang=")) lang = args[i].slice("--lang=".length);
    else rest.push(args[i]);
  }
  if (lang !== "en" && !(TRANSLATED_LANGS as readonly string[]).includes(lang)) {
    throw new RangeError(
      `Cannot choose the language as --lang must be en or ${TRANSLATED_LANGS.join(", ")}: current value is ${
        JSON.stringify(lang)
      }`,
    );
  }
  return { lang: lang as Lang, rest };
}
