/**
 * Checks of a built site folder (tools/site.ts), shared by tests/tools/site_test.ts (a fixture site) and
 * tests/site_browser_test.ts (the course's site): every internal link and asset reference resolves, and a student
 * build holds no solution text.
 */
import { dirname, join, relative, resolve } from "node:path";
import { cellText, type Notebook, solutionBlocks, studentSource } from "../tools/workshop.ts";
import { buildEdition, TRANSLATED_LANGS } from "../tools/i18n.ts";
import { resolveNotebooks } from "../tools/nb.ts";

/** Every `.html` file of a folder, relative to it. */
export async function htmlFiles(dir: string, sub = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const e of Deno.readDir(join(dir, sub))) {
    const path = sub === "" ? e.name : `${sub}/${e.name}`;
    if (e.isDirectory) found.push(...await htmlFiles(dir, path));
    else if (e.name.endsWith(".html")) found.push(path);
  }
  return found.sort();
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, "&");
}

/** A page's text as a reader sees it: tags removed, entities decoded, scripts and styles dropped. */
export function pageText(html: string): string {
  return unescape(
    html.replace(/<script\b[\s\S]*?<\/script>/gi, " ").replace(/<style\b[\s\S]*?<\/style>/gi, " ").replace(
      /<[^>]+>/g,
      "",
    ),
  );
}

/**
 * Every `href` and `src` of every page that points inside the site, with what is wrong with it: the file it names must
 * exist inside the folder, and a `#fragment` must be an id of that file. Links with a scheme (`https:`, `data:`) are
 * not the site's.
 *
 * @param dir The site folder.
 * @returns One line per broken reference, and how many references were checked.
 */
export async function brokenLinks(dir: string): Promise<{ broken: string[]; checked: number }> {
  const root = resolve(dir);
  const ids = new Map<string, Set<string>>();
  const idsOf = async (file: string) => {
    if (!ids.has(file)) {
      const html = await Deno.readTextFile(file);
      ids.set(file, new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => unescape(m[1]))));
    }
    return ids.get(file)!;
  };
  const broken: string[] = [];
  let checked = 0;
  for (const page of await htmlFiles(root)) {
    const html = await Deno.readTextFile(join(root, page));
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const ref = unescape(m[1]);
      if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) continue;
      checked++;
      const [path, fragment] = ref.split("#", 2);
      const target = path === "" ? join(root, page) : resolve(root, dirname(page), decodeURI(path));
      if (relative(root, target).startsWith("..")) {
        broken.push(`${page}: ${ref} points outside the site`);
        continue;
      }
      try {
        if (!(await Deno.stat(target)).isFile) throw new Error("not a file");
      } catch {
        broken.push(`${page}: ${ref} does not exist`);
        continue;
      }
      if (fragment && target.endsWith(".html") && !(await idsOf(target)).has(decodeURIComponent(fragment))) {
        broken.push(`${page}: ${ref} has no element with id "${fragment}"`);
      }
    }
  }
  return { broken, checked };
}

/**
 * The lines of the notebooks' solutions that a student build must not show: every line of a solution block (trimmed,
 * at least 8 characters) that the student editions of the course (code and prose of every notebook, in every
 * language) do not also hold.
 *
 * @param notebooksDir The notebooks' folder.
 * @returns The lines.
 */
export async function secretLines(notebooksDir: string): Promise<string[]> {
  const visible: string[] = [];
  const candidates: string[] = [];
  for (const path of await resolveNotebooks([], notebooksDir)) {
    const nb = JSON.parse(await Deno.readTextFile(path)) as Notebook;
    const editions = [
      nb,
      ...await Promise.all(TRANSLATED_LANGS.map(async (l) => (await buildEdition(path, l)).notebook)),
    ];
    for (const e of editions) {
      for (const c of e.cells) visible.push(c.cell_type === "code" ? studentSource(cellText(c)) : cellText(c));
    }
    for (const c of nb.cells) {
      if (c.cell_type === "code") candidates.push(...solutionBlocks(cellText(c)).flatMap((b) => b.lines));
    }
  }
  const text = visible.join("\n");
  return [...new Set(candidates.map((l) => l.trim()).filter((l) => l.length >= 8 && !text.includes(l)))];
}

/**
 * Which solution lines a built site shows, page by page.
 *
 * @param siteDir The site folder.
 * @param notebooksDir The notebooks' folder.
 * @returns The lines found, as `page: line`, and how many secret lines there are in all.
 */
export async function solutionsShown(
  siteDir: string,
  notebooksDir: string,
): Promise<{ shown: string[]; secrets: number }> {
  const all = await secretLines(notebooksDir);
  const shown: string[] = [];
  for (const page of await htmlFiles(siteDir)) {
    const text = pageText(await Deno.readTextFile(join(siteDir, page)));
    for (const line of all) if (text.includes(line)) shown.push(`${page}: ${line}`);
    if (/BEGIN SOLUTION|END SOLUTION/.test(text)) shown.push(`${page}: a solution marker`);
  }
  return { shown, secrets: all.length };
}
