/**
 * Image grids: many small grayscale images (MNIST digits, generated samples) with captions, as one heatmap.
 *
 * @module
 */
import { formatNumber } from "../notebook/display.ts";
import { Figure, layoutFrom, type PlotOptions } from "./figure.ts";
import { describe, extent, toLabels, toMatrix, toVector } from "./_validate.ts";
import { checkPositive, checkPositiveInteger } from "../core/validate.ts";

/** Options of {@link imageGrid}. */
export interface ImageGridOptions extends Omit<PlotOptions, "xTitle" | "yTitle" | "xLog" | "yLog"> {
  /** Images per row (default: up to 10). */
  columns?: number;
  /** [height, width] of each image given as a flat list (default: square, e.g. 784 values → 28×28). */
  shape?: [number, number];
  /** A caption above each image (e.g. its label, or "7 (pred 1)"). */
  captions?: readonly (string | number)[];
  /** Value drawn white (default: the smallest value in the images). */
  zmin?: number;
  /** Value drawn black (default: the largest value). */
  zmax?: number;
  /** Light ink on dark paper instead of dark ink on light paper. */
  invert?: boolean;
  /**
   * A Plotly colour scale instead of paper and ink, e.g. `[[0, "#2166ac"], [0.5, "#ffffff"], [1, "#b2182b"]]` with
   * `zmin = −zmax` to show signed weights (blue below zero, red above).
   */
  colorscale?: readonly (readonly [number, string])[];
  /** Screen pixels per image pixel (default: as large as fits 900 px, at most 6). */
  scale?: number;
}

/**
 * Draws images side by side in a grid, each with an optional caption.
 *
 * @param images A list of images, each rows of pixels or a flat list of `height × width` values; or a tensor of
 *   shape [N, H, W] or [N, H·W] (anything with `arraySync()`).
 * @param options Title, size, `columns`, `shape`, `captions`, value range, `invert`, `scale`.
 * @returns The figure (one heatmap trace; gaps between images are empty cells).
 * @throws {RangeError} For no images, images of different sizes, a flat image that is not square without `shape`,
 *   non-finite pixels, or captions that do not match the images.
 * @example
 * ```ts
 * import { imageGrid } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const one = [0, 1, 0, 0, 1, 0, 0, 1, 0]; // 3×3 flat
 * const fig = imageGrid([one, one], { captions: ["1", "一"], columns: 2 });
 * assert.equal(fig.data.length, 1);
 * assert.deepEqual((fig.layout.annotations as { text: string }[]).map((a) => a.text), ["1", "一"]);
 * ```
 */
