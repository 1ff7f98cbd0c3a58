import * as fs from "node:fs";
import * as path from "node:path";
import { quoted } from "../../common/src/text/printable";

/**
 * Writes the `config.json` that the Azure ML SDKs find with `MLClient.from_config()` /
 * `Workspace.from_config()`. It names the workspace only: no key, no secret. The path was
 * checked with the other inputs (files/outputPath.ts); what can still fail here (the disk filled
 * up, the folder changed meanwhile) fails in one sentence that names the input.
 */
export function writeConfigJson(file: string, workspace: { subscriptionId: string; resourceGroup: string; name: string }): void {
  const content = { subscription_id: workspace.subscriptionId, resource_group: workspace.resourceGroup, workspace_name: workspace.name };
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, "utf8");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "unknown error";
    throw new Error(`Writing config.json to ${quoted(file)} (input 'configJsonPath') failed (${code}); the workspace itself is ready.`, { cause: error });
  }
}
