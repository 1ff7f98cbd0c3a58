// Regenerates the extension icon (images/extension-icon.png, 128×128) and one 32×32 icon.png
// per task folder that has a task.json. No image library: every shape is an inside/outside test
// in unit coordinates, anti-aliased by supersampling, and zlib encodes the PNG. The output is
// deterministic, so re-running it on unchanged code changes no file.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";
import { taskNames } from "./bundle.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// ---- shapes: (x, y) => boolean, x and y in 0..1 ----
const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return dx * dx + dy * dy <= r * r;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const polygon = (points) => (x, y) => {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};
// A line of constant width with round ends and joins: a pen stroke through the points.
const stroke = (points, halfWidth) => (x, y) => {
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1];
    const [bx, by] = points[i];
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    if ((x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= halfWidth ** 2) return true;
  }
  return false;
};
const union =
  (...shapes) =>
  (x, y) =>
    shapes.some((inside) => inside(x, y));
const minus = (shape, hole) => (x, y) => shape(x, y) && !hole(x, y);
const below = (shape, top) => (x, y) => y >= top && shape(x, y);

// ---- colours: "#rrggbb", or a vertical gradient between two ----
const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const solid =
  (hex, alpha = 1) =>
  () => [...rgb(hex), alpha];
const verticalGradient = (topHex, bottomHex) => (_x, y) => {
  const [top, bottom] = [rgb(topHex), rgb(bottomHex)];
  return [...top.map((c, i) => c + (bottom[i] - c) * y), 1];
};
const WHITE = solid("#ffffff");

// Paints layers (back to front) with the "over" operator on a transparent canvas.
function render(size, layers, samples = 6) {
  const pixels = new Float64Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const at = (py * size + px) * 4;
      for (const { shape, paint } of layers) {
        let hits = 0;
        for (let sy = 0; sy < samples; sy++) {
          for (let sx = 0; sx < samples; sx++) {
            if (shape((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) hits++;
          }
        }
        if (hits === 0) continue;
        const [r, g, b, alpha] = paint((px + 0.5) / size, (py + 0.5) / size);
        const a = (alpha * hits) / (samples * samples);
        const under = pixels[at + 3] * (1 - a);
        const out = a + under;
        pixels[at] = (r * a + pixels[at] * under) / out;
        pixels[at + 1] = (g * a + pixels[at + 1] * under) / out;
        pixels[at + 2] = (b * a + pixels[at + 2] * under) / out;
        pixels[at + 3] = out;
      }
    }
  }
  return encodePng(size, pixels);
}

// ---- PNG: 8-bit RGBA, one IDAT, filter type 0 on every row ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}
function encodePng(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rowLength = size * 4 + 1;
  const raw = Buffer.alloc(size * rowLength);
  for (let i = 0; i < size * size; i++) {
    const at = Math.floor(i / size) * rowLength + 1 + (i % size) * 4;
    const alpha = pixels[i * 4 + 3];
    for (let c = 0; c < 3; c++) raw[at + c] = alpha === 0 ? 0 : Math.round(pixels[i * 4 + c]);
    raw[at + 3] = Math.round(alpha * 255);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

// ---- glyphs ----
// An Erlenmeyer flask (the ML experiment) inside a box spanning top..bottom vertically.
function flask(top, bottom, halfWidth) {
  const h = bottom - top;
  const neckBottom = top + 0.38 * h;
  const outline = [
    [0.42, top],
    [0.42, neckBottom],
    [0.2, bottom],
    [0.8, bottom],
    [0.58, neckBottom],
    [0.58, top],
  ];
  const body = polygon([
    [0.42, top],
    [0.42, neckBottom],
    [0.2, bottom],
    [0.8, bottom],
    [0.58, neckBottom],
    [0.58, top],
  ]);
  return {
    liquid: below(body, top + 0.62 * h),
    glass: union(
      stroke(outline, halfWidth),
      stroke(
        [
          [0.36, top],
          [0.64, top],
        ],
        halfWidth,
      ),
    ),
  };
}

function extensionIcon() {
  const { liquid, glass } = flask(0.14, 0.68, 0.04);
  const stages = [0.22, 0.5, 0.78];
  return render(128, [
    { shape: roundedRect(0.02, 0.02, 0.98, 0.98, 0.2), paint: verticalGradient("#1490df", "#0058a3") },
    { shape: liquid, paint: solid("#50e6ff") },
    { shape: union(circle(0.45, 0.6, 0.028), circle(0.56, 0.55, 0.02)), paint: solid("#ffffff", 0.85) },
    { shape: glass, paint: WHITE },
    // Dev → Test → Prod: the pipeline the model travels along.
    {
      shape: union(
        stroke(
          [
            [0.22, 0.84],
            [0.78, 0.84],
          ],
          0.018,
        ),
        ...stages.map((x) => circle(x, 0.84, 0.05)),
      ),
      paint: WHITE,
    },
    { shape: circle(0.78, 0.84, 0.025), paint: solid("#50e6ff") },
  ]);
}

const background = (hex) => ({ shape: roundedRect(0, 0, 1, 1, 0.2), paint: solid(hex) });
const TASK_ICONS = {
  // Provisioning: a rack of three servers.
  AzureMLWorkspace: () => [
    background("#0078d4"),
    ...[0.2, 0.42, 0.64].map((y) => ({
      shape: minus(roundedRect(0.18, y, 0.82, y + 0.16, 0.04), circle(0.3, y + 0.08, 0.035)),
      paint: WHITE,
    })),
  ],
  AzureMLTrain: () => {
    const { liquid, glass } = flask(0.18, 0.8, 0.06);
    return [background("#107c10"), { shape: liquid, paint: solid("#9fe89f") }, { shape: glass, paint: WHITE }];
  },
  // Registering: a label with its eyelet.
  AzureMLRegisterModel: () => [
    background("#8661c5"),
    {
      shape: minus(
        polygon([
          [0.16, 0.3],
          [0.6, 0.3],
          [0.84, 0.5],
          [0.6, 0.7],
          [0.16, 0.7],
        ]),
        circle(0.62, 0.5, 0.065),
      ),
      paint: WHITE,
    },
  ],
  // Deploying: an arrow leaving its tray.
  AzureMLDeploy: () => [
    background("#ca5010"),
    {
      shape: union(
        stroke(
          [
            [0.5, 0.66],
            [0.5, 0.3],
          ],
          0.07,
        ),
        polygon([
          [0.26, 0.42],
          [0.5, 0.14],
          [0.74, 0.42],
        ]),
      ),
      paint: WHITE,
    },
    {
      shape: stroke(
        [
          [0.2, 0.6],
          [0.2, 0.82],
          [0.8, 0.82],
          [0.8, 0.6],
        ],
        0.06,
      ),
      paint: WHITE,
    },
  ],
};
// A task without a glyph of its own still gets a clean, recognisable icon.
const fallbackIcon = () => [background("#038387"), { shape: minus(circle(0.5, 0.5, 0.3), circle(0.5, 0.5, 0.17)), paint: WHITE }];

function write(relativePath, png) {
  const path = join(root, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  console.log(`${relativePath} (${png.length} bytes)`);
}

write("images/extension-icon.png", extensionIcon());
for (const name of taskNames()) {
  write(join("tasks", name, "icon.png"), render(32, (TASK_ICONS[name] ?? fallbackIcon)(), 8));
}