export function imageGrid(images: unknown, options: ImageGridOptions = {}): Figure {
  const list = toImages(images, options.shape);
  const [h, w] = [list[0].length, list[0][0].length];
  if (options.columns !== undefined) checkPositiveInteger(options.columns, "columns", "plot");
  if (options.scale !== undefined) checkPositive(options.scale, "scale", "plot");
  const captions = options.captions === undefined
    ? undefined
    : toLabels("image grid captions", options.captions, list.length);
  const columns = Math.min(options.columns ?? 10, list.length);
  const rows = Math.ceil(list.length / columns);
  const gap = Math.max(1, Math.round(w / 10));
  const captionSpace = captions ? Math.max(3, Math.round(h / 3)) : gap;
  const cellW = w + gap, cellH = h + captionSpace;
  const z: (number | null)[][] = Array.from({ length: rows * cellH }, () => new Array(columns * cellW).fill(null));
  list.forEach((image, k) => {
    const top = Math.floor(k / columns) * cellH + captionSpace, left = (k % columns) * cellW;
    image.forEach((row, r) => row.forEach((v, c) => (z[top + r][left + c] = v)));
  });
  const [lo, hi] = extent(list.flat(2));
  const zmin = options.zmin ?? lo, zmax = options.zmax ?? (hi > lo ? hi : lo + 1);
  const scale = options.scale ?? Math.max(1, Math.min(6, Math.floor(900 / (columns * cellW))));
  const annotations = (captions ?? []).map((text, k) => ({
    text,
    x: (k % columns) * cellW + (w - 1) / 2,
    y: Math.floor(k / columns) * cellH + captionSpace - 1,
    yanchor: "bottom",
    showarrow: false,
    font: { size: 12 },
  }));
  const paper = options.invert ? ["#000000", "#ffffff"] : ["#ffffff", "#000000"];
  const trace = {
    type: "heatmap",
    z,
    zmin,
    zmax,
    colorscale: options.colorscale ?? [[0, paper[0]], [1, paper[1]]],
    showscale: false,
    hoverongaps: false,
  };
  const hidden = { visible: false, showgrid: false, zeroline: false };
  const top = options.title ? 50 : 10;
  const layout = layoutFrom(options, {
    xaxis: { ...hidden, range: [-0.5, columns * cellW - gap - 0.5], constrain: "domain" },
    yaxis: { ...hidden, autorange: "reversed", scaleanchor: "x", constrain: "domain" },
    annotations,
    margin: { l: 10, r: 10, t: top, b: 10 },
    plot_bgcolor: "rgba(0,0,0,0)",
    width: options.width ?? columns * cellW * scale + 20,
    height: options.height ?? rows * cellH * scale + top + 10,
  });
  const note = `${list.length} image${list.length === 1 ? "" : "s"} of ${h}×${w} pixels in ${rows}×${columns}, ` +
    `values ${formatNumber(lo)}…${formatNumber(hi)}` + (captions ? `; captions: ${captions.join(", ")}` : "");
  return new Figure([trace], layout, note);
}

/** Turns the input into a list of H×W images of finite numbers, all the same size. */
function toImages(images: unknown, shape: [number, number] | undefined): number[][][] {
  const raw = typeof (images as { arraySync?: unknown })?.arraySync === "function"
    ? (images as { arraySync(): unknown }).arraySync()
    : images;
  if (typeof raw !== "object" || raw === null || typeof (raw as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(`Cannot draw an image grid as images must be a list of images: got ${describe(images)}`);
  }
  const items = Array.from(raw as ArrayLike<unknown>);
  if (items.length === 0) throw new RangeError("Cannot draw an image grid as no images were given: give at least one");
  if (
    shape !== undefined &&
    !(Array.isArray(shape) && shape.length === 2 && shape.every((n) => Number.isInteger(n) && n > 0))
  ) {
    throw new RangeError(
      `Cannot draw an image grid as shape must be [height, width] of positive integers: got ${shape}`,
    );
  }
  const out = items.map((item, k) => {
    const first = (item as ArrayLike<unknown> | null)?.[0];
    if (typeof first === "object" && first !== null) return toMatrix(`image ${k}`, item);
    const flat = toVector(`image ${k}`, item);
    const [h, w] = shape ?? squareShape(flat.length, k);
    if (h * w !== flat.length) {
      throw new RangeError(`Cannot draw image ${k} as shape ${h}×${w} needs ${h * w} values: it has ${flat.length}`);
    }
    return Array.from({ length: h }, (_, r) => flat.slice(r * w, (r + 1) * w));
  });
  out.forEach((image, k) => {
    if (image.length !== out[0].length || image[0].length !== out[0][0].length) {
      throw new RangeError(
        `Cannot draw an image grid as all images must have the same size: image 0 is ${out[0].length}×${
          out[0][0].length
        }, image ${k} is ${image.length}×${image[0].length}`,
      );
    }
  });
  return out;
}

function squareShape(n: number, k: number): [number, number] {
  const side = Math.round(Math.sqrt(n));
  if (side * side !== n) {
    throw new RangeError(
      `Cannot draw image ${k} as a flat image of ${n} values is not square: give options.shape as [height, width]`,
    );
  }
  return [side, side];
}
