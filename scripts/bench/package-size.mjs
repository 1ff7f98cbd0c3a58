// Size of what ships: the .vsix that scripts/package.mjs writes (packed afresh into a temporary
// folder, so the figure is of the current build and dist/ is left alone), and each task's bundle.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shippedTaskFiles, taskNames } from "../bundle.mjs";
import { kib, markdownTable } from "./markdown.mjs";

const VSIX_BUDGET_BYTES = 5 * 1024 * 1024; // DESIGN §5: the .vsix stays under 5 MB.

export async function packageSize({ root }) {
  const outDir = mkdtempSync(join(tmpdir(), "bench-vsix-"));
  try {
    const packing = spawnSync(process.execPath, [join(root, "scripts", "package.mjs"), "--out", outDir], { cwd: root, encoding: "utf8" });
    if (packing.status !== 0) return `Packaging failed:\n\n\`\`\`\n${packing.stdout}${packing.stderr}\n\`\`\``;
    const [vsix] = readdirSync(outDir);
    const vsixBytes = statSync(join(outDir, vsix)).size;
    const rows = [
      [`\`${vsix}\``, kib(vsixBytes), `< 5 MiB: ${vsixBytes < VSIX_BUDGET_BYTES ? "met" : "**exceeded**"}`],
      ...taskNames().map((task) => {
        const files = shippedTaskFiles(task).filter((file) => file.endsWith(".mjs"));
        const bytes = files.reduce((sum, file) => sum + statSync(join(root, "build", "tasks", task, file)).size, 0);
        return [`${task} bundle, ${files.length} files (uncompressed)`, kib(bytes), ""];
      }),
    ];
    return markdownTable(["what", "size", "budget"], rows);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
