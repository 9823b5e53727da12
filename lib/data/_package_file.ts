/**
 * Finds data files shipped inside npm packages (read offline from `node_modules`).
 *
 * @module
 */

/**
 * Reads a JSON file that an npm package ships but does not export (e.g. `vega-datasets/data/penguins.json`).
 *
 * @param pkg The package name as mapped in deno.json, e.g. `"vega-datasets"`.
 * @param fromEntry The file's path relative to the package's entry module, e.g. `"../data/penguins.json"`.
 * @returns The parsed JSON.
 */
export async function readPackageJson<T>(pkg: string, fromEntry: string): Promise<T> {
  const url = new URL(fromEntry, import.meta.resolve(pkg));
  return JSON.parse(await Deno.readTextFile(url)) as T;
}
