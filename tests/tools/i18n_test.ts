import assert from "node:assert/strict";
import { basename, join } from "node:path";
import {
  cellText,
  declareLang,
  describeStatus,
  editionLang,
  languageEdition,
  loadTranslation,
  type Notebook,
  parseTranslation,
  readNotebook,
  sectionHeader,
  sourceHash,
  translationPath,
  translationStatus,
  UNTRANSLATED_NOTE,
  writeEdition,
} from "../../tools/i18n.ts";
import { findPython, formatFailure, parseNbArgs, resolveNotebooks, runNotebook } from "../../tools/nb.ts";
import { REPO_ROOT } from "../../tools/kernelspec.ts";

const FIXTURES = join(REPO_ROOT, "tests", "fixtures", "i18n");
const CJK = /[\u3400-\u9fff]/;

Deno.test("i18n: every markdown cell of every course notebook has a current Chinese translation", async () => {
  const paths = await resolveNotebooks([]);
  const names = paths.map((p) => basename(p, ".ipynb"));
  for (const n of ["00", "01", "02", "03"]) assert.ok(names.some((name) => name.startsWith(n)), `notebook ${n} exists`);
  for (const path of paths) {
    const notebook = await readNotebook(path);
    const translation = await loadTranslation(path, "zh");
    assert.ok(translation !== null, `${basename(path)} has no translation file ${translationPath(path, "zh")}`);
    const status = translationStatus(notebook, translation);
    const report = describeStatus(notebook, status, basename(path, ".ipynb"), "zh").join("\n");
    assert.deepEqual(status, { missing: [], stale: [], orphaned: [] }, `run \`deno task i18n\`:\n${report}`);
    for (const cell of notebook.cells.filter((c) => c.cell_type === "markdown")) {
      const zh = translation.cells.get(cell.id!)!.text;
      assert.match(zh, CJK, `${basename(path)} cell ${cell.id}: the translation holds Chinese`);
      assert.notEqual(zh, cellText(cell).trimEnd(), `${basename(path)} cell ${cell.id}: translated, not copied`);
    }
  }
});

Deno.test("i18n: a translation made from an older English text is reported stale (fixture)", async () => {
  const path = join(FIXTURES, "stale.ipynb");
  const notebook = await readNotebook(path);
  const translation = await loadTranslation(path, "zh");
  assert.ok(translation !== null);
  const status = translationStatus(notebook, translation);
  assert.deepEqual(status, { missing: ["s-new"], stale: ["s-changed"], orphaned: ["s-removed"] });
  const changed = cellText(notebook.cells.find((c) => c.id === "s-changed")!);
  assert.deepEqual(describeStatus(notebook, status, "stale", "zh"), [
    `stale (zh): missing cell s-new: translate it under ${
      sectionHeader("s-new", "A cell added after the translation was written.")
    }`,
    `stale (zh): stale cell s-changed: translate it under <!-- cell s-changed en:${sourceHash(changed)} -->`,
    "stale (zh): section s-removed matches no markdown cell: remove it",
  ]);
  // Updating the hash (after translating again) makes it current.
  const file = await Deno.readTextFile(translationPath(path, "zh"));
  const fixed = file.replace(/<!-- cell s-changed en:[0-9a-f]+ -->/, sectionHeader("s-changed", changed));
  assert.deepEqual(translationStatus(notebook, parseTranslation(fixed, "zh")).stale, []);
});

Deno.test("i18n: a stale or missing translation still builds an edition: stale text as it is, missing in English", async () => {
  const notebook = await readNotebook(join(FIXTURES, "stale.ipynb"));
  const translation = (await loadTranslation(join(FIXTURES, "stale.ipynb"), "zh"))!;
  const zh = languageEdition(notebook, "zh", translation);
  const text = (id: string) => cellText(zh.cells.find((c) => c.id === id)!);
  assert.equal(text("s-title"), '<div lang="zh-CN">\n\n# 过期检查用的测试样例\n\n</div>');
  assert.equal(text("s-changed"), declareLang("损失一步步下降。\n\n这是翻译时依据的英文。", "zh"));
  assert.equal(text("s-new"), UNTRANSLATED_NOTE.zh + "A cell added after the translation was written.");
  assert.equal(zh.cells[2], notebook.cells[2], "code cells are shared");
});

