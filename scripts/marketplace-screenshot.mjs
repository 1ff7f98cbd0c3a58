// The Marketplace picture of a run (images/screenshot-run.png, referenced by vss-extension.json
// and overview.md), made from a real run: the built AzureMLWorkspace, AzureMLTrain and
// AzureMLRegisterModel run the starter project's Dev steps on the local Azure (every exchange
// checked against the swaggers); their log and the summaries they uploaded are rendered as
// Azure DevOps' run view shows them (local/screenshot/), and headless Chromium captures the page
// at the Marketplace's screenshot size, 1366×768.
//
// Usage: npm run screenshot   (builds first; needs Chromium: `apt-get install -y chromium`, or
//        CHROMIUM=/path/to/chrome, and a Python with scikit-learn for the training job)
//        node scripts/marketplace-screenshot.mjs [--out images/screenshot-run.png] [--html page.html]
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const WIDTH = 1366;
const HEIGHT = 768;
const MAX_BYTES = 300 * 1024;

function fail(message) {
  console.error(`screenshot: ${message}`);
  process.exit(1);
}

function findChromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
    for (const folder of (process.env.PATH ?? "").split(delimiter)) {
      if (folder && existsSync(join(folder, name))) return join(folder, name);
    }
  }
  return fail("no Chromium found: `apt-get update && apt-get install -y chromium`, or set CHROMIUM to a Chrome or Chromium executable.");
}

function pngSize(bytes) {
  if (bytes.toString("ascii", 1, 4) !== "PNG") return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Chromium in headless mode writes the page's picture and exits; its profile lives in a folder of its own. */
function capture(chromium, htmlFile, pngFile, profile) {
  const result = spawnSync(
    chromium,
    [
      "--headless",
      "--no-sandbox", // root in a container has no user namespace for the sandbox
      "--disable-gpu",
      "--no-first-run",
      "--no-default-browser-check",
      "--hide-scrollbars",
      "--force-device-scale-factor=1",
      `--user-data-dir=${profile}`,
      `--window-size=${WIDTH},${HEIGHT}`,
      `--screenshot=${pngFile}`,
      `file://${htmlFile}`,
    ],
    { encoding: "utf8", timeout: 120_000, killSignal: "SIGKILL" },
  );
  if (result.status !== 0 || !existsSync(pngFile)) fail(`Chromium did not write the picture (exit ${result.status ?? result.signal}):\n${result.stderr}`);
}

const { values: options } = parseArgs({ options: { out: { type: "string", default: join(root, "images", "screenshot-run.png") }, html: { type: "string" } } });
const compiled = join(root, "out", "local", "screenshot");
if (!existsSync(join(compiled, "runViewPage.js"))) fail("the project is not built: run `npm run screenshot` (it builds first).");
const chromium = findChromium();

const require = createRequire(import.meta.url);
const { recordStarterRun } = require(join(compiled, "recordRun.js"));
const { runViewHtml } = require(join(compiled, "runViewPage.js"));

console.log("Running the starter project's Dev steps on the local Azure…");
const run = await recordStarterRun((line) => console.log(`  ${line}`));
if (run.validated === 0 || run.unmatched > 0 || run.violations > 0) {
  fail(`the run's Azure exchanges did not all pass the swagger check: ${run.validated} validated, ${run.unmatched} unmatched, ${run.violations} violations.`);
}
console.log(`  ${run.validated} Azure requests, each checked against the swaggers; no violation.`);

const work = mkdtempSync(join(tmpdir(), "marketplace-screenshot-"));
try {
  const html = runViewHtml(run, { selectedStep: "Train the model", summariesOf: ["AzureMLTrain@1", "AzureMLRegisterModel@1"] });
  const htmlFile = join(work, "run.html");
  writeFileSync(htmlFile, html);
  if (options.html) writeFileSync(resolve(options.html), html);
  const pngFile = join(work, "run.png");
  capture(chromium, htmlFile, pngFile, join(work, "profile"));
  const bytes = readFileSync(pngFile);
  const size = pngSize(bytes);
  if (!size || size.width !== WIDTH || size.height !== HEIGHT)
    fail(`Chromium's picture is ${size ? `${size.width}×${size.height}` : "not a PNG"}, not ${WIDTH}×${HEIGHT}.`);
  if (bytes.length >= MAX_BYTES) fail(`the picture is ${bytes.length} bytes; it must stay under ${MAX_BYTES} to keep the .vsix small.`);
  copyFileSync(pngFile, resolve(options.out));
  console.log(`${relative(process.cwd(), resolve(options.out))}: ${WIDTH}×${HEIGHT}, ${(statSync(resolve(options.out)).size / 1024).toFixed(1)} KiB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