Deno.test("i18n: languageEdition is pure and sets the edition's language", async () => {
  const path = join(REPO_ROOT, "notebooks", "00_welcome.ipynb");
  const notebook = await readNotebook(path);
  const before = structuredClone(notebook);
  const zh = languageEdition(notebook, "zh", await loadTranslation(path, "zh"));
  assert.deepEqual(notebook, before, "the source is not changed");
  assert.equal(editionLang(zh), "zh");
  assert.equal(editionLang(notebook), "en");
  assert.deepEqual(zh.metadata.kernelspec, notebook.metadata.kernelspec);
  assert.deepEqual(zh.cells.map((c) => c.id), notebook.cells.map((c) => c.id), "same cells, same ids, same order");
  for (const [i, cell] of zh.cells.entries()) {
    if (cell.cell_type === "code") assert.equal(cell, notebook.cells[i]);
    else assert.match(cellText(cell), CJK);
  }
  const en = languageEdition(notebook, "en");
  assert.deepEqual(en.cells, notebook.cells);
  assert.equal(editionLang(en), "en");
  // Chainable: an edition of an edition keeps its cells and changes only the language.
  assert.deepEqual(languageEdition(zh, "en").cells, zh.cells);
});

Deno.test("i18n: bad input gives clear messages", () => {
  const nb: Notebook = { metadata: {}, cells: [{ cell_type: "markdown", id: "a", source: "# A" }] };
  assert.throws(() => languageEdition(nb, "fr" as "zh"), {
    name: "RangeError",
    message: 'Cannot build a language edition as lang must be "en" or "zh": current value is "fr"',
  });
  assert.throws(() => languageEdition(nb, "zh"), {
    name: "TypeError",
    message: "Cannot build the zh edition as no translation was given: current value is undefined",
  });
  assert.throws(() => languageEdition({ metadata: {} } as unknown as Notebook, "en"), {
    name: "TypeError",
    message: /^Cannot build the en edition as the notebook must be an object with a cells array/,
  });
  assert.throws(() => translationStatus({ metadata: {}, cells: [{ cell_type: "markdown", source: "x" }] }, null), {
    name: "TypeError",
    message: "Cannot check a translation as markdown cell 0 has no id (nbformat 4.5 cell ids key the translations): " +
      "current value is undefined",
  });
  assert.throws(() => parseTranslation("<!-- cell a en:123 -->\ntext", "zh", "x.md"), {
    name: "SyntaxError",
    message: 'Cannot read x.md as line 1 looks like a section header but is not "<!-- cell ID en:HASH -->" with a ' +
      '12-digit hex hash: current value is "<!-- cell a en:123 -->"',
  });
  const header = sectionHeader("a", "# A");
  assert.throws(() => parseTranslation(`${header}\n一\n${header}\n二\n`, "zh", "x.md"), {
    name: "SyntaxError",
    message: "Cannot read x.md as cell a has two sections (the second at line 3)",
  });
  assert.throws(() => parseTranslation(`${header}\n\n${sectionHeader("b", "B")}\n二\n`, "zh", "x.md"), {
    name: "SyntaxError",
    message: "Cannot read x.md as the section of cell a (line 1) is empty",
  });
  assert.throws(() => parseTranslation("", "en"), {
    name: "RangeError",
    message:
      'Cannot read a translation as the language must be one of zh (English is the source): current value is "en"',
  });
  assert.throws(() => sectionHeader("a b", "x"), {
    name: "TypeError",
    message: 'Cannot write a section header as the cell id must be a word without spaces: current value is "a b"',
  });
  assert.throws(() => editionLang({ cells: [], metadata: { liandan: { lang: "cn" } } }), {
    name: "RangeError",
    message: 'Cannot read the edition\'s language as metadata.liandan.lang must be "en" or "zh": current value is "cn"',
  });
  assert.throws(() => parseNbArgs(["--lang=fr"]), {
    name: "RangeError",
    message: "Cannot parse --lang as it must be en or zh: current value is fr",
  });
  assert.deepEqual(parseNbArgs(["00", "--lang=zh"]), { names: ["00"], full: false, lang: "zh" });
  assert.deepEqual(parseNbArgs(["--lang=en"]), { names: [], full: false });
});

const noJupyter = (await findPython()) === null;

Deno.test({
  name: "i18n: the kernel's language follows the edition (LIANDAN_LANG set by the runner from the metadata)",
  ignore: noJupyter,
  async fn() {
    const source = join(FIXTURES, "lang.ipynb");
    await Deno.mkdir(join(REPO_ROOT, "build"), { recursive: true }); // a fresh clone has no build/ yet
    const out = await Deno.makeTempDir({ dir: join(REPO_ROOT, "build"), prefix: "i18n-test-" });
    try {
      const printed = async (path: string) => {
        const result = await runNotebook(path, { outDir: join(out, "run") });
        assert.equal(result.ok, true, formatFailure(result));
        const executed = await readNotebook(result.output);
        const outputs = executed.cells[1].outputs as { text?: string | string[] }[];
        return outputs.map((o) => [o.text ?? ""].flat().join("")).join("");
      };
      assert.equal(await printed(source), "lang=en step\n");
      const { path } = await writeEdition(source, "zh", join(out, "zh"));
      assert.equal(await printed(path), "lang=zh 步数\n");
      assert.match(cellText((await readNotebook(path)).cells[0]), /内核说哪种语言/);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
